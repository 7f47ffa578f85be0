"""Search folding for the site: 水務 finds 水务, ＳＬ finds sl.

The site's script folds the query and every row's text the same way: NFKC (full-width letters and
digits to ASCII), lower case, then traditional to simplified character by character with a table
shipped in the page. The table holds only the characters that matter for this catalogue: every
traditional form (from OpenCC's t2s) whose simplified form occurs in its searchable text, so it
stays a few kilobytes however large OpenCC's dictionary is.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from functools import cache

# CJK Unified Ideographs, Extension A and the compatibility ideographs: where t2s has work to do.
RANGES = ((0x3400, 0x4DC0), (0x4E00, 0xA000), (0xF900, 0xFB00))


@cache
def t2s_chars() -> dict[str, str]:
    """Every character OpenCC's t2s turns into one other character, converted one at a time (a
    newline between them, so no phrase rule joins two neighbours)."""
    import opencc

    chars = [chr(c) for lo, hi in RANGES for c in range(lo, hi)]
    out = opencc.OpenCC("t2s").convert("\n".join(chars)).split("\n")
    if len(out) != len(chars):  # a conversion that changed the line count: fold nothing rather than misfold
        return {}
    return {t: s for t, s in zip(chars, out, strict=True) if len(s) == 1 and s != t}


def _width_case(text: str) -> str:
    return unicodedata.normalize("NFKC", text).lower()


def fold_table(texts: Iterable[str]) -> dict[str, str]:
    """{traditional: simplified} for the simplified characters that occur in ``texts``."""
    full = t2s_chars()
    seen = {full.get(c, c) for t in texts for c in _width_case(t)}
    return {t: s for t, s in full.items() if s in seen}


def fold(text: str, table: dict[str, str]) -> str:
    """The text as the site's script compares it (site.js ``norm`` does the same in the browser)."""
    return "".join(table.get(c, c) for c in _width_case(text))


def table_text(table: dict[str, str]) -> str:
    """The table as the page carries it: pairs of characters, traditional then simplified."""
    return "".join(t + s for t, s in sorted(table.items()))

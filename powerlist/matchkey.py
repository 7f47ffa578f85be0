"""How the same item is recognised across lists (issue 13): one key for the upper-level check,
`compare` and the Parquet export, so the three never disagree on what "the same item" is.

Items match by code (基本编码) when both sides have one, otherwise by name plus category. Names are
folded by :func:`powerlist.normalize.normalize_name` (traditional -> simplified, full/half width,
punctuation and spaces dropped), so 取水许可, 取水許可 and 取水许可（ ） are one key.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from powerlist.normalize import normalize_name

# Between name and category: a character no folded name can hold (normalize_name drops controls).
SEP = "\x1f"


@lru_cache(maxsize=262_144)
def code_key(code: str | None) -> str | None:
    """基本编码 folded: full-width digits and letters to ASCII, spaces and dashes dropped, upper
    case. ``None`` (or a code that folds to nothing) means "no code": match by name instead."""
    if code is None:
        return None
    text = unicodedata.normalize("NFKC", code)
    folded = "".join(ch for ch in text if ch.isalnum()).upper()
    return folded or None


def match_key(name: str, category: str) -> str:
    """The name-and-category key: 取水許可／行政許可 and 取水许可/行政许可 are one key."""
    return f"{normalize_name(name)}{SEP}{normalize_name(category)}"


# Qualifiers in brackets name a 办理项 of one matter: 取水许可（延续） is an item of 取水许可.
_BRACKETED = re.compile(r"[（(【\[〔［][^（(【\[〔［）)】\]〕］]*[）)】\]〕］]")


def stem_key(name: str, category: str) -> str:
    """:func:`match_key` of the name without bracketed 办理项 qualifiers (取水许可（延续） -> 取水许可),
    for matching a 办理项 to its 主项 when the full key finds nothing. A name that is all brackets
    keeps its full key."""
    stem = _BRACKETED.sub("", name)
    return match_key(stem if normalize_name(stem) else name, category)

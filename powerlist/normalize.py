"""Name normalisation, so that 取水许可, 取水許可 and 取水许可（ ） compare equal.

Folds traditional to simplified characters (OpenCC t2s), full/half width (NFKC), and drops
brackets, punctuation and whitespace. Content inside brackets is kept: 取水许可（新办） and
取水许可（延续） stay different powers.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache

import opencc

_T2S = opencc.OpenCC("t2s")


def _keep(ch: str) -> bool:
    cat = unicodedata.category(ch)
    return not (cat[0] in "PZC" or cat in ("Sm", "Sk", "So") or ch.isspace())


@lru_cache(maxsize=262_144)
def normalize_name(name: str) -> str:
    text = unicodedata.normalize("NFKC", name)
    text = _T2S.convert(text)
    return "".join(ch for ch in text if _keep(ch)).lower()


@lru_cache(maxsize=65_536)
def normalize_title(title: str) -> str:
    """Law titles: also drop 《》 and the 中华人民共和国 prefix, as commonly cited."""
    text = normalize_name(title)
    return text.removeprefix("中华人民共和国")

"""The built-in registry of national laws and administrative regulations (and seven provinces'
local regulations), shipped as package data, so a basis citing 中华人民共和国水法 resolves to a
法律 without the catalogue listing it. A catalogue's own laws.yaml always wins (see
:meth:`powerlist.catalog.Catalog.resolve_basis`)."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from importlib import resources

from powerlist.normalize import normalize_title


@dataclass(frozen=True, slots=True)
class RegistryLaw:
    title: str
    level: str  # 宪法 | 法律 | 行政法规 | 部门规章 | 地方性法规
    published: date | None
    effective: date | None
    superseded: bool  # a newer version or a repeal replaced this text (the source mixes the two)
    source: str  # "national" or the province name, e.g. "浙江"


def _date(text: str) -> date | None:
    try:
        return date.fromisoformat(text) if text else None
    except ValueError:
        return None


def _read(name: str, source: str) -> list[RegistryLaw]:
    ref = resources.files("powerlist") / "data" / "laws" / name
    with ref.open("r", encoding="utf-8") as fh:
        return [RegistryLaw(r["title"], r["level"], _date(r["published"]), _date(r["effective"]),
                            r["superseded"] == "1", source) for r in csv.DictReader(fh)]


@lru_cache(maxsize=1)
def all_laws() -> tuple[RegistryLaw, ...]:
    rows = _read("national.csv", "national")
    folder = resources.files("powerlist") / "data" / "laws"
    for item in sorted(folder.iterdir(), key=lambda p: p.name):
        if item.name.startswith("provincial-") and item.name.endswith(".csv"):
            rows += _read(item.name, item.name.removeprefix("provincial-").removesuffix(".csv"))
    return tuple(rows)


@lru_cache(maxsize=1)
def _index() -> dict[str, RegistryLaw]:
    """Normalised title -> the current version (not superseded, latest effective) of that title."""
    out: dict[str, RegistryLaw] = {}
    for law in all_laws():
        key = normalize_title(law.title)
        cur = out.get(key)
        if cur is None or _rank(law) > _rank(cur):
            out[key] = law
    return out


def _rank(law: RegistryLaw) -> tuple[int, date, int]:
    return (0 if law.superseded else 1, law.effective or law.published or date.min, 1 if law.source == "national" else 0)


def lookup(title: str) -> RegistryLaw | None:
    """The registry entry for a title as cited (with or without 《》 and 中华人民共和国)."""
    return _index().get(normalize_title(title))


def search(text: str, limit: int = 20) -> list[RegistryLaw]:
    """Instruments whose normalised title contains every word of ``text``, current versions first."""
    words = [normalize_title(w) for w in text.split() if w.strip()]
    hits = [law for law in _index().values() if all(w in normalize_title(law.title) for w in words)]
    hits.sort(key=lambda law: (law.superseded, len(law.title), law.title))
    return hits[:limit]

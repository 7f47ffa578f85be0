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


# Provincial-level divisions (short name, full name). The registry's provincial files are named by
# the short name; titles and region names start with the full one (浙江省…, 广西壮族自治区…).
PROVINCES: tuple[tuple[str, str], ...] = (
    ("北京", "北京市"), ("天津", "天津市"), ("上海", "上海市"), ("重庆", "重庆市"),
    ("河北", "河北省"), ("山西", "山西省"), ("辽宁", "辽宁省"), ("吉林", "吉林省"), ("黑龙江", "黑龙江省"),
    ("江苏", "江苏省"), ("浙江", "浙江省"), ("安徽", "安徽省"), ("福建", "福建省"), ("江西", "江西省"),
    ("山东", "山东省"), ("河南", "河南省"), ("湖北", "湖北省"), ("湖南", "湖南省"), ("广东", "广东省"),
    ("海南", "海南省"), ("四川", "四川省"), ("贵州", "贵州省"), ("云南", "云南省"), ("陕西", "陕西省"),
    ("甘肃", "甘肃省"), ("青海", "青海省"), ("台湾", "台湾省"), ("内蒙古", "内蒙古自治区"),
    ("广西", "广西壮族自治区"), ("西藏", "西藏自治区"), ("宁夏", "宁夏回族自治区"),
    ("新疆", "新疆维吾尔自治区"), ("香港", "香港特别行政区"), ("澳门", "澳门特别行政区"),
)


def province_of(text: str) -> str | None:
    """The province a title or region name starts with, as a short name (浙江), or None.

    ``浙江省人民政府关于…`` and ``浙江省杭州市`` give 浙江; ``杭州市…`` gives None (a city, not a province).
    """
    head = text.strip().lstrip("《")
    for short, full in PROVINCES:
        if head.startswith(full):
            return short
    return None


def _in_scope(law: RegistryLaw, province: str | None) -> bool:
    """National instruments always apply; another province's local regulations do not."""
    return province is None or law.source in ("national", province)


def lookup(title: str, province: str | None = None) -> RegistryLaw | None:
    """The registry entry for a title as cited (with or without 《》 and 中华人民共和国).

    With ``province`` (a short name such as 浙江), other provinces' local regulations are ignored.
    """
    hit = _index().get(normalize_title(title))
    return hit if hit is not None and _in_scope(hit, province) else None


def search(text: str, limit: int = 20, province: str | None = None) -> list[RegistryLaw]:
    """Instruments whose normalised title contains every word of ``text``, current versions first."""
    words = [normalize_title(w) for w in text.split() if w.strip()]
    hits = [law for law in _index().values()
            if _in_scope(law, province) and all(w in normalize_title(law.title) for w in words)]
    hits.sort(key=lambda law: (law.superseded, len(law.title), law.title))
    return hits[:limit]


@dataclass(frozen=True, slots=True)
class Repeal:
    """A row of ``repeals.csv``: what became of an instrument the registry marks superseded."""

    title: str
    status: str  # repealed | amended
    replaced_by: str
    date: date | None
    source: str  # the provision that repeals it (e.g. the replacing law's 附则 article), or why it is unsure


@lru_cache(maxsize=1)
def _repeals() -> dict[str, Repeal]:
    """Normalised title -> its row in the curated repeal table (package data ``repeals.csv``)."""
    ref = resources.files("powerlist") / "data" / "laws" / "repeals.csv"
    with ref.open("r", encoding="utf-8") as fh:
        rows = [Repeal(r["title"], r["status"], r["replaced_by"], _date(r["date"]), r["source"]) for r in csv.DictReader(fh)]
    return {normalize_title(r.title): r for r in rows}


def repeal_of(title: str) -> Repeal | None:
    """The repeal of ``title`` when the curated table says it was repealed (not merely amended)."""
    hit = _repeals().get(normalize_title(title))
    return hit if hit is not None and hit.status == "repealed" else None


def status_of(law: RegistryLaw) -> str:
    """in_force | amended | repealed for a registry entry: the ``superseded`` flag mixes amended and
    repealed, so the curated repeal table decides; superseded and not known repealed = amended."""
    if not law.superseded:
        return "in_force"
    return "repealed" if repeal_of(law.title) is not None else "amended"


def sources() -> list[str]:
    """The registry's sources: "national" and the provinces it holds local regulations for."""
    return sorted({law.source for law in all_laws()}, key=lambda s: (s != "national", s))

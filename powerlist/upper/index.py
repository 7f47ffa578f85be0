"""Upper-list items indexed by 基本编码 and by name-and-category key, and a local catalogue matched
against them once (every U check reads the same :class:`Matching`).

Matching (issue 13): by code (:func:`powerlist.matchkey.code_key`, exact, never by prefix) when
both sides have one; otherwise by :func:`powerlist.matchkey.match_key` (name folded for
traditional/simplified, width and punctuation, plus category), falling back to the name without
bracketed 办理项 qualifiers (:func:`powerlist.matchkey.stem_key`). Category is part of the key, so
对未经取水许可擅自取水的处罚 never matches 取水许可. A local item whose name matches an upper
item of another category is matched as ``how="category"`` (U002 and nothing else).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from powerlist.catalog import Catalog, Entry
from powerlist.matchkey import code_key, match_key, stem_key
from powerlist.models import Power
from powerlist.normalize import normalize_title
from powerlist.upper.province import Province, of_catalog

# Instruments that can create a power (设定依据); an upper item's basis below these is 实施依据,
# which a local list may restate in its own way.
SETTING_LEVELS = frozenset({"法律", "行政法规", "国务院决定", "地方性法规"})


@dataclass(frozen=True, slots=True)
class Instrument:
    key: str  # normalised title (or document number) — never a laws.yaml id
    title: str  # as the upper list names it, for messages


def instrument_of(cat: Catalog, ref: str) -> tuple[Instrument, str | None, str | None]:
    """The instrument a basis reference names, with its level and issuer level when known:
    resolved through the catalogue (laws.yaml id or title, then the built-in registry), so that
    ``water-law``, 《中华人民共和国水法》 and 水法 are one instrument."""
    hit = cat.resolve_basis(ref)
    if hit is None:
        return Instrument(normalize_title(ref), ref), None, None
    issuer = hit.entry.law.issuer_level if hit.entry is not None else None
    return Instrument(normalize_title(hit.title), hit.title), hit.level, issuer


def _is_setting(level: str | None, issuer: str | None) -> bool:
    if level is None:
        return True  # the upper list named it and we cannot tell: the local list should name it too
    return level in SETTING_LEVELS or (level == "地方政府规章" and issuer in (None, "省级"))


@dataclass(eq=False, slots=True)
class UpperItem:
    entry: Entry
    list: UpperList
    code: str | None
    key: str
    stem: str
    setting: tuple[Instrument, ...]

    @property
    def power(self) -> Power:
        return self.entry.power


@dataclass(eq=False)
class UpperList:
    """One upper catalogue: where it is (``label``, relative to the local catalogue when inside it)."""

    label: str
    catalog: Catalog

    @property
    def province(self) -> Province:
        return of_catalog(self.catalog)


@dataclass(eq=False, slots=True)
class Match:
    """How one local item stands to the upper lists."""

    entry: Entry
    upper: UpperItem | None
    how: str  # "code" | "name" | "category" (same name, other category) | "none"
    conflict: UpperItem | None = None  # U006: the upper item the name says, when the code says another


@dataclass(eq=False)
class Matching:
    matches: list[Match]
    matched: set[int] = field(default_factory=set)  # id() of every upper item some local item matched


class UpperIndex:
    """Every active item of the upper lists, by code, key, stem and name."""

    def __init__(self, lists: list[UpperList], digest: str = "") -> None:
        self.lists = lists
        self.digest = digest  # content of every upper file: part of the result-cache key
        self.items: list[UpperItem] = []
        self.by_code: dict[str, list[UpperItem]] = defaultdict(list)
        self.by_key: dict[str, list[UpperItem]] = defaultdict(list)
        self.by_stem: dict[str, list[UpperItem]] = defaultdict(list)
        self.by_name: dict[str, list[UpperItem]] = defaultdict(list)
        for lst in lists:
            for e in lst.catalog.active_items:
                self._add(lst, e)
        self.categories = frozenset(i.power.category for i in self.items)
        self._memo: tuple[Catalog, Matching] | None = None

    def _add(self, lst: UpperList, e: Entry) -> None:
        p = e.power
        setting: list[Instrument] = []
        for b in p.basis:
            inst, level, issuer = instrument_of(lst.catalog, b.law)
            if _is_setting(level, issuer) and inst not in setting:
                setting.append(inst)
        item = UpperItem(e, lst, code_key(p.code), match_key(p.name, p.category), stem_key(p.name, p.category),
                         tuple(setting))
        self.items.append(item)
        if item.code is not None:
            self.by_code[item.code].append(item)
        self.by_key[item.key].append(item)
        self.by_stem[item.stem].append(item)
        self.by_name[stem_key(p.name, "")].append(item)

    def _by_name(self, key: str, stem: str) -> list[UpperItem]:
        return self.by_key.get(key) or self.by_stem.get(key) or self.by_stem.get(stem) or []

    def match(self, e: Entry) -> Match:
        p = e.power
        code = code_key(p.code)
        key, stem = match_key(p.name, p.category), stem_key(p.name, p.category)
        named = self._by_name(key, stem)
        coded = self.by_code.get(code, []) if code is not None else []
        if coded:
            best = next((u for u in coded if u in named), coded[0])
            other = next((u for u in named if u.code is not None and u.code != code), None)
            return Match(e, best, "code", other if best not in named else None)
        if named:
            best = named[0]
            wrong = best if code is not None and best.code is not None and best.code != code else None
            return Match(e, best, "name", wrong)
        loose = self.by_name.get(stem_key(p.name, ""), [])
        if loose:
            return Match(e, loose[0], "category")
        return Match(e, None, "none")

    def matching(self, cat: Catalog) -> Matching:
        """Every active local item matched (computed once per catalogue; the U checks share it)."""
        if self._memo is not None and self._memo[0] is cat:
            return self._memo[1]
        out = Matching([self.match(e) for e in cat.active_items])
        out.matched = {id(m.upper) for m in out.matches if m.upper is not None}
        self._memo = (cat, out)
        return out

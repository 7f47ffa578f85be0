"""U: a local list against the upper-level list (issue 13; 国办发〔2022〕2号).

Since 国办发〔2022〕2号 every province publishes a 行政许可事项清单 and every city and county compiles
its own from it: a licence outside the list is not exercised, and one item keeps one name, type,
basis and code, managed at one level. The upper lists come from ``[upper] catalogues`` or
``--upper`` (:mod:`powerlist.upper`); without them these checks yield nothing. Items match as
:mod:`powerlist.upper.index` says (code exactly, else folded name plus category).

Severities: a clear breach of the upper list (an item it does not carry, another category, a
longer limit, a dropped 设定依据, a code of another item, an item of another level) is an error;
a name that differs (the same item, written otherwise) and an item the local list lacks (to review:
the level assignment of the upper list is broad, and a lack exercises nothing unlawfully) are warnings.
"""

from __future__ import annotations

from collections.abc import Iterator

from powerlist.catalog import Catalog, Entry
from powerlist.checks.base import Finding, check
from powerlist.diagnostics import Severity
from powerlist.i18n import T, Text, duration
from powerlist.matchkey import stem_key
from powerlist.upper.index import Match, Matching, UpperIndex, UpperItem, instrument_of
from powerlist.upper.province import is_own_local_instrument, of_catalog

CITE_LIST = T("《国务院办公厅关于全面实行行政许可事项清单管理的通知》（国办发〔2022〕2号）：清单之外一律不得违法实施行政许可",
              "State Council General Office notice 国办发〔2022〕2号: no licence may be exercised outside the list")
CITE_SAME = T("国办发〔2022〕2号：同一事项同名称、同类型、同依据、同编码",
              "国办发〔2022〕2号: one item has one name, one type, one basis, one code")
CITE_LEVEL = T("国办发〔2022〕2号：市县同一事项在同层级同要素管理",
               "国办发〔2022〕2号: cities and counties manage one item at one level with the same elements")


def _index(cat: Catalog) -> UpperIndex | None:
    return cat.upper if isinstance(cat.upper, UpperIndex) else None


def _matching(cat: Catalog) -> Matching | None:
    idx = _index(cat)
    return idx.matching(cat) if idx is not None else None


def _compared(cat: Catalog) -> Iterator[tuple[Match, UpperItem]]:
    """Local items matched to one upper item by code or name (not those whose code and name point
    at two different upper items: U006 says so, and comparing with either would mislead)."""
    m = _matching(cat)
    if m is None:
        return
    for x in m.matches:
        if x.upper is not None and x.how in ("code", "name") and not (x.how == "code" and x.conflict is not None):
            yield x, x.upper


def _where(u: UpperItem) -> Text:
    return T(f"上级清单（{u.list.label}）的 {u.entry.label}", f"{u.entry.label} of the upper list ({u.list.label})")


def _provincial_basis(cat: Catalog, e: Entry) -> bool:
    province = of_catalog(cat)
    for b in e.power.basis:
        ref = cat.resolved_basis.get(b.law) or cat.resolve_basis(b.law)
        if ref is not None and is_own_local_instrument(ref, province):
            return True
    return False


@check(
    "U001", "not-on-upper-list",
    summary=T("事项不在上级清单中，也无本省地方性法规或省级政府规章依据",
              "The item is not on the upper list and rests on no local regulation or provincial rule of its own province"),
    citation=T(CITE_LIST.zh + "；《中华人民共和国行政许可法》第十五条", CITE_LIST.en + "; Administrative Licensing Law art 15"),
    explanation=T("只检查上级清单涵盖的类别（上级清单只列行政许可时，行政处罚、行政检查等不在其范围）。"
                  "依据中有本省地方性法规或省级地方政府规章的，是法律允许的地方增设事项，不报告。",
                  "Only categories the upper list covers are judged (a licence list says nothing about penalties "
                  "or inspections). An item resting on its own province's 地方性法规 or provincial 地方政府规章 is "
                  "a local addition the law allows and passes."),
    example="# upper list: no 取水许可; laws.yaml: water-law (法律)\nname: 取水许可\ncategory: 行政许可\n"
            "basis: [{law: water-law}]\n",
)
def not_on_upper_list(cat: Catalog) -> Iterator[Finding]:
    """An active local item of a category the upper lists cover that matches no upper item (by
    code, name or name in another category) and has no basis of its own province's local level."""
    idx, m = _index(cat), _matching(cat)
    if idx is None or m is None:
        return
    for x in m.matches:
        p = x.entry.power
        if x.how != "none" or p.category not in idx.categories or _provincial_basis(cat, x.entry):
            continue
        yield Finding(x.entry, ("name",), T(
            f"「{p.name}」（{p.category}）不在上级清单中，依据中也没有本省地方性法规或省级政府规章：清单之外不得实施",
            f"'{p.name}' ({p.category}) is on no upper list and rests on no local regulation or provincial rule "
            f"of this province: it may not be exercised outside the list"))


@check(
    "U002", "upper-category-differs",
    summary=T("与上级清单同一事项的职权类别不同", "The category differs from the upper list's item"),
    citation=CITE_SAME,
    example="# upper list: 取水许可 (行政许可)\nname: 取水许可\ncategory: 行政确认\n",
)
def upper_category_differs(cat: Catalog) -> Iterator[Finding]:
    """A local item matched by code, or by name alone, to an upper item of another category."""
    m = _matching(cat)
    if m is None:
        return
    for x in m.matches:
        u = x.upper
        if u is None or (x.conflict is not None and x.how == "code") or u.power.category == x.entry.power.category:
            continue
        yield Finding(x.entry, ("category",), T(
            f"{_where(u).zh}「{u.power.name}」为{u.power.category}，此处为{x.entry.power.category}",
            f"{_where(u).en} '{u.power.name}' is {u.power.category}, here {x.entry.power.category}"),
            related=[u.entry])


@check(
    "U003", "upper-name-differs",
    summary=T("与上级清单同一事项（同编码）的名称不同", "The name differs from the upper list's item with the same code"),
    severity=Severity.WARNING,
    citation=CITE_SAME,
    explanation=T("按规范化名称比较（繁简、全半角、标点不计；括号内的办理项限定语不计）。",
                  "Names compare folded (traditional/simplified, width, punctuation; bracketed handling-item "
                  "qualifiers left out)."),
    example="# upper list: code 000172001000 取水许可\ncode: \"000172001000\"\nname: 取用水资源许可\n",
)
def upper_name_differs(cat: Catalog) -> Iterator[Finding]:
    """A local item matched by code whose folded name (without bracketed qualifiers) is not the
    upper item's: the message names the upper name."""
    for x, u in _compared(cat):
        p = x.entry.power
        if x.how != "code" or stem_key(p.name, "") == stem_key(u.power.name, ""):
            continue
        yield Finding(x.entry, ("name",), T(
            f"{_where(u).zh}名称为「{u.power.name}」，此处为「{p.name}」：同一事项应同名称",
            f"{_where(u).en} is named '{u.power.name}', here '{p.name}': one item has one name"), related=[u.entry])


@check(
    "U004", "time-limit-exceeds-upper",
    summary=T("法定办结时限长于上级清单", "The statutory time limit is longer than the upper list's"),
    citation=T(CITE_LEVEL.zh + "；《中华人民共和国行政许可法》第四十二条",
               CITE_LEVEL.en + "; Administrative Licensing Law art 42"),
    explanation=T("只在两边都写了法定时限且单位相同时比较。",
                  "Compared only when both state a statutory limit in the same unit."),
    example="# upper list: 取水许可 statutory 20\nname: 取水许可\ntime_limit: {statutory: 30}\n",
)
def time_limit_exceeds_upper(cat: Catalog) -> Iterator[Finding]:
    """``time_limit.statutory`` above the matched upper item's, both in the same unit."""
    for x, u in _compared(cat):
        mine, theirs = x.entry.power.time_limit, u.power.time_limit
        if mine is None or theirs is None or mine.statutory is None or theirs.statutory is None:
            continue
        if mine.unit != theirs.unit or mine.statutory <= theirs.statutory:
            continue
        ours, upper = duration(mine.statutory, mine.unit), duration(theirs.statutory, mine.unit)
        yield Finding(x.entry, ("time_limit", "statutory"), T(
            f"法定时限{ours.zh}，长于{_where(u).zh}的{upper.zh}",
            f"statutory limit {ours.en} exceeds {upper.en} of {_where(u).en}"), related=[u.entry])


@check(
    "U005", "drops-upper-basis",
    summary=T("缺少上级清单同一事项的设定依据", "The basis drops an instrument that creates the upper list's item"),
    citation=CITE_SAME,
    explanation=T("按文件比较（解析为法规名称，不论写法或本目录 laws.yaml 的 id）。上级清单中的规章、规范性文件"
                  "视为实施依据，不要求照列。",
                  "Compared by instrument (resolved to its title, whatever the wording or laws.yaml id). Rules "
                  "and normative documents in the upper basis are 实施依据 and need not be repeated."),
    example="# upper list basis: 中华人民共和国水法, 取水许可和水资源费征收管理条例\nname: 取水许可\n"
            "basis: [{law: water-law}]\n",
)
def drops_upper_basis(cat: Catalog) -> Iterator[Finding]:
    """Each instrument of the upper item's basis at a level that can create the power (法律,
    行政法规, 国务院决定, 地方性法规, provincial 地方政府规章, or unresolved) that the local basis
    does not name."""
    for x, u in _compared(cat):
        if not u.setting:
            continue
        mine = {instrument_of(cat, b.law)[0].key for b in x.entry.power.basis}
        for inst in u.setting:
            if inst.key not in mine:
                yield Finding(x.entry, ("basis",), T(
                    f"依据中缺少{_where(u).zh}的设定依据《{inst.title}》",
                    f"the basis lacks 《{inst.title}》, which creates {_where(u).en}"), related=[u.entry])


@check(
    "U006", "code-of-other-upper-item",
    summary=T("基本编码属于上级清单中的另一事项", "The basic code belongs to another upper-list item than the name"),
    citation=T(CITE_SAME.zh + "；GB/T 39554.1—2020", CITE_SAME.en + "; GB/T 39554.1-2020"),
    explanation=T("编码按全文比较（折叠全半角和连字符），不按前缀：两个事项可以共享编码前缀。",
                  "Codes compare whole (width and dashes folded), never by prefix: two items may share a prefix."),
    example="# upper list: 000172001000 取水许可; 000172002000 河道采砂许可\nname: 取水许可\ncode: \"000172002000\"\n",
)
def code_of_other_upper_item(cat: Catalog) -> Iterator[Finding]:
    """The local code names one upper item while the name (and category) names another, or the
    name-matched upper item carries a code the local item does not."""
    m = _matching(cat)
    if m is None:
        return
    for x in m.matches:
        other = x.conflict
        if other is None or x.upper is None:
            continue
        p = x.entry.power
        if x.how == "code":
            msg = T(f"基本编码「{p.code}」属于{_where(x.upper).zh}「{x.upper.power.name}」，"
                    f"而名称对应{_where(other).zh}（编码「{other.power.code}」）",
                    f"basic code '{p.code}' is {_where(x.upper).en} '{x.upper.power.name}', but the name is "
                    f"{_where(other).en} (code '{other.power.code}')")
        else:
            msg = T(f"{_where(other).zh}「{other.power.name}」的基本编码为「{other.power.code}」，此处为「{p.code}」",
                    f"{_where(other).en} '{other.power.name}' has basic code '{other.power.code}', here '{p.code}'")
        yield Finding(x.entry, ("code",), msg, related=[other.entry])


def _level(cat: Catalog, e: Entry) -> str | None:
    body = cat.body_by_id.get(e.power.body)
    return body.body.level if body is not None else None


@check(
    "U007", "level-not-assigned-by-upper",
    summary=T("上级清单未将该事项划给本层级", "The upper list does not assign the item to this level"),
    citation=CITE_LEVEL,
    explanation=T("上级事项写了 levels（省级、市级、县级、乡级）时，实施主体的层级须在其中。",
                  "When the upper item states `levels`, the implementing body's level must be among them."),
    example="# upper list: 取水许可 levels: [省级]\nname: 取水许可\nbody: city-water   # 市级\n",
)
def level_not_assigned_by_upper(cat: Catalog) -> Iterator[Finding]:
    """A matched item whose body's level is not in the upper item's non-empty ``levels``."""
    for x, u in _compared(cat):
        level = _level(cat, x.entry)
        if not u.power.levels or level is None or level in u.power.levels:
            continue
        yield Finding(x.entry, ("body",), T(
            f"{_where(u).zh}划给{'、'.join(u.power.levels)}，实施主体为{level}",
            f"{_where(u).en} is assigned to {', '.join(u.power.levels)}; the body is {level}"), related=[u.entry])


def own_levels(cat: Catalog) -> set[str]:
    """This list's level: [upper] level, else the highest configured level among its active bodies."""
    if cat.settings.upper_level:
        return {cat.settings.upper_level}
    held = {b.body.level for b in cat.bodies if b.body.status == "active"}
    for level in cat.settings.levels:
        if level in held:
            return {level}
    return set()


@check(
    "U008", "missing-upper-item",
    summary=T("上级清单划给本层级的事项本级清单没有（漏项）",
              "An upper-list item assigned to this level is missing from the local list"),
    severity=Severity.WARNING,
    citation=CITE_LEVEL,
    explanation=T("问题报告在上级清单的事项上（entry 为上级事项的 id）。本级层级取 [upper] level，"
                  "否则取本目录在用主体中最高的层级。",
                  "Reported on the upper item (entry is the upper item's id). This list's level is [upper] level, "
                  "else the highest level among its active bodies."),
    example="# upper list: 取水许可 levels: [市级, 县级]; the city list has no 取水许可\n",
)
def missing_upper_item(cat: Catalog) -> Iterator[Finding]:
    """Each active upper item whose ``levels`` include this list's level and that no local item
    matched (by code, name, or name in another category)."""
    idx, m = _index(cat), _matching(cat)
    if idx is None or m is None:
        return
    levels = own_levels(cat)
    for u in idx.items:
        if id(u) in m.matched or not levels.intersection(u.power.levels):
            continue
        yield Finding(u.entry, ("name",), T(
            f"上级清单（{u.list.label}）将「{u.power.name}」（{u.power.category}）划给{'、'.join(sorted(levels))}，本级清单没有",
            f"the upper list ({u.list.label}) assigns '{u.power.name}' ({u.power.category}) to "
            f"{', '.join(sorted(levels))}; this list lacks it"))

"""C: category — the power to create (设定权) and misclassified items.

Power to create (C001–C008): each kind of power may be created only by instruments of certain
levels (行政许可法 第十四条至第十七条, 行政处罚法 第十条至第十六条, 行政强制法 第十条、第十三条).
These checks judge a power by the levels of its basis instruments, resolved through laws.yaml
first and the built-in registry second (:meth:`Catalog.resolve_basis`). A power with a basis
reference that resolves nowhere is skipped: its real level is unknown, and B checks report the
reference itself. A power with no basis at all is B's as well.

Misclassification (C010–C012): the name says one thing, the category another. These are
warnings that give the reason; names are matched after folding traditional characters and
full-width forms (``normalize_name``).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date

from powerlist import lawdb
from powerlist.catalog import Catalog, Entry, LawRef
from powerlist.checks.base import Finding, check
from powerlist.checks.schema import categorised
from powerlist.diagnostics import Severity
from powerlist.i18n import T, Text, cite
from powerlist.normalize import normalize_name

LICENCE = "行政许可"
PENALTY = "行政处罚"

LAW, REGULATION, LOCAL_REGULATION, RULE, DOCUMENT = 4, 3, 2, 1, 0
# Ranks of basis levels. A 国务院决定 is absent: it is no 法规, and its rank depends on the kind of
# power (DECISION_RANK).
RANK = {"法律": LAW, "行政法规": REGULATION, "地方性法规": LOCAL_REGULATION, "部门规章": RULE, "地方政府规章": RULE,
        "规范性文件": DOCUMENT}
DECISION = "国务院决定"
LICENSING, PENALTIES, COMPULSION = "licence", "penalty", "compulsion"
# Only 许可法 第十四条第二款 lets a 国务院决定 create something (a licence, 必要时). For penalties
# (处罚法 第十六条: 法律、法规、规章以外的其他规范性文件) and compulsory measures (强制法 第十条第四款:
# 法律、法规以外的其他规范性文件) it is one of those other normative documents.
DECISION_RANK = {LICENSING: REGULATION, PENALTIES: DOCUMENT, COMPULSION: DOCUMENT}
LEVELS = {*RANK, DECISION}
LEVEL_EN = {
    "法律": "law", "行政法规": "administrative regulation", "国务院决定": "State Council decision",
    "地方性法规": "local regulation", "部门规章": "departmental rule", "地方政府规章": "local government rule",
    "规范性文件": "normative document",
}
CITE_LICENSING = T("《中华人民共和国行政许可法》第十四条、第十五条、第十七条",
                   "Administrative Licensing Law (《中华人民共和国行政许可法》), articles 14, 15 and 17")
CITE_GUIDANCE = T("《关于推行地方各级政府工作部门权力清单制度的指导意见》（中办发〔2015〕21号）",
                  "2015 national guidance on power lists (中办发〔2015〕21号)")


# ----------------------------------------------------------------------------- basis levels


@dataclass(frozen=True, slots=True)
class Instrument:
    """One resolved basis instrument, with what the power-to-create rules need to know."""

    title: str
    level: str
    provincial: bool | None  # 地方政府规章 only: made by a provincial government (None: unknown)
    effective: date | None
    entry: Entry | None  # the laws.yaml entry, when the catalogue lists it

    def rank(self, kind: str) -> int:
        """The level's rank for creating ``kind`` (LICENSING, PENALTIES or COMPULSION)."""
        return DECISION_RANK[kind] if self.level == DECISION else RANK[self.level]


_CITY_RE = re.compile(r"^《?[^《》省]{1,12}?(市|自治州|盟)")


def _provincial(ref: LawRef) -> bool | None:
    """Whether a 地方政府规章 was made by a provincial government: laws.yaml ``issuer_level`` when given,
    else the title (浙江省… is provincial, 杭州市… is not)."""
    if ref.entry is not None and ref.entry.law.issuer_level is not None:
        return ref.entry.law.issuer_level == "省级"
    if lawdb.province_of(ref.title) is not None:
        return True
    return False if _CITY_RE.match(ref.title) else None


class Bases:
    """Resolves powers' basis references once per reference (the same law is cited thousands of times)."""

    def __init__(self, cat: Catalog) -> None:
        self.cat = cat
        self._memo: dict[str, Instrument | None] = {}

    def _resolve(self, ref: str) -> Instrument | None:
        if ref not in self._memo:
            hit = self.cat.resolve_basis(ref)
            if hit is None or hit.level not in LEVELS:
                self._memo[ref] = None
            else:
                law = hit.entry.law if hit.entry is not None else None
                self._memo[ref] = Instrument(hit.title, hit.level, _provincial(hit) if hit.level == "地方政府规章" else None,
                                             law.effective if law else None, hit.entry)
        return self._memo[ref]

    def of(self, e: Entry) -> list[Instrument] | None:
        """Every basis instrument of ``e``, or None when it has none or one does not resolve."""
        out: list[Instrument] = []
        for b in e.power.basis:
            inst = self._resolve(b.law)
            if inst is None:
                return None
            out.append(inst)
        return out or None


def _top(insts: list[Instrument], kind: str) -> int:
    return max(i.rank(kind) for i in insts)


def _decision_note(insts: list[Instrument]) -> Text:
    """Why a 国务院决定 among the bases did not count (penalties and compulsory measures)."""
    if not any(i.level == DECISION for i in insts):
        return T("", "")
    art = cite("licensing", "第十四条第二款", "article 14(2)")
    return T(f"；国务院决定不是法律、法规，只有{art.zh}允许其设定行政许可",
             f"; a State Council decision is neither a law nor a regulation: only {art.en} "
             "lets it create something (a licence)")


def _describe(insts: list[Instrument]) -> Text:
    shown = insts[:3]
    zh = "、".join(f"{i.level}《{i.title}》" for i in shown)
    en = ", ".join(f"{LEVEL_EN[i.level]} 《{i.title}》" for i in shown)
    if len(insts) > len(shown):
        zh += f"等 {len(insts)} 件"
        en += f" and {len(insts) - len(shown)} more"
    return T(zh, en)


def _related(insts: list[Instrument]) -> list[Entry]:
    seen: dict[int, Entry] = {}
    for i in insts:
        if i.entry is not None:
            seen.setdefault(id(i.entry), i.entry)
    return list(seen.values())


def _finding(e: Entry, insts: list[Instrument], message: Text) -> Finding:
    return Finding(e, ("basis",), message, related=_related(insts), at="key")


def _text(e: Entry) -> str:
    """Name and sub-items, folded for keyword matching."""
    return normalize_name("；".join([e.power.name, *e.power.sub_item_names()]))


def _powers(cat: Catalog, category: str) -> Iterator[Entry]:
    return (e for e in cat.active_powers if e.power.category == category)


def _is_compulsory(category: str) -> bool:
    # Local catalogues may split the category into 行政强制措施 and 行政强制执行.
    return category.startswith("行政强制")


# ----------------------------------------------------------------------------- licences


@check(
    "C001", "licence-below-floor",
    summary=T("行政许可的设定依据层级不够", "A licence rests on instruments that cannot create licences"),
    citation=CITE_LICENSING,
    explanation=T("行政许可只能由法律、行政法规、国务院决定、地方性法规设定，省级人民政府规章可以设定临时性的行政许可；"
                  "部门规章、设区的市政府规章和其他规范性文件一律不得设定行政许可。",
                  "Only laws, administrative regulations, State Council decisions and local regulations create licences; "
                  "a provincial government rule may create a temporary one. Departmental rules, rules of cities and other "
                  "normative documents may not create licences at all."),
    example="id: SC-XK-001\nname: 某某经营许可\ncategory: 行政许可\nbasis:\n  - law: 某某管理办法   # 部门规章\n",
)
def licence_below_floor(cat: Catalog) -> Iterator[Finding]:
    """A 行政许可 must rest on at least one 法律, 行政法规, 国务院决定, 地方性法规 or provincial 地方政府规章.

    Fails: basis only 部门规章, or only a 地方政府规章 of a districted city (laws.yaml
    ``issuer_level: 设区的市级``, or a title starting with a city name). Passes: any basis of those
    levels, or a provincial rule (then C002 watches the one-year limit). A basis of 规范性文件 only
    is C006's finding, not this one.
    """
    bases = Bases(cat)
    for e in _powers(cat, LICENCE):
        insts = bases.of(e)
        if insts is None or _top(insts, LICENSING) == DOCUMENT or _top(insts, LICENSING) >= LOCAL_REGULATION:
            continue
        if any(i.level == "地方政府规章" and i.provincial is not False for i in insts):
            continue
        d = _describe(insts)
        yield _finding(e, insts, T(
            f"行政许可「{e.power.name}」的依据只有{d.zh}，不能设定行政许可；须有法律、行政法规、国务院决定、地方性法规"
            f"或省级政府规章（《中华人民共和国行政许可法》第十四条、第十五条、第十七条）",
            f"licence '{e.power.name}' rests only on {d.en}, which cannot create a licence; it needs a law, an "
            f"administrative regulation, a State Council decision, a local regulation or a provincial government rule "
            f"(Administrative Licensing Law, articles 14, 15 and 17)"))


def _anniversary(start: date) -> date:
    try:
        return start.replace(year=start.year + 1)
    except ValueError:  # 29 February
        return date(start.year + 1, 3, 1)


@check(
    "C002", "temporary-licence-over-one-year", severity=Severity.WARNING,
    summary=T("省级政府规章设定的临时性行政许可已实施满一年",
              "A temporary licence created by a provincial rule has run for a year or more"),
    citation=T("《中华人民共和国行政许可法》第十五条", "Administrative Licensing Law (《中华人民共和国行政许可法》), article 15"),
    explanation=T("省级人民政府规章设定的临时性行政许可实施满一年需要继续实施的，应当提请本级人民代表大会及其常务委员会"
                  "制定地方性法规。规章的施行日期取自 laws.yaml 的 effective。",
                  "A temporary licence created by a provincial government rule that is to continue after one year must be "
                  "put to the provincial people's congress as a local regulation. The rule's start is laws.yaml `effective`."),
    example="# laws.yaml: {id: zj-rule, title: 浙江省某某管理办法, level: 地方政府规章, issuer_level: 省级,"
            " effective: 2020-01-01}\nid: ZJ-XK-001\nname: 某某临时许可\ncategory: 行政许可\nbasis:\n  - law: zj-rule\n",
    dated=True,
)
def temporary_licence_over_one_year(cat: Catalog, today: date | None = None) -> Iterator[Finding]:
    """A licence whose highest basis is a provincial 地方政府规章 (no law, regulation, decision or
    local regulation) is temporary; from the anniversary of the rule's ``effective`` date it is
    reported. Rules without ``effective`` cannot be judged and pass; so does a rule younger than a
    year. A rule whose issuer is unknown (no ``issuer_level``, title without a province) is
    reported too, with a note: if a city made it, it could not create a licence at all.
    ``today`` is the review date the engine passes (``--as-of``; default today).
    """
    today = today or date.today()
    bases = Bases(cat)
    for e in _powers(cat, LICENCE):
        insts = bases.of(e)
        if insts is None or _top(insts, LICENSING) >= LOCAL_REGULATION:
            continue
        rules = [i for i in insts if i.level == "地方政府规章" and i.provincial is not False and i.effective is not None]
        if not rules:
            continue
        first = min(rules, key=lambda i: i.effective or date.max)
        assert first.effective is not None
        if today < _anniversary(first.effective):
            continue
        note = (T("", "") if first.provincial else
                T("；如该规章不是省级政府制定的，则根本不能设定行政许可（第十五条、第十七条）",
                  "; if a city rather than the province made the rule, it cannot create a licence at all (articles 15 "
                  "and 17)"))
        yield _finding(e, rules, T(
            f"行政许可「{e.power.name}」只由政府规章《{first.title}》（{first.effective} 施行）设定，临时性行政许可已实施满一年，"
            f"需要继续实施的应当制定地方性法规（《中华人民共和国行政许可法》第十五条）{note.zh}",
            f"licence '{e.power.name}' rests only on the government rule 《{first.title}》 (in force since "
            f"{first.effective}): a temporary licence that continues after one year needs a local regulation "
            f"(Administrative Licensing Law, article 15){note.en}"))


# ----------------------------------------------------------------------------- penalties

_LIBERTY_PENALTY = re.compile(r"拘留(?!所)|限制人身自由")
_REVOKE_BUSINESS = re.compile(r"吊销.{0,6}?营业执照")
# Kinds of penalty beyond 警告, 通报批评 and 罚款 (行政处罚法 第九条), less the two C003/C004 watch.
_HEAVY_PENALTY = re.compile(r"没收|暂扣|吊销|降低资质等级|责令停产停业|责令停业|停产停业|责令关闭|限制开展生产经营活动|限制从业")


def _penalties_below(cat: Catalog, kind: re.Pattern[str], floor: int) -> Iterator[tuple[Entry, list[Instrument], Text]]:
    """Penalties whose name or sub-items match ``kind`` and whose highest basis ranks below ``floor``,
    with their bases and a description of them."""
    bases = Bases(cat)
    for e in _powers(cat, PENALTY):
        if kind.search(_text(e)):
            insts = bases.of(e)
            if insts is not None and _top(insts, PENALTIES) < floor:
                yield e, insts, _describe(insts)


@check(
    "C003", "liberty-penalty-without-law",
    summary=T("限制人身自由的行政处罚没有法律依据", "A penalty restricting personal liberty has no law as its basis"),
    citation=T("《中华人民共和国行政处罚法》第十条", "Administrative Penalty Law (《中华人民共和国行政处罚法》), article 10"),
    explanation=T("限制人身自由的行政处罚（行政拘留）只能由法律设定。",
                  "A penalty restricting personal liberty (administrative detention) can only be created by a law."),
    example="id: GA-CF-001\nname: 行政拘留\ncategory: 行政处罚\nbasis:\n  - law: 某某省治安管理条例   # 地方性法规\n",
)
def liberty_penalty_without_law(cat: Catalog) -> Iterator[Finding]:
    """A 行政处罚 whose name or sub-items mention 拘留 or 限制人身自由 needs a 法律 among its bases
    (e.g. 治安管理处罚法). 拘留所 (the facility) is not a penalty and does not count."""
    for e, insts, d in _penalties_below(cat, _LIBERTY_PENALTY, LAW):
        note = _decision_note(insts)
        yield _finding(e, insts, T(
            f"「{e.power.name}」限制人身自由，只能由法律设定，但依据只有{d.zh}{note.zh}（《中华人民共和国行政处罚法》第十条）",
            f"'{e.power.name}' restricts personal liberty, which only a law can create, but it rests only on {d.en}"
            f"{note.en} (Administrative Penalty Law, article 10)"))


@check(
    "C004", "business-licence-revocation-below-regulation",
    summary=T("吊销营业执照的行政处罚没有法律、行政法规依据",
              "Revoking a business licence rests on neither a law nor an administrative regulation"),
    citation=T("《中华人民共和国行政处罚法》第十一条、第十二条、第十六条",
               "Administrative Penalty Law (《中华人民共和国行政处罚法》), articles 11, 12 and 16"),
    explanation=T("地方性法规可以设定除限制人身自由、吊销营业执照以外的行政处罚；吊销营业执照须有法律或者行政法规依据。"
                  "国务院决定不是行政法规：法律、法规、规章以外的其他规范性文件不得设定行政处罚（第十六条）。",
                  "Local regulations may create any penalty except restricting liberty and revoking a business licence; "
                  "revoking a business licence needs a law or an administrative regulation. A State Council decision is "
                  "not an administrative regulation: documents other than laws, regulations and rules create no penalty "
                  "(article 16)."),
    example="id: SC-CF-009\nname: 吊销营业执照\ncategory: 行政处罚\nbasis:\n  - law: 某某市市场管理条例   # 地方性法规\n",
)
def business_licence_revocation_below_regulation(cat: Catalog) -> Iterator[Finding]:
    """A 行政处罚 whose name or sub-items say 吊销…营业执照 needs a 法律 or 行政法规 among its bases;
    a 国务院决定 does not count (处罚法 第十六条)."""
    for e, insts, d in _penalties_below(cat, _REVOKE_BUSINESS, REGULATION):
        note = _decision_note(insts)
        yield _finding(e, insts, T(
            f"「{e.power.name}」含吊销营业执照，须由法律或行政法规设定，但依据只有{d.zh}{note.zh}"
            f"（《中华人民共和国行政处罚法》第十一条、第十二条、第十六条）",
            f"'{e.power.name}' revokes a business licence, which needs a law or an administrative regulation, but it "
            f"rests only on {d.en}{note.en} (Administrative Penalty Law, articles 11, 12 and 16)"))


# 没收违法所得 is general (处罚法 第二十八条第二款): a rule listing it applies the law, it creates nothing.
# 没收违法所得和非法财物 still confiscates property, so only the bare phrase is dropped.
_ILLEGAL_GAINS = re.compile(r"没收违法所得(?![和及与或]?(没收)?非法财物)")


def _heavy_kinds(e: Entry) -> list[str]:
    """Kinds of penalty beyond 警告, 通报批评, 罚款 named by ``e``, less those C003/C004 judge and 没收违法所得."""
    text = _ILLEGAL_GAINS.sub("", _LIBERTY_PENALTY.sub("", _REVOKE_BUSINESS.sub("", _text(e))))
    return list(dict.fromkeys(m.group() for m in _HEAVY_PENALTY.finditer(text)))


@check(
    "C005", "rule-penalty-beyond-warning-or-fine",
    summary=T("规章设定了警告、通报批评、罚款以外的行政处罚",
              "A penalty resting only on rules goes beyond warning, public criticism and fines"),
    citation=T("《中华人民共和国行政处罚法》第十三条、第十四条、第二十八条第二款",
               "Administrative Penalty Law (《中华人民共和国行政处罚法》), articles 13, 14 and 28(2)"),
    explanation=T("部门规章和地方政府规章只能设定警告、通报批评或者一定数额罚款的行政处罚；暂扣许可证件、降低资质等级、"
                  "吊销许可证件、责令停产停业、责令关闭、限制从业、没收非法财物等须有法律、法规依据。"
                  "没收违法所得不在此列：第二十八条第二款规定当事人有违法所得的，除依法应当退赔的外，应当予以没收。",
                  "Departmental and local government rules may only create warnings, public criticism and fines within "
                  "set amounts; suspending or revoking a permit, lowering a qualification, ordering suspension of "
                  "production or business, closure, restricting practice or confiscating unlawful property need a law "
                  "or regulation. Confiscating illegal gains is not judged: article 28(2) makes it general."),
    example="id: SC-CF-010\nname: 责令停产停业\ncategory: 行政处罚\nbasis:\n  - law: 某某管理办法   # 部门规章\n",
)
def rule_penalty_beyond_warning_or_fine(cat: Catalog) -> Iterator[Finding]:
    """A 行政处罚 whose highest basis is a 规章 (部门规章 or 地方政府规章; a 国务院决定 beside it does not
    count, 处罚法 第十六条) and whose name or sub-items name a heavier kind (没收, 暂扣, 吊销, 降低资质等级,
    责令停产停业, 责令关闭, 限制开展生产经营活动, 限制从业). 没收违法所得 alone passes (第二十八条第二款).
    Names that state no kind (对…行为的处罚) cannot be judged and pass. 吊销营业执照 and 拘留 are left
    to C004 and C003."""
    bases = Bases(cat)
    for e in _powers(cat, PENALTY):
        kinds = _heavy_kinds(e)
        if not kinds:
            continue
        insts = bases.of(e)
        if insts is None or _top(insts, PENALTIES) != RULE:
            continue
        d, note = _describe(insts), _decision_note(insts)
        yield _finding(e, insts, T(
            f"「{e.power.name}」含{'、'.join(f'「{k}」' for k in kinds)}，规章只能设定警告、通报批评、罚款，但依据只有{d.zh}"
            f"{note.zh}（《中华人民共和国行政处罚法》第十三条、第十四条）",
            f"'{e.power.name}' includes {', '.join(repr(k) for k in kinds)}, but it rests only on {d.en}{note.en}; rules "
            f"may only create warnings, public criticism and fines (Administrative Penalty Law, articles 13 and 14)"))


# ----------------------------------------------------------------------------- compulsory measures

_ENFORCEMENT = re.compile(r"强制执行|代履行|加处罚款|滞纳金|划拨|强制拆除|拍卖")
_COURT = re.compile(r"申请(人民)?法院")
_LIBERTY_MEASURE = re.compile(r"人身自由|约束|留置|隔离|戒毒|带离")
_FREEZE = re.compile(r"冻结")


def _is_enforcement(e: Entry) -> bool:
    """行政强制执行 (rather than a 强制措施): by category, or by an enforcement word in the name; applying
    to a court for enforcement is not itself an enforcement power."""
    if not _is_compulsory(e.power.category):
        return False
    text = _text(e)
    if _COURT.search(text):
        return False
    return e.power.category == "行政强制执行" or bool(_ENFORCEMENT.search(text))


def is_compulsory_measure(e: Entry) -> bool:
    """A 行政强制措施: a power of a 行政强制 category that is not an enforcement (see C008)."""
    return _is_compulsory(e.power.category) and not _is_enforcement(e)


@dataclass(frozen=True, slots=True)
class Floor:
    """What a kind of power needs: the rank to use for a 国务院决定, the article, and who may create it."""

    kind: str
    article: Text
    creators: Text


_LICENCE_FLOOR = Floor(LICENSING, T("《中华人民共和国行政许可法》第十四条、第十五条、第十七条",
                                    "Administrative Licensing Law, articles 14, 15 and 17"),
                       T("行政许可只能由法律、行政法规、国务院决定、地方性法规和省级政府规章设定",
                         "only laws, administrative regulations, State Council decisions, local regulations and "
                         "provincial government rules create licences"))
_PENALTY_FLOOR = Floor(PENALTIES, T("《中华人民共和国行政处罚法》第十六条", "Administrative Penalty Law, article 16"),
                       T("法律、法规、规章以外的其他规范性文件不得设定行政处罚",
                         "documents other than laws, regulations and rules create no penalty"))
_MEASURE_FLOOR = Floor(COMPULSION, T("《中华人民共和国行政强制法》第十条第四款", "Administrative Compulsion Law, article 10(4)"),
                       T("法律、法规以外的其他规范性文件不得设定行政强制措施",
                         "documents other than laws and regulations create no compulsory measure"))
_ENFORCEMENT_FLOOR = Floor(COMPULSION, T("《中华人民共和国行政强制法》第十三条", "Administrative Compulsion Law, article 13"),
                           T("行政强制执行只能由法律设定", "only a law creates an enforcement power"))


def _floor(e: Entry) -> Floor | None:
    """The C006 rule for ``e``'s kind of power; None for kinds C006 does not judge (B006 does)."""
    category = e.power.category
    if category == LICENCE:
        return _LICENCE_FLOOR
    if category == PENALTY:
        return _PENALTY_FLOOR
    if _is_compulsory(category):
        return _ENFORCEMENT_FLOOR if _is_enforcement(e) else _MEASURE_FLOOR
    return None


@check(
    "C006", "normative-document-only",
    summary=T("行政许可、行政处罚或行政强制只以规范性文件为依据",
              "A licence, penalty or compulsory power rests only on normative documents"),
    citation=T("《中华人民共和国行政许可法》第十四条、第十五条、第十七条；《中华人民共和国行政处罚法》第十六条；"
               "《中华人民共和国行政强制法》第十条、第十三条",
               "Administrative Licensing Law (《中华人民共和国行政许可法》) articles 14, 15 and 17; Administrative "
               "Penalty Law (《中华人民共和国行政处罚法》) article 16; Administrative Compulsion Law "
               "(《中华人民共和国行政强制法》) articles 10 and 13"),
    explanation=T("各类权力的设定范围不同：行政处罚——法律、法规、规章以外的其他规范性文件不得设定（处罚法第十六条），"
                  "国务院决定也属其他规范性文件；行政许可——只有法律、行政法规、国务院决定、地方性法规和省级政府规章可以设定，"
                  "部门规章、设区的市政府规章和其他规范性文件都不得设定（许可法第十四条、第十五条、第十七条；规章由 C001 判断）；"
                  "行政强制措施——法律、法规以外的其他规范性文件不得设定，规章和国务院决定也不得设定（强制法第十条第四款；"
                  "规章由 C007 判断）；行政强制执行——只能由法律设定（强制法第十三条）。本检查报告依据全部低于规章的事项。",
                  "What may create a power depends on its kind. Penalties: nothing but laws, regulations and rules "
                  "(penalty law art. 16), and a State Council decision is one of the other documents. Licences: only "
                  "laws, administrative regulations, State Council decisions, local regulations and provincial "
                  "government rules; departmental rules, cities' rules and other documents create none (licensing law "
                  "arts 14, 15, 17; rules are C001's). Compulsory measures: nothing but laws and regulations, so no rule "
                  "and no State Council decision (compulsion law art. 10(4); rules are C007's). Enforcement: only a law "
                  "(art. 13). This check reports powers whose every basis ranks below a rule."),
    example="id: SC-CF-011\nname: 对某某行为的罚款\ncategory: 行政处罚\nbasis:\n  - law: 某市人民政府关于加强某某管理的通知\n",
)
def normative_document_only(cat: Catalog) -> Iterator[Finding]:
    """Every basis of a 行政许可, 行政处罚 or 行政强制 power ranks as a 规范性文件 for that kind: a
    laws.yaml level 规范性文件, and for penalties and compulsory powers also a 国务院决定 (处罚法 第十六条,
    强制法 第十条第四款; a 国务院决定 creates licences, 许可法 第十四条第二款). One instrument of a higher
    rank is enough to pass here (the other C checks then judge whether that level suffices). Other
    categories are B006's."""
    bases = Bases(cat)
    for e in categorised(cat):
        floor = _floor(e)
        if floor is None:
            continue
        insts = bases.of(e)
        if insts is None or _top(insts, floor.kind) != DOCUMENT:
            continue
        d, note = _describe(insts), _decision_note(insts)
        yield _finding(e, insts, T(
            f"{e.power.category}「{e.power.name}」的依据只有{d.zh}{note.zh}；{floor.creators.zh}（{floor.article.zh}）",
            f"'{e.power.name}' rests only on {d.en}{note.en}; {floor.creators.en} ({floor.article.en})"))


@check(
    "C007", "compulsory-measure-beyond-level",
    summary=T("行政强制措施超出其依据层级可以设定的范围",
              "A compulsory measure goes beyond what its basis level may create"),
    citation=T("《中华人民共和国行政强制法》第十条",
               "Administrative Compulsion Law (《中华人民共和国行政强制法》), article 10"),
    explanation=T("行政强制措施由法律设定；尚未制定法律的，行政法规可以设定除限制公民人身自由、冻结存款汇款以外的措施；"
                  "尚未制定法律、行政法规的，地方性法规只能设定查封、扣押；法律、法规以外的其他规范性文件（含规章和"
                  "国务院决定）不得设定行政强制措施（第十条第四款）。",
                  "Compulsory measures are created by law; an administrative regulation may create any but restricting "
                  "personal liberty and freezing deposits; a local regulation only sealing up and seizure; rules, State "
                  "Council decisions and other normative documents none (article 10(4))."),
    example="id: SC-QZ-001\nname: 冻结存款、汇款\ncategory: 行政强制\nbasis:\n  - law: 某某条例   # 行政法规\n",
)
def compulsory_measure_beyond_level(cat: Catalog) -> Iterator[Finding]:
    """A 行政强制 measure (not an enforcement: see C008) judged by its highest basis level:
    法律 passes; 行政法规 fails when the name restricts liberty (人身自由, 约束, 留置,
    隔离, 戒毒, 带离) or freezes (冻结); 地方性法规 fails when the name names any of those (only
    查封、扣押 are allowed; a name that names no measure cannot be judged); a 规章 always fails. A
    国务院决定 ranks as a 规范性文件 (强制法 第十条第四款): beside a 规章 the rule's level decides; alone
    it is C006's, as are bases of 规范性文件 only."""
    bases = Bases(cat)
    for e in categorised(cat):
        if not _is_compulsory(e.power.category) or _is_enforcement(e):
            continue
        insts = bases.of(e)
        if insts is None:
            continue
        top, text = _top(insts, COMPULSION), _text(e)
        liberty, freeze = _LIBERTY_MEASURE.search(text), _FREEZE.search(text)
        if top == REGULATION and (liberty or freeze):
            allowed = T("行政法规不得设定限制公民人身自由、冻结存款汇款的强制措施",
                        "an administrative regulation may not create measures restricting liberty or freezing deposits")
        elif top == LOCAL_REGULATION and (liberty or freeze):
            allowed = T("地方性法规只能设定查封、扣押", "a local regulation may create only sealing up and seizure")
        elif top == RULE:
            allowed = T("规章不得设定行政强制措施", "rules may not create compulsory measures")
        else:
            continue
        d, note = _describe(insts), _decision_note(insts)
        yield _finding(e, insts, T(
            f"行政强制措施「{e.power.name}」的依据只有{d.zh}：{allowed.zh}{note.zh}（《中华人民共和国行政强制法》第十条）",
            f"compulsory measure '{e.power.name}' rests only on {d.en}: {allowed.en}{note.en} "
            f"(Administrative Compulsion Law, article 10)"))


@check(
    "C008", "compulsory-enforcement-without-law",
    summary=T("行政强制执行没有法律依据", "An administrative enforcement power has no law as its basis"),
    citation=T("《中华人民共和国行政强制法》第十三条",
               "Administrative Compulsion Law (《中华人民共和国行政强制法》), article 13"),
    explanation=T("行政强制执行由法律设定。法律没有规定行政机关强制执行的，作出行政决定的行政机关应当申请人民法院强制执行。",
                  "Administrative enforcement is created by law only; where no law gives the agency that power, it must "
                  "apply to a people's court for enforcement."),
    example="id: CG-QZ-002\nname: 强制拆除违法建筑物\ncategory: 行政强制\nbasis:\n  - law: 某某市城市管理条例   # 地方性法规\n",
)
def compulsory_enforcement_without_law(cat: Catalog) -> Iterator[Finding]:
    """A 行政强制 power that is an enforcement (category 行政强制执行, or a name with 强制执行, 代履行,
    加处罚款, 滞纳金, 划拨, 强制拆除, 拍卖) needs a 法律 among its bases. 申请人民法院强制执行 is not an
    enforcement power of the agency and passes. Bases of 规范性文件 only are C006's."""
    bases = Bases(cat)
    for e in categorised(cat):
        if not _is_enforcement(e):
            continue
        insts = bases.of(e)
        if insts is None or _top(insts, COMPULSION) in (LAW, DOCUMENT):
            continue
        d = _describe(insts)
        yield _finding(e, insts, T(
            f"行政强制执行「{e.power.name}」只能由法律设定，但依据只有{d.zh}；法律没有授权的，应当申请人民法院强制执行"
            f"（《中华人民共和国行政强制法》第十三条）",
            f"enforcement '{e.power.name}' can only be created by law, but it rests only on {d.en}; without a law the "
            f"agency must apply to a court (Administrative Compulsion Law, article 13)"))


# ----------------------------------------------------------------------------- misclassification

# A name describing a violation (penalties, inspections): licence words in it are about the
# violation, not an act of licensing.
_VIOLATION = re.compile(r"未经|未取得|未依法取得|未按|擅自|无证|违反|违规|超越|超出|不按|伪造|变造|涂改|倒卖|出租|出借|骗取|欺骗")
_TRAILING_NOTE = re.compile(r"\s*[（(][^（）()]*[）)]\s*$")
_LICENCE_END = re.compile(r"(审批|许可|核准|批准|核发)$")
# Renewing, replacing or changing a licence is the licence's own procedure (许可法 第五十条).
_LICENCE_RENEWAL = re.compile(r"许可证?[^许]{0,4}(换发|延续|变更|补发|补办|换证)$")
# Marks and certificates issued after an inspection confirm a fact (行政确认), they permit nothing.
_INSPECTION_MARK = re.compile(r"(检验|检测|检定)合格(标志|证明|证)核发$")
_UNDOING = re.compile(r"^(吊销|暂扣|撤销|撤回|注销)")
_JOINT_FILING = re.compile(r"(审批|核准|批准|许可)(和|及|或|与)?备案|备案(和|及|或|与)?(审批|核准|批准|许可)")
_SERVICE_END = re.compile(r"((咨询|查询|预约|代办|代理|培训|打印|复印)(服务)?|(中介|有偿|技术|便民|延伸|增值)服务)$")
# Approving benefits, awards or levies (减免、缓缴审批) is part of those powers, not licensing.
_APPROVALS_BELONG = {LICENCE, "行政给付", "行政奖励", "行政征收"}


def _core(name: str) -> str:
    """The name without trailing notes in brackets (职业介绍机构审批（含变更） -> 职业介绍机构审批), folded."""
    prev = None
    while prev != name:
        prev, name = name, _TRAILING_NOTE.sub("", name)
    return normalize_name(name)


@check(
    "C010", "filing-listed-as-licence", severity=Severity.WARNING,
    summary=T("备案事项列为行政许可", "A filing is listed as a licence"),
    citation=T("《中华人民共和国行政许可法》第二条", "Administrative Licensing Law (《中华人民共和国行政许可法》), article 2"),
    explanation=T("行政许可是行政机关根据申请，经依法审查，准予从事特定活动的行为；备案只是告知和存档，不是行政许可，"
                  "应列入其他行政权力（或行政确认）。",
                  "A licence permits a specific activity after review on application; a filing only informs the agency "
                  "and is not a licence. List it under 其他行政权力 (or 行政确认)."),
    example="id: ZJ-XK-007\nname: 定量包装商品生产企业计量保证能力备案\ncategory: 行政许可\n",
)
def filing_listed_as_licence(cat: Catalog) -> Iterator[Finding]:
    """A 行政许可 whose name says 备案. Names that join an approval and a filing (企业投资项目核准和备案)
    pass: part of the item is a licence."""
    for e in _powers(cat, LICENCE):
        name = normalize_name(e.power.name)
        if "备案" in name and not _JOINT_FILING.search(name):
            yield Finding(e, ("category",), T(
                f"「{e.power.name}」是备案，不是行政许可（备案不经审查准予，《中华人民共和国行政许可法》第二条）；"
                f"建议改列其他行政权力",
                f"'{e.power.name}' is a filing, not a licence: nothing is permitted after review (Administrative "
                f"Licensing Law, article 2); list it under 「其他行政权力」"))


@check(
    "C011", "licence-listed-outside-licensing", severity=Severity.WARNING,
    summary=T("审批、许可事项列在行政许可以外", "An approval or licence is listed under another category"),
    citation=T("《中华人民共和国行政许可法》第二条；《国务院关于取消非行政许可审批事项的决定》（国发〔2015〕27号）",
               "Administrative Licensing Law article 2; State Council decision abolishing non-licensing approvals "
               "(国发〔2015〕27号)"),
    explanation=T("名称以审批、许可、核准、批准、核发结尾的事项是准予从事特定活动的行为，应列为行政许可；"
                  "“非行政许可审批”类别已于2015年取消。对“未取得许可”“未经审批”行为的处罚、对许可事项的监督检查不在此列。",
                  "An item named as an approval, licence or issuance (审批, 许可, 核准, 批准, 核发) permits an activity and "
                  "belongs under 行政许可; the category of non-licensing approvals was abolished in 2015. Penalties for "
                  "acting without a licence and inspections of licensed activities are not this."),
    example="id: RS-QT-003\nname: 职业介绍机构审批\ncategory: 其他行政权力\n",
)
def licence_listed_outside_licensing(cat: Catalog) -> Iterator[Finding]:
    """A power outside 行政许可 whose name (without trailing notes in brackets) ends with 审批, 许可,
    核准, 批准 or 核发. Passes: names describing a violation (未取得…许可, 未经…审批, 擅自…), names
    undoing a licence (吊销, 暂扣, 撤销, 撤回, 注销…许可), names ending otherwise (…的处罚,
    …的监督检查), 核发 of a certificate under 行政确认, 核发 of an inspection mark (检验合格标志核发: a 确认), and
    approvals within 行政给付, 行政奖励 and 行政征收 (benefits, awards, levy relief). Renewing,
    replacing or changing a licence (办学许可证到期换发, …许可证延续) is flagged too: it is a
    licensing procedure (许可法 第五十条). Items of a ``not_powers`` category (公共服务) are skipped."""
    for e in categorised(cat):
        category = e.power.category
        if category in _APPROVALS_BELONG:
            continue
        core = _core(e.power.name)
        end = _LICENCE_END.search(core) or _LICENCE_RENEWAL.search(core)
        if end is None or _VIOLATION.search(core) or _UNDOING.search(core) or _INSPECTION_MARK.search(core):
            continue
        if end.group() == "核发" and category == "行政确认":
            continue
        yield Finding(e, ("category",), T(
            f"「{e.power.name}」名称为{end.group()}事项，却列为{category}；准予从事特定活动的审批应列为行政许可"
            f"（《中华人民共和国行政许可法》第二条）",
            f"'{e.power.name}' is named as an approval ('{end.group()}') but listed as 「{category}」; an approval that "
            f"permits an activity belongs under 「行政许可」 (Administrative Licensing Law, article 2)"))


@check(
    "C012", "service-listed-as-power", severity=Severity.WARNING,
    summary=T("服务事项列为行政权力", "A service is listed as an administrative power"),
    citation=CITE_GUIDANCE,
    explanation=T("咨询、查询、预约、代办、培训等服务和中介、有偿服务不是行政职权，不应列入权力清单（可列入公共服务事项清单）。",
                  "Consultation, look-ups, appointments, agency, training and commercial services are not administrative "
                  "powers and do not belong in a power list (list them as public services)."),
    example="id: GA-QT-020\nname: 出入境记录查询\ncategory: 其他行政权力\n",
)
def service_listed_as_power(cat: Catalog) -> Iterator[Finding]:
    """A power whose name (without trailing notes in brackets) ends with a service word: 咨询, 查询,
    预约, 代办, 代理, 培训, 打印, 复印 (optionally followed by 服务), or 中介/有偿/技术/便民/延伸/增值服务.
    Names where the word is inside (工程咨询单位资格认定, 代理记账业务审批) and names describing a
    violation (对擅自从事…代理的处罚) pass."""
    for e in categorised(cat):
        core = _core(e.power.name)
        end = _SERVICE_END.search(core)
        if end is None or _VIOLATION.search(core):
            continue
        yield Finding(e, ("category",), T(
            f"「{e.power.name}」是服务事项（「{end.group()}」），不是行政权力，不应列入权力清单（可列入公共服务事项清单）",
            f"'{e.power.name}' is a service ('{end.group()}'), not an administrative power; remove it from the power "
            f"list (list it as a public service)"))

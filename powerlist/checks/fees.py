"""G: the public guide (办事指南) — fees with their legal basis, required materials, complaint channel.

《行政许可法》第五十八条: no fee for granting a licence or supervising it unless a 法律 or 行政法规
provides one; 第三十条: the guide publishes the full list of materials and the procedure. A fee
is read only from ``fees`` (a penalty's 罚款 is not a fee). Fee bases resolve like a power's
basis (:meth:`Catalog.resolve_basis`). Abolished items are history and are not judged here.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from functools import cache

from powerlist.catalog import Catalog, Entry, LawRef
from powerlist.checks.base import Finding, check, silenced
from powerlist.completeness import complaint_channel
from powerlist.diagnostics import Severity
from powerlist.i18n import T, cite
from powerlist.models import Fee, Power

_ART30 = cite("licensing", "第三十条", "article 30")
_ART58 = cite("licensing", "第五十八条", "article 58")

LICENCE = "行政许可"
# Supervision of licensed activity is the other half of 第五十八条 ("对行政许可事项进行监督检查").
LICENCE_LIKE = (LICENCE, "行政检查")
STATUTE_LEVELS = ("法律", "行政法规")
PROOF_SOURCES = ("政府部门核发", "中介机构出具")


def _resolver(cat: Catalog) -> Callable[[str], LawRef | None]:
    """``cat.resolve_basis`` memoised for one run (fee bases repeat across a list)."""
    return cache(cat.resolve_basis)


def _fees(cat: Catalog) -> Iterator[tuple[Entry, int, Fee]]:
    """Every fee of every active power, with its index in ``fees``."""
    for e in cat.active_powers:
        for i, fee in enumerate(e.power.fees or ()):
            yield e, i, fee


def _licence_like(category: str) -> bool:
    return category in LICENCE_LIKE


def _fee_category_barred(category: str) -> bool:
    """Penalties and compulsory measures: the law makes the authority bear their costs."""
    return category == "行政处罚" or category.startswith("行政强制")


@check(
    "G001", "fee-without-basis",
    summary=T("收费项目没有收费依据", "A fee is listed without a legal basis"),
    citation=T("《中华人民共和国行政许可法》第五十八条：收费须依照法律、行政法规的规定，按公布的项目和标准",
               "Administrative Licensing Law (《中华人民共和国行政许可法》), article 58: a fee only where a law or "
               "administrative regulation provides one, by the published item and standard"),
    example="id: SL-XK-001\nname: 取水许可\ncategory: 行政许可\nbody: city-water\n"
            "fees:\n  - name: 取水许可证工本费\n    standard: 10元/证\n    basis: []\n",
)
def fee_without_basis(cat: Catalog) -> Iterator[Finding]:
    """Each entry of ``fees`` on an active power must name at least one ``basis`` (收费依据); a fee
    nobody can trace to an instrument cannot be published. ``fees: []`` (free of charge) passes."""
    for e, i, fee in _fees(cat):
        if not fee.basis:
            yield Finding(e, ("fees", i, "name"), T(
                f"「{e.power.name}」的收费项目「{fee.name}」没有收费依据",
                f"the fee '{fee.name}' of '{e.power.name}' names no legal basis"))


@check(
    "G002", "licence-fee-below-statute",
    summary=T("行政许可收费没有法律、行政法规依据", "A licence fee rests on nothing above a rule or decision"),
    citation=T("《中华人民共和国行政许可法》第五十八条第一款：实施行政许可和对行政许可事项进行监督检查，不得收取任何费用；"
               "法律、行政法规另有规定的，依照其规定",
               "Administrative Licensing Law, article 58(1): no fee for a licence or for supervising it unless a "
               "law or administrative regulation provides otherwise"),
    explanation=T("行政许可及其监督检查只能依据法律、行政法规收费。地方性法规、规章、规范性文件都不够。"
                  "国务院决定也不够：按《立法法》，行政法规是国务院依照立法程序制定、以国务院令公布的文件，"
                  "国务院决定不是行政法规；许可法第十四条虽允许以国务院决定设定行政许可，第五十八条却只写"
                  "“法律、行政法规”，没有写“国务院决定”，所以只以国务院决定为依据的许可收费本检查报告为错误。"
                  "依据无法识别或已废止的收费由 G004 报告；行政征收、其他行政权力的收费不按本条判断。",
                  "A licence, and the supervision of one, may be charged for only where a law or an administrative "
                  "regulation provides it: local regulations, rules and normative documents do not suffice. Nor does "
                  "a State Council decision: under the Legislation Law an administrative regulation is made by the "
                  "State Council by the legislative procedure and promulgated by State Council order, and a decision "
                  "is not one; article 14 lets a decision create a licence, but article 58 names only laws and "
                  "administrative regulations, so a licence fee resting only on a decision is reported as an error. "
                  "Fee bases that do not resolve or are repealed are G004's; fees on levies and other powers are "
                  "not judged by this rule."),
    example="# laws.yaml: {id: city-rule, title: 某市取水管理办法, level: 地方政府规章}\n"
            "id: SL-XK-001\nname: 取水许可\ncategory: 行政许可\nbody: city-water\n"
            "fees:\n  - name: 取水论证评审费\n    standard: 500元/件\n    basis: [{law: city-rule}]\n",
)
def licence_fee_below_statute(cat: Catalog) -> Iterator[Finding]:
    """A fee of an active 行政许可 or 行政检查 whose bases all resolve, none of them to a 法律 or
    行政法规 (a 国务院决定 does not count: see the explanation). A basis that does not resolve
    leaves the fee to G004."""
    resolve = _resolver(cat)
    for e, i, fee in _fees(cat):
        if not fee.basis or not _licence_like(e.power.category):
            continue
        hits = [resolve(b.law) for b in fee.basis]
        if any(h is None for h in hits) or any(h is not None and h.level in STATUTE_LEVELS for h in hits):
            continue
        shown = "、".join(f"《{h.title}》（{h.level}）" for h in hits if h is not None)
        yield Finding(e, ("fees", i, "basis"), T(
            f"{e.power.category}「{e.power.name}」的收费「{fee.name}」只以{shown}为依据，"
            f"没有法律、行政法规依据（{_ART58.zh}）",
            f"the fee '{fee.name}' of the 「{e.power.category}」 '{e.power.name}' rests only on {shown}, with no law "
            f"or administrative regulation behind it ({_ART58.en})"),
            related=[h.entry for h in hits if h is not None and h.entry is not None], at="key")


@check(
    "G003", "fee-on-penalty-or-coercion", severity=Severity.WARNING,
    summary=T("行政处罚或行政强制事项列有收费", "A penalty or compulsory measure lists a fee"),
    citation=T("《中华人民共和国行政处罚法》第六十三条第二款：当事人不承担行政机关组织听证的费用；"
               "《中华人民共和国行政强制法》第二十六条：因查封、扣押发生的保管费用由行政机关承担",
               "Administrative Penalty Law, article 63(2) (the party bears no hearing costs); Administrative "
               "Coercion Law, article 26 (the authority bears custody costs of seizure)"),
    explanation=T("罚款不是收费：罚款写在处罚事项本身，不写进 fees。行政处罚和行政强制的程序费用由行政机关承担，"
                  "办事指南中出现收费项目通常是把罚款、没收或代履行费用误填成了收费，请核对。",
                  "A fine is not a fee: it belongs to the penalty itself, not to `fees`. The procedural costs of "
                  "penalties and compulsory measures fall on the authority; a fee in such an item's guide is usually "
                  "a fine, a confiscation or a cost of substitute performance entered as a fee — review it."),
    example="id: SC-CF-001\nname: 对某某违法行为的处罚\ncategory: 行政处罚\nbody: city-market\n"
            "fees:\n  - name: 罚款\n    standard: 500元以下\n",
)
def fee_on_penalty(cat: Catalog) -> Iterator[Finding]:
    """An active 行政处罚 or 行政强制* power with a non-empty ``fees`` list, reported once at ``fees``."""
    for e in cat.active_powers:
        if e.power.fees and _fee_category_barred(e.power.category):
            names = "、".join(f.name for f in e.power.fees)
            yield Finding(e, ("fees",), T(
                f"{e.power.category}「{e.power.name}」列有收费「{names}」；罚款不是收费，程序费用由行政机关承担",
                f"the 「{e.power.category}」 '{e.power.name}' lists the fee(s) '{names}'; a fine is not a fee and "
                "the authority bears procedural costs"), at="key")


def _bad_fee_basis(hit: LawRef | None) -> bool:
    return hit is None or hit.status == "repealed"


@check(
    "G004", "fee-basis-invalid", needs=("laws",),
    summary=T("收费依据无法识别或已废止", "A fee's basis is unknown or repealed"),
    citation=T("《中华人民共和国行政许可法》第五十八条；收费依据须现行有效",
               "Administrative Licensing Law, article 58: a fee needs a basis in force"),
    example="fees:\n  - name: 取水许可证工本费\n    basis: [{law: 某某收费暂行办法}]   # in no registry\n",
)
def fee_basis_invalid(cat: Catalog) -> Iterator[Finding]:
    """Each fee basis must resolve as a power's basis does (laws.yaml id or title, or the built-in
    registry: B002's rule) and must not be repealed (B003/B004's)."""
    resolve = _resolver(cat)
    for e, i, fee in _fees(cat):
        for j, b in enumerate(fee.basis):
            hit = resolve(b.law)
            if not _bad_fee_basis(hit):
                continue
            why = T("无法识别", "cannot be found") if hit is None else T("已废止", "is repealed")
            yield Finding(e, ("fees", i, "basis", j, "law"), T(
                f"收费「{fee.name}」的依据「{b.law}」{why.zh}",
                f"the basis '{b.law}' of the fee '{fee.name}' {why.en}"),
                related=[hit.entry] if hit is not None and hit.entry is not None else [])


def records_guides(cat: Catalog) -> bool:
    """Whether the catalogue records guides at all (any fee, material or complaint key)."""
    return any(_has_guide(e.power) for e in cat.powers) or any(e.body.complaint for e in cat.bodies)


def _has_guide(p: Power) -> bool:
    return p.fees is not None or p.materials is not None or p.complaint is not None


@check(
    "G005", "licence-guide-incomplete", severity=Severity.WARNING,
    summary=T("行政许可的办事指南缺申请材料或投诉渠道", "A licence's guide lacks the materials list or a complaint channel"),
    citation=T("《中华人民共和国行政许可法》第三十条：公示需要提交的全部材料目录",
               "Administrative Licensing Law, article 30 (publish the full list of materials)"),
    explanation=T("行政许可的办事指南应公示需提交的全部材料目录（许可法第三十条）和投诉举报渠道。"
                  "投诉渠道可写在事项上（complaint），也可写在实施主体上（bodies.yaml 的 complaint）。"
                  "尚未记录办事指南的清单（没有任何 fees、materials、complaint 键）不逐项报告，只在完整性汇总中计数。",
                  "A licence's guide publishes the full list of materials (article 30) and where to complain. The "
                  "complaint channel may be on the item (`complaint`) or on its body (bodies.yaml `complaint`). A "
                  "catalogue that records no guide at all (no fees, materials or complaint key anywhere) is not "
                  "reported item by item; the completeness summary counts it."),
    example="# bodies.yaml: city-water has no complaint\n"
            "id: SL-XK-001\nname: 取水许可\ncategory: 行政许可\nbody: city-water\nfees: []\n",
)
def licence_guide_incomplete(cat: Catalog) -> Iterator[Finding]:
    """An active 行政许可 with no ``materials`` (absent or empty) or with no complaint channel of
    its own or its body's; judged only in a catalogue that records guides (:func:`records_guides`)."""
    if not records_guides(cat):
        return
    # Without a readable bodies.yaml a body's complaint channel is unknown, not absent (R012 says so)
    bodies_known = not silenced(cat, ("bodies",))
    for e in cat.active_powers:
        if e.power.category != LICENCE:
            continue
        lacks = []
        if not e.power.materials:
            lacks.append(T("申请材料目录", "the materials list"))
        if not complaint_channel(cat, e) and (bodies_known or e.power.complaint is not None):
            lacks.append(T("投诉渠道", "a complaint channel"))
        if lacks:
            yield Finding(e, ("name",), T(
                f"行政许可「{e.power.name}」的办事指南缺{'和'.join(t.zh for t in lacks)}（{_ART30.zh}）",
                f"the guide of the licence '{e.power.name}' lacks {' and '.join(t.en for t in lacks)} "
                f"({_ART30.en})"), at="key")


@check(
    "G006", "material-is-proof", severity=Severity.WARNING,
    summary=T("申请材料要求申请人提交部门核发或中介出具的证明",
              "A material is a certificate from another department or an intermediary"),
    citation=T("《国务院办公厅关于全面推行证明事项告知承诺制的指导意见》（国办发〔2020〕42号）；"
               "《中华人民共和国行政许可法》第三十一条",
               "State Council General Office guidance on the notification-and-commitment system for certificates "
               "(国办发〔2020〕42号); Administrative Licensing Law, article 31"),
    explanation=T("证明事项告知承诺制（国办发〔2020〕42号）要求：能通过部门间信息共享核验的证明不再让申请人提交，"
                  "可以告知承诺的改为申请人书面承诺；许可法第三十一条禁止要求提交与许可事项无关的材料。"
                  "来源为“政府部门核发”或“中介机构出具”的材料因此逐项提示复核：保留的应有法律、法规依据"
                  "（materials 的 basis），能共享或承诺的应取消。这是提示，不是违法结论。",
                  "The notification-and-commitment reform (国办发〔2020〕42号) says certificates another department "
                  "can verify by data sharing are no longer demanded from applicants, and those suitable for a "
                  "written commitment are replaced by one; article 31 forbids demanding materials unrelated to the "
                  "licence. Materials sourced 政府部门核发 (issued by a department) or 中介机构出具 (issued by an "
                  "intermediary) are therefore flagged for review: a kept one should rest on law (its `basis`), the "
                  "rest be dropped. A prompt for review, not a finding of illegality."),
    example="materials:\n  - name: 无犯罪记录证明\n    source: 政府部门核发\n",
)
def material_is_proof(cat: Catalog) -> Iterator[Finding]:
    """Each material of an active power whose ``source`` is 政府部门核发 or 中介机构出具."""
    for e in cat.active_powers:
        for i, m in enumerate(e.power.materials or ()):
            if m.source in PROOF_SOURCES:
                yield Finding(e, ("materials", i, "source"), T(
                    f"「{e.power.name}」要求提交{m.source}的「{m.name}」：请按证明事项告知承诺制复核（国办发〔2020〕42号）",
                    f"'{e.power.name}' asks for '{m.name}' ('{m.source}'): review it under the certificate "
                    "commitment reform (国办发〔2020〕42号)"))

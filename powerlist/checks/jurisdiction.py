"""J: jurisdiction and delegation — who exercises a power.

一事一部门 (one matter, one department): at one level of one region a power has one responsible
body, unless the bodies declare joint exercise (each lists the other in ``co_bodies``) or the
finding is waived with a reason. A delegated enforcement power (处罚, 强制执行, 检查) needs a receiving
body that holds enforcement qualification; a compulsory measure cannot be delegated at all (强制法
第十七条). References to unknown bodies are R002's, not J's (J004 excepted: there the delegation
itself is the defect).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator

from powerlist.catalog import Catalog, Entry
from powerlist.checks.base import Finding, check
from powerlist.checks.category import is_compulsory_measure
from powerlist.checks.refs import body_label, decision_items
from powerlist.diagnostics import Severity
from powerlist.i18n import T, value_zh

ENFORCEMENT_CATEGORIES = ("行政处罚", "行政强制", "行政检查")


def _joint(a: Entry, b: Entry) -> bool:
    return b.power.body in a.power.co_bodies and a.power.body in b.power.co_bodies


def _peers(group: list[Entry], cat: Catalog) -> Iterator[tuple[Entry, list[Entry]]]:
    """Each power with the others at its level and region. A body without a region could be in any
    region of its level, so it is compared with all of them."""
    by_level: dict[str, list[Entry]] = defaultdict(list)
    for e in group:
        by_level[cat.body_by_id[e.power.body].body.level].append(e)
    for level_group in by_level.values():
        by_region: dict[str | None, list[Entry]] = defaultdict(list)
        for e in level_group:
            by_region[cat.body_by_id[e.power.body].body.region].append(e)
        anywhere = by_region.pop(None, [])
        for e in level_group:
            region = cat.body_by_id[e.power.body].body.region
            yield e, level_group if region is None else by_region[region] + anywhere


@check(
    "J001", "one-matter-one-department", needs=("bodies",),
    summary=T("同级同区域两个以上主体实施同一事项", "Two bodies of one level and region exercise the same power"),
    citation=T("一事一部门；《关于推行地方各级政府工作部门权力清单制度的指导意见》（中办发〔2015〕21号）",
               "one matter, one department; 2015 national guidance on power lists (中办发〔2015〕21号)"),
    explanation=T("联合实施时，双方事项都应在 co_bodies 中写明对方；经批准的例外可用 waivers 豁免并写明文号。",
                  "For joint exercise both powers list the other body in co_bodies; an approved exception can "
                  "be waived on the entry with the approving document as its reason."),
    example="# powers/water/SL-XK-001.yaml\nname: 取水许可\ncategory: 行政许可\nbody: city-water\n"
            "# powers/utility/GY-XK-001.yaml\nname: 取水许可\ncategory: 行政许可\nbody: city-utility\n",
)
def one_matter_one_department(cat: Catalog) -> Iterator[Finding]:
    """Active powers with the same normalised name and category held by different bodies of the same
    level and region (a body without a region matches every region of its level). Each such power
    is reported, related to the others, unless the two powers name each other's body in
    ``co_bodies``. Bodies not in bodies.yaml are left to R002."""
    for (_, category), entries in cat.powers_by_name_category.items():
        if cat.settings.is_not_power(category):
            continue  # a listed service (公共服务) is not a power: one matter, one department is about powers
        live = [e for e in entries if e.power.status != "abolished" and e.power.body in cat.body_by_id]
        if len({e.power.body for e in live}) < 2:
            continue
        for e, peers in _peers(live, cat):
            others = [q for q in peers if q.power.body != e.power.body and not _joint(e, q)]
            if not others:
                continue
            holders = "、".join(dict.fromkeys(body_label(cat.body_by_id[q.power.body]) for q in others))
            one_sided = any(q.power.body in e.power.co_bodies or e.power.body in q.power.co_bodies for q in others)
            note = T("；联合实施须双方互相在 co_bodies 中声明", "; joint exercise needs both powers to list each "
                     "other in co_bodies") if one_sided else T("", "")
            yield Finding(e, ("body",), T(
                f"「{e.power.name}」（{category}）同时由 {holders} 实施；一事一部门，请明确唯一实施主体{note.zh}",
                f"'{e.power.name}' ({category}) is also exercised by {holders}; one matter, one department: "
                f"assign it to one body{note.en}"), related=others)


@check(
    "J002", "delegated-without-enforcement", needs=("bodies",),
    summary=T("执法类事项下放给无执法资格的主体",
              "An enforcement power is delegated to a body without enforcement qualification"),
    citation=T("《中华人民共和国行政处罚法》第二十条、第二十一条、第四十二条",
               "Administrative Penalty Law (《中华人民共和国行政处罚法》), articles 20, 21 and 42"),
    explanation=T("委托实施行政处罚的，受委托组织须依法成立并具有管理公共事务职能，有取得行政执法资格的工作人员"
                  "（处罚法第二十条、第二十一条），执法人员应具有执法资格（第四十二条）。省级决定把县级处罚权交由乡镇、"
                  "街道行使的（第二十四条）也要求其有承接能力。行政强制措施不得委托，由 J004 报告，本检查不再重复。",
                  "An organisation entrusted with penalties must be lawfully established, manage public affairs and "
                  "have staff with enforcement qualification (penalty law arts 20, 21); officers need qualification "
                  "(art. 42). A province handing county powers to townships (art. 24) also needs receivers able to "
                  "take them up. Compulsory measures cannot be delegated at all: J004 reports those, not this check."),
    example="# bodies.yaml: {id: town-gov, name: 某镇人民政府, level: 乡级, enforcement: false}\n"
            "id: SL-CF-001\nname: 对未经批准擅自取水的处罚\ncategory: 行政处罚\nbody: city-water\ndelegated_to: [town-gov]\n",
)
def delegated_without_enforcement(cat: Catalog) -> Iterator[Finding]:
    """An active 行政处罚, 行政强制 or 行政检查 power whose ``delegated_to`` names a body whose
    ``enforcement`` is not ``true`` — explicitly false, or not declared (the message says which).
    Compulsory measures are J004's: they may not be delegated to anyone."""
    for e in cat.active_powers:
        if e.power.category not in ENFORCEMENT_CATEGORIES or is_compulsory_measure(e):
            continue
        for i, ref in enumerate(e.power.delegated_to):
            b = cat.body_by_id.get(ref)
            if b is None or b.body.enforcement is True:
                continue
            if b.body.enforcement is False:
                why = T(f"无执法资格（bodies.yaml 中 enforcement 为{value_zh(False)}）",
                        "has no enforcement qualification (enforcement: false)")
            else:
                why = T("未声明执法资格（bodies.yaml 未写 enforcement）",
                        "does not declare enforcement qualification (no enforcement in bodies.yaml)")
            yield Finding(e, ("delegated_to", i), T(
                f"{e.power.category}「{e.power.name}」下放给 {body_label(b)}，该主体{why.zh}",
                f"{e.power.category} '{e.power.name}' is delegated to {body_label(b)}, which {why.en}"), related=[b])


@check(
    "J003", "delegation-not-taken-up", needs=("bodies",), severity=Severity.WARNING,
    summary=T("决定已下放的事项仍由上级主体实施", "A power a decision delegated is still held above the receiving level"),
    citation=T("下放决定（decisions.yaml delegates）", "the delegating decision (decisions.yaml delegates)"),
    example="# decisions.yaml: delegates: [{name: 取水许可, to_level: 县级}]\n"
            "id: SL-XK-001\nname: 取水许可\ncategory: 行政许可\nbody: city-water    # 市级, no delegated_to\n",
)
def delegation_not_taken_up(cat: Catalog) -> Iterator[Finding]:
    """An active power named in a decision's ``delegates`` (same normalised name; same category when
    the item gives one) whose body is above the item's ``to_level`` and whose ``delegated_to`` names
    no body at that level or below. Levels are ordered as configured (``levels``, highest first);
    an unconfigured level is not judged. A compulsory measure is J004's: it may not be handed down."""
    rank = {level: i for i, level in enumerate(cat.settings.levels)}
    for e in cat.active_powers:
        if is_compulsory_measure(e):
            continue
        holder = cat.body_by_id.get(e.power.body)
        if holder is None or holder.body.level not in rank:
            continue
        for d, item in decision_items(cat.delegations_by_name, e):
            if item.to_level is None or item.to_level not in rank:
                continue
            target = rank[item.to_level]
            if rank[holder.body.level] >= target:
                continue
            receivers = [cat.body_by_id.get(r) for r in e.power.delegated_to]
            if any(r is not None and rank.get(r.body.level, -1) >= target for r in receivers):
                continue
            doc = d.decision.doc_no or d.decision.title
            key = ("delegated_to",) if e.has_key("delegated_to") else ("body",)
            yield Finding(e, key, T(
                f"「{e.power.name}」已由 {doc} 下放至{item.to_level}，仍由{holder.body.level}主体 {body_label(holder)} "
                f"实施，delegated_to 中没有承接主体",
                f"'{e.power.name}' was delegated to {item.to_level} by {doc}, but is still held by {body_label(holder)} "
                f"({holder.body.level}) with no receiving body in delegated_to"), related=[d, holder])


@check(
    "J004", "compulsory-measure-delegated", needs=("bodies",),
    summary=T("行政强制措施被委托、下放给其他主体实施", "A compulsory measure is delegated to another body"),
    citation=T("《中华人民共和国行政强制法》第十七条",
               "Administrative Compulsion Law (《中华人民共和国行政强制法》), article 17"),
    explanation=T("行政强制措施由法律、法规规定的行政机关在法定职权范围内实施，行政强制措施权不得委托（第十七条第一款）。"
                  "承接主体有无执法资格都不能改变这一点。依法行使相对集中行政处罚权的机关实施与处罚权有关的强制措施"
                  "（第十七条第二款），应把它列为实施主体（body），而不是写在 delegated_to 中。",
                  "A compulsory measure is taken by the agency a law or regulation names, within its powers; the power "
                  "may not be entrusted to others (article 17(1)), whatever the receiver's qualification. An agency "
                  "exercising concentrated penalty powers that takes related measures under article 17(2) is listed as "
                  "the measure's body, not in delegated_to."),
    example="id: SL-QZ-001\nname: 查封扣押违法取水设施\ncategory: 行政强制\nbody: city-water\n"
            "delegated_to: [district-gov]     # even a qualified body\n",
)
def compulsory_measure_delegated(cat: Catalog) -> Iterator[Finding]:
    """An active 行政强制措施 (a 行政强制 power that is not an enforcement, see C008) with any body in
    ``delegated_to`` (each reported, whether or not the body is known or qualified), or named in a
    decision's ``delegates`` (reported on the power's name, related to the decision). J002 and J003
    leave compulsory measures to this check."""
    for e in cat.active_powers:
        if not is_compulsory_measure(e):
            continue
        yield from _delegated_measure(cat, e)
        yield from _decided_measure(cat, e)


def _delegated_measure(cat: Catalog, e: Entry) -> Iterator[Finding]:
    for i, ref in enumerate(e.power.delegated_to):
        b = cat.body_by_id.get(ref)
        label = body_label(b) if b is not None else ref
        yield Finding(e, ("delegated_to", i), T(
            f"行政强制措施「{e.power.name}」交由 {label} 实施；行政强制措施权不得委托（《中华人民共和国行政强制法》第十七条）",
            f"compulsory measure '{e.power.name}' is delegated to {label}; the power to take compulsory measures "
            f"may not be entrusted to others (Administrative Compulsion Law, article 17)"),
            related=[b] if b is not None else [])


def _decided_measure(cat: Catalog, e: Entry) -> Iterator[Finding]:
    for d, item in decision_items(cat.delegations_by_name, e):
        doc = d.decision.doc_no or d.decision.title
        where = T(item.to_level, item.to_level) if item.to_level else T("下级", "a lower level")
        yield Finding(e, ("name",), T(
            f"{doc} 将行政强制措施「{e.power.name}」下放至{where.zh}；行政强制措施只能由法律、法规规定的行政机关实施，"
            f"不得委托（《中华人民共和国行政强制法》第十七条）",
            f"{doc} hands the compulsory measure '{e.power.name}' down to {where.en}; only the agency a law or "
            f"regulation names may take it, and it may not be entrusted (Administrative Compulsion Law, article 17)"),
            related=[d])

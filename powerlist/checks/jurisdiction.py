"""J: jurisdiction and delegation — who exercises a power.

一事一部门 (one matter, one department): at one level of one region a power has one responsible
body, unless the bodies declare joint exercise (each lists the other in ``co_bodies``) or the
finding is waived with a reason. A delegated enforcement power (处罚, 强制, 检查) needs a receiving
body that holds enforcement qualification. References to unknown bodies are R002's, not J's.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator

from powerlist.catalog import Catalog, Entry
from powerlist.checks.refs import body_label, decision_items
from powerlist.diagnostics import Severity
from powerlist.i18n import T
from powerlist.registry import Finding, check

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
    "J001", "one-matter-one-department",
    summary=T("同级同区域两个以上主体实施同一事项", "Two bodies of one level and region exercise the same power"),
    citation=T("一事一部门（中办发〔2015〕21号：厘清部门职责，一件事原则上由一个部门负责）",
               "one matter, one department (2015 national guidance on power lists, 中办发〔2015〕21号)"),
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
    "J002", "delegated-without-enforcement",
    summary=T("执法类事项下放给无执法资格的主体",
              "An enforcement power is delegated to a body without enforcement qualification"),
    citation=T("《行政处罚法》第二十四条、第四十二条；《行政强制法》第十七条",
               "Administrative Penalty Law arts 24, 42; Administrative Compulsion Law art 17"),
    example="# bodies.yaml: {id: town-gov, name: 某镇人民政府, level: 乡级, enforcement: false}\n"
            "id: SL-CF-001\nname: 对未经批准擅自取水的处罚\ncategory: 行政处罚\nbody: city-water\ndelegated_to: [town-gov]\n",
)
def delegated_without_enforcement(cat: Catalog) -> Iterator[Finding]:
    """An active 行政处罚, 行政强制 or 行政检查 power whose ``delegated_to`` names a body whose
    ``enforcement`` is not ``true`` — explicitly false, or not declared (the message says which)."""
    for e in cat.active_powers:
        if e.power.category not in ENFORCEMENT_CATEGORIES:
            continue
        for i, ref in enumerate(e.power.delegated_to):
            b = cat.body_by_id.get(ref)
            if b is None or b.body.enforcement is True:
                continue
            if b.body.enforcement is False:
                why = T("无执法资格（enforcement: false）", "has no enforcement qualification (enforcement: false)")
            else:
                why = T("未声明执法资格（bodies.yaml 未写 enforcement）",
                        "does not declare enforcement qualification (no enforcement in bodies.yaml)")
            yield Finding(e, ("delegated_to", i), T(
                f"{e.power.category}「{e.power.name}」下放给 {body_label(b)}，该主体{why.zh}",
                f"{e.power.category} '{e.power.name}' is delegated to {body_label(b)}, which {why.en}"), related=[b])


@check(
    "J003", "delegation-not-taken-up", severity=Severity.WARNING,
    summary=T("决定已下放的事项仍由上级主体实施", "A power a decision delegated is still held above the receiving level"),
    citation=T("下放决定（decisions.yaml delegates）", "the delegating decision (decisions.yaml delegates)"),
    example="# decisions.yaml: delegates: [{name: 取水许可, to_level: 县级}]\n"
            "id: SL-XK-001\nname: 取水许可\ncategory: 行政许可\nbody: city-water    # 市级, no delegated_to\n",
)
def delegation_not_taken_up(cat: Catalog) -> Iterator[Finding]:
    """An active power named in a decision's ``delegates`` (same normalised name; same category when
    the item gives one) whose body is above the item's ``to_level`` and whose ``delegated_to`` names
    no body at that level or below. Levels are ordered as configured (``levels``, highest first);
    an unconfigured level is not judged."""
    rank = {level: i for i, level in enumerate(cat.settings.levels)}
    for e in cat.active_powers:
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

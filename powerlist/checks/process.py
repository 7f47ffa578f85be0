"""P: process flowcharts (运行流程图) and time limits.

The structure checks (P001–P009) read each flow through :func:`powerlist.graph.analyse`, computed
once per power and shared by every check. The procedure checks (P010–P015) apply the procedure the
law prescribes for the power's category — licences (行政许可法), penalties (行政处罚法) and
compulsory measures (行政强制法) — using the step kinds of :mod:`powerlist.graph` (the written
``kind``, else recognised from the step's name). They go by ``category`` only: a penalty named
"对未取得许可…的处罚" is a penalty; whether the category itself is right is the C family's job.

Abolished powers are not checked: nobody runs their flows any more.
"""

from __future__ import annotations

import re
import weakref
from collections.abc import Callable, Iterable, Iterator
from difflib import get_close_matches

from powerlist.catalog import Catalog, Entry
from powerlist.checks.base import Finding, check
from powerlist.diagnostics import Severity
from powerlist.graph import Flow, analyse, is_early_exit, step_kinds
from powerlist.i18n import T, Text, cite, duration, number
from powerlist.models import Power, Step

LICENCE, PENALTY, COMPULSORY = "行政许可", "行政处罚", "行政强制"
STEPS = ("process", "steps")

CITE_GUIDANCE = T("《关于推行地方各级政府工作部门权力清单制度的指导意见》（中办发〔2015〕21号）：编制行政职权运行流程图",
                  "2015 national guidance on power lists (中办发〔2015〕21号): a flowchart for every power")
CITE_LIMIT_42 = T("《中华人民共和国行政许可法》第四十二条、第八十二条（期限以工作日计算，不含法定节假日）",
                  "Administrative Licensing Law (《中华人民共和国行政许可法》), articles 42 and 82 (limits in working days)")

# ------------------------------------------------------------------------------ shared helpers

_memo: list[tuple[weakref.ref[Catalog], list[tuple[Entry, Flow]]]] = []


def flows(cat: Catalog) -> list[tuple[Entry, Flow]]:
    """Every non-abolished power that has steps, with its analysed flow: built once per catalogue
    and shared by all P checks (the analysis is the expensive part at 100,000 powers)."""
    if _memo and _memo[0][0]() is cat:
        return _memo[0][1]
    out = [(e, analyse(e.power.process)) for e in cat.active_powers
           if e.power.process is not None and e.power.process.steps]
    _memo[:] = [(weakref.ref(cat), out)]
    return out


def _days(x: float, power: Power) -> Text:
    return duration(x, power.time_limit.unit if power.time_limit is not None else "working_days")


def _zh(flow: Flow, i: int) -> str:
    """A step as a Chinese message names it: by its name (「受理」), the way the flowchart shows it;
    the position is added when two steps share the name. English messages keep the id."""
    name = flow.steps[i].name
    if sum(1 for s in flow.steps if s.name == name) > 1:
        return f"「{name}」（第{i + 1}步）"
    return f"「{name}」"


def _both(flow: Flow, indices: Iterable[int]) -> tuple[str, str]:
    """Steps as the Chinese and the English message write them: 「受理」、「审查」 / accept, review."""
    indices = list(indices)
    return "、".join(_zh(flow, i) for i in indices), ", ".join(flow.ids(indices))


def _suggest(flow: Flow, target: str) -> str | None:
    """The step id a missing ``next`` target was probably meant to be (a typo)."""
    close = get_close_matches(target, list(flow.node_of), n=1)
    return close[0] if close else None


def _has(kinds: set[str]) -> Callable[[Step], bool]:
    return lambda s: bool(step_kinds(s) & kinds)


def _of_category(cat: Catalog, category: str) -> Iterator[tuple[Entry, Flow]]:
    return ((e, f) for e, f in flows(cat) if e.power.category == category)


# ------------------------------------------------------------------------------ structure


@check(
    "P001", "missing-process",
    summary=T("在用事项没有运行流程图", "An active power has no process flowchart"),
    citation=CITE_GUIDANCE,
    explanation=T("每项在用职权都应有运行流程图，写明谁来办、怎么办、什么时间办结（process.steps）。",
                  "Every active power needs a flowchart saying who acts, how and within what time (process.steps)."),
    example="id: SL-XK-001\nname: 取水许可\ncategory: 行政许可\nbody: city-water\nstatus: active\nprocess:\n  steps: []\n",
)
def missing_process(cat: Catalog) -> Iterator[Finding]:
    """An ``active`` power whose ``process.steps`` is absent or empty. Suspended powers are left
    alone: they are not exercised while suspended; nor are items of a ``not_powers`` category (公共服务)."""
    for e in cat.active_powers:
        p = e.power
        if p.status == "active" and (p.process is None or not p.process.steps):
            key = STEPS if p.process is not None else ("id",)
            yield Finding(e, key, T("没有运行流程图（process.steps 为空）", "no process flowchart (process.steps is empty)"))


@check(
    "P002", "unknown-next-step",
    summary=T("下一步指向不存在的步骤", "A next step names a step that does not exist"),
    example="process:\n  steps:\n    - id: accept\n      name: 受理\n      next: [reveiw]\n    - id: review\n      name: 审查\n",
)
def unknown_next_step(cat: Catalog) -> Iterator[Finding]:
    """Every id in a step's ``next`` (or ``next[].to``) must be the id of a step of the same flow.
    The message suggests the closest id when there is one (a typo)."""
    for e, flow in flows(cat):
        for i, j, target in flow.missing:
            step = flow.steps[i]
            key = (*STEPS, i, "next", j) + (() if isinstance(step.next[j], str) else ("to",))
            close = _suggest(flow, target)
            hint = T(f"；是否应为「{close}」？", f"; did you mean '{close}'?") if close else T("", "")
            yield Finding(e, key, T(f"步骤{_zh(flow, i)}的下一步「{target}」不存在{hint.zh}",
                                    f"step '{step.id}' names next step '{target}', which does not exist{hint.en}"))


@check(
    "P003", "duplicate-step-id",
    summary=T("步骤编号重复", "Two steps have the same id"),
    example="process:\n  steps:\n    - id: review\n      name: 初审\n    - id: review\n      name: 复审\n",
)
def duplicate_step_id(cat: Catalog) -> Iterator[Finding]:
    """Step ids must be unique within a flow: ``next`` names steps by id. The later step is
    reported; for the other checks its ``next`` edges count as the first step's."""
    for e, flow in flows(cat):
        for i, first in flow.duplicates:
            sid = flow.steps[i].id
            yield Finding(e, (*STEPS, i, "id"), T(f"步骤编号「{sid}」重复（第 {first + 1} 步已使用）",
                                                  f"step id '{sid}' is already used by step {first + 1}"))


def _returned_to(flow: Flow, i: int) -> bool:
    """Every edge into step ``i`` carries a ``when``: a conditional return (退回补正 to acceptance)."""
    sid = flow.steps[i].id
    return all(not isinstance(n, str) and n.when for s in flow.steps for n in s.next
               if (n if isinstance(n, str) else n.to) == sid)


@check(
    "P004", "no-start-step",
    summary=T("流程没有起点", "The flow has no start"),
    explanation=T("起点是没有其他步骤指向的步骤。每个步骤都被指向时，流程无从开始；其余检查以第一步为起点继续。"
                  "第一步只被带条件（when）的边指向时（如“退回补正”回到受理），视为起点，不报告。",
                  "A start is a step no other step names. When every step is named the flow cannot begin; the "
                  "other checks carry on with the first step as the start. When the only edges into the first step "
                  "carry a condition (when), e.g. sending a file back to acceptance, the first step is the start and "
                  "nothing is reported."),
    example="process:\n  steps:\n    - id: a\n      name: 受理\n      next: [b]\n"
            "    - id: b\n      name: 审查\n      next: [a, c]\n    - id: c\n      name: 决定\n",
)
def no_start_step(cat: Catalog) -> Iterator[Finding]:
    """Every step is named in some other step's ``next``, and some edge into the first step has no
    ``when``: nothing says where the flow begins. A conditional return to the first step is a 退回
    loop, which is legitimate, so the first step is then accepted as the start."""
    for e, flow in flows(cat):
        if flow.implicit_start and not _returned_to(flow, flow.starts[0]):
            yield Finding(e, STEPS, T("每个步骤都被其他步骤指向，流程没有起点",
                                      "every step is named by another step: the flow has no start"), at="key")


@check(
    "P005", "unreachable-step",
    summary=T("步骤从起点无法到达", "A step cannot be reached from the start"),
    explanation=T("从任何起点出发都到不了的步骤（例如只在一个无入口的回路中），以及与其他步骤都不相连的步骤。",
                  "Steps no path from a start reaches (e.g. a loop nothing leads into), and steps linked to no "
                  "other step in a flow of several steps."),
    example="process:\n  steps:\n    - id: accept\n      name: 受理\n      next: [decide]\n    - id: decide\n      name: 决定\n"
            "    - id: archive\n      name: 归档\n",
)
def unreachable_step(cat: Catalog) -> Iterator[Finding]:
    """Reported once per flow, at the first such step, naming them all. A step with no edge at all
    is formally a start and an end, but in a flow of several steps it is a link someone forgot.
    A step that a misspelt ``next`` was meant to name is left to P002, which suggests it."""
    for e, flow in flows(cat):
        meant = {_suggest(flow, target) for _, _, target in flow.missing}
        unreachable = [i for i in flow.unreachable if flow.steps[i].id not in meant]
        if unreachable:
            zh, en = _both(flow, unreachable)
            starts_zh, starts_en = _both(flow, flow.starts)
            yield Finding(e, (*STEPS, unreachable[0], "id"), T(
                f"步骤{zh}从起点{starts_zh}无法到达", f"steps {en} cannot be reached from the start ({starts_en})"))
        for i in flow.isolated:
            if flow.steps[i].id in meant:
                continue
            sid = flow.steps[i].id
            yield Finding(e, (*STEPS, i, "id"), T(f"步骤{_zh(flow, i)}与流程中其他步骤都不相连",
                                                  f"step '{sid}' is not linked to any other step"))


@check(
    "P017", "second-start", severity=Severity.WARNING,
    summary=T("流程有第二个起点（没有步骤指向的步骤）", "The flow has a second start (a step nothing leads to)"),
    citation=CITE_GUIDANCE,
    explanation=T("起点是没有其他步骤指向的步骤。已有起点时，另一个有后续步骤却无人指向的步骤（如谁也不转到的“公示”）"
                  "实际办理时会被跳过：应从前面的步骤指向它，或删去。",
                  "A start is a step no other step names. When the flow already has a start, another step that leads "
                  "on but that nothing leads to (a 公示 step nobody routes to) will be skipped in practice: link it "
                  "from the step before it, or remove it."),
    example="process:\n  steps:\n    - {id: accept, name: 受理, next: [decide]}\n"
            "    - {id: publicise, name: 公示, next: [decide]}\n    - {id: decide, name: 决定}\n",
)
def second_start(cat: Catalog) -> Iterator[Finding]:
    """Steps with a ``next`` that no step names, after the first such step in written order (which
    is the flow's start). Steps with no edge at all are P005's."""
    for e, flow in flows(cat):
        leading = [i for i in flow.starts if flow.succ[i]]
        for i in leading[1:]:
            sid, first = flow.steps[i].id, flow.steps[leading[0]].id
            yield Finding(e, (*STEPS, i, "id"), T(
                f"步骤{_zh(flow, i)}没有任何步骤指向，是起点{_zh(flow, leading[0])}之外的第二个起点，办理时会被跳过",
                f"no step leads to '{sid}': a second start beside '{first}', skipped in practice"))


@check(
    "P006", "no-end-reachable",
    summary=T("步骤无法到达任何终点（死循环）", "No end can be reached from a step (a loop with no exit)"),
    explanation=T("终点是没有 next 的步骤。有出口的回路（如退回补正）是允许的；没有出口的回路会让案件永远办不完。",
                  "An end is a step with no next. Loops with an exit (sending a file back for completion) are fine; "
                  "a loop with no exit means the case can never be closed."),
    example="process:\n  steps:\n    - id: accept\n      name: 受理\n      next: [review]\n"
            "    - id: review\n      name: 审查\n      next: [supplement]\n"
            "    - id: supplement\n      name: 补正\n      next: [review]\n",
)
def no_end_reachable(cat: Catalog) -> Iterator[Finding]:
    """Steps reachable from a start from which no end can be reached. Reported once per flow, at the
    first such step. Unreachable steps are P005's; a ``next`` naming no step is P002's and counts
    as a way out here, so one mistake gives one finding."""
    for e, flow in flows(cat):
        reached = set(flow.order)
        stuck = [i for i in flow.trapped if i in reached]
        if stuck:
            zh, en = _both(flow, stuck)
            yield Finding(e, (*STEPS, stuck[0], "id"), T(
                f"从步骤{zh}无法到达任何终点（回路没有出口或缺少结束步骤）",
                f"no end can be reached from steps {en} (a loop with no exit, or no final step)"))


@check(
    "P007", "incomplete-step", severity=Severity.WARNING,
    summary=T("步骤缺少办理主体或时限", "A step lacks its actor or its days"),
    citation=CITE_GUIDANCE,
    explanation=T("流程图的每一步应写明谁来办（actor）和什么时间办结（days，可以为 0）。",
                  "Every step should say who acts (actor) and within how many days (days, which may be 0)."),
    example="process:\n  steps:\n    - id: review\n      name: 审查\n      action: 审查申请材料\n",
)
def incomplete_step(cat: Catalog) -> Iterator[Finding]:
    """A warning, not an error: the flow still works as a graph, and many published flowcharts
    leave a step's days to the overall limit. ``days: 0`` is a value, not a gap."""
    for e, flow in flows(cat):
        for i, s in enumerate(flow.steps):
            gaps = []
            if not (s.actor or "").strip():
                gaps.append(("办理主体（actor）", "an actor"))
            if s.days is None:
                gaps.append(("办理时限（days）", "days"))
            if gaps:
                yield Finding(e, (*STEPS, i), T(f"步骤{_zh(flow, i)}缺少{'和'.join(z for z, _ in gaps)}",
                                                f"step '{s.id}' lacks {' and '.join(x for _, x in gaps)}"))


# 许可法 第四十五条: time for these does not count towards a licensing limit.
_NOT_COUNTED = re.compile("听证|招标|拍卖|检验|检测|检疫|鉴定|专家评审|专家论证")


def _licence_counted_days(step: Step) -> float:
    if "hearing" in step_kinds(step) or _NOT_COUNTED.search(step.name):
        return 0
    return step.days or 0


# Where the span a statute limits begins: 许可法 第四十二条 counts from acceptance, 处罚法 第六十条 from
# filing (立案). Without such a step the span begins at the start of the flow.
_SPAN_START = {LICENCE: {"accept"}, PENALTY: {"file"}}
_SPAN_START_DEFAULT = {"accept", "file"}
# The span ends with the decision: 送达 (许可法 第四十四条, 处罚法 第六十一条), the party's time to pay
# (处罚法 第六十七条) and payments after approval (给付) have limits of their own, or none.
_SPAN_END = {"decide", "approve"}
# Post-decision limits that a statute sets on their own, in working days (许可法 第八十二条,
# 处罚法 第八十五条: 期限以工作日计算).
_SERVICE_LIMIT: dict[str, tuple[int, Text]] = {
    LICENCE: (10, T("《中华人民共和国行政许可法》第四十四条", "Administrative Licensing Law, article 44")),
    PENALTY: (7, T("《中华人民共和国行政处罚法》第六十一条", "Administrative Penalty Law, article 61")),
}


def _dag_reach(flow: Flow, sources: Iterable[int], forward: bool = True) -> set[int]:
    """Nodes reachable from ``sources`` (forward) or reaching them (backward) along edges that do not
    close a loop; ``sources`` themselves are not included unless reached from another source."""
    edges = [(u, v) for u in range(len(flow.steps)) for v in flow.succ[u] if (u, v) not in flow.back_edges]
    nxt: dict[int, list[int]] = {}
    for u, v in edges:
        a, b = (u, v) if forward else (v, u)
        nxt.setdefault(a, []).append(b)
    seen: set[int] = set()
    todo = list(sources)
    while todo:
        for v in nxt.get(todo.pop(), ()):
            if v not in seen:
                seen.add(v)
                todo.append(v)
    return seen


def _kind_nodes(flow: Flow, kinds: set[str]) -> list[int]:
    return [i for i in flow.order if step_kinds(flow.steps[i]) & kinds]


def _outside_span(flow: Flow, category: str) -> set[int]:
    """Steps the statutory limit does not cover: those before the span's first step (acceptance or
    filing) and those after the decision (service, payment, later instalments)."""
    decisions = _kind_nodes(flow, _SPAN_END)
    after = _dag_reach(flow, decisions) - set(decisions) if decisions else set()
    anchors = _kind_nodes(flow, _SPAN_START.get(category, _SPAN_START_DEFAULT))
    before = _dag_reach(flow, anchors, forward=False) - set(anchors) if anchors else set()
    return after | before


def _span_weight(flow: Flow, category: str) -> Callable[[Step], float]:
    outside = {id(flow.steps[i]) for i in _outside_span(flow, category)}
    counted = _licence_counted_days if category == LICENCE else (lambda s: s.days or 0)
    return lambda s: 0 if id(s) in outside else counted(s)


def _span_steps(flow: Flow, path: tuple[int, ...], category: str) -> list[int]:
    outside = _outside_span(flow, category)
    return [i for i in path if i not in outside]


@check(
    "P008", "path-exceeds-statutory-limit",
    summary=T("流程中法定时限所计的环节超过法定办结时限",
              "The span of the flow a statutory limit covers exceeds it"),
    citation=T("《中华人民共和国行政许可法》第四十二条、第四十五条、第八十二条；《中华人民共和国行政处罚法》第六十条",
               "Administrative Licensing Law, articles 42, 45 and 82; Administrative Penalty Law, article 60"),
    explanation=T("法定时限只计法律规定的区间：行政许可自受理至作出决定（许可法第四十二条），行政处罚自立案至作出决定"
                  "（处罚法第六十条），其他事项自受理（或起点）至决定。决定之后的送达另有时限（P016），当事人缴纳罚款的期限"
                  "（处罚法第六十七条）和审批后按月发放的给付不计入。区间内各步骤 days 沿最长路径相加，单位与 time_limit.unit "
                  "相同；回路每步只计一次；行政许可不计听证、招标、拍卖、检验、检测、检疫、鉴定和专家评审的时间（第四十五条）。",
                  "A statutory limit covers the span its statute names: acceptance to decision for a licence (licensing "
                  "law art. 42), filing to decision for a penalty (penalty law art. 60), acceptance (or the start) to "
                  "the decision otherwise. Service after the decision has its own limit (P016); the party's time to pay "
                  "(penalty law art. 67) and monthly payments after an approval are not part of it. Step days within "
                  "the span are summed along the longest path, in time_limit.unit; loops count each step once; for "
                  "licences hearings, tendering, auctions, testing, inspection, quarantine, appraisal and expert "
                  "review do not count (art. 45)."),
    example="time_limit:\n  statutory: 15\nprocess:\n  steps:\n    - {id: accept, name: 受理, days: 1, next: [review]}\n"
            "    - {id: review, name: 审查, days: 12, next: [decide]}\n    - {id: decide, name: 决定, days: 5}\n",
)
def path_exceeds_statutory_limit(cat: Catalog) -> Iterator[Finding]:
    """The critical path (:meth:`Flow.longest`) weighted by the steps inside the statutory span
    (:func:`_outside_span`: from acceptance / filing to the decision, both included) must fit in
    ``time_limit.statutory``. Flows without a decision step are measured to their end."""
    for e, flow in flows(cat):
        p = e.power
        if p.time_limit is None or p.time_limit.statutory is None:
            continue
        licence = p.category == LICENCE
        path = flow.longest(_span_weight(flow, p.category))
        limit = p.time_limit.statutory
        if path is None or path.days <= limit:
            continue
        counted = _span_steps(flow, path.steps, p.category)
        notes_zh, notes_en = [], []
        if licence and any(_licence_counted_days(flow.steps[i]) != (flow.steps[i].days or 0) for i in counted):
            notes_zh.append("已不计听证、检验检测等时间")
            notes_en.append("hearings, testing and the like not counted")
        if flow.cyclic:
            notes_zh.append("回路每步只计一次")
            notes_en.append("loops counted once")
        zh_note = f"（{'；'.join(notes_zh)}）" if notes_zh else ""
        en_note = f" ({'; '.join(notes_en)})" if notes_en else ""
        took, allowed = _days(path.days, p), _days(limit, p)
        span = " → ".join(flow.ids(counted))
        span_zh = "→".join(_zh(flow, i) for i in counted)
        yield Finding(e, ("time_limit", "statutory"), T(
            f"法定时限所计环节{span_zh}共 {took.zh}{zh_note}，超过法定办结时限 {allowed.zh}",
            f"the span the statutory limit covers, {span}, takes {took.en}{en_note}, "
            f"more than the statutory limit of {allowed.en}"))


def _only(counted: set[int]) -> Callable[[Step], float]:
    """A step weight counting the days of the steps in ``counted`` (by object id) and nothing else."""
    return lambda s: (s.days or 0) if id(s) in counted else 0


@check(
    "P016", "service-exceeds-statutory-limit",
    summary=T("决定后的送达超过法定期限", "Service after the decision exceeds its statutory limit"),
    citation=T("《中华人民共和国行政许可法》第四十四条；《中华人民共和国行政处罚法》第六十一条",
               "Administrative Licensing Law, article 44; Administrative Penalty Law, article 61"),
    explanation=T("作出准予行政许可决定后，应自决定之日起 10 日内颁发、送达许可证件（许可法第四十四条）；行政处罚决定书"
                  "当事人不在场的，应在 7 日内送达（处罚法第六十一条）。两者均以工作日计（许可法第八十二条、处罚法第八十五条）。"
                  "只计决定之后的送达、发证步骤；当事人缴纳罚款的期限不计入。按日历日或月计的流程不作折算，不在此检查。",
                  "After granting a licence, the certificate is issued and served within 10 days of the decision "
                  "(licensing law art. 44); a penalty decision is served within 7 days when the party was absent "
                  "(penalty law art. 61); both in working days (arts. 82 and 85). Only service and issue steps after "
                  "the decision count; the party's time to pay does not. Flows in calendar days or months are not "
                  "converted and not checked here."),
    example="category: 行政许可\nprocess:\n  steps:\n    - {id: accept, name: 受理, days: 1, next: [decide]}\n"
            "    - {id: decide, name: 决定, days: 5, next: [serve]}\n    - {id: serve, name: 送达, days: 12}\n",
)
def service_exceeds_statutory_limit(cat: Catalog) -> Iterator[Finding]:
    """For a 行政许可 (10 working days) or 行政处罚 (7 working days) in working days: the longest path
    counting only service steps (kind serve: 送达, 发证, 制证 …) after a decision must fit the limit."""
    for e, flow in flows(cat):
        p = e.power
        rule = _SERVICE_LIMIT.get(p.category)
        unit = p.time_limit.unit if p.time_limit is not None else "working_days"
        if rule is None or unit != "working_days":
            continue
        decisions = _kind_nodes(flow, _SPAN_END)
        service = {id(flow.steps[i]) for i in _dag_reach(flow, decisions) - set(decisions)
                   if "serve" in step_kinds(flow.steps[i])}
        if not service:
            continue
        path = flow.longest(_only(service))
        limit, law = rule
        if path is None or path.days <= limit:
            continue
        steps = [i for i in path.steps if id(flow.steps[i]) in service]
        zh, en = _both(flow, steps)
        yield Finding(e, (*STEPS, steps[0], "days"), T(
            f"决定后的送达步骤{zh}共 {_days(path.days, p).zh}，超过{law.zh}规定的 {limit} 个工作日",
            f"service after the decision ({en}) takes {_days(path.days, p).en}, more than the {limit} working days "
            f"of {law.en}"))


@check(
    "P009", "promised-exceeds-statutory",
    summary=T("承诺办结时限长于法定办结时限", "The promised time limit is longer than the statutory one"),
    explanation=T("承诺时限是对法定时限的压缩，不能长于法定时限。",
                  "A promised limit shortens the statutory one; it cannot exceed it."),
    example="time_limit:\n  statutory: 20\n  promised: 25\n",
)
def promised_exceeds_statutory(cat: Catalog) -> Iterator[Finding]:
    """``time_limit.promised`` must not exceed ``time_limit.statutory`` (both in ``unit``)."""
    for e in cat.active_powers:
        tl = e.power.time_limit
        if tl is not None and tl.statutory is not None and tl.promised is not None and tl.promised > tl.statutory:
            yield Finding(e, ("time_limit", "promised"), T(
                f"承诺时限 {_days(tl.promised, e.power).zh} 长于法定时限 {_days(tl.statutory, e.power).zh}",
                f"promised limit of {_days(tl.promised, e.power).en} is longer than the statutory "
                f"{_days(tl.statutory, e.power).en}"))


# ------------------------------------------------------------------------------ licences

_DECISION = {"decide", "approve"}  # in licensing flows "审批" is the decision
_STAGES: tuple[tuple[set[str], Text], ...] = (
    ({"accept"}, T("受理", "acceptance")),
    ({"review", "inspect", "legal_review"}, T("审查", "review")),
    (_DECISION, T("决定", "decision")),
    ({"serve"}, T("送达/发证", "service or issue of the licence")),
)


@check(
    "P010", "licence-missing-stage",
    summary=T("行政许可流程缺少受理、审查、决定或送达环节", "A licensing flow lacks acceptance, review, decision or service"),
    citation=T("《中华人民共和国行政许可法》第四章第一节至第三节（第三十二条、第三十四条、第三十七条、第四十四条）",
               "Administrative Licensing Law, chapter 4 (articles 32, 34, 37 and 44)"),
    explanation=T("环节按步骤的 kind 识别；未写 kind 时按名称识别（受理；审查/审核/核查；决定/审批；送达/发证/办结）。",
                  "Stages are recognised from each step's kind, else from its name (受理; 审查/审核/核查; 决定/审批; "
                  "送达/发证/办结)."),
    example="category: 行政许可\nprocess:\n  steps:\n    - {id: accept, name: 受理, next: [decide]}\n"
            "    - {id: decide, name: 决定}\n",
)
def licence_missing_stage(cat: Catalog) -> Iterator[Finding]:
    """A 行政许可 flow must contain at least one step of each stage: accept (art. 32), review
    (art. 34), decide (art. 37) and serve/issue (art. 44)."""
    for e, flow in _of_category(cat, LICENCE):
        present: set[str] = set()
        for s in flow.steps:
            present |= step_kinds(s)
        lacking = [name for kinds, name in _STAGES if not kinds & present]
        if lacking:
            yield Finding(e, STEPS, T(f"行政许可流程缺少{'、'.join(t.zh for t in lacking)}环节",
                                      f"the licensing flow lacks {', '.join(t.en for t in lacking)}"), at="key")


@check(
    "P011", "licence-path-without-decision",
    summary=T("行政许可流程有不经决定就结束的路径", "A licensing flow can end without a decision"),
    citation=T("《中华人民共和国行政许可法》第三十七条、第三十八条", "Administrative Licensing Law, articles 37 and 38"),
    explanation=T("受理后的申请必须作出准予或不予许可的书面决定。不予受理、撤回、终止等提前结束的分支不算。",
                  "An accepted application must end in a written decision to grant or refuse. Branches that close "
                  "the file early (不予受理, withdrawal, termination) are fine."),
    example="category: 行政许可\nprocess:\n  steps:\n    - {id: accept, name: 受理, next: [review]}\n"
            "    - {id: review, name: 审查, next: [decide, archive]}\n    - {id: decide, name: 决定, next: [serve]}\n"
            "    - {id: serve, name: 送达}\n    - {id: archive, name: 归档}\n",
)
def licence_path_without_decision(cat: Catalog) -> Iterator[Finding]:
    """An end reached from a start without passing a decision (or 审批) step, unless the end is an
    early exit (:func:`powerlist.graph.is_early_exit`). Flows with no decision step at all are
    P010's; a step linked to nothing is P005's."""
    decision = _has(_DECISION)
    for e, flow in _of_category(cat, LICENCE):
        if not any(decision(s) for s in flow.steps):
            continue
        ends = set(flow.ends) - set(flow.isolated)
        for i in flow.reachable_avoiding(decision):
            s = flow.steps[i]
            if i in ends and not decision(s) and not is_early_exit(s):
                yield Finding(e, (*STEPS, i, "id"), T(f"流程可以不经许可决定而在{_zh(flow, i)}结束",
                                                      f"the flow can end at '{s.id}' without a licensing decision"))


def _statute_limits(cat: Catalog, power: Power) -> list[tuple[int, str]]:
    """Limits (count, "days" | "months") that the power's basis texts set, from 法律 and 法规 only (许可法
    第四十二条: "法律、法规另有规定的，依照其规定"). A basis whose level is unknown is trusted: the B checks report it."""
    found: list[tuple[int, str]] = []
    for b in power.basis:
        if not b.text:
            continue
        ref = cat.resolve_basis(b.law)
        if ref is not None and ref.level not in ("法律", "行政法规", "地方性法规"):
            continue
        found.extend(time_counts(b.text))
    return found


_CN_DIGITS = {"〇": 0, "零": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_NUMBER = r"(\d+|[〇零一二两三四五六七八九十百]+)"
_DAY_COUNT = re.compile(_NUMBER + r"(?:个)?(?:工作日|日内|日以内|天内)")


def chinese_number(text: str) -> int:
    """``四十五`` → 45, ``一百二十`` → 120, ``30`` → 30."""
    if text.isdigit():
        return int(text)
    total, digit = 0, 0
    for ch in text:
        if ch in _CN_DIGITS:
            digit = _CN_DIGITS[ch]
        else:
            unit = 10 if ch == "十" else 100
            total += (digit or 1) * unit
            digit = 0
    return total + digit


def day_counts(text: str) -> list[int]:
    """Time limits written in a provision: ``自受理之日起二十日内`` → [20]; dates (``2019年4月23日``) are not limits."""
    return [chinese_number(m.group(1)) for m in _DAY_COUNT.finditer(text)]


# 个月 always; a bare 月 only with 内/以内 after it (so a date's 4月 is not a limit).
_MONTH_COUNT = re.compile(_NUMBER + r"(?:个月|月内|月以内)")


def time_counts(text: str) -> list[tuple[int, str]]:
    """Limits written in a provision with their unit, ``days`` (日, 工作日, 天) or ``months`` (个月,
    月内): ``自受理之日起三个月内`` → [(3, "months")]. Dates are not limits."""
    days = [(chinese_number(m.group(1)), "days") for m in _DAY_COUNT.finditer(text)]
    return days + [(chinese_number(m.group(1)), "months") for m in _MONTH_COUNT.finditer(text)]


def _stated_unit(unit: str) -> str:
    """Which stated unit a listed limit compares with: months with months, any day count with days."""
    return "months" if unit == "months" else "days"


@check(
    "P015", "licence-limit-over-20-days",
    summary=T("行政许可法定时限超过 20 个工作日且无法律、法规依据",
              "A licensing limit exceeds 20 working days without a law or regulation allowing it"),
    citation=CITE_LIMIT_42,
    explanation=T("行政许可应在受理之日起 20 个工作日内作出决定；经本机关负责人批准可延长 10 日"
                  "（个案延长，不计入清单的法定时限）；"
                  "联合办理、集中办理的不超过 45 日（可延长 15 日）；法律、法规另有规定的从其规定。"
                  "依据条文（basis.text）中法律、法规写明的期限视为另有规定；按日历日计的时限以 20 个工作日折合 28 日比较。",
                  "A licence is decided within 20 working days of acceptance; the head may extend it by 10 days case by "
                  "case (not part of the listed limit); joint or centralised processing takes at most 45 days (+15); a "
                  "law or regulation may set otherwise. A limit written in a basis text of a law or regulation counts as "
                  "setting otherwise; calendar-day limits are compared at 28 days for 20 working days."),
    example="category: 行政许可\ntime_limit:\n  statutory: 30\n  unit: working_days\n",
)
def licence_limit_over_20_days(cat: Catalog) -> Iterator[Finding]:
    """``time_limit.statutory`` of a 行政许可 above 20 working days (45 when ``co_bodies`` act jointly),
    unless a basis text from a law or regulation sets a limit at least that long in the same kind of
    unit: day counts (日, 工作日) with limits in days, months (个月) with limits in months. Nothing is
    converted (许可法 第八十二条 counts working days): a calendar-day limit passes up to 28 days
    (four weeks never hold more than 20 working days), a limit in months only when a law or
    regulation states months."""
    for e in cat.active_powers:
        p = e.power
        tl = p.time_limit
        if p.category != LICENCE or tl is None or tl.statutory is None:
            continue
        joint = bool(p.co_bodies)
        base = 45 if joint else 20
        allowed = _default_allowance(tl.unit, base)
        if allowed is not None and tl.statutory <= allowed:
            continue
        unit = _stated_unit(tl.unit)
        stated = [n for n, u in _statute_limits(cat, p) if u == unit]
        if stated and max(stated) >= tl.statutory:
            continue
        yield Finding(e, ("time_limit", "statutory"), _over_20_message(p, tl.statutory, joint, allowed, stated))


def _default_allowance(unit: str, base: int) -> float | None:
    """The listed limit 许可法 第四十二条 allows by itself, in ``unit``; None for months (not comparable)."""
    if unit == "months":
        return None
    return base * 7 / 5 if unit == "calendar_days" else base


def _over_20_message(p: Power, limit: float, joint: bool, allowed: float | None, stated: list[int]) -> Text:
    why = T("联合办理不超过 45 个工作日", "45 working days for joint processing") if joint else T(
        "20 个工作日", "20 working days")
    if allowed is not None and p.time_limit is not None and p.time_limit.unit == "calendar_days":
        why = T(f"{why.zh}（不超过 {number(allowed)} 日）", f"{why.en} (at most {number(allowed)} calendar days)")
    if allowed is None:
        why = T(f"{why.zh}（按月计的时限须有法律、法规按月规定）",
                f"{why.en} (a limit in months needs a law or regulation stating months)")
    if stated:
        also = T(f"；依据条文规定的期限为 {_days(max(stated), p).zh}", f"; the basis text sets {_days(max(stated), p).en}")
    else:
        also = T("，依据中也没有法律、法规另行规定的期限", ", and no law or regulation in the basis sets a longer one")
    art = cite("licensing", "第四十二条", "article 42")
    return T(f"法定时限 {_days(limit, p).zh} 超过{art.zh}规定的 {why.zh}{also.zh}",
             f"statutory limit of {_days(limit, p).en} exceeds the {why.en} of {art.en}{also.en}")


# ------------------------------------------------------------------------------ penalties

_NOTICE, _PENALTY_DECISION = _has({"notify"}), _has({"decide"})


@check(
    "P012", "penalty-decision-without-notice",
    summary=T("行政处罚决定前没有告知当事人", "A penalty is decided without first notifying the party"),
    citation=T("《中华人民共和国行政处罚法》第四十四条、第四十五条、第六十二条",
               "Administrative Penalty Law, articles 44, 45 and 62"),
    explanation=T("作出处罚决定前，应告知当事人拟作出处罚的内容及事实、理由、依据，以及陈述、申辩、要求听证等权利。"
                  "告知步骤按 kind: notify 或名称中的“告知”识别，决定步骤按 kind: decide 或名称中的“决定”识别。",
                  "Before deciding a penalty the agency must tell the party the intended penalty, its facts, reasons "
                  "and basis, and the rights to state a case, defend and ask for a hearing. Notices are steps of kind "
                  "notify (or named 告知), decisions steps of kind decide (or named 决定)."),
    example="category: 行政处罚\nprocess:\n  steps:\n    - {id: file, name: 立案, next: [investigate]}\n"
            "    - {id: investigate, name: 调查取证, next: [decide]}\n    - {id: decide, name: 处罚决定}\n",
)
def penalty_decision_without_notice(cat: Catalog) -> Iterator[Finding]:
    """A 行政处罚 flow needs a notice step, and no decision step may be reachable from a start
    without passing one (each such decision is reported)."""
    for e, flow in _of_category(cat, PENALTY):
        if not any(_NOTICE(s) for s in flow.steps):
            yield Finding(e, STEPS, T("行政处罚流程没有告知当事人事实、理由、依据及陈述申辩权利的步骤",
                                      "the penalty flow has no step notifying the party of the facts, reasons, basis "
                                      "and the right to state and defend"), at="key")
            continue
        for i in flow.reachable_avoiding(_NOTICE):
            s = flow.steps[i]
            if _PENALTY_DECISION(s) and not _NOTICE(s):
                yield Finding(e, (*STEPS, i, "id"), T(f"处罚决定步骤{_zh(flow, i)}之前可以不经告知",
                                                      f"the decision step '{s.id}' can be reached without notifying the party"))


# 处罚法 第六十三条: penalties that carry a right to a hearing.
_HEAVY = re.compile("吊销|降低资质等级|责令停产停业|停产停业|责令关闭|限制从业|较大数额|较大价值")
_FINE_IN_WAN = re.compile(r"[0-9０-９一二三四五六七八九十百千两]+(?:\.\d+)?万元")


def heavy_penalty(power: Power) -> str | None:
    """The words that make a penalty one with a hearing right (处罚法 第六十三条), found in the name,
    sub-items or basis texts; None when nothing says so. A fine counts when it is stated in 万元:
    local standards set "较大数额" at a few thousand to tens of thousands of yuan."""
    for text in (power.name, *power.sub_item_names(), *(b.text or "" for b in power.basis)):
        m = _HEAVY.search(text)
        if m:
            return m.group(0)
        if "罚款" in text:
            fine = _FINE_IN_WAN.search(text)
            if fine:
                return f"{fine.group(0)}罚款"
    return None


def _offers_hearing(step: Step) -> bool:
    return "hearing" in step_kinds(step) or "听证" in step.name or "听证" in (step.action or "")


@check(
    "P013", "penalty-hearing-not-offered",
    summary=T("较重的行政处罚流程没有听证环节", "A heavy penalty's flow offers no hearing"),
    citation=T("《中华人民共和国行政处罚法》第六十三条", "Administrative Penalty Law, article 63"),
    explanation=T("较大数额罚款、没收较大数额违法所得或较大价值非法财物、降低资质等级、吊销许可证件、责令停产停业、"
                  "责令关闭、限制从业等，应告知当事人有要求听证的权利。从事项名称、子项和依据条文识别；"
                  "流程中应有听证步骤，或告知步骤写明听证权利。",
                  "Larger fines or confiscations, lowering a qualification, revoking a licence, ordering suspension "
                  "or closure and restricting practice carry a right to a hearing. Recognised from the name, sub-items "
                  "and basis texts; the flow needs a hearing step, or a notice that names the hearing right."),
    example="name: 对未取得取水许可擅自取水的处罚\ncategory: 行政处罚\nsub_items: [吊销取水许可证]\n",
)
def penalty_hearing_not_offered(cat: Catalog) -> Iterator[Finding]:
    """For penalties :func:`heavy_penalty` recognises: some step must be a hearing (kind or name) or
    mention 听证 in its name or action."""
    for e, flow in _of_category(cat, PENALTY):
        why = heavy_penalty(e.power)
        if why and not any(_offers_hearing(s) for s in flow.steps):
            art = cite("penalty", "第六十三条", "article 63")
            yield Finding(e, STEPS, T(f"事项涉及「{why}」，流程应告知听证权利并设听证环节（{art.zh}）",
                                      f"the penalty involves '{why}': the flow must offer a hearing ({art.en})"),
                          at="key")


# ------------------------------------------------------------------------------ compulsory measures

# Enforcement (强制执行, 强制法 第四章) follows other rules than measures (第三章).
_ENFORCEMENT = re.compile("强制执行|代履行|加处罚款|滞纳金|划拨|拍卖")
_EMERGENCY = re.compile("紧急|当场")
_APPROVAL = _has({"approve"})


def _execute(step: Step) -> bool:
    return "execute" in step_kinds(step) and not _APPROVAL(step)


def _emergency(flow: Flow, i: int, reached: set[int]) -> bool:
    """An emergency branch (强制法 第十九条): the step or the edge into it says 紧急/当场, and an
    approval follows it (补办批准手续)."""
    s = flow.steps[i]
    said = bool(_EMERGENCY.search(s.name) or _EMERGENCY.search(s.action or "")) or any(
        not isinstance(n, str) and n.to == s.id and n.when and _EMERGENCY.search(n.when)
        for u in reached for n in flow.steps[u].next)
    return said and any(_APPROVAL(flow.steps[j]) for j in flow.reachable_from(flow.succ[i]))


@check(
    "P014", "compulsory-measure-without-approval",
    summary=T("行政强制措施实施前没有报经负责人批准", "A compulsory measure is taken without the head's prior approval"),
    citation=T("《中华人民共和国行政强制法》第十八条、第十九条", "Administrative Compulsion Law, articles 18 and 19"),
    explanation=T("实施行政强制措施前须向行政机关负责人报告并经批准；情况紧急当场实施的，应在 24 小时内报告并补办批准手续。"
                  "批准步骤按 kind: approve 或名称（审批、批准、报批）识别，"
                  "实施步骤按 kind: execute 或名称（实施、查封、扣押、冻结）识别。"
                  "强制执行事项（强制执行、代履行、加处罚款等）不适用本条。",
                  "Before a compulsory measure the agency head must be told and approve; in an emergency the measure "
                  "may be taken on the spot and approval obtained within 24 hours. Approvals are steps of kind approve "
                  "(or named 审批/批准/报批), measures steps of kind execute (or named 实施/查封/扣押/冻结). Enforcement "
                  "items (强制执行, 代履行, 加处罚款 …) are not covered."),
    example="name: 查封违法取水设施\ncategory: 行政强制\nprocess:\n  steps:\n    - {id: find, name: 发现违法, next: [seal]}\n"
            "    - {id: seal, name: 实施查封}\n",
)
def compulsory_measure_without_approval(cat: Catalog) -> Iterator[Finding]:
    """A 行政强制 measure's flow needs an approval step, and no measure step may be reachable from
    a start without passing one, except an emergency branch followed by approval (art. 19)."""
    for e, flow in _of_category(cat, COMPULSORY):
        if _ENFORCEMENT.search(e.power.name):
            continue
        if not any(_APPROVAL(s) for s in flow.steps):
            yield Finding(e, STEPS, T("行政强制措施流程没有报经行政机关负责人批准的步骤",
                                      "the compulsory-measure flow has no step for the agency head's approval"), at="key")
            continue
        reached = flow.reachable_avoiding(_APPROVAL)
        before = set(reached)
        for i in reached:
            s = flow.steps[i]
            if _execute(s) and not _emergency(flow, i, before):
                yield Finding(e, (*STEPS, i, "id"), T(f"实施步骤{_zh(flow, i)}之前可以不经负责人批准",
                                                      f"the measure step '{s.id}' can be reached without the head's approval"))

"""powerlist.graph: the fast flow analysis agrees with a networkx reference; kinds; drawing graph."""

from __future__ import annotations

from typing import Any

import networkx as nx
import yaml
from casefiles import GOOD_POWER
from hypothesis import given, settings
from hypothesis import strategies as st

from powerlist.checks.process import chinese_number, day_counts
from powerlist.graph import analyse, is_early_exit, recognise_kinds, step_kind, step_kinds, to_networkx
from powerlist.models import NextEdge, Power, Process, Step


def flow(*specs: tuple[str, list[Any]] | tuple[str, list[Any], float]) -> list[Step]:
    """Steps from (id, next[, days]) tuples; ``{to, when}`` dicts become branches."""
    out = []
    for spec in specs:
        sid, nxt, *days = spec
        edges = [NextEdge(**n) if isinstance(n, dict) else n for n in nxt]
        out.append(Step(id=sid, name=sid, next=edges, days=days[0] if days else 1))
    return out


# ------------------------------------------------------------------------------ the reference


SRC, SINK = object(), object()


def reference(steps: list[Step]) -> dict[str, Any]:
    """The same verdicts computed with networkx, on the graph to_networkx draws."""
    g = to_networkx(steps)
    ids = list(g)
    seen: set[str] = set()
    duplicates = []
    for s in steps:
        if s.id in seen:
            duplicates.append(s.id)
        seen.add(s.id)
    missing = [(s.id, t) for s in steps for t in s.targets() if t not in g]
    has_next = {sid for s in steps for sid in [s.id] if s.next}
    ends = [sid for sid in ids if sid not in has_next]
    starts = [sid for sid in ids if not any(p != sid for p in g.predecessors(sid))]
    if not starts and ids:
        starts = [ids[0]]
    reach = set(starts).union(*(nx.descendants(g, s) for s in starts))
    exits = set(ends) | {sid for sid, _ in missing}
    h = g.copy()
    h.add_edges_from((e, SINK) for e in exits)
    can_exit = nx.ancestors(h, SINK) if exits else set()
    isolated = [sid for sid in ids if len(ids) > 1 and g.degree(sid) == 0 and sid not in has_next]

    # Longest path: drop the back edges of a DFS from the starts in order, then a DAG longest path
    # where an edge weighs the days of the step it enters.
    d = g.copy()
    d.add_nodes_from((SRC, SINK))
    d.add_edges_from((SRC, s) for s in starts)
    on_stack: set[Any] = set()
    back = set()
    for u, v, label in nx.dfs_labeled_edges(d, SRC):
        if label == "forward":
            on_stack.add(v)
        elif label == "reverse":
            on_stack.discard(v)
        elif label == "nontree" and v in on_stack:
            back.add((u, v))
    d.remove_edges_from(back)
    d.add_edges_from((e, SINK) for e in ends if e in reach)
    keep = (nx.descendants(d, SRC) & nx.ancestors(d, SINK)) | {SRC, SINK}
    dag = d.subgraph(keep).copy()
    assert nx.is_directed_acyclic_graph(dag)
    for u, v in dag.edges:
        dag.edges[u, v]["w"] = 0 if v is SINK else (g.nodes[v]["step"].days or 0)
    longest = nx.dag_longest_path_length(dag, weight="w") if SINK in nx.descendants(dag, SRC) else None

    return {
        "duplicates": duplicates,
        "missing": missing,
        "starts": starts,
        "ends": ends,
        "unreachable": [sid for sid in ids if sid not in reach],
        "trapped": [sid for sid in ids if sid not in can_exit],
        "isolated": isolated,
        "cyclic": not nx.is_directed_acyclic_graph(g),
        "longest": longest,
    }


def fast(steps: list[Step]) -> dict[str, Any]:
    f = analyse(steps)
    path = f.longest()
    return {
        "duplicates": f.ids(i for i, _ in f.duplicates),
        "missing": [(steps[i].id, t) for i, _, t in f.missing],
        "starts": f.ids(f.starts),
        "ends": f.ids(f.ends),
        "unreachable": f.ids(f.unreachable),
        "trapped": f.ids(f.trapped),
        "isolated": f.ids(f.isolated),
        "cyclic": f.cyclic,
        "longest": None if path is None else path.days,
    }


IDS = "abcdef"
TARGETS = IDS + "x"  # x is never a step: a missing target


@st.composite
def random_steps(draw: st.DrawFn) -> list[Step]:
    n = draw(st.integers(0, 9))
    out = []
    for _ in range(n):
        sid = draw(st.sampled_from(IDS))
        targets = draw(st.lists(st.sampled_from(TARGETS), max_size=3))
        edges: list[str | NextEdge] = [
            NextEdge(to=t, when="退回") if draw(st.booleans()) else t for t in targets]
        days = draw(st.none() | st.integers(0, 30))
        out.append(Step(id=sid, name=sid, next=edges, days=days))
    return out


@settings(max_examples=600, deadline=None)
@given(random_steps())
def test_fast_analysis_matches_networkx(steps: list[Step]) -> None:
    assert fast(steps) == reference(steps)


@settings(max_examples=200, deadline=None)
@given(random_steps())
def test_longest_path_is_a_real_start_to_end_path(steps: list[Step]) -> None:
    f = analyse(steps)
    path = f.longest()
    if path is None:
        return
    assert path.steps[0] in f.starts and path.steps[-1] in f.ends
    assert all(v in f.succ[u] for u, v in zip(path.steps, path.steps[1:], strict=False))
    assert len(set(path.steps)) == len(path.steps)
    assert path.days == sum(steps[i].days or 0 for i in path.steps)


# ------------------------------------------------------------------------------ worked examples


def good_power_flow() -> Process:
    power = Power.model_validate(yaml.safe_load(GOOD_POWER))
    assert power.process is not None
    return power.process


def test_good_power_flow() -> None:
    f = analyse(good_power_flow())
    assert f.ids(f.starts) == ["accept"]
    assert f.ids(f.ends) == ["refuse", "serve"]
    assert not (f.unreachable or f.trapped or f.duplicates or f.missing or f.isolated or f.cyclic)
    path = f.longest()
    assert path is not None
    assert (path.days, f.ids(path.steps)) == (18, ["accept", "review", "decide", "serve"])


def test_send_back_loop_counts_each_step_once() -> None:
    steps = flow(("accept", ["review"], 1), ("review", ["decide", {"to": "supplement", "when": "材料需补正"}], 10),
                 ("supplement", ["review"], 15), ("decide", [], 3))
    f = analyse(steps)
    assert f.cyclic and not f.trapped
    assert f.ids(e for e in f.back_edges for e in e) == ["supplement", "review"]
    path = f.longest()
    assert path is not None and (path.days, f.ids(path.steps)) == (14, ["accept", "review", "decide"])


def test_loop_without_exit_is_trapped() -> None:
    f = analyse(flow(("a", ["b"]), ("b", ["c"]), ("c", ["b"])))
    assert f.ids(f.trapped) == ["a", "b", "c"]
    assert f.longest() is None


def test_no_start_uses_first_step() -> None:
    f = analyse(flow(("a", ["b"]), ("b", ["a", "end"]), ("end", []), ("x", ["y"]), ("y", ["x"])))
    assert f.implicit_start and f.ids(f.starts) == ["a"]
    assert f.ids(f.unreachable) == ["x", "y"]
    assert f.ids(f.trapped) == ["x", "y"]


def test_missing_target_is_one_finding_not_a_dead_end() -> None:
    f = analyse(flow(("a", ["b"]), ("b", ["revew"])))
    assert f.missing == [(1, 0, "revew")]
    assert not f.trapped and f.ids(f.ends) == []


def test_duplicate_id_merges_edges_into_first_step() -> None:
    f = analyse(flow(("a", ["b"]), ("b", []), ("a", ["c"]), ("c", [])))
    assert f.duplicates == [(2, 0)]
    assert f.ids(f.succ[0]) == ["b", "c"] and not f.unreachable


def test_isolated_step() -> None:
    f = analyse(flow(("a", ["b"]), ("b", []), ("lost", [])))
    assert f.ids(f.isolated) == ["lost"]
    assert f.ids(f.starts) == ["a", "lost"]


def test_weight_leaves_steps_out() -> None:
    steps = flow(("a", ["hear"], 2), ("hear", ["b"], 30), ("b", [], 3))
    path = analyse(steps).longest(lambda s: 0 if s.id == "hear" else (s.days or 0))
    assert path is not None and path.days == 5


def test_reachable_avoiding_stops_at_blocked_steps() -> None:
    f = analyse(flow(("a", ["b", "c"]), ("b", ["d"]), ("c", ["d"]), ("d", [])))
    assert f.ids(f.reachable_avoiding(lambda s: s.id == "b")) == ["a", "b", "c", "d"]
    assert f.ids(f.reachable_avoiding(lambda s: s.id in ("b", "c"))) == ["a", "b", "c"]
    assert f.ids(f.reachable_from([1])) == ["b", "d"]


def test_empty_flow() -> None:
    f = analyse(None)
    assert f.starts == f.ends == [] and f.longest() is None


# ------------------------------------------------------------------------------ kinds


def test_recognise_kinds() -> None:
    assert recognise_kinds("受理") == {"accept"}
    assert recognise_kinds("不予受理") == frozenset()
    assert recognise_kinds("审查决定") == {"review", "decide"}
    assert recognise_kinds("听证告知") == {"notify", "hearing"}
    assert recognise_kinds("法制审核") == {"legal_review", "review"}
    assert recognise_kinds("制证送达") == {"serve"}
    assert recognise_kinds("负责人审批") == {"approve"}
    assert recognise_kinds("立案") == {"file"}
    assert recognise_kinds("调查取证") == {"investigate"}
    assert recognise_kinds("实施查封") == {"execute"}
    assert recognise_kinds("归档") == frozenset()


def test_written_kind_wins() -> None:
    step = Step(id="x", name="决定", kind="serve")
    assert step_kinds(step) == {"serve"} and step_kind(step) == "serve"
    assert step_kind(Step(id="y", name="决定送达")) == "serve"
    assert step_kind(Step(id="z", name="归档")) == "other"


def test_early_exit() -> None:
    assert is_early_exit(Step(id="r", name="不予受理"))
    assert is_early_exit(Step(id="w", name="申请人撤回申请"))
    assert not is_early_exit(Step(id="d", name="不予许可决定"))


# ------------------------------------------------------------------------------ drawing


def test_to_networkx_carries_steps_and_conditions() -> None:
    g = to_networkx(good_power_flow())
    assert list(g) == ["accept", "refuse", "review", "decide", "serve"]
    assert g.nodes["review"]["index"] == 2 and g.nodes["refuse"]["kind"] == "other"
    assert g.nodes["accept"]["step"].actor == "政务服务中心水务窗口"
    assert g.edges["accept", "refuse"]["when"] == "材料不符合要求"
    assert g.edges["accept", "review"]["when"] is None
    assert list(g.successors("accept")) == ["review", "refuse"]


def test_to_networkx_joins_repeated_conditions_and_skips_missing() -> None:
    steps = flow(("a", [{"to": "b", "when": "甲"}, {"to": "b", "when": "乙"}, "nowhere"]), ("b", []))
    g = to_networkx(steps)
    assert g.edges["a", "b"]["when"] == "甲；乙" and list(g) == ["a", "b"]


# ------------------------------------------------------------------------------ limits in basis texts


def test_chinese_numbers() -> None:
    assert [chinese_number(t) for t in ("三", "十", "十五", "二十", "四十五", "一百", "一百二十", "两百", "30")] == [
        3, 10, 15, 20, 45, 100, 120, 200, 30]


def test_day_counts_read_limits_not_dates() -> None:
    assert day_counts("自受理之日起二十日内作出决定；需要延长的，经批准可以延长十日") == [20]
    assert day_counts("应当自受理申请之日起45个工作日内审查完毕，并在5日以内告知") == [45, 5]
    assert day_counts("本条例自2019年4月23日起施行") == []

"""Process flowcharts (运行流程图) as directed graphs.

Two views of one ``process.steps`` list:

* :func:`analyse` → :class:`Flow`: a fast, pure-Python single pass used by the P checks (starts,
  ends, duplicate ids, missing targets, unreachable steps, steps with no way out, loops, and the
  longest start-to-end path in days). Catalogues reach 100,000 powers, and building networkx
  graphs for every one costs several times more than this pass (measured: 11.9 s vs 1.8 s).
* :func:`to_networkx` → ``networkx.DiGraph`` for drawing and export. Nodes are step ids and carry
  the step; edges carry the branch condition ``when``. The tests check that both views agree.

Both views read the flow the same way:

* A node is a step id. When an id is written twice (a P003 finding) the first step is the node and
  the later step's ``next`` edges leave that node too, so one typo does not also make its targets
  look unreachable.
* A ``next`` naming no step (a P002 finding) adds no edge. For "can an end be reached" such a step
  counts as having a way out, for the same reason: one mistake, one finding.
* An end is a step with no ``next``; a start is a step no *other* step names. When every step is
  named by another (a P004 finding) the first step acts as the start, so the rest of the analysis
  still says something useful.
* Loops with a way out are legitimate (退回补正: review sends the file back to acceptance). The
  longest path counts every step at most once: it is computed on the graph without the *back
  edges* of a depth-first search that starts from the starts in file order and follows ``next``
  in written order. For the usual loop (a step sends the file back to an earlier one) the back
  edge is exactly the "send back" edge, so the longest path is the first pass with no rework.

Step kinds (:func:`step_kinds`) come from ``kind`` when written, otherwise from the step's name
(受理, 审查, 决定, 送达 …); the P checks of issue 6 use them to find acceptance, decisions, notices,
hearings and approvals.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

from powerlist.models import Process, Step, StepKind

if TYPE_CHECKING:
    import networkx as nx

Edge = tuple[int, int]
Weight = Callable[[Step], float]

# ------------------------------------------------------------------------------ step kinds

# Order = priority for the primary kind (what a drawing shows): "决定送达" is a serve step that
# also implies a decision, "听证告知" a notice that also offers a hearing.
_KIND_PATTERNS: tuple[tuple[StepKind, re.Pattern[str]], ...] = (
    ("notify", re.compile("告知")),
    ("hearing", re.compile("听证")),
    ("legal_review", re.compile("法制审核|法制审查|合法性审查|合法性审核")),
    ("serve", re.compile("送达|发证|颁证|颁发|制证|送证|出证|发放|办结")),
    ("decide", re.compile("决定|集体讨论|审定|核准")),
    ("approve", re.compile("审批|批准|报批|签批|签发")),
    ("review", re.compile("审查|审核|初审|复审|复核|评审|审理|核实")),
    ("inspect", re.compile("检查|核查|勘查|勘验|踏勘|检验|检测|检疫|鉴定|查验")),
    ("file", re.compile("立案")),
    ("investigate", re.compile("调查|取证")),
    ("execute", re.compile("执行|实施|查封|扣押|冻结")),
    ("accept", re.compile("受理|收件|接件")),
)
# "不予受理" is a refusal to accept, not an acceptance: remove it before matching.
_REFUSAL = re.compile("不予受理|不受理")
# Ends that legitimately close a file before any decision (an application refused at the
# counter, withdrawn or terminated): not a dead end, not a path missing its decision.
_EARLY_EXIT = re.compile("不予受理|不受理|撤回|终止|退件|退回申请")


@lru_cache(maxsize=8192)  # catalogues reuse a few hundred step names 100,000 times
def recognise_kinds(name: str) -> frozenset[StepKind]:
    """Kinds a step name implies, e.g. ``审查决定`` → {review, decide}; empty when none is recognised."""
    text = _REFUSAL.sub("", name)
    return frozenset(kind for kind, pattern in _KIND_PATTERNS if pattern.search(text))


def step_kinds(step: Step) -> frozenset[StepKind]:
    """The written ``kind`` when there is one (it is exact), else the kinds recognised from the name."""
    if step.kind is not None:
        return frozenset((step.kind,))
    return recognise_kinds(step.name)


def step_kind(step: Step) -> StepKind:
    """One kind per step, for drawing: the written kind, else the first recognised, else ``other``."""
    if step.kind is not None:
        return step.kind
    text = _REFUSAL.sub("", step.name)
    return next((kind for kind, pattern in _KIND_PATTERNS if pattern.search(text)), "other")


def is_early_exit(step: Step) -> bool:
    """A step that closes the file without a decision on the merits (不予受理, 撤回, 终止 …)."""
    return bool(_EARLY_EXIT.search(step.name))


def _steps_of(process: Process | Sequence[Step] | None) -> Sequence[Step]:
    if process is None:
        return ()
    return process.steps if isinstance(process, Process) else process


# ------------------------------------------------------------------------------ the fast analysis


@dataclass(frozen=True, slots=True)
class CriticalPath:
    """The longest start-to-end path: its length and its steps (indices into ``Flow.steps``)."""

    days: float
    steps: tuple[int, ...]


@dataclass(slots=True)
class Flow:
    """Everything the P checks need to know about one flow (read-only by convention: it is not
    frozen because a frozen dataclass costs four times as much to build, 100,000 times). Step
    numbers are indices into ``steps`` (the list as written), so a check can point at
    ``("process", "steps", i)``.

    Only the first step with a given id is a node; ``starts``, ``ends``, ``unreachable``,
    ``isolated``, ``trapped`` and ``succ`` speak of nodes only. Lists are in written order.
    """

    steps: Sequence[Step]
    node_of: dict[str, int]
    """Step id → index of the first step with that id."""
    succ: list[list[int]]
    """Following nodes of each node, in written order without repeats (empty for a repeated id)."""
    duplicates: list[Edge]
    """(index of a repeated step, index of the first step with its id)."""
    missing: list[tuple[int, int, str]]
    """(step index, position in its ``next``, the id named) for every ``next`` naming no step."""
    starts: list[int]
    implicit_start: bool
    """True when no step is a start and the first step stands in for one."""
    ends: list[int]
    unreachable: list[int]
    """Nodes no path from a start reaches."""
    isolated: list[int]
    """Nodes with no edge in or out, in a flow of more than one node (forgotten links)."""
    trapped: list[int]
    """Nodes from which no end (or unresolved ``next``) can be reached: dead ends, loops with no exit."""
    back_edges: set[Edge]
    """Edges that close a loop (depth-first search from the starts in file order)."""
    order: list[int]
    """Nodes reached from the starts, in depth-first post-order: successors before predecessors
    along every edge that is not a back edge (the order the longest-path pass needs)."""

    @property
    def cyclic(self) -> bool:
        """True when the flow has a loop (anywhere, reachable or not)."""
        return bool(self.back_edges)

    def ids(self, indices: Iterable[int]) -> list[str]:
        return [self.steps[i].id for i in indices]

    def longest(self, weight: Weight | None = None) -> CriticalPath | None:
        """The longest path from a start to an end, each step counted once and back edges ignored.

        ``weight`` gives the days a step counts (default: ``days``, 0 when absent), e.g. to leave out
        hearings and expert reviews (许可法 第四十五条). None when no end can be reached.
        """
        w = weight or _days
        steps, succ, back = self.steps, self.succ, self.back_edges
        best: list[float | None] = [None] * len(steps)  # node -> longest days from it to an end
        choice = [-1] * len(steps)
        ends = set(self.ends)
        for u in self.order:  # successors first
            here: float | None = 0.0 if u in ends else None
            for v in succ[u]:
                b = best[v]
                if b is not None and (here is None or b > here) and not (back and (u, v) in back):
                    here, choice[u] = b, v
            if here is not None:
                best[u] = w(steps[u]) + here
        top = max((s for s in self.starts if best[s] is not None), key=lambda s: best[s] or 0, default=None)
        if top is None:
            return None
        days = best[top]
        assert days is not None
        path = [top]
        while choice[path[-1]] >= 0:
            path.append(choice[path[-1]])
        return CriticalPath(days, tuple(path))

    def reachable_avoiding(self, blocked: Callable[[Step], bool]) -> list[int]:
        """Nodes a path from a start reaches without passing a blocked step (blocked steps are
        reached but not passed: they are in the result). In written order.

        E.g. ``reachable_avoiding(is_decision)`` holds every decision and every end that some path
        reaches before any decision."""
        seen = [False] * len(self.steps)
        todo = list(self.starts)
        for s in todo:
            seen[s] = True
        while todo:
            u = todo.pop()
            if blocked(self.steps[u]):
                continue
            for v in self.succ[u]:
                if not seen[v]:
                    seen[v] = True
                    todo.append(v)
        return [i for i, hit in enumerate(seen) if hit]

    def reachable_from(self, sources: Iterable[int]) -> list[int]:
        """Nodes reachable from ``sources`` (themselves included), in written order."""
        seen = [False] * len(self.steps)
        todo = list(sources)
        for s in todo:
            seen[s] = True
        while todo:
            for v in self.succ[todo.pop()]:
                if not seen[v]:
                    seen[v] = True
                    todo.append(v)
        return [i for i, hit in enumerate(seen) if hit]


def _days(step: Step) -> float:
    return step.days or 0


def analyse(process: Process | Sequence[Step] | None) -> Flow:
    """Analyse one flow in a single pass over its steps and edges (see the module docstring)."""
    steps = _steps_of(process)
    n = len(steps)
    node_of: dict[str, int] = {}
    duplicates: list[Edge] = []
    for i, s in enumerate(steps):
        first = node_of.setdefault(s.id, i)
        if first != i:
            duplicates.append((i, first))

    succ: list[list[int]] = [[] for _ in range(n)]
    has_next = [False] * n
    exits = [False] * n  # an end, or a step whose next names nothing we know: it has a way out
    named = [False] * n
    missing: list[tuple[int, int, str]] = []
    for i, s in enumerate(steps):
        u = node_of[s.id]
        out = succ[u]
        for j, nxt in enumerate(s.next):
            has_next[u] = True
            target = nxt if isinstance(nxt, str) else nxt.to
            v = node_of.get(target)
            if v is None:
                missing.append((i, j, target))
                exits[u] = True
                continue
            if v not in out:
                out.append(v)
            if v != u:
                named[v] = True

    nodes = [i for i in range(n) if node_of[steps[i].id] == i] if duplicates else list(range(n))
    ends = [i for i in nodes if not has_next[i]]
    for i in ends:
        exits[i] = True
    starts = [i for i in nodes if not named[i]]
    implicit = not starts and bool(nodes)
    if implicit:
        starts = [nodes[0]]

    # Depth-first search: from the starts first (reachability, back edges, post-order for the
    # longest path), then from every node left (loops anywhere, and a complete post-order).
    color = [0] * n  # 0 new, 1 on the stack, 2 done
    back: set[Edge] = set()
    post: list[int] = []
    reached = 0
    for roots in (starts, nodes):
        for r in roots:
            if color[r]:
                continue
            color[r] = 1
            stack = [(r, iter(succ[r]))]
            while stack:
                u, it = stack[-1]
                for v in it:
                    c = color[v]
                    if c == 0:
                        color[v] = 1
                        stack.append((v, iter(succ[v])))
                        break
                    if c == 1:
                        back.add((u, v))
                else:
                    color[u] = 2
                    post.append(u)
                    stack.pop()
        if roots is starts:
            reached = len(post)
    order = post[:reached]
    reachable = set(order)
    unreachable = [i for i in nodes if i not in reachable]

    # Which nodes can reach a way out. Without loops the post-order visits successors first, so
    # one pass settles it; with loops, walk the edges backwards from the exits instead.
    can_exit = exits[:]
    if not back:
        for u in post:
            if not can_exit[u]:
                for v in succ[u]:
                    if can_exit[v]:
                        can_exit[u] = True
                        break
    else:
        pred: list[list[int]] = [[] for _ in range(n)]
        for u in nodes:
            for v in succ[u]:
                pred[v].append(u)
        todo = [i for i in nodes if exits[i]]
        while todo:
            for p in pred[todo.pop()]:
                if not can_exit[p]:
                    can_exit[p] = True
                    todo.append(p)
    trapped = [i for i in nodes if not can_exit[i]]

    isolated: list[int] = []
    if len(nodes) > 1:
        isolated = [i for i in nodes if not named[i] and not has_next[i]]

    return Flow(steps, node_of, succ, duplicates, missing, starts, implicit, ends, unreachable, isolated,
                trapped, back, order)


# ------------------------------------------------------------------------------ networkx, for drawing


def to_networkx(process: Process | Sequence[Step] | None) -> nx.DiGraph:
    """The flow as a ``networkx.DiGraph``, for drawing and export.

    Nodes are step ids, in written order, with attributes ``step`` (the :class:`Step`), ``index``
    (its position in ``process.steps``) and ``kind`` (:func:`step_kind`). Edges follow ``next`` in
    written order with attribute ``when`` (the branch condition, or None; conditions of repeated
    edges are joined with "；"). Steps that repeat an id add their edges to the first step's node;
    ``next`` entries naming no step add nothing (see :func:`analyse` for both).
    """
    import networkx as nx

    g = nx.DiGraph()
    steps = _steps_of(process)
    for i, s in enumerate(steps):
        if s.id not in g:
            g.add_node(s.id, step=s, index=i, kind=step_kind(s))
    for s in steps:
        for nxt in s.next:
            target, when = (nxt, None) if isinstance(nxt, str) else (nxt.to, nxt.when)
            if target not in g:
                continue
            if g.has_edge(s.id, target):
                data = g.edges[s.id, target]
                if when and data["when"] and when != data["when"]:
                    data["when"] = f"{data['when']}；{when}"
                elif when:
                    data["when"] = when
            else:
                g.add_edge(s.id, target, when=when)
    return g

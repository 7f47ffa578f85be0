"""A power's flowchart (运行流程图) as SVG: who (谁来办), how (怎么办) and how many days per step.

Layered layout (a small Sugiyama): cycles broken by a depth-first search (their back edges drawn
dashed at the side), longest-path layering of the remaining DAG, dummy points where an edge
skips layers, a few barycentre sweeps to reduce crossings, then each layer centred. Pure
presentation attributes, no CSS: the same SVG works inline in a page and as a standalone file.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from powerlist.export.clean import days_text, unit_of
from powerlist.export.markup import esc, wrap
from powerlist.graph import analyse, to_networkx
from powerlist.models import Power, Step

if TYPE_CHECKING:
    import networkx as nx

BOX_W = 210
DUMMY_W = 14
GAP_X = 30
GAP_Y = 54
PAD = 10
MARGIN = 16
SIDE = 46  # room on the right for back edges
NAME_SIZE = 14
TEXT_SIZE = 12
LINE = 1.35
FONT = "system-ui, 'Noto Sans CJK SC', 'Source Han Sans SC', 'PingFang SC', 'Microsoft YaHei', sans-serif"
FILL = {"start": "#e7f3ea", "end": "#f6efe3", "step": "#edf2fa"}
STROKE = "#4a5a70"


@dataclass
class Node:
    index: int  # the step's node number, or -1 for a dummy point on a long edge
    layer: int
    lines: list[tuple[str, float, bool, str]] = field(default_factory=list)  # (text, size, bold, colour)
    x: float = 0.0  # centre
    y: float = 0.0  # top
    w: float = DUMMY_W
    h: float = 0.0


def _layers(g: nx.DiGraph, back: set[tuple[str, str]]) -> dict[str, int]:
    """Longest-path layering: each step one layer below its lowest predecessor (loops ignored).
    Kahn's algorithm in written order; a flow has a handful of steps, so plain Python is fastest."""
    indeg = dict.fromkeys(g.nodes, 0)
    for u, v in g.edges:
        if (u, v) not in back:
            indeg[v] += 1
    layer = dict.fromkeys(g.nodes, 0)
    todo = [n for n, d in indeg.items() if d == 0]
    while todo:
        u = todo.pop()
        for v in g.successors(u):
            if (u, v) in back:
                continue
            layer[v] = max(layer[v], layer[u] + 1)
            indeg[v] -= 1
            if indeg[v] == 0:
                todo.append(v)
    return layer


def _box_lines(s: Step, unit: str) -> list[tuple[str, float, bool, str]]:
    width = BOX_W - 2 * PAD
    out: list[tuple[str, float, bool, str]] = [(t, NAME_SIZE, True, "#1d2633") for t in wrap(s.name, NAME_SIZE, width, 2)]
    if s.actor:
        out += [(t, TEXT_SIZE, False, "#1d2633") for t in wrap(f"谁来办：{s.actor}", TEXT_SIZE, width, 2)]
    if s.action:
        out += [(t, TEXT_SIZE, False, "#4a5568") for t in wrap(f"怎么办：{s.action}", TEXT_SIZE, width, 3)]
    if s.days is not None:
        out.append((f"时限：{days_text(s.days, unit)}", TEXT_SIZE, False, "#8a4b08"))
    return out


@dataclass
class Layout:
    nodes: list[Node]  # steps first (one per step id, in written order), then dummies
    forward: list[tuple[list[int], str | None]]  # node chain of each forward edge, its condition
    back: list[tuple[int, int, str | None]]
    width: float
    height: float
    starts: set[int]
    ends: set[int]


def layout(power: Power) -> Layout:
    """Place the steps of ``power``'s flow. The graph and its loops are read exactly as the P checks
    read them (:mod:`powerlist.graph`): the dashed edges are the ones they call back edges."""
    steps = power.process.steps if power.process else []
    g = to_networkx(power.process)
    flow = analyse(power.process)
    ids = list(g.nodes)  # written order, one node per step id
    num = {sid: k for k, sid in enumerate(ids)}
    back = {(steps[u].id, steps[v].id) for u, v in flow.back_edges}
    layer = _layers(g, back)
    unit = unit_of(power)
    nodes = [Node(k, layer[sid], _box_lines(g.nodes[sid]["step"], unit), w=BOX_W) for k, sid in enumerate(ids)]
    forward: list[tuple[list[int], str | None]] = []
    back_out: list[tuple[int, int, str | None]] = []
    for u, v, when in g.edges(data="when"):
        if (u, v) in back:
            back_out.append((num[u], num[v], when))
            continue
        chain = [num[u]]
        for lay in range(layer[u] + 1, layer[v]):
            nodes.append(Node(-1, lay))
            chain.append(len(nodes) - 1)
        chain.append(num[v])
        forward.append((chain, when))
    width, height = _place(nodes, forward)
    starts = {num[steps[i].id] for i in flow.starts}
    ends = {num[steps[i].id] for i in flow.ends}
    return Layout(nodes, forward, back_out, width + (SIDE if back_out else 0), height, starts, ends)


def _place(nodes: list[Node], forward: list[tuple[list[int], str | None]]) -> tuple[float, float]:
    """Order nodes within layers (barycentre sweeps), then give them coordinates."""
    depth = max((n.layer for n in nodes), default=-1) + 1
    rows: list[list[int]] = [[] for _ in range(depth)]
    for i, n in enumerate(nodes):
        rows[n.layer].append(i)
    up: dict[int, list[int]] = {i: [] for i in range(len(nodes))}
    down: dict[int, list[int]] = {i: [] for i in range(len(nodes))}
    for chain, _ in forward:
        for a, b in itertools.pairwise(chain):
            down[a].append(b)
            up[b].append(a)
    for sweep in range(4):
        neighbours = up if sweep % 2 == 0 else down
        seq = range(1, depth) if sweep % 2 == 0 else range(depth - 2, -1, -1)
        for r in seq:
            pos = {n: k for k, n in enumerate(rows[r - 1 if sweep % 2 == 0 else r + 1])}
            cur = {n: k for k, n in enumerate(rows[r])}

            def bary(n: int, pos: dict[int, int] = pos, cur: dict[int, int] = cur,
                     neighbours: dict[int, list[int]] = neighbours) -> float:
                ps = [pos[m] for m in neighbours[n] if m in pos]
                return sum(ps) / len(ps) if ps else float(cur[n])

            rows[r].sort(key=bary)
    for n in nodes:
        if n.index >= 0:
            n.h = 2 * PAD + sum(size * LINE for _, size, _, _ in n.lines)
    widths = [sum(nodes[i].w for i in row) + GAP_X * (len(row) - 1) for row in rows]
    total_w = max(widths, default=0.0)
    y = float(MARGIN)
    for row, w in zip(rows, widths, strict=True):
        row_h = max((nodes[i].h for i in row), default=0.0)
        x = MARGIN + (total_w - w) / 2
        for i in row:
            n = nodes[i]
            n.x, n.y = x + n.w / 2, y + (row_h - n.h) / 2
            if n.index < 0:
                n.y, n.h = y, row_h  # a dummy passes straight through the row
            x += n.w + GAP_X
        y += row_h + GAP_Y
    # Slide each narrower row under its parents (rows stay inside the widest one), so that a
    # straight chain below a branch stays straight instead of snapping back to the centre.
    for r in range(1, depth):
        parents = [nodes[m].x for i in rows[r] for m in up[i]]
        if not parents:
            continue
        mine = [nodes[i].x for i in rows[r]]
        lo = MARGIN + nodes[rows[r][0]].w / 2 - mine[0]
        hi = MARGIN + total_w - nodes[rows[r][-1]].w / 2 - mine[-1]
        shift = min(max(sum(parents) / len(parents) - sum(mine) / len(mine), lo), hi)
        for i in rows[r]:
            nodes[i].x += shift
    return total_w + 2 * MARGIN, y - GAP_Y + MARGIN


def _fmt(v: float) -> str:
    return f"{v:.1f}"


def _chain_path(nodes: list[Node], chain: list[int]) -> str:
    pts: list[tuple[float, float]] = []
    for k, i in enumerate(chain):
        n = nodes[i]
        if k > 0:
            pts.append((n.x, n.y))
        if k < len(chain) - 1:
            pts.append((n.x, n.y + n.h))
    d = f"M{_fmt(pts[0][0])},{_fmt(pts[0][1])}"
    for k in range(1, len(pts)):
        (x0, y0), (x1, y1) = pts[k - 1], pts[k]
        if k % 2 == 0:  # through a dummy: straight down
            d += f" L{_fmt(x1)},{_fmt(y1)}"
        else:
            my = (y0 + y1) / 2
            d += f" C{_fmt(x0)},{_fmt(my)} {_fmt(x1)},{_fmt(my)} {_fmt(x1)},{_fmt(y1)}"
    return d


def svg(power: Power, ident: str = "flow", standalone: bool = False) -> str:
    """The flowchart as one ``<svg>`` element. ``ident`` prefixes element ids (unique per page)."""
    lay = layout(power)
    w, h = _fmt(lay.width), _fmt(max(lay.height, 40))
    title = f"{power.name} 运行流程图"
    ns = ' xmlns="http://www.w3.org/2000/svg"' if standalone else ""
    out = [
        f'<svg{ns} class="flow" '
        f'viewBox="0 0 {w} {h}" width="{w}" height="{h}" role="img" aria-labelledby="{ident}-t" '
        f'font-family="{esc(FONT)}">',
        f'<title id="{ident}-t">{esc(title)}</title>',
        f'<defs><marker id="{ident}-arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" '
        f'orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="{STROKE}"/></marker></defs>',
        f'<rect width="{w}" height="{h}" fill="#fff"/>',
    ]
    if not lay.nodes:
        out.append(f'<text x="{MARGIN}" y="26" font-size="{TEXT_SIZE}" fill="#4a5568">（未填写运行流程）</text>')
    arrow = f'marker-end="url(#{ident}-arrow)"'
    labels: list[str] = []
    for chain, when in lay.forward:
        out.append(f'<path d="{_chain_path(lay.nodes, chain)}" fill="none" stroke="{STROKE}" stroke-width="1.4" {arrow}/>')
        if when:
            a, b = lay.nodes[chain[0]], lay.nodes[chain[1]]
            lx, ly = (a.x + b.x) / 2, (a.y + a.h + b.y) / 2 + 4
            labels.append(f'<text x="{_fmt(lx)}" y="{_fmt(ly)}" font-size="11" text-anchor="middle" fill="#6b3a00" '
                          f'stroke="#fff" stroke-width="4" paint-order="stroke">{esc(when)}</text>')
    right = lay.width - SIDE / 2
    for u, v, when in lay.back:
        a, b = lay.nodes[u], lay.nodes[v]
        ay, by = a.y + a.h / 2, b.y + b.h / 2
        ax, bx = a.x + a.w / 2, b.x + b.w / 2
        if u == v:
            d = (f"M{_fmt(ax)},{_fmt(ay - 8)} C{_fmt(ax + 36)},{_fmt(ay - 30)} "
                 f"{_fmt(ax + 36)},{_fmt(ay + 30)} {_fmt(ax)},{_fmt(ay + 8)}")
        else:
            d = f"M{_fmt(ax)},{_fmt(ay)} C{_fmt(right)},{_fmt(ay)} {_fmt(right)},{_fmt(by)} {_fmt(bx)},{_fmt(by)}"
        out.append(f'<path d="{d}" fill="none" stroke="{STROKE}" stroke-width="1.2" stroke-dasharray="5 4" {arrow}/>')
        if when:
            labels.append(f'<text x="{_fmt(right)}" y="{_fmt((ay + by) / 2)}" font-size="11" text-anchor="middle" '
                          f'fill="#6b3a00" stroke="#fff" stroke-width="4" paint-order="stroke">{esc(when)}</text>')
    for n in lay.nodes:
        if n.index < 0:
            continue
        kind = "start" if n.index in lay.starts else "end" if n.index in lay.ends else "step"
        x0 = n.x - n.w / 2
        out.append(f'<g><rect x="{_fmt(x0)}" y="{_fmt(n.y)}" width="{_fmt(n.w)}" height="{_fmt(n.h)}" rx="8" '
                   f'fill="{FILL[kind]}" stroke="{STROKE}" stroke-width="1.2"/>')
        ty = n.y + PAD
        for text, size, bold, colour in n.lines:
            ty += size * LINE
            weight = ' font-weight="bold"' if bold else ""
            out.append(f'<text x="{_fmt(x0 + PAD)}" y="{_fmt(ty - size * 0.3)}" font-size="{_fmt(size)}" '
                       f'fill="{colour}"{weight}>{esc(text)}</text>')
        out.append("</g>")
    out.extend(labels)
    out.append("</svg>")
    return "\n".join(out)

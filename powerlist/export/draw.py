"""A power's flowchart (运行流程图) as SVG: who (谁来办), how (怎么办) and how many days per step.

Layered layout (a small Sugiyama): cycles broken by a depth-first search (their back edges drawn
dashed in lanes at the side), longest-path layering of the remaining DAG, dummy points where an
edge skips layers, a few barycentre sweeps to reduce crossings, then each layer centred. A branch
condition is a node of its own in the layer below its edge's source (as Graphviz places edge
labels), so it gets its own room and no line runs through it. Text is wrapped, never cut: a box
grows to hold its whole text. Pure presentation attributes, no CSS: the same SVG works inline in
a page and as a standalone file.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from powerlist.export.clean import days_text, unit_of
from powerlist.export.flowtext import break_lines, step_lines
from powerlist.export.markup import esc, text_width
from powerlist.graph import analyse, to_networkx
from powerlist.models import Power

if TYPE_CHECKING:
    import networkx as nx

BOX_W = 210
DUMMY_W = 14
LABEL_W = 150  # widest a branch condition is set before it wraps
GAP_X = 30
GAP_Y = 54
GAP_THIN = 26  # between a row of boxes and a row of conditions only
PAD = 10
MARGIN = 16
LANE = 14  # between the lanes of back edges at the right
NAME_SIZE = 14
TEXT_SIZE = 12  # the smallest text in a chart: readable on a phone at the chart's natural size
LABEL_SIZE = 12
LINE = 1.35
DUMMY, LABEL = -1, -2
# Common Chinese system fonts first (macOS, Windows, then Noto/Source Han and WenQuanYi on Linux and
# Android), so a chart opened on its own renders Chinese even where the default font has none.
FONT_NAMES = ("PingFang SC", "Hiragino Sans GB", "Microsoft YaHei", "Noto Sans CJK SC", "Source Han Sans SC",
              "WenQuanYi Micro Hei")
FONT = ", ".join(f"'{f}'" for f in FONT_NAMES) + ", sans-serif"
FILL = {"start": "#e7f3ea", "end": "#f6efe3", "step": "#edf2fa"}
LEGEND = (("start", "开始环节"), ("step", "办理环节"), ("end", "结束环节"))
STROKE = "#4a5a70"
LABEL_INK = "#6b3a00"
LABEL_EDGE = "#d9b98a"

Line = tuple[str, float, bool, str]  # (text, size, bold, colour)


@dataclass
class Node:
    index: int  # the step's node number; DUMMY for a point on a long edge, LABEL for a condition
    layer: int
    lines: list[Line] = field(default_factory=list)
    x: float = 0.0  # centre
    y: float = 0.0  # top
    w: float = DUMMY_W
    h: float = 0.0


def _layers(g: nx.DiGraph, back: set[tuple[str, str]]) -> dict[str, int]:
    """Longest-path layering: each step one layer below its lowest predecessor (loops ignored), two
    below when the edge carries a condition (its label takes the layer between). Kahn's algorithm
    in written order; a flow has a handful of steps, so plain Python is fastest."""
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
            layer[v] = max(layer[v], layer[u] + (2 if g.edges[u, v]["when"] else 1))
            indeg[v] -= 1
            if indeg[v] == 0:
                todo.append(v)
    return layer


def wrapped(text: str, size: float, width: float, bold: bool, colour: str) -> list[Line]:
    return [(t, size, bold, colour) for t in break_lines(text, size, width)]


def _box_lines(lines: list[str]) -> list[Line]:
    width = BOX_W - 2 * PAD
    name, *rest = lines
    out = wrapped(name, NAME_SIZE, width, True, "#1d2633")
    for text in rest:
        colour = "#4a5568" if text.startswith("怎么办") else "#8a4b08" if text.startswith("时限") else "#1d2633"
        out += wrapped(text, TEXT_SIZE, width, False, colour)
    return out


def _label_node(when: str, layer: int) -> Node:
    lines = wrapped(when, LABEL_SIZE, LABEL_W, False, LABEL_INK)
    w = max(text_width(t, LABEL_SIZE) for t, *_ in lines) + 2 * 6
    return Node(LABEL, layer, lines, w=w, h=len(lines) * LABEL_SIZE * LINE + 6)


@dataclass
class Layout:
    nodes: list[Node]  # steps first (one per step id, in written order), then dummies and conditions
    forward: list[tuple[list[int], str | None]]  # node chain of each forward edge, its condition
    back: list[tuple[int, int, str | None]]
    width: float
    height: float
    starts: set[int]
    ends: set[int]
    lanes: list[float] = field(default_factory=list)  # x of each back edge's vertical run
    side: float = 0.0  # x where the conditions of back edges are written


def layout(power: Power, top: float = 0.0) -> Layout:
    """Place the steps of ``power``'s flow, ``top`` below the top margin. The graph and its loops
    are read exactly as the P checks read them (:mod:`powerlist.graph`): the dashed edges are the
    ones they call back edges."""
    steps = power.process.steps if power.process else []
    g = to_networkx(power.process)
    flow = analyse(power.process)
    ids = list(g.nodes)  # written order, one node per step id
    num = {sid: k for k, sid in enumerate(ids)}
    back = {(steps[u].id, steps[v].id) for u, v in flow.back_edges}
    layer = _layers(g, back)
    unit = unit_of(power)
    ends = {num[steps[i].id] for i in flow.ends}
    nodes = [Node(k, layer[sid], _box_lines(step_lines(g.nodes[sid]["step"], unit, end=k in ends)), w=BOX_W)
             for k, sid in enumerate(ids)]
    forward: list[tuple[list[int], str | None]] = []
    back_out: list[tuple[int, int, str | None]] = []
    for u, v, when in g.edges(data="when"):
        if (u, v) in back:
            back_out.append((num[u], num[v], when))
            continue
        chain = [num[u]]
        first = layer[u] + 1
        if when:
            nodes.append(_label_node(when, first))
            chain.append(len(nodes) - 1)
            first += 1
        for lay in range(first, layer[v]):
            nodes.append(Node(DUMMY, lay))
            chain.append(len(nodes) - 1)
        chain.append(num[v])
        forward.append((chain, when))
    width, height = _place(nodes, forward, top)
    lanes = [width - MARGIN + LANE * (k + 1) for k in range(len(back_out))]
    side = (lanes[-1] + 8) if lanes else width
    labels = [max(text_width(t, LABEL_SIZE) for t, *_ in wrapped(w, LABEL_SIZE, LABEL_W, False, "")) + 12
              for *_, w in back_out if w]
    if lanes:
        width = side + max(labels, default=0.0) + MARGIN
    starts = {num[steps[i].id] for i in flow.starts}
    return Layout(nodes, forward, back_out, width, height, starts, ends, lanes, side)


def _place(nodes: list[Node], forward: list[tuple[list[int], str | None]], top: float) -> tuple[float, float]:
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
    boxes = [any(nodes[i].index >= 0 for i in row) for row in rows]
    y = float(MARGIN + top)
    for r, (row, w) in enumerate(zip(rows, widths, strict=True)):
        row_h = max((nodes[i].h for i in row), default=0.0)
        x = MARGIN + (total_w - w) / 2
        for i in row:
            n = nodes[i]
            n.x, n.y = x + n.w / 2, y + (row_h - n.h) / 2
            if n.index == DUMMY:
                n.y, n.h = y, row_h  # a dummy passes straight through the row
            x += n.w + GAP_X
        # a row of conditions sits closer to its neighbours: it belongs to the edges around it
        gap = GAP_Y if r + 1 < depth and boxes[r] and boxes[r + 1] else GAP_THIN
        y += row_h + (gap if r + 1 < depth else 0)
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
    return total_w + 2 * MARGIN, y + MARGIN


def _fmt(v: float) -> str:
    return f"{v:.1f}"


def _chain_path(nodes: list[Node], chain: list[int]) -> str:
    """One forward edge: a curve between rows, straight down through a dummy, and a break in the
    line at a condition (it resumes below the label, so no line runs through the text)."""
    first = nodes[chain[0]]
    x0, y0 = first.x, first.y + first.h
    d = f"M{_fmt(x0)},{_fmt(y0)}"
    for k in range(1, len(chain)):
        n = nodes[chain[k]]
        my = (y0 + n.y) / 2
        d += f" C{_fmt(x0)},{_fmt(my)} {_fmt(n.x)},{_fmt(my)} {_fmt(n.x)},{_fmt(n.y)}"
        if k == len(chain) - 1:
            break
        x0, y0 = n.x, n.y + n.h
        d += f" {'M' if n.index == LABEL else 'L'}{_fmt(x0)},{_fmt(y0)}"
    return d


def _text(x: float, y: float, line: Line, anchor: str = "") -> str:
    text, size, bold, colour = line
    weight = ' font-weight="bold"' if bold else ""
    return (f'<text x="{_fmt(x)}" y="{_fmt(y)}" font-size="{_fmt(size)}" fill="{colour}"{weight}{anchor}>'
            f"{esc(text)}</text>")


def _label(x0: float, y0: float, w: float, lines: list[Line]) -> list[str]:
    """A condition: its text on a white card, so it reads clearly wherever it sits."""
    h = len(lines) * LABEL_SIZE * LINE + 6
    out = [f'<rect class="edge-label" x="{_fmt(x0)}" y="{_fmt(y0)}" width="{_fmt(w)}" height="{_fmt(h)}" rx="3" '
           f'fill="#fff" stroke="{LABEL_EDGE}" stroke-width="1"/>']
    ty = y0 + 3
    for line in lines:
        ty += LABEL_SIZE * LINE
        out.append(_text(x0 + 6, ty - LABEL_SIZE * 0.32, line))
    return out


def _heading(power: Power, body: str | None, width: float) -> list[Line]:
    """The standalone chart names its power: id and name, the body, the total statutory limit."""
    tl = power.time_limit
    limit = days_text(tl.statutory, unit_of(power)) if tl is not None and tl.statutory is not None else "未填写"
    out = wrapped(f"{power.id}　{power.name}　运行流程图", 16, width, True, "#1d2633")
    out += wrapped(f"实施主体：{body or power.body}", TEXT_SIZE, width, False, "#1d2633")
    out += wrapped(f"法定办结时限：{limit}", TEXT_SIZE, width, False, "#1d2633")
    return out


def _legend(x: float, y: float, width: float, loops: bool, conditions: bool) -> tuple[list[str], float]:
    """What the colours and line styles mean, in rows that fit ``width``; returns the height used."""
    items: list[tuple[str, str]] = [(k, t) for k, t in LEGEND]
    if conditions:
        items.append(("when", "分支条件"))
    if loops:
        items.append(("loop", "退回或循环"))
    out: list[str] = []
    cx, cy, row = x, y, TEXT_SIZE * LINE + 6
    for kind, text in items:
        w = 30 + text_width(text, TEXT_SIZE) + 18
        if cx > x and cx + w > x + width:
            cx, cy = x, cy + row
        if kind in FILL:
            out.append(f'<rect x="{_fmt(cx)}" y="{_fmt(cy + 2)}" width="24" height="14" rx="4" fill="{FILL[kind]}" '
                       f'stroke="{STROKE}" stroke-width="1"/>')
        elif kind == "when":
            out.append(f'<rect x="{_fmt(cx)}" y="{_fmt(cy + 2)}" width="24" height="14" rx="3" fill="#fff" '
                       f'stroke="{LABEL_EDGE}" stroke-width="1"/>')
        else:
            out.append(f'<path d="M{_fmt(cx)},{_fmt(cy + 9)} H{_fmt(cx + 24)}" stroke="{STROKE}" stroke-width="1.2" '
                       f'stroke-dasharray="5,4" fill="none"/>')  # written apart from the edges' "5 4"
        out.append(_text(cx + 30, cy + 14, (text, TEXT_SIZE, False, "#4a5568")))
        cx += w
    return out, cy + row - y


def svg(power: Power, ident: str = "flow", standalone: bool = False, body: str | None = None) -> str:
    """The flowchart as one ``<svg>`` element. ``ident`` prefixes element ids (unique per page).
    A standalone chart (``powerlist graph -o x.svg``) also says whose it is: ``body`` is the name
    of the responsible body (its id when not given)."""
    head: list[Line] = []
    if standalone:
        head = _heading(power, body, max(layout(power).width, 360) - 2 * MARGIN)
    top = sum(size * LINE for _, size, _, _ in head) + (12 if head else 0)
    lay = layout(power, top)
    width = max(lay.width, 360 if standalone else 0)
    has_when = any(when for _, when in lay.forward)
    legend, legend_h = _legend(MARGIN, lay.height, width - 2 * MARGIN, bool(lay.back), has_when)
    if not lay.nodes:
        legend, legend_h = [], 0.0
    height = max(lay.height + legend_h + MARGIN, 40 + top)
    w, h = _fmt(width), _fmt(height)
    title = f"{power.name} 运行流程图"
    ns = ' xmlns="http://www.w3.org/2000/svg"' if standalone else ""
    out = [
        f'<svg{ns} class="flow" '
        f'viewBox="0 0 {w} {h}" width="{w}" height="{h}" role="img" aria-labelledby="{ident}-t" '
        f'font-family="{esc(FONT)}">',
        f'<title id="{ident}-t">{esc(title)}</title>',
    ]
    if standalone:
        out.append(f"<desc>{esc(' '.join(t for t, *_ in head))}</desc>")
    out += [
        f'<defs><marker id="{ident}-arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" '
        f'orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="{STROKE}"/></marker></defs>',
        f'<rect width="{w}" height="{h}" fill="#fff"/>',
    ]
    ty = float(MARGIN)
    for line in head:
        ty += line[1] * LINE
        out.append(_text(MARGIN, ty - line[1] * 0.3, line))
    if not lay.nodes:
        out.append(f'<text x="{MARGIN}" y="{_fmt(top + 26)}" font-size="{TEXT_SIZE}" fill="#4a5568">（未填写运行流程）</text>')
    arrow = f'marker-end="url(#{ident}-arrow)"'
    labels: list[str] = []
    for chain, _ in lay.forward:
        out.append(f'<path d="{_chain_path(lay.nodes, chain)}" fill="none" stroke="{STROKE}" stroke-width="1.4" {arrow}/>')
    for n in lay.nodes:
        if n.index == LABEL:
            labels += _label(n.x - n.w / 2, n.y, n.w, n.lines)
    for (u, v, when), lane in zip(lay.back, lay.lanes, strict=True):
        a, b = lay.nodes[u], lay.nodes[v]
        ay, by = a.y + a.h / 2, b.y + b.h / 2
        if u == v:
            ay, by = ay - 8, ay + 8
        ax, bx = a.x + a.w / 2, b.x + b.w / 2
        d = f"M{_fmt(ax)},{_fmt(ay)} H{_fmt(lane)} V{_fmt(by)} H{_fmt(bx)}"
        out.append(f'<path d="{d}" fill="none" stroke="{STROKE}" stroke-width="1.2" stroke-dasharray="5 4" {arrow}/>')
        if when:
            lines = wrapped(when, LABEL_SIZE, LABEL_W, False, LABEL_INK)
            lw = max(text_width(t, LABEL_SIZE) for t, *_ in lines) + 12
            lh = len(lines) * LABEL_SIZE * LINE + 6
            labels += _label(lay.side, (ay + by) / 2 - lh / 2, lw, lines)
    for n in lay.nodes:
        if n.index < 0:
            continue
        kind = "start" if n.index in lay.starts else "end" if n.index in lay.ends else "step"
        x0 = n.x - n.w / 2
        out.append(f'<g class="step-{kind}"><rect x="{_fmt(x0)}" y="{_fmt(n.y)}" width="{_fmt(n.w)}" '
                   f'height="{_fmt(n.h)}" rx="8" fill="{FILL[kind]}" stroke="{STROKE}" stroke-width="1.2"/>')
        ty = n.y + PAD
        for line in n.lines:
            ty += line[1] * LINE
            out.append(_text(x0 + PAD, ty - line[1] * 0.3, line))
        out.append("</g>")
    out.extend(labels)
    out.extend(legend)
    out.append("</svg>")
    return "\n".join(out)

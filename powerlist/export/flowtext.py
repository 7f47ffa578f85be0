"""A power's flowchart as Mermaid or Graphviz DOT text (``powerlist graph``).

Node names are generated (``s1``, ``s2`` …), never taken from step ids, and every label is escaped
for its language: a step named ``"]; click s1 call x()`` stays a label.
"""

from __future__ import annotations

from powerlist.export.clean import days_text, unit_of
from powerlist.export.markup import char_width
from powerlist.graph import to_networkx
from powerlist.i18n import NO_LINE_END, NO_LINE_START
from powerlist.models import Power, Step

# 避头尾: never at the start / the end of a line (the sets i18n keeps for every line breaker)
NO_START, NO_END = NO_LINE_START, NO_LINE_END


def _breakable(text: str, i: int) -> bool:
    """May a line break fall before ``text[i]``? Not before closing punctuation, not after an
    opening one, and not inside a run of Latin letters or digits (SL-XK-001, 2015)."""
    prev, cur = text[i - 1], text[i]
    if cur in NO_START or prev in NO_END:
        return False
    return not (_in_word(prev) and _in_word(cur))


def _in_word(c: str) -> bool:
    return c.isascii() and (c.isalnum() or c in "-_./")


def break_lines(text: str, size: float, width: float) -> list[str]:
    """Break ``text`` into lines at most ``width`` wide (set at font ``size``), as Chinese is set:
    between any two characters, except where 避头尾 forbids it. Nothing is ever dropped: the lines
    joined give the text back (newlines read as spaces), a space that falls at a break stays at
    the end of its line, and an unbreakable run longer than a line is cut where it must be."""
    text = text.replace("\r\n", " ").replace("\n", " ")
    lines: list[str] = []
    start, w = 0, 0.0
    for i, c in enumerate(text):
        cw = char_width(c, size)
        if i > start and w + cw > width and not c.isspace():
            # the last allowed break in this line; failing one, break here (a line must end)
            cut = next((k for k in range(i, start, -1) if _breakable(text, k)), i)
            w = sum(char_width(ch, size) for ch in text[cut:i])  # what moves to the next line
            if w + cw > width:
                cut, w = i, 0.0  # from that break on the run does not fit a line either ("《 、"): it must be cut
            lines.append(text[start:cut])
            start = cut
        w += cw
    if start < len(text):
        lines.append(text[start:])
    return lines


def step_lines(s: Step, unit: str, end: bool = False) -> list[str]:
    """What a step's box says. An end step with no time of its own (0 days) shows no 时限 line:
    「时限：0个工作日」 under 办结 reads as if the law set no limit."""
    lines = [s.name]
    if s.actor:
        lines.append(f"谁来办：{s.actor}")
    if s.action:
        lines.append(f"怎么办：{s.action}")
    if s.days is not None and not (end and s.days == 0):
        lines.append(f"时限：{days_text(s.days, unit)}")
    return lines


def _mermaid_text(text: str) -> str:
    # Mermaid entity codes (#NNN;) survive its parser; quotes, pipes and markup characters would not.
    table = {'"': "#34;", "#": "#35;", "&": "#38;", "<": "#60;", ">": "#62;", "|": "#124;", "`": "#96;",
             "[": "#91;", "]": "#93;", "{": "#123;", "}": "#125;", ";": "#59;"}
    return "".join(table.get(c, c) for c in " ".join(text.split()))


Drawn = tuple[list[tuple[str, list[str]]], list[tuple[str, str, str | None]]]


def _drawn(power: Power) -> Drawn:
    """(node name, label lines) per step and (from, to, condition) per edge, read as the P checks
    read the flow (:func:`powerlist.graph.to_networkx`)."""
    g = to_networkx(power.process)
    unit = unit_of(power)
    names = {sid: f"s{k}" for k, sid in enumerate(g.nodes, 1)}
    nodes = [(names[sid], step_lines(data["step"], unit, end=g.out_degree(sid) == 0)) for sid, data in g.nodes(data=True)]
    return nodes, [(names[u], names[v], when) for u, v, when in g.edges(data="when")]


def mermaid(power: Power) -> str:
    nodes, edges = _drawn(power)
    out = ["flowchart TD", f"  %% {_mermaid_text(power.id)} {_mermaid_text(power.name)}"]
    out += [f'  {name}["{"<br/>".join(_mermaid_text(t) for t in lines)}"]' for name, lines in nodes]
    out += [f"  {u} -->|{_mermaid_text(when)}| {v}" if when else f"  {u} --> {v}" for u, v, when in edges]
    return "\n".join(out) + "\n"


DOT_NEWLINE = "\\n"  # a line break inside a DOT label (centred)


def _dot_text(text: str) -> str:
    return text.replace("\\", "\\\\").replace('"', '\\"').replace("\r", "").replace("\n", "\\n")


def dot(power: Power) -> str:
    nodes, edges = _drawn(power)
    out = [f'digraph "{_dot_text(power.id)}" {{',
           f'  label="{_dot_text(power.name)} 运行流程图"; labelloc=t; rankdir=TB;',
           '  node [shape=box, style="rounded,filled", fillcolor="#edf2fa", fontname="Noto Sans CJK SC"];',
           '  edge [fontname="Noto Sans CJK SC", fontsize=10];']
    out += [f'  {name} [label="{DOT_NEWLINE.join(_dot_text(t) for t in lines)}"];' for name, lines in nodes]
    out += [f'  {u} -> {v} [label="{_dot_text(when)}"];' if when else f"  {u} -> {v};" for u, v, when in edges]
    out.append("}")
    return "\n".join(out) + "\n"

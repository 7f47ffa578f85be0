"""A power's flowchart as Mermaid or Graphviz DOT text (``powerlist graph``).

Node names are generated (``s1``, ``s2`` …), never taken from step ids, and every label is escaped
for its language: a step named ``"]; click s1 call x()`` stays a label.
"""

from __future__ import annotations

from powerlist.export.clean import days_text, unit_of
from powerlist.graph import to_networkx
from powerlist.models import Power, Step


def _label_lines(s: Step, unit: str) -> list[str]:
    lines = [s.name]
    if s.actor:
        lines.append(f"谁来办：{s.actor}")
    if s.action:
        lines.append(f"怎么办：{s.action}")
    if s.days is not None:
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
    nodes = [(names[sid], _label_lines(data["step"], unit)) for sid, data in g.nodes(data=True)]
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

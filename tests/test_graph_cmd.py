"""powerlist graph ID: Mermaid, DOT and SVG of one flowchart; the layered layout behind the SVG."""

from __future__ import annotations

import itertools
import re
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest
import yaml
from casefiles import GOOD_POWER

from powerlist.export.draw import layout, svg
from powerlist.export.flowtext import dot, mermaid
from powerlist.models import Power

SVG_NS = "{http://www.w3.org/2000/svg}"


def power(edit: dict[str, Any] | None = None, steps: list[dict[str, Any]] | None = None) -> Power:
    data = yaml.safe_load(GOOD_POWER)
    data.update(edit or {})
    if steps is not None:
        data["process"] = {"steps": steps}
    return Power.model_validate(data, strict=False)


def chain(*specs: tuple[str, list[Any]]) -> list[dict[str, Any]]:
    return [{"id": sid, "name": f"环节{sid}", "actor": "窗口", "days": 1, "next": nxt} for sid, nxt in specs]


# ---------------------------------------------------------------------------------- layout


def test_longest_path_layering() -> None:
    # a -> b -> c -> d and a shortcut a -> d: d sits below c (layer 3), the shortcut passes two dummies.
    lay = layout(power(steps=chain(("a", ["b", "d"]), ("b", ["c"]), ("c", ["d"]), ("d", []))))
    layers = {n.index: n.layer for n in lay.nodes if n.index >= 0}
    assert layers == {0: 0, 1: 1, 2: 2, 3: 3}
    assert sorted(len(c) for c, _ in lay.forward) == [2, 2, 2, 4]
    assert lay.back == [] and lay.starts == {0} and lay.ends == {3}
    steps = [n for n in lay.nodes if n.index >= 0]
    for upper, lower in itertools.pairwise(steps):
        assert lower.y >= upper.y + upper.h  # each layer below the one before


def test_every_forward_edge_points_down_and_boxes_do_not_overlap() -> None:
    lay = layout(power())
    for c, _ in lay.forward:
        for a, b in itertools.pairwise(c):
            assert lay.nodes[b].layer == lay.nodes[a].layer + 1
    boxes = [n for n in lay.nodes if n.index >= 0]
    for i, a in enumerate(boxes):
        for b in boxes[i + 1:]:
            apart_x = abs(a.x - b.x) >= (a.w + b.w) / 2
            apart_y = a.y + a.h <= b.y or b.y + b.h <= a.y
            assert apart_x or apart_y, (a, b)
        assert a.x - a.w / 2 >= 0 and a.x + a.w / 2 <= lay.width


def test_loops_are_drawn_as_back_edges() -> None:
    # review sends the file back to accept (退回补正) and a step loops on itself.
    steps = chain(("accept", ["review"]), ("review", ["accept", "decide"]), ("decide", ["decide", "end"]), ("end", []))
    lay = layout(power(steps=steps))
    assert sorted((u, v) for u, v, _ in lay.back) == [(1, 0), (2, 2)]
    assert {n.index: n.layer for n in lay.nodes if n.index >= 0} == {0: 0, 1: 1, 2: 2, 3: 3}
    text = svg(power(steps=steps), standalone=True)
    assert text.count('stroke-dasharray="5 4"') == 2


def test_svg_is_well_formed_and_shows_who_how_days() -> None:
    p = power()
    root = ET.fromstring(svg(p, standalone=True))
    assert root.tag == f"{SVG_NS}svg" and root.get("role") == "img"
    assert root.find(f"{SVG_NS}title").text == "取水许可 运行流程图"  # type: ignore[union-attr]
    texts = " ".join(t.text or "" for t in root.iter(f"{SVG_NS}text"))
    assert p.process is not None
    for s in p.process.steps:
        assert s.name in texts and f"谁来办：{s.actor}"[:10] in texts
    assert "时限：12个工作日" in texts and "材料不符合要求" in texts
    assert len(root.findall(f"{SVG_NS}g")) == len(p.process.steps)


def test_text_is_escaped_in_every_format() -> None:
    evil = '"]; click s1 call alert() <script>x</script> |a| \\'
    p = power({"name": evil}, steps=[{"id": "a", "name": evil, "actor": evil, "next": [{"to": "b", "when": evil}]},
                                     {"id": "b", "name": "b"}])
    root = ET.fromstring(svg(p, standalone=True))  # parses: nothing broke out of its element
    assert any(evil[:12] in (t.text or "") for t in root.iter(f"{SVG_NS}text"))
    m = mermaid(p)
    assert "<script>" not in m
    for line in m.splitlines()[2:]:
        # a node is s<n>["label"], an edge s<n> -->|label| s<m>: no quote or pipe escapes its label
        assert re.fullmatch(r'\s+s\d+\["[^"]*"\]|\s+s\d+ -->(\|[^|]*\|)? s\d+', line), line
    d = dot(p)
    for line in d.splitlines()[1:-1]:
        # with each well-formed quoted string taken out, no quote is left: labels cannot break out
        bare = re.sub(r'"(?:[^"\\]|\\.)*"', "Q", line)
        assert '"' not in bare and "<" not in bare, line
    assert re.search(r'^  s1 \[label="Q"\];$', re.sub(r'"(?:[^"\\]|\\.)*"', '"Q"', d), re.M)


def test_mermaid_and_dot_list_every_step_and_edge() -> None:
    p = power()
    assert p.process is not None
    edges = sum(len(s.next) for s in p.process.steps)
    m = mermaid(p)
    assert m.startswith("flowchart TD\n")
    assert len(re.findall(r'^\s+s\d+\["', m, re.M)) == len(p.process.steps)
    assert len(re.findall(r"-->", m)) == edges and "-->|材料不符合要求|" in m
    d = dot(p)
    assert d.startswith('digraph "SL-XK-001" {') and d.rstrip().endswith("}")
    assert len(re.findall(r"^\s+s\d+ \[label=", d, re.M)) == len(p.process.steps)
    assert len(re.findall(r" -> ", d)) == edges


# ---------------------------------------------------------------------------------- the command


def test_graph_command_formats_and_output_file(run_cli, make_catalog, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    root = make_catalog({"powers/water/SL-XK-001.yaml": "{{GOOD_POWER}}"})
    m = run_cli("graph", "SL-XK-001", "--catalog", root, "--format", "mermaid")
    assert m.exit_code == 0 and m.stdout == mermaid(power())
    d = run_cli("graph", "SL-XK-001", "--catalog", root, "-f", "dot")
    assert d.exit_code == 0 and d.stdout == dot(power())
    target = tmp_path / "flow.svg"
    s = run_cli("graph", "SL-XK-001", "--catalog", root, "-f", "svg", "-o", target)
    assert s.exit_code == 0 and s.stdout == ""
    ET.parse(target)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["cat", "flow.svg"]  # no temporary file left


def test_graph_command_errors(run_cli, make_catalog) -> None:  # type: ignore[no-untyped-def]
    no_flow = GOOD_POWER.split("process:")[0].replace("SL-XK-001", "SL-XK-002")
    root = make_catalog({"powers/water/SL-XK-001.yaml": "{{GOOD_POWER}}", "powers/water/SL-XK-002.yaml": no_flow})
    missing = run_cli("graph", "SL-XK-01", "--catalog", root, "--lang", "en")
    assert missing.exit_code == 2 and "SL-XK-001" in missing.stderr  # suggested
    empty = run_cli("graph", "SL-XK-002", "--catalog", root, "--lang", "en")
    assert empty.exit_code == 2 and "no flowchart" in empty.stderr
    bad = run_cli("graph", "SL-XK-001", "--catalog", root, "--format", "png")
    assert bad.exit_code == 2


@pytest.mark.parametrize("fmt", ["mermaid", "dot", "svg"])
def test_graph_of_the_demo_catalogue(run_cli, fmt: str) -> None:  # type: ignore[no-untyped-def]
    root = Path(__file__).resolve().parent.parent / "catalog"
    first = sorted(root.glob("powers/*/*.yaml"))[0]
    ident = yaml.safe_load(first.read_text(encoding="utf-8"))["id"]
    out = run_cli("graph", ident, "--catalog", root, "--format", fmt)
    assert out.exit_code == 0 and out.stdout.strip()

"""Issue 14, item 12: flowcharts that never cut text, keep 避头尾, show no 0-day limit at an end,
keep lines off their labels, explain their colours and, standing alone, say whose chart it is."""

from __future__ import annotations

import itertools
import re
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest
import yaml
from casefiles import GOOD_POWER
from hypothesis import given, settings
from hypothesis import strategies as st

from powerlist.api import settings_for
from powerlist.catalog import load_catalog
from powerlist.export.draw import FONT_NAMES, LABEL, layout, svg
from powerlist.export.flowtext import NO_END, NO_START, break_lines, dot, mermaid, step_lines
from powerlist.export.markup import text_width
from powerlist.models import Power

ROOT = Path(__file__).resolve().parent.parent
NS = "{http://www.w3.org/2000/svg}"
LONG = ("核对申请材料；材料不齐全或不符合法定形式的，当场或者五日内一次性告知需要补正的全部内容，"
        "逾期不告知的，自收到申请材料之日起即为受理。")


def power(steps: list[dict[str, Any]] | None = None, **edit: Any) -> Power:
    data = yaml.safe_load(GOOD_POWER)
    data.update(edit)
    if steps is not None:
        data["process"] = {"steps": steps}
    return Power.model_validate(data, strict=False)


def demo_powers() -> list[Power]:
    cat = load_catalog(ROOT / "catalog", settings_for(ROOT / "catalog"))
    return [e.power for e in cat.powers if e.power.process and e.power.process.steps]


# ---------------------------------------------------------------------------- 避头尾 line breaking


def test_no_line_starts_with_closing_punctuation() -> None:
    text = "材料不齐全或不符合法定形式的，当场告知。申请人（法人、其他组织）应当补正；逾期视为撤回"
    for width in range(60, 200, 7):
        lines = break_lines(text, 12, width)
        assert "".join(lines) == text
        for line in lines[1:]:
            assert line[0] not in NO_START, (width, lines)
        for line in lines[:-1]:
            assert line[-1] not in NO_END, (width, lines)


def test_a_comma_that_would_open_a_line_takes_a_character_with_it() -> None:
    # 5 characters fit; the 6th is "，": the break moves one character back, so "的，" opens line 2.
    assert break_lines("不符合条件的，不予受理", 12, 60) == ["不符合条件", "的，不予受", "理"]


def test_latin_runs_are_not_split_and_nothing_is_dropped() -> None:
    assert break_lines("编码SL-XK-001的事项", 12, 80) == ["编码", "SL-XK-001的", "事项"]
    assert break_lines("", 12, 80) == []
    assert break_lines("第一行\n第二行", 12, 500) == ["第一行 第二行"]
    # From the last break 避头尾 allows, "《 、" is wider than the line: it is cut where it must be.
    assert break_lines("11、《 、", 12, 24) == ["11", "、《 ", "、"]


@settings(max_examples=2000)
@given(st.text(alphabet="取水许可，。、；：）（「」《》ab1 -", max_size=80), st.integers(min_value=24, max_value=300))
def test_break_lines_keeps_every_character_and_fits(text: str, width: int) -> None:
    lines = break_lines(text, 12, width)
    assert "".join(lines) == text
    for line in lines:
        assert line  # no empty line
        assert text_width(line.rstrip(), 12) <= width + 1e-9  # a space at a break may hang, nothing else


# ---------------------------------------------------------------------------- the chart


def texts(root: ET.Element) -> list[str]:
    return [t.text or "" for t in root.iter(f"{NS}text")]


def test_long_legal_text_is_wrapped_whole_and_the_box_grows() -> None:
    short = power(steps=[{"id": "a", "name": "受理", "actor": "窗口", "action": "核对", "days": 1}])
    long = power(steps=[{"id": "a", "name": "受理", "actor": "窗口", "action": LONG, "days": 1}])
    root = ET.fromstring(svg(long, standalone=True))
    box = root.find(f"{NS}g")
    assert box is not None
    shown = "".join(t.text or "" for t in box.iter(f"{NS}text"))
    assert shown == "受理谁来办：窗口怎么办：" + LONG + "时限：1个工作日"
    assert "…" not in shown
    assert layout(long).nodes[0].h > layout(short).nodes[0].h + 4 * 12


def test_every_demo_step_is_in_its_box_in_full() -> None:
    from powerlist.export.clean import unit_of

    for p in demo_powers():
        assert p.process is not None
        root = ET.fromstring(svg(p, standalone=True))
        ends = {s.id for s in p.process.steps if not s.next}
        first = {s.id: s for s in reversed(p.process.steps)}  # one box per id: the first step's
        shown = ["".join(t.text or "" for t in g.iter(f"{NS}text")) for g in root.findall(f"{NS}g")]
        assert len(shown) == len(first)
        for s in first.values():
            assert "".join(step_lines(s, unit_of(p), end=s.id in ends)) in shown, (p.id, s.id)


def test_an_end_step_with_no_days_shows_no_zero_limit() -> None:
    p = power(steps=[{"id": "a", "name": "受理", "days": 0, "next": ["b"]}, {"id": "b", "name": "办结", "days": 0}])
    all_text = " ".join(texts(ET.fromstring(svg(p, standalone=True))))
    assert all_text.count("时限：0个工作日") == 1  # the start's 0 (当场受理) stays, the end's goes
    assert "时限：0个工作日" not in mermaid(p).split("s2[")[1]
    assert dot(p).count("时限") == 1
    assert step_lines(p.process.steps[1], "working_days", end=True) == ["办结"]  # type: ignore[union-attr]


def polyline(d: str) -> list[list[tuple[float, float]]]:
    """The path as polylines (cubic curves sampled), one per subpath (M starts a new one)."""
    out: list[list[tuple[float, float]]] = []
    tokens = re.findall(r"[MLCHV]|-?\d+(?:\.\d+)?", d)
    k, cmd = 0, ""
    x = y = 0.0
    while k < len(tokens):
        if tokens[k].isalpha():
            cmd = tokens[k]
            k += 1
        if cmd == "M":
            x, y = float(tokens[k]), float(tokens[k + 1])
            k += 2
            out.append([(x, y)])
        elif cmd == "L":
            x, y = float(tokens[k]), float(tokens[k + 1])
            k += 2
            out[-1].append((x, y))
        elif cmd == "H":
            x = float(tokens[k])
            k += 1
            out[-1].append((x, y))
        elif cmd == "V":
            y = float(tokens[k])
            k += 1
            out[-1].append((x, y))
        elif cmd == "C":
            c = [float(t) for t in tokens[k:k + 6]]
            k += 6
            x0, y0 = x, y
            for i in range(1, 25):
                t = i / 24
                a, b, cc, dd = (1 - t) ** 3, 3 * (1 - t) ** 2 * t, 3 * (1 - t) * t * t, t ** 3
                out[-1].append((a * x0 + b * c[0] + cc * c[2] + dd * c[4], a * y0 + b * c[1] + cc * c[3] + dd * c[5]))
            x, y = c[4], c[5]
    return out


def crosses(seg: tuple[tuple[float, float], tuple[float, float]], box: tuple[float, float, float, float]) -> bool:
    """Does the segment pass through the inside of the box (touching its edge does not count)?"""
    (x0, y0), (x1, y1) = seg
    bx, by, bw, bh = box
    lo_x, hi_x, lo_y, hi_y = bx + 0.5, bx + bw - 0.5, by + 0.5, by + bh - 0.5
    for i in range(21):
        t = i / 20
        px, py = x0 + (x1 - x0) * t, y0 + (y1 - y0) * t
        if lo_x < px < hi_x and lo_y < py < hi_y:
            return True
    return False


def edges_and_labels(p: Power) -> tuple[list[list[tuple[float, float]]], list[tuple[float, float, float, float]]]:
    root = ET.fromstring(svg(p, standalone=True))
    lines = [pl for path in root.findall(f"{NS}path") if path.get("stroke-width") in ("1.4", "1.2")
             and path.get("stroke-dasharray") != "5,4" for pl in polyline(path.get("d", ""))]
    boxes = [tuple(float(r.get(k, "0")) for k in ("x", "y", "width", "height"))
             for r in root.findall(f"{NS}rect") if r.get("class") == "edge-label"]
    return lines, boxes  # type: ignore[return-value]


def test_no_edge_runs_through_a_condition_in_the_demo_charts() -> None:
    labelled = 0
    for p in demo_powers():
        lines, boxes = edges_and_labels(p)
        assert lines, p.id
        labelled += len(boxes)
        for box in boxes:
            for pl in lines:
                for seg in itertools.pairwise(pl):
                    assert not crosses(seg, box), (p.id, box, seg)
    assert labelled >= 10  # the demo has many conditions: the test looked at real ones


def test_the_geometry_test_sees_a_crossing() -> None:
    assert crosses(((0, 0), (100, 100)), (40, 40, 20, 20))
    assert not crosses(((0, 0), (0, 100)), (0, 40, 20, 20))  # along the edge only


def test_back_edge_conditions_sit_beside_their_lanes() -> None:
    steps: list[dict[str, Any]] = [{"id": "a", "name": "受理", "next": ["b"]},
             {"id": "b", "name": "审查", "next": [{"to": "a", "when": "材料需补正的，退回补正后重新受理"}, "c"]},
             {"id": "c", "name": "决定"}]
    p = power(steps=steps)
    lay = layout(p)
    assert len(lay.back) == 1 and len(lay.lanes) == 1
    root = ET.fromstring(svg(p, standalone=True))
    label = next(r for r in root.findall(f"{NS}rect") if r.get("class") == "edge-label")
    assert float(label.get("x", 0)) > lay.lanes[0]  # right of the dashed lane
    assert float(label.get("x", 0)) + float(label.get("width", 0)) <= lay.width
    assert "材料需补正的，退回补正后重新受理" in "".join(texts(root))


def test_conditions_have_their_own_row_between_the_steps() -> None:
    p = power()  # GOOD_POWER: accept -> review, accept -> reject (材料不符合要求)
    lay = layout(p)
    labels = [n for n in lay.nodes if n.index == LABEL]
    assert labels
    boxes = [n for n in lay.nodes if n.index >= 0]
    for lab in labels:
        for b in boxes:
            apart_x = abs(lab.x - b.x) >= (lab.w + b.w) / 2
            apart_y = lab.y + lab.h <= b.y or b.y + b.h <= lab.y
            assert apart_x or apart_y


def test_legend_names_every_colour_and_line_style() -> None:
    steps: list[dict[str, Any]] = [{"id": "a", "name": "受理", "next": ["b"]},
             {"id": "b", "name": "审查", "next": ["a", {"to": "c", "when": "符合条件"}]}, {"id": "c", "name": "决定"}]
    all_text = texts(ET.fromstring(svg(power(steps=steps), standalone=True)))
    for word in ("开始环节", "办理环节", "结束环节", "分支条件", "退回或循环"):
        assert word in all_text
    plain = texts(ET.fromstring(svg(power(steps=[{"id": "a", "name": "受理"}]))))
    assert "分支条件" not in plain and "退回或循环" not in plain


def test_standalone_chart_names_id_name_body_and_total_limit() -> None:
    p = power()
    root = ET.fromstring(svg(p, standalone=True, body="某市水务局"))
    assert root.find(f"{NS}title") is not None
    head = " ".join(texts(root)[:4])
    assert "SL-XK-001" in head and "取水许可" in head and "实施主体：某市水务局" in head
    assert "法定办结时限：20个工作日" in head
    desc = root.find(f"{NS}desc")
    assert desc is not None and "SL-XK-001" in (desc.text or "")
    inline = ET.fromstring(svg(p).replace("<svg ", f'<svg xmlns="{NS[1:-1]}" ', 1))
    assert inline.find(f"{NS}desc") is None  # on the site the page's heading says it


def test_graph_command_svg_names_the_body(run_cli, make_catalog, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    root = make_catalog({"powers/water/SL-XK-001.yaml": "{{GOOD_POWER}}"})
    target = tmp_path / "flow.svg"
    assert run_cli("graph", "SL-XK-001", root, "-o", target).exit_code == 0
    body = yaml.safe_load((root / "bodies.yaml").read_text(encoding="utf-8"))
    name = next(b["name"] for b in body if b["id"] == "city-water")
    assert f"实施主体：{name}" in " ".join(texts(ET.parse(target).getroot()))


@pytest.mark.parametrize("where", ["svg", "css"])
def test_font_stack_covers_the_common_chinese_system_fonts(where: str) -> None:
    for name in ("PingFang SC", "Hiragino Sans GB", "Microsoft YaHei", "Noto Sans CJK SC", "Source Han Sans SC",
                 "WenQuanYi Micro Hei"):
        assert name in FONT_NAMES
        if where == "svg":
            assert name in (ET.fromstring(svg(power(), standalone=True)).get("font-family") or "")
        else:
            css = (ROOT / "powerlist" / "export" / "templates" / "style.css").read_text(encoding="utf-8")
            assert f'"{name}"' in css

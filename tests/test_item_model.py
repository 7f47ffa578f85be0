"""The 政务服务 item model (issue 12, point 1): optional codes, 办理项 mappings in ``sub_items``,
``time_limit.unit: months``. Old catalogues stay valid; new shapes validate, export, format and
diff; bad shapes are located S problems."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from casefiles import GOOD_POWER

from powerlist import api
from powerlist.api import check, settings_for
from powerlist.catalog.parse import parse_text
from powerlist.config import Settings
from powerlist.diff import diff_folders
from powerlist.fmt import format_text
from powerlist.models import Power, SubItem

ROOT = Path(__file__).resolve().parent.parent

# GOOD_POWER with every new key; the sub-items mix the old string form and the new mappings.
ITEM_KEYS = """\
code: "000172001000"
implementation_code: "000172001000-330100000000-000-11330100002496857H-1-00"
handling_unit: 水资源管理科
levels: [市级, 县级]
remarks: 已下放至区县
extra: {原表列名: 值, 受理地点: 政务服务中心}
sub_items:
  - 取水许可（变更）
  - name: 取水许可（新办）
    code: "000172001001"
    implementation_code: "000172001001-330100000000-000-11330100002496857H-1-00"
    category: 行政许可
    status: active
  - name: 取水许可（注销）
    status: suspended
"""
NEW_POWER = GOOD_POWER.replace("time_limit:\n  statutory: 20\n  promised: 10\n",
                               "time_limit:\n  statutory: 20\n  promised: 10\n  unit: working_days\n"
                               "  text: 法定：20个工作日；承诺：10个工作日\n") + ITEM_KEYS
MINIMAL = "id: SL-XK-001\nname: 取水许可\ncategory: 行政许可\nbody: city-water\n"


def diagnostics(root: Path, *codes: str) -> list[tuple[str, str, int, str]]:
    settings = settings_for(root, select=list(codes) or None)
    result = check(root, settings).result
    assert not result.crashed, result.crashed
    return sorted((d.code, d.path, d.line, d.message.en) for d in result.diagnostics)


def s_problems(root: Path) -> list[tuple[str, int, str]]:
    return [(code, line, msg) for code, _, line, msg in diagnostics(root, "S") if code.startswith("S")]


# ------------------------------------------------------------------------------ the model


def test_old_string_sub_items_still_validate_and_read_as_sub_items() -> None:
    p = Power.model_validate({"id": "X-1", "name": "取水许可", "category": "行政许可", "body": "b",
                              "sub_items": ["取水许可（新办）", "取水许可（延续）"]})
    assert p.sub_item_names() == ["取水许可（新办）", "取水许可（延续）"]
    assert p.handling_items() == [SubItem(name="取水许可（新办）"), SubItem(name="取水许可（延续）")]
    assert p.code is None and p.levels == [] and p.extra == {}
    empty = Power.model_validate({"id": "X-1", "name": "取水许可", "category": "行政许可", "body": "b", "sub_items": [""]})
    assert empty.handling_items()[0].name == ""  # valid before; reading it must not raise


def test_new_shapes_validate() -> None:
    data = parse_text(NEW_POWER).data
    p = Power.model_validate(data)
    assert p.code == "000172001000"  # 0-leading code intact: a string
    assert p.levels == ["市级", "县级"] and p.handling_unit == "水资源管理科" and p.remarks == "已下放至区县"
    assert p.extra == {"原表列名": "值", "受理地点": "政务服务中心"}
    assert p.sub_item_names() == ["取水许可（变更）", "取水许可（新办）", "取水许可（注销）"]
    items = p.handling_items()
    assert items[1].code == "000172001001" and items[1].category == "行政许可"
    assert items[2].status == "suspended" and items[2].category is None
    assert p.time_limit is not None and p.time_limit.text == "法定：20个工作日；承诺：10个工作日"
    months = Power.model_validate({**data, "time_limit": {"statutory": 3, "unit": "months"}})
    assert months.time_limit is not None and months.time_limit.unit == "months"


def test_demo_catalogue_has_no_code_findings(tmp_path: Path) -> None:
    """The demo writes none of the new keys: it loads as before and the new checks stay silent
    (tests/test_demo.py pins its exact planted findings)."""
    assert diagnostics(ROOT / "catalog", "D005", "D006", "R010", "R011") == []


def test_catalogue_with_new_keys_is_clean(make_catalog) -> None:  # type: ignore[no-untyped-def]
    bodies = (ROOT / "tests/cases/_base/bodies.yaml").read_text(encoding="utf-8").replace(
        '  region: "330100"\n  enforcement: true\n- id: city-market',
        '  region: "330100"\n  uscc: "11330100002496857H"\n  enforcement: true\n- id: city-market', 1)
    root = make_catalog({"powers/water/SL-XK-001.yaml": NEW_POWER, "bodies.yaml": bodies})
    assert diagnostics(root) == []


# ------------------------------------------------------------------------------ bad shapes


@pytest.mark.parametrize(("tail", "code", "line", "words"), [
    ("sub_items:\n  - code: \"001\"\n", "S011", 6, "required key 'name'"),
    ("sub_items:\n  - name: 取水许可（新办）\n    cod: \"001\"\n", "S012", 7, "unknown key 'cod'"),
    ("code: 000172001000\n", "S013", 5, "quote codes"),
    ("sub_items:\n  - 取水许可\n  - name: 取水许可（延续）\n    code: 172001\n", "S013", 8, "quote codes"),
    ("sub_items:\n  - name: 取水许可（延续）\n    status: 作废\n", "S013", 7, "not one of"),
    ("sub_items:\n  - 3\n", "S013", 6, "string"),
    ("time_limit:\n  statutory: 3\n  unit: years\n", "S013", 7, "not one of"),
    ("extra: {原表列名: 3}\n", "S013", 5, "string"),
    ("levels: 市级\n", "S013", 5, "list"),
])
def test_bad_shapes_are_located_s_problems(make_catalog, tail: str, code: str, line: int,  # type: ignore[no-untyped-def]
                                           words: str) -> None:
    root = make_catalog({"powers/water/SL-XK-001.yaml": MINIMAL + tail})
    problems = s_problems(root)
    assert [(c, ln) for c, ln, _ in problems] == [(code, line)], problems
    assert words in problems[0][2]


# ------------------------------------------------------------------------------ months


def test_months_do_not_crash_and_compare_like_with_like(make_catalog) -> None:  # type: ignore[no-untyped-def]
    """民办教育促进法 第十七条 "三个月": every P check runs on a limit in months (none crashes), and
    steps in months add up against it (P008) and the promised limit against the statutory (P009).
    Whether 3 months is allowed for a licence is P015's (compared with month values only)."""
    text = GOOD_POWER.replace("  statutory: 20\n  promised: 10\n", "  statutory: 3\n  promised: 2\n  unit: months\n")
    text = text.replace("days: 12", "days: 1.5").replace("days: 3", "days: 0.5").replace("days: 1\n", "days: 0\n")
    root = make_catalog({"powers/water/SL-XK-001.yaml": text})
    assert [d for d in diagnostics(root, "P") if d[0] in ("P008", "P009")] == []
    slow = text.replace("days: 1.5", "days: 4")  # the review step alone takes longer than 3 months
    root = make_catalog({"powers/water/SL-XK-001.yaml": slow})
    found = diagnostics(root, "P008")
    assert len(found) == 1 and "months" in found[0][3], found


# ------------------------------------------------------------------------------ export


def test_export_shows_mapping_sub_items_by_name(make_catalog, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    root = make_catalog({"powers/water/SL-XK-001.yaml": NEW_POWER})
    done = api.export(root, tmp_path / "public", ["csv", "xlsx", "json", "html", "md", "sqlite"],
                          allow_errors=True)
    out = done.out
    names = "取水许可（变更）；取水许可（新办）；取水许可（注销）"

    with (out / "powers.csv").open(encoding="utf-8-sig", newline="") as f:
        rows = list(csv.DictReader(f))
    assert rows[0]["子项名称"] == names

    from openpyxl import load_workbook

    wb = load_workbook(out / "powers.xlsx", read_only=True)
    cells = [c for name in wb.sheetnames for r in wb[name].iter_rows(values_only=True) for c in r]
    assert names in cells

    doc = json.loads((out / "powers.json").read_text(encoding="utf-8"))
    p = doc["powers"][0]
    assert p["sub_items"] == names.split("；")
    assert p["handling_items"][1] == {"name": "取水许可（新办）", "code": "000172001001",
                                      "implementation_code": "000172001001-330100000000-000-11330100002496857H-1-00",
                                      "category": "行政许可", "status": "active"}
    assert p["handling_items"][2]["status"] == "suspended" and p["handling_items"][0]["category"] == "行政许可"
    assert p["code"] == "000172001000" and p["levels"] == ["市级", "县级"] and p["extra"]["原表列名"] == "值"
    assert p["time_limit"]["text"] == "法定：20个工作日；承诺：10个工作日"

    page = next((out / "site" / "p").glob("*.html")).read_text(encoding="utf-8")
    assert "<li>取水许可（新办）</li>" in page and "000172001000" in page and "水资源管理科" in page
    md = "".join(f.read_text(encoding="utf-8") for f in (out / "md").glob("*.md"))
    assert "子项：" + names in md and "SubItem(" not in page + md


# ------------------------------------------------------------------------------ fmt and diff


def test_fmt_puts_new_keys_in_canonical_order_and_round_trips() -> None:
    messy = ("extra: {原表列名: 值}\nsub_items:\n  - status: active\n    name: 取水许可（新办）\n    code: \"007\"\n"
             "  - 取水许可（延续）\nlevels:\n  - 市级\n  - 县级\nremarks: 备注\n" + MINIMAL
             + "implementation_code: \"x-330100000000-000-1-1-00\"\ncode: \"000172001000\"\n"
             "time_limit: {text: 三个月, unit: months, statutory: 3}\n")
    out = format_text(messy)
    assert list(parse_text(out).data) == ["id", "name", "code", "implementation_code", "category", "body", "levels",
                                          "sub_items", "time_limit", "remarks", "extra"]
    assert "levels: [市级, 县级]\n" in out
    assert "  - name: 取水许可（新办）\n    code: \"007\"\n    status: active\n" in out
    assert "time_limit:\n  statutory: 3\n  unit: months\n  text: 三个月\n" in out
    assert parse_text(out).data == parse_text(messy).data
    assert format_text(out) == out


def test_diff_compares_sub_item_codes_and_new_keys(make_catalog, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    old = make_catalog({"powers/water/SL-XK-001.yaml": NEW_POWER})
    new = tmp_path / "new"
    import shutil

    shutil.copytree(old, new)
    edited = NEW_POWER.replace('code: "000172001001"', 'code: "000172001009"').replace(
        "handling_unit: 水资源管理科", "handling_unit: 节约用水科")
    (new / "powers/water/SL-XK-001.yaml").write_text(edited, encoding="utf-8")
    changes = diff_folders(old, new, Settings()).changes
    assert [c.kind for c in changes] == ["adjusted"]
    fields = {f.field: (f.old, f.new) for f in changes[0].fields}
    assert fields == {"handling_unit": ("水资源管理科", "节约用水科"),
                      "sub_items[取水许可（新办）].code": ("000172001001", "000172001009")}

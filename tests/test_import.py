"""powerlist import: layouts (title rows, merged cells, notes, several sheets), csv encodings, docx and
PDF tables, bad sources (exit 2), --dry-run, --update (hand edits kept, idempotent), S026 folding."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from openpyxl import Workbook
from ruamel.yaml import YAML
from typer.testing import CliRunner

from powerlist.cli import _load_commands, app
from powerlist.importer import fields as F
from powerlist.importer.laws import infer_level

_load_commands()
runner = CliRunner()


def invoke(*args: str) -> tuple[int, str]:
    res = runner.invoke(app, ["import", *args, "--lang", "en"])
    return res.exit_code, res.output


def load(path: Path) -> dict:
    return YAML(typ="safe").load(path.read_text(encoding="utf-8"))


def powers(out: Path) -> dict[str, dict]:
    return {d["name"]: d for d in (load(p) for p in sorted((out / "powers").rglob("*.yaml")))}


def office_workbook(path: Path) -> None:
    """What real sheets carry: a title row, 填报单位/更新日期, merged 主项 cells over 子项 rows, a blank
    row, a note below the table, a code stored as a number, a formula, line breaks in cells; two sheets."""
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "行政许可"
    ws.append(["某区水务局权责清单"])
    ws.merge_cells("A1:I1")
    ws.append(["填报单位：某区水务局", None, None, "更新日期：2024-05-01"])
    ws.append(["序号", "事项名称", "子项名称", "职权类型", "实施主体", "设定依据", "法定办结时限", "备注", "行政相对人"])
    ws.append([1, "取水许可", "取水许可（新办）", "行政许可", "某区水务局",
               "1.《中华人民共和国水法》第七条、第四十八条：直接从江河取水的……；2.《取水许可和水资源费征收管理条例》第二条",
               "20个工作日", None, "单位\n个人"])
    ws.append([None, None, "取水许可（延续）", None, None, None, None, None, "单位"])
    for rng in ("B4:B5", "D4:D5", "E4:E5", "F4:F5", "G4:G5"):
        ws.merge_cells(rng)
    ws.append([])
    ws.append([4, "河道采砂许可", None, "行政许可", "某区水务局", "《某省河道采砂管理条例》第十条",
               "法定：二十日；承诺：5日", "已取消"])
    ws.append(["注：本表依据2024年清理结果编制。"])
    ws2 = wb.create_sheet("行政处罚")
    ws2.append(["序号", "职权名称", "权力类型", "实施主体", "法律依据", "承诺时限", "职权编码"])
    ws2.append([1, "对未经批准擅自取水的处罚", "行政处罚", "某区水务局", "《中华人民共和国水法》第六十九条", "即办", 172001000])
    ws2.append([2, "对擅自采砂的处罚", "行政处罚", "某区水务局", "《某省河道采砂管理条例》第三十条", "三个月", "000172001001"])
    ws2["F3"] = "=\"三个月\""
    wb.save(path)


@pytest.fixture()
def workbook(tmp_path: Path) -> Path:
    path = tmp_path / "清单.xlsx"
    office_workbook(path)
    return path


def test_xlsx_layout_title_rows_merged_cells_notes_and_two_sheets(workbook: Path, tmp_path: Path) -> None:
    out = tmp_path / "cat"
    code, text = invoke(str(workbook), "--out", str(out))
    assert code == 0, text
    got = powers(out)
    assert set(got) == {"取水许可", "河道采砂许可", "对未经批准擅自取水的处罚", "对擅自采砂的处罚"}
    licence = got["取水许可"]
    assert licence["sub_items"] == ["取水许可（新办）", "取水许可（延续）"]  # merged 主项 forward-filled
    assert [b["law"] for b in licence["basis"]] == ["中华人民共和国水法", "取水许可和水资源费征收管理条例"]
    assert licence["basis"][0]["articles"] == ["第七条", "第四十八条"]
    assert licence["basis"][0]["text"] == "直接从江河取水的……"
    assert licence["time_limit"] == {"statutory": 20}
    assert licence["extra"] == {"行政相对人": "单位\n个人"}  # a column with no field is kept, line break too
    sand = got["河道采砂许可"]
    assert sand["status"] == "abolished" and sand["remarks"] == "已取消"
    assert sand["time_limit"]["statutory"] == 20 and sand["time_limit"]["promised"] == 5
    assert sand["time_limit"]["unit"] == "calendar_days"
    assert got["对擅自采砂的处罚"]["code"] == "000172001001"  # 0-leading code kept as text
    assert got["对未经批准擅自取水的处罚"]["code"] == "172001000"  # a number: no ".0"
    first = (out / "powers").rglob("*.yaml").__next__().read_text(encoding="utf-8")
    assert first.startswith("# 来源：清单.xlsx ")
    assert "skipped row 8: a note below the table" in text
    assert "stored as a number; leading zeros may have been lost" in text
    assert "formula cells read as their cached value: F3" in text
    laws = load(out / "laws.yaml")
    assert laws == [{"id": laws[0]["id"], "title": "某省河道采砂管理条例", "level": "地方性法规", "inferred": True}]
    toml = (out / "powerlist.toml").read_text(encoding="utf-8")
    assert 'missing = ["process", "responsibilities", "accountability"]' in toml


def test_source_comment_names_the_cells(workbook: Path, tmp_path: Path) -> None:
    out = tmp_path / "cat"
    invoke(str(workbook), "--out", str(out))
    texts = [p.read_text(encoding="utf-8") for p in (out / "powers").rglob("*.yaml")]
    assert any(t.startswith("# 来源：清单.xlsx 行政许可!A4:I5\n") for t in texts)


def test_checked_catalogue_folds_missing_elements_into_s026(workbook: Path, tmp_path: Path) -> None:
    out = tmp_path / "cat"
    invoke(str(workbook), "--out", str(out))
    res = runner.invoke(app, ["check", str(out), "--format", "json", "--no-cache"])
    diags = json.loads(res.output)["diagnostics"]
    codes = [d["code"] for d in diags]
    assert "P001" not in codes  # folded
    s026 = [d for d in diags if d["code"] == "S026"]
    assert len(s026) == 3 and any("process: 4 power(s)" in d["message"] for d in s026)
    assert "A004" in codes  # a real finding stays visible


def test_gbk_csv_is_detected_and_named(tmp_path: Path) -> None:
    src = tmp_path / "list.csv"
    src.write_bytes("序号,权力事项名称,权力类别,行使主体,法定时限\n1,取水许可,行政许可,某区水务局,二十个工作日\n".encode("gbk"))
    out = tmp_path / "cat"
    code, text = invoke(str(src), "--out", str(out))
    assert code == 0, text
    assert "encoding GBK" in text
    assert powers(out)["取水许可"]["time_limit"] == {"statutory": 20}


def test_utf8_bom_tsv(tmp_path: Path) -> None:
    src = tmp_path / "list.tsv"
    src.write_bytes("\ufeff事项名称\t事项类型\t部门\n取水许可\t行政许可\t水务局\n".encode())
    code, text = invoke(str(src), "--out", str(tmp_path / "cat"))
    assert code == 0 and "encoding UTF-8 (BOM)" in text


def test_docx_table(tmp_path: Path) -> None:
    import docx

    d = docx.Document()
    d.add_paragraph("某区权责清单")
    t = d.add_table(rows=3, cols=4)
    for r, values in enumerate([["序号", "职权名称", "职权类别", "实施主体"], ["1", "取水许可", "行政许可", "某区水务局"],
                                ["2", "水土保持方案审批", "行政许可", "某区水务局"]]):
        for c, v in enumerate(values):
            t.cell(r, c).text = v
    src = tmp_path / "清单.docx"
    d.save(str(src))
    out = tmp_path / "cat"
    code, text = invoke(str(src), "--out", str(out))
    assert code == 0, text
    assert set(powers(out)) == {"取水许可", "水土保持方案审批"}


def _pdf(path: Path, rows: list[list[str]]) -> None:
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("Helvetica", size=10)
    with pdf.table() as table:
        for r in rows:
            row = table.row()
            for cell in r:
                row.cell(cell)
    pdf.output(str(path))


def test_pdf_table_with_mapping(tmp_path: Path) -> None:
    # No CJK font is installed here: the PDF holds ASCII text and the headers are mapped.
    src = tmp_path / "list.pdf"
    _pdf(src, [["No", "Power", "Type", "Body"], ["1", "Qushui xuke", "XK", "Shuiwu ju"], ["2", "Caisha xuke", "XK", "Shuiwu ju"]])
    mapping = tmp_path / "map.toml"
    mapping.write_text('[columns]\n"Power" = "name"\n"Type" = "category"\n"Body" = "body"\n"No" = "seq"\n', encoding="utf-8")
    out = tmp_path / "cat"
    code, text = invoke(str(src), "--out", str(out), "--mapping", str(mapping))
    assert code == 0, text
    assert set(powers(out)) == {"Qushui xuke", "Caisha xuke"}


def test_scanned_pdf_exits_2(tmp_path: Path) -> None:
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    pdf.rect(10, 10, 50, 50)  # drawing only, no text layer
    src = tmp_path / "scan.pdf"
    pdf.output(str(src))
    code, text = invoke(str(src), "--out", str(tmp_path / "cat"))
    assert code == 2 and "no text layer" in text


@pytest.mark.parametrize(("name", "content", "message"), [
    ("empty.xlsx", b"", "the file is empty"),
    ("locked.xlsx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 504, "password-protected"),
    ("nohead.csv", "甲,乙\n1,2\n".encode(), "no header row recognised"),
    ("list.odt", b"x", "unknown file type"),
])
def test_bad_sources_exit_2_with_a_message(tmp_path: Path, name: str, content: bytes, message: str) -> None:
    src = tmp_path / name
    src.write_bytes(content)
    code, text = invoke(str(src), "--out", str(tmp_path / "cat"))
    assert code == 2
    assert message in text
    assert "Traceback" not in text
    assert not (tmp_path / "cat").exists()


def test_refuses_non_empty_out_and_dry_run_writes_nothing(workbook: Path, tmp_path: Path) -> None:
    out = tmp_path / "cat"
    out.mkdir()
    (out / "note.txt").write_text("x")
    code, text = invoke(str(workbook), "--out", str(out))
    assert code == 2 and "not empty" in text
    dry = tmp_path / "dry"
    code, text = invoke(str(workbook), "--out", str(dry), "--dry-run")
    assert code == 0 and "column  2 事项名称 -> name" in text and not dry.exists()


def test_json_report_and_xlsx_report(workbook: Path, tmp_path: Path) -> None:
    rep = tmp_path / "problems.xlsx"
    code, text = invoke(str(workbook), "--out", str(tmp_path / "cat"), "--format", "json", "--report", str(rep))
    assert code == 0
    data = json.loads(text)
    assert data["rows"] == 5 and data["powers"] == 4 and data["laws_added"] == 1
    assert data["tables"][0]["skipped"][0]["reason"] == "a note below the table"
    from openpyxl import load_workbook

    rows = list(load_workbook(rep).worksheets[0].iter_rows(values_only=True))
    assert any(r[2] == "未导入的行" for r in rows)


def test_update_keeps_hand_edits_and_is_idempotent(workbook: Path, tmp_path: Path) -> None:
    out = tmp_path / "cat"
    invoke(str(workbook), "--out", str(out))
    target = next(p for p in (out / "powers").rglob("*.yaml") if "取水许可\n" in p.read_text(encoding="utf-8"))
    hand = ("# 经办人手工补充流程图\nprocess:\n  steps:\n    - id: accept\n      name: 受理  # 窗口\n"
            "waivers:\n  - code: P010\n    reason: 试点\n")
    target.write_text(target.read_text(encoding="utf-8") + hand, encoding="utf-8")
    before = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}
    code, text = invoke(str(workbook), "--out", str(out), "--update")
    assert code == 0, text
    after = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}
    assert after == before  # the same source twice changes nothing
    # the source changes: a time limit, one power dropped -> 调整 and 取消, hand edits kept
    wb_path = tmp_path / "清单.xlsx"
    from openpyxl import load_workbook

    wb = load_workbook(wb_path)
    wb["行政许可"]["G4"] = "15个工作日"
    wb["行政处罚"].delete_rows(3)
    wb.save(wb_path)
    code, text = invoke(str(wb_path), "--out", str(out), "--update")
    assert code == 0, text
    kept = target.read_text(encoding="utf-8")
    assert "# 经办人手工补充流程图" in kept and "name: 受理  # 窗口" in kept and "reason: 试点" in kept
    assert "statutory: 15" in kept
    assert "对擅自采砂的处罚" not in {load(p)["name"] for p in (out / "powers").rglob("*.yaml")}
    assert "adjusted" in text.lower() or "调整" in text


def test_time_limit_texts() -> None:
    assert F.read_limit("20个工作日") == F.Limit(20, "working_days", True)
    assert F.read_limit("20日") == F.Limit(20, "calendar_days", True)
    assert F.read_limit("三个月") == F.Limit(3, "months", True)
    assert F.read_limit("即办") == F.Limit(0, "working_days", True)
    assert F.read_limit("一百二十天").value == 120
    tl, problem = F.time_limit("", "", "法定：20个工作日；承诺：5个工作日", (None, None, None))
    assert tl == {"statutory": 20, "promised": 5, "text": "法定：20个工作日；承诺：5个工作日"} and problem is None
    tl, problem = F.time_limit("视情况而定", "", "", (None, None, None))
    assert tl == {"text": "法定：视情况而定"} and problem == "视情况而定"  # kept verbatim, never guessed
    tl, _ = F.time_limit("20", "", "", ("working_days", None, None))  # unit from the header
    assert tl == {"statutory": 20}


def test_basis_texts() -> None:
    items = F.read_basis("《行政许可法》第十二条；"
                         "《国务院对确需保留的行政审批项目设定行政许可的决定》（国务院令第412号）附件第5项")
    assert [i.law for i in items] == ["行政许可法", "国务院对确需保留的行政审批项目设定行政许可的决定"]
    inner = F.read_basis("《中华人民共和国水法》第四十八条：依照《取水许可条例》规定取得取水权")
    assert len(inner) == 1 and inner[0].text == "依照《取水许可条例》规定取得取水权"
    bare = F.read_basis("中华人民共和国水法第四十八条")
    assert bare[0].law == "中华人民共和国水法" and bare[0].articles == ["第四十八条"]


def test_law_levels_from_titles() -> None:
    assert infer_level("中华人民共和国长江保护法") == ("法律", True)
    assert infer_level("四川省河道采砂管理条例") == ("地方性法规", True)
    assert infer_level("取水许可管理条例") == ("行政法规", True)
    assert infer_level("广安市城市绿化管理办法") == ("地方政府规章", True)
    assert infer_level("水利部取水许可管理办法") == ("部门规章", True)
    assert infer_level("关于加强河道管理的通知") == ("规范性文件", False)

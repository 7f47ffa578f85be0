"""`powerlist compare`: the demo siblings side by side, read back from JSON and XLSX; exports
(Parquet) and folders compare alike; bad inputs end the run with one line and exit 2."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from powerlist import api

SIB = Path(__file__).resolve().parent.parent / "catalog" / "siblings"
QX, BS, FL = "江南省临川市青溪县", "江南省临川市白沙县", "江南省临川市枫林县"
FOLDERS = [SIB / "qingxi", SIB / "baisha", SIB / "fenglin"]


def _items(data: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {i["name"]: i for i in data["items"]}


def _json(run_cli: Any, tmp_path: Path, *inputs: Path) -> dict[str, Any]:
    out = tmp_path / "c.json"
    r = run_cli("compare", *inputs, "--out", out)
    assert r.exit_code == 0, r.output
    return json.loads(out.read_text(encoding="utf-8"))


def test_siblings_compare_read_back_from_json(run_cli: Any, tmp_path: Path) -> None:
    data = _json(run_cli, tmp_path, *FOLDERS)
    assert data["summary"] == {"lists": 3, "items": 14, "in_all": 9, "majority": 12, "with_differences": 4}
    items = _items(data)
    water = items["取水许可"]  # 白沙 promises 5 days and calls its bureau 水利局
    assert water["lists"] == 3 and water["time_limit"] == "20/10 工作日" and water["body_type"] == "水务局"
    assert water["differences"] == [{"list": BS, "time_limit": "20/5 工作日", "body_type": "水利局"}]
    river = items["河道管理范围内建设项目工程建设方案审批"]  # matched by code although 枫林 names it 审查
    assert {"list": FL, "name": "河道管理范围内建设项目工程建设方案审查"} in river["differences"]
    assert items["对超标排放污染物的行政处罚"]["differences"] == [
        {"list": FL, "basis": "《中华人民共和国大气污染防治法》；《中华人民共和国环境保护法》"}]
    assert items["食品经营许可"]["differences"] == []  # 食品經營許可 folds to the same name
    assert items["乡村建设规划许可证核发"]["missing_from"] == [FL]
    assert items["水产苗种生产审批"]["carried_by"] == [BS]
    lists = {s["label"]: s for s in data["lists"]}
    assert lists[QX]["distance"] == 0.0
    assert lists[BS]["differs"]["body_type"] == 3 and lists[BS]["missing"] == 2 and lists[BS]["minority"] == 2
    assert lists[BS]["distance"] > lists[FL]["distance"] > 0


def test_parquet_exports_and_folders_compare_alike(run_cli: Any, tmp_path: Path) -> None:
    for f in FOLDERS[1:]:
        api.export(f, tmp_path / f.name, "parquet")
    mixed = _json(run_cli, tmp_path, FOLDERS[0], tmp_path / "baisha", tmp_path / "fenglin" / "powers.parquet")
    folders = _json(run_cli, tmp_path, *FOLDERS)
    assert mixed["summary"] == folders["summary"]
    def ren(label: str) -> str:
        return label.replace(BS, "baisha").replace(FL, "fenglin")

    assert mixed["items"] == [  # the same items; exports are named by their folder
        {**i, "carried_by": [ren(x) for x in i["carried_by"]], "missing_from": [ren(x) for x in i["missing_from"]],
         "differences": [{**d, "list": ren(d["list"])} for d in i["differences"]]}
        for i in folders["items"]]


def test_siblings_compare_read_back_from_xlsx(run_cli: Any, tmp_path: Path) -> None:
    out = tmp_path / "c.xlsx"
    assert run_cli("compare", *FOLDERS, "--out", out).exit_code == 0
    wb = openpyxl.load_workbook(out)
    ws = wb["比较"]
    head = [c.value for c in ws[1]]
    assert head[:4] == ["基本编码", "清单数", "差异", "多数·事项名称"] and f"{BS}·时限（法定/承诺）" in head
    assert ws.freeze_panes == "I2" and ws.auto_filter.ref == f"A1:{openpyxl.utils.get_column_letter(len(head))}15"
    rows = {r[3]: dict(zip(head, r, strict=True)) for r in ws.iter_rows(min_row=2, values_only=True)}
    assert rows["取水许可"][f"{BS}·时限（法定/承诺）"] == "20/5 工作日" and rows["取水许可"]["差异"] == "时限 1；实施主体类型 1"
    assert rows["乡村建设规划许可证核发"][f"{FL}·事项名称"] == "（无）"
    col = head.index(f"{BS}·时限（法定/承诺）") + 1
    cell = next(c for c in ws.iter_rows(min_row=2, min_col=col, max_col=col) if c[0].value == "20/5 工作日")[0]
    assert cell.fill.fgColor.rgb.endswith("FFD8A8")  # the departing value is coloured
    assert {r[0] for r in wb["清单"].iter_rows(min_row=2, values_only=True)} == {QX, BS, FL}


def test_formula_text_is_neutralised_and_html_escaped(run_cli: Any, tmp_path: Path) -> None:
    folders = []
    for f in FOLDERS:
        shutil.copytree(f, tmp_path / f.name)
        folders.append(tmp_path / f.name)
    p = next((tmp_path / "baisha" / "powers").rglob("SL-XK-001.yaml"))
    p.write_text(p.read_text(encoding="utf-8").replace("name: 取水许可", "name: \"=HYPERLINK(1)<script>x</script>\""),
                 encoding="utf-8")
    assert run_cli("compare", *folders, "--out", tmp_path / "c.xlsx").exit_code == 0
    values = [c for r in openpyxl.load_workbook(tmp_path / "c.xlsx")["比较"].iter_rows(values_only=True) for c in r]
    assert "'=HYPERLINK(1)<script>x</script>" in values and "=HYPERLINK(1)<script>x</script>" not in values
    assert run_cli("compare", *folders, "--out", tmp_path / "c.html").exit_code == 0
    page = (tmp_path / "c.html").read_text(encoding="utf-8")
    assert "<script>" not in page and "&lt;script&gt;" in page
    assert "Content-Security-Policy" in page and "<svg" in page


@pytest.mark.parametrize(("args", "message"), [
    (["/no/such/list"], "no such file or folder"),
    ([], "compare needs at least two lists"),
])
def test_unusable_inputs_exit_2(run_cli: Any, tmp_path: Path, args: list[str], message: str) -> None:
    r = run_cli("compare", FOLDERS[0], *args, "--out", tmp_path / "c.json")
    assert r.exit_code == 2 and message in r.stderr and "Traceback" not in r.stderr
    assert not (tmp_path / "c.json").exists()


def test_unknown_suffix_and_broken_parquet_exit_2(run_cli: Any, tmp_path: Path) -> None:
    r = run_cli("compare", *FOLDERS, "--out", tmp_path / "c.csv")
    assert r.exit_code == 2 and ".xlsx, .html, .json, .parquet" in r.stderr
    bad = tmp_path / "bad.parquet"
    bad.write_bytes(b"not parquet at all")
    r = run_cli("compare", FOLDERS[0], bad, "--out", tmp_path / "c.json")
    assert r.exit_code == 2 and "cannot read the inputs" in r.stderr and len(r.stderr.strip().splitlines()) == 1
    assert not list(tmp_path.glob("*.json")) and not list(tmp_path.glob(".c.json*"))


def test_a_code_carried_twice_by_one_list_counts_once(run_cli: Any, tmp_path: Path) -> None:
    """Two 办理项 of one 主项 share its code: the list carries the item once, and its smallest values
    stand for it (the repeated pairs take the aggregated path, the others do not)."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    for f in FOLDERS:
        api.export(f, tmp_path / f.name, "parquet")
    target = tmp_path / "baisha" / "powers.parquet"
    table = pq.read_table(target)
    coded = [i for i, c in enumerate(table.column("code_key").to_pylist()) if c]
    assert coded, "the sibling needs a coded item for this test"
    row = table.slice(coded[0], 1).to_pylist()[0]
    twin = {**row, "id": row["id"] + "-2", "name": row["name"] + "（延续）", "name_norm": row["name_norm"] + "延续"}
    pq.write_table(pa.concat_tables([table, pa.Table.from_pylist([twin], schema=table.schema)]), target)
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    once = _json(run_cli, tmp_path / "a", *(tmp_path / f.name / "powers.parquet" for f in FOLDERS))
    twice_free = _json(run_cli, tmp_path / "b", *FOLDERS)
    assert once["summary"] == twice_free["summary"]
    item = next(i for i in once["items"] if i["code"] == row["code"])
    assert item["lists"] == next(i for i in twice_free["items"] if i["code"] == row["code"])["lists"]
    assert all(d.get("name") != twin["name"] for d in item["differences"])

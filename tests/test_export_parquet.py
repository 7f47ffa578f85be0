"""`export --format parquet`: one row per published item with its match key, read back with pyarrow
and with DuckDB (what `compare` does with thousands of them)."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pyarrow.parquet as pq

from powerlist import api
from powerlist.export.parquetout import body_type, time_limit_text
from powerlist.matchkey import code_key, match_key

DEMO = Path(__file__).resolve().parent.parent / "catalog"
SIBLING = DEMO / "siblings" / "fenglin"


def test_parquet_export_reads_back_with_pyarrow(tmp_path: Path) -> None:
    done = api.export(SIBLING, tmp_path / "out", "parquet")
    assert done.formats == ["parquet"]
    t = pq.read_table(tmp_path / "out" / "powers.parquet")
    assert t.num_rows == len(done.cleaned.powers) == 11
    rows = {r["id"]: r for r in t.to_pylist()}
    food = rows["SJ-XK-001"]  # written in traditional characters; its code is the key
    assert food["name"] == "食品經營許可" and food["code_key"] == "000111012000" == food["match_key"]
    assert food["name_key"] == match_key("食品经营许可", "行政许可")
    fine = rows["HB-CF-001"]
    assert fine["code_key"] is None and fine["match_key"] == match_key("对超标排放污染物的行政处罚", "行政处罚")
    assert fine["basis"] == ["中华人民共和国环境保护法", "中华人民共和国大气污染防治法"]
    assert (fine["statutory_days"], fine["promised_days"], fine["time_unit"]) == (90.0, 60.0, "calendar_days")
    assert fine["time_limit"] == "90/60 自然日"
    assert fine["catalogue"] == "江南省临川市枫林县" and fine["body_type"] == "生态环境局"
    assert t.schema.metadata[b"powerlist.parquet"] == b"1"


def test_parquet_export_reads_back_with_duckdb(tmp_path: Path) -> None:
    api.export(DEMO, tmp_path / "demo", "parquet", allow_errors=True)
    api.export(SIBLING, tmp_path / "fenglin", "parquet")
    files = [str(tmp_path / "demo" / "powers.parquet"), str(tmp_path / "fenglin" / "powers.parquet")]
    rows = duckdb.sql(f"SELECT catalogue, count(*) AS n, count(code_key) AS coded FROM read_parquet({files!r}) "
                      "GROUP BY catalogue ORDER BY catalogue").fetchall()
    demo = pq.read_table(files[0])
    assert rows == sorted([("江南省临川市", demo.num_rows, sum(1 for c in demo.column("code_key").to_pylist() if c)),
                           ("江南省临川市枫林县", 11, 3)])
    # abolished items are not published, so they are not compared either
    assert "abolished" not in set(demo.column("status").to_pylist())


def test_body_type_drops_the_region_words() -> None:
    assert body_type("临川市水务局") == "水务局"
    assert body_type("江南省临川市青溪县水务局") == "水务局"
    assert body_type("临川市市场监督管理局") == "市场监督管理局"
    assert body_type("东湖区城市管理和综合执法局") == "城市管理和综合执法局"
    assert body_type("城市管理局") == "城市管理局"  # 城市 is not a region
    assert body_type("白沙县人民政府", "江南省临川市白沙县") == "人民政府"


def test_time_limit_text_and_code_key() -> None:
    assert time_limit_text(20, 10, "working_days") == "20/10 工作日"
    assert time_limit_text(None, 3, "months") == "-/3 月"
    assert time_limit_text(None, None, "working_days") == ""
    assert code_key("０００１７２ ００１０００") == "000172001000"

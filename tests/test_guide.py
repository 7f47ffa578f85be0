"""The public guide (issue 16): fees with their basis, materials and the complaint channel are
published by every export and read back by `powerlist import`; the completeness summary counts them."""

from __future__ import annotations

import csv
import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from ruamel.yaml import YAML

from powerlist import api
from powerlist.catalog import load_catalog
from powerlist.completeness import completeness
from powerlist.config import Settings, load_settings
from powerlist.importer.emit import dump
from powerlist.importer.run import do_import
from powerlist.normalize import normalize_title

BODIES = [
    {"id": "sw", "name": "某区水务局", "level": "县级",
     "complaint": {"phone": "0571-12345678", "address": "某区某路1号", "hours": "工作日"}},
    {"id": "sc", "name": "某区市场监督管理局", "level": "县级"},
]
POWERS: list[dict[str, Any]] = [
    {"id": "X-001", "name": "取水许可", "category": "行政许可", "body": "sw",
     "basis": [{"law": "中华人民共和国水法", "articles": ["第四十八条"]}],
     "fees": [{"name": "水资源费", "standard": "按核定标准",
               "basis": [{"law": "取水许可和水资源费征收管理条例", "articles": ["第二十八条"]}]}],
     "materials": [{"name": "取水许可申请书", "source": "申请人自备"}, {"name": "水资源论证报告", "source": "中介机构出具"}]},
    {"id": "X-002", "name": "食品经营许可", "category": "行政许可", "body": "sc",
     "basis": [{"law": "中华人民共和国食品安全法", "articles": ["第三十五条"]}],
     "fees": [], "materials": [{"name": "食品经营许可申请书"}],
     "complaint": {"phone": "12315"}},
    {"id": "X-003", "name": "对某某违法行为的处罚", "category": "行政处罚", "body": "sc",
     "basis": [{"law": "中华人民共和国食品安全法", "articles": ["第一百二十二条"]}]},
]


def _write(root: Path) -> None:
    (root / "powers").mkdir(parents=True)
    for p in POWERS:
        (root / "powers" / f"{p['id']}.yaml").write_text(dump(p), encoding="utf-8")
    (root / "bodies.yaml").write_text(dump(BODIES), encoding="utf-8")
    (root / "laws.yaml").write_text("[]\n", encoding="utf-8")


@pytest.fixture(scope="module")
def published(tmp_path_factory: pytest.TempPathFactory) -> Path:
    tmp = tmp_path_factory.mktemp("guide")
    _write(tmp / "src")
    api.export(tmp / "src", tmp / "pub", ["csv", "xlsx", "json", "html"], settings=Settings(), allow_errors=True)
    return tmp


def _guide(p: dict[str, Any]) -> tuple[Any, ...]:
    fees = p.get("fees")
    return (
        p["name"],
        None if fees is None else tuple(
            (f["name"], f.get("standard"), tuple((normalize_title(b["law"]), tuple(b.get("articles", [])))
                                                 for b in f.get("basis", []))) for f in fees),
        tuple(m["name"] for m in p.get("materials", [])),
        (p.get("complaint") or {}).get("phone"),
    )


def test_csv_and_xlsx_import_back_to_the_same_guide(published: Path) -> None:
    y = YAML(typ="safe")
    inherited = {"sw": "0571-12345678"}  # the export shows the body's channel; import puts it on the power
    want = {_guide({**p, "complaint": p.get("complaint") or {"phone": inherited.get(p["body"])}}) for p in POWERS}
    for name in ("powers.csv", "powers.xlsx"):
        out = published / f"back-{name}"
        do_import([published / "pub" / name], out)
        got = {_guide(y.load(f.read_text(encoding="utf-8"))) for f in (out / "powers").rglob("*.yaml")}
        assert got == want, name


def test_csv_shows_fee_basis_free_and_complaint(published: Path) -> None:
    with (published / "pub" / "powers.csv").open(encoding="utf-8-sig", newline="") as fh:
        rows = {r["事项名称"]: r for r in csv.DictReader(fh)}
    water = rows["取水许可"]
    assert water["收费标准"] == "水资源费：按核定标准"
    assert water["收费依据"] == "《取水许可和水资源费征收管理条例》第二十八条"
    assert water["申请材料"] == "取水许可申请书；水资源论证报告"
    assert (water["投诉电话"], water["投诉地址"]) == ("0571-12345678", "某区某路1号")
    assert rows["食品经营许可"]["收费标准"] == "不收费"
    assert rows["对某某违法行为的处罚"]["收费标准"] == ""  # not stated is not "free"


def test_json_keeps_fees_materials_and_complaint(published: Path) -> None:
    doc = json.loads((published / "pub" / "powers.json").read_text(encoding="utf-8"))
    by_id = {p["id"]: p for p in doc["powers"]}
    fee = by_id["X-001"]["fees"][0]
    assert fee["name"] == "水资源费" and fee["basis"][0]["instrument"]["level"] == "行政法规"
    assert [m["source"] for m in by_id["X-001"]["materials"]] == ["申请人自备", "中介机构出具"]
    assert by_id["X-001"]["complaint"] == {"phone": "0571-12345678", "address": "某区某路1号", "hours": "工作日",
                                           "inherited": True}
    assert by_id["X-002"]["fees"] == [] and by_id["X-002"]["complaint"]["inherited"] is False
    assert by_id["X-003"]["fees"] is None and by_id["X-003"]["materials"] is None


def test_site_power_page_shows_the_guide(published: Path) -> None:
    pages = {p.read_text(encoding="utf-8") for p in (published / "pub" / "site").rglob("*.html")}
    water = next(t for t in pages if "<h1>取水许可</h1>" in t)
    assert "办事指南" in water and "水资源费：按核定标准（依据：《取水许可和水资源费征收管理条例》第二十八条）" in water
    assert "水资源论证报告（中介机构出具）" in water and "电话：0571-12345678" in water
    food = next(t for t in pages if "<h1>食品经营许可</h1>" in t)
    assert "<dt>收费标准</dt><dd>不收费</dd>" in food
    penalty = next(t for t in pages if "<h1>对某某违法行为的处罚</h1>" in t)
    assert "办事指南" not in penalty


def test_import_reads_the_usual_columns(tmp_path: Path) -> None:
    src = tmp_path / "list.csv"
    src.write_text("事项名称,职权类别,实施主体,设定依据,是否收费,收费标准,收费依据,申请材料,监督电话\n"
                   "取水许可,行政许可,某区水务局,《中华人民共和国水法》第四十八条,否,,,\"1.申请书\n2.营业执照\",0571-1\n"
                   "河道采砂许可,行政许可,某区水务局,《中华人民共和国水法》第三十九条,是,工本费：10元/证,"
                   "《河道管理条例》第四十条,申请书；（2）采砂方案,\n", encoding="utf-8")
    do_import([src], tmp_path / "out")
    y = YAML(typ="safe")
    got = {d["name"]: d for d in (y.load(f.read_text(encoding="utf-8")) for f in (tmp_path / "out" / "powers").rglob("*.yaml"))}
    first, second = got["取水许可"], got["河道采砂许可"]
    assert first["fees"] == [] and first["complaint"] == {"phone": "0571-1"}
    assert first["materials"] == [{"name": "申请书"}, {"name": "营业执照"}]
    assert second["fees"] == [{"name": "工本费", "standard": "10元/证",
                               "basis": [{"law": "河道管理条例", "articles": ["第四十条"]}]}]
    assert second["materials"] == [{"name": "申请书"}, {"name": "采砂方案"}] and "complaint" not in second


def test_completeness_counts_licences_with_materials_and_complaint(tmp_path: Path) -> None:
    _write(tmp_path / "c")
    shutil.rmtree(tmp_path / "c" / "powers")
    (tmp_path / "c" / "powers").mkdir()
    bare = {k: v for k, v in POWERS[1].items() if k not in ("materials", "complaint")}
    for p in (POWERS[0], {**bare, "id": "X-004"}, POWERS[2]):
        (tmp_path / "c" / "powers" / f"{p['id']}.yaml").write_text(dump(p), encoding="utf-8")
    cat = load_catalog(tmp_path / "c", load_settings(tmp_path / "c"))
    counts = completeness(cat)
    assert (counts["licences"], counts["materials"], counts["complaint"]) == (2, 1, 1)
    result = api.check(tmp_path / "c", settings=load_settings(tmp_path / "c")).result
    codes = sorted((d.code, d.entry) for d in result.diagnostics if d.code.startswith("G"))
    assert codes == [("G005", "X-004"), ("G006", "X-001")]

"""The built-in law registry, how a catalogue's laws.yaml overrides it, and `powerlist laws`."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from powerlist import lawdb
from powerlist.api import settings_for
from powerlist.catalog import load_catalog
from powerlist.cli import _load_commands, app

_load_commands()
runner = CliRunner()


def test_lookup_accepts_titles_as_cited() -> None:
    for cited in ("中华人民共和国水法", "《中华人民共和国水法》", "水法", "《水法》"):
        hit = lawdb.lookup(cited)
        assert hit is not None and hit.title == "水法" and hit.level == "法律" and hit.source == "national", cited
    assert lawdb.lookup("中华人民共和国不存在法") is None


def test_lookup_prefers_the_current_version() -> None:
    versions = [law for law in lawdb.all_laws() if law.title == "公司法"]
    assert len(versions) >= 2
    hit = lawdb.lookup("公司法")
    assert hit is not None and hit in versions
    assert all(lawdb._rank(hit) >= lawdb._rank(v) for v in versions)


@pytest.mark.parametrize(("text", "province"), [
    ("浙江省水资源条例", "浙江"), ("《北京市实施〈水法〉办法》", "北京"), ("广西壮族自治区某某条例", "广西"),
    ("杭州市某某管理办法", None), ("某某管理办法", None),
])
def test_province_of(text: str, province: str | None) -> None:
    assert lawdb.province_of(text) == province


def test_province_filter_drops_other_provinces_but_keeps_national() -> None:
    assert lawdb.lookup("北京市实施《水法》办法") is not None
    assert lawdb.lookup("北京市实施《水法》办法", province="浙江") is None
    assert lawdb.lookup("水法", province="浙江") is not None
    sources = {law.source for law in lawdb.search("水", 500, province="浙江")}
    assert sources == {"national", "浙江"}


def test_search_needs_every_word_and_lists_current_versions_first() -> None:
    hits = lawdb.search("水资源 条例", 50)
    assert hits and all("水资源" in h.title and "条例" in h.title for h in hits)
    flags = [h.superseded for h in hits]
    assert flags == sorted(flags)
    assert len(lawdb.search("条例", 3)) == 3


def test_laws_yaml_wins_over_the_registry(make_catalog) -> None:  # type: ignore[no-untyped-def]
    root = make_catalog({"laws.yaml": "- id: wl\n  title: 中华人民共和国水法\n  level: 部门规章\n  status: amended\n"})
    cat = load_catalog(root, settings_for(root))
    ref = cat.resolve_basis("《水法》")
    assert ref is not None and (ref.source, ref.level, ref.status) == ("catalog", "部门规章", "amended")
    assert ref.entry is not None and ref.entry.id == "wl"


def test_registry_answers_what_laws_yaml_does_not_list(make_catalog) -> None:  # type: ignore[no-untyped-def]
    root = make_catalog({"laws.yaml": None})
    cat = load_catalog(root, settings_for(root))
    ref = cat.resolve_basis("中华人民共和国水法")
    assert ref is not None and (ref.source, ref.level, ref.entry) == ("national", "法律", None)
    assert cat.resolve_basis("宪法") is None  # the constitution is not a basis level


def test_cli_search_json_and_exit_codes() -> None:
    res = runner.invoke(app, ["laws", "search", "水法", "--json", "-n", "5"])
    assert res.exit_code == 0, res.output
    rows = json.loads(res.stdout)
    assert rows[0]["title"] == "水法" and rows[0]["level"] == "法律" and rows[0]["source"] == "national"
    assert set(rows[0]) == {"title", "level", "published", "effective", "superseded", "source"}
    assert runner.invoke(app, ["laws", "search", "没有这样的标题词"]).exit_code == 1
    assert runner.invoke(app, ["laws", "search", "水", "--province", "火星"]).exit_code == 2


def test_cli_search_table_shows_catalogue_laws_first(make_catalog) -> None:  # type: ignore[no-untyped-def]
    root = make_catalog({"laws.yaml": "- id: wl\n  title: 中华人民共和国水法\n  level: 部门规章\n"})
    res = runner.invoke(app, ["laws", "search", "水法", "--catalog", str(root), "--json"])
    rows = json.loads(res.stdout)
    assert rows[0]["source"] == "catalog" and rows[0]["level"] == "部门规章"
    assert not any(r["title"] == "水法" and r["source"] == "national" for r in rows)  # shadowed by laws.yaml
    table = runner.invoke(app, ["laws", "search", "水法", "--catalog", str(root), "--lang", "en"])
    assert "catalog" in table.stdout and "departmental" not in table.stdout and "部门规章" in table.stdout


def test_cli_show(make_catalog) -> None:  # type: ignore[no-untyped-def]
    root = make_catalog()
    res = runner.invoke(app, ["laws", "show", "water-law", "--catalog", str(root), "--json"])
    out = json.loads(res.stdout)
    assert res.exit_code == 0 and out["source"] == "catalog" and out["path"] == "laws.yaml"
    assert [v["title"] for v in out["versions"]] == ["水法"]
    res = runner.invoke(app, ["laws", "show", "中华人民共和国治安管理处罚法", "--lang", "zh"])
    assert res.exit_code == 0 and "法律" in res.stdout and "national" in res.stdout
    missing = runner.invoke(app, ["laws", "show", "水发", "--json"])
    assert missing.exit_code == 1 and json.loads(missing.stdout)["found"] is False


def test_registry_files_are_well_formed() -> None:
    folder = Path(lawdb.__file__).parent / "data" / "laws"
    assert (folder / "national.csv").is_file()
    levels = {law.level for law in lawdb.all_laws()}
    assert levels <= {"宪法", "法律", "行政法规", "部门规章", "地方性法规"}
    assert set(lawdb.sources()) >= {"national", "浙江"}

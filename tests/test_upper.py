"""The upper-level list (issue 13): configuration, --upper, unusable upper lists (exit 2), the
cache noticing an edited upper list, every reporter on a finding placed in the upper list, and an
upper list given as a spreadsheet (read by the importer, nothing written)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from casefiles import BASE, GOOD_POWER

from powerlist.config import ConfigError, load_settings

UPPER_ITEM = """\
id: ZJ-XK-002
name: 河道采砂许可
code: "000172002000"
category: 行政许可
body: prov-water
levels: [市级, 县级]
basis: [{law: 中华人民共和国水法}]
"""


def _local(root: Path, upper_cfg: bool = True) -> Path:
    shutil.copytree(BASE, root)
    (root / "powers" / "water").mkdir(parents=True)
    (root / "powers" / "water" / "SL-XK-001.yaml").write_text(GOOD_POWER, encoding="utf-8")
    if upper_cfg:
        (root / "powerlist.toml").write_text('[upper]\ncatalogues = ["../province"]\n', encoding="utf-8")
    return root


def _province(root: Path, item: str = UPPER_ITEM, with_qs: bool = True) -> Path:
    """An upper list holding ``item`` (河道采砂许可 by default) and, unless told otherwise, the
    local 取水许可 (assigned to no level)."""
    (root / "powers").mkdir(parents=True)
    (root / "powers" / "CS.yaml").write_text(item, encoding="utf-8")
    if with_qs:
        (root / "powers" / "QS.yaml").write_text(
            "id: ZJ-XK-001\nname: 取水许可\ncategory: 行政许可\nbody: prov-water\n", encoding="utf-8")
    return root


def _json(run_cli: Any, *args: str) -> tuple[int, dict[str, Any]]:
    run = run_cli("check", *args, "--format", "json", "--lang", "en")
    assert run.exception is None or isinstance(run.exception, SystemExit), run.output
    return run.exit_code, json.loads(run.stdout) if run.exit_code in (0, 1) else {}


def test_config_paths_are_relative_to_the_toml(tmp_path: Path) -> None:
    (tmp_path / "powerlist.toml").write_text('[upper]\ncatalogues = ["../p", "q.xlsx"]\nlevel = "县级"\n', encoding="utf-8")
    s = load_settings(tmp_path)
    assert s.upper == ((tmp_path / "../p").absolute(), (tmp_path / "q.xlsx").absolute())
    assert s.upper_level == "县级"
    assert s.fingerprint() != load_settings(tmp_path / "nowhere").fingerprint()


def test_config_rejects_unknown_keys(tmp_path: Path) -> None:
    (tmp_path / "powerlist.toml").write_text('[upper]\ncatalog = ["x"]\n', encoding="utf-8")
    with pytest.raises(ConfigError, match=r"unknown key\(s\) in .*\[upper\]: catalog"):
        load_settings(tmp_path)


def test_upper_outside_the_catalogue_reports_the_missing_item_there(run_cli: Any, tmp_path: Path) -> None:
    local = _local(tmp_path / "city")
    _province(tmp_path / "province")
    code, doc = _json(run_cli, str(local), "--no-cache", "--select", "U")
    assert code == 0  # U008 is a warning
    [d] = doc["diagnostics"]
    assert (d["code"], d["path"], d["line"], d["entry"]) == ("U008", "../province/powers/CS.yaml", 2, "ZJ-XK-002")


def test_cli_upper_replaces_the_configuration(run_cli: Any, tmp_path: Path) -> None:
    local = _local(tmp_path / "city", upper_cfg=False)
    _province(tmp_path / "other", UPPER_ITEM.replace("levels: [市级, 县级]", "levels: [县级]"), with_qs=False)
    code, doc = _json(run_cli, str(local), "--no-cache", "--select", "U", "--upper", str(tmp_path / "other"))
    assert code == 1
    assert [d["code"] for d in doc["diagnostics"]] == ["U001"]  # 取水许可 is not on that list; nothing missing at 市级


@pytest.mark.parametrize("broken", ["missing", "not-a-catalogue", "bad-yaml", "invalid"])
def test_an_unusable_upper_list_is_exit_2_with_a_message(run_cli: Any, tmp_path: Path, broken: str) -> None:
    local = _local(tmp_path / "city")
    prov = tmp_path / "province"
    if broken == "not-a-catalogue":
        prov.mkdir()
    elif broken == "bad-yaml":
        _province(prov, "id: X\nname: [unclosed\n")
    elif broken == "invalid":
        _province(prov, "id: X\nname: 取水许可\n")  # no category, no body
    run = run_cli("check", local, "--no-cache", "--lang", "en")
    assert run.exit_code == 2, run.output
    assert "Traceback" not in run.output
    assert "province" in run.output
    if broken in ("bad-yaml", "invalid"):
        assert "powers/CS.yaml:" in run.output  # file:line


def test_the_cache_notices_an_edited_upper_list(run_cli: Any, tmp_path: Path) -> None:
    local = _local(tmp_path / "city")
    prov = _province(tmp_path / "province")
    cache = str(tmp_path / "cache")
    _, first = _json(run_cli, str(local), "--cache-dir", cache, "--select", "U")
    assert [d["code"] for d in first["diagnostics"]] == ["U008"]
    (prov / "powers" / "QS.yaml").unlink()
    _, second = _json(run_cli, str(local), "--cache-dir", cache, "--select", "U")
    assert sorted(d["code"] for d in second["diagnostics"]) == ["U001", "U008"]


@pytest.mark.parametrize("fmt", ["text", "json", "sarif", "github", "junit"])
def test_every_reporter_shows_a_finding_in_the_upper_list(run_cli: Any, tmp_path: Path, fmt: str) -> None:
    local = _local(tmp_path / "city")
    (local / "powerlist.toml").write_text('[upper]\ncatalogues = ["upper"]\n', encoding="utf-8")
    _province(local / "upper")
    run = run_cli("check", local, "--no-cache", "--select", "U008", "--format", fmt)
    assert run.exit_code == 0, run.output
    assert "upper/powers/CS.yaml" in run.stdout


def test_an_upper_list_from_a_spreadsheet(run_cli: Any, tmp_path: Path) -> None:
    local = _local(tmp_path / "city", upper_cfg=False)
    csv = tmp_path / "省级清单.csv"
    csv.write_text("事项名称,职权类别,基本编码,行使层级,实施主体,设定依据\n"
                   "取水许可,行政许可,000172001000,市级、县级,省水利厅,《中华人民共和国水法》第四十八条\n"
                   "河道采砂许可,行政许可,000172002000,市级、县级,省水利厅,《中华人民共和国水法》第三十九条\n",
                   encoding="utf-8")
    code, doc = _json(run_cli, str(local), "--no-cache", "--select", "U", "--upper", str(csv))
    assert code == 0
    assert [(d["code"], d["path"]) for d in doc["diagnostics"]] == [("U008", "../省级清单.csv")]
    assert not list(tmp_path.glob("*.yaml"))  # nothing written


def test_the_demo_upper_list_exported_to_xlsx_reads_back_as_the_same_upper_list(run_cli: Any, tmp_path: Path) -> None:
    """An upper list published by `export --format xlsx` (its 事项编码 column holds the ids, 基本编码 the
    codes, 行使层级 the levels) is a usable --upper source: the U findings equal the folder's."""
    from powerlist import api

    demo = Path(__file__).resolve().parent.parent / "catalog"
    api.export(demo / "upper", tmp_path / "pub", "xlsx")
    found = {}
    for upper in (demo / "upper", tmp_path / "pub" / "powers.xlsx"):
        code, doc = _json(run_cli, str(demo), "--no-cache", "--select", "U", "--upper", str(upper))
        assert code == 1
        found[upper.suffix] = sorted((d["code"], d["entry"]) for d in doc["diagnostics"])
    assert ("U003", "ZR-XK-001") in found[""] and ("U008", "JN-XK-016") in found[""]  # needs code and levels
    assert found[".xlsx"] == found[""]


def test_a_cached_result_is_served_without_loading_the_upper_lists(
        run_cli: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The cache key holds the upper files' bytes (their powerlist.toml too), read but not parsed:
    an unchanged re-run loads no upper list; an edit to any upper file, its toml included, does."""
    import powerlist.upper.load as load

    local = _local(tmp_path / "city")
    prov = _province(tmp_path / "province")
    cache = str(tmp_path / "cache")
    loads: list[int] = []
    real = load.load_upper
    monkeypatch.setattr(load, "load_upper", lambda *a, **k: loads.append(1) or real(*a, **k))
    _, first = _json(run_cli, str(local), "--cache-dir", cache, "--select", "U")
    _, again = _json(run_cli, str(local), "--cache-dir", cache, "--select", "U")
    assert again == first and len(loads) == 1
    (prov / "powerlist.toml").write_text("# the province's own settings\n", encoding="utf-8")
    _, edited = _json(run_cli, str(local), "--cache-dir", cache, "--select", "U")
    assert edited == first and len(loads) == 2

"""``powerlist.toml`` (and ``--config``): what it sets, how it combines with the command line, and
that every mistake in it stops the run (exit 2) naming the key and the file."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from casefiles import GOOD_POWER

from powerlist.checks import all_checks, selected
from powerlist.config import DEFAULT_CATEGORIES, ConfigError, Settings, load_settings, parse_settings
from powerlist.diagnostics import Severity

MISFILED = GOOD_POWER.replace("SL-XK-001", "SL-XK-002")  # S016 warning in qushui.yaml
LOCAL_CATEGORY = MISFILED.replace("category: 行政许可", "category: 内部审批")  # S014 error as well


def run_json(run_cli: Any, root: Path, *args: object) -> tuple[int, list[str], dict[str, Any]]:
    r = run_cli("check", root, "--format", "json", "--no-cache", *args)
    assert r.exception is None or isinstance(r.exception, SystemExit), r.exception
    doc = json.loads(r.stdout)
    return r.exit_code, sorted(d["code"] for d in doc["diagnostics"]), doc


@pytest.fixture
def cat(make_catalog: Any) -> Path:
    return make_catalog({"powers/water/qushui.yaml": LOCAL_CATEGORY})


def write_config(root: Path, text: str) -> Path:
    path = root / "powerlist.toml"
    path.write_text(text, encoding="utf-8")
    return path


# ----------------------------------------------------------------------------- mistakes: exit 2


@pytest.mark.parametrize(("toml", "named"), [
    ("colour = 'red'\n", "colour"),
    ("[check]\nselct = ['S']\n", "selct"),
    ("[limits]\nmax_bytes = 10\n", "max_bytes"),
    ("[output]\nformat = 'json'\n", "output"),
    ("[check]\nselect = ['Z9']\n", "Z9"),
    ("[check]\nignore = ['S99']\n", "S99"),
    ("[check.severity]\nX001 = 'error'\n", "X001"),
    ("[check.severity]\nS016 = 'fatal'\n", "S016"),
    ("[check]\nnear_duplicate_threshold = 1.5\n", "near_duplicate_threshold"),
    ("[check]\nnear_duplicate_threshold = true\n", "near_duplicate_threshold"),
    ("[limits]\nmax_depth = 0\n", "max_depth"),
    ("categories = []\n", "categories"),
    ("categories = '行政许可'\n", "categories"),
    ("extra_categories = ['']\n", "extra_categories"),
    ("levels = []\n", "levels"),
    ("region = 330100\n", "region"),
    ("check = 'all'\n", "[check]"),
    ("[check\n", "powerlist.toml"),
])
def test_mistakes_exit_2_naming_key_and_file(run_cli: Any, cat: Path, toml: str, named: str) -> None:
    write_config(cat, toml)
    r = run_cli("check", cat, "--no-cache")
    assert r.exit_code == 2, r.output
    assert "Traceback" not in r.output and r.stdout == ""
    assert named in r.stderr
    assert str(cat / "powerlist.toml") in r.stderr


def test_unknown_key_message_lists_the_allowed_keys() -> None:
    with pytest.raises(ConfigError) as err:
        parse_settings({"check": {"selct": ["S"]}}, Path("cat/powerlist.toml"))
    assert str(err.value) == ("unknown key(s) in cat/powerlist.toml [check]: selct "
                              "(allowed: ignore, near_duplicate_threshold, select, severity)")


def test_config_that_is_not_utf8_exits_2(run_cli: Any, cat: Path) -> None:
    (cat / "powerlist.toml").write_bytes("region = '某市'\n".encode("gbk"))
    r = run_cli("check", cat, "--no-cache")
    assert r.exit_code == 2 and "powerlist.toml" in r.stderr


# ----------------------------------------------------------------------------- what it sets


def test_no_config_means_defaults(tmp_path: Path) -> None:
    assert load_settings(tmp_path) == Settings()
    assert Settings().categories == DEFAULT_CATEGORIES


def test_known_codes_are_asked_for_only_when_codes_are_named(tmp_path: Path) -> None:
    """config is a leaf: the caller gives the codes, and only a file naming codes needs them."""
    asked: list[int] = []

    def known() -> list[str]:
        asked.append(1)
        return list(all_checks())

    write_config(tmp_path, "region = '某市'\n[check]\nnear_duplicate_threshold = 0.8\n")
    assert load_settings(tmp_path, known_codes=known).region == "某市" and asked == []
    write_config(tmp_path, "[check]\nselect = ['S']\nseverity = {S016 = 'warning'}\n")
    assert load_settings(tmp_path, known_codes=known).severity == {"S016": Severity.WARNING} and asked == [1]
    with pytest.raises(ValueError, match="known_codes"):
        load_settings(tmp_path)


def test_extra_categories_are_accepted(run_cli: Any, cat: Path) -> None:
    assert run_json(run_cli, cat, "--select", "S014")[1] == ["S014"]
    write_config(cat, "extra_categories = ['内部审批']\n")
    assert run_json(run_cli, cat, "--select", "S014")[1] == []


def test_categories_replace_the_default_set(run_cli: Any, make_catalog: Any) -> None:
    root = make_catalog({"powers/water/SL-XK-001.yaml": GOOD_POWER})
    write_config(root, "categories = ['行政处罚']\n")
    code, found, doc = run_json(run_cli, root, "--select", "S014")
    assert (code, found) == (1, ["S014"])
    assert "行政处罚" in doc["diagnostics"][0]["message"]


def test_severity_override_applies(run_cli: Any, cat: Path) -> None:
    write_config(cat, "[check.severity]\nS016 = 'error'\nS014 = 'warning'\n")
    code, _, doc = run_json(run_cli, cat, "--select", "S014,S016")
    sev = {d["code"]: d["severity"] for d in doc["diagnostics"]}
    assert sev == {"S014": "warning", "S016": "error"}
    assert code == 1
    assert (doc["summary"]["errors"], doc["summary"]["warnings"]) == (1, 1)


def test_severity_by_family_and_the_more_specific_key_wins(tmp_path: Path) -> None:
    path = write_config(tmp_path, "[check.severity]\nS = 'warning'\nS016 = 'error'\n")
    sev = load_settings(tmp_path, known_codes=all_checks).severity
    s_codes = [c for c in all_checks() if c.startswith("S")]
    assert set(sev) == set(s_codes)
    assert sev["S016"] is Severity.ERROR
    assert all(sev[c] is Severity.WARNING for c in s_codes if c != "S016")
    assert load_settings(tmp_path, config=path, known_codes=all_checks) == load_settings(tmp_path, known_codes=all_checks)


def test_limits_apply_to_loading(run_cli: Any, make_catalog: Any) -> None:
    root = make_catalog({"powers/water/SL-XK-001.yaml": GOOD_POWER})
    assert run_json(run_cli, root, "--select", "S006")[1] == []
    write_config(root, "[limits]\nmax_file_bytes = 1000\n")  # the registries are smaller, the power larger
    code, found, doc = run_json(run_cli, root, "--select", "S006")
    assert (code, found) == (1, ["S006"])
    assert doc["diagnostics"][0]["path"] == "powers/water/SL-XK-001.yaml"


def test_config_option_points_elsewhere(run_cli: Any, cat: Path, tmp_path: Path) -> None:
    other = tmp_path / "ci.toml"
    other.write_text("[check]\nignore = ['S014']\n", encoding="utf-8")
    write_config(cat, "[check]\nignore = ['S016']\n")  # not read when --config is given
    assert run_json(run_cli, cat, "--select", "S01", "--config", other)[1] == ["S014", "S016"]
    found = run_json(run_cli, cat, "--config", other)[1]
    assert "S016" in found and "S014" not in found


# ----------------------------------------------------------------------------- select / ignore like ruff


def effective(config: str, select: list[str] | None = None, ignore: list[str] | None = None) -> set[str]:
    from powerlist.checks import unknown_patterns

    assert not unknown_patterns([*(select or []), *(ignore or [])])
    import tomllib

    settings = parse_settings(tomllib.loads(config), known_codes=all_checks).with_cli(select, ignore)
    return {c.code for c in selected(settings.select, settings.ignore)}


S_CODES = {c for c in all_checks() if c.startswith("S")}


def test_config_select_and_ignore() -> None:
    assert effective("[check]\nselect = ['S']\n") == S_CODES
    assert effective("[check]\nselect = ['S']\nignore = ['S016']\n") == S_CODES - {"S016"}
    assert effective("[check]\nignore = ['S']\n") == set(all_checks()) - S_CODES


def test_cli_select_replaces_the_configured_selection() -> None:
    assert effective("[check]\nselect = ['S']\n", select=["S014"]) == {"S014"}


def test_cli_select_also_overrides_configured_ignores() -> None:
    # As in ruff: an explicit --select on the command line is the user's whole intent for this run.
    assert effective("[check]\nignore = ['S016']\n", select=["S016"]) == {"S016"}


def test_cli_ignore_adds_to_the_configured_ones() -> None:
    assert effective("[check]\nselect = ['S']\nignore = ['S016']\n", ignore=["S014"]) == S_CODES - {"S014", "S016"}


def test_cli_select_and_ignore_combine(run_cli: Any, cat: Path) -> None:
    write_config(cat, "[check]\nselect = ['S014']\n")
    assert run_json(run_cli, cat)[1] == ["S014"]
    assert run_json(run_cli, cat, "--select", "S016")[1] == ["S016"]
    assert run_json(run_cli, cat, "--ignore", "S014")[1] == []

"""``powerlist check`` through the command line: exit codes, the JSON contract, selection,
waivers with expiry dates, and ``rules`` / ``rule CODE``."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from casefiles import GOOD_POWER

CONTRACT_FIELDS = {"code", "severity", "path", "line", "column", "entry", "message", "related"}
RELATED_FIELDS = {"path", "line", "entry"}
# Documented additions to the contract (catalog-format.md allows optional keys, never renames).
TOP_EXTRAS = {"waived"}
SUMMARY_EXTRAS = {"waived", "baselined", "completeness"}
WAIVED_EXTRAS = {"waived", "waiver_reason"}

# qushui.yaml holds SL-XK-002: S016 (file name) is a warning; 行政审批 is not a category: S014, an error.
MISFILED = GOOD_POWER.replace("SL-XK-001", "SL-XK-002")
MISCATEGORISED = MISFILED.replace("category: 行政许可", "category: 行政审批")


def ok_run(r: Any) -> None:
    """The command ended through its exit code, not through an exception."""
    assert r.exception is None or isinstance(r.exception, SystemExit), r.exception
    assert "Traceback" not in r.output


def check_json(run_cli: Any, root: Path, *args: object) -> tuple[int, dict[str, Any]]:
    r = run_cli("check", root, "--format", "json", "--no-cache", *args)
    ok_run(r)
    return r.exit_code, json.loads(r.stdout)


def codes(doc: dict[str, Any]) -> list[str]:
    return sorted(d["code"] for d in doc["diagnostics"])


@pytest.fixture
def clean(make_catalog: Any) -> Path:
    return make_catalog({"powers/water/SL-XK-001.yaml": GOOD_POWER})


@pytest.fixture
def dirty(make_catalog: Any) -> Path:
    return make_catalog({"powers/water/SL-XK-001.yaml": GOOD_POWER, "powers/water/qushui.yaml": MISCATEGORISED})


# ----------------------------------------------------------------------------- exit codes


def test_clean_catalogue_exits_0(run_cli: Any, clean: Path) -> None:
    r = run_cli("check", clean, "--no-cache")
    ok_run(r)
    assert r.exit_code == 0, r.output
    assert "0 error(s), 0 warning(s)" in r.stdout


def test_findings_exit_1_and_name_file_line_code(run_cli: Any, dirty: Path) -> None:
    r = run_cli("check", dirty, "--no-cache", "--select", "S")
    ok_run(r)
    assert r.exit_code == 1
    assert "powers/water/qushui.yaml:3:11 S014" in r.stdout
    assert "powers/water/qushui.yaml:1:5 S016" in r.stdout


@pytest.mark.parametrize(("args", "message"), [
    (["check", "{root}/nowhere"], "no such file or folder"),
    (["check", "{root}/bodies.yaml", "--changed-since", "HEAD"], "cannot be combined"),
    (["check", "{root}", "--format", "xml"], "unknown --format 'xml'"),
    (["check", "{root}", "--select", "Z123"], "no known code: Z123"),
    (["check", "{root}", "--ignore", "S9"], "no known code: S9"),
    (["check", "{root}", "--as-of", "2026-02-30"], "--as-of must be a date"),
    (["check", "{root}", "--lang", "fr"], "--lang must be zh or en"),
    (["check", "{root}", "--config", "{root}/missing.toml"], "config file not found"),
])
def test_run_that_cannot_happen_exits_2_without_traceback(
    run_cli: Any, clean: Path, args: list[str], message: str
) -> None:
    r = run_cli(*[a.format(root=clean) for a in args], "--no-cache")
    ok_run(r)
    assert r.exit_code == 2
    assert message in r.stderr
    assert r.stdout == ""


def test_bad_config_exits_2(run_cli: Any, clean: Path) -> None:
    (clean / "powerlist.toml").write_text("[check]\nselct = ['S']\n", encoding="utf-8")
    r = run_cli("check", clean, "--no-cache")
    ok_run(r)
    assert r.exit_code == 2
    assert "selct" in r.stderr and "powerlist.toml" in r.stderr


def test_not_a_catalogue_exits_2(run_cli: Any, tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    r = run_cli("check", tmp_path / "empty")
    ok_run(r)
    assert r.exit_code == 2
    assert "is not a catalogue" in r.stderr


def test_broken_yaml_is_a_finding_not_a_crash(run_cli: Any, make_catalog: Any) -> None:
    root = make_catalog({"powers/water/SL-XK-001.yaml": "id: [unclosed\nname: x\n"})
    code, doc = check_json(run_cli, root)
    assert code == 1
    assert "S001" in codes(doc)


# ----------------------------------------------------------------------------- the JSON contract


def test_json_contract_shape(run_cli: Any, dirty: Path) -> None:
    code, doc = check_json(run_cli, dirty, "--select", "S")
    assert code == 1
    assert {"version", "summary", "diagnostics"} <= doc.keys()
    assert doc.keys() - {"version", "summary", "diagnostics"} <= TOP_EXTRAS
    assert doc["version"] == 1
    summary = doc["summary"]
    assert {"entries", "errors", "warnings"} <= summary.keys()
    assert summary.keys() - {"entries", "errors", "warnings"} <= SUMMARY_EXTRAS
    assert summary["entries"] == 2 + 3 + 3 + 1  # two powers, three bodies, three laws, one decision
    diags = doc["diagnostics"]
    assert summary["errors"] == sum(d["severity"] == "error" for d in diags) == 1
    assert summary["warnings"] == sum(d["severity"] == "warning" for d in diags) == 1
    for d in diags:
        assert set(d) == CONTRACT_FIELDS
        assert re.fullmatch(r"[SRBDJAPC]\d{3}", d["code"])
        assert d["severity"] in ("error", "warning")
        assert not d["path"].startswith("/") and "\\" not in d["path"]
        assert isinstance(d["line"], int) and d["line"] >= 1 and isinstance(d["column"], int) and d["column"] >= 1
        assert isinstance(d["message"], str) and d["message"]
        for rel in d["related"]:
            assert set(rel) == RELATED_FIELDS
    s014 = next(d for d in diags if d["code"] == "S014")
    assert (s014["path"], s014["line"], s014["column"], s014["entry"]) == ("powers/water/qushui.yaml", 3, 11, "SL-XK-002")


def test_json_waived_findings_are_apart_from_diagnostics(run_cli: Any, make_catalog: Any) -> None:
    root = make_catalog({"powers/water/qushui.yaml": MISFILED + "waivers:\n  - code: S016\n    reason: 历史文件名\n"})
    code, doc = check_json(run_cli, root, "--select", "S")
    assert code == 0
    assert doc["diagnostics"] == []
    assert doc["summary"]["waived"] == 1
    (w,) = doc["waived"]
    assert set(w) == CONTRACT_FIELDS | WAIVED_EXTRAS
    assert (w["code"], w["waiver_reason"]) == ("S016", "历史文件名")


def test_json_messages_follow_lang(run_cli: Any, dirty: Path) -> None:
    _, en = check_json(run_cli, dirty, "--select", "S014", "--lang", "en")
    _, zh = check_json(run_cli, dirty, "--select", "S014", "--lang", "zh")
    assert "is not a configured category" in en["diagnostics"][0]["message"]
    assert "不在配置的类别中" in zh["diagnostics"][0]["message"]


def test_output_file(run_cli: Any, dirty: Path, tmp_path: Path) -> None:
    out = tmp_path / "report.json"
    r = run_cli("check", dirty, "--no-cache", "--select", "S", "-f", "json", "-o", out)
    assert r.exit_code == 1 and r.stdout == ""
    assert codes(json.loads(out.read_text(encoding="utf-8"))) == ["S014", "S016"]


# ----------------------------------------------------------------------------- strict and selection


def test_strict_makes_warnings_fail(run_cli: Any, make_catalog: Any) -> None:
    root = make_catalog({"powers/water/qushui.yaml": MISFILED})
    assert check_json(run_cli, root, "--select", "S")[0] == 0
    code, doc = check_json(run_cli, root, "--select", "S", "--strict")
    assert code == 1
    assert codes(doc) == ["S016"]


@pytest.mark.parametrize(("args", "expected"), [
    (["--select", "S016"], ["S016"]),
    (["--select", "s014"], ["S014"]),
    (["--select", "S014,S016"], ["S014", "S016"]),
    (["--select", "S014", "--select", "S016"], ["S014", "S016"]),
    (["--select", "S01"], ["S014", "S016"]),
    (["--select", "S", "--ignore", "S016"], ["S014"]),
    (["--select", "S", "--ignore", "S01"], []),
    (["--select", "S014", "--ignore", "S"], []),
])
def test_select_and_ignore_by_code_prefix_and_family(
    run_cli: Any, dirty: Path, args: list[str], expected: list[str]
) -> None:
    assert codes(check_json(run_cli, dirty, *args)[1]) == expected


def test_ignore_a_family_drops_all_its_codes(run_cli: Any, dirty: Path) -> None:
    _, everything = check_json(run_cli, dirty)
    _, without_s = check_json(run_cli, dirty, "--ignore", "S")
    assert {"S014", "S016"} <= set(codes(everything))
    assert not any(c.startswith("S") for c in codes(without_s))
    assert sorted(c for c in codes(everything) if not c.startswith("S")) == codes(without_s)


# ----------------------------------------------------------------------------- waivers, expiry, --as-of

WAIVED_UNTIL = MISFILED + "waivers:\n  - code: S016\n    reason: 待统一改名\n    expires: 2026-06-30\n"


def test_waiver_in_force_until_its_expiry_date(run_cli: Any, make_catalog: Any) -> None:
    root = make_catalog({"powers/water/qushui.yaml": WAIVED_UNTIL})
    for day in ("2026-01-01", "2026-06-30"):
        code, doc = check_json(run_cli, root, "--select", "S", "--strict", "--as-of", day)
        assert (code, codes(doc), doc["summary"]["waived"]) == (0, [], 1), day


def test_expired_waiver_is_reported_and_the_finding_counts_again(run_cli: Any, make_catalog: Any) -> None:
    root = make_catalog({"powers/water/qushui.yaml": WAIVED_UNTIL})
    code, doc = check_json(run_cli, root, "--select", "S", "--as-of", "2026-07-01")
    assert codes(doc) == ["S016", "S021"]
    assert doc["summary"]["waived"] == 0
    s021 = next(d for d in doc["diagnostics"] if d["code"] == "S021")
    assert s021["line"] == WAIVED_UNTIL.splitlines().index("    expires: 2026-06-30") + 1
    assert "2026-06-30" in s021["message"]
    assert code == 0  # both are warnings
    assert check_json(run_cli, root, "--select", "S", "--as-of", "2026-07-01", "--strict")[0] == 1


def test_as_of_makes_the_run_deterministic(run_cli: Any, make_catalog: Any) -> None:
    root = make_catalog({"powers/water/qushui.yaml": WAIVED_UNTIL})
    first = run_cli("check", root, "--no-cache", "-f", "json", "--as-of", "2030-01-01")
    second = run_cli("check", root, "--no-cache", "-f", "json", "--as-of", "2030-01-01")
    earlier = run_cli("check", root, "--no-cache", "-f", "json", "--as-of", "2020-01-01")
    assert first.stdout == second.stdout
    assert "S021" in first.stdout and "S021" not in earlier.stdout


def test_unused_waiver_is_reported(run_cli: Any, clean: Path) -> None:
    (clean / "powers/water/SL-XK-001.yaml").write_text(
        GOOD_POWER + "waivers:\n  - code: S016\n    reason: 历史文件名\n", encoding="utf-8")
    code, doc = check_json(run_cli, clean, "--select", "S", "--strict")
    assert (code, codes(doc)) == (1, ["S020"])


def test_waiver_with_an_impossible_date_is_a_finding(run_cli: Any, make_catalog: Any) -> None:
    root = make_catalog({"powers/water/qushui.yaml": WAIVED_UNTIL.replace("2026-06-30", "2026-13-01")})
    code, doc = check_json(run_cli, root, "--select", "S")
    assert code == 1
    assert "S013" in codes(doc)


# ----------------------------------------------------------------------------- rules / rule CODE


def test_rules_lists_every_code(run_cli: Any) -> None:
    from powerlist.checks import all_checks

    r = run_cli("rules", "--json", "--lang", "en")
    assert r.exit_code == 0
    listed = json.loads(r.stdout)
    assert [c["code"] for c in listed] == list(all_checks())
    s014 = next(c for c in listed if c["code"] == "S014")
    assert (s014["name"], s014["family"], s014["severity"]) == ("unknown-category", "S", "error")
    table = run_cli("rules", "--lang", "en")
    assert table.exit_code == 0
    assert "S014" in table.stdout and "unknown-category" in table.stdout


def test_rule_explains_one_check(run_cli: Any) -> None:
    by_code = run_cli("rule", "s014", "--lang", "en")
    by_name = run_cli("rule", "unknown-category", "--lang", "en")
    assert by_code.exit_code == 0 and by_code.stdout == by_name.stdout
    assert "S014 unknown-category" in by_code.stdout
    assert "中办发〔2015〕21号" in by_code.stdout  # the citation
    assert "--ignore S014" in by_code.stdout
    zh = run_cli("rule", "S014", "--lang", "zh")
    assert "职权类别不在配置的类别中" in zh.stdout
    # Chinese labels take the full-width colon, as Chinese typesetting does
    assert "默认严重程度：error（错误）" in zh.stdout and "停用：--ignore S014；逐项豁免：" in zh.stdout


def test_rule_unknown_code_exits_2(run_cli: Any) -> None:
    r = run_cli("rule", "X999")
    ok_run(r)
    assert r.exit_code == 2
    assert "no check 'X999'" in r.stderr


# ----------------------------------------------------------------------------- pre-commit


def test_pre_commit_hook_runs_the_check_command(run_cli: Any, clean: Path) -> None:
    import shlex

    import yaml

    manifest = yaml.safe_load((Path(__file__).parents[1] / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    hook = next(h for h in manifest if h["id"] == "powerlist-check")  # powerlist-fmt: tests/test_fmt_fast.py
    assert hook["id"] == "powerlist-check"
    assert (hook["language"], hook["pass_filenames"]) == ("python", False)
    files = re.compile(hook["files"])
    assert all(files.search(p) for p in ("powers/水利/SL-XK-001.yaml", "bodies.yml", "powerlist.toml"))
    assert not any(files.search(p) for p in ("README.md", "docs/ci.md", "yaml/notes.txt"))
    # the entry is a real command line: run it with the hook's usual argument (the catalogue)
    program, *args = shlex.split(hook["entry"])
    assert program == "powerlist"
    assert run_cli(*args, clean, "--no-cache").exit_code == 0

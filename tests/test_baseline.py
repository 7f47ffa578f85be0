"""Baselines: ``--write-baseline`` records today's findings; ``--baseline`` fails only on new ones."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from casefiles import GOOD_POWER

from powerlist import baseline
from powerlist.diagnostics import Diagnostic, Severity
from powerlist.engine import Result
from powerlist.i18n import T

MISCATEGORISED = GOOD_POWER.replace("SL-XK-001", "SL-XK-002").replace("category: 行政许可", "category: 行政审批")


def check(run_cli: Any, root: Path, *args: object) -> Any:
    r = run_cli("check", root, "--no-cache", "--select", "S", *args)
    assert r.exception is None or isinstance(r.exception, SystemExit), r.exception
    assert "Traceback" not in r.output
    return r


def check_json(run_cli: Any, root: Path, *args: object) -> tuple[int, dict[str, Any]]:
    r = check(run_cli, root, "--format", "json", *args)
    return r.exit_code, json.loads(r.stdout)


@pytest.fixture
def debt(make_catalog: Any) -> Path:
    """A catalogue with old findings: S014 (error) and S016 (warning) in qushui.yaml."""
    return make_catalog({"powers/water/qushui.yaml": MISCATEGORISED})


def test_write_then_check_against_the_baseline(run_cli: Any, debt: Path, tmp_path: Path) -> None:
    file = tmp_path / "baseline.json"
    w = check(run_cli, debt, "--write-baseline", file)
    assert w.exit_code == 0
    assert f"recorded 2 finding(s) in {file}" in w.stderr
    recorded = json.loads(file.read_text(encoding="utf-8"))
    assert recorded["version"] == 1
    assert sorted(f["fingerprint"].split("|")[0] for f in recorded["findings"]) == ["S014", "S016"]
    assert all(f["count"] == 1 for f in recorded["findings"])
    assert f"已将2个问题记入 {file}" in check(run_cli, debt, "--write-baseline", file, "--lang", "zh").stderr

    code, doc = check_json(run_cli, debt, "--baseline", file, "--strict")
    assert code == 0
    assert doc["diagnostics"] == []
    assert doc["summary"]["baselined"] == 2
    assert (doc["summary"]["errors"], doc["summary"]["warnings"]) == (0, 0)


def test_only_new_findings_fail(run_cli: Any, debt: Path, tmp_path: Path) -> None:
    file = tmp_path / "baseline.json"
    check(run_cli, debt, "--write-baseline", file)
    (debt / "powers/water/new.yaml").write_text(MISCATEGORISED.replace("SL-XK-002", "SL-XK-003"), encoding="utf-8")
    code, doc = check_json(run_cli, debt, "--baseline", file)
    assert code == 1
    assert sorted((d["code"], d["path"]) for d in doc["diagnostics"]) == [
        ("S014", "powers/water/new.yaml"), ("S016", "powers/water/new.yaml")]
    assert doc["summary"]["baselined"] == 2


def test_moved_lines_do_not_make_a_finding_new(run_cli: Any, debt: Path, tmp_path: Path) -> None:
    file = tmp_path / "baseline.json"
    check(run_cli, debt, "--write-baseline", file)
    power = debt / "powers/water/qushui.yaml"
    power.write_text("# 备注：待整改\n# 负责人：法制科\n" + power.read_text(encoding="utf-8"), encoding="utf-8")
    code, doc = check_json(run_cli, debt, "--baseline", file)
    assert (code, doc["diagnostics"], doc["summary"]["baselined"]) == (0, [], 2)


def test_a_changed_message_is_a_new_finding(run_cli: Any, debt: Path, tmp_path: Path) -> None:
    file = tmp_path / "baseline.json"
    check(run_cli, debt, "--write-baseline", file)
    power = debt / "powers/water/qushui.yaml"
    power.write_text(power.read_text(encoding="utf-8").replace("行政审批", "行政审查"), encoding="utf-8")
    code, doc = check_json(run_cli, debt, "--baseline", file)
    assert code == 1
    assert [d["code"] for d in doc["diagnostics"]] == ["S014"]


def test_text_shows_baselined_findings_as_such(run_cli: Any, debt: Path, tmp_path: Path) -> None:
    file = tmp_path / "baseline.json"
    check(run_cli, debt, "--write-baseline", file)
    r = check(run_cli, debt, "--baseline", file, "--lang", "en")
    assert r.exit_code == 0
    assert "powers/water/qushui.yaml:3:11 S014 [baselined]" in r.stdout
    assert "0 error(s), 0 warning(s), 2 baselined (not counted)" in r.stdout
    zh = check(run_cli, debt, "--baseline", file, "--lang", "zh")
    assert "S014 [基线]" in zh.stdout and "2个在基线中" in zh.stdout


def test_fixed_findings_are_pointed_out(run_cli: Any, debt: Path, tmp_path: Path) -> None:
    file = tmp_path / "baseline.json"
    run_cli("check", debt, "--no-cache", "--write-baseline", file)  # every check, as CI runs it
    (debt / "powers/water/qushui.yaml").write_text(MISCATEGORISED.replace("行政审批", "行政许可"), encoding="utf-8")
    r = run_cli("check", debt, "--no-cache", "--baseline", file, "--format", "json", "--strict")
    assert r.exit_code == 0 and json.loads(r.stdout)["diagnostics"] == []
    fixed = baseline.load(file).total - json.loads(r.stdout)["summary"]["baselined"]
    assert fixed >= 1  # at least S014 is gone
    assert f"{fixed} finding(s) recorded in {file} no longer occur" in r.stderr and "--write-baseline" in r.stderr
    # a narrower run (--select) cannot tell fixed findings from unselected ones: no note
    assert "no longer occur" not in check(run_cli, debt, "--baseline", file).stderr


def test_rewriting_replaces_the_file_atomically(run_cli: Any, debt: Path, tmp_path: Path) -> None:
    file = tmp_path / "ci" / "baseline.json"
    check(run_cli, debt, "--write-baseline", file)
    before = file.read_text(encoding="utf-8")
    (debt / "powers/water/qushui.yaml").write_text(GOOD_POWER.replace("SL-XK-001", "SL-XK-002"), encoding="utf-8")
    check(run_cli, debt, "--write-baseline", file)
    after = json.loads(file.read_text(encoding="utf-8"))
    assert file.read_text(encoding="utf-8") != before
    assert [f["fingerprint"].split("|")[0] for f in after["findings"]] == ["S016"]
    assert [p.name for p in file.parent.iterdir()] == ["baseline.json"]  # no temporary file left behind


def test_a_clean_catalogue_writes_an_empty_baseline(run_cli: Any, make_catalog: Any, tmp_path: Path) -> None:
    root = make_catalog({"powers/water/SL-XK-001.yaml": GOOD_POWER})
    file = tmp_path / "baseline.json"
    assert check(run_cli, root, "--write-baseline", file).exit_code == 0
    assert baseline.load(file).counts == {}
    assert check(run_cli, root, "--baseline", file).exit_code == 0


@pytest.mark.parametrize(("content", "message"), [
    ("{not json", "invalid JSON"),
    ("[]", 'expected an object with a "findings" list'),
    ('{"version": 2, "findings": []}', "unsupported baseline version 2"),
    ('{"version": 1, "findings": [{"fingerprint": "S014|a|b|c", "count": 0}]}', "findings[0]"),
    ('{"version": 1, "findings": [{"count": 1}]}', "findings[0]"),
    ('{"version": 1, "findings": ["S014"]}', "findings[0]"),
])
def test_malformed_baseline_exits_2(run_cli: Any, debt: Path, tmp_path: Path, content: str, message: str) -> None:
    file = tmp_path / "baseline.json"
    file.write_text(content, encoding="utf-8")
    r = check(run_cli, debt, "--baseline", file)
    assert r.exit_code == 2
    assert message in r.stderr and str(file) in r.stderr
    assert r.stdout == ""


def test_missing_baseline_exits_2(run_cli: Any, debt: Path, tmp_path: Path) -> None:
    r = check(run_cli, debt, "--baseline", tmp_path / "nope.json")
    assert r.exit_code == 2
    assert "baseline file not found" in r.stderr and "--write-baseline" in r.stderr


def test_unwritable_baseline_exits_2(run_cli: Any, debt: Path, tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x", encoding="utf-8")
    r = check(run_cli, debt, "--write-baseline", blocker / "baseline.json")
    assert r.exit_code == 2
    assert "cannot write baseline" in r.stderr


def test_baseline_and_write_baseline_together_exit_2(run_cli: Any, debt: Path, tmp_path: Path) -> None:
    r = check(run_cli, debt, "--baseline", tmp_path / "a.json", "--write-baseline", tmp_path / "b.json")
    assert r.exit_code == 2
    assert "cannot be combined" in r.stderr
    assert not (tmp_path / "b.json").exists()


# ----------------------------------------------------------------------------- the library


def _d(line: int, message: str = "same") -> Diagnostic:
    return Diagnostic("S014", Severity.ERROR, "powers/a/X-1.yaml", line, 1, "X-1", T(message, message))


def test_duplicate_findings_are_counted() -> None:
    today = Result([_d(3), _d(9)], [], 1, 1)
    known = baseline.Baseline.of(today)
    assert known.counts == {_d(3).fingerprint(): 2}
    # the same two again: both known; a third copy is new
    result, stale = baseline.apply(Result([_d(4), _d(10), _d(20)], [], 1, 1), known)
    assert [d.line for d in result.baselined] == [4, 10]
    assert [d.line for d in result.diagnostics] == [20]
    assert stale == 0
    # only one left: one recorded finding no longer occurs
    result, stale = baseline.apply(Result([_d(5)], [], 1, 1), known)
    assert (len(result.baselined), result.diagnostics, stale) == (1, [], 1)


def test_apply_leaves_the_original_result_alone() -> None:
    original = Result([_d(3), _d(4, "other")], [], 1, 1)
    result, _ = baseline.apply(original, baseline.Baseline({_d(1).fingerprint(): 1}))
    assert len(original.diagnostics) == 2 and original.baselined == []
    assert result.errors == 1 and result.exit_code() == 1


def test_dumps_round_trips_and_is_sorted() -> None:
    known = baseline.Baseline({"S016|b|X|m": 1, "S014|a|X|消息": 3})
    text = known.dumps()
    assert baseline.parse(text) == known
    assert text.index("S014|a") < text.index("S016|b")
    assert "消息" in text  # readable in review, not \\u escapes
    assert len(text.splitlines()) == 4  # one finding per line

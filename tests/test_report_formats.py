"""The CI reporters: SARIF 2.1.0 (validated against the official schema), GitHub workflow
commands, JUnit XML. Reporters are pure functions of a Result, so most tests build one by hand."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urljoin, urlparse

import jsonschema
import pytest
from casefiles import GOOD_POWER

from powerlist.checks import all_checks
from powerlist.diagnostics import Diagnostic, Related, Severity
from powerlist.engine import Result
from powerlist.i18n import T
from powerlist.report import RenderOptions, get_renderer
from powerlist.report.github import escape_data, escape_property

SARIF_SCHEMA = json.loads((Path(__file__).parent / "data" / "sarif-schema-2.1.0.json").read_text(encoding="utf-8"))
MISCATEGORISED = GOOD_POWER.replace("SL-XK-001", "SL-XK-002").replace("category: 行政许可", "category: 行政审批")


@pytest.fixture(autouse=True)
def _no_ci_env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("GITHUB_WORKSPACE", raising=False)
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)


def diag(code: str, path: str, line: int, col: int, en: str, zh: str = "中文消息", *, entry: str | None = "X-1",
         severity: Severity = Severity.ERROR, related: list[Related] | None = None) -> Diagnostic:
    return Diagnostic(code, severity, path, line, col, entry, T(zh, en), related or [])


def sample(tmp_path: Path) -> tuple[Result, RenderOptions]:
    """Every kind of finding a reporter meets: error, warning, related, waived, baselined, a crash."""
    err = diag("S014", "powers/水利 a,b/X-1.yaml", 3, 11, 'category "行政审批" is 100% wrong,\nsee: line 3',
               related=[Related("powers/other/X-2.yaml", 2, "X-2"), Related("bodies.yaml", 5, None)])
    warn = diag("S016", "powers/水利 a,b/X-1.yaml", 1, 5, "file name differs", severity=Severity.WARNING)
    waived = diag("S016", "powers/other/X-2.yaml", 1, 5, "file name differs too", entry="X-2", severity=Severity.WARNING)
    waived.waived, waived.waiver_reason = True, "历史文件名（某政发〔2023〕5号）"
    known = diag("S014", "powers/other/X-2.yaml", 3, 11, "an old finding \x01 <&>", entry="X-2")
    result = Result([warn, err], [waived], entries=9, files=5, crashed=[("S015", "Traceback ...\nKeyError: 'x'")],
                    baselined=[known], paths=("bodies.yaml", "laws.yaml", "powers/other/X-2.yaml", "powers/水利 a,b/X-1.yaml"))
    result.diagnostics.sort(key=Diagnostic.sort_key)
    return result, RenderOptions(root=tmp_path / "cat", lang="en")


def render(fmt: str, result: Result, opts: RenderOptions) -> str:
    return get_renderer(fmt)(result, opts)


def assert_valid_sarif(log: dict[str, Any]) -> None:
    validator = jsonschema.Draft4Validator(SARIF_SCHEMA, format_checker=jsonschema.Draft4Validator.FORMAT_CHECKER)
    errors = sorted(validator.iter_errors(log), key=lambda e: list(e.path))
    assert not errors, [f"{list(e.path)}: {e.message}" for e in errors[:5]]


def artifact_file(run: dict[str, Any], loc: dict[str, Any]) -> Path:
    """Resolve a location the way a SARIF consumer does: base id -> originalUriBaseIds -> file."""
    art = loc["physicalLocation"]["artifactLocation"]
    assert not urlparse(art["uri"]).scheme and not art["uri"].startswith("/")
    base = run["originalUriBaseIds"][art["uriBaseId"]]["uri"]
    return Path(unquote(urlparse(urljoin(base, art["uri"])).path))


# ----------------------------------------------------------------------------- SARIF


def test_sarif_is_valid_against_the_official_schema(tmp_path: Path) -> None:
    result, opts = sample(tmp_path)
    log = json.loads(render("sarif", result, opts))
    assert_valid_sarif(log)
    assert log["version"] == "2.1.0" and len(log["runs"]) == 1


def test_sarif_rules_describe_every_check(tmp_path: Path) -> None:
    result, opts = sample(tmp_path)
    rules = json.loads(render("sarif", result, opts))["runs"][0]["tool"]["driver"]["rules"]
    checks = all_checks()
    assert [r["id"] for r in rules] == list(checks)
    for r in rules:
        chk = checks[r["id"]]
        assert r["name"] == chk.name
        assert r["shortDescription"]["text"] == chk.summary.en
        assert r["fullDescription"]["text"]
        assert f"powerlist rule {chk.code}" in r["help"]["text"]
        assert r["defaultConfiguration"]["level"] == chk.severity.value
    s014 = rules[list(checks).index("S014")]
    assert "中办发〔2015〕21号" in s014["help"]["text"]  # the citation


def test_sarif_results(tmp_path: Path) -> None:
    result, opts = sample(tmp_path)
    run = json.loads(render("sarif", result, opts))["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    active = [r for r in run["results"] if "suppressions" not in r]
    assert [(r["ruleId"], r["level"]) for r in active] == [("S016", "warning"), ("S014", "error")]
    for r in run["results"]:
        assert rules[r["ruleIndex"]]["id"] == r["ruleId"]
    err = active[1]
    assert err["message"]["text"] == 'category "行政审批" is 100% wrong,\nsee: line 3'
    (loc,) = err["locations"]
    assert loc["physicalLocation"]["region"] == {"startLine": 3, "startColumn": 11}
    assert loc["physicalLocation"]["artifactLocation"]["uriBaseId"] == "%SRCROOT%"
    assert artifact_file(run, loc) == (tmp_path / "cat" / "powers/水利 a,b/X-1.yaml").resolve()
    rel = err["relatedLocations"]
    assert [(r["id"], r["physicalLocation"]["region"]["startLine"], r["message"]["text"]) for r in rel] == [
        (1, 2, "X-2"), (2, 5, "bodies.yaml")]
    assert artifact_file(run, rel[1]) == (tmp_path / "cat" / "bodies.yaml").resolve()
    assert run["columnKind"] == "unicodeCodePoints"


def test_sarif_suppressions_for_waived_and_baselined(tmp_path: Path) -> None:
    result, opts = sample(tmp_path)
    results = json.loads(render("sarif", result, opts))["runs"][0]["results"]
    suppressed = {r["message"]["text"]: r["suppressions"] for r in results if "suppressions" in r}
    assert suppressed["file name differs too"] == [
        {"kind": "inSource", "status": "accepted", "justification": "历史文件名（某政发〔2023〕5号）"}]
    (external,) = suppressed["an old finding \x01 <&>"]
    assert external["kind"] == "external" and "baseline" in external["justification"]


def test_sarif_fingerprints_ignore_line_numbers(tmp_path: Path) -> None:
    a = diag("S014", "powers/a/X-1.yaml", 3, 11, "same")
    b = diag("S014", "powers/a/X-1.yaml", 30, 1, "same")
    c = diag("S014", "powers/a/X-1.yaml", 3, 11, "different")
    results = json.loads(render("sarif", Result([a, b, c], [], 1, 1), RenderOptions(tmp_path)))["runs"][0]["results"]
    prints = [r["partialFingerprints"]["powerlist/v1"] for r in results]
    assert prints[0] == prints[1] != prints[2]


def test_sarif_reports_a_crashed_check(tmp_path: Path) -> None:
    result, opts = sample(tmp_path)
    (inv,) = json.loads(render("sarif", result, opts))["runs"][0]["invocations"]
    assert inv["executionSuccessful"] is False
    assert inv["toolExecutionNotifications"][0]["descriptor"]["id"] == "S015"
    clean = json.loads(render("sarif", Result([], [], 0, 0), opts))
    assert_valid_sarif(clean)
    assert clean["runs"][0]["invocations"][0]["executionSuccessful"] is True


def test_sarif_in_chinese(tmp_path: Path) -> None:
    result, opts = sample(tmp_path)
    run = json.loads(render("sarif", result, RenderOptions(opts.root, lang="zh")))["runs"][0]
    assert run["results"][0]["message"]["text"] == "中文消息"
    s014 = run["tool"]["driver"]["rules"][list(all_checks()).index("S014")]
    assert s014["shortDescription"]["text"] == "职权类别不在配置的类别中"


def test_sarif_through_the_cli_names_files_from_the_workspace(
    run_cli: Any, make_catalog: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = make_catalog({"powers/water/qushui.yaml": MISCATEGORISED})
    monkeypatch.chdir(tmp_path)  # the catalogue is ./cat, as in a repository with catalog/ inside
    r = run_cli("check", root, "--format", "sarif", "--no-cache", "--select", "S")
    assert r.exit_code == 1
    log = json.loads(r.stdout)
    assert_valid_sarif(log)
    run = log["runs"][0]
    assert {res["ruleId"] for res in run["results"]} == {"S014", "S016"}
    for res in run["results"]:
        loc = res["locations"][0]
        assert loc["physicalLocation"]["artifactLocation"]["uri"] == "cat/powers/water/qushui.yaml"
        assert artifact_file(run, loc) == (root / "powers/water/qushui.yaml").resolve()


# ----------------------------------------------------------------------------- GitHub


def test_github_escaping() -> None:
    assert escape_data("100% done\r\nnext") == "100%25 done%0D%0Anext"
    assert escape_property("a:b,c%\n") == "a%3Ab%2Cc%25%0A"
    assert escape_data("a:b,c") == "a:b,c"  # data keeps ':' and ','


def test_github_annotations(tmp_path: Path) -> None:
    result, opts = sample(tmp_path)
    lines = render("github", result, opts).splitlines()
    assert lines[0] == "::warning file=powers/水利 a%2Cb/X-1.yaml,line=1,col=5,title=S016::file name differs"
    assert lines[1] == ("::error file=powers/水利 a%2Cb/X-1.yaml,line=3,col=11,title=S014::"
                        'category "行政审批" is 100%25 wrong,%0Asee: line 3'
                        "%0Asee also powers/other/X-2.yaml:2 (X-2)%0Asee also bodies.yaml:5")
    assert lines[2].startswith("::error title=S015::internal error in check S015")
    # waived and baselined findings are not annotated; the last line is a plain summary
    assert len(lines) == 4 and not lines[3].startswith("::")
    assert lines[3] == ("powerlist: 2 power(s) (5 files, registries included), 1 error(s), 1 warning(s), 1 waived, "
                        "1 in the baseline")


def test_github_paths_are_relative_to_the_workspace(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    result, _ = sample(tmp_path)
    monkeypatch.setenv("GITHUB_WORKSPACE", str(tmp_path))
    text = render("github", result, RenderOptions(tmp_path / "cat"))
    assert "::error file=cat/powers/水利 a%2Cb/X-1.yaml,line=3," in text


def test_github_format_is_chosen_on_github_actions(run_cli: Any, make_catalog: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    root = make_catalog({"powers/water/qushui.yaml": MISCATEGORISED})
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    monkeypatch.setenv("GITHUB_WORKSPACE", str(root))
    r = run_cli("check", root, "--no-cache", "--select", "S", "--lang", "en")
    assert r.exit_code == 1
    messages = {d["code"]: d["message"] for d in json.loads(
        run_cli("check", root, "--no-cache", "--select", "S", "--lang", "en", "-f", "json").stdout)["diagnostics"]}
    assert r.stdout.splitlines()[:2] == [
        f"::warning file=powers/water/qushui.yaml,line=1,col=5,title=S016::{escape_data(messages['S016'])}",
        f"::error file=powers/water/qushui.yaml,line=3,col=11,title=S014::{escape_data(messages['S014'])}",
    ]
    explicit = run_cli("check", root, "--no-cache", "--select", "S", "--format", "text")
    assert "::error" not in explicit.stdout and "S014" in explicit.stdout


# ----------------------------------------------------------------------------- JUnit


def suites(xml: str) -> dict[str, ET.Element]:
    root = ET.fromstring(xml)
    assert root.tag == "testsuites"
    return {s.get("name", ""): s for s in root.findall("testsuite")}


def test_junit_is_well_formed_xml_even_with_control_characters(tmp_path: Path) -> None:
    result, opts = sample(tmp_path)
    xml = render("junit", result, opts)
    assert xml.startswith('<?xml version="1.0" encoding="UTF-8"?>')
    root = ET.fromstring(xml)
    skipped = [s.get("message", "") for s in root.iter("skipped")]
    assert any("an old finding \ufffd <&>" in m for m in skipped)


def test_junit_one_suite_per_file_one_case_per_finding(tmp_path: Path) -> None:
    result, opts = sample(tmp_path)
    root = ET.fromstring(render("junit", result, opts))
    by_name = suites(render("junit", result, opts))
    assert set(by_name) == {*result.paths, "check S015"}
    # a clean file is one passing test case
    (case,) = by_name["laws.yaml"].findall("testcase")
    assert list(case) == []
    # one finding, one test case; the error fails, the warning passes with a note (not --strict)
    x1 = by_name["powers/水利 a,b/X-1.yaml"]
    cases = x1.findall("testcase")
    assert [c.get("name") for c in cases] == ["S016 X-1:1:5", "S014 X-1:3:11"]
    assert cases[0].find("failure") is None and "file name differs" in (cases[0].findtext("system-out") or "")
    failure = cases[1].find("failure")
    assert failure is not None and failure.get("type") == "S014"
    assert "powers/other/X-2.yaml:2 (X-2)" in (failure.text or "")
    assert (x1.get("tests"), x1.get("failures")) == ("2", "1")
    # waived and baselined findings are skipped, with the reason
    x2 = by_name["powers/other/X-2.yaml"]
    assert [c.find("skipped") is not None for c in x2.findall("testcase")] == [True, True]
    assert any("历史文件名" in (s.get("message") or "") for s in x2.iter("skipped"))
    # the crash is an error; totals add up
    assert by_name["check S015"].find("testcase/error") is not None
    assert root.get("tests") == str(len(list(root.iter("testcase"))))
    assert root.get("failures") == str(len(list(root.iter("failure")))) == "1"
    assert root.get("skipped") == "2" and root.get("errors") == "1"


def test_junit_strict_makes_warnings_failures(tmp_path: Path) -> None:
    result, opts = sample(tmp_path)
    strict = ET.fromstring(render("junit", result, RenderOptions(opts.root, strict=True)))
    assert [f.get("type") for f in strict.iter("failure")] == ["S016", "S014"]


def test_junit_through_the_cli(run_cli: Any, make_catalog: Any) -> None:
    root = make_catalog({"powers/water/SL-XK-001.yaml": GOOD_POWER, "powers/water/qushui.yaml": MISCATEGORISED})
    r = run_cli("check", root, "--format", "junit", "--no-cache", "--select", "S")
    assert r.exit_code == 1
    by_name = suites(r.stdout)
    assert set(by_name) == {"bodies.yaml", "laws.yaml", "decisions.yaml",
                            "powers/water/SL-XK-001.yaml", "powers/water/qushui.yaml"}
    assert [f.get("type") for f in by_name["powers/water/qushui.yaml"].iter("failure")] == ["S014"]
    assert by_name["powers/water/SL-XK-001.yaml"].get("failures") == "0"

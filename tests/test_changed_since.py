"""``check --changed-since REV`` and the git helpers it stands on, against real git repositories
built in temporary folders."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from casefiles import BASE, GOOD_POWER

from powerlist import gitutil
from powerlist.api import check, settings_for
from powerlist.changes import changes_since, only_changed
from powerlist.diagnostics import Diagnostic, Related, Severity
from powerlist.engine import Result
from powerlist.i18n import T


def misfiled(ident: str, body: str = "city-water") -> str:
    """A power whose file name will not match its id: one S016 warning wherever it is put."""
    return GOOD_POWER.replace("SL-XK-001", ident).replace("body: city-water", f"body: {body}")


@pytest.fixture(autouse=True)
def _quiet_git(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Git as a fresh machine has it: no user or system configuration, a fixed identity."""
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(tmp_path / "no-gitconfig"))
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    for var, value in (("GIT_AUTHOR_NAME", "法制科"), ("GIT_AUTHOR_EMAIL", "fzk@example.org"),
                       ("GIT_COMMITTER_NAME", "法制科"), ("GIT_COMMITTER_EMAIL", "fzk@example.org")):
        monkeypatch.setenv(var, value)


def git(cwd: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True, text=True).stdout


def commit_all(repo: Path, message: str = "update") -> None:
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", message)


def make_repo(tmp_path: Path, files: dict[str, str], sub: str = "") -> tuple[Path, Path]:
    """A repository holding a catalogue (in ``sub`` when given), committed once. -> (repo, root)."""
    repo = tmp_path / "repo"
    root = repo / sub if sub else repo
    shutil.copytree(BASE, root)
    for rel, text in files.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text, encoding="utf-8")
    git(repo, "init", "-q", "-b", "main")
    commit_all(repo, "catalogue as adopted")
    return repo, root


def write(root: Path, rel: str, text: str) -> None:
    (root / rel).parent.mkdir(parents=True, exist_ok=True)
    (root / rel).write_text(text, encoding="utf-8")


def reported(run_cli: Any, root: Path, rev: str = "HEAD", *args: str) -> list[tuple[str, str]]:
    r = run_cli("check", root, "--no-cache", "--select", "S", "--format", "json", "--changed-since", rev, *args)
    assert r.exception is None or isinstance(r.exception, SystemExit), r.exception
    assert r.exit_code in (0, 1), r.stderr
    return sorted((d["code"], d["path"]) for d in json.loads(r.stdout)["diagnostics"])


TWO_POWERS = {"powers/water/a.yaml": misfiled("SL-XK-002"), "powers/market/b.yaml": misfiled("SC-XK-001", "city-market")}


# ----------------------------------------------------------------------------- through the CLI


def test_nothing_changed_reports_nothing_but_checks_everything(run_cli: Any, tmp_path: Path) -> None:
    _, root = make_repo(tmp_path, TWO_POWERS)
    r = run_cli("check", root, "--no-cache", "--select", "S", "-f", "json", "--changed-since", "HEAD")
    doc = json.loads(r.stdout)
    assert (r.exit_code, doc["diagnostics"]) == (0, [])
    assert doc["summary"]["entries"] == 2 + 3 + 3 + 1
    everything = run_cli("check", root, "--no-cache", "--select", "S", "-f", "json")
    assert len(json.loads(everything.stdout)["diagnostics"]) == 2


def test_edited_file_is_reported_and_untouched_ones_are_not(run_cli: Any, tmp_path: Path) -> None:
    _, root = make_repo(tmp_path, TWO_POWERS)
    write(root, "powers/water/a.yaml", "# 2024 年动态调整\n" + misfiled("SL-XK-002"))
    assert reported(run_cli, root) == [("S016", "powers/water/a.yaml")]


def test_staged_committed_and_untracked_changes_all_count(run_cli: Any, tmp_path: Path) -> None:
    repo, root = make_repo(tmp_path, TWO_POWERS)
    write(root, "powers/water/a.yaml", "# 已提交的修改\n" + misfiled("SL-XK-002"))
    commit_all(repo)
    write(root, "powers/market/b.yaml", "# 已暂存\n" + misfiled("SC-XK-001", "city-market"))
    git(repo, "add", "powers/market/b.yaml")
    write(root, "powers/water/c.yaml", misfiled("SL-XK-003"))  # never added
    assert reported(run_cli, root, "HEAD~1") == [
        ("S016", "powers/market/b.yaml"), ("S016", "powers/water/a.yaml"), ("S016", "powers/water/c.yaml")]
    assert reported(run_cli, root, "HEAD") == [("S016", "powers/market/b.yaml"), ("S016", "powers/water/c.yaml")]


def test_renamed_file_is_reported_under_its_new_name(run_cli: Any, tmp_path: Path) -> None:
    repo, root = make_repo(tmp_path, TWO_POWERS)
    git(repo, "mv", "powers/market/b.yaml", "powers/market/SC-XK-00.yaml")
    assert reported(run_cli, root) == [("S016", "powers/market/SC-XK-00.yaml")]
    git(repo, "commit", "-q", "-m", "rename")
    # moved without telling git: a deletion plus an untracked file, still reported
    shutil.move(root / "powers/water/a.yaml", root / "powers/water/a2.yaml")
    assert reported(run_cli, root) == [("S016", "powers/water/a2.yaml")]


def test_deleted_power_file_is_harmless(run_cli: Any, tmp_path: Path) -> None:
    _, root = make_repo(tmp_path, TWO_POWERS)
    (root / "powers/water/a.yaml").unlink()
    assert reported(run_cli, root) == []


def test_catalogue_in_a_subfolder_with_chinese_file_names(run_cli: Any, tmp_path: Path) -> None:
    files = {"powers/水利/取水.yaml": misfiled("SL-XK-002"), "powers/市场/登记.yaml": misfiled("SC-XK-001", "city-market")}
    _, root = make_repo(tmp_path, files, sub="catalog")
    write(root, "powers/水利/取水.yaml", misfiled("SL-XK-002") + "responsibilities: [受理审查]\n")
    write(root.parent, "README.md", "not part of the catalogue\n")
    assert reported(run_cli, root) == [("S016", "powers/水利/取水.yaml")]


def test_registry_changes_are_compared_item_by_item(run_cli: Any, tmp_path: Path) -> None:
    # Two bodies carry an unknown key (S012 on each); editing one reports only that one.
    bodies = (BASE / "bodies.yaml").read_text(encoding="utf-8")
    marked = bodies.replace("  enforcement: true\n", "  enforcement: true\n  note: 待核\n")
    _, root = make_repo(tmp_path, {"bodies.yaml": marked})
    assert reported(run_cli, root) == []
    write(root, "bodies.yaml", marked.replace("name: 某市市场监督管理局", "name: 某市市场监管局"))
    r = run_cli("check", root, "--no-cache", "--select", "S", "-f", "json", "--changed-since", "HEAD")
    assert [(d["code"], d["entry"]) for d in json.loads(r.stdout)["diagnostics"]] == [("S012", "city-market")]
    # a new item is a changed item
    write(root, "bodies.yaml", marked + "- id: city-new\n  name: 某市新局\n  level: 市级\n  note: 新设\n")
    r = run_cli("check", root, "--no-cache", "--select", "S", "-f", "json", "--changed-since", "HEAD")
    assert [(d["code"], d["entry"]) for d in json.loads(r.stdout)["diagnostics"]] == [("S012", "city-new")]


def test_a_broken_registry_file_is_reported(run_cli: Any, tmp_path: Path) -> None:
    _, root = make_repo(tmp_path, TWO_POWERS)
    write(root, "laws.yaml", "- id: [unclosed\n")
    assert reported(run_cli, root) == [("S001", "laws.yaml")]


def test_configuration_change_reports_everything(run_cli: Any, tmp_path: Path) -> None:
    _, root = make_repo(tmp_path, TWO_POWERS)
    write(root, "powerlist.toml", "region = '某市'\n")
    assert reported(run_cli, root) == [("S016", "powers/market/b.yaml"), ("S016", "powers/water/a.yaml")]


def test_changed_since_with_a_baseline(run_cli: Any, tmp_path: Path) -> None:
    _, root = make_repo(tmp_path, TWO_POWERS)
    base = tmp_path / "baseline.json"
    run_cli("check", root, "--no-cache", "--select", "S", "--write-baseline", base)
    write(root, "powers/water/a.yaml", "# 修改\n" + misfiled("SL-XK-002"))
    write(root, "powers/water/new.yaml", misfiled("SL-XK-009"))
    assert reported(run_cli, root, "HEAD", "--baseline", str(base)) == [("S016", "powers/water/new.yaml")]


@pytest.mark.parametrize(("rev", "message"), [
    ("no-such-branch", "unknown git revision 'no-such-branch'"),
    ("--output=/tmp/x", "is not a git revision"),
    ("HEAD~5", "unknown git revision 'HEAD~5'"),
])
def test_bad_revision_exits_2(run_cli: Any, tmp_path: Path, rev: str, message: str) -> None:
    _, root = make_repo(tmp_path, TWO_POWERS)
    r = run_cli("check", root, "--no-cache", "--changed-since", rev)
    assert r.exit_code == 2 and r.stdout == ""
    assert message in r.stderr and "Traceback" not in r.output


def test_outside_a_repository_exits_2(run_cli: Any, make_catalog: Any) -> None:
    root = make_catalog({"powers/water/SL-XK-001.yaml": GOOD_POWER})
    r = run_cli("check", root, "--no-cache", "--changed-since", "HEAD")
    assert r.exit_code == 2
    assert "--changed-since: git rev-parse failed: fatal: not a git repository" in r.stderr


# ----------------------------------------------------------------------------- the filter itself


def located(root: Path, code: str, path: str, line: int, entry: str | None, related: list[Related] | None = None) -> Diagnostic:
    return Diagnostic(code, Severity.ERROR, path, line, 1, entry, T("问题", "finding"), related or [])


def filtered(root: Path, rev: str, found: list[Diagnostic]) -> list[tuple[str, int]]:
    settings = settings_for(root)
    cat = check(root, settings).catalog
    out = only_changed(Result(found, [], 0, 0), changes_since(rev, root), lambda: cat)
    return [(d.path, d.line) for d in out.diagnostics]


def test_findings_whose_related_entries_changed_are_kept(tmp_path: Path) -> None:
    _, root = make_repo(tmp_path, TWO_POWERS)
    write(root, "powers/water/a.yaml", "# 修改\n" + misfiled("SL-XK-002"))
    on_b = located(root, "D001", "powers/market/b.yaml", 2, "SC-XK-001", [Related("powers/water/a.yaml", 3, "SL-XK-002")])
    alone = located(root, "D001", "powers/market/b.yaml", 5, "SC-XK-001")
    assert filtered(root, "HEAD", [on_b, alone]) == [("powers/market/b.yaml", 2)]


def test_findings_on_references_to_a_deleted_registry_item_are_kept(tmp_path: Path) -> None:
    # b.yaml (unchanged) names city-market in its body key, line 4; the body is then deleted.
    _, root = make_repo(tmp_path, TWO_POWERS)
    body_line = misfiled("SC-XK-001", "city-market").splitlines().index("body: city-market") + 1
    bodies = (root / "bodies.yaml").read_text(encoding="utf-8")
    start = bodies.index("- id: city-market")
    write(root, "bodies.yaml", bodies[:start] + bodies[bodies.index("- id: district-gov"):])
    at_reference = located(root, "R001", "powers/market/b.yaml", body_line, "SC-XK-001")
    elsewhere = located(root, "P001", "powers/market/b.yaml", body_line + 5, "SC-XK-001")
    unrelated = located(root, "R001", "powers/water/a.yaml", body_line, "SL-XK-002")  # names city-water
    assert filtered(root, "HEAD", [at_reference, elsewhere, unrelated]) == [("powers/market/b.yaml", body_line)]


def test_references_of_released_powers_come_from_their_models(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A deleted registry item makes the filter look for references in every entry: a released
    power file is not read again for that (only to locate a deeper key that does match)."""
    from powerlist.catalog import source

    _, root = make_repo(tmp_path, TWO_POWERS)
    bodies = (root / "bodies.yaml").read_text(encoding="utf-8")
    start = bodies.index("- id: city-market")
    write(root, "bodies.yaml", bodies[:start] + bodies[bodies.index("- id: district-gov"):])
    cat = check(root, settings_for(root)).catalog
    assert all(e.raw is None for e in cat.powers)  # released
    reads: list[str] = []
    real = source.read_and_parse
    monkeypatch.setattr(source, "read_and_parse", lambda path, limits: reads.append(path) or real(path, limits))
    source._reparse.cache_clear()
    only_changed(Result([], [], 0, 0), changes_since("HEAD", root), lambda: cat)
    assert reads == []


def test_a_deleted_law_is_matched_by_title_too(tmp_path: Path) -> None:
    # a.yaml cites 中华人民共和国水法 by title; laws.yaml (which held it as water-law) is deleted.
    _, root = make_repo(tmp_path, TWO_POWERS)
    (root / "laws.yaml").unlink()
    law_line = GOOD_POWER.splitlines().index("  - law: 中华人民共和国水法") + 1
    assert filtered(root, "HEAD", [located(root, "B001", "powers/water/a.yaml", law_line, "SL-XK-002")]) == [
        ("powers/water/a.yaml", law_line)]


def test_unchanged_registry_items_are_not_reported(tmp_path: Path) -> None:
    _, root = make_repo(tmp_path, TWO_POWERS)
    bodies = (root / "bodies.yaml").read_text(encoding="utf-8")
    write(root, "bodies.yaml", bodies.replace("name: 某市水务局", "name: 某市水利局"))
    found = [located(root, "R002", "bodies.yaml", 1, "city-water"), located(root, "R002", "bodies.yaml", 6, "city-market"),
             located(root, "R009", "bodies.yaml", 1, None)]
    assert filtered(root, "HEAD", found) == [("bodies.yaml", 1), ("bodies.yaml", 1)]


# ----------------------------------------------------------------------------- gitutil


def test_changed_files_statuses(tmp_path: Path) -> None:
    repo, root = make_repo(tmp_path, TWO_POWERS)
    git(repo, "mv", "powers/market/b.yaml", "powers/market/b2.yaml")
    write(root, "powers/water/a.yaml", "# x\n" + misfiled("SL-XK-002"))
    (root / "decisions.yaml").unlink()
    write(root, "powers/新 文件.yaml", "id: X\n")
    assert gitutil.changed_files("HEAD", root) == [
        gitutil.Change("D", "decisions.yaml"),
        gitutil.Change("R", "powers/market/b2.yaml", "powers/market/b.yaml"),
        gitutil.Change("M", "powers/water/a.yaml"),
        gitutil.Change("A", "powers/新 文件.yaml"),
    ]


def test_reading_files_at_a_revision(tmp_path: Path) -> None:
    repo, root = make_repo(tmp_path, TWO_POWERS, sub="catalog")
    first = git(repo, "rev-parse", "HEAD").strip()
    write(root, "powers/water/a.yaml", "changed\n")
    write(root, "powers/water/新.yaml", "new\n")
    commit_all(repo)
    assert gitutil.resolve_rev("HEAD~1", root) == first
    assert gitutil.read_file_at(first, "powers/water/a.yaml", root) == misfiled("SL-XK-002").encode()
    assert gitutil.read_file_at("HEAD", "powers/water/a.yaml", root) == b"changed\n"
    assert gitutil.read_file_at(first, "powers/water/新.yaml", root) is None
    assert gitutil.files_at("HEAD", root, "powers") == ["powers/market/b.yaml", "powers/water/a.yaml", "powers/water/新.yaml"]
    out = tmp_path / "old"
    written = gitutil.export_tree(first, root, out)
    assert "bodies.yaml" in written and "powers/water/新.yaml" not in written
    assert (out / "powers/water/a.yaml").read_text(encoding="utf-8") == misfiled("SL-XK-002")
    assert gitutil.repo_prefix(root) == "catalog/"


def test_git_errors_are_values_not_tracebacks(tmp_path: Path) -> None:
    _, root = make_repo(tmp_path, TWO_POWERS)
    for bad in ("-h", "", "HEAD\nx"):
        with pytest.raises(gitutil.GitError, match="is not a git revision"):
            gitutil.resolve_rev(bad, root)
    with pytest.raises(gitutil.GitError, match="unknown git revision"):
        gitutil.resolve_rev("v9.9", root)
    (tmp_path / "plain").mkdir()
    with pytest.raises(gitutil.GitError, match="not a git repository"):
        gitutil.changed_files("HEAD", tmp_path / "plain")

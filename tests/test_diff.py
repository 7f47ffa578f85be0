"""``powerlist diff``: two folders, and a real git repository built in a temporary folder."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest
from casefiles import BASE, GOOD_POWER
from typer.testing import CliRunner

from powerlist.cli import _load_commands, app
from powerlist.config import Settings
from powerlist.diff import FieldChange, diff_folders, field_changes

_load_commands()
runner = CliRunner()


def power(ident: str, name: str = "取水许可", **replace: str) -> str:
    text = GOOD_POWER.replace("SL-XK-001", ident).replace("name: 取水许可", f"name: {name}")
    for old, new in replace.items():
        text = text.replace(old, new)
    return text


def write_catalog(root: Path, powers: dict[str, str]) -> Path:
    shutil.copytree(BASE, root, dirs_exist_ok=True)
    for rel, text in powers.items():
        target = root / "powers" / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
    return root


OLD = {
    "water/SL-XK-001.yaml": power("SL-XK-001"),
    "water/SL-XK-002.yaml": power("SL-XK-002", "取水许可延续"),
    "water/SL-XK-003.yaml": power("SL-XK-003", "取水许可变更"),
    "water/SL-XK-004.yaml": power("SL-XK-004", "水资源论证审查"),
    "water/SL-XK-005.yaml": power("SL-XK-005", "河道管理范围内建设项目审批"),
}
NEW = {
    # 调整: time limits and one step
    "water/SL-XK-001.yaml": power("SL-XK-001", **{"statutory: 20": "statutory: 15", "days: 12": "days: 8"}),
    # 划转 + 下放/承接
    "market/SL-XK-002.yaml": power("SL-XK-002", "取水许可延续",
                                   **{"body: city-water": "body: city-market\ndelegated_to: [district-gov]"}),
    # 取消 (abolished)
    "water/SL-XK-003.yaml": power("SL-XK-003", "取水许可变更",
                                  **{"status: active": "status: abolished\nabolished_by: gf-2017-46"}),
    # SL-XK-004 deleted (取消); SL-XK-005 renamed to a new id, same name and body
    "water/SL-XK-105.yaml": power("SL-XK-105", "河道管理范围内建设项目审批"),
    # 新增
    "water/SL-XK-009.yaml": power("SL-XK-009", "河道采砂许可"),
}


@pytest.fixture
def pair(tmp_path: Path) -> tuple[Path, Path]:
    return write_catalog(tmp_path / "old", OLD), write_catalog(tmp_path / "new", NEW)


# ------------------------------------------------------------------ the library


def test_field_changes_go_field_by_field_and_match_steps_by_id() -> None:
    old = {"name": "A", "time_limit": {"statutory": 20},
           "process": {"steps": [{"id": "a", "days": 1}, {"id": "b", "days": 2}]},
           "basis": [{"law": "水法", "articles": ["第一条"]}]}
    new = {"name": "B", "time_limit": {"statutory": 20, "promised": 10},
           "process": {"steps": [{"id": "b", "days": 3}, {"id": "c", "days": 1}]},
           "basis": [{"law": "水法", "articles": ["第二条"]}]}
    assert field_changes(old, new) == [
        FieldChange("name", "A", "B"),
        FieldChange("time_limit.promised", None, 10),
        FieldChange("process.steps[a]", {"id": "a", "days": 1}, None),
        FieldChange("process.steps[b].days", 2, 3),
        FieldChange("process.steps[c]", None, {"id": "c", "days": 1}),
        FieldChange("basis[水法].articles", ["第一条"], ["第二条"]),
    ]
    # reordering steps is no change; a list without usable keys is compared whole
    assert field_changes({"steps": [{"id": "a"}, {"id": "b"}]}, {"steps": [{"id": "b"}, {"id": "a"}]}) == []
    assert field_changes({"steps": [{"x": 1}]}, {"steps": [{"x": 2}]}) == [
        FieldChange("steps", [{"x": 1}], [{"x": 2}])]


def test_every_kind_is_reported_with_ids(pair: tuple[Path, Path]) -> None:
    report = diff_folders(*pair, Settings())
    got = sorted((c.kind, c.id) for c in report.changes)
    assert got == [("added", "SL-XK-009"), ("adjusted", "SL-XK-001"), ("adjusted", "SL-XK-105"),
                   ("delegated", "SL-XK-002"), ("removed", "SL-XK-003"), ("removed", "SL-XK-004"),
                   ("transferred", "SL-XK-002")]
    by = {(c.kind, c.id): c for c in report.changes}
    assert by[("adjusted", "SL-XK-001")].fields == [FieldChange("time_limit.statutory", 20, 15),
                                                    FieldChange("process.steps[review].days", 12, 8)]
    assert by[("transferred", "SL-XK-002")].fields == [FieldChange("body", "city-water", "city-market")]
    assert by[("transferred", "SL-XK-002")].path == "powers/market/SL-XK-002.yaml"
    assert by[("delegated", "SL-XK-002")].delegated == ["district-gov"]
    assert (by[("removed", "SL-XK-003")].reason, by[("removed", "SL-XK-003")].abolished_by) == ("abolished", "gf-2017-46")
    assert by[("removed", "SL-XK-004")].reason == "deleted"
    renamed = by[("adjusted", "SL-XK-105")]
    assert renamed.old_id == "SL-XK-005" and renamed.fields == [FieldChange("id", "SL-XK-005", "SL-XK-105")]
    assert report.body_names["district-gov"] == "某市某区人民政府"
    assert not report.problems and not report.uncompared


def test_writing_a_default_out_is_no_change(tmp_path: Path) -> None:
    explicit = power("SL-XK-001", **{"  promised: 10": "  promised: 10\n  unit: working_days"})
    old = write_catalog(tmp_path / "old", {"a/X.yaml": power("SL-XK-001").replace("status: active\n", "")})
    new = write_catalog(tmp_path / "new", {"b/X.yaml": explicit})
    assert diff_folders(old, new, Settings()).changes == []


def test_broken_files_are_reported_not_mistaken_for_removals(tmp_path: Path) -> None:
    old = write_catalog(tmp_path / "old", {"w/A.yaml": power("SL-XK-001"), "w/B.yaml": power("SL-XK-002", "河道采砂许可")})
    new = write_catalog(tmp_path / "new", {
        "w/A.yaml": "id: SL-XK-001\nname: [取水许可\n",  # cannot be parsed
        "w/B.yaml": power("SL-XK-002", "河道采砂许可").replace("days: 12", "days: twelve"),  # fails validation
    })
    report = diff_folders(old, new, Settings())
    assert report.changes == []
    assert sorted((u.id, u.side) for u in report.uncompared) == [("SL-XK-001", "new"), ("SL-XK-002", "new")]
    assert {(p.side, p.path, p.code) for p in report.problems} >= {("new", "powers/w/A.yaml", "S001")}
    assert any(p.path == "powers/w/B.yaml" and p.line > 1 for p in report.problems)


# ------------------------------------------------------------------ the command


def test_text_report_in_the_offices_terms(pair: tuple[Path, Path]) -> None:
    res = runner.invoke(app, ["diff", str(pair[0]), str(pair[1]), "--lang", "zh"])
    assert res.exit_code == 0, res.output
    for expected in ("新增（1 项）", "取消（2 项）", "调整（2 项）", "划转（1 项）", "下放/承接（1 项）",
                     "办结时限.法定时限: 20 → 15", "city-water（某市水务局） → city-market（某市市场监督管理局）",
                     "状态改为已取消（依据 gf-2017-46）", "下放，由 district-gov（某市某区人民政府） 承接"):
        assert expected in res.stdout, expected


def test_markdown_has_a_heading_and_table_per_kind(pair: tuple[Path, Path]) -> None:
    res = runner.invoke(app, ["diff", str(pair[0]), str(pair[1]), "--format", "markdown"])
    assert res.exit_code == 0
    md = res.stdout
    for heading in ("### 新增 Added (1)", "### 取消 Removed (2)", "### 调整 Adjusted (2)",
                    "### 划转 Transferred (1)", "### 下放/承接 Delegated (1)", "#### SL-XK-001 取水许可"):
        assert heading in md
    assert "| time_limit.statutory | 20 | 15 |" in md
    assert "| SL-XK-009 | 河道采砂许可 | 行政许可 | city-water (某市水务局) | powers/water/SL-XK-009.yaml |" in md


def test_json_shape_is_stable(pair: tuple[Path, Path], tmp_path: Path) -> None:
    out = tmp_path / "diff.json"
    res = runner.invoke(app, ["diff", str(pair[0]), str(pair[1]), "--format", "json", "-o", str(out)])
    assert res.exit_code == 0 and res.stdout == ""
    doc = json.loads(out.read_text(encoding="utf-8"))
    assert set(doc) == {"version", "old", "new", "summary", "changes", "problems", "uncompared", "bodies"}
    assert doc["version"] == 1
    assert doc["summary"] == {"added": 1, "removed": 2, "adjusted": 2, "transferred": 1, "delegated": 1}
    keys = {"kind", "term", "id", "old_id", "name", "category", "body", "path", "fields", "reason",
            "abolished_by", "delegated", "withdrawn"}
    assert all(set(c) == keys for c in doc["changes"])
    adjusted = next(c for c in doc["changes"] if c["id"] == "SL-XK-001")
    assert adjusted["term"] == "调整"
    assert adjusted["fields"][0] == {"field": "time_limit.statutory", "old": 20, "new": 15}


def test_no_changes(tmp_path: Path) -> None:
    a = write_catalog(tmp_path / "a", OLD)
    b = write_catalog(tmp_path / "b", OLD)
    res = runner.invoke(app, ["diff", str(a), str(b)])
    assert res.exit_code == 0 and "No changes to powers" in res.stdout


@pytest.mark.parametrize("args", [["diff"], ["diff", "only-one"], ["diff", "nope-a", "nope-b"],
                                  ["diff", "--git", "HEAD", "a", "b"], ["diff", "x", "y", "--format", "html"]])
def test_bad_arguments_exit_2(args: list[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    assert runner.invoke(app, args).exit_code == 2


# ------------------------------------------------------------------ against git


def git(repo: Path, *args: str) -> str:
    return subprocess.run(["git", "-c", "user.name=Test", "-c", "user.email=test@example.org", "-c", "init.defaultBranch=main",
                           *args], cwd=repo, check=True, capture_output=True, text=True).stdout


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A repository whose catalogue lives in 目录/ (a Chinese folder name) below the top."""
    top = tmp_path / "repo"
    top.mkdir()
    git(top, "init", "-q")
    write_catalog(top / "目录", OLD)
    (top / "README.md").write_text("catalogue\n", encoding="utf-8")
    git(top, "add", "-A")
    git(top, "commit", "-q", "-m", "first")
    return top


def snapshot(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()
            and ".git" not in p.relative_to(root).parts}


def test_git_diff_against_head_sees_uncommitted_edits(repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    cat = repo / "目录"
    shutil.rmtree(cat / "powers")
    write_catalog(cat, NEW)
    before, status = snapshot(repo), git(repo, "status", "--porcelain")
    monkeypatch.chdir(cat)
    res = runner.invoke(app, ["diff", "--git", "HEAD", "--format", "json"])
    assert res.exit_code == 0, res.output
    doc = json.loads(res.stdout)
    assert doc["summary"] == {"added": 1, "removed": 2, "adjusted": 2, "transferred": 1, "delegated": 1}
    assert doc["old"].startswith("HEAD (")
    # the working tree and the index were not touched
    assert snapshot(repo) == before and git(repo, "status", "--porcelain") == status


def test_git_diff_between_commits(repo: Path) -> None:
    cat = repo / "目录"
    (cat / "powers" / "water" / "SL-XK-004.yaml").unlink()
    git(repo, "commit", "-q", "-am", "drop SL-XK-004")
    res = runner.invoke(app, ["diff", "--git", "HEAD~1", str(cat), "--format", "json"])
    assert res.exit_code == 0, res.output
    changes = json.loads(res.stdout)["changes"]
    assert [(c["kind"], c["id"], c["reason"]) for c in changes] == [("removed", "SL-XK-004", "deleted")]
    # nothing changed since HEAD
    same = runner.invoke(app, ["diff", "--git", "HEAD", str(cat), "--format", "json"])
    assert json.loads(same.stdout)["changes"] == []


def test_catalogue_new_since_rev_is_all_added(repo: Path) -> None:
    write_catalog(repo / "新目录", {"w/A.yaml": power("SL-XK-001")})
    res = runner.invoke(app, ["diff", "--git", "HEAD", str(repo / "新目录"), "--format", "json"])
    assert res.exit_code == 0
    assert [(c["kind"], c["id"]) for c in json.loads(res.stdout)["changes"]] == [("added", "SL-XK-001")]


@pytest.mark.parametrize("rev", ["no-such-branch", "--output=x", "HEAD~5"])
def test_bad_revision_exits_2(repo: Path, rev: str) -> None:
    res = runner.invoke(app, ["diff", "--git", rev, str(repo / "目录")])
    assert res.exit_code == 2
    assert "revision" in res.stderr


def test_not_a_repository_exits_2(tmp_path: Path) -> None:
    cat = write_catalog(tmp_path / "plain", OLD)
    res = runner.invoke(app, ["diff", "--git", "HEAD", str(cat)])
    assert res.exit_code == 2 and "powerlist: error:" in res.stderr

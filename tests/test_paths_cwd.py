"""Issue 14 item 7: text names files from the current folder (clickable, as ruff and yamllint do);
JSON keeps catalogue-relative paths; every command finds the catalogue by walking up from inside it."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from casefiles import GOOD_POWER

from powerlist.catalog.layout import find_root
from powerlist.report.base import cwd_view

# Two bodies hold the same licence: J001 on both files, each naming the other (a "see also" line).
TWIN = GOOD_POWER.replace("SL-XK-001", "GY-XK-001").replace("body: city-water", "body: city-market")


@pytest.fixture
def project(make_catalog: Any, tmp_path: Path) -> Path:
    """A repository folder ``p`` whose catalogue is ``p/catalog``."""
    cat = make_catalog({"powers/water/SL-XK-001.yaml": GOOD_POWER, "powers/utility/GY-XK-001.yaml": TWIN})
    repo = tmp_path / "p"
    repo.mkdir()
    (repo / ".git").mkdir()  # the top of a work tree: the walk up stops here
    return cat.rename(repo / "catalog")


def _text(run_cli: Any, *args: object) -> str:
    r = run_cli("check", *args, "--no-cache", "--no-source")
    assert r.exit_code == 1, r.output
    return str(r.stdout)


def test_text_paths_are_relative_to_the_current_folder(run_cli: Any, project: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(project.parent.parent)  # above p/
    out = _text(run_cli, "p/catalog")
    assert "p/catalog/powers/water/SL-XK-001.yaml:4:7 J001" in out
    assert "see also p/catalog/powers/utility/GY-XK-001.yaml:1 (GY-XK-001)" in out
    assert "\np/catalog/powers/utility/GY-XK-001.yaml\n" in "\n" + out  # the group heading too
    monkeypatch.chdir(project)  # the catalogue itself: paths as before
    assert "\npowers/water/SL-XK-001.yaml:4:7 J001" in "\n" + _text(run_cli)


def test_walking_up_from_inside_the_catalogue(run_cli: Any, project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(project / "powers" / "water")
    out = _text(run_cli)  # no catalogue argument: found above
    assert "\nSL-XK-001.yaml:4:7 J001" in "\n" + out
    assert "../utility/GY-XK-001.yaml:4:7 J001" in out
    assert "see also ../utility/GY-XK-001.yaml:1" in out


def test_a_catalogue_elsewhere_is_named_absolutely(run_cli: Any, project: Path, tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    away = tmp_path / "elsewhere"
    away.mkdir()
    monkeypatch.chdir(away)
    out = _text(run_cli, project)
    assert f"{project.as_posix()}/powers/water/SL-XK-001.yaml:4:7 J001" in out


def test_json_stays_catalogue_relative(run_cli: Any, project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(project / "powers" / "water")
    r = run_cli("check", "--no-cache", "-f", "json")
    doc = json.loads(r.stdout)
    assert {d["path"] for d in doc["diagnostics"]} == {"powers/water/SL-XK-001.yaml", "powers/utility/GY-XK-001.yaml"}
    assert {rel["path"] for d in doc["diagnostics"] for rel in d["related"]} == {
        "powers/water/SL-XK-001.yaml", "powers/utility/GY-XK-001.yaml"}


def test_github_stays_workspace_relative(run_cli: Any, project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(project / "powers" / "water")
    monkeypatch.setenv("GITHUB_WORKSPACE", str(project.parent))
    r = run_cli("check", "--no-cache", "-f", "github")
    assert "::error file=catalog/powers/water/SL-XK-001.yaml,line=4," in r.stdout


def test_other_commands_walk_up_too(run_cli: Any, project: Path, monkeypatch: pytest.MonkeyPatch,
                                    tmp_path: Path) -> None:
    monkeypatch.chdir(project / "powers" / "water")
    out = tmp_path / "r.html"
    r = run_cli("report", "-o", out)
    assert r.exit_code == 0, r.output
    assert "SL-XK-001" in out.read_text(encoding="utf-8")


def test_find_root_stops_at_the_git_root_and_needs_a_real_root(tmp_path: Path) -> None:
    (tmp_path / "powers" / "a").mkdir(parents=True)
    (tmp_path / "bodies.yaml").write_text("[]\n", encoding="utf-8")
    assert find_root(tmp_path / "powers" / "a") == tmp_path
    assert find_root(tmp_path / "powers" / "a" / "X.yaml") == tmp_path  # a file: from its folder
    inner = tmp_path / "powers" / "a" / "repo"
    (inner / ".git").mkdir(parents=True)
    assert find_root(inner) is None  # the catalogue above another work tree's top is not its own
    stray = tmp_path / "x"
    stray.mkdir()
    (stray / "laws.yaml").write_text("[]\n", encoding="utf-8")  # a stray registry is no root
    assert find_root(stray) == tmp_path


def test_nothing_found_keeps_the_old_default(run_cli: Any, project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(project.parent)  # the repository: ./catalog, as before
    assert "catalog/powers/water/SL-XK-001.yaml:4:7" in _text(run_cli)
    empty = project.parent / "docs"
    empty.mkdir()
    monkeypatch.chdir(empty)
    r = run_cli("check", "--no-cache")
    assert r.exit_code == 2 and "no catalogue here" in r.stderr


def test_cwd_view_shapes(tmp_path: Path) -> None:
    cat = tmp_path / "p" / "catalog"
    assert cwd_view(cat, cat) == ("", "")
    assert cwd_view(cat, tmp_path) == ("p/catalog/", "")
    assert cwd_view(cat, cat / "powers" / "a") == ("", "powers/a")
    assert cwd_view(cat, tmp_path / "q") == (cat.as_posix() + "/", "")

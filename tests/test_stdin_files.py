"""Issue 14 item 8: ``powerlist check -`` (one power from standard input) and ``powerlist check
FILE1 FILE2 …`` (findings for those files only; cross-entry checks still see the whole catalogue)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from casefiles import GOOD_POWER
from typer.testing import CliRunner

from powerlist.cli import _load_commands, app

_load_commands()
TWIN = GOOD_POWER.replace("SL-XK-001", "GY-XK-001").replace("body: city-water", "body: city-market")
NO_BASIS = GOOD_POWER.replace("SL-XK-001", "SL-XK-009").replace("name: 取水许可", "name: 河道采砂许可")
NO_BASIS = NO_BASIS[:NO_BASIS.index("basis:")]  # B001: an active power with no legal basis


@pytest.fixture
def cat(make_catalog: Any) -> Path:
    return make_catalog({"powers/water/SL-XK-001.yaml": GOOD_POWER, "powers/market/GY-XK-001.yaml": TWIN,
                         "powers/water/SL-XK-009.yaml": NO_BASIS})


def _json(*args: object, stdin: str | None = None) -> tuple[int, dict[str, Any], str]:
    r = CliRunner().invoke(app, ["check", *(str(a) for a in args), "--no-cache", "-f", "json"], input=stdin)
    assert r.exception is None or isinstance(r.exception, SystemExit), r.exception
    doc = json.loads(r.stdout) if r.stdout.strip().startswith("{") else {}
    return r.exit_code, doc, r.stderr


def _found(doc: dict[str, Any]) -> set[tuple[str, str]]:
    return {(d["code"], d["path"]) for d in doc["diagnostics"]}


def test_several_files_show_only_their_findings(cat: Path) -> None:
    code, doc, _ = _json(cat / "powers/water/SL-XK-001.yaml", cat / "powers/water/SL-XK-009.yaml")
    assert code == 1
    # SL-XK-001's J001 pair (the other side named too), SL-XK-009's B001; nothing else of the catalogue
    assert _found(doc) >= {("J001", "powers/water/SL-XK-001.yaml"), ("J001", "powers/market/GY-XK-001.yaml"),
                           ("B001", "powers/water/SL-XK-009.yaml")}
    assert all(p in {"powers/water/SL-XK-001.yaml", "powers/market/GY-XK-001.yaml", "powers/water/SL-XK-009.yaml"}
               for _, p in _found(doc))
    code, doc, _ = _json(cat / "powers/water/SL-XK-009.yaml")
    assert ("J001", "powers/water/SL-XK-001.yaml") not in _found(doc)  # not asked about


def test_files_of_two_catalogues_are_exit_2(cat: Path, tmp_path: Path) -> None:
    import shutil

    other = tmp_path / "other"
    shutil.copytree(cat, other)
    code, _, err = _json(cat / "powers/water/SL-XK-001.yaml", other / "powers/water/SL-XK-001.yaml")
    assert code == 2 and "different catalogues" in err


def test_folder_and_files_together_are_exit_2(cat: Path) -> None:
    code, _, err = _json(cat, cat / "powers/water/SL-XK-001.yaml")
    assert code == 2 and "not several folders or both" in err


def test_stdin_takes_the_files_place_in_its_catalogue(cat: Path) -> None:
    fixed = TWIN.replace("name: 取水许可", "name: 城镇排水许可")  # no longer the same licence: J001 gone
    name = cat / "powers/market/GY-XK-001.yaml"
    code, doc, _ = _json("-", "--stdin-filename", name, stdin=fixed)
    assert code == 0 and doc["diagnostics"] == []
    code, doc, _ = _json("-", "--stdin-filename", name, stdin=TWIN)  # as on disk: the pair is back
    assert code == 1 and _found(doc) == {("J001", "powers/market/GY-XK-001.yaml"),
                                         ("J001", "powers/water/SL-XK-001.yaml")}
    assert doc["summary"]["entries"] == 3 + 3 + 3 + 1  # the catalogue's entries, the buffer once


def test_stdin_without_a_name_is_shown_as_stdin(cat: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(cat / "powers" / "water")  # its catalogue is found by walking up
    code, doc, _ = _json("-", stdin=NO_BASIS)
    assert code == 1
    # the buffer stands for SL-XK-009 (same id), not a duplicate of it; no file name to compare (S016)
    assert ("B001", "<stdin>") in _found(doc)
    assert not {c for c, _ in _found(doc)} & {"D001", "D002", "S016"}
    assert all(p == "<stdin>" for _, p in _found(doc))


def test_stdin_alone_and_broken(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)  # no catalogue anywhere: the power is checked alone
    code, doc, _ = _json("-", stdin=NO_BASIS)
    assert code == 1 and ("B001", "<stdin>") in _found(doc)
    code, doc, _ = _json("-", stdin="id: [unclosed\n")
    assert code == 1 and {c for c, _ in _found(doc)} == {"S001"}


def test_stdin_text_shows_its_own_lines(cat: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(cat)
    r = CliRunner().invoke(app, ["check", "-", "--no-cache", "--stdin-filename", "powers/water/SL-XK-009.yaml"],
                           input=NO_BASIS.replace("category: 行政许可", "category: 行政审批"))
    assert r.exit_code == 1
    assert "powers/water/SL-XK-009.yaml:3:11 S014" in r.stdout
    assert "category: 行政审批" in r.stdout  # the line from the buffer, not from the file on disk


def test_stdin_refusals(cat: Path) -> None:
    code, _, err = _json("-", cat / "powers/water/SL-XK-001.yaml", stdin="")
    assert code == 2 and "checked alone" in err
    code, _, err = _json("-", "--stdin-filename", cat / "bodies.yaml", stdin="[]\n")
    assert code == 2 and "not one" in err
    code, _, err = _json(cat, "--stdin-filename", "x.yaml")
    assert code == 2 and "goes with -" in err

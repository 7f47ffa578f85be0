"""`powerlist check FILE`: the whole catalogue is checked, findings involving FILE are shown."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from powerlist.cli import _load_commands, app

_load_commands()
ROOT = Path(__file__).resolve().parent.parent / "catalog"


def _run(*args: str) -> tuple[int, dict]:
    r = CliRunner().invoke(app, ["check", *args, "--no-cache", "-f", "json"])
    return r.exit_code, json.loads(r.stdout) if r.stdout.strip().startswith("{") else {}


def test_file_in_catalogue_shows_findings_that_involve_it() -> None:
    code, out = _run(str(ROOT / "powers/city-water/SL-XK-001.yaml"))
    assert code == 1
    paths = {d["path"] for d in out["diagnostics"]}
    # the cross-file J001 pair: the file's own finding and the other body's finding that names it
    assert paths == {"powers/city-water/SL-XK-001.yaml", "powers/city-utility/GY-XK-001.yaml"}
    assert {d["code"] for d in out["diagnostics"]} == {"J001"}


def test_clean_file_exits_zero() -> None:
    code, out = _run(str(ROOT / "powers/city-water/SL-XK-003.yaml"))
    assert code == 0 and out["diagnostics"] == []


def test_file_outside_a_catalogue_is_exit_2(tmp_path: Path) -> None:
    stray = tmp_path / "x.yaml"
    stray.write_text("id: X\n", encoding="utf-8")
    r = CliRunner().invoke(app, ["check", str(stray)])
    assert r.exit_code == 2 and "not inside a catalogue" in r.stderr

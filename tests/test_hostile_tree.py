"""Issue 9: what a hostile file tree can do to discovery (items 2, 4, 5, 7 and the first two
points of 10). Each test fails on the code before the fix; every one also asserts that the good
power beside the hostile path is still checked (its B001 finding is still reported)."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest
from casefiles import GOOD_POWER

from powerlist.catalog.layout import discover
from powerlist.catalog.parse import read_and_parse
from powerlist.fsutil import read_inside, read_regular

SECRET = "ghp_SECRETTOKEN1234567890"
# A good power without basis: B001 must still be reported however hostile its neighbours are.
NO_BASIS = "id: SL-XK-002\nname: 排污许可\ncategory: 行政许可\nbody: city-water\nstatus: active\n"
FORMATS = ("text", "json", "sarif", "github", "junit")
POWERLIST = [sys.executable, "-c", "from powerlist.cli import main; main()"]
needs_fifo = pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="POSIX FIFOs")


@pytest.fixture
def cat(make_catalog):  # type: ignore[no-untyped-def]
    return make_catalog({"powers/water/SL-XK-001.yaml": "{{GOOD_POWER}}", "powers/water/SL-XK-002.yaml": NO_BASIS})


def _json(run_cli, root: Path, *extra: str) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    res = run_cli("check", root, "--format", "json", "--no-cache", *extra)
    assert res.exit_code in (0, 1), res.output
    return json.loads(res.stdout)


def _codes(doc: dict[str, Any]) -> set[tuple[str, str]]:
    return {(d["code"], d["path"]) for d in doc["diagnostics"]}


def _check_subprocess(root: Path, *extra: str, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    """A real process with a deadline: a FIFO that is opened would hang the run forever."""
    env = {**os.environ, "POWERLIST_LANG": "en"}
    env.pop("GITHUB_ACTIONS", None)
    return subprocess.run([*POWERLIST, "check", str(root), *extra],
                          capture_output=True, text=True, timeout=timeout, env=env)


# ------------------------------------------------------------------ item 2: links out of the catalogue


def test_link_outside_is_reported_and_never_read(cat: Path, run_cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    (tmp_path / "secret.env").write_bytes(f"GITHUB_TOKEN={SECRET}\xff\n".encode("latin-1"))
    (cat / "powers/water/leak.yaml").symlink_to("../../../secret.env")
    (cat / "powers/water/env.yaml").symlink_to("/proc/self/environ")
    os.environ["POWERLIST_TEST_SECRET"] = SECRET  # so /proc/self/environ holds it too
    try:
        outputs = [run_cli("check", cat, "--format", f, "--no-cache").output for f in FORMATS]
    finally:
        del os.environ["POWERLIST_TEST_SECRET"]
    for out in outputs:
        assert SECRET not in out and "GITHUB_TOKEN" not in out
    doc = _json(run_cli, cat)
    assert {("S022", "powers/water/leak.yaml"), ("S022", "powers/water/env.yaml"),
            ("B001", "powers/water/SL-XK-002.yaml")} <= _codes(doc)
    s022 = [d for d in doc["diagnostics"] if d["code"] == "S022"]
    assert {(d["line"], d["column"]) for d in s022} == {(1, 1)}
    assert not any(d["code"] == "S002" for d in doc["diagnostics"])  # the bytes were never decoded


def test_linked_folder_and_registry_outside_are_reported(cat: Path, run_cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    (outside / "SL-XK-003.yaml").write_text(f"id: {SECRET}\n", encoding="utf-8")
    (cat / "powers/stolen").symlink_to(outside)
    (cat / "decisions.yaml").unlink()
    (cat / "decisions.yaml").symlink_to(outside / "SL-XK-003.yaml")
    doc = _json(run_cli, cat)
    assert {("S022", "powers/stolen"), ("S022", "decisions.yaml"), ("B001", "powers/water/SL-XK-002.yaml")} <= _codes(doc)
    assert SECRET not in json.dumps(doc)


def test_link_inside_the_catalogue_is_read(cat: Path, run_cli) -> None:  # type: ignore[no-untyped-def]
    (cat / "powers/alias").symlink_to("water")  # a linked folder inside: walked like the folder
    codes = _codes(_json(run_cli, cat))
    assert ("B001", "powers/alias/SL-XK-002.yaml") in codes or ("B001", "powers/water/SL-XK-002.yaml") in codes
    assert not any(c.startswith("S02") for c, _ in codes)


def test_export_allow_errors_publishes_no_outside_bytes(cat: Path, run_cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    (tmp_path / "secret.env").write_text(f"TOKEN={SECRET}\n", encoding="utf-8")
    (cat / "powers/water/leak.yaml").symlink_to("../../../secret.env")
    out = tmp_path / "public"
    res = run_cli("export", cat, "--out", out, "--allow-errors")
    assert res.exit_code == 0, res.output
    published = [p for p in out.rglob("*") if p.is_file()]
    assert published and not any(SECRET.encode() in p.read_bytes() for p in published)
    assert not (out / "yaml/powers/water/leak.yaml").exists()
    assert (out / "yaml/powers/water/SL-XK-001.yaml").read_text(encoding="utf-8") == GOOD_POWER


def test_read_inside_refuses_a_path_that_leaves_the_root(tmp_path: Path) -> None:
    (tmp_path / "secret").write_text(SECRET, encoding="utf-8")
    root = tmp_path / "cat"
    root.mkdir()
    (root / "x.yaml").symlink_to("../secret")
    with pytest.raises(OSError):
        read_inside(root, "x.yaml")
    with pytest.raises(OSError):
        read_inside(root, "../secret")


def test_syntax_excerpt_is_short(cat: Path, run_cli) -> None:  # type: ignore[no-untyped-def]
    (cat / "powers/water/broken.yaml").write_text("id: X\nname: " + "取" * 300 + ": x\n", encoding="utf-8")
    out = run_cli("check", cat, "--no-cache", "--select", "S001").stdout
    source = [ln for ln in out.splitlines() if "│" in ln and "取" in ln]
    assert source, out
    shown = source[0].split("│", 1)[1].strip().strip("…")
    assert 0 < len(shown) <= 40


def test_no_excerpt_of_files_that_are_not_yaml(cat: Path, run_cli) -> None:  # type: ignore[no-untyped-def]
    # No "key:" line: the file is not plausibly YAML, so none of it is quoted.
    (cat / "powers/water/env.yaml").write_text(f"{{TOKEN={SECRET}\n", encoding="utf-8")
    # NUL bytes (S002) and GBK (S002): never quoted either.
    (cat / "powers/water/nul.yaml").write_bytes(f"token: {SECRET}\x00\n".encode())
    (cat / "powers/water/gbk.yaml").write_bytes(f"token: {SECRET} 行政许可\n".encode("gbk"))
    res = run_cli("check", cat, "--no-cache")
    codes = _codes(_json(run_cli, cat))
    assert {("S001", "powers/water/env.yaml"), ("S002", "powers/water/nul.yaml"),
            ("S002", "powers/water/gbk.yaml"), ("B001", "powers/water/SL-XK-002.yaml")} <= codes
    assert SECRET not in res.output


# ------------------------------------------------------------------ item 4: FIFOs and other special files


@needs_fifo
def test_fifo_power_and_registry_do_not_hang(cat: Path) -> None:
    os.mkfifo(cat / "powers/water/fifo.yaml")
    (cat / "bodies.yaml").rename(cat / "bodies.yml")
    os.mkfifo(cat / "bodies.yaml")  # the FIFO comes first; bodies.yml is still used
    for extra in (("--no-cache",), ()):  # the cached path stats and hashes files too
        res = _check_subprocess(cat, "--format", "json", *extra)
        assert res.returncode == 1, res.stderr
        doc = json.loads(res.stdout)
        assert {("S023", "powers/water/fifo.yaml"), ("S023", "bodies.yaml"),
                ("B001", "powers/water/SL-XK-002.yaml")} <= _codes(doc)
        assert not any(d["code"] == "R002" for d in doc["diagnostics"])  # bodies.yml was read


@needs_fifo
def test_fifo_in_export_and_other_commands_does_not_hang(cat: Path, tmp_path: Path) -> None:
    os.mkfifo(cat / "powers/water/fifo.yaml")
    env = {**os.environ, "POWERLIST_LANG": "en"}
    res = subprocess.run([*POWERLIST, "export", str(cat), "--out", str(tmp_path / "o"),
                          "--allow-errors"], capture_output=True, text=True, timeout=60, env=env)
    assert res.returncode == 0, res.stderr
    res = subprocess.run([*POWERLIST, "new", "--catalog", str(cat), "--id", "SL-XK-009",
                          "--name", "河道采砂许可", "--category", "行政许可", "--body", "city-water"],
                         capture_output=True, text=True, timeout=60, env=env)
    assert res.returncode == 0, res.stderr


@needs_fifo
def test_readers_refuse_a_fifo_at_open_time(tmp_path: Path) -> None:
    """A FIFO swapped in after discovery: every reader refuses it instead of waiting for a writer."""
    fifo = tmp_path / "x.yaml"
    os.mkfifo(fifo)
    with pytest.raises(OSError):
        read_regular(fifo)
    parsed = read_and_parse(str(fifo))
    assert parsed.data is None and parsed.problems[0].code == "S001"
    from powerlist.catalog.parallel import parse_one
    from powerlist.limits import Limits

    assert parse_one(str(tmp_path), "x.yaml", Limits()).parsed.data is None


def test_socket_and_dangling_link_are_reported(cat: Path, run_cli) -> None:  # type: ignore[no-untyped-def]
    (cat / "powers/water/gone.yaml").symlink_to("nowhere.yaml")
    sock = socket.socket(socket.AF_UNIX)
    try:
        sock.bind(str(cat / "powers/water/sock.yaml"))
        codes = _codes(_json(run_cli, cat))
    finally:
        sock.close()
    assert {("S023", "powers/water/gone.yaml"), ("S023", "powers/water/sock.yaml"),
            ("B001", "powers/water/SL-XK-002.yaml")} <= codes


@needs_fifo
def test_new_refused_path_changes_a_cached_result(cat: Path) -> None:
    """The cache never serves a result that misses a refused path added since."""
    first = json.loads(_check_subprocess(cat, "--format", "json").stdout)
    assert not any(d["code"] == "S023" for d in first["diagnostics"])
    os.mkfifo(cat / "powers/water/fifo.yaml")
    second = json.loads(_check_subprocess(cat, "--format", "json").stdout)
    assert ("S023", "powers/water/fifo.yaml") in _codes(second)


# ------------------------------------------------------------------ item 5: file names that are not UTF-8


@pytest.fixture
def bad_name(cat: Path) -> Path:
    fd = os.open(os.fsencode(cat / "powers/water") + b"/bad\xff\xfename.yaml", os.O_CREAT | os.O_WRONLY, 0o644)
    os.write(fd, NO_BASIS.replace("SL-XK-002", "SL-XK-003").replace("排污许可", "河道采砂许可").encode())
    os.close(fd)
    return cat


SHOWN = "powers/water/bad\\xff\\xfename.yaml"


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("cache", [True, False], ids=["cache", "no-cache"])
def test_non_utf8_file_name_in_every_format(bad_name: Path, run_cli, fmt: str, cache: bool) -> None:  # type: ignore[no-untyped-def]
    res = run_cli("check", bad_name, "--format", fmt, *(() if cache else ("--no-cache",)))
    assert res.exit_code == 1, res.output
    assert res.exception is None or isinstance(res.exception, SystemExit), res.exception
    out = res.stdout
    if fmt == "json":
        paths = {d["path"] for d in json.loads(out)["diagnostics"] if d["code"] == "B001"}
        assert paths == {SHOWN, "powers/water/SL-XK-002.yaml"}
    elif fmt == "sarif":
        results = json.loads(out)["runs"][0]["results"]
        uris = {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in results}
        assert any("bad%5Cxff%5Cxfename.yaml" in u for u in uris), uris
    elif fmt == "junit":
        names = {s.get("name") for s in ET.fromstring(out).iter("testsuite")}
        assert SHOWN in names
    else:
        assert SHOWN in out and "SL-XK-002.yaml" in out


def test_display_is_the_one_path_function() -> None:
    from powerlist.report import display

    assert display("powers/a/x.yaml") == "powers/a/x.yaml"
    assert display(os.fsdecode(b"bad\xff\xfe.yaml")) == "bad\\xff\\xfe.yaml"
    assert display("x\ud800") == "x\\ud800"  # a lone surrogate that is no escaped byte


# ------------------------------------------------------------------ item 7: ids of dots, hidden files


@pytest.mark.parametrize("bad", ["..", ".", ".x", "-x", "_x", "a/b", "x" * 65])
def test_new_refuses_ids_that_do_not_start_with_a_letter_or_digit(cat: Path, run_cli, bad: str) -> None:  # type: ignore[no-untyped-def]
    before = sorted(p for p in cat.rglob("*"))
    res = run_cli("new", "--catalog", cat, "--id", bad, "--name", "河道采砂许可", "--category", "行政许可",
                  "--body", "city-water")
    assert res.exit_code == 2, res.output
    assert "start with a letter or digit" in res.output
    assert sorted(p for p in cat.rglob("*")) == before  # nothing written, no hidden file


@pytest.mark.parametrize("good", ["SL-XK-009", "9A", "a", "A.b_c-d", "x" * 64])
def test_new_accepts_ids_starting_with_a_letter_or_digit(cat: Path, run_cli, good: str) -> None:  # type: ignore[no-untyped-def]
    res = run_cli("new", "--catalog", cat, "--id", good, "--name", "河道采砂许可", "--category", "行政许可",
                  "--body", "city-water")
    assert res.exit_code == 0, res.output
    assert (cat / "powers/city-water" / f"{good}.yaml").is_file()


def test_new_refuses_a_body_id_that_climbs_out(make_catalog, run_cli) -> None:  # type: ignore[no-untyped-def]
    root = make_catalog({"bodies.yaml": "- id: ../..\n  name: 某局\n  level: 市级\n  enforcement: true\n"})
    res = run_cli("new", "--catalog", root, "--id", "SL-XK-009", "--name", "河道采砂许可", "--category", "行政许可",
                  "--body", "../..")
    assert res.exit_code == 2, res.output
    assert not (root.parent / "SL-XK-009.yaml").exists()


@pytest.mark.parametrize(("ident", "bad"), [("..", True), (".x", True), ("-x", True), ("1A", False), ("SL-XK-002", False)])
def test_s015_ids_start_with_a_letter_or_digit(make_catalog, run_cli, ident: str, bad: bool) -> None:  # type: ignore[no-untyped-def]
    root = make_catalog({"powers/water/p.yaml": NO_BASIS.replace("SL-XK-002", ident)})
    codes = _codes(_json(run_cli, root))
    assert (("S015", "powers/water/p.yaml") in codes) is bad
    assert ("B001", "powers/water/p.yaml") in codes  # checked either way


def test_hidden_and_backup_files_are_reported_not_skipped_silently(cat: Path, run_cli) -> None:  # type: ignore[no-untyped-def]
    (cat / "powers/water/...yaml").write_text(NO_BASIS.replace("SL-XK-002", ".."), encoding="utf-8")
    (cat / "powers/.hidden").mkdir()
    (cat / "powers/.hidden/SL-XK-005.yaml").write_text(NO_BASIS, encoding="utf-8")
    (cat / "powers/water/SL-XK-002.yaml~").write_text(NO_BASIS, encoding="utf-8")
    (cat / "powers/water/README.md").write_text("# notes\n", encoding="utf-8")
    doc = _json(run_cli, cat)
    s024 = {d["path"]: d for d in doc["diagnostics"] if d["code"] == "S024"}
    assert set(s024) == {"powers/water/...yaml", "powers/.hidden", "powers/water/SL-XK-002.yaml~"}
    assert all(d["severity"] == "warning" and (d["line"], d["column"]) == (1, 1) for d in s024.values())
    assert ("B001", "powers/water/SL-XK-002.yaml") in _codes(doc)


# ------------------------------------------------------------------ item 10: folders where files belong


@pytest.mark.parametrize("name", ["bodies.yaml", "laws.yaml"])
def test_registry_that_is_a_folder_is_reported(cat: Path, run_cli, name: str) -> None:  # type: ignore[no-untyped-def]
    (cat / name).unlink()
    (cat / name).mkdir()
    doc = _json(run_cli, cat)
    s025 = [d for d in doc["diagnostics"] if d["code"] == "S025"]
    assert [(d["path"], d["line"], d["column"], d["severity"]) for d in s025] == [(name, 1, 1, "error")]
    assert name in s025[0]["message"]
    assert ("B001", "powers/water/SL-XK-002.yaml") in _codes(doc) or name == "laws.yaml"


def test_config_that_is_a_folder_is_an_error(cat: Path, run_cli) -> None:  # type: ignore[no-untyped-def]
    (cat / "powerlist.toml").mkdir()
    for args in (("check", cat), ("new", "--catalog", cat, "--id", "SL-XK-009", "--name", "河道采砂许可",
                                  "--category", "行政许可", "--body", "city-water")):
        res = run_cli(*args)
        assert res.exit_code == 2, res.output
        assert "powerlist.toml is a folder" in res.output
    from powerlist.config import ConfigError, load_settings

    with pytest.raises(ConfigError, match="is a folder"):
        load_settings(cat)


@needs_fifo
def test_config_that_is_a_fifo_is_an_error_not_a_hang(cat: Path) -> None:
    os.mkfifo(cat / "powerlist.toml")
    res = _check_subprocess(cat, timeout=60)
    assert res.returncode == 2 and "not a regular file" in res.stderr + res.stdout


def test_config_link_outside_is_an_error(cat: Path, tmp_path: Path) -> None:
    (tmp_path / "other.toml").write_text('region = "x"\n', encoding="utf-8")
    (cat / "powerlist.toml").symlink_to(tmp_path / "other.toml")
    from powerlist.config import ConfigError, load_settings

    with pytest.raises(ConfigError, match="outside the catalogue"):
        load_settings(cat)
    assert load_settings(cat, tmp_path / "other.toml").source is not None  # --config may live anywhere


def test_discovery_opens_nothing_and_lists_refusals(cat: Path) -> None:
    (cat / "powers/water/gone.yaml").symlink_to("nowhere.yaml")
    found = discover(cat)
    assert ("powers/water/SL-XK-002.yaml", "power") in found
    assert [(r.rel, r.code) for r in found.refused] == [("powers/water/gone.yaml", "S023")]


def test_non_utf8_file_name_in_a_baseline(bad_name: Path, run_cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    base = tmp_path / "baseline.json"
    res = run_cli("check", bad_name, "--no-cache", "--write-baseline", base)
    assert res.exit_code == 0, res.output
    fingerprints = [f["fingerprint"] for f in json.loads(base.read_text(encoding="utf-8"))["findings"]]
    assert any(SHOWN in fp for fp in fingerprints), fingerprints
    doc = _json(run_cli, bad_name, "--baseline", base)
    assert doc["summary"]["errors"] == 0 and doc["summary"]["baselined"] >= 2

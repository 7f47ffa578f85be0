"""The replay (powerlist/replay.py): an unchanged re-run of ``check`` prints what the last identical
run printed, and never anything else. After every edit step the output (and exit status) is
compared with a full run that uses no cache at all, as tests/test_cache.py does for the cache."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from casefiles import GOOD_POWER

from powerlist import replay, signing
from powerlist.__main__ import main

# Trust stat signatures 50 ms old instead of 2 s (git's racy-clean rule, signing.RACY_NS): each
# step sleeps past it, so the edits that follow land in a later clock tick than the signatures.
RACY_NS = 50_000_000


def _power(i: int) -> str:
    return GOOD_POWER.replace("SL-XK-001", f"SL-XK-{i:03d}").replace("name: 取水许可", f"name: 取水许可{i}")


@pytest.fixture
def catalog(make_catalog, monkeypatch: pytest.MonkeyPatch) -> Path:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(signing, "RACY_NS", RACY_NS)
    monkeypatch.setattr(replay, "_stdout_is_terminal", lambda: False)  # also under pytest -s
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
    files: dict[str, str | None] = {f"powers/water/SL-XK-{i:03d}.yaml": _power(i) for i in range(1, 8)}
    files["powers/water/dup.yaml"] = _power(1)  # a duplicate id: findings, exit 1
    root: Path = make_catalog(files)
    # as after a first run: creating the cache folder changes the catalogue folder (its mtime is
    # then too young to trust for one run)
    (root / ".powerlist_cache").mkdir()
    _settle()
    return root


def _settle() -> None:
    time.sleep(RACY_NS * 2 / 1e9)


class Run:
    def __init__(self, code: int, out: str, replayed: bool) -> None:
        self.code, self.out, self.replayed = code, out, replayed


@pytest.fixture
def run(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]):  # type: ignore[no-untyped-def]
    """run("check", path, ...) through the console script's main(): exit status, stdout, and
    whether the replay answered."""
    real = replay.serve

    def go(*args: object) -> Run:
        answered: list[bool] = []

        def spy(req: replay.Request) -> int | None:
            code = real(req)
            answered.append(code is not None)
            return code

        monkeypatch.setattr(replay, "serve", spy)
        monkeypatch.setattr(sys, "argv", ["powerlist", *(str(a) for a in args)])
        capsys.readouterr()
        with pytest.raises(SystemExit) as exc:
            main()
        code = exc.value.code
        return Run(code if isinstance(code, int) else 0, capsys.readouterr().out, any(answered))

    return go


def _oracle(run, root: Path, *opts: object) -> Run:  # type: ignore[no-untyped-def]
    """The same command with no cache at all: what the replay must print."""
    fresh = run("check", root, *opts, "--no-cache")
    assert not fresh.replayed
    return fresh


def _twice(run, root: Path, *opts: object, fresh: bool = True) -> Run:  # type: ignore[no-untyped-def]
    """A run that records (every input settled first, so old enough to be trusted), then a re-run
    that must be replayed with the same output. ``fresh``: nothing was recorded for this command
    yet, so the first run is a full one (after an edit, a slow run may already have recorded)."""
    _settle()
    first = run("check", root, *opts)
    assert not (fresh and first.replayed)
    again = run("check", root, *opts)
    assert again.replayed, "an unchanged re-run was not replayed"
    assert (again.code, again.out) == (first.code, first.out)
    expected = _oracle(run, root, *opts)
    assert (again.code, again.out) == (expected.code, expected.out)
    return again


@pytest.mark.parametrize("fmt", ["text", "json", "sarif", "github", "junit"])
def test_every_format_is_replayed_exactly(catalog: Path, run, fmt: str) -> None:  # type: ignore[no-untyped-def]
    got = _twice(run, catalog, "--format", fmt)
    assert got.code == 1 and got.out


def test_quiet_strict_and_selection_are_part_of_the_command(catalog: Path, run) -> None:  # type: ignore[no-untyped-def]
    _twice(run, catalog, "-q")
    _twice(run, catalog, "--select", "D", "--strict", "-f", "json")
    # another command line is never answered with the first one's output
    other = run("check", catalog, "--ignore", "D", "-f", "json")
    assert not other.replayed and other.code == 0


def test_never_stale_after_edits(catalog: Path, run) -> None:  # type: ignore[no-untyped-def]
    def step() -> None:
        """The edited catalogue is not replayed, the next run is, and both match the oracle."""
        got = run("check", catalog, "-f", "json")
        assert not got.replayed
        want = _oracle(run, catalog, "-f", "json")
        assert (got.code, got.out) == (want.code, want.out)
        _twice(run, catalog, "-f", "json", fresh=False)

    _twice(run, catalog, "-f", "json")
    p = catalog / "powers/water/SL-XK-002.yaml"
    st = p.stat()
    # same size and mtime, new content: only the ctime tells
    p.write_text(p.read_text(encoding="utf-8").replace("category: 行政许可", "category: 行政审批"), encoding="utf-8")
    os.utime(p, ns=(st.st_atime_ns, st.st_mtime_ns))
    assert p.stat().st_size == st.st_size
    step()
    os.rename(p, catalog / "powers/water/renamed.yaml")
    step()
    (catalog / "powers/water/SL-XK-003.yaml").unlink()
    step()
    (catalog / "powers/water/new.yaml").write_text("id: SL-XK-099\nname: x\n", encoding="utf-8")
    step()
    (catalog / "powers/deep/deeper").mkdir(parents=True)
    (catalog / "powers/deep/deeper/SL-XK-050.yaml").write_text(_power(50), encoding="utf-8")
    step()
    (catalog / "powers/deep/deeper/SL-XK-050.yaml").write_text(_power(1), encoding="utf-8")  # now a duplicate
    step()
    (catalog / "powers/.hidden").mkdir()
    (catalog / "powers/.hidden/x.yaml").write_text(_power(60), encoding="utf-8")  # S024: refused by name
    got = run("check", catalog, "-f", "json")
    want = _oracle(run, catalog, "-f", "json")
    assert not got.replayed and (got.code, got.out) == (want.code, want.out)
    (catalog / "powers/.hidden/x.yaml").unlink()
    (catalog / "powers/.hidden").rmdir()
    step()
    bodies = catalog / "bodies.yaml"
    bodies.write_text(bodies.read_text(encoding="utf-8").replace("id: city-water", "id: city-water2"), encoding="utf-8")
    step()
    (catalog / "powerlist.toml").write_text('[check]\nignore = ["D"]\n', encoding="utf-8")
    step()
    (catalog / "powerlist.toml").write_text('[check]\nignore = ["S"]\n', encoding="utf-8")
    step()


def test_what_lies_outside_the_catalogue_is_part_of_the_proof(
    catalog: Path, run, monkeypatch: pytest.MonkeyPatch, tmp_path: Path,  # type: ignore[no-untyped-def]
) -> None:
    def missed_then_replayed() -> None:
        got = run("check", catalog, "-f", "text")
        want = _oracle(run, catalog, "-f", "text")
        assert not got.replayed and (got.code, got.out) == (want.code, want.out)
        again = run("check", catalog, "-f", "text")
        assert again.replayed and (again.code, again.out) == (want.code, want.out)

    _twice(run, catalog, "-f", "text")
    monkeypatch.setenv("COLUMNS", "61")  # the text report's width
    missed_then_replayed()
    monkeypatch.chdir(tmp_path)  # text names files from the current folder
    missed_then_replayed()
    monkeypatch.setattr(replay, "_today", lambda: "2099-01-01")  # waivers expire by the day
    missed_then_replayed()
    monkeypatch.setattr(replay, "code_fingerprint", lambda: "another powerlist")
    missed_then_replayed()


def test_a_configuration_given_with_config_is_watched(catalog: Path, run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    cfg = tmp_path / "ci.toml"
    cfg.write_text('[check]\nignore = ["D"]\n', encoding="utf-8")
    _settle()
    assert _twice(run, catalog, "--config", cfg, "-f", "json").code == 0
    cfg.write_text('[check]\nignore = ["S"]\n', encoding="utf-8")
    got = run("check", catalog, "--config", cfg, "-f", "json")
    assert not got.replayed and got.code == 1


def test_young_files_are_not_trusted(catalog: Path, run, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(signing, "RACY_NS", 10_000_000_000)  # however slow the run, the edit stays young
    (catalog / "powers/water/SL-XK-004.yaml").write_text(_power(40), encoding="utf-8")
    run("check", catalog, "-f", "json")  # the file changed just now: nothing is recorded
    assert not run("check", catalog, "-f", "json").replayed


@pytest.mark.parametrize("extra", [("--no-cache",), ("--output", "OUT"), ("--workers", "1"), ("--upper", "UP")])
def test_other_command_lines_take_the_full_path(catalog: Path, run, tmp_path: Path, extra: tuple[str, ...]) -> None:  # type: ignore[no-untyped-def]
    args = [str(tmp_path / "out.txt") if a == "OUT" else str(catalog) if a == "UP" else a for a in extra]
    for _ in range(2):
        got = run("check", catalog, *args)
        assert not got.replayed
    assert not (catalog / ".powerlist_cache" / replay.NAME).exists()


def test_links_and_upper_lists_are_never_recorded(catalog: Path, run) -> None:  # type: ignore[no-untyped-def]
    (catalog / "powers/water/link.yaml").symlink_to(catalog / "powers/water/SL-XK-001.yaml")
    _settle()
    for _ in range(2):
        assert not run("check", catalog, "-f", "json").replayed
    (catalog / "powers/water/link.yaml").unlink()
    (catalog / "powerlist.toml").write_text(f'[upper]\ncatalogues = ["{catalog.as_posix()}"]\n', encoding="utf-8")
    _settle()
    for _ in range(2):
        assert not run("check", catalog, "-f", "json").replayed


def test_a_record_not_signed_by_this_user_is_ignored(catalog: Path, run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    _twice(run, catalog, "-f", "json")
    record = catalog / ".powerlist_cache" / replay.NAME
    forged = bytearray(record.read_bytes())
    forged[-2] ^= 1  # any change to what was signed breaks the signature
    record.write_bytes(bytes(forged))
    assert not run("check", catalog, "-f", "json").replayed
    # a FIFO or a link to a device in its place neither hangs nor fills memory
    record.unlink()
    os.mkfifo(record)
    assert not run("check", catalog, "-f", "json").replayed
    record.unlink()
    record.symlink_to("/dev/zero")
    assert not run("check", catalog, "-f", "json").replayed


def test_runs_that_could_not_happen_are_not_recorded(catalog: Path, run) -> None:  # type: ignore[no-untyped-def]
    for _ in range(2):
        got = run("check", catalog, "--select", "NOPE")
        assert got.code == 2 and not got.replayed


def test_a_replayed_run_loads_neither_typer_nor_pydantic(catalog: Path, tmp_path: Path) -> None:
    """The console script itself, in a fresh interpreter (with the real two-second rule)."""
    probe = ("import atexit, sys\n"
             "atexit.register(lambda: print(sorted({m.split('.')[0] for m in sys.modules} & "
             "{'typer', 'pydantic', 'rich', 'ruamel', 'orjson'}), file=sys.stderr))\n"
             "from powerlist.__main__ import main\nmain()\n")
    env = {**os.environ, "GITHUB_ACTIONS": ""}

    def once() -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-c", probe, "check", str(catalog), "-f", "json"],
                              capture_output=True, text=True, env=env, check=False)

    time.sleep(2.1)  # the real two-second rule: that process does not see this one's monkeypatch
    first = once()
    again = once()
    assert again.returncode == first.returncode == 1
    assert again.stdout == first.stdout and first.stdout.startswith("{")
    assert "typer" in first.stderr
    assert again.stderr.strip() == "[]", again.stderr

"""kill -9 of a check while its pool parses leaves no worker behind (issue 9, item 8).

Each worker has two guards: on Linux the kernel kills it with its parent (PR_SET_PDEATHSIG), and
everywhere a watcher thread ends it once its parent id changes. Each guard is tested alone.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from casefiles import GOOD_POWER

# Small files: the workers parse faster than the main process validates, so they spend most of
# the run waiting for the next chunk — where an orphan blocks forever (its siblings hold the
# queue's pipe open, so it never sees end of file).
N_FILES = 3000

_RUNNER = """
import sys
import powerlist.catalog.parallel as par
if sys.argv[1] == "watcher":
    par._pdeathsig = lambda: None   # only the portable fallback is left
    par.ORPHAN_POLL_SECONDS = 0.2
from powerlist.cli import main
sys.argv = ["powerlist", "check", sys.argv[2], "--no-cache", "--workers", "2", "-q"]
main()
"""


@pytest.fixture(scope="module")
def big_catalog(tmp_path_factory: pytest.TempPathFactory) -> Path:
    import shutil

    from casefiles import BASE

    root = tmp_path_factory.mktemp("orphans") / "cat"
    shutil.copytree(BASE, root)
    folder = root / "powers" / "water"
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(N_FILES):
        text = GOOD_POWER.replace("SL-XK-001", f"SL-XK-{i:05d}").replace("name: 取水许可", f"name: 取水许可{i}")
        (folder / f"SL-XK-{i:05d}.yaml").write_text(text, encoding="utf-8")
    return root


def _procs() -> dict[int, tuple[int, int]]:
    """pid -> (ppid, process group), from /proc."""
    out: dict[int, tuple[int, int]] = {}
    for name in os.listdir("/proc"):
        if not name.isdigit():
            continue
        try:
            with open(f"/proc/{name}/stat", "rb") as fh:
                stat = fh.read()
        except OSError:
            continue  # gone meanwhile
        fields = stat[stat.rindex(b")") + 2:].split()
        if fields[0] != b"Z":  # a zombie is dead already
            out[int(name)] = (int(fields[1]), int(fields[2]))
    return out


def _wait_for(pred, timeout: float) -> bool:  # type: ignore[no-untyped-def]
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if pred():
            return True
        time.sleep(0.02)
    return bool(pred())


@pytest.mark.skipif(not os.path.isdir("/proc"), reason="reads processes from /proc")
@pytest.mark.parametrize("guard", ["prctl", "watcher"])
def test_kill_9_during_parsing_leaves_no_worker(big_catalog: Path, guard: str) -> None:
    if guard == "prctl" and not sys.platform.startswith("linux"):
        pytest.skip("PR_SET_PDEATHSIG is Linux only")
    proc = subprocess.Popen([sys.executable, "-c", _RUNNER, guard, str(big_catalog)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    group = proc.pid  # its own session: every process it forks stays in this group

    def workers() -> list[int]:
        return [pid for pid, (ppid, _) in _procs().items() if ppid == proc.pid]

    def survivors() -> list[int]:
        return [pid for pid, (_, pgid) in _procs().items() if pgid == group and pid != proc.pid]

    try:
        assert _wait_for(lambda: len(workers()) >= 2, 60), "the pool never started"
        time.sleep(0.3)  # the workers are parsing now
        seen = workers()
        assert proc.poll() is None and len(seen) >= 2, "the run ended before it could be killed"
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
        assert _wait_for(lambda: not survivors(), 10), f"workers outlived their parent: {survivors()}"
    finally:
        for pid in survivors():
            os.kill(pid, signal.SIGKILL)  # never leave them to the next test
        if proc.poll() is None:
            proc.kill()
            proc.wait()

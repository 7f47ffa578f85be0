"""Wall time and peak memory of a command run as a subprocess.

Peak memory of the process comes from GNU ``/usr/bin/time -f %M`` wrapped around the command. Not
from ``getrusage(RUSAGE_CHILDREN)`` deltas (the maximum over every child so far), and not from
``os.wait4`` on a child of this process either: Linux carries the ``ru_maxrss`` high-water mark
across ``exec``, so every child would report at least this (large) benchmark process's own size.
``time`` is a small parent, so what it reports is the command's own peak. ``os.wait4`` is the
fallback where ``/usr/bin/time`` is missing.

A process pool's workers live at the same time, so their sum can exceed any single process's peak:
a sampler thread also adds up the proportional set size (PSS, shared pages counted once) of the
whole process tree from ``/proc`` while it has more than one process. The larger figure is reported.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import tempfile
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

SAMPLE_EVERY = 0.02  # seconds, during the first two seconds
TIME_BIN = "/usr/bin/time"
PYTHON_CRASH = "Traceback (most recent call last)"


@dataclass
class Measurement:
    wall: float  # seconds, all commands together
    peak: int  # bytes
    returncodes: list[int]
    timed_out: bool = False
    stderr: str = ""  # tail of the last failing command's stderr
    error: str = ""  # why the run does not count although its exit code looks fine (a traceback, bad output)

    def failed(self, ok: Sequence[int] = (0, 1)) -> bool:
        return self.timed_out or bool(self.error) or any(rc not in ok for rc in self.returncodes)


def _children(pid: int) -> list[int]:
    out: list[int] = []
    try:
        for tid in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{tid}/children") as fh:
                out.extend(int(c) for c in fh.read().split())
    except (OSError, ValueError):
        pass
    return out


def _field_kb(path: str, name: str) -> int | None:
    """A ``Name:  123 kB`` line of a /proc file, in kB; None when the file or line is missing."""
    try:
        with open(path) as fh:
            for line in fh:
                if line.startswith(name):
                    return int(line.split()[1])
    except (OSError, ValueError):
        pass
    return None


def _memory(pid: int) -> int:
    """PSS of one process in bytes (RSS where smaps_rollup is unavailable); 0 once it is gone."""
    kb = _field_kb(f"/proc/{pid}/smaps_rollup", "Pss:")
    if kb is None:
        kb = _field_kb(f"/proc/{pid}/status", "VmRSS:")
    return (kb or 0) * 1024


def tree_memory(pid: int) -> int:
    """Memory of a process and all its descendants, now."""
    total, todo = 0, [pid]
    while todo:
        p = todo.pop()
        total += _memory(p)
        todo.extend(_children(p))
    return total


class _Sampler(threading.Thread):
    def __init__(self, pid: int) -> None:
        super().__init__(daemon=True)
        self.pid = pid
        self.peak = 0
        self.stop = threading.Event()

    def run(self) -> None:
        start = time.perf_counter()
        # Often at first (short runs), then every 0.1 s: reading PSS is not free on a shared machine.
        while not self.stop.wait(SAMPLE_EVERY if time.perf_counter() - start < 2 else 0.1):
            if _children(self.pid):  # alone, the process's own ru_maxrss is exact and free
                self.peak = max(self.peak, tree_memory(self.pid))


def run_one(cmd: Sequence[str], cwd: Path | None = None, timeout: float | None = None,
            env: dict[str, str] | None = None, stdout: Path | None = None) -> tuple[float, int, int, bool, str]:
    """(wall s, peak bytes, exit code, timed out, stderr tail) of one command; stdout goes to the
    file ``stdout`` or is discarded."""
    with tempfile.TemporaryFile() as err, tempfile.NamedTemporaryFile("r", suffix=".maxrss") as rss:
        wrapped = [TIME_BIN, "-f", "%M", "-o", rss.name, *cmd] if os.access(TIME_BIN, os.X_OK) else list(cmd)
        out = open(stdout, "wb") if stdout is not None else subprocess.DEVNULL  # noqa: SIM115 - closed below
        start = time.perf_counter()
        proc = subprocess.Popen(wrapped, cwd=cwd, env=env, stdin=subprocess.DEVNULL, stdout=out,
                                stderr=err, start_new_session=True)
        sampler = _Sampler(proc.pid)
        sampler.start()
        killed = threading.Event()

        def kill() -> None:
            killed.set()
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGKILL)  # the whole session: a pool's workers too

        timer = threading.Timer(timeout, kill) if timeout else None
        if timer:
            timer.start()
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - start
        if timer:
            timer.cancel()
        sampler.stop.set()
        sampler.join()
        proc.returncode = rc = os.waitstatus_to_exitcode(status)  # reaped here, so Popen must not wait again
        if not isinstance(out, int):
            out.close()
        err.seek(0)
        tail = err.read()[-2000:].decode("utf-8", "replace")
        own = usage.ru_maxrss * 1024
        if wrapped[0] == TIME_BIN:
            # "%M" is the last line; time writes "Command exited with non-zero status N" before it.
            lines = rss.read().split()
            own = int(lines[-1]) * 1024 if lines and lines[-1].isdigit() else 0
    return wall, max(own, sampler.peak), rc, killed.is_set(), tail


def measure(cmds: Sequence[Sequence[str]], cwd: Path | None = None, timeout: float | None = None,
            env: dict[str, str] | None = None, stdout: Path | None = None) -> Measurement:
    """Run commands one after another as one task (e.g. a tool given its files in batches);
    ``stdout`` keeps the last command's output."""
    m = Measurement(0.0, 0, [])
    for cmd in cmds:
        left = None if timeout is None else timeout - m.wall
        if left is not None and left <= 0:
            m.timed_out = True
            return m
        w, p, rc, timed_out, tail = run_one(cmd, cwd, left, env, stdout)
        m.wall += w
        m.peak = max(m.peak, p)
        m.returncodes.append(rc)
        if rc not in (0, 1):
            m.stderr = tail
        elif PYTHON_CRASH in tail:  # a Python tool that crashes exits 1, like one that found problems
            m.stderr, m.error = tail, "traceback on stderr"
        if timed_out:
            m.timed_out = True
            return m
    return m

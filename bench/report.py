"""Benchmark results -> one rich table on the terminal and the same table, the machine and the
growth of cold times in ``docs/performance.md``. Only the sections between ``<!-- bench:NAME -->``
markers are rewritten; the hand-written text around them stays."""

from __future__ import annotations

import itertools
import math
import os
import platform
import re
import statistics
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from bench.measure import Measurement

MB = 1024 * 1024

# Targets of issue 5 (this 2-core machine, same run).
COLD_2500_S = 2.0
COLD_100K_S = 90.0
PEAK_100K_BYTES = 2 * 1024 * MB
WARM_SHARE = 0.10
EXPORT_2500_S = 10.0
# Targets of issue 15.
COLD_2500_S_15 = 0.5
UNCHANGED_2500_S = 0.15
COLD_100K_S_15 = 15.0
PEAK_100K_BYTES_15 = 1.5 * 1024 * MB
EDITED_SHARE = 0.10  # at 25,000 and 100,000
PEERS_ELSEWHERE = "measured elsewhere at 100,000: yamllint 1,723 s, check-jsonschema 1,367 s"


@dataclass
class Row:
    size: int
    task: str  # key, e.g. "check-cold"
    label: str  # what the table shows
    runs: list[Measurement] = field(default_factory=list)
    note: str = ""
    skipped: str = ""  # why the task did not run (shown instead of figures)
    stale: set[int] = field(default_factory=set)  # runs whose cache was invalidated by a code change
    summaries: list[tuple[int, int, int]] = field(default_factory=list)  # powerlist's (entries, errors, warnings)

    @property
    def ok_runs(self) -> list[Measurement]:
        """Runs that count: finished, and (when any is left) not invalidated by a code change."""
        ok = [m for m in self.runs if not m.timed_out and not m.error]
        fresh = [m for i, m in enumerate(self.runs) if m in ok and i not in self.stale]
        return fresh or ok

    @property
    def peak(self) -> int | None:
        return max((m.peak for m in self.ok_runs), default=None)

    @property
    def wall(self) -> float | None:
        ok = self.ok_runs
        return statistics.median(m.wall for m in ok) if ok else None

    @property
    def spread(self) -> str:
        ok = [m.wall for m in self.ok_runs]
        return f"{min(ok):.2f}–{max(ok):.2f}" if len(ok) > 1 else ""

    @property
    def timed_out(self) -> bool:
        return any(m.timed_out for m in self.runs)


@dataclass
class Verdict:
    text: str
    ok: bool | None  # None: information only


def _find(rows: list[Row], size: int, task: str) -> Row | None:
    return next((r for r in rows if r.size == size and r.task == task), None)


def verdicts(row: Row, rows: list[Row]) -> list[Verdict]:
    """The issue's targets that apply to this row, each judged against this run's figures."""
    out: list[Verdict] = []
    wall, peak = row.wall, row.peak
    if wall is None:
        return out
    cold = _find(rows, row.size, "check-cold")
    if any(m.error for m in row.runs):
        out.append(Verdict("runs that crashed or wrote no report are left out", False))
    if row is not cold and cold is not None and cold.summaries and row.summaries:
        # Every re-run checks the same findings (the bench's edit only rewords a 责任事项 line).
        same = set(row.summaries) == set(cold.summaries) and len(set(cold.summaries)) == 1
        out.append(Verdict("same findings as cold" if same else "findings differ from cold!", same))
    if row.task == "check-cold" and row.size in (2500, 100_000):
        target = COLD_2500_S_15 if row.size == 2500 else COLD_100K_S_15
        out.append(Verdict(f"≤ {target:g} s (issue 15)", wall <= target))
    if row.task == "check-unchanged" and row.size == 2500:
        out.append(Verdict(f"≤ {UNCHANGED_2500_S:g} s (issue 15)", wall <= UNCHANGED_2500_S))
    if row.task == "check-edited" and row.size >= 25_000 and cold is not None and cold.wall:
        out.append(Verdict(f"≤ {EDITED_SHARE:.0%} of cold (issue 15)", wall / cold.wall <= EDITED_SHARE))
    if row.task == "fmt-check" and cold is not None and cold.wall:
        out.append(Verdict(f"≤ check cold ({cold.wall:.2f} s, issue 15)", wall <= cold.wall))
    if row.task == "check-cold":
        if row.size == 2500:
            out.append(Verdict(f"≤ {COLD_2500_S:g} s", wall <= COLD_2500_S))
        if row.size == 100_000:
            out.append(Verdict(f"≤ {COLD_100K_S:g} s", wall <= COLD_100K_S))
            lint = _find(rows, row.size, "yamllint")
            if lint is not None and lint.wall is not None and not lint.timed_out:
                out.append(Verdict(f"≤ yamllint ({lint.wall:.0f} s)", wall <= lint.wall))
            elif lint is not None and lint.timed_out:
                out.append(Verdict("≤ yamllint (it timed out)", True))
            else:
                out.append(Verdict("≤ yamllint: not run here (--peers-on 100000)", None))
    if row.size == 100_000 and row.task.startswith("check-") and peak is not None:
        out.append(Verdict("peak ≤ 2 GB", peak <= PEAK_100K_BYTES))
        out.append(Verdict("peak ≤ 1.5 GB (issue 15)", peak <= PEAK_100K_BYTES_15))
    if cold is not None and cold.wall and row.task in ("check-unchanged", "check-touched", "check-edited",
                                                       "check-edited-cross"):
        share = wall / cold.wall
        if row.task == "check-unchanged":
            out.append(Verdict(f"≤ 10 % of cold ({share:.0%})", share <= WARM_SHARE))
        else:
            out.append(Verdict(f"{share:.0%} of cold", None))
    if row.task == "check-1-worker" and cold is not None and cold.wall:
        out.append(Verdict(f"cold with default workers takes {cold.wall / wall:.0%} of this", None))
    if row.task == "export" and row.size == 2500:
        out.append(Verdict(f"≤ {EXPORT_2500_S:g} s", wall <= EXPORT_2500_S))
    return out


def _mark(v: Verdict) -> str:
    return v.text if v.ok is None else f"{v.text} {'✓ pass' if v.ok else '✗ FAIL'}"


@dataclass
class Cell:
    size: str
    task: str
    runs: str
    wall: str
    spread: str
    peak: str
    ratio: str
    targets: str


def cells(rows: list[Row]) -> list[Cell]:
    out: list[Cell] = []
    for row in rows:
        floor = _find(rows, row.size, "floor-read")
        base = Cell(f"{row.size:,}", row.label + (f" ({row.note})" if row.note else ""), "", "", "", "", "", "")
        if row.skipped:
            base.targets = row.skipped
            out.append(base)
            continue
        wall = row.wall
        base.runs = str(len(row.runs)) if not row.stale else f"{len(row.ok_runs)} of {len(row.runs)}"
        if wall is None:
            if row.timed_out:
                base.wall = f"> {row.runs[0].wall:.0f} (timeout)"
            else:
                base.wall = "failed" if row.runs else "—"
        else:
            base.wall = f"{wall:.2f}" if wall < 100 else f"{wall:.0f}"
            if row.timed_out:
                base.wall += " (some runs timed out)"
        base.spread = row.spread
        base.peak = f"{row.peak / MB:,.0f}" if row.peak else "—"
        if wall is not None and floor is not None and floor.wall:
            base.ratio = f"×{wall / floor.wall:,.1f}"
        base.targets = " · ".join(_mark(v) for v in verdicts(row, rows))
        out.append(base)
    return out


HEAD = ("size", "task", "runs", "median wall s", "min–max s", "peak MB", "× read floor", "targets")


def print_table(rows: list[Row], title: str) -> None:
    from rich.console import Console
    from rich.table import Table

    table = Table(title=title, title_justify="left")
    for h in HEAD:
        table.add_column(h, justify="right" if h in ("size", "runs", "median wall s", "peak MB", "× read floor") else "left")
    last = None
    for c in cells(rows):
        if last is not None and c.size != last:
            table.add_section()
        last = c.size
        style = "red" if "FAIL" in c.targets else None
        table.add_row(c.size, c.task, c.runs, c.wall, c.spread, c.peak, c.ratio, c.targets, style=style)
    console = Console()
    if not console.is_terminal:  # a log file or pipe: do not squeeze the table into 80 columns
        console = Console(width=170)
    console.print(table)


def markdown_table(rows: list[Row]) -> str:
    lines = ["| " + " | ".join(HEAD) + " |", "|" + "|".join("---:" if h in ("size", "runs", "median wall s", "peak MB",
                                                                              "× read floor") else "---" for h in HEAD) + "|"]
    for c in cells(rows):
        lines.append("| " + " | ".join(x.replace("|", "\\|") for x in
                                        (c.size, c.task, c.runs, c.wall, c.spread, c.peak, c.ratio, c.targets)) + " |")
    return "\n".join(lines)


def growth(rows: list[Row], tasks: tuple[str, ...] = ("check-cold", "floor-libyaml", "floor-read")) -> str:
    """How cold time grows with size: the ratio of each step to linear growth, and the fitted exponent."""
    out: list[str] = []
    for task in tasks:
        pts = sorted((r.size, r.wall, r.label) for r in rows if r.task == task and r.wall)
        if len(pts) < 2:
            continue
        label = pts[0][2]
        steps = []
        for (n1, t1, _), (n2, t2, _) in itertools.pairwise(pts):
            ratio = (t2 / t1) / (n2 / n1)
            exp = math.log(t2 / t1) / math.log(n2 / n1)
            steps.append(f"{n1:,} → {n2:,}: ×{t2 / t1:.1f} time for ×{n2 / n1:g} powers "
                         f"(= {ratio:.2f} × linear, exponent {exp:.2f})")
        per_k = ", ".join(f"{t / n * 1000 * 1000:.0f} ms per 1,000 at {n:,}" for n, t, _ in pts)
        out.append(f"- **{label}**: " + "; ".join(steps) + f". {per_k}.")
    if not out:
        return "_Growth needs at least two sizes in one run (`--sizes 2500,25000,100000`)._"
    return "\n".join(out)


# ---------------------------------------------------------------------------- the machine


def _cpu_model() -> str:
    try:
        with open("/proc/cpuinfo") as fh:
            for line in fh:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def _memory_total() -> str:
    try:
        with open("/proc/meminfo") as fh:
            for line in fh:
                if line.startswith("MemTotal:"):
                    return f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
    except OSError:
        pass
    return "unknown"


def _git(*args: str) -> str:
    try:
        return subprocess.run(["git", *args], capture_output=True, text=True, timeout=10, check=False).stdout.strip()
    except OSError:
        return ""


def machine() -> dict[str, str]:
    cores = os.cpu_count() or 0
    usable = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else cores
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    commit = _git("rev-parse", "--short", "HEAD")
    dirty = " (with uncommitted changes)" if _git("status", "--porcelain", "--untracked-files=no") else ""
    from powerlist import __version__

    return {
        "CPU": _cpu_model(),
        "cores": f"{cores} logical ({usable} usable by this process)",
        "memory": _memory_total(),
        "OS": platform.platform(),
        "Python": f"{platform.python_implementation()} {sys.version.split()[0]}",
        "powerlist": f"{__version__}, commit {commit or '?'}{dirty}",
        "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "load average at start (1, 5, 15 min)": load,
    }


# ---------------------------------------------------------------------------- docs/performance.md


def replace_section(text: str, name: str, body: str) -> str:
    """Put ``body`` between ``<!-- bench:NAME -->`` and ``<!-- /bench:NAME -->`` (appended when absent)."""
    start, end = f"<!-- bench:{name} -->", f"<!-- /bench:{name} -->"
    block = f"{start}\n{body.strip()}\n{end}"
    pattern = re.compile(re.escape(start) + r".*?" + re.escape(end), re.S)
    if pattern.search(text):
        return pattern.sub(lambda _: block, text, count=1)
    return text.rstrip() + "\n\n" + block + "\n"


def write_sections(doc: Path, sections: dict[str, str]) -> None:
    """Rewrite the named sections of ``doc`` atomically (temp file + os.replace)."""
    text = doc.read_text(encoding="utf-8") if doc.exists() else "# Performance\n"
    for name, body in sections.items():
        text = replace_section(text, name, body)
    doc.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=doc.parent, prefix=".performance-", suffix=".md")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
        os.replace(tmp, doc)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def results_section(rows: list[Row], info: dict[str, str], notes: list[str], command: str) -> str:
    parts = [f"Produced by `{command}`. Same tree, same run; medians of the runs shown.", "",
             "| machine | |", "|---|---|"]
    parts += [f"| {k} | {v} |" for k, v in info.items()]
    parts += ["", markdown_table(rows), ""]
    if notes:
        parts += ["Notes on this run:", ""] + [f"- {n}" for n in notes] + [""]
    return "\n".join(parts)

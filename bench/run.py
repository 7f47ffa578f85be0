"""``make bench``: how fast ``powerlist check`` is on synthetic catalogues, side by side with the
tools a user would otherwise run, in one run on the same trees (issue 5).

Per size: the floors (read every file; parse every file with libyaml, one process; any other mode
``bench.floors`` offers, such as the fast parser alone), ``powerlist check`` cold (no cache), with
one worker, and with the cache — first run, nothing changed, one file touched, one file edited (with
its share of cold) — ``powerlist fmt --check`` of the whole tree, then yamllint (syntax only) and
check-jsonschema (powerlist's JSON Schema) where asked, and ``powerlist export`` of the 2,500
catalogue. Wall time is the median of ``--repeat`` runs; peak memory is per process tree. Results go to the terminal and to
``docs/performance.md``.

    python -m bench.run                      # 2,500, 25,000 and 100,000; peers at 2,500
    python -m bench.run --quick              # 2,500 only
    python -m bench.run --peers-on 2500,100000 --peer-timeout 3600
    python -m bench.run --profile 25000      # cProfile summary into docs/performance.md
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from bench import report
from bench.floors import catalogue_files
from bench.generate import GENERATOR_VERSION, MANIFEST, generate
from bench.measure import Measurement, measure
from bench.report import Row

REPO = Path(__file__).resolve().parent.parent
WORK = REPO / "bench" / "_work"  # git-ignored
DOC = REPO / "docs" / "performance.md"
SCHEMA = REPO / "schemas" / "power.schema.json"
BIN = Path(sys.executable).parent
ARG_BYTES = 512 * 1024  # per check-jsonschema invocation: well under the kernel's argument limit
BIG = 100_000


def log(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


@dataclass
class Features:
    """What the installed powerlist offers (the cache, the pool and export arrived at different times)."""

    no_cache: bool
    cache_dir: bool
    workers: bool
    export: bool
    export_allow_errors: bool
    fmt_check: bool = False  # `powerlist fmt --check` (issue 15's bench row)

    @classmethod
    def detect(cls, powerlist: str) -> Features:
        def help_text(*args: str) -> str:
            done = subprocess.run([powerlist, *args, "--help"], capture_output=True, text=True, check=False,
                                  env={**os.environ, "COLUMNS": "200", "NO_COLOR": "1"})
            return done.stdout if done.returncode == 0 else ""

        chk = help_text("check")
        top = help_text()
        exp = help_text("export") if " export " in top else ""
        fmt = help_text("fmt") if " fmt " in top else ""
        return cls("--no-cache" in chk, "--cache-dir" in chk, "--workers" in chk, bool(exp), "--allow-errors" in exp,
                   "--check" in fmt)


@dataclass
class Plan:
    sizes: list[int]
    repeat: int | None
    peers_on: set[int]
    peer_timeout: float
    seed: int
    fmt: str
    notes: list[str] = field(default_factory=list)

    def repeats(self, size: int, task: str = "") -> int:
        if self.repeat is not None:
            return self.repeat
        if size >= BIG:
            return 1
        # The libyaml floor is a reference, not a target: one run is enough above 2,500.
        return 1 if task == "floor-libyaml" and size > 2500 else 3


def compiled() -> None:
    """Byte-compile powerlist's own modules first, as any installed package is: where the
    environment sets PYTHONDONTWRITEBYTECODE (this machine does), an editable install otherwise
    compiles every module from source in every process (measured: ~0.35 s of a 2,500-power run)."""
    import compileall

    compileall.compile_dir(str(REPO / "powerlist"), quiet=1)


def code_stamp() -> str:
    """The fingerprint the cache keys on (powerlist/signing.py), read afresh: other people edit the
    tree while we measure, and a run after an edit starts with a cache that no longer applies."""
    from powerlist.signing import code_fingerprint

    return code_fingerprint.__wrapped__()


def catalogue(size: int, seed: int) -> tuple[Path, dict[str, object]]:
    """The generated tree for this size and seed, reused while the generator is unchanged."""
    root = WORK / f"catalog-{size}-seed{seed}"
    manifest = root / MANIFEST
    if manifest.exists():
        meta = json.loads(manifest.read_text(encoding="utf-8"))
        if meta.get("generator") == GENERATOR_VERSION and meta.get("size") == size and meta.get("seed") == seed:
            log(f"[{size:,}] reusing {root.relative_to(REPO)}")
            return root, meta
    log(f"[{size:,}] generating {size:,} powers …")
    gen = generate(root, size, seed)
    log(f"[{size:,}] generated {gen.files:,} files, {gen.bytes / 1e6:.0f} MB, {len(gen.planted)} planted defects "
        f"in {gen.seconds:.1f} s")
    return root, gen.manifest()


def extra_floors() -> list[str]:
    """Floor modes beyond read and libyaml that ``bench.floors`` offers (its usage line names them:
    ``python -m bench.floors read|libyaml|fast CATALOGUE``)."""
    import re

    from bench import floors

    m = re.search(r"python -m bench\.floors ([\w|-]+)", floors.__doc__ or "")
    return [x for x in (m.group(1).split("|") if m else []) if x not in ("read", "libyaml")]


class Bench:
    def __init__(self, plan: Plan, features: Features) -> None:
        self.plan = plan
        self.f = features
        self.powerlist = str(BIN / "powerlist")
        self.rows: list[Row] = []
        self.env = {**os.environ, "PYTHONPATH": str(REPO), "NO_COLOR": "1", "POWERLIST_LANG": "en"}
        self.stamp = ""

    # -- one task ------------------------------------------------------------------------------

    def task(self, size: int, key: str, label: str, cmds: list[list[str]], *, cwd: Path | None = None,
             runs: int | None = None, timeout: float | None = None, before: Callable[[], None] | None = None,
             note: str = "", uses_cache: bool = False) -> Row:
        """Run ``cmds`` as one task ``runs`` times. powerlist check rows (key check-*) keep their JSON
        report and count only when it is whole; its summary is kept to compare rows with each other."""
        row = Row(size, key, label, note=note)
        n = runs if runs is not None else self.plan.repeats(size, key)
        for i in range(n):
            if before is not None:
                before()
            if uses_cache:
                stamp = code_stamp()
                if stamp != self.stamp and key != "check-first":  # the cache is keyed by powerlist's code too
                    row.stale.add(i)
                self.stamp = stamp
            report_file = WORK / f"report-{size}.json" if key.startswith("check-") and self.plan.fmt == "json" else None
            m = measure(cmds, cwd=cwd, timeout=timeout, env=self.env, stdout=report_file)
            if report_file is not None and not m.failed():
                row.summaries.append(self._summary(report_file, m))
            row.runs.append(m)
            self._log(row, m)
            if m.timed_out:
                break
        if row.stale:
            kept = "not counted" if len(row.stale) < len(row.runs) else "no valid run left"
            row.note = ", ".join(filter(None, [row.note, f"code edited before {len(row.stale)} run(s): {kept}"]))
        self.rows.append(row)
        return row

    @staticmethod
    def _summary(report_file: Path, m: Measurement) -> tuple[int, int, int]:
        """(entries, errors, warnings) of a JSON report; a missing or broken report fails the run."""
        try:
            summary = json.loads(report_file.read_bytes())["summary"]
            return int(summary["entries"]), int(summary["errors"]), int(summary["warnings"])
        except (OSError, ValueError, KeyError, TypeError) as exc:
            m.error = f"no JSON report on stdout ({exc.__class__.__name__})"
            return (-1, -1, -1)
        finally:
            report_file.unlink(missing_ok=True)

    def _log(self, row: Row, m: Measurement) -> None:
        state = "TIMEOUT" if m.timed_out else f"rc {','.join(map(str, sorted(set(m.returncodes))))}"
        if m.error:
            state += f", {m.error}"
        if row.summaries and row.summaries[-1][0] >= 0:
            state += " ({} entries, {} errors, {} warnings)".format(*row.summaries[-1])
        log(f"[{row.size:,}] {row.label}: {m.wall:.2f} s, {m.peak / report.MB:.0f} MB, {state}")
        if m.failed():
            log(f"    stderr: {m.stderr.strip()[-600:]}")

    def skip(self, size: int, key: str, label: str, why: str) -> None:
        self.rows.append(Row(size, key, label, skipped=why))

    # -- the tasks of one size -------------------------------------------------------------------

    def check_cmd(self, root: Path, *extra: str) -> list[str]:
        return [self.powerlist, "check", str(root), "--format", self.plan.fmt, *extra]

    def run_size(self, size: int) -> None:
        root, meta = catalogue(size, self.plan.seed)
        planted = meta.get("planted", [])
        assert isinstance(planted, list)
        py = sys.executable
        self.task(size, "floor-read", "floor: read all files", [[py, "-m", "bench.floors", "read", str(root)]])
        self.task(size, "floor-libyaml", "floor: libyaml parse",
                  [[py, "-m", "bench.floors", "libyaml", str(root)]])
        for mode in extra_floors():  # e.g. the fast parser alone, when bench/floors.py offers it
            self.task(size, f"floor-{mode}", f"floor: {mode} parse", [[py, "-m", "bench.floors", mode, str(root)]])
        cache = WORK / f"cache-{size}"

        def drop_cache() -> None:
            shutil.rmtree(cache, ignore_errors=True)
            shutil.rmtree(root / ".powerlist_cache", ignore_errors=True)

        cache_args = ["--cache-dir", str(cache)] if self.f.cache_dir else []
        if self.f.no_cache:
            self.task(size, "check-cold", "check cold", [self.check_cmd(root, "--no-cache")])
        else:
            self.task(size, "check-cold", "check cold", [self.check_cmd(root, *cache_args)],
                      before=drop_cache, note="cache deleted first")
        if self.f.workers and size < BIG:
            no_cache = ["--no-cache"] if self.f.no_cache else []
            self.task(size, "check-1-worker", "check cold, 1 worker",
                      [self.check_cmd(root, *no_cache, *cache_args, "--workers", "1")],
                      before=None if self.f.no_cache else drop_cache)
        if self.f.cache_dir or self.f.no_cache:
            self.cached(size, root, cache_args, drop_cache)
        else:
            self.skip(size, "check-unchanged", "check unchanged", "no cache in this powerlist")
        if self.f.fmt_check:
            # The whole catalogue; exit 1 (files to reformat: the planted defects) counts as a run.
            self.task(size, "fmt-check", "fmt --check", [[self.powerlist, "fmt", "--check", str(root)]])
        else:
            self.skip(size, "fmt-check", "fmt --check", "no `fmt --check` in this powerlist")
        if size in self.plan.peers_on:
            self.peers(size, root, planted)
        if size == 2500:
            self.export(size, root)
            self.import_xlsx(size)
            self.long_names()

    def cached(self, size: int, root: Path, cache_args: list[str], drop_cache: Callable[[], None]) -> None:
        """First run (writes the cache), then re-runs: nothing changed, one file touched, one edited."""
        cmd = [self.check_cmd(root, *cache_args)]
        self.task(size, "check-first", "check first run (writes cache)", cmd, runs=1, before=drop_cache, uses_cache=True)
        victim = sorted((root / "powers").rglob("*.yaml"))[0]
        original = victim.read_bytes()
        line = "responsibilities:\n  - "
        assert line.encode() in original

        def touch() -> None:
            now = time.time()
            os.utime(victim, (now, now))

        state = {"n": 0}

        def edit() -> None:  # a real content change each time (a changed 责任事项 line)
            state["n"] += 1
            victim.write_bytes(original.replace(line.encode(), f"{line}（第{state['n']}次修订）".encode(), 1))

        def edit_cross() -> None:  # a key cross-entry checks read (extra): the whole catalogue is judged again
            state["n"] += 1
            victim.write_bytes(original + f"extra:\n  修订: 第{state['n']}次\n".encode())

        try:
            self.task(size, "check-unchanged", "check unchanged", cmd, uses_cache=True)
            self.task(size, "check-touched", "check 1 file touched", cmd, before=touch, note="mtime only", uses_cache=True)
            self.task(size, "check-edited", "check 1 file edited", cmd, before=edit, uses_cache=True)
            if size < BIG:
                self.task(size, "check-edited-cross", "check 1 file edited, cross-entry key", cmd, before=edit_cross,
                          note="extra: added", uses_cache=True)
        finally:
            victim.write_bytes(original)
            drop_cache()

    def peers(self, size: int, root: Path, planted: list[object]) -> None:
        timeout = self.plan.peer_timeout
        gbk = [p["path"] for p in planted if isinstance(p, dict) and p.get("kind") == "gbk"]
        # yamllint stops with a traceback at the first non-UTF-8 file: leave the planted GBK files out.
        config = "{rules: {}, ignore: [" + ", ".join(gbk) + "]}"
        self.task(size, "yamllint", "yamllint (syntax only)", [[str(BIN / "yamllint"), "-d", config, "-f", "parsable", "."]],
                  cwd=root, timeout=timeout, note=f"skips {len(gbk)} GBK files" if gbk else "")
        files = [os.path.relpath(p, root) for p in catalogue_files(str(root / "powers"))]
        batches: list[list[str]] = [[]]
        used = 0
        for rel in files:
            if used + len(rel) + 1 > ARG_BYTES and batches[-1]:
                batches.append([])
                used = 0
            batches[-1].append(rel)
            used += len(rel.encode()) + 1
        cjs = [str(BIN / "check-jsonschema"), "--schemafile", str(SCHEMA)]
        note = f"{len(batches)} batches" if len(batches) > 1 else ""
        self.task(size, "jsonschema", "check-jsonschema (schema)", [cjs + b for b in batches],
                  cwd=root, timeout=timeout, note=note)

    def export(self, size: int, root: Path) -> None:
        if not self.f.export:
            self.skip(size, "export", "export (all formats)", "no export command in this powerlist")
            return
        out = WORK / f"export-{size}"
        args = [self.powerlist, "export", str(root), "--out", str(out)]
        if self.f.export_allow_errors:
            args.append("--allow-errors")  # the planted defects are errors; export them anyway
        self.task(size, "export", "export (all formats)", [args])
        shutil.rmtree(out, ignore_errors=True)

    def long_names(self) -> None:
        """D003 on 100 names of 10,000 characters (a hostile catalogue; issue 9, item 3)."""
        from bench.longnames import LENGTH, NAMES, write

        root = write(WORK / "long-names")
        self.task(NAMES, "check-long-names", f"check D003/S030, {NAMES} names of {LENGTH:,} chars",
                  [self.check_cmd(root, "--no-cache", "--select", "D003,S030")])

    def import_xlsx(self, size: int) -> None:
        """`powerlist import` of a 5,000-row xlsx beside python-calamine reading it alone (target ≤ 3×)."""
        from bench import importbench

        src = WORK / "import-5000.xlsx"
        if not src.exists():
            importbench.make(src)
        out = WORK / "import-5000-out"
        py = sys.executable
        self.task(size, "floor-calamine", "floor: calamine reads 5,000-row xlsx",
                  [[py, "-m", "bench.importbench", "calamine", str(src)]])
        self.task(size, "import", "import 5,000-row xlsx", [[self.powerlist, "import", str(src), "--out", str(out)]],
                  before=lambda: shutil.rmtree(out, ignore_errors=True))
        shutil.rmtree(out, ignore_errors=True)

    def compare(self, quick: bool) -> None:
        """`powerlist compare` from folders (100 × 3,000 items) and from Parquet (3,000 × 3,333 rows);
        --quick: 10 folders and 100 exports. Inputs are generated (and cached) before the clock starts."""
        from bench import compare as gen

        n_folders, n_files = (10, 100) if quick else (100, 3000)
        roots = gen.county_folders(WORK, n_folders, 3000)
        files = gen.parquet_exports(WORK, n_files, 3333)
        out = WORK / "compare-out.parquet"
        self.task(n_folders * 3000, "compare-folders", f"compare {n_folders} folders → parquet",
                  [[self.powerlist, "compare", *map(str, roots), "--out", str(out)]], runs=1)
        self.task(n_files * 3333, "compare-parquet", f"compare {n_files:,} Parquet exports → parquet",
                  [[self.powerlist, "compare", *map(str, files), "--out", str(out)]], runs=1)
        out.unlink(missing_ok=True)

    # -- the whole run ---------------------------------------------------------------------------

    def notes(self) -> list[str]:
        out = list(self.plan.notes)
        out.append(f"`powerlist check` runs with `--format {self.plan.fmt}`; each figure is a whole process "
                   "(interpreter start-up included), the floors too. Every check run's report is read back: a run "
                   "that crashed or reported other findings than the cold run is marked.")
        if not self.f.no_cache:
            out.append("This powerlist has no `--no-cache`: cold means the cache folder was deleted first.")
        skipped = [s for s in self.plan.sizes if s not in self.plan.peers_on]
        if skipped:
            out.append("yamllint and check-jsonschema ran only at "
                       + (", ".join(f"{s:,}" for s in sorted(self.plan.peers_on & set(self.plan.sizes))) or "no size")
                       + f" (`--peers-on`); they take ~25–30 minutes each at 100,000 ({report.PEERS_ELSEWHERE}).")
        out.append("The machine has 2 cores shared with other work: expect noise of ±20 % between runs.")
        return out


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    doc = __doc__ or ""
    ap = argparse.ArgumentParser(prog="python -m bench.run", description=doc.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter, epilog=doc.split("\n\n", 1)[1])
    ap.add_argument("--sizes", default="2500,25000,100000", help="catalogue sizes (default 2500,25000,100000)")
    ap.add_argument("--quick", action="store_true", help="2,500 only")
    ap.add_argument("--repeat", type=int, default=None,
                    help="runs per figure (default 3; 1 at 100,000 and for the libyaml floor above 2,500)")
    ap.add_argument("--peers-on", default="2500", help="sizes at which yamllint and check-jsonschema run (default 2500)")
    ap.add_argument("--peer-timeout", type=float, default=2400.0, help="seconds before a peer run is stopped (default 2400)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--format", dest="fmt", default="json", choices=("json", "text"),
                    help="powerlist's output format (default json)")
    ap.add_argument("--profile", type=int, metavar="SIZE", help="profile one cold check of SIZE powers instead")
    ap.add_argument("--no-write", action="store_true", help="do not update docs/performance.md")
    ap.add_argument("--compare", action="store_true",
                    help="also time `powerlist compare` (100 county folders, 3,000 Parquet exports; smaller with --quick)")
    ap.add_argument("--compare-only", action="store_true", help="only the compare section")
    return ap.parse_args(argv)


def _sizes(text: str) -> list[int]:
    try:
        sizes = sorted({int(s.replace("_", "")) for s in text.split(",") if s.strip()})
    except ValueError:
        raise SystemExit(f"bench: sizes must be numbers, not {text!r}") from None
    if not sizes or min(sizes) < 200:
        raise SystemExit("bench: sizes must be at least 200 (room for every planted defect)")
    return sizes


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    command = "python -m bench.run " + " ".join(sys.argv[1:] if argv is None else argv)
    if args.profile:
        from bench.profiling import summary

        root, _ = catalogue(args.profile, args.seed)
        log(f"[{args.profile:,}] profiling one cold check …")
        text = summary(root, args.profile)
        if not args.no_write:  # before printing: a closed pipe (| head) must not lose the profile
            report.write_sections(DOC, {"profile": text})
            log(f"wrote the profile into {DOC.relative_to(REPO)}")
        print(text)
        return 0
    sizes = [2500] if args.quick else _sizes(args.sizes)
    plan = Plan(sizes, args.repeat, set(_sizes(args.peers_on)), args.peer_timeout, args.seed, args.fmt)
    if args.repeat is not None and args.repeat < 1:
        raise SystemExit("bench: --repeat must be at least 1")
    compiled()
    features = Features.detect(str(BIN / "powerlist"))
    log(f"powerlist features: {features}")
    info = report.machine()
    bench = Bench(plan, features)
    started = time.perf_counter()
    for size in [] if args.compare_only else sizes:
        bench.run_size(size)
    if args.compare or args.compare_only:
        bench.compare(args.quick)
    info["load average at end (1, 5, 15 min)"] = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    info["benchmark duration"] = f"{time.perf_counter() - started:.0f} s"
    title = f"powerlist speed — {info['CPU']}, {info['cores']}, Python {info['Python']}, {info['date']}"
    report.print_table(bench.rows, title)
    notes = bench.notes()
    for n in notes:
        print(f"  · {n}")
    growth = report.growth(bench.rows)
    print(growth)
    if not args.no_write:
        report.write_sections(DOC, {"results": report.results_section(bench.rows, info, notes, command.strip()),
                                    "growth": growth})
        log(f"wrote {DOC.relative_to(REPO)}")
    failed = [r for r in bench.rows if r.task.startswith("check-") and any(m.failed() for m in r.runs)]
    if failed:
        log("powerlist could not run: " + ", ".join(f"{r.size:,} {r.label}" for r in failed))
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

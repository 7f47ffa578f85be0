"""Where the time of ``powerlist check`` goes: cProfile over one in-process cold run (no cache, one
worker, so parsing is visible to the profiler), summarised by phase — load (discover, read and
parse), validate (pydantic models), checks per family, engine (locating findings, waivers) and
report (JSON) — plus the top functions by cumulative and by own time."""

from __future__ import annotations

import cProfile
import inspect
import pstats
import re
import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

Key = tuple[str, int, str]  # (file, line, function) as pstats keys functions


@dataclass
class Phase:
    name: str
    seconds: float


def _cum(stats: dict[Key, Any], file_end: str, func: str) -> float:
    """Cumulative seconds of every function named ``func`` in a file ending with ``file_end``."""
    return sum(v[3] for k, v in stats.items() if k[0].replace("\\", "/").endswith(file_end) and k[2] == func)


def _short(key: Key) -> str:
    file, line, func = key
    if file == "~":
        return func
    path = file.replace("\\", "/")
    if "/powerlist/" in path:
        path = "powerlist/" + path.rsplit("/powerlist/", 1)[1]
    else:  # site-packages or the standard library: the module path is enough
        path = re.sub(r"^.*/(site-packages|lib/python3\.\d+)/", "", path)
    return f"{path}:{line}({func})"


def run_profiled(root: Path) -> tuple[pstats.Stats, float, int, int]:
    """Profile load + checks + JSON report once; returns the stats, wall seconds, entries and findings."""
    from powerlist import api
    from powerlist.report import RenderOptions, get_renderer

    settings = api.settings_for(root)
    params = inspect.signature(api.check).parameters
    kwargs: dict[str, Any] = {}
    if "workers" in params:
        kwargs["workers"] = 1  # parsing in this process, where the profiler sees it
    if "cache_dir" in params:
        kwargs["cache_dir"] = None
    prof = cProfile.Profile()
    start = time.perf_counter()
    prof.enable()
    checked = api.check(root, settings, **kwargs)
    get_renderer("json")(checked.result, RenderOptions(root=root))
    prof.disable()
    wall = time.perf_counter() - start
    result = checked.result
    return pstats.Stats(prof), wall, result.entries, len(result.diagnostics)


def phases(stats: dict[Key, Any], total: float) -> tuple[list[Phase], dict[str, list[tuple[str, float]]]]:
    """Phase times from the cumulative times of the functions that start each phase."""
    from powerlist.checks import all_checks

    # Per-file entry points, so the figures hold whichever loop (serial, pool, cache) calls them.
    parse = (_cum(stats, "powerlist/catalog/parallel.py", "parse_one")
             or _cum(stats, "powerlist/catalog/parse.py", "read_and_parse"))
    discover = _cum(stats, "powerlist/catalog/layout.py", "discover")
    validate = _cum(stats, "powerlist/catalog/validate.py", "validate")
    build = sum(_cum(stats, "powerlist/catalog/build.py", f) for f in ("load_file", "_assemble"))
    engine = _cum(stats, "powerlist/engine.py", "run")
    report = _cum(stats, "powerlist/report/json.py", "render_json")
    by_code: dict[str, list[tuple[str, float]]] = defaultdict(list)
    checks_total = 0.0
    for code, chk in all_checks().items():
        if chk.func is None:
            continue
        co = getattr(chk.func, "__code__", None)
        if co is None:
            continue
        secs = stats.get((co.co_filename, co.co_firstlineno, co.co_name), (0, 0, 0, 0.0))[3]
        by_code[code[0]].append((code, secs))
        checks_total += secs
    out = [
        Phase("load: discover files", discover),
        Phase("load: read + parse (libyaml, positions)", parse),
        Phase("validate: pydantic models", validate),
        Phase("build: entries (without validation)", max(build - validate, 0.0)),
    ]
    for fam in "SRBDJAPC":
        if by_code.get(fam):
            out.append(Phase(f"checks {fam}", sum(s for _, s in by_code[fam])))
    out.append(Phase("engine: locate findings, waivers, sort", max(engine - checks_total, 0.0)))
    out.append(Phase("report: JSON", report))
    accounted = sum(p.seconds for p in out)
    out.append(Phase("other (settings, imports, glue)", max(total - accounted, 0.0)))
    return out, by_code


def reread(stats: dict[Key, Any]) -> float:
    """Seconds spent re-reading released files to locate findings (inside checks and engine)."""
    return _cum(stats, "powerlist/catalog/source.py", "_reparse")


def _top(stats: dict[Key, Any], col: int, n: int, keep: Callable[[Key], bool]) -> list[tuple[str, int, float, float]]:
    items = sorted(((k, v) for k, v in stats.items() if keep(k)), key=lambda kv: kv[1][col], reverse=True)[:n]
    return [(_short(k), v[1], v[2], v[3]) for k, v in items]


def summary(root: Path, size: int) -> str:
    """Profile one cold run of the catalogue at ``root``; a Markdown section for docs/performance.md."""
    st, wall, entries, findings = run_profiled(root)
    stats: dict[Key, Any] = st.stats  # type: ignore[attr-defined]  # pstats keeps its table here
    plist, by_code = phases(stats, wall)
    lines = [
        f"`python -m bench.run --profile {size}`: one in-process cold run of `powerlist check` (no cache, one worker) "
        f"over {size:,} powers ({entries:,} entries, {findings:,} findings), {wall:.1f} s under cProfile "
        "(the profiler slows Python-heavy code more than C code: read shares, not absolute times).",
        "",
        "| phase | s | share |",
        "|---|---:|---:|",
    ]
    lines += [f"| {p.name} | {p.seconds:.2f} | {p.seconds / wall:.0%} |" for p in plist]
    if plist[-1].seconds > 0.25 * wall:
        lines += ["", "_More than a quarter is unattributed: a function this summary finds by name "
                  "(bench/profiling.py) may have been renamed — see the tables below._"]
    again = reread(stats)
    if again:
        lines += ["", f"Re-reading released files to locate findings (inside checks and engine): {again:.2f} s."]
    slow = sorted((c for codes in by_code.values() for c in codes), key=lambda c: c[1], reverse=True)[:8]
    if slow:
        lines += ["", "Slowest checks (cumulative, including indexes they build first): "
                  + ", ".join(f"{code} {secs:.2f} s" for code, secs in slow) + "."]
    lines += ["", "Top functions by cumulative time (powerlist code):", "",
              "| function | calls | own s | cumulative s |", "|---|---:|---:|---:|"]
    lines += [f"| `{name}` | {calls:,} | {own:.2f} | {cum:.2f} |"
              for name, calls, own, cum in _top(stats, 3, 15, lambda k: "/powerlist/" in k[0].replace("\\", "/"))]
    lines += ["", "Top functions by own time (everything, C code included):", "",
              "| function | calls | own s | cumulative s |", "|---|---:|---:|---:|"]
    lines += [f"| `{name}` | {calls:,} | {own:.2f} | {cum:.2f} |" for name, calls, own, cum in _top(stats, 2, 12, lambda k: True)]
    return "\n".join(lines)

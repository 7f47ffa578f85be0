"""Seconds per cross-entry check (families R, B, D, J, A) on a catalogue already on disk, e.g. one
made by ``python -m bench.generate``. Loading is not timed; building the Catalog indexes is, apart.

``--one-body`` moves every power to a single body first: the worst case for near-duplicate names
(D003), which compares names only within one body.

    python -m bench.cross_checks CATALOG [--one-body]
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable
from pathlib import Path

from powerlist.api import settings_for
from powerlist.catalog import Catalog, load_catalog
from powerlist.catalog.gcpause import built_then_frozen
from powerlist.checks import all_checks
from powerlist.normalize import normalize_name
from powerlist.registry import CheckFunc

FAMILIES = "RBDJA"
INDEXES = ("body_by_id", "law_by_id", "decision_by_id", "law_by_title", "active_powers", "powers_by_name_category",
           "active_powers_by_body", "resolved_basis", "decision_by_doc_no", "cancellations_by_name", "delegations_by_name")


def run(cat: Catalog) -> list[tuple[str, float, float, str]]:
    """(label, wall seconds, CPU seconds, note) for building the indexes, then for each check. CPU
    time is the steadier number on a machine shared with other work."""
    rows: list[tuple[str, float, float, str]] = []

    def timed(label: str, work: Callable[[], str]) -> None:
        wall, cpu = time.perf_counter(), time.process_time()
        note = work()
        rows.append((label, time.perf_counter() - wall, time.process_time() - cpu, note))

    def build_indexes() -> str:
        for name in INDEXES:
            getattr(cat, name)
        return ""

    def run_check(func: CheckFunc) -> Callable[[], str]:
        return lambda: f"{sum(1 for _ in func(cat))} findings"

    timed("indexes", build_indexes)
    for code, chk in all_checks().items():
        if chk.family in FAMILIES and chk.func is not None:
            timed(code, run_check(chk.func))
    return rows


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m bench.cross_checks", description=__doc__.split("\n\n")[0])
    ap.add_argument("catalog", type=Path)
    ap.add_argument("--one-body", action="store_true", help="move every power to one body (D003 worst case)")
    args = ap.parse_args(argv)
    start = time.perf_counter()
    settings = settings_for(args.catalog)
    # As a check does (api): loaded without the GC, then frozen while the checks run.
    with built_then_frozen(lambda: load_catalog(args.catalog, settings)) as cat:
        if args.one_body:
            first = cat.powers[0].power.body
            for e in cat.powers:  # models are frozen: replace each with a copy naming one body
                e.model = e.power.model_copy(update={"body": first})
        names = {normalize_name(e.power.name) for e in cat.active_powers}
        bodies = {e.power.body for e in cat.active_powers}
        print(f"loaded {len(cat.powers)} powers ({len(names)} distinct names, {len(bodies)} bodies) "
              f"in {time.perf_counter() - start:.1f} s")
        rows = run(cat)
    print(f"{'check':<10}{'wall s':>9}{'CPU s':>9}  result")
    for label, wall, cpu, note in rows:
        print(f"{label:<10}{wall:>9.3f}{cpu:>9.3f}  {note}")
    print(f"{'total':<10}{sum(r[1] for r in rows):>9.3f}{sum(r[2] for r in rows):>9.3f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""Seconds per cross-entry check (families R, B, D, J, A) on a catalogue already on disk, e.g. one
made by ``python -m bench.generate``. Loading is not timed; building the Catalog indexes is, apart.

``--one-body`` moves every power to a single body first: the worst case for near-duplicate names
(D003), which compares names only within one body.

    python -m bench.cross_checks CATALOG [--one-body]
"""

from __future__ import annotations

import argparse
import gc
import time
from pathlib import Path

from powerlist.api import settings_for
from powerlist.catalog import Catalog, load_catalog
from powerlist.normalize import normalize_name
from powerlist.registry import all_checks

FAMILIES = "RBDJA"
INDEXES = ("body_by_id", "law_by_id", "decision_by_id", "law_by_title", "active_powers", "powers_by_name_category",
           "active_powers_by_body", "resolved_basis", "decision_by_doc_no", "cancellations_by_name", "delegations_by_name")


def run(cat: Catalog) -> list[tuple[str, float, str]]:
    """(label, seconds, note) for building the indexes, then for each check."""
    start = time.perf_counter()
    for name in INDEXES:
        getattr(cat, name)
    rows = [("indexes", time.perf_counter() - start, "")]
    for code, chk in all_checks().items():
        if chk.family in FAMILIES and chk.func is not None:
            start = time.perf_counter()
            found = list(chk.func(cat))
            rows.append((code, time.perf_counter() - start, f"{len(found)} findings"))
    return rows


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m bench.cross_checks", description=__doc__.split("\n\n")[0])
    ap.add_argument("catalog", type=Path)
    ap.add_argument("--one-body", action="store_true", help="move every power to one body (D003 worst case)")
    args = ap.parse_args(argv)
    start = time.perf_counter()
    gc.disable()  # bulk loading: the collector costs ~2x and frees nothing here
    cat = load_catalog(args.catalog, settings_for(args.catalog))
    gc.enable()
    gc.freeze()
    if args.one_body:
        for e in cat.powers:
            e.power.body = cat.powers[0].power.body
    names = {normalize_name(e.power.name) for e in cat.active_powers}
    bodies = {e.power.body for e in cat.active_powers}
    print(f"loaded {len(cat.powers)} powers ({len(names)} distinct names, {len(bodies)} bodies) "
          f"in {time.perf_counter() - start:.1f} s")
    rows = run(cat)
    print(f"{'check':<10}{'seconds':>9}  result")
    for label, seconds, note in rows:
        print(f"{label:<10}{seconds:>9.3f}  {note}")
    print(f"{'total':<10}{sum(s for _, s, _ in rows):>9.3f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

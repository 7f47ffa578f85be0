"""四要件 completeness: the share of active powers that state each element a power list must give
(a legal basis, a responsible body, a time limit, a flowchart, 责任事项). Computed once by the
engine from the catalogue and carried in the Result, so reporters only print it."""

from __future__ import annotations

from collections.abc import Callable

from powerlist.catalog import Catalog, Entry

# element -> (Chinese label, English label); the order is the order of the summary line.
ELEMENTS: dict[str, tuple[str, str]] = {
    "basis": ("设定依据", "basis"),
    "body": ("实施主体", "body"),
    "time_limit": ("办结时限", "time limit"),
    "flowchart": ("运行流程图", "flowchart"),
    "responsibilities": ("责任事项", "responsibilities"),
}


def _has(cat: Catalog) -> dict[str, Callable[[Entry], bool]]:
    known = cat.body_by_id
    return {
        "basis": lambda e: bool(e.power.basis),
        "body": lambda e: e.power.body in known,
        "time_limit": lambda e: e.power.time_limit is not None
        and (e.power.time_limit.statutory is not None or e.power.time_limit.promised is not None),
        "flowchart": lambda e: e.power.process is not None and bool(e.power.process.steps),
        "responsibilities": lambda e: bool(e.power.responsibilities),
    }


def completeness(cat: Catalog) -> dict[str, int]:
    """``{"powers": n, "basis": k, …}``: how many active powers (not abolished, not of a ``not_powers``
    category) state each element. A body counts when bodies.yaml has it."""
    powers = cat.active_powers
    out = {"powers": len(powers)}
    for name, test in _has(cat).items():
        out[name] = sum(1 for e in powers if test(e))
    return out


def shares(counts: dict[str, int]) -> list[tuple[str, int, int]]:
    """``(element, count, percent)`` in summary order; percent rounds down (100 only when complete)."""
    n = counts.get("powers", 0)
    return [(k, counts.get(k, 0), counts.get(k, 0) * 100 // n if n else 0) for k in ELEMENTS]

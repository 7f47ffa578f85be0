"""四要件 completeness: the share of active powers that state each element a power list must give
(a legal basis, a responsible body, a time limit, a flowchart, 责任事项), and of the licences whose
public guide lists the materials and a complaint channel (行政许可法 第三十条). Computed once by the
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

# Counted over active licences (key "licences"), not over every power: 许可法 第三十条 asks it of licences.
GUIDE: dict[str, tuple[str, str]] = {
    "materials": ("申请材料", "materials"),
    "complaint": ("投诉渠道", "complaint channel"),
}
LICENCE = "行政许可"


def complaint_channel(cat: Catalog, e: Entry) -> bool:
    """Whether ``e`` names where to complain: its own ``complaint``, else its body's."""
    own = e.power.complaint
    if own is not None and own.stated():
        return True
    body = cat.body_by_id.get(e.power.body)
    theirs = body.body.complaint if body is not None else None
    return theirs is not None and theirs.stated()


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
    licences = [e for e in powers if e.power.category == LICENCE]
    out["licences"] = len(licences)
    out["materials"] = sum(1 for e in licences if e.power.materials)
    out["complaint"] = sum(1 for e in licences if complaint_channel(cat, e))
    return out


def shares(counts: dict[str, int]) -> list[tuple[str, int, int]]:
    """``(element, count, percent)`` in summary order; percent rounds down (100 only when complete)."""
    n = counts.get("powers", 0)
    return [(k, counts.get(k, 0), counts.get(k, 0) * 100 // n if n else 0) for k in ELEMENTS]


def guide_shares(counts: dict[str, int]) -> list[tuple[str, int, int]]:
    """``(element, count, percent)`` of the licences' guide elements (empty when no licence)."""
    n = counts.get("licences", 0)
    return [(k, counts.get(k, 0), counts.get(k, 0) * 100 // n) for k in GUIDE] if n else []

"""What a check is made of: the :class:`Finding` it yields and the ``@check`` decorator that
registers it in :mod:`powerlist.registry` (the table of codes, a leaf)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import wraps
from typing import TYPE_CHECKING

from powerlist.diagnostics import Severity
from powerlist.i18n import Text
from powerlist.registry import Check, register

if TYPE_CHECKING:
    from powerlist.catalog import Catalog, Entry


@dataclass(slots=True)
class Finding:
    """What a check yields: which entry, which key path inside it, what is wrong, and who else is involved.

    ``key`` is a path into the entry's data, e.g. ``("process", "steps", 2, "next", 0)``; the
    engine turns it into line:column. ``at="key"`` points at the key itself rather than its value.
    """

    entry: Entry
    key: tuple[str | int, ...]
    message: Text
    related: list[Entry] = field(default_factory=list)
    at: str = "value"


CheckFunc = Callable[..., Iterable[Finding]]

# Per-entry checks: each finding sits on the entry examined (or on a registry entry) and depends only
# on that entry, the registries (bodies, laws, decisions), the settings, the built-in law registry
# and the review date, never on other powers. The engine re-runs them only for edited files and
# takes the other files' findings from the cache. Every code not listed (D, J001, R012, G004/G005,
# U …) is cross-entry and always runs over the whole catalogue: a new check is cross-entry until
# someone proves otherwise (tests/test_incremental.py compares both ways).
PER_ENTRY = frozenset({
    "A001", "A002", "A003", "A004",
    "B001", "B002", "B003", "B004", "B005", "B006",
    "C001", "C002", "C003", "C004", "C005", "C006", "C007", "C008", "C010", "C011", "C012",
    "G001", "G002", "G003", "G006",
    "J002", "J003", "J004",
    "P001", "P002", "P003", "P004", "P005", "P006", "P007", "P008", "P009", "P010", "P011", "P012",
    "P013", "P014", "P015", "P016", "P017",
    "R001", "R002", "R003", "R004", "R005", "R006", "R007", "R008",
    "S014", "S015", "S016", "S030",
})


def check(
    code: str,
    name: str,
    *,
    summary: Text,
    severity: Severity = Severity.ERROR,
    citation: Text | None = None,
    explanation: Text | None = None,
    example: str | None = None,
    dated: bool = False,
    needs: tuple[str, ...] = (),
) -> Callable[[CheckFunc], CheckFunc]:
    """Register a cross-entry check ``(Catalog) -> Iterable[Finding]``. The function's docstring is
    its developer documentation. ``dated=True``: the check also takes the review date, as
    ``(Catalog, today: date)`` (the engine passes ``--as-of`` or today). ``needs``: the registries
    the check resolves references into; it yields nothing while one is not readable (:func:`silenced`)."""

    def deco(func: CheckFunc) -> CheckFunc:
        run = func if not needs else _guarded(func, needs)
        register(Check(code, name, summary, severity, citation, run, explanation, example, dated, needs))
        return func

    return deco


def registry_state(cat: Catalog, name: str) -> str:
    """``"ok"``, ``"missing"`` (no such file) or ``"broken"`` (found but unreadable: its own S finding
    says why) for the registry ``name`` (bodies, laws, decisions)."""
    state = "missing"
    for sf in cat.files:
        if sf.kind == name:
            if sf.ok and not sf.refused:
                return "ok"
            state = "broken"
    return state


def silenced(cat: Catalog, needs: Iterable[str]) -> bool:
    """Whether a check needing ``needs`` cannot judge this catalogue: one of those registries is
    missing or broken. Reporting every reference into it as unknown would bury the one real problem
    (a missing bodies.yaml once gave 76 R002 errors) under its echoes."""
    return any(registry_state(cat, n) != "ok" for n in needs)


def _guarded(func: CheckFunc, needs: tuple[str, ...]) -> CheckFunc:
    @wraps(func)
    def run(cat: Catalog, *args: object) -> Iterable[Finding]:
        return () if silenced(cat, needs) else func(cat, *args)

    return run

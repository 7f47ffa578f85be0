"""What a check is made of: the :class:`Finding` it yields and the ``@check`` decorator that
registers it in :mod:`powerlist.registry` (the table of codes, a leaf)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from powerlist.diagnostics import Severity
from powerlist.i18n import Text
from powerlist.registry import Check, register

if TYPE_CHECKING:
    from powerlist.catalog import Entry


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
) -> Callable[[CheckFunc], CheckFunc]:
    """Register a cross-entry check ``(Catalog) -> Iterable[Finding]``. The function's docstring is
    its developer documentation. ``dated=True``: the check also takes the review date, as
    ``(Catalog, today: date)`` (the engine passes ``--as-of`` or today)."""

    def deco(func: CheckFunc) -> CheckFunc:
        register(Check(code, name, summary, severity, citation, func, explanation, example, dated))
        return func

    return deco

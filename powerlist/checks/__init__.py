"""Built-in checks, one module per family, and the whole table of codes.

Importing this package registers every check and every code declared below it (the S codes of
the catalogue's loader, validation and layout, the engine's waiver and import codes): the table
:func:`all_checks` returns is complete. :mod:`powerlist.registry` (the table itself) is a leaf
that imports none of them.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

# The S codes declared while loading: the folder layout, parsing, validation.
import powerlist.catalog.layout
import powerlist.catalog.parse
import powerlist.catalog.validate  # noqa: F401
from powerlist.checks import (
    abolished,  # noqa: F401
    basis,  # noqa: F401
    category,  # noqa: F401
    codes,  # noqa: F401
    duplicates,  # noqa: F401
    fees,  # noqa: F401
    imported,  # noqa: F401
    jurisdiction,  # noqa: F401
    process,  # noqa: F401
    registries,  # noqa: F401
    schema,  # noqa: F401
    upper,  # noqa: F401
    waivers,  # noqa: F401
)
from powerlist.registry import CHECKS, Check, matches


def all_checks() -> dict[str, Check]:
    """Every registered code, sorted."""
    return dict(sorted(CHECKS.items()))


def selected(select: Iterable[str] | None, ignore: Iterable[str] | None) -> Iterator[Check]:
    sel = list(select or [])
    ign = list(ignore or [])
    for code, chk in all_checks().items():
        if sel and not matches(code, sel):
            continue
        if ign and matches(code, ign):
            continue
        yield chk


def unknown_patterns(patterns: Iterable[str]) -> list[str]:
    """Patterns in select/ignore that name no registered code (typos should not pass silently)."""
    known = all_checks()
    return [p for p in patterns if not any(c.startswith(p.upper()) for c in known)]

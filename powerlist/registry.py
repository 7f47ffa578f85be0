"""Check metadata and the ``@check`` decorator.

A check is a small function ``(Catalog) -> Iterable[Finding]`` registered with a stable code
(family letter + three digits), a rule name, a default severity, a bilingual summary and, where
one applies, the legal citation. Checks never print and never decide line numbers or final
severity: the engine does that. Load-time problems (YAML syntax, encoding, schema) are found by
the loader and models; they are registered here with ``func=None`` so that ``powerlist rules``,
``--select`` and ``--ignore`` treat every code alike.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from powerlist.diagnostics import Severity
from powerlist.i18n import Text

if TYPE_CHECKING:
    from powerlist.catalog import Catalog, Entry

FAMILIES: dict[str, Text] = {
    "S": Text("语法与结构", "syntax and schema"),
    "R": Text("登记簿（主体、法律、决定）", "registries (bodies, laws, decisions)"),
    "B": Text("设定依据", "legal basis"),
    "D": Text("重复事项", "duplicates"),
    "J": Text("实施主体与下放", "jurisdiction and delegation"),
    "A": Text("已取消事项", "abolished items"),
    "P": Text("运行流程与时限", "process graph and time limits"),
    "C": Text("职权类别与设定权", "category and power to create"),
}

CODE_RE = re.compile(r"^[SRBDJAPC]\d{3}$")


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
    related_keys: list[tuple[str | int, ...]] | None = None


CheckFunc = Callable[["Catalog"], Iterable[Finding]]


@dataclass(frozen=True, slots=True)
class Check:
    code: str
    name: str
    summary: Text
    severity: Severity
    citation: Text | None
    func: CheckFunc | None
    explanation: Text | None = None
    example: str | None = None  # a failing YAML snippet shown by `powerlist rule CODE`

    @property
    def family(self) -> str:
        return self.code[0]


CHECKS: dict[str, Check] = {}


def _register(chk: Check) -> None:
    if not CODE_RE.match(chk.code):
        raise ValueError(f"bad check code {chk.code!r}")
    if chk.code in CHECKS:
        raise ValueError(f"check code {chk.code} registered twice")
    CHECKS[chk.code] = chk


def check(
    code: str,
    name: str,
    *,
    summary: Text,
    severity: Severity = Severity.ERROR,
    citation: Text | None = None,
    explanation: Text | None = None,
    example: str | None = None,
) -> Callable[[CheckFunc], CheckFunc]:
    """Register a cross-entry check. The function's docstring is its developer documentation."""

    def deco(func: CheckFunc) -> CheckFunc:
        _register(Check(code, name, summary, severity, citation, func, explanation, example))
        return func

    return deco


def declare(
    code: str,
    name: str,
    *,
    summary: Text,
    severity: Severity = Severity.ERROR,
    citation: Text | None = None,
    explanation: Text | None = None,
    example: str | None = None,
) -> str:
    """Register a code whose findings are produced outside ``checks/`` (loader, models, engine)."""
    _register(Check(code, name, summary, severity, citation, None, explanation, example))
    return code


def all_checks() -> dict[str, Check]:
    """Every registered check, importing the check modules on first use."""
    import powerlist.checks
    import powerlist.engine  # noqa: F401  (waiver codes)

    return dict(sorted(CHECKS.items()))


def matches(code: str, patterns: Iterable[str]) -> bool:
    """True when ``code`` is named by one of ``patterns`` (a full code, a family letter, or a prefix)."""
    return any(code.startswith(p.upper()) for p in patterns if p)


def selected(
    select: Iterable[str] | None, ignore: Iterable[str] | None
) -> Iterator[Check]:
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
    codes = all_checks()
    return [p for p in patterns if not any(c.startswith(p.upper()) for c in codes)]


def as_dict(chk: Check, lang: Any = None) -> dict[str, Any]:
    return {
        "code": chk.code,
        "name": chk.name,
        "family": chk.family,
        "severity": chk.severity.value,
        "summary": chk.summary.get(lang),
        "citation": chk.citation.get(lang) if chk.citation else None,
    }

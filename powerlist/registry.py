"""The table of codes: :class:`Check` metadata, :func:`declare`, families and code matching.

A leaf: it imports nothing of the catalogue, the checks or the engine. A check is a small
function ``(Catalog) -> Iterable[Finding]`` registered (by ``@check`` in
:mod:`powerlist.checks.base`) with a stable code (family letter + three digits), a rule name, a
default severity, a bilingual summary and, where one applies, the legal citation. Checks never
print and never decide line numbers or final severity: the engine does that. Load-time problems
(YAML syntax, encoding, schema) are found by the catalogue's loader and models; they are
registered here with ``func=None`` (:func:`declare`) so that ``powerlist rules``, ``--select``
and ``--ignore`` treat every code alike. The whole table, with every check module imported, is
:func:`powerlist.checks.all_checks`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from powerlist.diagnostics import Severity
from powerlist.i18n import Text

FAMILIES: dict[str, Text] = {
    "S": Text("语法与结构", "syntax and schema"),
    "R": Text("登记簿（主体、法律、决定）", "registries (bodies, laws, decisions)"),
    "B": Text("设定依据", "legal basis"),
    "D": Text("重复事项", "duplicates"),
    "J": Text("实施主体与下放", "jurisdiction and delegation"),
    "A": Text("已取消事项", "abolished items"),
    "P": Text("运行流程与时限", "process graph and time limits"),
    "C": Text("职权类别与设定权", "category and power to create"),
    "G": Text("办事指南（收费、材料、投诉渠道）", "public guide (fees, materials, complaint channel)"),
    "U": Text("对照上级清单", "against the upper-level list"),
}

SEVERITY_WORDS: dict[str, Text] = {
    "error": Text("错误", "error"),
    "warning": Text("警告", "warning"),
}

CODE_RE = re.compile(r"^[SRBDJAPCGU]\d{3}$")


CheckFunc = Callable[..., Iterable[Any]]
"""``(Catalog) -> Iterable[Finding]``, or ``(Catalog, date)`` for a ``dated`` check (the types
live above this leaf, in :mod:`powerlist.catalog` and :mod:`powerlist.checks.base`)."""


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
    dated: bool = False  # func takes the review date too: (Catalog, today)
    # Registries (bodies, laws, decisions) the check resolves references into: while one of them is
    # missing or unreadable the check stays silent (R012 or the file's S finding says so once), and
    # a waiver of it is not reported as unused (S020): nothing could be judged.
    needs: tuple[str, ...] = ()

    @property
    def family(self) -> str:
        return self.code[0]


CHECKS: dict[str, Check] = {}


def register(chk: Check) -> None:
    """Add ``chk`` to the table (``@check`` and :func:`declare` call this)."""
    if not CODE_RE.match(chk.code):
        raise ValueError(f"bad check code {chk.code!r}")
    if chk.code in CHECKS:
        raise ValueError(f"check code {chk.code} registered twice")
    CHECKS[chk.code] = chk


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
    """Register a code whose findings are produced outside a check function (loader, models, engine)."""
    register(Check(code, name, summary, severity, citation, None, explanation, example))
    return code


def matches(code: str, patterns: Iterable[str]) -> bool:
    """True when ``code`` is named by one of ``patterns`` (a full code, a family letter, or a prefix)."""
    return any(code.startswith(p.upper()) for p in patterns if p)


def as_dict(chk: Check, lang: Any = None) -> dict[str, Any]:
    return {
        "code": chk.code,
        "name": chk.name,
        "family": chk.family,
        "severity": chk.severity.value,
        "summary": chk.summary.get(lang),
        "citation": chk.citation.get(lang) if chk.citation else None,
    }

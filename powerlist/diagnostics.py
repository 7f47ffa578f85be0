"""Diagnostics: the fields of the JSON output contract, plus waiver information."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum
from typing import Any

from powerlist.i18n import Lang, Text, tr


def display(text: str) -> str:
    """``text`` as every output can carry it. A file name that is not UTF-8 reaches Python with its
    bad bytes as lone surrogates (os.fsdecode), which JSON, XML and terminals reject: those bytes
    are shown as ``\\xNN`` (``bad\\xff\\xfename.yaml``). Every reporter writes paths and messages
    through this one function."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        raw = text.encode("utf-8", "surrogateescape") if _only_escapes(text) else text.encode("utf-8", "backslashreplace")
        return raw.decode("utf-8", "backslashreplace")
    return text


def _only_escapes(text: str) -> bool:
    """Whether every lone surrogate is one of os.fsdecode's escaped bytes (U+DC80..U+DCFF)."""
    return all(not 0xD800 <= ord(c) <= 0xDFFF or 0xDC80 <= ord(c) <= 0xDCFF for c in text)


class Severity(str, Enum):
    ERROR = "error"
    WARNING = "warning"

    def __str__(self) -> str:
        return self.value


@dataclass(frozen=True, slots=True)
class Related:
    path: str
    line: int
    entry: str | None

    def to_json(self) -> dict[str, Any]:
        return {"path": self.path, "line": self.line, "entry": self.entry}


@dataclass(slots=True)
class Diagnostic:
    """One finding, located. ``line``/``column`` are 1-based; ``path`` relative to the catalogue root."""

    code: str
    severity: Severity
    path: str
    line: int
    column: int
    entry: str | None
    message: Text
    related: list[Related] = field(default_factory=list)
    waived: bool = False
    waiver_reason: str | None = None

    @property
    def family(self) -> str:
        return self.code[0]

    def sort_key(self) -> tuple[str, int, int, str, str]:
        return (self.path, self.line, self.column, self.code, self.message.en)

    def fingerprint(self) -> str:
        """Stable identity for baselines: independent of line numbers, which move with edits."""
        return f"{self.code}|{self.path}|{self.entry or ''}|{self.message.en}"

    def to_json(self, lang: Lang | None = None) -> dict[str, Any]:
        out: dict[str, Any] = {
            "code": self.code,
            "severity": self.severity.value,
            "path": self.path,
            "line": self.line,
            "column": self.column,
            "entry": self.entry,
            "message": tr(self.message, lang),
            "related": [r.to_json() for r in self.related],
        }
        if self.waived:
            out["waived"] = True
            out["waiver_reason"] = self.waiver_reason
        return out


# The result of a run lives here, not in engine.py: a result served whole from the cache is
# unpickled without importing the engine, the models or pydantic (start-up time of a warm run).
@dataclass
class Result:
    diagnostics: list[Diagnostic]
    waived: list[Diagnostic]
    entries: int
    files: int
    crashed: list[tuple[str, str]] = field(default_factory=list)  # (code, traceback)
    baselined: list[Diagnostic] = field(default_factory=list)  # known before (--baseline): not counted
    paths: tuple[str, ...] = ()  # every file checked (reporters that list clean files too)
    completeness: dict[str, int] | None = None  # 四要件 counts (powerlist.completeness); None when unknown

    @property
    def errors(self) -> int:
        return sum(1 for d in self.diagnostics if d.severity is Severity.ERROR)

    @property
    def warnings(self) -> int:
        return sum(1 for d in self.diagnostics if d.severity is Severity.WARNING)

    def exit_code(self, strict: bool = False) -> int:
        if self.crashed:
            return 2
        if self.errors or (strict and self.warnings):
            return 1
        return 0

"""The audit report for a legal-affairs office (法制审核): counts per body × family, every finding
with its entry, message and legal citation, and every waiver with its reason.

The report never computes findings: :func:`powerlist.api.audit` runs the engine and
:func:`build_report` only arranges its :class:`~powerlist.diagnostics.Result`. The writers
(``xlsx.py``, ``html.py``) are pure functions of an :class:`~powerlist.audit.model.AuditReport`;
:func:`write_report` writes atomically.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from datetime import date
from pathlib import Path

from powerlist.audit.model import OTHER, AuditReport, Row, words
from powerlist.audit.suggest import suggestion
from powerlist.catalog import Catalog, Entry
from powerlist.checked import Checked
from powerlist.checks import all_checks
from powerlist.diagnostics import Diagnostic, Severity
from powerlist.fsutil import write_atomic
from powerlist.i18n import Lang, T, Text
from powerlist.registry import FAMILIES

__all__ = ["FORMATS", "OTHER", "AuditReport", "ReportError", "Row", "build_report", "renderer_for", "words",
           "write_report"]

FORMATS = (".xlsx", ".html", ".htm")


class _Owners:
    """Maps a diagnostic to the entry it concerns (by file: one power per file) and that entry's body."""

    def __init__(self, cat: Catalog) -> None:
        self.cat = cat
        self.power_at = {e.path: e for e in [*cat.powers, *cat.broken] if e.kind == "power"}
        self.registry = {(e.path, e.id): e for e in [*cat.bodies, *cat.laws, *cat.decisions, *cat.broken]
                         if e.kind != "power"}

    def entry(self, d: Diagnostic) -> Entry | None:
        return self.power_at.get(d.path) or self.registry.get((d.path, d.entry))

    def body_of(self, e: Entry | None) -> str:
        if e is None:
            return OTHER
        if e.kind == "body":
            return e.id or OTHER
        if e.kind == "power" and e.model is not None:
            return e.power.body
        if e.kind == "power" and isinstance(e.data, dict) and isinstance(e.data.get("body"), str):
            return str(e.data["body"])  # a power that failed validation still names its body
        return OTHER

    @staticmethod
    def name_of(e: Entry | None) -> str:
        if e is not None and e.kind == "power" and e.model is not None:
            return e.power.name  # the model has it: a released power file is not re-read
        if e is None or not isinstance(e.data, dict):
            return ""
        for key in ("name", "title"):
            if isinstance(e.data.get(key), str):
                return str(e.data[key])
        return ""


def _row(d: Diagnostic, owners: _Owners, lang: Lang, citations: dict[str, Text | None], w: dict[str, str],
         names: dict[str, str]) -> Row:
    e = owners.entry(d)
    cite = citations.get(d.code)
    body = owners.body_of(e)
    return Row(body, d.entry or "", owners.name_of(e), d.code, w[d.severity.value],
               d.family, d.message.get(lang), cite.get(lang) if cite else "", f"{d.path}:{d.line}",
               d.waiver_reason or "", suggestion(d.code, lang), "" if body == OTHER else names.get(body, body))


def catalogue_version(root: Path) -> str:
    """``git describe --tags --always --dirty`` of the catalogue (a tag, else the short commit;
    ``-dirty`` with uncommitted changes); "" when the catalogue is not in git."""
    from powerlist.gitutil import GitError, run_git

    try:
        return run_git(["describe", "--tags", "--always", "--dirty"], root).decode().strip()
    except (GitError, UnicodeDecodeError):
        return ""


def build_report(checked: Checked, lang: Lang, catalogue: str, as_of: date, version: str | None = None) -> AuditReport:
    """Arrange an engine result for the office. The findings are the engine's, unchanged; only the
    catalogue's version is asked of git (unless ``version`` is given)."""
    cat, result = checked.catalog, checked.result
    owners = _Owners(cat)
    citations = {code: chk.citation for code, chk in all_checks().items()}
    bodies = [(e.body.id, e.body.name) for e in cat.bodies]
    known = {b for b, _ in bodies}
    order = {b: i for i, (b, _) in enumerate(bodies)}

    def key(r: Row) -> tuple[int, str, str, int, str]:
        path, _, line = r.where.rpartition(":")
        return (order.get(r.body, len(order)), r.body, path, int(line), r.code)

    w = words(lang)
    names = dict(bodies)
    findings = sorted((_row(d, owners, lang, citations, w, names) for d in result.diagnostics), key=key)
    waived = sorted((_row(d, owners, lang, citations, w, names) for d in result.waived), key=key)
    # Bodies named by powers but missing from bodies.yaml still get a line of their own.
    extra = sorted({r.body for r in [*findings, *waived]} - known - {OTHER})
    bodies += [(b, b) for b in extra]
    if any(r.body == OTHER for r in [*findings, *waived]):
        bodies.append((OTHER, w["other"]))
    counts: Counter[tuple[str, str]] = Counter((r.body, r.family) for r in findings)
    return AuditReport(
        lang=lang, catalogue=catalogue, region=cat.settings.region, as_of=as_of, entries=result.entries,
        errors=sum(1 for d in result.diagnostics if d.severity is Severity.ERROR),
        warnings=sum(1 for d in result.diagnostics if d.severity is Severity.WARNING),
        bodies=bodies, families=list(FAMILIES), counts=counts, findings=findings, waived=waived,
        crashed=[code for code, _ in result.crashed],
        powers=len(cat.powers) + sum(1 for e in cat.broken if e.kind == "power"),
        version=catalogue_version(cat.root) if version is None else version)


class ReportError(Exception):
    """The report cannot be written (unknown format, unwritable place); nothing was written."""

    def __init__(self, message: Text) -> None:
        super().__init__(message.en)
        self.message = message


def renderer_for(out: Path) -> Callable[[AuditReport], bytes]:
    suffix = out.suffix.lower()
    if suffix == ".xlsx":
        from powerlist.audit.xlsx import to_xlsx

        return to_xlsx
    if suffix in (".html", ".htm"):
        from powerlist.audit.html import to_html

        return lambda report: to_html(report).encode("utf-8")
    raise ReportError(T(f"{out}：报告只能是 .xlsx 或 .html 文件", f"{out}: the report must be an .xlsx or .html file"))


def write_report(report: AuditReport, out: Path) -> None:
    """Render by the file's suffix and replace ``out`` in one step (a crash leaves the old file)."""
    data = renderer_for(out)(report)
    folder = out.parent if str(out.parent) else Path(".")
    if not folder.is_dir():
        raise ReportError(T(f"文件夹 {folder} 不存在", f"folder {folder} does not exist"))
    if out.is_dir():
        raise ReportError(T(f"{out} 是文件夹", f"{out} is a folder"))
    write_atomic(out, data)

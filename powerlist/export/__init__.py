"""Publish the cleaned catalogue: YAML, CSV, XLSX, JSON, SQLite, a static site and Markdown.

:func:`export_catalog` receives a checked catalogue (:class:`~powerlist.checked.Checked`) and
refuses to publish while errors are left (unless ``allow_errors``, and then the manifest lists
every error let through). The output folder is built beside ``out`` and swapped in whole (see
:mod:`powerlist.export.outdir`). Running the check first is the face's job:
:func:`powerlist.api.export` checks, then calls :func:`export_catalog`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from powerlist.catalog.gcpause import frozen
from powerlist.checked import Checked
from powerlist.diagnostics import Diagnostic, Severity
from powerlist.export.clean import Cleaned, clean
from powerlist.export.outdir import ExportError, Staging, check_target, unwritable
from powerlist.export.writers import write_all
from powerlist.i18n import T

# Format name -> writer module (each has ``write(cleaned, staging)``), in the order they are written.
FORMATS: dict[str, str] = {
    "yaml": "yamlout", "csv": "csvout", "xlsx": "xlsxout", "json": "jsonout",
    "sqlite": "sqliteout", "html": "html", "md": "mdout", "parquet": "parquetout",
}

__all__ = ["FORMATS", "ExportBlocked", "ExportError", "Exported", "check_target", "export_catalog", "parse_formats"]


class ExportBlocked(Exception):
    """Errors are left in the catalogue and ``allow_errors`` was not given: nothing was written."""

    def __init__(self, checked: Checked, errors: list[Diagnostic]) -> None:
        super().__init__(f"{len(errors)} error(s) left; nothing exported")
        self.checked = checked
        self.errors = errors


@dataclass
class Exported:
    out: Path
    cleaned: Cleaned
    formats: list[str]
    manifest: dict[str, Any]
    allowed: list[Diagnostic] = field(default_factory=list)


def parse_formats(text: str | Sequence[str] | None) -> list[str]:
    """"yaml,csv" (or a list) -> known format names in canonical order; ExportError for unknown ones."""
    if text is None:
        return list(FORMATS)
    parts = text.split(",") if isinstance(text, str) else [p for t in text for p in t.split(",")]
    wanted = {p.strip().lower() for p in parts if p.strip()}
    if "all" in wanted:
        return list(FORMATS)
    bad = sorted(wanted - FORMATS.keys())
    if bad or not wanted:
        raise ExportError(T(f"未知的导出格式：{', '.join(bad) or '（空）'}",
                            f"unknown export format: {', '.join(bad) or '(none)'}"),
                          T(f"可选：{', '.join(FORMATS)}", f"choose from: {', '.join(FORMATS)}"))
    return [f for f in FORMATS if f in wanted]


def errors_of(checked: Checked) -> list[Diagnostic]:
    return [d for d in checked.result.diagnostics if d.severity is Severity.ERROR]


def export_catalog(checked: Checked, out: Path, formats: str | Sequence[str] | None = None, *,
                   allow_errors: bool = False) -> Exported:
    """Publish an already checked catalogue into ``out`` (atomically).

    Raises :class:`ExportBlocked` when errors are left (and ``allow_errors`` is false), and
    :class:`ExportError` when a check crashed or ``out`` is unsafe (inside the catalogue, a file,
    a folder that is not an earlier export). In both cases nothing is written.
    """
    from powerlist.export import manifest

    if checked.result.crashed:
        codes = ", ".join(c for c, _ in checked.result.crashed)
        raise ExportError(T(f"检查 {codes} 内部出错，未导出", f"check {codes} crashed (an internal error); nothing exported"))
    errors = errors_of(checked)
    if errors and not allow_errors:
        raise ExportBlocked(checked, errors)
    chosen = parse_formats(formats)
    cat = checked.catalog
    target = check_target(out, cat.root)
    cleaned = clean(cat, checked.result)
    # The loaded catalogue is large and lives on: keep the collector from rescanning it every time
    # the writers allocate (measured: a third of the JSON writer's time went to collections).
    try:
        with frozen(), Staging(target) as staging:
            write_all(cleaned, staging, chosen, FORMATS)
            data = manifest.write(cleaned, staging, chosen, errors)
            staging.commit()
    except OSError as exc:  # the staging folder is gone by now; the previous export is untouched
        raise unwritable(out, exc) from None
    return Exported(target, cleaned, chosen, data, errors)

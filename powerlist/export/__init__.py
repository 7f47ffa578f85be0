"""Publish the cleaned catalogue: YAML, CSV, XLSX, JSON, SQLite, a static site and Markdown.

:func:`export_catalog` checks the catalogue first and refuses to publish while errors are left
(unless ``allow_errors``, and then the manifest lists every error let through). The output folder
is built beside ``out`` and swapped in whole (see :mod:`powerlist.export.outdir`).

For timing, :func:`write_export` does the writing alone on an already checked catalogue.
"""

from __future__ import annotations

import gc
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from powerlist.api import Checked
from powerlist.config import Settings
from powerlist.diagnostics import Diagnostic, Severity
from powerlist.export.clean import Cleaned, clean
from powerlist.export.outdir import ExportError, Staging, check_target, unwritable
from powerlist.export.writers import write_all
from powerlist.i18n import T

# Format name -> writer module (each has ``write(cleaned, staging)``), in the order they are written.
FORMATS: dict[str, str] = {
    "yaml": "yamlout", "csv": "csvout", "xlsx": "xlsxout", "json": "jsonout",
    "sqlite": "sqliteout", "html": "html", "md": "mdout",
}

__all__ = ["FORMATS", "ExportBlocked", "ExportError", "Exported", "check_target", "export_catalog", "parse_formats",
           "write_export"]


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


def write_export(checked: Checked, out: Path, formats: Sequence[str] | None = None, *,
                 allow_errors: bool = False) -> Exported:
    """Write the export of an already checked catalogue into ``out`` (atomically)."""
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
    gc.freeze()
    try:
        with Staging(target) as staging:
            write_all(cleaned, staging, chosen, FORMATS)
            data = manifest.write(cleaned, staging, chosen, errors)
            staging.commit()
    except OSError as exc:  # the staging folder is gone by now; the previous export is untouched
        raise unwritable(out, exc) from None
    finally:
        gc.unfreeze()
    return Exported(target, cleaned, chosen, data, errors)


def export_catalog(root: Path, out: Path, formats: Sequence[str] | None = None, *,
                   settings: Settings | None = None, allow_errors: bool = False,
                   as_of: date | None = None) -> Exported:
    """Check the catalogue at ``root`` and publish it into ``out``.

    Raises :class:`ExportBlocked` when errors are left (and ``allow_errors`` is false), and
    :class:`ExportError` when ``out`` is unsafe (inside the catalogue, a file, a folder that is
    not an earlier export). In both cases nothing is written.
    """
    from powerlist.api import check, settings_for

    parse_formats(formats)  # a typo fails before the (slow) check
    check_target(out, root)
    checked = check(root, settings or settings_for(root), as_of=as_of)
    return write_export(checked, out, formats, allow_errors=allow_errors)

"""The import as one call: read the sources, write or update the catalogue, describe the change in
``powerlist diff`` terms. The CLI only formats what this returns."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from powerlist.importer.pipeline import Imported, run_import


@dataclass
class Done:
    imported: Imported
    changes: dict[str, int] = field(default_factory=dict)  # diff kind -> count (--update)
    change_text: str = ""


def _registry(path: Path) -> list[dict[str, Any]]:
    from ruamel.yaml import YAML

    if not path.is_file():
        return []
    data = YAML(typ="safe").load(path.read_text(encoding="utf-8"))
    return [d for d in data or [] if isinstance(d, dict)]


def do_import(sources: list[Path], out: Path, *, update: bool = False, mapping: Path | None = None,
              dry_run: bool = False, category: str | None = None, body_level: str = "县级") -> Done:
    from powerlist.importer import write

    if not dry_run:
        write.check_out(out, update)
    existing = update and (out / "bodies.yaml").is_file()
    imported = run_import(sources, mapping=mapping, default_category=category, body_level=body_level,
                          existing_bodies=_registry(out / "bodies.yaml") if existing else None,
                          existing_laws=_registry(out / "laws.yaml") if existing else None)
    done = Done(imported)
    if dry_run:
        return done
    with write.staging(out) as stage:
        if update:
            fields = {c.field or "*" for t in imported.tables for c in t.columns if c.header}
            write.write_update(stage, out, imported, {p.name for p in sources}, fields)
            done.changes, done.change_text = _describe(out, stage)
        else:
            write.write_new(stage, imported)
    return done


def _describe(old: Path, new: Path) -> tuple[dict[str, int], str]:
    """The update in ``powerlist diff`` terms (新增 / 取消 / 调整 / 划转)."""
    import io

    from rich.console import Console

    from powerlist.checks import all_checks
    from powerlist.config import load_settings
    from powerlist.diff import KINDS, diff_folders
    from powerlist.i18n import current_lang
    from powerlist.report.diff import print_text

    report = diff_folders(old, new, load_settings(new, known_codes=all_checks))
    buf = io.StringIO()
    print_text(report, current_lang(), Console(file=buf, width=120, no_color=True))
    return {k: report.count(k) for k in KINDS}, buf.getvalue().rstrip()

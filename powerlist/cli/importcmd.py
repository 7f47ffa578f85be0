"""``powerlist import``: bring in the catalogues offices already keep (xlsx, xls, csv, docx, pdf)."""

from __future__ import annotations

import json
from pathlib import Path

import typer

from powerlist.cli.app import app
from powerlist.cli.common import LangOption, choose_lang, fail


@app.command("import")
def import_(
    sources: list[Path] = typer.Argument(
        ..., help="Files to import: .xlsx .xlsm .xls .csv .tsv .docx .pdf (several allowed)."),
    out: Path = typer.Option(..., "--out", "-o", "--output", help="Catalogue folder to write (must be empty unless --update)."),
    update: bool = typer.Option(False, "--update", help="Update the catalogue in --out, keeping what was added by hand."),
    mapping: Path | None = typer.Option(
        None, "--mapping", help="TOML file: [columns] \"header\" = \"field\" (adds/overrides synonyms)."),
    dry_run: bool = typer.Option(False, "--dry-run", help="Print the column mapping and counts; write nothing."),
    category: str | None = typer.Option(None, "--category", help="Category for rows of a source without a 职权类型 column."),
    body_level: str = typer.Option("县级", "--body-level", help="Level of a body whose name states none (listed in the report)."),
    fmt: str = typer.Option("text", "--format", help="Report format: text or json."),
    report_file: Path | None = typer.Option(
        None, "--report", help="Also write the report's problems as FILE.xlsx to fix and re-import."),
    lang: str | None = LangOption,
) -> None:
    """Turn spreadsheets, Word tables and PDF tables into a catalogue, losing nothing: every row
    becomes a power or is listed in the report with the reason.

    Exit status: 0 imported; 2 the import could not happen (unreadable, encrypted or scanned
    source, no header row, non-empty --out without --update).

    Examples:

      powerlist import 权责清单.xlsx --out catalog/

      powerlist import 许可.csv 处罚.xlsx --out catalog/ --dry-run

      powerlist import 权责清单.xlsx --out catalog/ --update --report 导入问题.xlsx

      powerlist import 清单.docx --out catalog/ --mapping columns.toml --format json
    """
    from powerlist.api import known_codes
    from powerlist.config import ConfigError, load_settings
    from powerlist.importer import ImportFailure
    from powerlist.importer.run import do_import

    choose_lang(lang)
    if fmt not in ("text", "json"):
        fail(f"--format must be text or json, not {fmt!r}")
    try:
        done = do_import(sources, out, update=update, mapping=mapping, dry_run=dry_run,
                         category=category, body_level=body_level)
    except ImportFailure as exc:
        fail(exc.message, exc.hint)
    except ConfigError as exc:
        fail(str(exc))
    from powerlist.importer.report import as_dict, as_text, write_xlsx

    settings = load_settings(out, known_codes=known_codes) if (out / "powerlist.toml").is_file() and not dry_run else None
    data = as_dict(done.imported, settings.categories if settings else _default_categories())
    data["written"] = None if dry_run else str(out)
    data["changes"] = done.changes
    if report_file is not None:
        write_xlsx(data, report_file)
    if fmt == "json":
        typer.echo(json.dumps(data, ensure_ascii=False, indent=1))
    else:
        typer.echo(as_text(data))
        typer.echo(done.change_text or ("dry run: nothing written" if dry_run else f"written: {out}"))


def _default_categories() -> tuple[str, ...]:
    from powerlist.config import DEFAULT_CATEGORIES

    return DEFAULT_CATEGORIES

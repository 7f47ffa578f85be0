"""``powerlist report CATALOGUE --out FILE.xlsx|FILE.html``: the audit report for the legal office."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import typer

from powerlist.cli.app import app
from powerlist.cli.common import CatalogAlias, choose_lang, fail, find_catalog, merge_catalog, output_file, split_codes


@app.command("report")
def report(
    path: Path | None = typer.Argument(
        None, metavar="CATALOGUE",
        help="Catalogue folder. Default: the catalogue the current folder is in (found walking up), or ./catalog."),
    out: Path = typer.Option(..., "--out", "-o", "--output", help="The report file: .xlsx (workbook) or .html (printable page)."),
    lang: str = typer.Option("zh", "--lang", help="Language of the report: zh (default) or en."),
    select: list[str] | None = typer.Option(None, "--select", "-s", help="Only these codes or families."),
    ignore: list[str] | None = typer.Option(None, "--ignore", "-i", help="Skip these codes or families."),
    config: Path | None = typer.Option(None, "--config", help="Configuration file (default: CATALOGUE/powerlist.toml)."),
    as_of: str | None = typer.Option(None, "--as-of", help="Review date YYYY-MM-DD (default: today)."),
    catalog: Path | None = CatalogAlias,
) -> None:
    """Write the audit report for the legal-affairs office: counts per body and family, every finding
    with its entry, message and legal citation, and every waiver with its reason. Runs the same
    checks as `powerlist check`. The file is replaced in one step.

    Exit status: 0 written (whatever it found); 2 the report could not be made.

    Examples:

      powerlist report catalog/ --out 审查报告.xlsx

      powerlist report catalog/ --out review.html --lang en
    """
    from powerlist.api import audit, settings_for
    from powerlist.audit import ReportError, renderer_for, write_report
    from powerlist.config import ConfigError

    language = choose_lang(lang)
    root = find_catalog(merge_catalog(path, catalog))
    output_file(out)
    try:
        renderer_for(out)  # refuse an unknown format before the (long) check run
        day = date.fromisoformat(as_of) if as_of else None
    except ReportError as exc:
        fail(exc.message.get(language))
    except ValueError:
        fail(f"--as-of must be a date YYYY-MM-DD, not {as_of!r}")
    try:
        settings = settings_for(root, config, split_codes(select), split_codes(ignore))
    except ConfigError as exc:
        fail(str(exc))
    result = audit(root, settings, language, day)
    try:
        write_report(result, out)
    except ReportError as exc:
        fail(exc.message.get(language))
    except OSError as exc:
        fail(f"{out}: {exc.strerror or exc}")
    w = result.words
    typer.echo(f"{out}: {w['errors']} {result.errors}, {w['warnings']} {result.warnings}, {w['waived']} {len(result.waived)}")
    if result.crashed:
        typer.secho(f"powerlist: {w['crashed']}{', '.join(result.crashed)}", fg="red", err=True)
        raise typer.Exit(2)

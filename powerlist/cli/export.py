"""``powerlist export``: publish the cleaned catalogue (YAML, CSV, XLSX, JSON, SQLite, site, Markdown)."""

from __future__ import annotations

from pathlib import Path

import typer

from powerlist.cli.app import app
from powerlist.cli.common import CatalogAlias, LangOption, choose_lang, fail, find_catalog, merge_catalog

FORMAT_HELP = "yaml,csv,xlsx,json,sqlite,html,md,parquet"


@app.command("export")
def export(
    path: Path | None = typer.Argument(
        None, metavar="CATALOGUE",
        help="Catalogue folder. Default: the catalogue the current folder is in (found walking up), or ./catalog."),
    out: Path = typer.Option(..., "--out", "-o", "--output", help="Folder to publish into. Built beside it and swapped in whole; "
                             "must be new, empty, or an earlier export."),
    fmt: str | None = typer.Option(None, "--format", "-f", help=f"Comma-separated formats: {FORMAT_HELP} (default: all)."),
    allow_errors: bool = typer.Option(False, "--allow-errors", help="Publish even with errors left; manifest.json "
                                      "lists every error let through."),
    config: Path | None = typer.Option(None, "--config", help="Configuration file (default: CATALOGUE/powerlist.toml)."),
    as_of: str | None = typer.Option(None, "--as-of", help="Take this date (YYYY-MM-DD) as today for waiver expiry."),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="Print nothing on success; no progress bar."),
    lang: str | None = LangOption,
    catalog: Path | None = CatalogAlias,
) -> None:
    """Check the catalogue, then publish it without its abolished powers.

    Stops with exit 1 (and writes nothing) while errors are left, unless --allow-errors (the errors are
    then listed in manifest.json).

    Writes into OUT: yaml/ (the cleaned catalogue), powers.{csv,xlsx,json,sqlite,parquet}, site/ (open index.html),
    md/, manifest.json.

    Examples:

      powerlist export catalog/ --out public/

      powerlist export catalog/ --out public/ --allow-errors

      powerlist export catalog/ --out public/ --format csv,xlsx
    """
    from powerlist.api import check as run_check
    from powerlist.api import settings_for
    from powerlist.cli.check import _as_of
    from powerlist.cli.progress import progress_reporter
    from powerlist.config import ConfigError
    from powerlist.export import ExportBlocked, ExportError, check_target, export_catalog, parse_formats
    from powerlist.i18n import T, tr

    language = choose_lang(lang)
    root = find_catalog(merge_catalog(path, catalog))
    try:
        formats = parse_formats(fmt)
        check_target(out, root)  # refuse an unsafe --out before the (long) check
        settings = settings_for(root, config)
    except ExportError as exc:
        fail(tr(exc.message), tr(exc.hint) if exc.hint else None)
    except ConfigError as exc:
        fail(str(exc))
    day = _as_of(as_of)
    with progress_reporter(enabled=not quiet) as progress:
        checked = run_check(root, settings, as_of=day, progress=progress)
    try:
        done = export_catalog(checked, out, formats, allow_errors=allow_errors)
    except KeyboardInterrupt:
        typer.secho(tr(T(f"已中断：{out} 中原有的导出未改动", f"interrupted: the previous export in {out} is unchanged")),
                    fg="red", err=True)
        raise typer.Exit(130) from None  # 128 + SIGINT, as a shell reports Ctrl-C
    except ExportError as exc:
        for code, tb in checked.result.crashed:
            typer.secho(f"powerlist: internal error in check {code} (please report it):\n{tb}", fg="red", err=True)
        fail(tr(exc.message), tr(exc.hint) if exc.hint else None)
    except ExportBlocked as blocked:
        from rich.console import Console

        from powerlist.report import RenderOptions
        from powerlist.report.text import print_text

        # The whole result, as check prints it: the summary then counts the warnings too.
        print_text(checked.result, RenderOptions(root=root, lang=language), Console(highlight=False, soft_wrap=True))
        typer.secho(tr(T(f"未导出：还有 {len(blocked.errors)} 个错误。"
                         "请修正，或使用 --allow-errors（错误将记入 manifest.json）。",
                         f"Nothing exported: {len(blocked.errors)} error(s) left. Fix them, or pass --allow-errors "
                         "(the errors are then recorded in manifest.json).")), fg="red", err=True)
        raise typer.Exit(1) from None
    if done.allowed:
        typer.secho(tr(T(f"注意：带着 {len(done.allowed)} 个错误导出（已记入 manifest.json）",
                         f"note: {len(done.allowed)} error(s) let through (recorded in manifest.json)")),
                    fg="yellow", err=True)
    if not quiet:
        cl = done.cleaned
        typer.echo(tr(T(
            f"已导出 {len(cl.powers)} 项职权（剔除已取消 {len(cl.dropped)} 项）到 {done.out}：{'、'.join(done.formats)}",
            f"Exported {len(cl.powers)} powers ({len(cl.dropped)} abolished left out) to {done.out}: "
            f"{', '.join(done.formats)}")))

"""``powerlist fmt``: canonical key order and layout, comments and data kept."""

from __future__ import annotations

from pathlib import Path

import typer

from powerlist.cli.app import app
from powerlist.cli.common import LangOption, choose_lang, fail, find_catalog


@app.command("fmt")
def fmt(
    paths: list[Path] | None = typer.Argument(
        None, help="Files or folders to format. Default: the catalogue in the current folder (or ./catalog)."),
    check_only: bool = typer.Option(
        False, "--check", help="Write nothing; show a unified diff and exit 1 if any file would change."),
    lang: str | None = LangOption,
) -> None:
    """Rewrite catalogue files in canonical form: keys in the documented order, two-space
    indentation, id lists in flow style (next: \\[a, b]). Comments and data are kept exactly; a file that cannot be
    parsed is reported and left untouched.

    Exit status: 0 nothing to do (or all written); 1 with --check when a file would change, or when
    a file could not be formatted; 2 bad arguments.

    Examples:

      powerlist fmt                 # the catalogue here

      powerlist fmt --check catalog/

      powerlist fmt catalog/powers/water/SL-XK-001.yaml

      powerlist fmt --check powers/a/X.yaml powers/b/Y.yaml   # what the powerlist-fmt pre-commit hook runs
    """
    from powerlist.catalog.layout import YAML_SUFFIXES
    from powerlist.fmt import collect, format_files
    from powerlist.i18n import tr

    language = choose_lang(lang)
    zh = language == "zh"
    targets = paths or [find_catalog(None)]
    for p in targets:
        if not p.exists():
            fail(f"{p}: no such file or folder")
        if p.is_file() and p.suffix not in YAML_SUFFIXES:
            fail(f"{p} is not a YAML file (.yaml, .yml)")
    files = collect(targets)
    changed = failed = 0
    for outcome in format_files([(p, _display(p)) for p in files], write=not check_only):
        if outcome.error is not None:
            failed += 1
            e = outcome.error
            typer.secho(f"{outcome.display}:{e.line}:{e.column}: {e.code} {tr(e.message, language)}", fg="red", err=True)
        elif outcome.changed:
            changed += 1
            if check_only:
                typer.echo(outcome.diff(), nl=False)
                typer.echo(f"{'将重新格式化' if zh else 'would reformat'} {outcome.display}", err=True)
            else:
                typer.echo(f"{'已重新格式化' if zh else 'reformatted'} {outcome.display}", err=True)
    same = len(files) - changed - failed
    if zh:
        verb = "个文件将被重新格式化" if check_only else "个文件已重新格式化"
        summary = f"{changed} {verb}，{same} 个文件无需改动" + (f"，{failed} 个文件无法格式化" if failed else "")
    else:
        verb = "would be reformatted" if check_only else "reformatted"
        summary = f"{changed} file(s) {verb}, {same} left unchanged" + (f", {failed} could not be formatted" if failed else "")
    typer.echo(summary, err=True)
    raise typer.Exit(1 if failed or (check_only and changed) else 0)


def _display(path: Path) -> str:
    """The path as the user would type it: relative to the current folder when inside it."""
    if not path.is_absolute() and ".." not in path.parts:
        return path.as_posix()  # already relative to here; resolving 100,000 paths costs seconds
    try:
        return path.resolve().relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        return path.as_posix()

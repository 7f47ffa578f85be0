"""``powerlist diff``: a change report between two catalogues, or against a git revision."""

from __future__ import annotations

import io
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from powerlist.cli.app import app
from powerlist.cli.common import LangOption, choose_lang, fail, find_catalog, output_file, write_output

if TYPE_CHECKING:
    from powerlist.diff import DiffReport
    from powerlist.i18n import Lang

FORMATS = ("text", "markdown", "json")


@app.command("diff")
def diff(
    paths: list[Path] | None = typer.Argument(
        None, help="OLD NEW (two catalogue folders), or with --git: CATALOGUE (default: the one here)."),
    git: str | None = typer.Option(
        None, "--git", metavar="REV", help="Compare the catalogue against this git revision (branch, tag, commit)."),
    fmt: str = typer.Option("text", "--format", "-f", help=f"Output format: {', '.join(FORMATS)}."),
    output: Path | None = typer.Option(None, "--output", "-o", "--out", help="Write the report to this file instead of stdout."),
    config: Path | None = typer.Option(None, "--config", help="Configuration file (default: CATALOGUE/powerlist.toml)."),
    lang: str | None = LangOption,
) -> None:
    """Report what changed between two versions of a catalogue in the office's terms: 新增 (added),
    取消 (removed or abolished), 调整 (changed, field by field), 划转 (moved to another body),
    下放/承接 (delegation changed).

    The report is informational: exit 0 whatever changed; 2 when a path or revision is bad.

    Examples:

      powerlist diff catalog-2023/ catalog-2024/

      powerlist diff --git origin/main catalog/ --format markdown > pr-comment.md
    """
    from powerlist import diff as lib
    from powerlist.api import known_codes
    from powerlist.config import ConfigError, load_settings
    from powerlist.gitutil import GitError

    language = choose_lang(lang)
    output_file(output)
    if fmt not in FORMATS:
        fail(f"unknown --format {fmt!r}", f"choose one of: {', '.join(FORMATS)}")
    given = paths or []
    if git is not None:
        if len(given) > 1:
            fail("with --git give at most one catalogue folder", "powerlist diff --git REV [CATALOGUE]")
        root = find_catalog(given[0] if given else None)
    elif len(given) != 2:
        fail("give two catalogue folders (OLD NEW), or --git REV", "powerlist diff OLD NEW | powerlist diff --git REV")
    else:
        old_root, root = find_catalog(given[0]), find_catalog(given[1])
    try:
        settings = load_settings(root, config, known_codes)
    except ConfigError as exc:
        fail(str(exc))
    if git is not None:
        try:
            report = lib.diff_git(git, root, settings)
        except GitError as exc:
            fail(str(exc))
    else:
        report = lib.diff_folders(old_root, root, settings)
    _emit(report, fmt, language, output)


def _emit(report: DiffReport, fmt: str, language: Lang, output: Path | None) -> None:
    from rich.console import Console

    from powerlist.report import diff as render

    if fmt == "text":
        if output is None:
            render.print_text(report, language, Console(highlight=False, soft_wrap=True))
            return
        buf = io.StringIO()  # rendered first, so that an unwritable file fails as one message
        render.print_text(report, language, Console(file=buf, no_color=True, width=120, soft_wrap=True))
        write_output(output, buf.getvalue())
        return
    text = render.render_json(report, language) if fmt == "json" else render.render_markdown(report, language)
    if output is None:
        typer.echo(text, nl=False)
    else:
        write_output(output, text)

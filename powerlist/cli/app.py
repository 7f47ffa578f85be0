"""The typer application object every command module registers on."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from typing import Any

import typer
from typer.core import TyperGroup

from powerlist import __version__


def _version(value: bool) -> None:
    if value:
        typer.echo(f"powerlist {__version__}")
        raise typer.Exit(0)


class PowerlistGroup(TyperGroup):
    """The root command: before click parses anything (``--help`` is printed while parsing), the
    command tree is set for help in the run's language, without Python types
    (:mod:`powerlist.cli.help_zh`)."""

    def main(self, args: Sequence[str] | None = None, *a: Any, **kw: Any) -> Any:
        from powerlist.cli.help_zh import lang_of, localise

        argv = list(sys.argv[1:] if args is None else args)
        localise(self, lang_of(argv))
        return super().main(argv, *a, **kw)


app = typer.Typer(
    cls=PowerlistGroup,
    name="powerlist",
    help=(
        "Keep an administrative-power catalogue (权力清单 / 行政职权目录) honest: check it against the "
        "law, review its changes, and publish the cleaned list.\n\n"
        "Start with:  powerlist check CATALOGUE   (exit 0 clean, 1 findings, 2 the run could not happen)"
    ),
    no_args_is_help=True,
    add_completion=True,  # --install-completion / --show-completion for bash, zsh, fish, PowerShell
    rich_markup_mode="rich",
    context_settings={"help_option_names": ["-h", "--help"]},
    pretty_exceptions_enable=False,
)


def _lang_defaults(cmd: Any, lang: str) -> dict[str, Any]:
    """``--lang`` before the command (``powerlist --lang zh check``) as the default of every
    command's own ``--lang`` (click's default_map, nested like the commands)."""
    out: dict[str, Any] = {}
    for name, sub in getattr(cmd, "commands", {}).items():
        out[name] = _lang_defaults(sub, lang) if getattr(sub, "commands", None) else {"lang": lang}
    return out


@app.callback()
def _root(
    ctx: typer.Context,
    version: bool = typer.Option(False, "--version", "-V", callback=_version, is_eager=True, help="Show the version and exit."),
    lang: str | None = typer.Option(None, "--lang", help="Language of help and messages: zh or en (default: from the "
                                    "locale); the same as --lang after the command."),
) -> None:
    """powerlist: check, diff and publish administrative-power catalogues."""
    if lang is not None:
        ctx.default_map = _lang_defaults(ctx.command, lang)

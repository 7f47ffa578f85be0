"""The typer application object every command module registers on."""

from __future__ import annotations

import typer

from powerlist import __version__


def _version(value: bool) -> None:
    if value:
        typer.echo(f"powerlist {__version__}")
        raise typer.Exit(0)


app = typer.Typer(
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


@app.callback()
def _root(
    version: bool = typer.Option(False, "--version", "-V", callback=_version, is_eager=True, help="Show the version and exit."),
) -> None:
    """powerlist: check, diff and publish administrative-power catalogues."""

"""``powerlist schema``: write the JSON Schemas generated from the models."""

from __future__ import annotations

from pathlib import Path

import typer

from powerlist.cli.app import app
from powerlist.cli.common import fail


@app.command("schema")
def schema(
    out: Path = typer.Option(Path("schemas"), "--out", "-o", "--output", help="Folder to write the schemas into."),
    check_only: bool = typer.Option(False, "--check", help="Write nothing; exit 1 if the folder is out of date."),
) -> None:
    """Write JSON Schemas for power files, bodies.yaml, laws.yaml and decisions.yaml.

    Editors that speak the YAML language server validate as you type when a file starts with

      # yaml-language-server: $schema=../../schemas/power.schema.json
    """
    from powerlist.jsonschema import stale, write_all

    if check_only:
        bad = stale(out)
        for name in bad:
            typer.echo(f"{out / name}: out of date (run `powerlist schema`)")
        raise typer.Exit(1 if bad else 0)
    if out.exists() and not out.is_dir():
        fail(f"{out} is a file; --out takes a folder")
    try:
        changed = write_all(out)
    except OSError as exc:
        fail(f"cannot write the schemas into {out}: {exc.strerror or exc}")
    typer.echo(f"{len(changed)} schema(s) written to {out}" if changed else f"{out}: up to date")

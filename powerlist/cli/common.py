"""Helpers shared by commands: locating the catalogue, language, errors that end the run (exit 2)."""

from __future__ import annotations

from pathlib import Path
from typing import NoReturn

import typer

from powerlist.i18n import Lang, lang_from_env, set_lang

LangOption = typer.Option(None, "--lang", help="Language of messages: zh or en (default: from the locale; zh for zh_*).")


def fail(message: str, hint: str | None = None) -> NoReturn:
    """The run cannot happen: say why on stderr and exit 2."""
    typer.secho(f"powerlist: error: {message}", fg="red", err=True)
    if hint:
        typer.echo(f"  hint: {hint}", err=True)
    raise typer.Exit(2)


def choose_lang(lang: str | None) -> Lang:
    if lang is None:
        chosen = lang_from_env()
    elif lang.lower() in ("zh", "en"):
        chosen = lang.lower()  # type: ignore[assignment]
    else:
        fail(f"--lang must be zh or en, not {lang!r}")
    set_lang(chosen)
    return chosen


def find_catalog(path: Path | None) -> Path:
    """The catalogue folder: PATH; without one, the current folder, else the catalogue the current
    folder lies in (walking up, see :func:`powerlist.catalog.layout.find_root`), else ./catalog when
    run from a repository. Every command that takes a catalogue finds it here."""
    from powerlist.catalog.layout import find_root, is_catalog

    if path is None:
        cwd = Path.cwd()
        if is_catalog(cwd):
            return cwd
        above = find_root(cwd)
        if above is not None:
            return above
        if is_catalog(cwd / "catalog"):
            return cwd / "catalog"
        fail("no catalogue here", "pass the catalogue folder: powerlist check path/to/catalogue")
    if not path.exists():
        fail(f"{path}: no such file or folder")
    if path.is_file():
        fail(f"{path} is a file; pass the catalogue folder (the one holding bodies.yaml and powers/)")
    if not is_catalog(path):
        fail(f"{path} is not a catalogue", "a catalogue folder holds bodies.yaml, laws.yaml and powers/")
    return path


def split_codes(values: list[str] | None) -> list[str]:
    """--select A,B --select C -> [A, B, C]."""
    out: list[str] = []
    for v in values or []:
        out.extend(p.strip().upper() for p in v.split(",") if p.strip())
    return out


def catalog_of_file(path: Path) -> tuple[Path, str]:
    """The catalogue a file belongs to (the nearest catalogue root above it, found as
    :func:`find_catalog` walks up) and the file's path inside it: editors and pre-commit hand
    powerlist single files."""
    import os

    from powerlist.catalog.layout import find_root

    here = Path(os.path.abspath(path))
    root = find_root(here.parent)
    if root is None:
        fail(f"{path} is not inside a catalogue", "a catalogue folder holds bodies.yaml, laws.yaml and powers/")
    return root, here.relative_to(root).as_posix()


def output_file(path: Path | None) -> Path | None:
    """Refuse an output file that cannot be written before the (long) run: a folder, or a file in a
    folder that does not exist. Exit 2 with one line instead of a traceback after the work is done."""
    if path is None:
        return path
    if path.is_dir():
        fail(f"{path} is a folder", "give a file name, e.g. -o report.json")
    parent = path.absolute().parent
    if not parent.is_dir():
        fail(f"cannot write {path}: folder {parent} does not exist", f"create it first: mkdir -p {parent}")
    return path


def write_output(path: Path, text: str) -> None:
    """Write a report file; an OS refusal (permissions, disk full) ends the run with exit 2."""
    try:
        path.write_text(text, encoding="utf-8")
    except OSError as exc:
        fail(f"cannot write {path}: {exc.strerror or exc}")


def merge_catalog(positional: Path | None, option: Path | None) -> Path | None:
    """The catalogue given positionally or through the older --catalog spelling (an alias)."""
    if positional is not None and option is not None and positional != option:
        fail("give the catalogue once: positionally or with --catalog, not both")
    return positional if positional is not None else option


CatalogAlias = typer.Option(None, "--catalog", "-c", hidden=True, help="Same as the positional CATALOGUE (kept for old scripts).")

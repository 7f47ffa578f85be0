"""The command line: thin typer commands (parse options -> library call -> reporter -> exit code).

Each module in this package registers its commands on :data:`powerlist.cli.app.app` when
imported; heavy libraries are imported inside the commands so that start-up stays fast.
"""

from __future__ import annotations

import importlib
import pkgutil

from powerlist.cli.app import app


def _load_commands() -> None:
    for mod in sorted(m.name for m in pkgutil.iter_modules(__path__)):
        if mod not in ("app", "common"):
            importlib.import_module(f"{__name__}.{mod}")


def main() -> None:
    _load_commands()
    app()


__all__ = ["app", "main"]

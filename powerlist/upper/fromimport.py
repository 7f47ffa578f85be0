"""An upper list given as a file that `powerlist import` reads (xlsx, xls, csv, docx, pdf), turned
into an in-memory catalogue: nothing is written. Stands on the output floor (the importer's), and
is handed to :func:`powerlist.upper.load.load_upper` by the face (api)."""

from __future__ import annotations

from pathlib import Path

from powerlist.catalog import Catalog
from powerlist.catalog.build import load_file
from powerlist.catalog.parse import Parsed
from powerlist.config import Settings
from powerlist.importer import ImportFailure
from powerlist.importer.pipeline import run_import
from powerlist.upper.load import UpperError


def catalog_from_file(path: Path, label: str) -> Catalog:
    """Every item the importer finds in ``path``, each a power entry at ``label`` (line 1: a
    spreadsheet has no YAML lines to point at), with the laws the import resolved."""
    try:
        imported = run_import([path])
    except ImportFailure as exc:
        raise UpperError(f"--upper {label}: {exc}") from None
    except (OSError, ValueError) as exc:
        raise UpperError(f"--upper {label}: cannot read it: {exc}") from None
    powers = []
    for p in imported.powers:
        _, entries = load_file(label, "power", Parsed(p.data))
        bad = [e for e in entries if e.model is None]
        if bad:
            problem = next((pr for pr in entries[0].file.problems), None)
            why = problem.message.get() if problem is not None else "invalid"
            raise UpperError(f"--upper {label}: {p.source}: {why}")
        powers.extend(entries)
    _, laws = load_file(label, "laws", Parsed(imported.laws))
    valid_laws = [e for e in laws if e.model is not None]
    return Catalog(Path(label), Settings(), [], powers, [], valid_laws, [], [])

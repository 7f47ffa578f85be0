"""Read the upper lists ([upper] catalogues / ``--upper``) into an :class:`UpperIndex`.

A folder is a catalogue in the format (bodies.yaml, laws.yaml, powers/), read through the one load
pipeline with its own powerlist.toml. Its files are addressed relative to the local catalogue
(``upper/powers/…``) so findings on them (U008) print like every other path and the text report
can show their lines. A file is handed to ``from_file`` (a spreadsheet the importer reads; the
caller supplies it, since the importer stands above this floor).

An upper list that cannot be read, or has entries that fail validation, stops the run (exit 2)
with file:line: half an upper list would report every missing half as a defect of the local one.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

from powerlist.catalog import Catalog, discover, is_catalog, load_catalog
from powerlist.config import ConfigError, KnownCodes, load_settings
from powerlist.fsutil import read_regular
from powerlist.upper.index import UpperIndex, UpperList, digest_of

FromFile = Callable[[Path, str], Catalog]
"""(source file, label) -> an in-memory catalogue of its items."""


class UpperError(ConfigError):
    """An upper list cannot be used: the run cannot happen (exit 2)."""


def label_of(root: Path, path: Path) -> str:
    """``path`` as findings show it: relative to the local catalogue, POSIX separators."""
    return Path(os.path.relpath(path.absolute(), root.absolute())).as_posix()


def load_upper(root: Path, paths: tuple[Path, ...], known_codes: KnownCodes | None = None,
               from_file: FromFile | None = None) -> UpperIndex:
    lists: list[UpperList] = []
    chunks: list[bytes] = []
    for path in paths:
        label = label_of(root, path)
        if path.is_dir():
            if not is_catalog(path):
                raise UpperError(f"--upper {path}: not a catalogue (no bodies.yaml, laws.yaml or powers/ in it)")
            cat = _folder(root, path, label, known_codes, chunks)
        elif path.is_file():
            if from_file is None:
                raise UpperError(f"--upper {path}: a file; give a catalogue folder")
            chunks.append(label.encode() + b"\0" + read_regular(path))
            cat = from_file(path, label)
        else:
            raise UpperError(f"--upper {path}: no such file or folder")
        lists.append(UpperList(label, cat))
    return UpperIndex(lists, digest_of(chunks))


def _folder(root: Path, path: Path, label: str, known_codes: KnownCodes | None, chunks: list[bytes]) -> Catalog:
    settings = load_settings(path, None, known_codes)
    prefix = "" if label == "." else label + "/"
    files = [(prefix + rel, kind) for rel, kind in discover(path)]
    for rel, _ in files:
        chunks.append(rel.encode() + b"\0" + read_regular(root / rel, settings.limits.max_file_bytes + 1))
    # Loaded from the local root, so every path (and every re-read of a released file) is relative to it.
    cat = load_catalog(root, settings, files=files)
    problems = [f"{sf.path}:{p.line}:{p.column}: {p.code} {p.message.get()}"
                for sf in cat.files for p in sf.problems if p.code in _FATAL or not sf.ok]
    if problems:
        more = f" (and {len(problems) - 5} more)" if len(problems) > 5 else ""
        raise UpperError(f"upper list {label} cannot be used: fix it first (powerlist check {label}):\n  "
                         + "\n  ".join(problems[:5]) + more)
    return cat


# Validation and parse errors: an entry is missing or wrong, so the index would be wrong.
_FATAL = frozenset({f"S{n:03d}" for n in range(1, 14)})

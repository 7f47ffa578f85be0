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

import hashlib
import os
from collections.abc import Callable
from pathlib import Path

from powerlist.catalog import Catalog, discover, is_catalog, load_catalog
from powerlist.config import CONFIG_NAME, ConfigError, KnownCodes, load_settings
from powerlist.fsutil import open_regular
from powerlist.upper.index import UpperIndex, UpperList

FromFile = Callable[[Path, str], Catalog]
"""(source file, label) -> an in-memory catalogue of its items."""


class UpperError(ConfigError):
    """An upper list cannot be used: the run cannot happen (exit 2)."""


def label_of(root: Path, path: Path) -> str:
    """``path`` as findings show it: relative to the local catalogue, POSIX separators."""
    return Path(os.path.relpath(path.absolute(), root.absolute())).as_posix()


def upper_digest(root: Path, paths: tuple[Path, ...]) -> str:
    """What the result cache keys on: the bytes of every upper file, the upper lists' own
    powerlist.toml included, hashed as read (never parsed), so a cached result is served without
    loading the upper lists. Raises :class:`UpperError` for a path that is no catalogue and no file."""
    h = hashlib.sha256()
    for path in paths:
        label = label_of(root, path)
        if path.is_dir():
            _require_catalog(path)
            prefix = "" if label == "." else label + "/"
            names = [rel for rel, _ in discover(path)]
            if (path / CONFIG_NAME).is_file():
                names.append(CONFIG_NAME)
            for rel in names:
                _hash_file(h, prefix + rel, root / (prefix + rel))
        elif path.is_file():
            _hash_file(h, label, path)
        else:
            raise UpperError(f"--upper {path}: no such file or folder")
    return h.hexdigest()


def _hash_file(h: hashlib._Hash, name: str, path: Path) -> None:
    # streamed: a large upper file costs no memory to hash (its size limit is the loader's business)
    h.update(name.encode("utf-8", "surrogateescape") + b"\0")
    size = 0
    with open_regular(path) as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
            size += len(block)
    h.update(size.to_bytes(8, "big"))


def _require_catalog(path: Path) -> None:
    if not is_catalog(path):
        raise UpperError(f"--upper {path}: not a catalogue (no bodies.yaml, laws.yaml or powers/ in it)")


def load_upper(root: Path, paths: tuple[Path, ...], known_codes: KnownCodes | None = None,
               from_file: FromFile | None = None, digest: str | None = None) -> UpperIndex:
    """The upper lists loaded and indexed. ``digest``: :func:`upper_digest` of ``paths`` when the
    caller has it already (the cached check computes it first)."""
    if digest is None:
        digest = upper_digest(root, paths)  # also refuses a path that is neither catalogue nor file
    lists: list[UpperList] = []
    for path in paths:
        label = label_of(root, path)
        if path.is_dir():
            cat = _folder(root, path, label, known_codes)
        else:
            if from_file is None:
                raise UpperError(f"--upper {path}: a file; give a catalogue folder")
            cat = from_file(path, label)
        lists.append(UpperList(label, cat))
    return UpperIndex(lists, digest)


def _folder(root: Path, path: Path, label: str, known_codes: KnownCodes | None) -> Catalog:
    settings = load_settings(path, None, known_codes)
    prefix = "" if label == "." else label + "/"
    files = [(prefix + rel, kind) for rel, kind in discover(path)]
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

"""The catalogue's layout on disk (catalog-format.md): which files are catalogue files.

Kept apart from catalog.py so that finding the files costs no model imports (a warm, cached run
needs nothing more)."""

from __future__ import annotations

import os
from pathlib import Path

REGISTRY_FILES = ("bodies", "laws", "decisions")
POWERS_DIR = "powers"
YAML_SUFFIXES = (".yaml", ".yml")


def discover(root: Path) -> list[tuple[str, str]]:
    """(relative path, kind) of every catalogue file, sorted; hidden folders are skipped."""
    found: list[tuple[str, str]] = []
    for name in REGISTRY_FILES:
        for suffix in YAML_SUFFIXES:
            if (root / f"{name}{suffix}").is_file():
                found.append((f"{name}{suffix}", name))
                break
    powers = root / POWERS_DIR
    if powers.is_dir():
        rels: list[str] = []
        for dirpath, dirnames, filenames in os.walk(powers):
            dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
            base = os.path.relpath(dirpath, root).replace(os.sep, "/")
            rels.extend(f"{base}/{f}" for f in filenames if f.endswith(YAML_SUFFIXES) and not f.startswith("."))
        found.extend((r, "power") for r in sorted(rels))
    return found


def is_catalog(root: Path) -> bool:
    return root.is_dir() and (
        (root / POWERS_DIR).is_dir() or any((root / f"{n}{s}").is_file() for n in REGISTRY_FILES for s in YAML_SUFFIXES)
    )

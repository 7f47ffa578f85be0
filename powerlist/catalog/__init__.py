"""Folder -> :class:`Catalog`: the load floor, one job per module.

- ``layout``   which files are catalogue files and of what kind (``discover``, ``kind_of``)
- ``parse``    read one YAML file fast, with positions; every way it can be broken (S001-S010)
- ``validate`` models -> located S problems (S011-S013)
- ``parallel`` parse in worker processes; the data-only encoding of a parse
- ``cache``    the check cache (parsed files and whole results, by content hash)
- ``source``   :class:`SourceFile`: one file as loaded
- ``model``    :class:`Catalog`, :class:`Entry`, :class:`LawRef`: entries and their indexes
- ``build``    :func:`load_catalog`: the one pipeline every caller loads through
- ``gcpause``  the garbage collector around bulk work

The names below are re-exported lazily (PEP 562): importing a light module of this package (the
layout, the cache) must not import the models, so that a result served whole from the cache
starts fast.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from powerlist.catalog.build import load_catalog
    from powerlist.catalog.layout import (
        POWERS_DIR,
        REGISTRY_FILES,
        YAML_SUFFIXES,
        Discovered,
        Refused,
        discover,
        is_catalog,
        kind_of,
    )
    from powerlist.catalog.model import Catalog, Entry, LawRef
    from powerlist.catalog.source import SourceFile

_HOME = {
    "load_catalog": "build",
    "Catalog": "model", "Entry": "model", "LawRef": "model",
    "SourceFile": "source",
    "POWERS_DIR": "layout", "REGISTRY_FILES": "layout", "YAML_SUFFIXES": "layout", "Discovered": "layout",
    "Refused": "layout", "discover": "layout", "is_catalog": "layout", "kind_of": "layout",
}

__all__ = [
    "POWERS_DIR", "REGISTRY_FILES", "YAML_SUFFIXES", "Catalog", "Discovered", "Entry", "LawRef", "Refused",
    "SourceFile", "discover", "is_catalog", "kind_of", "load_catalog",
]


def __getattr__(name: str) -> Any:
    home = _HOME.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{home}"), name)
    globals()[name] = value
    return value

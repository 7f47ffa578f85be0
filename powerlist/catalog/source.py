"""One catalogue file as loaded (:class:`SourceFile`): its data, or once released only the
positions of its top-level keys, and a way to locate any key in it."""

from __future__ import annotations

import os
from array import array
from functools import lru_cache
from pathlib import Path
from typing import Any

from powerlist.catalog.layout import Refused
from powerlist.catalog.parse import LazyPositions, LoadProblem, Parsed, locate, read_and_parse
from powerlist.limits import Limits

# Interned key orders of released files (most power files share one): bounded, so that a
# long-running process loading many catalogues does not grow it forever. Past the bound a key
# order is simply not shared.
_KEY_ORDERS: dict[tuple[str, ...], tuple[str, ...]] = {}
_KEY_ORDERS_MAX = 1024

_Signature = tuple[int, int, int, int] | None


@lru_cache(maxsize=64)
def _reparse(path: str, limits: Limits, signature: _Signature) -> Parsed:
    """Re-read a released file; the few files with several findings are parsed once.

    Keyed by the file's stat signature too, so that a long-running process never answers from
    the parse of a file that has since been edited."""
    return read_and_parse(path, limits)


def _signature(path: str) -> _Signature:
    try:
        st = os.stat(path)
    except OSError:
        return None
    return st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino


def _interned(keys: tuple[str, ...]) -> tuple[str, ...]:
    got = _KEY_ORDERS.get(keys)
    if got is None:
        if len(_KEY_ORDERS) >= _KEY_ORDERS_MAX:
            return keys
        _KEY_ORDERS[keys] = got = keys
    return got


class SourceFile:
    """One file as loaded: its data and the positions needed to locate any key in it.

    A valid power file releases its raw data once validated (the model holds everything the
    checks need): at 100,000 powers that saves about half the memory. It keeps the positions of
    its top-level keys, where most findings point; a deeper key is located by parsing that one
    file again.
    """

    __slots__ = ("_data", "_keys", "_positions", "_top", "kind", "limits", "ok", "path", "problems", "projection",
                 "refused", "root")

    def __init__(
        self, path: str, kind: str, data: Any, positions: array, problems: list[LoadProblem] | None = None,
        root: Path | None = None, limits: Limits | None = None, top: array | None = None,
    ) -> None:
        self.path = path  # relative to the catalogue root, POSIX separators
        self.kind = kind  # "power" or a registry name
        self.ok = data is not None  # the file parsed into a document
        self._data = data
        self._positions: array | None = positions
        self.problems = problems if problems is not None else []
        self.root = root
        self.limits = limits
        self._keys: tuple[str, ...] = ()
        self._top = top  # pair index per top-level key, until released; then (line, col) * 4 per key
        self.refused = False  # found but never opened (layout.Refused): nobody may read it, export included
        self.projection: str | None = None  # what cross-entry checks may read of it (projection.py), when asked

    @classmethod
    def from_refused(cls, r: Refused) -> SourceFile:
        """A path discovery refused to open, carrying its one finding at line 1, column 1."""
        sf = cls(r.rel, r.kind, None, array("I"), [LoadProblem(r.code, 1, 1, r.message)])
        sf.refused = True
        return sf

    def release(self) -> None:
        """Drop the raw data, keeping root and top-level key positions (line, col of key and value)."""
        if self.root is None or not isinstance(self._data, dict) or self._top is None or self._positions is None:
            return
        keys = tuple(self._data)
        if len(keys) != len(self._top):
            return
        pos = self._positions
        # Read by the fast parser (parse.LazyPositions): the table comes from a line scan and the
        # positions stay uncomputed (a deeper key re-reads the file, as before).
        kept = pos.top_table(keys) if isinstance(pos, LazyPositions) else None
        if kept is None:
            kept = array("I", pos[0:2])
            for pair in self._top:
                kept.extend(pos[2 * pair: 2 * pair + 4])
        self._keys = _interned(keys)
        self._top = kept
        self._data = None
        self._positions = None

    @property
    def top_keys(self) -> tuple[str, ...]:
        """The document's top-level keys in order; known without re-reading a released file."""
        if self._data is None and self._keys:
            return self._keys
        return tuple(self._data) if isinstance(self._data, dict) else ()

    def _parsed(self) -> Parsed:
        assert self.root is not None
        path = str(self.root / self.path)
        return _reparse(path, self.limits or Limits(), _signature(path))

    @property
    def data(self) -> Any:
        if self._data is None and self.ok and self.root is not None:
            return self._parsed().data
        return self._data

    @property
    def positions(self) -> array:
        if self._positions is None:
            return self._parsed().positions
        return self._positions

    def locate(self, key: tuple[str | int, ...], at: str = "value") -> tuple[int, int]:
        if self._data is None and self._keys and len(key) <= 1:
            top = self._top
            assert top is not None
            if not key or key[0] not in self._keys:
                return top[0], top[1]  # the document itself, as locate() does for a missing key
            i = 2 + 4 * self._keys.index(key[0]) + (0 if at == "key" else 2)
            return top[i], top[i + 1]
        return locate(self.data, self.positions, key, at=at)

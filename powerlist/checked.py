""":class:`Checked`: what a check run hands to the outputs (report, export, audit) — the result
and the catalogue it came from. Light on purpose: a result served whole from the cache is
handed on without importing the catalogue, the models or the engine."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from powerlist.diagnostics import Result

if TYPE_CHECKING:
    from powerlist.catalog import Catalog
    from powerlist.signing import Signature


class Checked:
    """A result and the catalogue it came from. When the result came whole from the cache the
    catalogue is loaded only if someone asks for it."""

    def __init__(self, catalog: Catalog | None, result: Result, loader: Callable[[], Catalog] | None = None) -> None:
        self._catalog = catalog
        self._loader = loader
        self.result = result
        self.from_cache = catalog is None
        self.prover: Callable[[], list[Signature] | None] | None = None  # see :attr:`proof`
        self.incremental = False  # only edited files were judged (incremental.py)

    @property
    def catalog(self) -> Catalog:
        if self._catalog is None:
            assert self._loader is not None
            self._catalog = self._loader()
        return self._catalog

    @property
    def proof(self) -> list[Signature] | None:
        """The stat signatures of everything the run read, for a replay of its output (replay.py);
        None when they cannot prove it. Built only when asked (25,000 paths cost ~0.3 s)."""
        return self.prover() if self.prover is not None else None

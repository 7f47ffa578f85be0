"""``compare --out x.parquet``: every item, one row each (the JSON items' columns), written by DuckDB
itself (COPY): nothing passes through Python, whatever the number of lists."""

from __future__ import annotations

from pathlib import Path

from powerlist.compare.engine import Comparison


def write(cmp: Comparison, path: Path) -> None:
    cmp.copy_parquet(path)

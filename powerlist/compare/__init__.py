"""``powerlist compare``: the same item across sibling lists (a city's counties, a province's cities).

Inputs are catalogue folders and/or Parquet exports (``export --format parquet``); the comparison
runs as DuckDB queries (:mod:`powerlist.compare.engine`); the result is written as XLSX, HTML, JSON
or Parquet by the writer the suffix of ``--out`` names, into a temporary file renamed onto ``out``.
"""

from __future__ import annotations

import importlib
import os
from collections.abc import Callable, Sequence
from pathlib import Path

from powerlist.compare.engine import Comparison, check_out, compare, temp_beside
from powerlist.compare.model import CompareError

# Suffix -> writer module (each has ``write(comparison, path)``).
FORMATS: dict[str, str] = {"xlsx": "xlsxout", "html": "htmlout", "json": "jsonout", "parquet": "parquetout"}

__all__ = ["FORMATS", "CompareError", "Comparison", "check_out", "compare", "run", "write"]


def write(cmp: Comparison, out: Path) -> None:
    """Write ``cmp`` to ``out`` (format from its suffix) atomically: a reader never sees half a file."""
    fmt = check_out(out, FORMATS)
    tmp = temp_beside(out)
    try:
        importlib.import_module(f"powerlist.compare.{FORMATS[fmt]}").write(cmp, tmp)
        os.replace(tmp, out)
    finally:
        tmp.unlink(missing_ok=True)


def run(paths: Sequence[Path], out: Path, *, known_codes: Callable[[], list[str]], memory_limit: str | None = None,
        threads: int | None = None, progress: Callable[[str, int, int], None] | None = None) -> Comparison:
    """Compare and write; the returned comparison is closed (its figures stay readable)."""
    check_out(out, FORMATS)  # an unknown suffix fails before the (long) comparison
    with compare(paths, known_codes=known_codes, memory_limit=memory_limit, threads=threads, progress=progress) as cmp:
        write(cmp, out)
    return cmp

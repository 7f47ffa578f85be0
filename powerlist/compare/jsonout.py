"""``compare --out x.json``: the whole comparison (every item), streamed to the file in batches.

Shape (docs/compare.md): {"version": 1, "attributes", "summary", "lists": [...], "items": [...]}.
"""

from __future__ import annotations

from dataclasses import asdict
from pathlib import Path
from typing import IO, Any

import orjson

from powerlist.compare.engine import Comparison
from powerlist.compare.model import ATTR_KEYS, ListStat

VERSION = 1


def list_json(st: ListStat) -> dict[str, Any]:
    d = asdict(st)
    d["distance"] = round(st.distance, 4)
    return d


def item_json(row: dict[str, Any]) -> dict[str, Any]:
    """A streamed row as written: only the attributes each list departs on, under "differences"."""
    row["differences"] = [{k: v for k, v in d.items() if v is not None} for d in row["differences"]]
    return row


def _write(cmp: Comparison, fh: IO[bytes]) -> None:
    head = {"version": VERSION, "attributes": list(ATTR_KEYS), "summary": asdict(cmp.summary),
            "lists": [list_json(s) for s in cmp.lists]}
    fh.write(orjson.dumps(head)[:-1] + b',"items":[')
    first = True
    for row in cmp.stream():
        fh.write((b"\n" if first else b",\n") + orjson.dumps(item_json(row)))
        first = False
    fh.write(b"]}\n")


def write(cmp: Comparison, path: Path) -> None:
    with path.open("wb") as fh:
        _write(cmp, fh)

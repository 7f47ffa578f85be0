"""``yaml/``: the cleaned catalogue in the same layout, loadable by powerlist.

Files are copied byte for byte (comments, key order and quoting stay exactly as written); only the
files of abolished powers are left out. The configuration comes along so that the copy is checked
with the same categories and selection; upper-level lists kept inside the catalogue (``[upper]``)
come along too, so the copy's U checks see the same list.
"""

from __future__ import annotations

from collections.abc import Collection

from powerlist.catalog import Catalog
from powerlist.config import CONFIG_NAME
from powerlist.export.clean import Cleaned
from powerlist.export.outdir import Staging
from powerlist.fsutil import read_inside
from powerlist.upper.index import UpperIndex

DIR = "yaml"


def write(cl: Cleaned, out: Staging) -> None:
    cat = cl.catalog
    _copy(cat, CONFIG_NAME, out, cl.dropped_paths)
    if isinstance(cat.upper, UpperIndex):
        for lst in cat.upper.lists:
            # An upper list is loaded from the local root: its files' paths already start with its
            # label (upper/powers/…). One outside the catalogue (../province) is not ours to publish;
            # the copy's [upper] path then names a folder it lacks, and its check says so (exit 2).
            if lst.label not in (".", "..") and not lst.label.startswith("../"):
                _copy(lst.catalog, f"{lst.label}/{CONFIG_NAME}", out)


def _copy(cat: Catalog, config_at: str, out: Staging, dropped: Collection[str] = ()) -> None:
    """``cat``'s configuration (to ``config_at``) and files, byte for byte (``dropped`` left out)."""
    config = cat.settings.source
    if config is not None and config.is_file():
        out.write_bytes(f"{DIR}/{config_at}", config.read_bytes())
    for sf in cat.files:
        # A refused path (link out of the catalogue, FIFO …) is never read, not even to copy it.
        if sf.path not in dropped and not sf.refused:
            out.write_bytes(f"{DIR}/{sf.path}", read_inside(cat.root, sf.path))

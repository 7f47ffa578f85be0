"""``yaml/``: the cleaned catalogue in the same layout, loadable by powerlist.

Files are copied byte for byte (comments, key order and quoting stay exactly as written); only the
files of abolished powers are left out. The configuration comes along so that the copy is checked
with the same categories and selection; upper-level lists kept inside the catalogue (``[upper]``)
come along too, so the copy's U checks see the same list.
"""

from __future__ import annotations

from powerlist.catalog import Catalog
from powerlist.config import CONFIG_NAME
from powerlist.export.clean import Cleaned
from powerlist.export.outdir import Staging
from powerlist.fsutil import read_inside
from powerlist.upper.index import UpperIndex

DIR = "yaml"


def write(cl: Cleaned, out: Staging) -> None:
    cat = cl.catalog
    config = cat.settings.source
    if config is not None and config.is_file():
        out.write_bytes(f"{DIR}/{CONFIG_NAME}", config.read_bytes())
    for sf in cat.files:
        # A refused path (link out of the catalogue, FIFO …) is never read, not even to copy it.
        if sf.path not in cl.dropped_paths and not sf.refused:
            out.write_bytes(f"{DIR}/{sf.path}", read_inside(cat.root, sf.path))
    if isinstance(cat.upper, UpperIndex):
        for lst in cat.upper.lists:
            _copy_upper(cl, lst.catalog, out)


def _copy_upper(cl: Cleaned, upper: Catalog, out: Staging) -> None:
    # An upper list outside the catalogue is not ours to publish; its [upper] path then names a
    # folder the copy lacks, and the copy's check says so (exit 2) rather than guess.
    try:
        rel = upper.root.resolve().relative_to(cl.catalog.root.resolve())
    except ValueError:
        return
    config = upper.settings.source
    if config is not None and config.is_file():
        out.write_bytes(f"{DIR}/{rel.as_posix()}/{CONFIG_NAME}", config.read_bytes())
    for sf in upper.files:
        if not sf.refused:
            out.write_bytes(f"{DIR}/{rel.as_posix()}/{sf.path}", read_inside(upper.root, sf.path))

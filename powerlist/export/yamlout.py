"""``yaml/``: the cleaned catalogue in the same layout, loadable by powerlist.

Files are copied byte for byte (comments, key order and quoting stay exactly as written); only the
files of abolished powers are left out. The configuration comes along so that the copy is checked
with the same categories and selection.
"""

from __future__ import annotations

from powerlist.config import CONFIG_NAME
from powerlist.export.clean import Cleaned
from powerlist.export.outdir import Staging
from powerlist.fsutil import read_inside

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

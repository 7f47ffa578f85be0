"""``powers.csv``: the public list, one row per power, UTF-8 with a BOM so that Excel shows Chinese."""

from __future__ import annotations

import csv
import io

from powerlist.export.clean import Cleaned
from powerlist.export.outdir import Staging
from powerlist.export.rows import HEADERS, rows, safe_cells

NAME = "powers.csv"


def write(cl: Cleaned, out: Staging) -> None:
    buf = io.StringIO(newline="")
    w = csv.writer(buf, lineterminator="\r\n")  # RFC 4180 line ends, as Excel writes them
    w.writerow(HEADERS)
    w.writerows(safe_cells(r) for r in rows(cl))
    out.write_text(NAME, buf.getvalue(), bom=True)

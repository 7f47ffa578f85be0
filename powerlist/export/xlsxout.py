"""``powers.xlsx``: a summary sheet (counts by body × category), then one sheet per category.

Each sheet has a frozen header row, column widths that fit the content type, and wrapped text.
Written in openpyxl's streaming mode: 2,500 rows take well under a second.
"""

from __future__ import annotations

import contextlib
import datetime
import os
import re
from pathlib import Path
from zipfile import ZIP_DEFLATED, ZipFile

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._write_only import WriteOnlyWorksheet
from openpyxl.writer.excel import ExcelWriter

from powerlist.export.clean import Cleaned, unique
from powerlist.export.outdir import Staging
from powerlist.export.rows import HEADERS, WIDTHS, neutralise, rows

NAME = "powers.xlsx"
SUMMARY = "汇总"

_WRAP = Alignment(wrap_text=True, vertical="top")
_HEAD_FONT = Font(bold=True)
_HEAD_FILL = PatternFill("solid", fgColor="DDE6F0")
_BAD_SHEET_CHARS = re.compile(r"[\[\]:*?/\\]")


def _text(value: str | int) -> str | int:
    # neutralise also drops the control characters openpyxl refuses (a YAML "\x01" escape can carry one).
    return neutralise(value) if isinstance(value, str) else value


def sheet_names(categories: list[str]) -> dict[str, str]:
    """Category -> a legal, unique sheet name (31 characters, none of []:*?/\\, case-insensitive)."""
    used = {SUMMARY.lower()}
    return {cat: unique(_BAD_SHEET_CHARS.sub("_", ILLEGAL_CHARACTERS_RE.sub("", cat)).strip("'")[:31] or "类别", used, 31)
            for cat in categories}


def _header(ws: WriteOnlyWorksheet, titles: list[str] | tuple[str, ...], widths: list[int] | tuple[int, ...]) -> None:
    ws.freeze_panes = "A2"
    for i, w in enumerate(widths, 1):
        ws.column_dimensions[get_column_letter(i)].width = w
    cells = []
    for t in titles:
        c = WriteOnlyCell(ws, value=_text(t))
        c.font, c.fill, c.alignment = _HEAD_FONT, _HEAD_FILL, _WRAP
        cells.append(c)
    ws.append(cells)


def _append(ws: WriteOnlyWorksheet, values: list[str | int]) -> None:
    cells = []
    for v in values:
        c = WriteOnlyCell(ws, value=_text(v))
        c.alignment = _WRAP
        cells.append(c)
    ws.append(cells)


def write(cl: Cleaned, out: Staging) -> None:
    wb = Workbook(write_only=True)
    try:
        _fill(wb, cl)
        save(wb, out.path(NAME))
    except BaseException:
        discard(wb)
        raise


def _fill(wb: Workbook, cl: Cleaned) -> None:
    cats = [c for c in cl.categories if c in cl.by_category]
    names = sheet_names(cats)

    ws = wb.create_sheet(SUMMARY)
    _header(ws, ["实施主体", *cats, "合计"], [28, *(10 for _ in cats), 8])
    for body in cl.body_ids:
        mine = cl.by_body.get(body, [])
        counts = [sum(1 for e in mine if e.power.category == c) for c in cats]
        _append(ws, [cl.body_name(body), *counts, len(mine)])
    _append(ws, ["合计", *(len(cl.by_category[c]) for c in cats), len(cl.powers)])

    for cat in cats:
        ws = wb.create_sheet(names[cat])
        _header(ws, HEADERS, WIDTHS)
        for r in rows(cl, cl.by_category[cat]):
            _append(ws, r)


def save(wb: Workbook, path: Path) -> None:
    """``wb.save(path)``, but the zip file is closed by a ``with`` block: openpyxl leaves it to the
    garbage collector, which after Ctrl-C closed it at exit onto an already closed file
    ("Exception ignored … I/O operation on closed file")."""
    wb.properties.modified = datetime.datetime.now(tz=datetime.UTC).replace(tzinfo=None)
    with ZipFile(path, "w", ZIP_DEFLATED, allowZip64=True) as archive:
        ExcelWriter(wb, archive).write_data()


def discard(wb: Workbook) -> None:
    """Close a write-only workbook's half-written sheets after a failure (Ctrl-C included).

    Each sheet streams through two generators, the row writer nested in the XML stream. Left to
    the garbage collector they are finalised in any order, the outer first, and each finaliser
    then prints "Exception ignored in: <generator …>" with a traceback. Closed here, inner
    first, their complaints are dropped, and openpyxl's temporary files go too.
    """
    for ws in wb.worksheets:
        writer = getattr(ws, "_writer", None)
        for gen in (getattr(ws, "_rows", None), getattr(writer, "xf", None)):
            if gen is not None:
                with contextlib.suppress(Exception):
                    gen.close()
        out = getattr(writer, "out", None)
        if isinstance(out, str):
            with contextlib.suppress(OSError):
                os.remove(out)

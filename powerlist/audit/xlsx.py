"""The audit report as a workbook: 汇总 (summary and counts per body × family), 问题清单 (findings),
豁免 (waivers). Printable: frozen and repeated header rows, fixed widths, wrapped text, landscape,
fitted to the page width. Streaming mode, so a 100,000-finding report stays fast."""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._write_only import WriteOnlyWorksheet
from openpyxl.worksheet.worksheet import Worksheet

from powerlist.audit.model import AuditReport, Row
from powerlist.export.rows import neutralise

_WRAP = Alignment(wrap_text=True, vertical="top")
_BOLD = Font(bold=True)
_HEAD_FILL = PatternFill("solid", fgColor="DDE6F0")
_ERROR_FONT = Font(color="B00020", bold=True)


def _cell(ws: WriteOnlyWorksheet, value: object, font: Font | None = None, fill: PatternFill | None = None) -> WriteOnlyCell:
    if isinstance(value, str):
        # The export's neutraliser: control characters dropped, "=…" and the like prefixed with "'"
        # so that no spreadsheet runs them, even once the text is copied or saved as CSV.
        value = neutralise(value)
    c = WriteOnlyCell(ws, value=value)
    if isinstance(value, str):
        c.data_type = "s"  # stored as text, never as a formula
    c.alignment = _WRAP
    if font is not None:
        c.font = font
    if fill is not None:
        c.fill = fill
    return c


def _sheet(wb: Workbook, title: str, widths: Sequence[int], header_row: int = 1) -> WriteOnlyWorksheet:
    """A sheet set up for reading and printing; the caller appends rows (header at ``header_row``)."""
    ws = wb.create_sheet(title)
    ws.freeze_panes = f"A{header_row + 1}"
    ws.print_title_rows = f"{header_row}:{header_row}"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = Worksheet.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    for i, w in enumerate(widths, 1):
        ws.column_dimensions[get_column_letter(i)].width = w
    return ws


def _header(ws: WriteOnlyWorksheet, titles: Iterable[str]) -> None:
    ws.append([_cell(ws, t, _BOLD, _HEAD_FILL) for t in titles])


def _summary(wb: Workbook, r: AuditReport) -> None:
    w = r.words
    facts = [(w["catalogue"], r.catalogue), (w["region"], r.region or ""), (w["as_of"], r.as_of.isoformat()),
             (w["entries"], r.entries), (w["errors"], r.errors), (w["warnings"], r.warnings),
             (w["waived"], len(r.waived))]
    if r.crashed:
        facts.append((w["crashed"], ", ".join(r.crashed)))
    header_row = len(facts) + 3  # title, facts, a blank line, then the table
    cols = [w["body"], *(f"{f} {r.family_name(f)}" for f in r.families), w["total"]]
    ws = _sheet(wb, w["summary"], [34, *([12] * len(r.families)), 10], header_row)
    ws.append([_cell(ws, w["title"], Font(bold=True, size=14))])
    for label, value in facts:
        ws.append([_cell(ws, label, _BOLD), _cell(ws, value)])
    ws.append([])
    _header(ws, cols)
    body_rows, totals = r.count_table()
    for label, counts in body_rows:
        ws.append([_cell(ws, label), *(_cell(ws, n) for n in counts), _cell(ws, sum(counts), _BOLD)])
    ws.append([_cell(ws, w["total"], _BOLD), *(_cell(ws, n, _BOLD) for n in totals), _cell(ws, sum(totals), _BOLD)])


def _rows(wb: Workbook, r: AuditReport, title: str, rows: list[Row], waivers: bool) -> None:
    w = r.words
    if waivers:
        cols = [w["no"], w["body"], w["entry"], w["name"], w["code"], w["message"], w["reason"], w["where"]]
        widths = [6, 20, 16, 28, 8, 56, 36, 24]
    else:
        cols = [w["no"], w["body"], w["entry"], w["name"], w["code"], w["severity"], w["family"], w["message"],
                w["citation"], w["where"]]
        widths = [6, 20, 16, 28, 8, 8, 14, 56, 34, 24]
    ws = _sheet(wb, title, widths)
    _header(ws, cols)
    for n, row in enumerate(rows, 1):
        body = r.body_name(row.body)
        if waivers:
            cells = [n, body, row.entry, row.name, row.code, row.message, row.reason, row.where]
            ws.append([_cell(ws, v) for v in cells])
        else:
            sev_font = _ERROR_FONT if row.severity == w["error"] else None
            ws.append([_cell(ws, n), _cell(ws, body), _cell(ws, row.entry), _cell(ws, row.name), _cell(ws, row.code),
                       _cell(ws, row.severity, sev_font), _cell(ws, r.family_name(row.family)),
                       _cell(ws, row.message), _cell(ws, row.citation), _cell(ws, row.where)])


def to_xlsx(report: AuditReport) -> bytes:
    """The workbook's bytes (the caller writes them atomically)."""
    wb = Workbook(write_only=True)
    _summary(wb, report)
    _rows(wb, report, report.words["findings"], report.findings, waivers=False)
    _rows(wb, report, report.words["waivers"], report.waived, waivers=True)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()

"""The audit report as a workbook: 汇总 (summary and counts per body × family), 问题清单 (findings),
豁免 (waivers). Printable: frozen and repeated header rows, fixed widths, wrapped text, landscape,
fitted to the page width. Streaming mode, so a 100,000-finding report stays fast.

问题清单 is the office's work list: a title row (catalogue, region, version, review date) merged
across the table, then one row per finding with 整改建议 (audit/suggest.py), 责任单位, 整改期限 (left
blank for the office, formatted as a date) and 整改状态 (a drop-down, starting at 未整改), under an
autofilter."""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._write_only import WriteOnlyWorksheet
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from powerlist.audit.model import AuditReport, Row, statuses
from powerlist.export.rows import neutralise

_WRAP = Alignment(wrap_text=True, vertical="top")
_BOLD = Font(bold=True)
_HEAD_FILL = PatternFill("solid", fgColor="DDE6F0")
_ERROR_FONT = Font(color="B00020", bold=True)


_DATE_FORMAT = "yyyy-mm-dd"


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


def _sheet(wb: Workbook, title: str, widths: Sequence[int], header_row: int = 1, repeat_from: int | None = None
           ) -> WriteOnlyWorksheet:
    """A sheet set up for reading and printing; the caller appends rows (header at ``header_row``;
    rows ``repeat_from`` to the header are printed on every page)."""
    ws = wb.create_sheet(title)
    ws.freeze_panes = f"A{header_row + 1}"
    ws.print_title_rows = f"{repeat_from or header_row}:{header_row}"
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


def title_line(r: AuditReport) -> str:
    """The work list's title: report, catalogue (region), version and review date."""
    w = r.words
    zh = r.lang == "zh"
    where = f"{r.catalogue}（{r.region}）" if zh and r.region else (f"{r.catalogue} ({r.region})" if r.region else r.catalogue)
    sep = "　" if zh else " · "
    colon = "：" if zh else ": "
    return sep.join([f"{w['title']}{colon}{where}", f"{w['version']}{colon}{r.version or w['no_version']}",
                     f"{w['as_of']}{colon}{r.as_of.isoformat()}"])


def _summary(wb: Workbook, r: AuditReport) -> None:
    w = r.words
    facts = [(w["catalogue"], r.catalogue), (w["region"], r.region or ""), (w["version"], r.version or w["no_version"]),
             (w["as_of"], r.as_of.isoformat()), (w["powers"], r.powers), (w["errors"], r.errors),
             (w["warnings"], r.warnings), (w["waived"], len(r.waived))]
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
                w["citation"], w["suggestion"], w["unit"], w["due"], w["status"], w["where"]]
        widths = [6, 20, 16, 28, 8, 8, 14, 56, 34, 40, 20, 12, 10, 24]
    last = get_column_letter(len(cols))
    ws = _sheet(wb, title, widths, header_row=2, repeat_from=1)
    ws.append([_cell(ws, title_line(r), Font(bold=True, size=13))])
    ws.merged_cells.add(f"A1:{last}1")
    _header(ws, cols)
    start, end = 3, 2 + len(rows)
    ws.auto_filter.ref = f"A2:{last}{max(end, 2)}"
    if not waivers and rows:
        # The status column offers the four states and nothing else; the due date is the office's.
        choice = statuses(r.lang)
        status_col, due_col = get_column_letter(cols.index(w["status"]) + 1), get_column_letter(cols.index(w["due"]) + 1)
        dv = DataValidation(type="list", formula1='"' + ",".join(choice) + '"', allow_blank=False, showDropDown=False,
                            showErrorMessage=True, error=w["status"] + ": " + " / ".join(choice))
        dv.add(f"{status_col}{start}:{status_col}{end}")
        ws.data_validations.append(dv)
        dates = DataValidation(type="date", operator="greaterThan", formula1="1", allow_blank=True,
                               showErrorMessage=True, error=w["due"] + ": YYYY-MM-DD")
        dates.add(f"{due_col}{start}:{due_col}{end}")
        ws.data_validations.append(dates)
    for n, row in enumerate(rows, 1):
        body = r.body_name(row.body)
        if waivers:
            cells = [n, body, row.entry, row.name, row.code, row.message, row.reason, row.where]
            ws.append([_cell(ws, v) for v in cells])
        else:
            sev_font = _ERROR_FONT if row.severity == w["error"] else None
            due = _cell(ws, None)
            due.number_format = _DATE_FORMAT
            ws.append([_cell(ws, n), _cell(ws, body), _cell(ws, row.entry), _cell(ws, row.name), _cell(ws, row.code),
                       _cell(ws, row.severity, sev_font), _cell(ws, r.family_name(row.family)),
                       _cell(ws, row.message), _cell(ws, row.citation), _cell(ws, row.suggestion),
                       _cell(ws, row.unit), due, _cell(ws, statuses(r.lang)[0]), _cell(ws, row.where)])


def to_xlsx(report: AuditReport) -> bytes:
    """The workbook's bytes (the caller writes them atomically)."""
    wb = Workbook(write_only=True)
    _summary(wb, report)
    _rows(wb, report, report.words["findings"], report.findings, waivers=False)
    _rows(wb, report, report.words["waivers"], report.waived, waivers=True)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()

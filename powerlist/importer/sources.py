"""Open a source file as tables of text cells: xlsx/xlsm/xls (python-calamine), csv/tsv (UTF-8,
UTF-8 with BOM, GBK, GB18030), docx tables (python-docx), text-layer PDF tables (pdfplumber).

Nothing in a source runs: calamine returns a formula cell's cached value (the cell is reported),
macros are never loaded. A source that cannot be read raises :class:`ImportFailure` (exit 2)."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from powerlist.importer import ImportFailure
from powerlist.importer.xlsxmeta import SheetMeta, read_meta

SHEET_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".xlsb", ".ods")
TEXT_SUFFIXES = (".csv", ".tsv", ".txt")
_OLE = b"\xd0\xcf\x11\xe0"  # an encrypted xlsx is an OLE container, not a zip
_EXACT = 2**53  # above this a float cannot hold every integer: a long code stored as a number lost digits


@dataclass
class Table:
    """One sheet / table as text. ``numeric`` marks cells the source stored as numbers (a code there may
    have lost leading zeros or digits), ``inexact`` those too long to survive as a number."""

    file: str
    sheet: str
    cells: list[list[str]]
    kind: str  # sheet | csv | docx | pdf
    numeric: set[tuple[int, int]] = field(default_factory=set)
    inexact: set[tuple[int, int]] = field(default_factory=set)
    formulas: list[tuple[int, int]] = field(default_factory=list)
    merged: list[tuple[int, int, int, int]] = field(default_factory=list)
    encoding: str | None = None
    notes: list[str] = field(default_factory=list)

    @property
    def label(self) -> str:
        return f"{self.file} {self.sheet}" if self.sheet else self.file


def open_source(path: Path) -> list[Table]:
    """Every table in the file; ImportFailure when none can be read."""
    if not path.is_file():
        raise ImportFailure(f"{path}: no such file")
    if path.stat().st_size == 0:
        raise ImportFailure(f"{path}: the file is empty")
    suffix = path.suffix.lower()
    if suffix in SHEET_SUFFIXES:
        tables = read_workbook(path)
    elif suffix in TEXT_SUFFIXES:
        tables = [read_delimited(path)]
    elif suffix == ".docx":
        tables = read_docx(path)
    elif suffix == ".pdf":
        tables = read_pdf(path)
    else:
        raise ImportFailure(f"{path}: unknown file type {suffix or '(none)'}",
                            "import reads .xlsx .xlsm .xls .csv .tsv .docx .pdf")
    tables = [t for t in tables if any(any(c for c in row) for row in t.cells)]
    if not tables:
        raise ImportFailure(f"{path}: no table with any content")
    return tables


# ---------------------------------------------------------------------------------- cell values


def cell_text(value: object) -> tuple[str, bool, bool]:
    """(text, stored as a number, number too long to be exact). ``20.0`` -> "20" (no ``.0``)."""
    if value is None:
        return "", False, False
    if isinstance(value, bool):
        return ("是" if value else "否"), False, False
    if isinstance(value, int):
        return str(value), True, abs(value) > _EXACT
    if isinstance(value, float):
        if value.is_integer():
            return str(int(value)), True, abs(value) > _EXACT
        return repr(value), True, False
    if isinstance(value, dt.datetime):
        return (value.date().isoformat() if value.time() == dt.time() else value.isoformat(sep=" ")), False, False
    if isinstance(value, dt.date):
        return value.isoformat(), False, False
    return clean_text(str(value)), False, False


def clean_text(text: str) -> str:
    """Line breaks kept as \\n, surrounding blanks and non-breaking spaces dropped."""
    return text.replace("\r\n", "\n").replace("\r", "\n").replace("\u00a0", " ").replace("\u3000", " ").strip()


# ---------------------------------------------------------------------------------- workbooks


def read_workbook(path: Path) -> list[Table]:
    from python_calamine import CalamineWorkbook

    head = path.read_bytes()[:8]
    if path.suffix.lower() in (".xlsx", ".xlsm") and head.startswith(_OLE):
        raise ImportFailure(f"{path}: the workbook is password-protected (encrypted)",
                            "open it in Excel/WPS, remove the password (文件 → 信息 → 保护工作簿), save, import again")
    try:
        wb = CalamineWorkbook.from_path(str(path))
        sheets = [(name, wb.get_sheet_by_name(name).to_python(skip_empty_area=False)) for name in wb.sheet_names]
    except Exception as exc:  # noqa: BLE001 - calamine raises several private error types
        text = str(exc)
        if "password" in text.lower() or "encrypt" in text.lower():
            raise ImportFailure(f"{path}: the workbook is password-protected (encrypted)",
                                "remove the password in Excel/WPS and import again") from None
        raise ImportFailure(f"{path}: cannot read the workbook ({text})") from None
    meta = read_meta(str(path)) if path.suffix.lower() in (".xlsx", ".xlsm") else {}
    return [_sheet_table(path.name, name, rows, meta.get(name, SheetMeta())) for name, rows in sheets]


def _sheet_table(file: str, sheet: str, rows: Sequence[Sequence[object]], meta: SheetMeta) -> Table:
    table = Table(file, sheet, [], "sheet", merged=meta.merged, formulas=meta.formulas)
    width = max((len(r) for r in rows), default=0)
    for r, row in enumerate(rows):
        texts = []
        for c, value in enumerate(row):
            text, numeric, inexact = cell_text(value)
            if numeric:
                table.numeric.add((r, c))
                if inexact:
                    table.inexact.add((r, c))
            texts.append(text)
        texts.extend([""] * (width - len(texts)))
        table.cells.append(texts)
    return table


# ---------------------------------------------------------------------------------- csv / tsv


def decode(raw: bytes) -> tuple[str, str]:
    """(text, encoding name as the report shows it): UTF-8 with BOM, UTF-8, GBK, GB18030."""
    if raw.startswith(b"\xef\xbb\xbf"):
        return raw[3:].decode("utf-8", errors="replace"), "UTF-8 (BOM)"
    for codec, name in (("utf-8", "UTF-8"), ("gbk", "GBK"), ("gb18030", "GB18030")):
        try:
            return raw.decode(codec), name
        except UnicodeDecodeError:
            continue
    raise ImportFailure("the text file is neither UTF-8 nor GBK/GB18030", "save it as CSV UTF-8 from Excel/WPS")


def read_delimited(path: Path) -> Table:
    try:
        text, encoding = decode(path.read_bytes())
    except ImportFailure as exc:
        raise ImportFailure(f"{path}: {exc.message}", exc.hint) from None
    first = text.split("\n", 1)[0]
    delimiter = "\t" if path.suffix.lower() == ".tsv" or first.count("\t") > first.count(",") else ","
    rows = [[clean_text(c) for c in row] for row in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)]
    width = max((len(r) for r in rows), default=0)
    cells = [[_unquote(c) for c in r] + [""] * (width - len(r)) for r in rows]
    return Table(path.name, "", cells, "csv", encoding=encoding)


def _unquote(cell: str) -> str:
    # powerlist export writes a leading ' before = + - @ (formula injection guard): take it off again
    return cell[1:] if cell[:1] == "'" and cell[1:2] in ("=", "+", "-", "@") else cell


# ---------------------------------------------------------------------------------- docx / pdf


def read_docx(path: Path) -> list[Table]:
    import docx

    try:
        document = docx.Document(str(path))
    except Exception as exc:  # noqa: BLE001 - python-docx raises zip/XML errors of many kinds
        raise ImportFailure(f"{path}: cannot read the Word file ({exc})") from None
    out = []
    for i, tbl in enumerate(document.tables, 1):
        rows = [[clean_text(cell.text) for cell in row.cells] for row in tbl.rows]
        width = max((len(r) for r in rows), default=0)
        out.append(Table(path.name, f"表{i}", [r + [""] * (width - len(r)) for r in rows], "docx"))
    if not out:
        raise ImportFailure(f"{path}: the Word file has no table")
    return out


def read_pdf(path: Path) -> list[Table]:
    import pdfplumber

    try:
        pdf = pdfplumber.open(str(path))
    except Exception as exc:  # noqa: BLE001 - pdfminer raises its own types (password, syntax)
        name = type(exc).__name__
        if "Password" in name or "Encrypt" in name:
            raise ImportFailure(f"{path}: the PDF is password-protected") from None
        raise ImportFailure(f"{path}: cannot read the PDF ({name}: {exc})") from None
    with pdf:
        table = Table(path.name, "", [], "pdf")
        chars = 0
        for n, page in enumerate(pdf.pages, 1):
            chars += len(page.chars)
            found = page.extract_tables()
            if page.chars and not found:
                table.notes.append(f"page {n}: text but no table could be read")
            for t in found:
                table.cells.extend([clean_text(c or "") for c in row] for row in t)
    if chars == 0:
        raise ImportFailure(f"{path}: the PDF has no text layer (a scan)",
                            "ask for the original spreadsheet, or run OCR and check the result by hand")
    width = max((len(r) for r in table.cells), default=0)
    table.cells = [r + [""] * (width - len(r)) for r in table.cells]
    return [table]

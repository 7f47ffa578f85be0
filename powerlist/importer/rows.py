"""Table cells below the header -> data rows: merged cells forward-filled, blank rows and notes
skipped (with the reason), 主项/子项 rows grouped. Every non-empty row is either a :class:`Row` or
a :class:`Skipped`."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from powerlist.importer.header import Column, normal
from powerlist.importer.sources import Table

# Fields of the 主项 that WPS/Excel leave blank on the 子项 rows below it when cells were merged.
MAIN_FIELDS = ("name", "category", "code", "own_id", "body", "body_code", "handling_unit", "basis", "levels",
               "responsibilities", "accountability", "statutory", "promised", "time_text")
CODE_FIELDS = frozenset({"code", "own_id", "implementation_code", "sub_code", "body_code", "region"})
UNGROUPED = frozenset({"未分类", "无", "/", "-", "—"})
_NOTE = re.compile(r"^(注|备注|说明|填表说明|附注)[0-9一二三]*[:：.、]")


@dataclass
class Row:
    number: int  # 1-based row in the source (the spreadsheet's row number)
    values: dict[str, str]
    extra: dict[str, str] = field(default_factory=dict)
    numeric_codes: list[str] = field(default_factory=list)  # code fields the source stored as numbers
    inexact_codes: list[str] = field(default_factory=list)


@dataclass
class Skipped:
    number: int
    reason: str
    text: str


@dataclass
class Group:
    """One power: a 主项 row, or a 主项 with its 子项 rows."""

    rows: list[Row]

    @property
    def first(self) -> Row:
        return self.rows[0]


def fill_merged(table: Table) -> None:
    """Every cell of a merged range gets the range's value (Excel keeps it in the top-left cell only)."""
    for r0, c0, r1, c1 in table.merged:
        if r0 >= len(table.cells):
            continue
        value = table.cells[r0][c0] if c0 < len(table.cells[r0]) else ""
        for r in range(r0, min(r1, len(table.cells) - 1) + 1):
            for c in range(c0, min(c1, len(table.cells[r]) - 1) + 1):
                if not table.cells[r][c]:
                    table.cells[r][c] = value


def read_rows(table: Table, header_row: int, cols: list[Column]) -> tuple[list[Row], list[Skipped], int]:
    """(rows, skipped, blank row count) below the header."""
    rows: list[Row] = []
    skipped: list[Skipped] = []
    blank = 0
    header_key = [normal(c) for c in table.cells[header_row]]
    for r in range(header_row + 1, len(table.cells)):
        cells = table.cells[r]
        filled = [c for c in cells if c]
        if not filled:
            blank += 1
            continue
        if [normal(c) for c in cells] == header_key:
            skipped.append(Skipped(r + 1, "the header repeated (a new page)", " | ".join(filled)))
            continue
        row = _row(table, r, cols)
        if _is_note(row, filled):
            skipped.append(Skipped(r + 1, "a note below the table", " | ".join(filled)))
            continue
        rows.append(row)
    _fill_down(rows)
    kept: list[Row] = []
    for row in rows:
        if row.values.get("name") or row.values.get("sub_name"):
            kept.append(row)
        else:
            skipped.append(Skipped(row.number, "no 事项名称 in the row",
                                   " | ".join(f"{k}={v}" for k, v in {**row.values, **row.extra}.items() if v)))
    return kept, skipped, blank


def _row(table: Table, r: int, cols: list[Column]) -> Row:
    row = Row(r + 1, {})
    for col in cols:
        text = table.cells[r][col.index] if col.index < len(table.cells[r]) else ""
        if col.field is None:
            if text and col.header:
                row.extra[col.header] = text
            elif text:
                row.extra[f"第{col.index + 1}列"] = text
            continue
        if not text or col.field == "ignore":
            continue
        if col.field in CODE_FIELDS and (r, col.index) in table.numeric:
            row.numeric_codes.append(col.header)
            if (r, col.index) in table.inexact:
                row.inexact_codes.append(col.header)
        old = row.values.get(col.field)
        row.values[col.field] = f"{old}\n{text}" if old else text
    return row


def _is_note(row: Row, filled: list[str]) -> bool:
    if _NOTE.match(filled[0]):
        return True
    # One long sentence in one cell with nothing else: a remark under the table, not a power.
    return len(filled) == 1 and not row.values.get("sub_name") and len(filled[0]) > 40


def _fill_down(rows: list[Row]) -> None:
    """A 子项 row with its 主项 cells blank (merged cells saved unmerged, csv from WPS) takes them from above."""
    previous: Row | None = None
    for row in rows:
        if previous is not None and row.values.get("sub_name") and not row.values.get("name"):
            for fld in MAIN_FIELDS:
                if fld not in row.values and fld in previous.values:
                    row.values[fld] = previous.values[fld]
        if row.values.get("name"):
            previous = row


def group(rows: list[Row]) -> list[Group]:
    """Consecutive rows of one 主项 (same name and body, each naming a 子项) form one power. Rows
    without a 子项 are never merged: two rows with one name both arrive (check reports them)."""
    out: list[Group] = []
    for row in rows:
        name = row.values.get("name", "")
        if out and row.values.get("sub_name") and name and name not in UNGROUPED:
            last = out[-1].first
            if (last.values.get("sub_name") and last.values.get("name") == name
                    and last.values.get("body") == row.values.get("body")):
                out[-1].rows.append(row)
                continue
        out.append(Group([row]))
    return out

"""``compare --out x.xlsx``: one row per item, one column group per list, filters and frozen panes.

Sheet 比较: 基本编码, 清单数, 差异, the majority's values, then per list its own values (a departing
cell is coloured; （无） where the list lacks the item). Sheet 清单: each list's distance from the
majority. A comparison larger than a spreadsheet can hold usefully is cut (items with departures
or gaps come first) and the cut is said in the first row of 比较 and on 说明.
"""

from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from powerlist.compare.engine import Comparison
from powerlist.compare.model import ATTRS, Item
from powerlist.export.rows import neutralise
from powerlist.export.xlsxout import discard, save

MAX_ITEMS = 20_000
MAX_LISTS = 100  # 5 columns each: 500 columns are already more than a reader scrolls through
ABSENT = "（无）"
FIXED = ("基本编码", "清单数", "差异")

_WRAP = Alignment(wrap_text=True, vertical="top")
_HEAD_FONT = Font(bold=True)
_HEAD_FILL = PatternFill("solid", fgColor="DDE6F0")
_DIFF_FILL = PatternFill("solid", fgColor="FFD8A8")
_ABSENT_FONT = Font(color="999999")


def _cell(ws: WriteOnlyWorksheet, value: str | int | float, *, head: bool = False, diff: bool = False,
          absent: bool = False) -> WriteOnlyCell:
    c = WriteOnlyCell(ws, value=neutralise(value) if isinstance(value, str) else value)
    c.alignment = _WRAP
    if head:
        c.font, c.fill = _HEAD_FONT, _HEAD_FILL
    elif diff:
        c.fill = _DIFF_FILL
    elif absent:
        c.font = _ABSENT_FONT
    return c


def departures(item: Item, names: dict[str, str]) -> str:
    """差异 cell: 时限 2；依据 1 (how many lists depart on each attribute)."""
    counts = {a: sum(1 for s in item.sides.values() if a in s.differs) for a in item.differing}
    return "；".join(f"{names[a]} {n}" for a, n in counts.items())


def write(cmp: Comparison, path: Path) -> None:
    wb = Workbook(write_only=True)
    try:
        _fill(wb, cmp)
        save(wb, path)
    except BaseException:
        discard(wb)
        raise


def _fill(wb: Workbook, cmp: Comparison) -> None:
    lists = cmp.lists[:MAX_LISTS]
    items = cmp.items(MAX_ITEMS, MAX_LISTS)
    short = {a: zh.split("（")[0] for a, zh, _ in ATTRS}
    cut = []
    if cmp.summary.items > len(items):
        cut.append(f"只列出 {len(items):,} 项（共 {cmp.summary.items:,} 项；有差异或缺项的在前）")
    if len(cmp.lists) > len(lists):
        cut.append(f"只列出前 {len(lists)} 份清单（共 {len(cmp.lists)} 份）")

    ws = wb.create_sheet("比较")
    head = [*FIXED, *(f"多数·{zh}" for _, zh, _ in ATTRS), *(f"{st.label}·{zh}" for st in lists for _, zh, _ in ATTRS)]
    widths = [16, 8, 18, *(24 for _ in ATTRS), *(18 for _ in lists for _ in ATTRS)]
    for i, w in enumerate(widths, 1):
        ws.column_dimensions[get_column_letter(i)].width = w
    top = 1
    if cut:  # the cut is said above the table, so no reader takes a part for the whole
        ws.append([_cell(ws, "注意：" + "；".join(cut) + "。完整结果请用 --out x.json 或 x.parquet。")])
        top = 2
    # Frozen: the header row and the item columns (code … majority), so each list scrolls beside them.
    ws.freeze_panes = f"{get_column_letter(len(FIXED) + len(ATTRS) + 1)}{top + 1}"
    ws.auto_filter.ref = f"A{top}:{get_column_letter(len(head))}{top + len(items)}"
    ws.append([_cell(ws, h, head=True) for h in head])
    for it in items:
        cells = [_cell(ws, it.code or ""), _cell(ws, it.lists), _cell(ws, departures(it, short)),
                 *(_cell(ws, it.majority[a]) for a, _, _ in ATTRS)]
        for st in lists:
            side = it.sides.get(st.index)
            if side is None:
                cells.extend(_cell(ws, ABSENT, absent=True) for _ in ATTRS)
            else:
                cells.extend(_cell(ws, side.values[a], diff=a in side.differs) for a, _, _ in ATTRS)
        ws.append(cells)

    ws = wb.create_sheet("清单")
    lhead = ["清单", "来源", "事项数", "缺多数项", "少数项", "有差异事项", *(f"{zh}差异" for _, zh, _ in ATTRS), "偏离度"]
    for i, w in enumerate([20, 40, *(10 for _ in lhead[2:])], 1):
        ws.column_dimensions[get_column_letter(i)].width = w
    ws.freeze_panes = "B2"
    ws.auto_filter.ref = f"A1:{get_column_letter(len(lhead))}{len(cmp.lists) + 1}"
    ws.append([_cell(ws, h, head=True) for h in lhead])
    for st in cmp.lists:
        ws.append([_cell(ws, st.label), _cell(ws, st.source), _cell(ws, st.items), _cell(ws, st.missing),
                   _cell(ws, st.minority), _cell(ws, st.differing_items),
                   *(_cell(ws, st.differs.get(a, 0)) for a, _, _ in ATTRS), _cell(ws, round(st.distance, 4))])
    if cut:
        ws = wb.create_sheet("说明")
        for line in cut:
            ws.append([_cell(ws, line)])

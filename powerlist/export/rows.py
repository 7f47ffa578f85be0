"""The public list as rows: the columns offices publish (序号, 事项编码, 事项名称 …), shared by the
CSV, XLSX and Markdown writers so that the three always agree."""

from __future__ import annotations

from collections.abc import Iterator

from powerlist.catalog import Entry
from powerlist.export.clean import STATUS_ZH, Cleaned, days_text, unit_of

HEADERS: tuple[str, ...] = (
    "序号", "事项编码", "事项名称", "子项名称", "职权类别", "实施主体", "联合实施主体",
    "设定依据", "法定时限", "承诺时限", "下放情况", "状态", "责任事项", "追责情形",
)
# Column widths (characters) for spreadsheets: long text columns wide, codes narrow.
WIDTHS: tuple[int, ...] = (6, 16, 30, 24, 12, 22, 22, 50, 12, 12, 20, 10, 40, 40)

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: str) -> str:
    """Spreadsheet formula injection (OWASP): a cell starting with = + - @ tab or CR is run as a
    formula by Excel/LibreOffice; a leading single quote makes it plain text."""
    return "'" + value if value.startswith(_FORMULA_START) else value


def row(cl: Cleaned, e: Entry, n: int) -> list[str | int]:
    """One power as public-list cells (text not yet neutralised; ``n`` is 序号)."""
    p = e.power
    unit = unit_of(p)
    tl = p.time_limit
    return [
        n,
        p.id,
        p.name,
        "；".join(p.sub_items),
        p.category,
        cl.body_name(p.body),
        "、".join(cl.body_name(b) for b in p.co_bodies),
        "；".join(cl.basis_text(b) for b in p.basis),
        days_text(tl.statutory if tl else None, unit),
        days_text(tl.promised if tl else None, unit),
        ("下放至" + "、".join(cl.body_name(b) for b in p.delegated_to)) if p.delegated_to else "",
        STATUS_ZH.get(p.status, p.status),
        "；".join(p.responsibilities),
        "；".join(p.accountability),
    ]


def rows(cl: Cleaned, entries: list[Entry] | None = None) -> Iterator[list[str | int]]:
    for n, e in enumerate(cl.powers if entries is None else entries, 1):
        yield row(cl, e, n)


def safe_cells(cells: list[str | int]) -> list[str | int]:
    return [neutralise(c) if isinstance(c, str) else c for c in cells]

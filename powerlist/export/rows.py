"""The public list as rows: the columns offices publish (序号, 事项编码, 事项名称 …), shared by the
CSV, XLSX and Markdown writers so that the three always agree."""

from __future__ import annotations

import re
from collections.abc import Iterator

from powerlist.catalog import Entry
from powerlist.export.clean import STATUS_ZH, Cleaned, article, days_text, unit_of
from powerlist.models import Basis, Complaint, Fee

HEADERS: tuple[str, ...] = (
    "序号", "事项编码", "事项名称", "子项名称", "职权类别", "实施主体", "联合实施主体",
    "设定依据", "法定时限", "承诺时限", "下放情况", "状态", "责任事项", "追责情形",
    "收费标准", "收费依据", "申请材料", "投诉电话", "投诉地址",
    # Last, so the columns offices already read keep their places; an upper-level list exported
    # here and read back by `check --upper` keeps its codes and levels (issue 13).
    "基本编码", "行使层级",
)
# Column widths (characters) for spreadsheets: long text columns wide, codes narrow.
WIDTHS: tuple[int, ...] = (6, 16, 30, 24, 12, 22, 22, 50, 12, 12, 20, 10, 40, 40, 30, 40, 40, 16, 30, 16, 14)
FREE = "不收费"

# What makes a spreadsheet run a cell as a formula. OWASP (CSV injection) names = + - @ tab and CR
# for Excel; their full-width forms are what a Chinese input method types and Excel's own input
# folds them. LibreOffice 7.4 runs only "=" (tests/data/spreadsheet_evaluation.json, made by
# bench/spreadsheet_probe.py); neutralising more than a spreadsheet runs costs nothing.
_FORMULA_START = frozenset("=+-@\t\r\uff1d\uff0b\uff0d\uff20")
# Invisible or blank characters a reader skips before a formula character: the starter behind them
# is neutralised too, so no spreadsheet's trimming on import can uncover it.
_SKIPPABLE = " \t\r\n\u00a0\u3000\u200b\u200c\u200d\u2060\ufeff"
# C0 controls XML cannot hold (openpyxl refuses them) and that a CSV reader may treat as the end of a
# field: LibreOffice runs "'\x00=…" as a formula. Tab, LF and CR are kept (multi-line cells).
_CONTROLS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f]")


def neutralise(value: str) -> str:
    """Cell text safe in CSV and XLSX: control characters dropped, and a leading single quote
    when the text (or what follows its leading blanks) starts with a formula character, so the
    spreadsheet shows it as text instead of running it."""
    value = _CONTROLS.sub("", value)
    if value[:1] in _FORMULA_START or value.lstrip(_SKIPPABLE)[:1] in _FORMULA_START:
        return "'" + value
    return value


def row(cl: Cleaned, e: Entry, n: int) -> list[str | int]:
    """One power as public-list cells (text not yet neutralised; ``n`` is 序号)."""
    p = e.power
    unit = unit_of(p)
    tl = p.time_limit
    return [
        n,
        p.id,
        p.name,
        "；".join(p.sub_item_names()),
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
        *guide_cells(cl, e),
        p.code or "",
        "、".join(p.levels),
    ]


def fee_text(fee: Fee) -> str:
    """取水许可证工本费：10元/证 (the name alone when no standard is given)."""
    return f"{fee.name}：{fee.standard}" if fee.standard and fee.standard != fee.name else fee.name


def fees_text(fees: list[Fee] | None) -> str:
    """收费标准 cell: "" not stated, 不收费 for ``fees: []``, else each fee."""
    if fees is None:
        return ""
    return "；".join(fee_text(f) for f in fees) if fees else FREE


def fee_basis_text(cl: Cleaned, b: Basis) -> str:
    """A fee basis as a title and articles; fee bases are not in ``resolved_basis``, so resolve here."""
    hit = cl.catalog.resolve_basis(b.law)
    title = hit.title if hit is not None else b.law.strip().removeprefix("《").removesuffix("》")
    return f"《{title}》" + "、".join(article(a) for a in b.articles)


def fees_basis_text(cl: Cleaned, fees: list[Fee] | None) -> str:
    """收费依据 cell: every fee's bases, each once, in order."""
    texts = [fee_basis_text(cl, b) for f in fees or () for b in f.basis]
    return "；".join(dict.fromkeys(texts))


def complaint_of(cl: Cleaned, e: Entry) -> Complaint | None:
    """The power's own complaint channel, else its body's (bodies.yaml)."""
    if e.power.complaint is not None:
        return e.power.complaint
    body = cl.catalog.body_by_id.get(e.power.body)
    return body.body.complaint if body is not None else None


def guide_cells(cl: Cleaned, e: Entry) -> list[str | int]:
    """收费标准, 收费依据, 申请材料, 投诉电话, 投诉地址."""
    p = e.power
    ch = complaint_of(cl, e)
    return [
        fees_text(p.fees),
        fees_basis_text(cl, p.fees),
        "；".join(m.name for m in p.materials or ()),
        (ch.phone or "") if ch else "",
        (ch.address or "") if ch else "",
    ]


def rows(cl: Cleaned, entries: list[Entry] | None = None) -> Iterator[list[str | int]]:
    for n, e in enumerate(cl.powers if entries is None else entries, 1):
        yield row(cl, e, n)


def safe_cells(cells: list[str | int]) -> list[str | int]:
    return [neutralise(c) if isinstance(c, str) else c for c in cells]

"""Cell text -> field values: basis entries, time limits, status, lists. Pure functions; text that
cannot be read is returned as such (and reported), never guessed."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

_CN_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_CN_UNITS = {"十": 10, "百": 100, "千": 1000}
_NUM = r"[0-9０-９]+(?:\.[0-9]+)?|[零〇一二两三四五六七八九十百千]+"


def cn_number(text: str) -> int | float | None:
    """"20" / "２０" / "二十" / "十五" / "一百二十" -> number; None when it is no number."""
    text = text.translate(str.maketrans("０１２３４５６７８９", "0123456789"))
    if re.fullmatch(r"[0-9]+", text):
        return int(text)
    if re.fullmatch(r"[0-9]+\.[0-9]+", text):
        return float(text)
    total, digit = 0, None
    for ch in text:
        if ch in _CN_DIGITS:
            digit = _CN_DIGITS[ch]
        elif ch in _CN_UNITS:
            total += (1 if digit is None else digit) * _CN_UNITS[ch]
            digit = None
        else:
            return None
    return total + (digit or 0) if text else None


# ------------------------------------------------------------------------------- time limits

_UNITS = (("个工作日", "working_days"), ("工作日", "working_days"), ("个自然日", "calendar_days"),
          ("自然日", "calendar_days"), ("个月", "months"), ("月", "months"), ("日", "calendar_days"),
          ("天", "calendar_days"))
_LIMIT = re.compile(rf"({_NUM})\s*({'|'.join(u for u, _ in _UNITS)})")
_AT_ONCE = re.compile(r"即办|即时办结|当场办结|当场|立即办结|即来即办")
_PART = re.compile(r"(法定|承诺)[^0-9０-９零〇一二两三四五六七八九十百千即当]*")


@dataclass
class Limit:
    value: int | float | None
    unit: str | None  # working_days | calendar_days | months; None: not stated
    readable: bool


def read_limit(text: str, unit_hint: str | None = None) -> Limit:
    """One limit: 20个工作日, 20日, 三个月, 即办, a bare 20 (unit from the header, else unread)."""
    t = text.strip()
    if not t or t in ("无", "/", "-", "—", "无法定时限", "不适用"):
        return Limit(None, None, True)
    if _AT_ONCE.search(t):
        return Limit(0, unit_hint or "working_days", True)
    m = _LIMIT.search(t)
    if m:
        unit = dict(_UNITS)[m.group(2)]
        return Limit(cn_number(m.group(1)), unit, True)
    n = cn_number(t)
    if n is not None:
        return Limit(n, unit_hint, unit_hint is not None)
    return Limit(None, None, False)


def split_pair(text: str) -> dict[str, str]:
    """"法定：20个工作日；承诺：5个工作日" -> {"法定": "20个工作日", "承诺": "5个工作日"}; {} without labels."""
    found = list(_PART.finditer(text))
    out: dict[str, str] = {}
    for i, m in enumerate(found):
        end = found[i + 1].start() if i + 1 < len(found) else len(text)
        out[m.group(1)] = text[m.end():end].strip(" ；;，,。")
    return out


def unit_hint(header: str) -> str | None:
    """法定办结时限（工作日） -> working_days: a header may state the unit of bare numbers below it."""
    for word, unit in _UNITS:
        if word.lstrip("个") in header:
            return unit
    return None


def time_limit(statutory: str, promised: str, combined: str, hints: tuple[str | None, str | None, str | None]
               ) -> tuple[dict[str, object] | None, str | None]:
    """The ``time_limit`` mapping and, when some text could not be read, that text (for the report)."""
    for cell in (statutory, promised):
        if len(split_pair(cell)) == 2 and not combined:
            combined, statutory, promised = cell, "", ""  # both limits written in one of the two columns
    if combined and not (statutory or promised):
        pair = split_pair(combined)
        statutory, promised = pair.get("法定", combined if not pair else ""), pair.get("承诺", "")
    texts = [t for t in (statutory, promised) if t]
    if not texts:
        return None, None
    s, p = read_limit(statutory, hints[0] or hints[2]), read_limit(promised, hints[1] or hints[2])
    out: dict[str, object] = {}
    units = {lim.unit for lim in (s, p) if lim.value is not None and lim.unit}
    problem = None
    if not (s.readable and p.readable) or len(units) > 1:
        problem = combined or "；".join(texts)
    else:
        if s.value is not None:
            out["statutory"] = s.value
        if p.value is not None:
            out["promised"] = p.value
        unit = units.pop() if units else None
        if unit and unit != "working_days":
            out["unit"] = unit
    written = combined or "；".join(f"{k}：{v}" for k, v in (("法定", statutory), ("承诺", promised)) if v)
    if problem or not _plain(statutory, promised, combined):
        out["text"] = written
    return out, problem


def _plain(statutory: str, promised: str, combined: str) -> bool:
    """True when the numbers and unit say all the text said (20个工作日): no need to keep the text."""
    if combined:
        return False
    return all(not t or re.fullmatch(rf"\s*({_NUM})\s*(个工作日|工作日|个自然日|自然日)?\s*", t) for t in (statutory, promised))


# ------------------------------------------------------------------------------- basis

_ARTICLE = re.compile(r"第[0-9０-９零〇一二两三四五六七八九十百千]+条(?:之[一二三四五六七八九十]+)?")
# A new basis starts at a 《 that opens the text or follows a number, a semicolon, a full stop or a line break.
_START = re.compile(r"(?:^|[；;。\n]|(?<![0-9])[0-9]{1,2}[.、．)）]|[（(][0-9]{1,2}[)）])\s*(?=《)")


@dataclass
class BasisItem:
    law: str
    articles: list[str] = field(default_factory=list)
    text: str | None = None


def _segments(text: str) -> list[str]:
    found = list(_START.finditer(text))
    if not found:
        return [text] if text.strip() else []
    ends = [m.start() for m in found[1:]] + [len(text)]
    return [text[m.end():end] for m, end in zip(found, ends, strict=True)]


def read_basis(text: str) -> list[BasisItem]:
    """1.《中华人民共和国水法》第七条、第四十八条：原文……；2.《取水许可和水资源费征收管理条例》第二条
    -> two items. Text without 《》: each ；-separated part, its title read up to 第…条."""
    text = text.strip()
    if not text:
        return []
    if "《" not in text:
        return [_untitled(part) for part in re.split(r"[；;\n]+", text) if part.strip()]
    out = []
    for seg in _segments(text):
        m = re.match(r"\s*《([^》]+)》(.*)", seg, re.S)
        if not m:
            continue
        title, rest = m.group(1).strip(), m.group(2)
        head, sep, body = _split_text(rest)
        articles = list(dict.fromkeys(_ARTICLE.findall(head)))
        excerpt = body.strip().rstrip("；;") if sep else None
        out.append(BasisItem(title, articles, excerpt or None))
    return out


def _split_text(rest: str) -> tuple[str, str, str]:
    for sep in ("：", ":"):
        if sep in rest:
            a, _, b = rest.partition(sep)
            return a, sep, b
    # no colon: article references first, then (if anything is left beyond punctuation) the provision
    m = re.match(rf"((?:\s*(?:{_ARTICLE.pattern})(?:第[^条，。；]*?[款项])*[、，,和及\s]*)*)(.*)", rest, re.S)
    if m and m.group(2).strip(" ；;。，,"):
        return m.group(1), " ", m.group(2)
    return rest, "", ""


def _untitled(part: str) -> BasisItem:
    m = _ARTICLE.search(part)
    title = part[: m.start()].strip(" 　、，,") if m else part.strip()
    articles = _ARTICLE.findall(part)
    return BasisItem(title or part.strip(), list(dict.fromkeys(articles)), part.strip() if m else None)


# ------------------------------------------------------------------------------- status, lists

_STATUS = (("已取消", "abolished"), ("取消", "abolished"), ("已废止", "abolished"), ("暂停实施", "suspended"),
           ("暂停", "suspended"), ("停止实施", "suspended"))
STATUS_WORDS = {"正常": "active", "暂停实施": "suspended", "已取消": "abolished", "active": "active",
                "suspended": "suspended", "abolished": "abolished"}


def status_of(remarks: str, status_cell: str) -> str | None:
    """From a 状态 column, else from 备注 (已取消 / 暂停); 下放 leaves the power active (kept in remarks)."""
    if status_cell.strip() in STATUS_WORDS:
        return STATUS_WORDS[status_cell.strip()]
    for word, status in _STATUS:
        if word in remarks:
            return status
    return None


def split_list(text: str) -> list[str]:
    """责任事项 / 追责情形 cells: one item per line or per ；."""
    parts = re.split(r"[；;]\s*|\n+", text)
    return [p.strip() for p in parts if p.strip()]


def split_names(text: str) -> list[str]:
    """联合实施主体 / levels: 、 ， / separated."""
    return [p.strip() for p in re.split(r"[、，,/；;\n]+", text) if p.strip()]


# ------------------------------------------------------------------------------- the public guide

_FREE_WORDS = frozenset({"否", "不收费", "免费", "无", "0", "无收费", "不收取费用"})


def _fee(line: str) -> dict[str, Any]:
    """取水许可证工本费：10元/证 -> {name, standard}; a line without a colon is kept whole as the name."""
    name, sep, standard = re.split(r"([：:])", line, maxsplit=1) if re.search("[：:]", line) else (line, "", "")
    if not sep or not name.strip():
        return {"name": line}
    return {"name": name.strip(), "standard": standard.strip()} if standard.strip() else {"name": name.strip()}


def read_fees(standard: str, basis: str, charged: str) -> list[dict[str, Any]] | None:
    """收费标准 / 收费依据 / 是否收费 cells -> ``fees`` (None: not stated; []: 不收费). Every fee gets
    every basis of the 收费依据 cell: a list rarely says which basis sets which fee."""
    if charged.strip() in _FREE_WORDS or standard.strip() in _FREE_WORDS:
        return []
    lines = split_list(standard)
    if not lines:
        return None
    bases = [_basis_dict(b) for b in read_basis(basis)]
    return [{**_fee(line), **({"basis": bases} if bases else {})} for line in lines]


def _basis_dict(item: BasisItem) -> dict[str, Any]:
    out: dict[str, Any] = {"law": item.law}
    if item.articles:
        out["articles"] = item.articles
    return out


def read_materials(text: str) -> list[dict[str, Any]] | None:
    """申请材料 cell, one per line or per ；, numbering (1. / （1）/ ①) dropped -> ``materials``."""
    names = [re.sub(r"^(?:\d+[.、．)]|[（(]\d+[）)]|[①-⑳])\s*", "", n).strip() for n in split_list(text)]
    return [{"name": n} for n in names if n] or None

"""Grouped rows -> power mappings in the documented format (keys in the format's order)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from powerlist.importer import fields as F
from powerlist.importer.bodies import BodyBook, initials
from powerlist.importer.header import Column
from powerlist.importer.laws import LawBook
from powerlist.importer.rows import UNGROUPED, Group, Row
from powerlist.importer.xlsxmeta import col_letters

_ID_OK = re.compile(r"^[A-Za-z0-9._-]{1,64}$")
CATEGORY_ABBR = {"行政许可": "XK", "行政处罚": "CF", "行政强制": "QZ", "行政征收": "ZS", "行政给付": "JF",
                 "行政检查": "JC", "行政确认": "QR", "行政奖励": "JL", "行政裁决": "CJ", "其他行政权力": "QT",
                 "公共服务": "GG"}


@dataclass
class PowerOut:
    id: str
    body: str
    data: dict[str, Any]
    source: str  # 清单.xlsx 行政许可!A12:N14


@dataclass
class Assembler:
    bodies: BodyBook
    laws: LawBook
    default_category: str | None
    powers: list[PowerOut] = field(default_factory=list)
    problems: list[tuple[str, int, str]] = field(default_factory=list)  # (table, row, message)
    _ids: set[str] = field(default_factory=set)
    _serial: dict[str, int] = field(default_factory=dict)

    def add(self, group: Group, label: str, sheet_ref: str, cols: list[Column]) -> None:
        first = group.first
        v = first.values
        body_name = v.get("body", "").strip()
        if not body_name:
            self.problems.append((label, first.number, "no 实施主体: written as 未注明实施主体 (fix in bodies.yaml)"))
            body_name = "未注明实施主体"
        body = self.bodies.id_for(body_name, v.get("body_code"))
        name, subs = self._names(group)
        category = v.get("category", "").strip() or self.default_category or ""
        if not category:
            self.problems.append((label, first.number, "no 职权类型 column or value: category left as 未分类"))
            category = "未分类"
        power: dict[str, Any] = {"id": "", "name": name, "category": category, "body": body}
        self._codes(power, group, subs)
        self._status(power, group)
        if subs:
            power["sub_items"] = subs
        self._basis(power, group)
        self._time_limit(power, first, cols, label)
        self._lists(power, first)
        self._guide(power, first)
        power["id"] = self._id(v.get("own_id") or v.get("code"), body_name, category)
        self._numeric_codes(group, label)
        last = col_letters(max((c.index for c in cols), default=0))
        rows = f"A{first.number}:{last}{group.rows[-1].number}"
        self.powers.append(PowerOut(power["id"], body, power, f"{sheet_ref}!{rows}" if sheet_ref else rows))

    # -- pieces ------------------------------------------------------------------------------------

    def _names(self, group: Group) -> tuple[str, list[Any]]:
        v = group.first.values
        main, sub = v.get("name", "").strip(), v.get("sub_name", "").strip()
        if not main or main in UNGROUPED:
            return sub, []
        if len(group.rows) == 1 and (not sub or sub == main):
            return main, []
        items: list[Any] = []
        own_rows = len(group.rows) > 1
        for row in group.rows:
            sub_cell = row.values.get("sub_name", "")
            # one row naming several 子项 (the export writes them joined by ；) or one 子项 per row
            for part in [sub_cell] if own_rows else F.split_list(sub_cell):
                items.append(self._sub_item(part, row, v.get("category", ""), own_rows))
        return main, items

    @staticmethod
    def _sub_item(name: str, row: Row, main_category: str, own_row: bool) -> Any:
        if not own_row:
            return name
        item: dict[str, Any] = {"name": name}
        rv = row.values
        for src, key in (("sub_code", "code"), ("implementation_code", "implementation_code")):
            if rv.get(src):
                item[key] = rv[src]
        if rv.get("category") and rv["category"] != main_category:
            item["category"] = rv["category"]
        status = F.status_of(rv.get("remarks", ""), rv.get("status", ""))
        if status and status != "active":
            item["status"] = status
        return item if len(item) > 1 else name

    @staticmethod
    def _codes(power: dict[str, Any], group: Group, subs: list[Any]) -> None:
        v = group.first.values
        if v.get("code"):
            power["code"] = v["code"]
        if v.get("implementation_code") and len(group.rows) == 1:
            power["implementation_code"] = v["implementation_code"]
        if v.get("handling_unit"):
            power["handling_unit"] = v["handling_unit"]
        if v.get("levels"):
            power["levels"] = F.split_names(v["levels"])

    @staticmethod
    def _status(power: dict[str, Any], group: Group) -> None:
        v = group.first.values
        status = F.status_of(v.get("remarks", ""), v.get("status", ""))
        if status and status != "active":
            power["status"] = status

    def _basis(self, power: dict[str, Any], group: Group) -> None:
        seen: set[tuple[str, tuple[str, ...]]] = set()
        out: list[dict[str, Any]] = []
        for row in group.rows:
            for item in F.read_basis(row.values.get("basis", "")):
                key = (item.law, tuple(item.articles))
                if key in seen:
                    continue
                seen.add(key)
                self.laws.resolve(item.law)
                entry: dict[str, Any] = {"law": item.law}
                if item.articles:
                    entry["articles"] = item.articles
                if item.text:
                    entry["text"] = item.text
                out.append(entry)
        if out:
            power["basis"] = out

    def _time_limit(self, power: dict[str, Any], row: Row, cols: list[Column], label: str) -> None:
        headers = {c.field: c.header for c in cols if c.field}
        hints = tuple(F.unit_hint(headers.get(k, "")) for k in ("statutory", "promised", "time_text"))
        v = row.values
        tl, problem = F.time_limit(v.get("statutory", ""), v.get("promised", ""), v.get("time_text", ""),
                                   (hints[0], hints[1], hints[2]))
        if problem:
            self.problems.append((label, row.number, f"time limit not read, kept as text: {problem}"))
        if tl:
            power["time_limit"] = tl

    def _lists(self, power: dict[str, Any], row: Row) -> None:
        v = row.values
        if v.get("co_bodies"):
            power["co_bodies"] = [self.bodies.id_for(n, None) for n in F.split_names(v["co_bodies"])]
        for fld in ("responsibilities", "accountability"):
            if v.get(fld):
                power[fld] = F.split_list(v[fld])
        remarks = [t for t in (v.get("remarks", ""), v.get("delegated", "")) if t]
        if remarks:
            power["remarks"] = "\n".join(remarks)
        if row.extra:
            power["extra"] = dict(row.extra)

    def _guide(self, power: dict[str, Any], row: Row) -> None:
        """收费标准 / 收费依据 / 是否收费, 申请材料, 投诉电话 / 投诉地址 -> fees, materials, complaint."""
        v = row.values
        fees = F.read_fees(v.get("fees", ""), v.get("fee_basis", ""), v.get("charged", ""))
        if fees is not None:
            for fee in fees:
                for b in fee.get("basis", []):
                    self.laws.resolve(b["law"])  # fee bases land in laws.yaml like a power's
            power["fees"] = fees
        materials = F.read_materials(v.get("materials", ""))
        if materials:
            power["materials"] = materials
        complaint = {k: v[src].strip() for k, src in (("phone", "complaint_phone"), ("address", "complaint_address"))
                     if v.get(src, "").strip()}
        if complaint:
            power["complaint"] = complaint

    def _id(self, code: str | None, body_name: str, category: str) -> str:
        if code and _ID_OK.match(code) and code not in self._ids:
            self._ids.add(code)
            return code
        prefix = f"{initials(body_name)}-{CATEGORY_ABBR.get(category) or initials(category, 3)}"
        while True:
            n = self._serial.get(prefix, 0) + 1
            self._serial[prefix] = n
            ident = f"{prefix}-{n:03d}"
            if ident not in self._ids:
                self._ids.add(ident)
                return ident

    def _numeric_codes(self, group: Group, label: str) -> None:
        for row in group.rows:
            for header in row.inexact_codes:
                self.problems.append((label, row.number, f"{header}: a long code stored as a number lost its last "
                                                         "digits in the spreadsheet itself; re-enter it as text"))
            for header in set(row.numeric_codes) - set(row.inexact_codes):
                self.problems.append((label, row.number, f"{header}: stored as a number; leading zeros may have been "
                                                         "lost in the spreadsheet itself (store codes as text)"))

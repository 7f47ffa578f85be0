"""Basis titles -> the catalogue's laws.yaml and the built-in registry. An instrument found in
neither is added to laws.yaml with the level its title states (``inferred: true``); when the
title states none it is written as 规范性文件 and listed in the report to confirm."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from powerlist.normalize import normalize_title

_LOCAL = re.compile(r"^.{1,12}?(省|市|自治区|自治州|县|区|盟)")
_MINISTRY = re.compile(r"^.{0,20}?(部|委员会|总局|总署|银行|局|署)(?!门)")


def infer_level(title: str) -> tuple[str, bool]:
    """(level, stated by the title). 中华人民共和国…法 -> 法律; …条例 -> 行政法规, or 地方性法规 with a local
    issuer in front; …办法/…规定/…细则 -> 地方政府规章 (local issuer) or 部门规章 (a ministry)."""
    t = title.strip("《》 ")
    local = bool(_LOCAL.match(t)) and not t.startswith("中华人民共和国")
    if t.startswith("国务院") and "决定" in t:
        return "国务院决定", True
    if t.startswith("中华人民共和国") and t.endswith("法"):
        return "法律", True
    if t.endswith("条例"):
        return ("地方性法规" if local else "行政法规"), True
    if re.search(r"(办法|规定|细则|规则)$", t):
        if local:
            return "地方政府规章", True
        if _MINISTRY.match(t):
            return "部门规章", True
    return "规范性文件", False


@dataclass
class LawBook:
    province: str | None = None
    existing: dict[str, dict[str, Any]] = field(default_factory=dict)  # normalised title -> laws.yaml item
    added: dict[str, dict[str, Any]] = field(default_factory=dict)
    builtin: set[str] = field(default_factory=set)
    in_catalogue: set[str] = field(default_factory=set)
    unstated: list[str] = field(default_factory=list)
    _ids: set[str] = field(default_factory=set)

    def load_existing(self, items: list[dict[str, Any]]) -> None:
        for item in items:
            if isinstance(item, dict) and isinstance(item.get("title"), str):
                self.existing[normalize_title(item["title"])] = item
                if isinstance(item.get("id"), str):
                    self._ids.add(item["id"])

    def resolve(self, title: str) -> None:
        """Record where ``title`` resolves; add it to laws.yaml when it resolves nowhere."""
        from powerlist import lawdb

        key = normalize_title(title)
        if not key or key in self.added:
            return
        if key in self.existing:
            self.in_catalogue.add(title)
            return
        if lawdb.lookup(title, self.province) is not None:
            self.builtin.add(title)
            return
        level, stated = infer_level(title)
        if not stated:
            self.unstated.append(title)
        self.added[key] = {"id": self._new_id(title), "title": title.strip("《》 "), "level": level, "inferred": True}

    def _new_id(self, title: str) -> str:
        from powerlist.importer.bodies import initials

        base = "law-" + initials(title.removeprefix("中华人民共和国"), 10).lower()
        ident, n = base, 2
        while ident in self._ids:
            ident, n = f"{base}-{n}", n + 1
        self._ids.add(ident)
        return ident

    def items(self) -> list[dict[str, Any]]:
        return [*self.existing.values(), *self.added.values()]

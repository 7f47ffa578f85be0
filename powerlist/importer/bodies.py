"""Bodies from 实施主体 names: ids a person can read (pinyin of the name, e.g. 区经信局 -> qujingxinju),
levels from the name, the 实施主体编码 column as ``uscc``, ``org_code`` or ``other_codes`` by its
shape. Ids already in bodies.yaml are kept."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

_ID_CHARS = re.compile(r"[^a-z0-9]+")


@lru_cache(maxsize=4096)
def pinyin_id(name: str, limit: int = 40) -> str:
    from pypinyin import lazy_pinyin

    text = "".join(lazy_pinyin(name))
    return _ID_CHARS.sub("", text.lower())[:limit] or "body"


@lru_cache(maxsize=4096)
def initials(name: str, limit: int = 6) -> str:
    """区经信局 -> QJXJ (for power ids)."""
    from pypinyin import Style, lazy_pinyin

    text = "".join(p[:1] for p in lazy_pinyin(name, style=Style.FIRST_LETTER))
    return _ID_CHARS.sub("", text.lower())[:limit].upper() or "X"


def level_of(name: str) -> str | None:
    """The level a body's name states; None when it states none (the report says which were assumed)."""
    if re.search(r"(乡|镇|街道)(人民政府|办事处)?$", name) or "街道办" in name:
        return "乡级"
    if re.match(r"^.{0,8}省", name) or "自治区" in name[:6]:
        return "省级"
    if name.startswith(("区", "县")) or re.match(r"^.{1,6}(县|区)(?!域)", name):
        return "县级"
    if name.startswith("市") or re.match(r"^.{1,6}市", name):
        return "市级"
    return None


_ORG_CODE = re.compile(r"[0-9A-Z]{8}-?[0-9X]")


def code_kind(code: str) -> str:
    """Which body key a 实施主体编码 belongs under. Real lists mix USCCs with older organisation codes
    (8 characters, a check character, often a hyphen) and platform ids (19 digits): only what is
    meant as a USCC goes to ``uscc``, where a 17-character code that lost a digit is still caught."""
    if _ORG_CODE.fullmatch(code.upper()):
        return "org_code"
    if 16 <= len(code) <= 20 and not (code.isdigit() and len(code) > 18):
        return "uscc"
    return "other_codes"


@dataclass
class BodyBook:
    default_level: str
    existing: dict[str, dict[str, Any]] = field(default_factory=dict)  # name -> existing bodies.yaml item
    bodies: dict[str, dict[str, Any]] = field(default_factory=dict)  # name -> new/updated item
    assumed_level: list[str] = field(default_factory=list)
    code_conflicts: list[str] = field(default_factory=list)
    _ids: set[str] = field(default_factory=set)

    def load_existing(self, items: list[dict[str, Any]]) -> None:
        for item in items:
            if isinstance(item, dict) and isinstance(item.get("name"), str) and isinstance(item.get("id"), str):
                self.existing[item["name"]] = item
                self._ids.add(item["id"])

    def id_for(self, name: str, code: str | None) -> str:
        item = self.bodies.get(name)
        if item is None:
            item = self._new(name)
            self.bodies[name] = item
        if code:
            key = code_kind(code)
            if key == "other_codes":
                if code not in item.setdefault("other_codes", []):
                    item["other_codes"].append(code)
            elif not item.get(key):
                item[key] = code
            elif item[key] != code and code not in item.setdefault("_other_codes", []):
                item["_other_codes"].append(code)
                self.code_conflicts.append(f"{name}: {item[key]} / {code}")
        return str(item["id"])

    def _new(self, name: str) -> dict[str, Any]:
        if name in self.existing:
            return {k: v for k, v in self.existing[name].items()}
        base = pinyin_id(name)
        ident, n = base, 2
        while ident in self._ids:
            ident, n = f"{base}-{n}", n + 1
        self._ids.add(ident)
        level = level_of(name)
        if level is None:
            level = self.default_level
            self.assumed_level.append(name)
        return {"id": ident, "name": name, "level": level}

    def items(self) -> list[dict[str, Any]]:
        return [{k: v for k, v in b.items() if not k.startswith("_")} for b in self.bodies.values()]

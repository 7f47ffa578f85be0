"""JSON Schemas generated from the models, written to ``schemas/`` for editors and other tools.

Other modules may add schemas (e.g. the JSON export) with :func:`register`.
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from pydantic import TypeAdapter

from powerlist.fsutil import write_atomic
from powerlist.models import Body, Decision, Law, Power

_DIALECT = "https://json-schema.org/draft/2020-12/schema"
_BUILDERS: dict[str, Callable[[], dict[str, Any]]] = {}


def register(name: str) -> Callable[[Callable[[], dict[str, Any]]], Callable[[], dict[str, Any]]]:
    def deco(fn: Callable[[], dict[str, Any]]) -> Callable[[], dict[str, Any]]:
        _BUILDERS[name] = fn
        return fn

    return deco


# The Chinese spellings the loader accepts for the format's English values (status: 有效, unit: 工作日),
# as powerlist.catalog.aliases lists them (that module sits a floor above this one; a test keeps the
# two equal). canonical -> its Chinese name first, then the other accepted spellings.
ALIASES: tuple[dict[str, tuple[str, ...]], ...] = (
    {"active": ("有效", "在用", "正常"), "suspended": ("暂停", "已暂停", "暂停实施"),
     "abolished": ("已取消", "取消", "已废止", "废止")},
    {"working_days": ("工作日", "个工作日"), "calendar_days": ("日历日", "自然日", "天", "日"), "months": ("个月", "月")},
    {"active": ("有效", "存续", "正常"), "merged": ("已合并", "合并", "已并入"), "abolished": ("已撤销", "撤销", "已取消")},
    {"in_force": ("现行有效", "有效", "现行"), "amended": ("已修改", "已修订", "已被修改", "修改"),
     "repealed": ("已废止", "废止", "失效", "已失效")},
)


def _with_aliases(node: Any) -> Any:
    """Every enum of canonical values (e.g. active | suspended | abolished) also accepts their
    Chinese spellings, as the loader does; the description says which each one stands for."""
    if isinstance(node, list):
        return [_with_aliases(v) for v in node]
    if not isinstance(node, dict):
        return node
    out = {k: _with_aliases(v) for k, v in node.items()}
    values = out.get("enum")
    if isinstance(values, list):
        for table in ALIASES:
            if set(values) == set(table):
                extra = [a for canon in values for a in table[canon]]
                out["enum"] = [*values, *dict.fromkeys(extra)]
                meaning = "; ".join(f"{canon}: {' / '.join(table[canon])}" for canon in values)
                note = f"Chinese spellings accepted ({meaning})"
                out["description"] = f"{out['description']} {note}" if out.get("description") else note
                break
    return out


def _finish(schema: dict[str, Any], name: str, title: str) -> dict[str, Any]:
    schema = _with_aliases(schema)
    return {"$schema": _DIALECT, "$id": f"https://powerlist.example/schemas/{name}", "title": title, **schema}


@register("power.schema.json")
def _power() -> dict[str, Any]:
    return _finish(Power.model_json_schema(mode="validation"), "power.schema.json",
                   "powerlist: one administrative power (powers/**/*.yaml)")


@register("bodies.schema.json")
def _bodies() -> dict[str, Any]:
    return _finish(TypeAdapter(list[Body]).json_schema(), "bodies.schema.json", "powerlist: bodies.yaml")


@register("laws.schema.json")
def _laws() -> dict[str, Any]:
    return _finish(TypeAdapter(list[Law]).json_schema(), "laws.schema.json", "powerlist: laws.yaml")


@register("decisions.schema.json")
def _decisions() -> dict[str, Any]:
    return _finish(TypeAdapter(list[Decision]).json_schema(), "decisions.schema.json", "powerlist: decisions.yaml")


def _load_extra() -> None:
    for mod in ("powerlist.export.jsonout",):
        with contextlib.suppress(ModuleNotFoundError):
            __import__(mod)


def render_all() -> dict[str, str]:
    """File name -> JSON text (stable: sorted keys, trailing newline)."""
    _load_extra()
    return {name: json.dumps(build(), ensure_ascii=False, indent=2, sort_keys=True) + "\n"
            for name, build in sorted(_BUILDERS.items())}


def write_all(out: Path) -> list[str]:
    """Write every schema into ``out``; return the names that changed."""
    out.mkdir(parents=True, exist_ok=True)
    changed = []
    for name, text in render_all().items():
        target = out / name
        if not target.exists() or target.read_text(encoding="utf-8") != text:
            write_atomic(target, text)
            changed.append(name)
    return changed


def stale(out: Path) -> list[str]:
    """Names of schemas in ``out`` that are missing or differ from the models."""
    return [n for n, t in render_all().items()
            if not (out / n).exists() or (out / n).read_text(encoding="utf-8") != t]

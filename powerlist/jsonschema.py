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


def _finish(schema: dict[str, Any], name: str, title: str) -> dict[str, Any]:
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

"""Chinese aliases for the English values of the catalogue format (issue 14).

An office writes ``status: 有效`` or ``unit: 工作日``; the models keep one canonical English value,
so the loader maps the Chinese term to it before validation. Only the fields below have aliases;
``level`` (法律, 行政法规 …) is Chinese already.
"""

from __future__ import annotations

from typing import Any

from powerlist.i18n import T, Text
from powerlist.models import Body, Law, Model, Power

# canonical value -> (its Chinese name, shown in messages; other Chinese spellings accepted)
_Choices = dict[str, tuple[str, tuple[str, ...]]]

POWER_STATUS: _Choices = {
    "active": ("有效", ("在用", "正常")),
    "suspended": ("暂停", ("已暂停", "暂停实施")),
    "abolished": ("已取消", ("取消", "已废止", "废止")),
}
UNIT: _Choices = {
    "working_days": ("工作日", ("个工作日",)),
    "calendar_days": ("日历日", ("自然日", "天", "日")),
    "months": ("个月", ("月",)),
}
BODY_STATUS: _Choices = {
    "active": ("有效", ("存续", "正常")),
    "merged": ("已合并", ("合并", "已并入")),
    "abolished": ("已撤销", ("撤销", "已取消")),
}
LAW_STATUS: _Choices = {
    "in_force": ("现行有效", ("有效", "现行")),
    "amended": ("已修改", ("已修订", "已被修改", "修改")),
    "repealed": ("已废止", ("废止", "失效", "已失效")),
}

# Where each table applies, by the model validated; "*" stands for any list index.
_FIELDS: dict[type[Model], tuple[tuple[tuple[str, ...], _Choices], ...]] = {
    Power: (
        (("status",), POWER_STATUS),
        (("time_limit", "unit"), UNIT),
        (("sub_items", "*", "status"), POWER_STATUS),
    ),
    Body: ((("status",), BODY_STATUS),),
    Law: ((("status",), LAW_STATUS),),
}


def _lookup(choices: _Choices) -> dict[str, str]:
    out: dict[str, str] = {}
    for canon, (name, others) in choices.items():
        for alias in (name, *others):
            out[alias] = canon
    return out


_LOOKUPS: dict[int, dict[str, str]] = {id(c): _lookup(c) for c in (POWER_STATUS, UNIT, BODY_STATUS, LAW_STATUS)}


def _matches(pattern: tuple[str, ...], path: tuple[str | int, ...]) -> bool:
    return len(pattern) == len(path) and all(
        (p == "*" and isinstance(s, int)) or p == s for p, s in zip(pattern, path, strict=True))


def choices_at(model: type[Any], path: tuple[str | int, ...]) -> _Choices | None:
    """The alias table of the field at ``path`` inside ``model`` (None: the field has none)."""
    for pattern, choices in _FIELDS.get(model, ()):
        if _matches(pattern, path):
            return choices
    return None


def describe(choices: _Choices) -> Text:
    """The accepted values in both languages: ``active（有效）| suspended（暂停）| …``."""
    shown = "| ".join(f"{canon}（{name}）" for canon, (name, _) in choices.items())
    return T(shown, shown)


def normalise(model: type[Any], data: Any) -> Any:
    """``data`` with every Chinese alias replaced by its canonical value; the same object when
    nothing changed (a copy otherwise: the loaded data stays as written, for positions and fmt)."""
    out = data
    for pattern, choices in _FIELDS.get(model, ()):
        out = _replace(out, pattern, _LOOKUPS[id(choices)])
    return out


def _replace(node: Any, pattern: tuple[str, ...], lookup: dict[str, str]) -> Any:
    if not pattern:
        return lookup.get(node, node) if isinstance(node, str) else node
    step, rest = pattern[0], pattern[1:]
    if step == "*" and isinstance(node, list):
        items = [_replace(v, rest, lookup) for v in node]
        return items if any(a is not b for a, b in zip(items, node, strict=True)) else node
    if isinstance(node, dict) and step in node:
        new = _replace(node[step], rest, lookup)
        return node if new is node[step] else {**node, step: new}
    return node

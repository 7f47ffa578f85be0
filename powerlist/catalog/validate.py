"""Validate loaded data against the models; turn pydantic errors into located S problems."""

from __future__ import annotations

import difflib
import re
from collections.abc import Sequence
from typing import Any

from pydantic import BaseModel, ValidationError

from powerlist.catalog.aliases import UNIT, choices_at, describe, normalise
from powerlist.catalog.parse import LoadProblem, clean_path, locate
from powerlist.i18n import T, Text
from powerlist.models import Model, Power, model_in
from powerlist.registry import declare

S_MISSING = declare(
    "S011", "missing-key", summary=T("缺少必填键", "A required key is missing"),
    example="id: SL-XK-001\nname: 取水许可\ncategory: 行政许可\n# body: is missing\n",
)
S_UNKNOWN = declare(
    "S012", "unknown-key", summary=T("未知键（可能拼写错误）", "Unknown key (a typo?)"),
    example="id: SL-XK-001\nname: 取水许可\ncategory: 行政许可\nbody: city-water\nbasic: []\n",
)
S_TYPE = declare(
    "S013", "invalid-value", summary=T("值的类型或取值不对", "A value has the wrong type or is not allowed"),
    example="id: SL-XK-001\nname: 取水许可\ncategory: 行政许可\nbody: city-water\nstatus: 作废\n",
)

_TYPE_ZH = {
    "string_type": "应为字符串（文本）",
    "int_type": "应为整数",
    "float_type": "应为数字",
    "bool_type": "应为 true 或 false",
    "list_type": "应为列表",
    "dict_type": "应为映射（键: 值）",
    "model_type": "应为映射（键: 值）",
    "model_attributes_type": "应为映射（键: 值）",
    "greater_than_equal": "不能为负数",
    "string_too_short": "不能为空",
    "string_pattern_mismatch": "格式不对",
    "date_from_datetime_parsing": "应为日期，形如 2024-01-31",
    "date_parsing": "应为日期，形如 2024-01-31",
    "date_type": "应为日期，形如 2024-01-31",
    "none_required": "应为空",
}


def _fmt_path(path: Sequence[str | int]) -> str:
    out = ""
    for p in path:
        out += f"[{p}]" if isinstance(p, int) else (f".{p}" if out else p)
    return out or "(document)"


_DATE_KINDS = frozenset({"date_from_datetime_parsing", "date_parsing", "date_type", "date_from_datetime_inexact"})
_NUMBER_KINDS = frozenset({"int_type", "float_type", "int_parsing", "float_parsing"})
# "20个工作日", "20 日", "3个月": a number with its unit written into a number field.
_NUMBER_WITH_UNIT = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(个工作日|工作日|日历日|自然日|天|日|个月|月)?\s*$")
_UNIT_OF = {"个工作日": "working_days", "工作日": "working_days", "日历日": "calendar_days",
            "自然日": "calendar_days", "天": "calendar_days", "日": "calendar_days", "个月": "months", "月": "months"}


def _shown(got: Any) -> str:
    shown = repr(got) if not isinstance(got, (dict, list)) else type(got).__name__
    return shown[:37] + "..." if len(shown) > 40 else shown


def _message(err: Any, path: tuple[str | int, ...], model: type[BaseModel]) -> tuple[str, Text]:
    kind = err["type"]
    if kind == "missing":
        key = path[-1] if path else "?"
        return S_MISSING, T(f"缺少必填键「{key}」", f"required key '{key}' is missing")
    if kind == "extra_forbidden":
        return S_UNKNOWN, _unknown_key(path, model)
    return S_TYPE, _value_message(err, path, model)


def _value_message(err: Any, path: tuple[str | int, ...], model: type[BaseModel]) -> Text:
    kind, got = err["type"], err.get("input")
    where, shown = _fmt_path(path), _shown(got)
    if not path and isinstance(got, list) and model is Power:
        return T(f"文件里是一个含 {len(got)} 项的列表；一个文件只写一个事项（映射），每个事项各建一个文件",
                 f"the file holds a list of {len(got)} items; write one power per file (a mapping), "
                 "each power in its own file")
    if kind == "literal_error":
        choices = choices_at(model, path)
        listed = err.get("ctx", {}).get("expected", "")
        expected = describe(choices) if choices else T(listed, listed)
        return T(f"{where} 的值 {shown} 不在允许范围内：{expected.zh}", f"{where}: {shown} is not one of {expected.en}")
    if kind in _DATE_KINDS:
        return T(f"{where} 应为日期，形如 2024-01-31（年-月-日），实际为 {shown}",
                 f"{where}: expected a date written as 2024-01-31 (year-month-day), got {shown}")
    if kind in _NUMBER_KINDS and isinstance(got, str):
        fix = _number_fix(path, got)
        if fix is not None:
            return fix
    zh = _TYPE_ZH.get(kind, err["msg"])
    hint_zh = hint_en = ""
    if kind == "string_type" and isinstance(got, (int, float)):
        hint_zh, hint_en = "（数字编码请加引号）", " (quote codes that look like numbers)"
    return T(f"{where} {zh}，实际为 {shown}{hint_zh}", f"{where}: {err['msg'].lower()}, got {shown}{hint_en}")


def _number_fix(path: tuple[str | int, ...], got: str) -> Text | None:
    """A number written as text (``"20个工作日"``, ``"20"``): say what to write instead."""
    m = _NUMBER_WITH_UNIT.match(got)
    if m is None or not path:
        return None
    where, key, number = _fmt_path(path), path[-1], m.group(1)
    if m.group(2) is None:
        return T(f"{where} 应为数字，请写 {key}: {number}（不加引号）",
                 f"{where}: should be a number: write {key}: {number} (no quotes)")
    unit = _UNIT_OF[m.group(2)]
    unit_zh = UNIT[unit][0]
    return T(f"{where} 应为数字，单位另写：请写 {key}: {number}，并在 time_limit 中写 unit: {unit}（{unit_zh}）",
             f"{where}: should be a number with the unit given apart: write {key}: {number} "
             f"and, in time_limit, unit: {unit} ({unit_zh})")


def _unknown_key(path: tuple[str | int, ...], model: type[BaseModel]) -> Text:
    key = path[-1] if path else "?"
    fields = _fields_at(model, path[:-1])
    close = difflib.get_close_matches(str(key), fields, n=1, cutoff=0.75) if fields else []
    if close:
        return T(f"未知键「{key}」，是否指「{close[0]}」？", f"unknown key '{key}'; did you mean '{close[0]}'?")
    return T(f"未知键「{key}」", f"unknown key '{key}'")


def _fields_at(model: type[BaseModel], path: tuple[str | int, ...]) -> list[str]:
    """The field names of the model found at ``path`` inside ``model`` ([] when not a model)."""
    current: type[BaseModel] | None = model
    for step in path:
        if current is None:
            return []
        if isinstance(step, int):
            continue  # a list item: the item model is already the current one
        field = current.model_fields.get(step)
        current = model_in(field.annotation) if field is not None else None
    return list(current.model_fields) if current is not None else []


def validate(
    model: type[Model], data: Any, positions: Sequence[int], prefix: tuple[str | int, ...] = (),
    root: Any = None,
) -> tuple[Model | None, list[LoadProblem]]:
    """Validate ``data`` (found at ``prefix`` inside the file's ``root``) against ``model``.

    Unknown keys alone do not make an entry unusable: they are reported, dropped and the rest is
    validated again, so that one typo does not hide the entry from every other check.
    """
    root = data if root is None else root
    try:
        return model.model_validate(data), []
    except ValidationError as exc:
        errors = exc.errors(include_url=False)
    # Chinese values (status: 有效) are mapped only once validation failed: good files pay nothing.
    canonical = normalise(model, data)
    if canonical is not data:
        return validate(model, canonical, positions, prefix, root)
    problems: list[LoadProblem] = []
    seen: set[tuple[tuple[str | int, ...], str]] = set()
    extra_only = True
    extras: list[tuple[str | int, ...]] = []
    for err in errors:
        path = prefix + clean_path(data, err["loc"])
        code, text = _message(err, path[len(prefix):], model)
        if (path, code) in seen:
            continue  # a union reports once per member; one message per place is enough
        seen.add((path, code))
        at = "key" if code == S_UNKNOWN else "value"
        line, col = locate(root, positions, path, at=at)
        problems.append(LoadProblem(code, line, col, text, key=path))
        if code == S_UNKNOWN:
            extras.append(path[len(prefix):])
        else:
            extra_only = False
    if extra_only and extras and isinstance(data, dict):
        pruned = _prune(data, extras)
        try:
            return model.model_validate(pruned), problems
        except ValidationError:
            return None, problems
    return None, problems


def _prune(data: Any, paths: list[tuple[str | int, ...]]) -> Any:
    import copy

    out = copy.deepcopy(data)
    for path in paths:
        node = out
        for step in path[:-1]:
            node = node[step]
        if isinstance(node, dict):
            node.pop(path[-1], None)
    return out

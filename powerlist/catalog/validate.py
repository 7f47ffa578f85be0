"""Validate loaded data against the models; turn pydantic errors into located S problems."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from pydantic import ValidationError

from powerlist.catalog.parse import LoadProblem, clean_path, locate
from powerlist.i18n import T, Text
from powerlist.models import Model
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
    example="id: SL-XK-001\nname: 取水许可\ncategory: 行政许可\nbody: city-water\nstatus: 有效\n",
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
    "date_from_datetime_parsing": "应为日期 YYYY-MM-DD",
    "date_parsing": "应为日期 YYYY-MM-DD",
    "date_type": "应为日期 YYYY-MM-DD",
    "none_required": "应为空",
}


def _fmt_path(path: Sequence[str | int]) -> str:
    out = ""
    for p in path:
        out += f"[{p}]" if isinstance(p, int) else (f".{p}" if out else p)
    return out or "(document)"


def _message(err: Any, path: tuple[str | int, ...]) -> tuple[str, Text]:
    kind = err["type"]
    where = _fmt_path(path)
    if kind == "missing":
        key = path[-1] if path else "?"
        return S_MISSING, T(f"缺少必填键「{key}」", f"required key '{key}' is missing")
    if kind == "extra_forbidden":
        key = path[-1] if path else "?"
        return S_UNKNOWN, T(f"未知键「{key}」", f"unknown key '{key}'")
    got = err.get("input")
    shown = repr(got) if not isinstance(got, (dict, list)) else type(got).__name__
    if len(shown) > 40:
        shown = shown[:37] + "..."
    if kind == "literal_error":
        expected = err.get("ctx", {}).get("expected", "")
        return S_TYPE, T(f"{where} 的值 {shown} 不在允许范围内：{expected}",
                         f"{where}: {shown} is not one of {expected}")
    zh = _TYPE_ZH.get(kind, err["msg"])
    hint_zh = hint_en = ""
    if kind == "string_type" and isinstance(got, (int, float)):
        hint_zh, hint_en = "（数字编码请加引号）", " (quote codes that look like numbers)"
    return S_TYPE, T(f"{where} {zh}，实际为 {shown}{hint_zh}", f"{where}: {err['msg'].lower()}, got {shown}{hint_en}")


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
    problems: list[LoadProblem] = []
    seen: set[tuple[tuple[str | int, ...], str]] = set()
    extra_only = True
    extras: list[tuple[str | int, ...]] = []
    for err in errors:
        path = prefix + clean_path(data, err["loc"])
        code, text = _message(err, path[len(prefix):])
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

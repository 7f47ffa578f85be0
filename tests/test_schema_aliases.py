"""The JSON Schemas accept what the loader accepts: the Chinese spellings of the format's English
values (status: 有效, unit: 工作日, a body's status: 已合并, a law's status: 已废止)."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema as validator
import pytest

from powerlist.catalog import aliases
from powerlist.jsonschema import ALIASES

ROOT = Path(__file__).resolve().parent.parent / "schemas"
GOOD = {"id": "SL-XK-001", "name": "取水许可", "category": "行政许可", "body": "city-water"}


def _schema(name: str) -> dict[str, object]:
    return json.loads((ROOT / name).read_text(encoding="utf-8"))  # type: ignore[no-any-return]


def test_the_schema_tables_are_the_loader_tables() -> None:
    loader = [aliases.POWER_STATUS, aliases.UNIT, aliases.BODY_STATUS, aliases.LAW_STATUS]
    assert [{c: (n, *o) for c, (n, o) in t.items()} for t in loader] == list(ALIASES)


@pytest.mark.parametrize("value", ["active", "有效", "在用", "暂停", "已取消", "废止"])
def test_power_status_accepts_chinese(value: str) -> None:
    validator.validate({**GOOD, "status": value, "sub_items": [{"name": "子项", "status": value}]},
                       _schema("power.schema.json"))


def test_unit_accepts_chinese_and_unknown_values_still_fail() -> None:
    schema = _schema("power.schema.json")
    validator.validate({**GOOD, "time_limit": {"statutory": 20, "unit": "工作日"}}, schema)
    validator.validate({**GOOD, "time_limit": {"statutory": 20, "unit": "自然日"}}, schema)
    with pytest.raises(validator.ValidationError):
        validator.validate({**GOOD, "status": "作废"}, schema)
    with pytest.raises(validator.ValidationError):
        validator.validate({**GOOD, "time_limit": {"statutory": 20, "unit": "周"}}, schema)


def test_bodies_and_laws_accept_chinese_status() -> None:
    validator.validate([{"id": "a", "name": "某局", "level": "市级", "status": "已合并", "merged_into": "b"}],
                       _schema("bodies.schema.json"))
    validator.validate([{"id": "w", "title": "某条例", "level": "地方性法规", "status": "已废止"}],
                       _schema("laws.schema.json"))

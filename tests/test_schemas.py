"""schemas/ is generated from the models; this fails when someone forgot `make schema`."""

from __future__ import annotations

from pathlib import Path

from powerlist.jsonschema import stale

ROOT = Path(__file__).resolve().parent.parent


def test_schemas_up_to_date() -> None:
    assert stale(ROOT / "schemas") == [], "schemas/ is out of date: run `make schema`"


def test_power_schema_rejects_unknown_keys() -> None:
    import json

    import jsonschema

    schema = json.loads((ROOT / "schemas" / "power.schema.json").read_text(encoding="utf-8"))
    good = {"id": "SL-XK-001", "name": "取水许可", "category": "行政许可", "body": "city-water"}
    jsonschema.validate(good, schema)
    try:
        jsonschema.validate({**good, "basic": []}, schema)
    except jsonschema.ValidationError as exc:
        assert "basic" in exc.message
    else:
        raise AssertionError("an unknown key must be rejected by the schema")

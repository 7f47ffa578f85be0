"""A valid power file releases its raw data after validation; locating keys in it must give the
same answers as before the release (top-level keys from the kept table, deeper ones by re-parsing)."""

from __future__ import annotations

from pathlib import Path

import pytest
from casefiles import GOOD_POWER

from powerlist.catalog.build import load_file
from powerlist.catalog.parse import Limits, read_and_parse

FLOW = "{id: SL-XK-001, name: 取水许可, category: 行政许可, body: city-water,\n  process: {steps: [{id: a, name: 受理}]}}\n"
DUP = GOOD_POWER.replace("status: active\n", "status: active\nname: 重复的键\n")


@pytest.mark.parametrize("text", [GOOD_POWER, FLOW, DUP], ids=["block", "flow", "duplicate-key"])
def test_released_file_locates_like_the_original(tmp_path: Path, text: str) -> None:
    path = tmp_path / "SL-XK-001.yaml"
    path.write_text(text, encoding="utf-8")
    parsed = read_and_parse(str(path))
    keep, _ = load_file(path.name, "power", parsed)  # no root: never released
    released, entries = load_file(path.name, "power", read_and_parse(str(path)), tmp_path, Limits())
    assert entries[0].model is not None and released._data is None and keep._data is not None
    paths: list[tuple[str | int, ...]] = [(), ("missing",), ("process", "steps", 0, "name"), ("basis", 1, "law")]
    paths += [(k,) for k in keep.data]
    for key in paths:
        for at in ("key", "value"):
            assert released.locate(key, at) == keep.locate(key, at), (key, at)
    assert released.data == keep.data  # re-read on demand


def test_unreleased_without_root(tmp_path: Path) -> None:
    path = tmp_path / "a.yaml"
    path.write_text(GOOD_POWER, encoding="utf-8")
    sf, _ = load_file("a.yaml", "power", read_and_parse(str(path)))
    sf.release()  # no root to re-read from: keeps its data
    assert sf.data is not None and sf.locate(("name",)) == (2, 7)


def test_models_share_fields_sets_and_still_copy() -> None:
    from powerlist.models import Power

    a = Power.model_validate({"id": "A", "name": "取水许可", "category": "行政许可", "body": "b"})
    b = Power.model_validate({"id": "B", "name": "取水许可", "category": "行政许可", "body": "c"})
    assert a.model_fields_set is b.model_fields_set  # one shared object per shape: memory at 100k
    c = a.model_copy(update={"body": "x", "status": "suspended"})
    assert c.body == "x" and "status" in c.model_fields_set and "status" not in a.model_fields_set


def test_a_released_file_edited_later_is_read_again(tmp_path: Path) -> None:
    """The re-read cache is keyed by the file's stat signature: a long-running process never
    answers from the parse of a file that has since changed."""
    path = tmp_path / "a.yaml"
    path.write_text(GOOD_POWER, encoding="utf-8")
    sf, _ = load_file("a.yaml", "power", read_and_parse(str(path)), tmp_path, Limits())
    assert sf.data["name"] == "取水许可"
    path.write_text(GOOD_POWER.replace("name: 取水许可", "name: 取水许可（变更）"), encoding="utf-8")
    assert sf.data["name"] == "取水许可（变更）"


def test_key_orders_are_bounded(tmp_path: Path) -> None:
    from powerlist.catalog import source

    path = tmp_path / "a.yaml"
    for i in range(source._KEY_ORDERS_MAX + 10):
        path.write_text(f"{{id: A, k{i}: 1}}\n", encoding="utf-8")
        sf, _ = load_file("a.yaml", "power", read_and_parse(str(path)), tmp_path, Limits())
        sf.release()
        assert sf.top_keys == ("id", f"k{i}")
    assert len(source._KEY_ORDERS) <= source._KEY_ORDERS_MAX


@pytest.mark.parametrize(("rel", "kind"), [
    ("bodies.yaml", "bodies"), ("laws.yml", "laws"), ("decisions.yaml", "decisions"), ("sub/bodies.yaml", "bodies"),
    ("powers/x/bodies.yaml", "power"), ("powers/bodies.yaml", "power"), ("bodies.txt", "power"), ("a.yaml", "power"),
])
def test_kind_of(rel: str, kind: str) -> None:
    from powerlist.catalog.layout import kind_of

    assert kind_of(rel) == kind
    assert kind_of(Path("/somewhere") / rel) == kind

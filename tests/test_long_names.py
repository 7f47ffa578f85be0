"""Issue 9 item 3: over-long names are reported (S030) and cannot stall the near-duplicate search."""

from __future__ import annotations

from pathlib import Path

import pytest

from powerlist import api
from powerlist.checks import duplicates
from powerlist.config import load_settings

POWER = """\
id: {id}
name: {name}
category: 行政许可
body: city-water
basis:
  - law: 中华人民共和国水法
    articles: [第四十八条]
"""


def _catalog(make_catalog, names: list[str]) -> Path:  # type: ignore[no-untyped-def]
    return make_catalog({f"powers/water/X-{i}.yaml": POWER.format(id=f"X-{i}", name=n) for i, n in enumerate(names)})


def test_near_duplicate_search_compares_only_the_head_of_long_names(make_catalog, monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[int] = []
    real = duplicates.similar_pairs

    def spy(texts, threshold):  # type: ignore[no-untyped-def]
        seen.extend(len(t) for t in texts)
        return real(texts, threshold)

    monkeypatch.setattr(duplicates, "similar_pairs", spy)
    root = _catalog(make_catalog, ["水" * 80_000 + "甲", "水" * 80_000 + "乙", "取水许可"])
    result = api.check(root, load_settings(root).with_cli(["D003", "S030"])).result
    assert seen and max(seen) <= 200
    codes = sorted(d.code for d in result.diagnostics)
    # both long names are reported, and their identical heads are a near-duplicate pair
    assert codes == ["D003", "S030", "S030"]


def test_names_at_the_limit_are_not_reported(make_catalog) -> None:  # type: ignore[no-untyped-def]
    root = _catalog(make_catalog, ["许" * 200])
    result = api.check(root, load_settings(root).with_cli(["S030"])).result
    assert result.diagnostics == []

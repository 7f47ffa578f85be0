"""similar_pairs: exactly the pairs a brute-force comparison finds, at any threshold."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rapidfuzz import fuzz

from powerlist.similarity import similar_pairs


def brute(texts: list[str], t: float) -> set[tuple[int, int]]:
    return {(i, j) for i, j in itertools.combinations(range(len(texts)), 2)
            if texts[i] and texts[j] and fuzz.ratio(texts[i], texts[j]) >= t * 100}


# A small alphabet of boilerplate and content characters, so that near pairs are common.
NAMES = st.lists(st.text(alphabet="对未按规定取水许可的处罚排污采砂审批检查", min_size=0, max_size=14), max_size=40, unique=True)


@settings(max_examples=200, deadline=None)
@given(NAMES, st.sampled_from([0.5, 0.7, 0.8, 0.85, 0.9, 0.95, 1.0]))
def test_same_pairs_as_brute_force(texts: list[str], t: float) -> None:
    got = similar_pairs(texts, t)
    assert {(i, j) for i, j, _ in got} == brute(texts, t)
    assert all(i < j and s == pytest.approx(fuzz.ratio(texts[i], texts[j])) for i, j, s in got)


def test_templated_names_one_word_apart() -> None:
    names = ["建设项目水资源论证报告书审批", "建设项目水资源论证报告书审查", "对未取得取水许可擅自取水的处罚", "取水许可"]
    assert [(i, j) for i, j, _ in similar_pairs(names, 0.9)] == [(0, 1)]


def test_repeated_characters_count_as_a_multiset() -> None:
    assert {(i, j) for i, j, _ in similar_pairs(["水水水水水水水水水水", "水水水水水水水水水", "水"], 0.9)} == {(0, 1)}


@pytest.mark.parametrize("t", [0, -0.1, 1.01])
def test_threshold_out_of_range(t: float) -> None:
    with pytest.raises(ValueError):
        similar_pairs(["a", "b"], t)

"""docs/checks.md documents every code of the cross-entry families with its name and severity."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from powerlist.checks import all_checks
from powerlist.registry import Check

DOC = Path(__file__).parent.parent / "docs" / "checks.md"
FAMILIES = "RBDJAGU"
CODES = [c for c in all_checks().values() if c.family in FAMILIES]


@pytest.mark.parametrize("chk", CODES, ids=[c.code for c in CODES])
def test_table_row_matches_the_registry(chk: Check) -> None:
    row = re.search(rf"^\| {chk.code} \| ([^|]+) \| ([^|]+) \|", DOC.read_text(encoding="utf-8"), re.M)
    assert row is not None, f"{chk.code} has no row in docs/checks.md"
    assert (row[1].strip(), row[2].strip()) == (chk.name, chk.severity.value)


@pytest.mark.parametrize("chk", CODES, ids=[c.code for c in CODES])
def test_every_check_has_an_example_and_a_docstring(chk: Check) -> None:
    assert chk.example and chk.func is not None and chk.func.__doc__

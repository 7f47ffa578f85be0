"""Every rule case in tests/cases/<CODE>.yaml becomes a test; every code needs a passing and a
failing case."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from casefiles import Case, load_cases

from powerlist.api import check, settings_for
from powerlist.checks import all_checks

CASES = load_cases()


def findings_for(case: Case, root: Path) -> list[tuple[str, str, int]]:
    case.materialise(root)
    settings = settings_for(root, select=case.select or [case.code])
    as_of = date.fromisoformat(case.as_of) if case.as_of else date(2026, 1, 1)
    result = check(root, settings, as_of=as_of).result
    assert not result.crashed, result.crashed
    return sorted((d.code, d.path, d.line) for d in result.diagnostics if d.code == case.code)


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_rule_case(case: Case, tmp_path: Path) -> None:
    assert findings_for(case, tmp_path / "cat") == sorted(case.expect)


def test_every_code_has_pass_and_fail_cases() -> None:
    by_code: dict[str, list[Case]] = {}
    for c in CASES:
        by_code.setdefault(c.code, []).append(c)
    missing = []
    for code in all_checks():
        cases = by_code.get(code, [])
        if not any(c.expect for c in cases) or not any(not c.expect for c in cases):
            missing.append(code)
    assert not missing, f"codes without both a passing and a failing case: {missing}"


def test_case_files_name_real_codes() -> None:
    codes = all_checks()
    assert {c.code for c in CASES} <= set(codes)

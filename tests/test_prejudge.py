"""The parsing workers judge the per-entry checks (engine.prejudge): the findings are exactly
those of one process, the main process really leaves those files to the workers, and whatever
the workers could not judge soundly (a crashed check, other registries) is judged again."""

from __future__ import annotations

import dataclasses
import os
from datetime import date
from functools import partial
from pathlib import Path
from typing import Any

import pytest

from bench.generate import generate
from powerlist import api, engine
from powerlist.catalog.layout import discover
from powerlist.checks import all_checks
from powerlist.registry import CHECKS
from powerlist.report import RenderOptions
from powerlist.report.json import result_to_json

AS_OF = date(2026, 1, 1)


@pytest.fixture(scope="module")
def catalogue(tmp_path_factory: pytest.TempPathFactory) -> Path:
    # Planted defects of every family, many of them per-entry (P, B, C, A, J002, R002).
    return generate(tmp_path_factory.mktemp("prejudge") / "cat", 400, seed=3).root


def _run(root: Path, **kw: Any) -> tuple[api.Checked, dict[str, Any]]:
    checked = api.check(root, api.settings_for(root), as_of=AS_OF, **kw)
    return checked, result_to_json(checked.result, RenderOptions(root=root))


def _per_entry_codes(out: dict[str, Any]) -> set[str]:
    from powerlist.checks.base import PER_ENTRY

    return {d["code"] for d in out["diagnostics"] if d["code"] in PER_ENTRY}


def test_the_workers_judge_every_power_and_agree_with_one_process(
        catalogue: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    parent = os.getpid()
    judged_here: list[int] = []  # power entries the main process judged with per-entry checks
    real = engine._by_file

    def spy(target: Any, checks: Any, today: Any, paths: Any, crashed: Any) -> Any:
        if os.getpid() == parent and checks and all(c.code in engine.PER_ENTRY for c in checks):
            judged_here.append(len(target.powers))
        return real(target, checks, today, paths, crashed)

    taken: list[set[str]] = []  # the files whose workers' findings the engine took
    real_pre = engine._prejudged

    def took(cat: Any) -> Any:
        got = real_pre(cat)
        taken.append(set(got))
        return got

    monkeypatch.setattr(engine, "_by_file", spy)
    monkeypatch.setattr(engine, "_prejudged", took)
    two, out_two = _run(catalogue, workers=2)
    powers = {sf.path for sf in two.catalog.files if sf.kind == "power" and two.catalog.digests.get(sf.path)}
    assert taken == [powers]  # every power file read, judged in a worker
    assert judged_here == [0]  # the main process judged only the registries
    assert two.catalog.prejudged == {}  # not kept once used

    judged_here.clear()
    taken.clear()
    _, out_one = _run(catalogue, workers=1)
    assert taken == [set()] and judged_here and judged_here[0] > 0
    assert out_two == out_one
    assert {"P005", "P006", "P008", "B001", "B003", "C010", "A001", "J002", "R002"} <= _per_entry_codes(out_one)


def test_a_check_crashing_in_a_worker_is_judged_and_reported_as_in_one_process(
        catalogue: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    chk = all_checks()["P008"]
    real = chk.func
    assert real is not None
    victim = [rel for rel, kind in discover(catalogue) if kind == "power"][7]

    def crashing(cat: Any, *args: Any) -> Any:
        if any(e.path == victim for e in cat.powers):
            raise RuntimeError("boom")
        return real(cat, *args)

    monkeypatch.setitem(CHECKS, "P008", dataclasses.replace(chk, func=crashing))  # forked workers inherit it
    two, out_two = _run(catalogue, workers=2)
    one, out_one = _run(catalogue, workers=1)
    assert [c for c, _ in two.result.crashed] == [c for c, _ in one.result.crashed] == ["P008"]
    assert out_two == out_one and "P008" not in _per_entry_codes(out_two)


def test_findings_made_with_other_registries_are_not_used(catalogue: Path) -> None:
    from powerlist.catalog import load_catalog

    settings = api.settings_for(catalogue)
    cat = load_catalog(catalogue, settings, workers=2, judge=partial(
        engine.prejudge, settings, AS_OF, tuple((sf, k) for sf, k in discover(catalogue) if k != "power")))
    assert len(engine._prejudged(cat)) == sum(1 for sf in cat.files if sf.kind == "power")
    laws = next(sf.path for sf in cat.files if sf.kind == "laws")
    cat.digests[laws] = "edited-since-the-worker-read-it"
    assert engine._prejudged(cat) == {}

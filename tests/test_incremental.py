"""Re-checking only what changed (issue 15): the per-entry checks judge an edited file alone, and a
run served partly from the cache equals the full run (``--no-cache``) after every kind of edit."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from casefiles import GOOD_POWER, load_cases

from powerlist import incremental
from powerlist.api import check, settings_for
from powerlist.catalog import load_catalog
from powerlist.catalog.model import Catalog
from powerlist.checks import all_checks
from powerlist.checks.base import PER_ENTRY
from powerlist.engine import _check_diagnostics
from powerlist.report import RenderOptions
from powerlist.report.json import result_to_json

AS_OF = date(2026, 1, 1)

# ---------------------------------------------------------------------------- the classification


def _located(cat: Catalog, codes: list[str], today: date) -> set[tuple[str, str, int, int, str]]:
    checks = all_checks()
    out = set()
    for code in codes:
        for d, _ in _check_diagnostics(cat, checks[code], today):
            out.add((d.path, d.code, d.line, d.column, d.message.en))
    return out


PER_ENTRY_CASES = [c for c in load_cases() if c.code in PER_ENTRY and c.expect]


def test_per_entry_codes_are_registered_checks() -> None:
    checks = all_checks()
    assert set(checks) >= PER_ENTRY
    assert all(checks[c].func is not None for c in PER_ENTRY)


@pytest.mark.parametrize("code", sorted({c.code for c in PER_ENTRY_CASES}))
def test_per_entry_checks_judge_a_file_alone(code: str, tmp_path: Path) -> None:
    """Over every failing case of a per-entry code, every per-entry check finds on each power file,
    judged in a catalogue holding only that file and the registries, exactly what it finds on that
    file in the whole catalogue; and on the registry files what it finds with no power at all."""
    codes = sorted(PER_ENTRY)
    for n, case in enumerate(c for c in PER_ENTRY_CASES if c.code == code):
        root = case.materialise(tmp_path / f"case{n}")
        today = date.fromisoformat(case.as_of) if case.as_of else AS_OF
        cat = load_catalog(root, settings_for(root))
        whole = _located(cat, codes, today)
        assert {w for w in whole if w[1] == code}, f"{case.id}: the case should fail"
        powers = {sf.path for sf in cat.files if sf.kind == "power"}
        for path in sorted(powers):
            alone = {f for f in _located(cat.restricted({path}), codes, today) if f[0] == path}
            assert alone == {w for w in whole if w[0] == path}, (case.id, path)
        bare = {f for f in _located(cat.restricted(set()), codes, today) if f[0] not in powers}
        assert bare == {w for w in whole if w[0] not in powers}, case.id


# ---------------------------------------------------------------------------- the oracle


def _power(i: int, **changes: str) -> str:
    text = GOOD_POWER.replace("SL-XK-001", f"SL-XK-{i:03d}").replace("name: 取水许可", f"name: 取水许可{i}")
    for old, new in changes.items():
        text = text.replace(old, new)
    return text


NO_PROCESS = "id: SL-XK-{n}\nname: 采砂许可{n}\ncategory: 行政许可\nbody: city-water\nbasis:\n  - law: 中华人民共和国水法\n"


@pytest.fixture
def catalog(make_catalog: Any) -> Path:
    files: dict[str, str | None] = {f"powers/water/SL-XK-{i:03d}.yaml": _power(i) for i in range(1, 9)}
    files["powers/water/SL-XK-020.yaml"] = NO_PROCESS.format(n="020")  # P001, per-entry
    files["powers/water/SL-XK-021.yaml"] = _power(21).replace("取水许可21", "取水许可1")  # D001, cross-entry
    files["powers/water/broken.yaml"] = "id: [x\n"
    return make_catalog(files)


class Spy:
    """Records the power files each restricted (incremental) run re-judged."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.calls: list[set[str]] = []
        real = Catalog.restricted

        def restricted(cat: Catalog, paths: set[str]) -> Catalog:
            self.calls.append(set(paths))
            return real(cat, paths)

        monkeypatch.setattr(Catalog, "restricted", restricted)


def _json(root: Path, as_of: date = AS_OF, **kw: Any) -> dict[str, Any]:
    checked = check(root, settings_for(root), as_of=as_of, **kw)
    return result_to_json(checked.result, RenderOptions(root=root))


def _same(root: Path, cache: Path, as_of: date = AS_OF) -> dict[str, Any]:
    cached = _json(root, as_of, cache_dir=cache)
    assert cached == _json(root, as_of)
    return cached


def test_incremental_equals_full_run_after_every_edit(catalog: Path, tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    cache = tmp_path / "cache"
    spy = Spy(monkeypatch)
    first = _same(catalog, cache)
    codes = {d["code"] for d in first["diagnostics"]}
    # per-entry (P001), cross-entry (a D duplicate) and load (S001) findings all present
    assert {"P001", "S001"} <= codes and any(c.startswith("D") for c in codes)
    assert spy.calls == []  # nothing held yet: the whole catalogue is judged

    def step(expect_alone: set[str] | None) -> dict[str, Any]:
        spy.calls.clear()
        out = _same(catalog, cache)
        if expect_alone is None:
            assert spy.calls == [], "the per-entry findings should all have been re-judged"
        else:
            # the cached run (the first of the two) re-judged only the edited files
            assert spy.calls[0] == expect_alone
        return out

    water = catalog / "powers/water"
    # an edit that adds a per-entry finding (no process any more) and one that removes one
    (water / "SL-XK-002.yaml").write_text(NO_PROCESS.format(n="002"), encoding="utf-8")
    edited = step({"powers/water/SL-XK-002.yaml"})
    assert [d["code"] for d in edited["diagnostics"] if d["path"].endswith("SL-XK-002.yaml")] == ["P001"]
    (water / "SL-XK-020.yaml").write_text(_power(20), encoding="utf-8")
    step({"powers/water/SL-XK-020.yaml"})
    # a rename, an addition (a duplicate name: cross-entry), a deletion, a new broken file
    (water / "SL-XK-003.yaml").rename(water / "renamed.yaml")
    step({"powers/water/renamed.yaml"})
    (water / "SL-XK-030.yaml").write_text(_power(30).replace("取水许可30", "取水许可4"), encoding="utf-8")
    added = step({"powers/water/SL-XK-030.yaml"})
    assert any(d["code"].startswith("D") and d["path"].endswith("SL-XK-030.yaml") for d in added["diagnostics"])
    (water / "SL-XK-005.yaml").unlink()
    step(set())
    (water / "new-broken.yaml").write_text("id: SL-XK-099\nname: x\n", encoding="utf-8")
    step({"powers/water/new-broken.yaml"})
    # a waiver of a per-entry finding, then one that suppresses nothing (S020)
    p = water / "SL-XK-002.yaml"
    p.write_text(p.read_text(encoding="utf-8") + "waivers:\n  - code: P001\n    reason: 试点\n", encoding="utf-8")
    waived = step({"powers/water/SL-XK-002.yaml"})
    assert waived["summary"]["waived"] == 1
    p.write_text(p.read_text(encoding="utf-8").replace("code: P001", "code: P009"), encoding="utf-8")
    step({"powers/water/SL-XK-002.yaml"})
    # a registry edit, the settings, the day: every per-entry finding is judged again
    bodies = catalog / "bodies.yaml"
    bodies.write_text(bodies.read_text(encoding="utf-8").replace("id: city-water", "id: city-water2"),
                      encoding="utf-8")
    step(None)
    (catalog / "powerlist.toml").write_text('[check]\nignore = ["S016"]\n', encoding="utf-8")
    step(None)
    spy.calls.clear()
    _same(catalog, cache, as_of=date(2026, 6, 1))
    assert spy.calls == []
    step(None)  # back to the first day: judged again (one day's findings are held at a time)
    (water / "SL-XK-004.yaml").write_text(_power(4, 取水许可4="取水许可四"), encoding="utf-8")
    step({"powers/water/SL-XK-004.yaml"})


def test_no_cache_layer_no_reuse(catalog: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A findings file that is not ours (or damaged) is ignored: the run judges everything."""
    cache = tmp_path / "cache"
    _same(catalog, cache)
    (cache / "findings.bin").write_bytes(b"\0" * 64)
    (catalog / "powers/water/SL-XK-002.yaml").write_text(NO_PROCESS.format(n="002"), encoding="utf-8")
    spy = Spy(monkeypatch)
    _same(catalog, cache)
    assert spy.calls == []


def test_workers_and_cache_agree(catalog: Path, tmp_path: Path) -> None:
    for i in range(40, 70):
        (catalog / f"powers/water/SL-XK-{i:03d}.yaml").write_text(_power(i), encoding="utf-8")
    one = _json(catalog, workers=1)
    assert _json(catalog, workers=2, cache_dir=tmp_path / "c") == one
    (catalog / "powers/water/SL-XK-041.yaml").write_text(NO_PROCESS.format(n="041"), encoding="utf-8")
    assert _json(catalog, workers=2, cache_dir=tmp_path / "c") == _json(catalog, workers=1)
    shutil.rmtree(tmp_path / "c")


def test_one_edit_does_not_rewrite_the_parse_layer(catalog: Path, tmp_path: Path) -> None:
    """Rewriting every held parse costs more than parsing the edited file again next time."""
    cache = tmp_path / "cache"
    _same(catalog, cache)
    before = (cache / "parsed.bin").read_bytes()
    (catalog / "powers/water/SL-XK-002.yaml").write_text(NO_PROCESS.format(n="002"), encoding="utf-8")
    _same(catalog, cache)
    assert (cache / "parsed.bin").read_bytes() == before
    _same(catalog, cache)  # and the edited file, parsed again, still gives the same result
    for i in range(100, 160):  # many new files: now the layer is rewritten
        (catalog / f"powers/water/SL-XK-{i:03d}.yaml").write_text(_power(i), encoding="utf-8")
    _same(catalog, cache)
    assert (cache / "parsed.bin").read_bytes() != before


# ---------------------------------------------------------------------------- edits no cross-entry check sees


def _checked(root: Path, cache: Path, as_of: date = AS_OF) -> tuple[dict[str, Any], bool]:
    """(the JSON report, whether only the edited files were judged), after asserting that the
    report equals a run without cache."""
    got = check(root, settings_for(root), as_of=as_of, cache_dir=cache)
    report = result_to_json(got.result, RenderOptions(root=root))
    assert report == _json(root, as_of)
    return report, got.incremental


def test_an_edit_no_cross_entry_check_sees_rejudges_that_file_alone(
    catalog: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(incremental, "MAX_SHARE", 1)  # a small catalogue: any share of it may change
    cache = tmp_path / "cache"
    first, alone = _checked(catalog, cache)
    assert not alone and any(d["code"].startswith("D") for d in first["diagnostics"])
    water = catalog / "powers/water"
    p = water / "SL-XK-002.yaml"
    text = p.read_text(encoding="utf-8")

    def edit(path: Path, new: str, expect_alone: bool) -> dict[str, Any]:
        path.write_text(new, encoding="utf-8")
        report, alone = _checked(catalog, cache)
        assert alone is expect_alone, new
        return report

    # blind keys (responsibilities, the flowchart's steps, remarks): this file alone
    edit(p, text + "responsibilities:\n  - 受理责任：公示材料\n", False)  # a 责任事项 appears: completeness moves
    edit(p, text + "responsibilities:\n  - 受理责任：公示依据\n", True)
    edit(p, text.replace("action: 审查申请材料，组织现场勘查", "action: 组织现场勘查") + "responsibilities:\n  - 受理责任\n",
         True)
    # a per-entry finding appears on it and lines move (two comment lines on top)
    broken_flow = text.replace("      next: [decide]\n", "")  # 审查 leads nowhere: G/P findings
    report = edit(p, "# 注释\n# 注释\n" + broken_flow + "responsibilities:\n  - 受理责任\n", True)
    assert [d for d in report["diagnostics"] if d["path"] == "powers/water/SL-XK-002.yaml"]
    edit(p, text + "remarks: 备注\nresponsibilities:\n  - 受理责任\n", True)
    # keys a cross-entry check reads: the full run
    edit(p, text.replace("name: 取水许可", "name: 取水许可甲") + "responsibilities:\n  - 受理责任\n", False)
    edit(p, text.replace("name: 取水许可", "name: 取水许可甲") + "responsibilities:\n  - 受理责任二\n", True)
    # a file with a cross-entry finding (SL-XK-021 duplicates SL-XK-001's name): the full run,
    # even for a blind key (its lines may move)
    dup = water / "SL-XK-021.yaml"
    edit(dup, "# 注释\n" + dup.read_text(encoding="utf-8"), False)
    # two files at once
    q = water / "SL-XK-006.yaml"
    q.write_text(q.read_text(encoding="utf-8") + "remarks: 一\n", encoding="utf-8")
    edit(p, p.read_text(encoding="utf-8").replace("受理责任二", "受理责任三"), True)
    # what never takes the shortcut: a registry, the settings, another day, an added file
    bodies = catalog / "bodies.yaml"
    edit(bodies, bodies.read_text(encoding="utf-8") + "\n", False)
    edit(catalog / "powerlist.toml", '[check]\nignore = ["S016"]\n', False)
    _, alone = _checked(catalog, cache, as_of=date(2026, 6, 1))
    assert not alone
    edit(p, p.read_text(encoding="utf-8").replace("受理责任三", "受理责任四"), False)  # the other day was held
    edit(p, p.read_text(encoding="utf-8").replace("受理责任四", "受理责任五"), True)
    edit(water / "SL-XK-077.yaml", _power(77), False)
    edit(p, p.read_text(encoding="utf-8").replace("受理责任五", "受理责任六"), True)


def test_the_shortcut_holds_for_every_rule_case(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Over every rule case with power files: append a blind key to each power file in turn; the
    cached run equals the run without cache, whichever way it went."""
    monkeypatch.setattr(incremental, "MAX_SHARE", 1)
    took = 0
    for n, case in enumerate(load_cases()):
        if case.select or not any(rel.startswith("powers/") and text for rel, text in case.files.items()):
            continue
        root = case.materialise(tmp_path / f"case{n}")
        today = date.fromisoformat(case.as_of) if case.as_of else AS_OF
        cache = tmp_path / f"cache{n}"
        _checked(root, cache, today)
        for rel, text in case.files.items():
            if text and rel.startswith("powers/") and (root / rel).is_file():
                with open(root / rel, "a", encoding="utf-8") as fh:
                    fh.write("\nremarks: 已核对\n" if "remarks:" not in text else "\n# 已核对\n")
                took += _checked(root, cache, today)[1]
    assert took  # the shortcut was taken somewhere, so the comparison meant something


def test_cross_entry_checks_read_no_blind_key() -> None:
    """What the projection leaves out (catalog/projection.py CROSS_BLIND) no cross-entry check
    reads: every model field read is recorded while each cross-entry check runs over every rule
    case and the demo catalogue. The U checks are exempt: with an upper list the shortcut is off."""
    import powerlist.models as models
    from powerlist.catalog.projection import CROSS_BLIND

    reads: dict[str, set[str]] = {}
    current: list[str | None] = [None]
    real = models.Model.__getattribute__

    def traced(self: models.Model, name: str) -> Any:
        code = current[0]
        if code is not None and name in type(self).model_fields:
            reads.setdefault(code, set()).add(f"{type(self).__name__}.{name}")
        return real(self, name)

    checks = all_checks()
    cross = [c for code, c in checks.items() if c.func is not None and code not in PER_ENTRY and code[0] != "U"]
    roots = [Path(__file__).resolve().parent.parent / "catalog"]
    tmp = Path(__import__("tempfile").mkdtemp())
    try:
        roots += [case.materialise(tmp / f"c{n}") for n, case in enumerate(load_cases())]
        for root in roots:
            cat = load_catalog(root, settings_for(root))
            try:
                models.Model.__getattribute__ = traced  # type: ignore[method-assign]
                for chk in cross:
                    current[0] = chk.code
                    assert chk.func is not None
                    list(chk.func(cat, AS_OF) if chk.dated else chk.func(cat))  # type: ignore[call-arg]
            finally:
                current[0] = None
                models.Model.__getattribute__ = real  # type: ignore[method-assign]
    finally:
        shutil.rmtree(tmp)
    blind = {f"Power.{k}" for k in CROSS_BLIND}
    seen = {code: sorted(r & blind) for code, r in reads.items() if r & blind}
    assert seen == {}
    assert reads.get("D001") == {"Power.id"} or "Power.id" in reads.get("D001", set())  # the tracer sees reads

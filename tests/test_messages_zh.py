"""Chinese messages read as Chinese (issue 14, item 2): steps by their names, values in Chinese,
laws by their full titles, no stray spaces; rendered for every finding of the demo catalogue and
of every failing rule case."""

from __future__ import annotations

import re
import shutil
from datetime import date
from pathlib import Path

import pytest
from casefiles import load_cases

from powerlist.api import check, settings_for
from powerlist.catalog import Catalog
from powerlist.diagnostics import Diagnostic
from powerlist.i18n import T, cite, clean_zh, value_zh

DEMO = Path(__file__).resolve().parent.parent / "catalog"

SPACING = re.compile(r"[）」》，。；：、] | [（「《，。；：、]|\d +个|[\u4e00-\u9fff] +[\u4e00-\u9fff]")
ENGLISH_VALUES = re.compile(r"\b(active|suspended|abolished|true|false|working_days|calendar_days|in_force|repealed)\b")
SHORT_LAW = re.compile(r"(?<![政国《])(许可法|处罚法|强制法)")


def _problems(d: Diagnostic, cat: Catalog) -> list[str]:
    msg = d.message.zh if hasattr(d.message, "zh") else str(d.message)
    out = []
    if SPACING.search(msg):
        out.append(f"stray space: {SPACING.search(msg)}")
    if ENGLISH_VALUES.search(msg) and d.code != "S013":  # S013 lists the accepted spellings, English ones too
        out.append(f"English value: {ENGLISH_VALUES.search(msg)}")
    if SHORT_LAW.search(msg):
        out.append("law without its full title")
    power = cat.power_by_id.get(d.entry or "")
    if power is not None and power.power.process is not None and d.code not in ("P002", "P003"):
        for s in power.power.process.steps:  # P002/P003 are about ids as written: they show them
            if s.id != s.name and f"「{s.id}」" in msg:
                out.append(f"step id {s.id} instead of its name {s.name}")
    return out


def _check_all(root: Path, select: list[str] | None = None, as_of: date | None = None) -> list[str]:
    checked = check(root, settings_for(root, select=select), as_of=as_of or date(2026, 1, 1))
    cat = checked.catalog
    bad = []
    for d in [*checked.result.diagnostics, *checked.result.waived]:
        bad += [f"{d.code} {d.path}:{d.line}: {d.message.zh}: {p}" for p in _problems(d, cat)]  # type: ignore[union-attr]
    return bad


def test_demo_messages_read_as_chinese(tmp_path: Path) -> None:
    shutil.copytree(DEMO, tmp_path / "cat", ignore=shutil.ignore_patterns(".powerlist_cache"))
    assert _check_all(tmp_path / "cat") == []


FAILING = [c for c in load_cases() if c.expect]


@pytest.mark.parametrize("case", FAILING, ids=[c.id for c in FAILING])
def test_case_messages_read_as_chinese(case, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    root = case.materialise(tmp_path / "cat")
    as_of = date.fromisoformat(case.as_of) if case.as_of else None
    assert _check_all(root, case.select or [case.code], as_of) == []


def test_the_detectors_catch_what_the_issue_showed() -> None:
    for bad in ("（临川市水务局） 实施", "10 个工作日 长于", "仍列为 active", "enforcement: false",
                "超过许可法第四十二条的"):
        raw = bad  # the texts as they were rendered before, not through Text (which now cleans them)
        assert SPACING.search(raw) or ENGLISH_VALUES.search(raw) or SHORT_LAW.search(raw), bad


def test_text_cleans_chinese_spacing_and_keeps_english() -> None:
    t = T("「取水许可」同时由 city-water（临川市水务局） 实施；承诺时限 10 个工作日 长于法定时限 7 个工作日",
          "held by city-water (临川市水务局) too; 10 working days")
    assert t.zh == "「取水许可」同时由 city-water（临川市水务局）实施；承诺时限10个工作日长于法定时限7个工作日"
    assert t.en == "held by city-water (临川市水务局) too; 10 working days"
    assert clean_zh("对 J001 的豁免") == "对 J001 的豁免"  # spaces around an ASCII code stay


def test_one_formatter_for_values_and_citations() -> None:
    assert [value_zh(v) for v in ("active", "suspended", "abolished", True, False, "working_days")] == [
        "有效", "暂停", "已取消", "是", "否", "工作日"]
    art = cite("licensing", "第四十二条", "article 42")
    assert art.zh == "《中华人民共和国行政许可法》第四十二条"
    assert art.en == "Administrative Licensing Law, article 42"


def test_value_names_agree_with_the_loader_aliases() -> None:
    """The names messages use are the names the loader accepts (catalog/aliases.py)."""
    from powerlist.catalog import aliases
    from powerlist.i18n import VALUE_ZH

    for table in (aliases.POWER_STATUS, aliases.UNIT):
        for canon, (name, _) in table.items():
            assert VALUE_ZH[canon] == name, canon


def test_summary_counts_powers_and_says_check_families(run_cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    import json

    shutil.copytree(DEMO, tmp_path / "cat", ignore=shutil.ignore_patterns(".powerlist_cache"))
    res = run_cli("check", tmp_path / "cat", "--lang", "zh", "--no-cache", "--select", "J")
    powers = len(list((tmp_path / "cat" / "powers").rglob("*.yaml")))
    assert f"检查了{powers}项职权" in res.stdout
    assert "按检查类汇总" in res.stdout and "按类别汇总" not in res.stdout
    data = json.loads(run_cli("check", tmp_path / "cat", "-f", "json", "--no-cache", "--select", "J").stdout)
    assert data["summary"]["entries"] > powers  # the JSON count keeps its meaning: every entry

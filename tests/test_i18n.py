"""Every message a legal officer reads exists in Chinese and English, and each language really is
that language: Chinese messages hold Chinese, English ones hold no Chinese outside quoted names."""

from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path

import pytest
from casefiles import GOOD_POWER, Case, load_cases
from typer.testing import CliRunner

from powerlist.api import check, settings_for
from powerlist.checks import all_checks
from powerlist.cli import _load_commands, app
from powerlist.config import DEFAULT_CATEGORIES, DEFAULT_LEVELS
from powerlist.i18n import lang_from_env, tr
from powerlist.models import LAW_LEVELS

_load_commands()
runner = CliRunner()

CJK = re.compile(r"[\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef]")
# What may stay Chinese in an English message: names and titles in quotes or full-width brackets
# ('取水许可', "…", 「…」, 《…》, “…”, ‘…’, city-water（某市水务局）), document numbers (国发〔2017〕46号),
# and the contract's domain vocabulary, which catalogues write in Chinese (categories, levels).
QUOTED = re.compile(r"'[^']*'|\"[^\"]*\"|「[^」]*」|《[^》]*》|“[^”]*”|‘[^’]*’|（[^（）]*）")
DOC_NO = re.compile(r"[\u4e00-\u9fff]{1,12}〔\d{4}〕\d+号")
VOCABULARY = re.compile("|".join(sorted({*DEFAULT_CATEGORIES, *DEFAULT_LEVELS, *LAW_LEVELS, "设区的市级", "国家级"},
                                        key=len, reverse=True)))


def chinese_outside_quotes(text: str) -> list[str]:
    return CJK.findall(VOCABULARY.sub("", DOC_NO.sub("", QUOTED.sub("", text))))


def test_the_detector_itself() -> None:
    assert chinese_outside_quotes("licence '取水许可' rests on 《水法》 (国发〔2017〕46号), listed as 行政许可") == []
    assert chinese_outside_quotes("body city-water（某市水务局） holds it") == []
    assert chinese_outside_quotes("the name 取水许可 is unknown") != []
    assert chinese_outside_quotes("a list (行政许可、行政处罚)") == ["、"]
    assert chinese_outside_quotes("材料不齐全") != []


@pytest.mark.parametrize("code", list(all_checks()))
def test_every_check_is_described_in_both_languages(code: str) -> None:
    chk = all_checks()[code]
    assert chk.summary.zh.strip() and chk.summary.en.strip()
    assert CJK.search(chk.summary.zh), f"{code}: the Chinese summary is not Chinese"
    assert not chinese_outside_quotes(chk.summary.en), f"{code}: the English summary is not English"
    for text in (chk.citation, chk.explanation):
        if text is not None:
            assert text.zh.strip() and text.en.strip(), code
            assert CJK.search(text.zh), code


FAILING = [c for c in load_cases() if c.expect]


def _messages(case: Case, root: Path) -> list[tuple[str, str, str]]:
    """(code, zh, en) of every finding of the case's own code."""
    case.materialise(root)
    settings = settings_for(root, select=case.select or [case.code])
    as_of = date.fromisoformat(case.as_of) if case.as_of else date(2026, 1, 1)
    result = check(root, settings, as_of=as_of).result
    return [(d.code, tr(d.message, "zh"), tr(d.message, "en")) for d in result.diagnostics if d.code == case.code]


@pytest.mark.parametrize("case", FAILING, ids=[c.id for c in FAILING])
def test_findings_speak_each_language(case: Case, tmp_path: Path) -> None:
    found = _messages(case, tmp_path / "cat")
    assert found, "a failing rule case produced no finding"
    for code, zh, en in found:
        assert CJK.search(zh), f"{code}: Chinese message has no Chinese: {zh!r}"
        assert zh != en, f"{code}: the same text in both languages: {zh!r}"
        assert not chinese_outside_quotes(en), f"{code}: English message has Chinese outside quotes: {en!r}"


def _json(args: list[str], env: dict[str, str] | None = None) -> list[str]:
    res = runner.invoke(app, ["check", *args, "--format", "json"], env=env)
    assert res.exit_code == 1, res.output
    return [d["message"] for d in json.loads(res.stdout)["diagnostics"]]


def test_check_lang_option_and_locale_default(make_catalog, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    root = make_catalog({"powers/w/SL-XK-001.yaml": GOOD_POWER.replace("category: 行政许可", "category: 行政审批")})
    zh = _json([str(root), "--select", "S014", "--lang", "zh"])
    en = _json([str(root), "--select", "S014", "--lang", "en"])
    assert len(zh) == len(en) == 1 and CJK.search(zh[0]) and not chinese_outside_quotes(en[0])
    monkeypatch.delenv("POWERLIST_LANG", raising=False)
    assert _json([str(root), "-s", "S014"], env={"LC_ALL": "", "LANG": "zh_CN.UTF-8"}) == zh
    assert _json([str(root), "-s", "S014"], env={"LC_ALL": "", "LANG": "en_US.UTF-8"}) == en


@pytest.mark.parametrize(("env", "lang"), [
    ({"LANG": "zh_CN.UTF-8"}, "zh"), ({"LC_ALL": "zh_TW.UTF-8", "LANG": "en_US.UTF-8"}, "zh"),
    ({"LC_ALL": "C", "LANG": "zh_CN.UTF-8"}, "en"), ({"LANG": "en_GB.UTF-8"}, "en"), ({}, "en"),
    ({"POWERLIST_LANG": "zh", "LANG": "en_US.UTF-8"}, "zh"),
])
def test_lang_from_env(env: dict[str, str], lang: str) -> None:
    assert lang_from_env(env) == lang

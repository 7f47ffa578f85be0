"""Issue 17: the citations, explanations and messages a legal officer reads, checked against the
statutes (许可法 2019, 处罚法 2021, 强制法 2011, 立法法 2023). Rule cases (tests/cases) cover which
powers are reported; these tests cover what the rule says about them."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path
from typing import Any, Literal

import pytest
from casefiles import Case

from powerlist.api import check, settings_for
from powerlist.checks import all_checks
from powerlist.registry import Check

CHECKS = all_checks()
CITED = [c for c in CHECKS.values() if c.citation is not None]
# A law's title cited without its 中华人民共和国 prefix: 《行政处罚法》.
SHORT_LAW = re.compile(r"《(?!中华人民共和国)[^《》]*法》")

LAWS = """\
- id: sc-decision
  title: 国务院对确需保留的行政审批项目设定行政许可的决定
  level: 国务院决定
- id: city-doc
  title: 某市人民政府关于加强某某管理的通知
  level: 规范性文件
- id: undated-issuer-rule
  title: 某某临时管理办法
  level: 地方政府规章
  effective: 2020-01-01
"""


def _messages(tmp_path: Path, code: str, powers: dict[str, str],
              lang: Literal["zh", "en"] = "zh") -> dict[str, str]:
    """Run one check over ``powers`` laid on the rule cases' base; entry id -> message in ``lang``."""
    case = Case(code=code, name="messages", files={"laws.yaml": LAWS, **powers}, expect=[])
    root = tmp_path / "cat"
    case.materialise(root)
    result = check(root, settings_for(root, select=[code]), as_of=date(2026, 1, 1)).result
    return {d.entry or "": d.message.get(lang) for d in result.diagnostics if d.code == code}


def _flat(text: str) -> str:
    """Rich wraps lines (at spaces in English, anywhere in Chinese): compare without whitespace."""
    return re.sub(r"\s+", "", text)


# ----------------------------------------------------------------------------- every rule


@pytest.mark.parametrize("chk", CITED, ids=[c.code for c in CITED])
def test_citation_spells_law_names_in_full(chk: Check) -> None:
    assert chk.citation is not None
    assert SHORT_LAW.findall(chk.citation.zh) == []
    assert SHORT_LAW.findall(chk.citation.en) == []


# ----------------------------------------------------------------------------- item by item


def test_c006_explains_each_kind_by_its_own_statute() -> None:
    explanation = CHECKS["C006"].explanation
    assert explanation is not None
    zh = explanation.zh
    assert "处罚法第十六条" in zh and "强制法第十条第四款" in zh and "强制法第十三条" in zh
    assert "许可法第十四条、第十五条、第十七条" in zh and "部门规章、设区的市政府规章" in zh
    assert "规章和国务院决定也不得设定" in zh
    assert "art. 10(4)" in explanation.en and "penalty law art. 16" in explanation.en


def test_c006_message_names_the_statute_of_the_power_kind(tmp_path: Path) -> None:
    got = _messages(tmp_path, "C006", {
        "powers/sc/CF-1.yaml": "id: CF-1\nname: 没收非法财物并责令停产停业\ncategory: 行政处罚\nbody: city-market\n"
                               "basis:\n  - law: sc-decision\n",
        "powers/sc/QZ-1.yaml": "id: QZ-1\nname: 查封经营场所\ncategory: 行政强制\nbody: city-market\n"
                               "basis:\n  - law: city-doc\n",
        "powers/sc/XK-1.yaml": "id: XK-1\nname: 某某经营许可\ncategory: 行政许可\nbody: city-market\n"
                               "basis:\n  - law: city-doc\n",
    })
    assert "《中华人民共和国行政处罚法》第十六条" in got["CF-1"]
    assert "国务院决定不是法律、法规" in got["CF-1"]  # why the decision did not count
    assert "《中华人民共和国行政强制法》第十条第四款" in got["QZ-1"]
    assert "《中华人民共和国行政许可法》第十四条、第十五条、第十七条" in got["XK-1"]


def test_c005_example_is_a_penalty_rules_cannot_create() -> None:
    c005 = CHECKS["C005"]
    assert c005.example is not None and c005.citation is not None and c005.explanation is not None
    assert "没收违法所得" not in c005.example and "责令停产停业" in c005.example
    assert "第二十八条" in c005.citation.zh and "第二十八条第二款" in c005.explanation.zh


def test_c002_note_cites_articles_15_and_17(tmp_path: Path) -> None:
    got = _messages(tmp_path, "C002", {
        "powers/sc/XK-1.yaml": "id: XK-1\nname: 某某临时经营许可\ncategory: 行政许可\nbody: city-market\n"
                               "basis:\n  - law: undated-issuer-rule\n",
    })
    assert "（第十五条、第十七条）" in got["XK-1"]
    assert "第十四条" not in got["XK-1"]


def test_a001_cites_the_decision_by_its_own_title() -> None:
    citation = CHECKS["A001"].citation
    assert citation is not None
    assert "《国务院关于取消一批行政许可事项的决定》（国发〔2017〕46号）" in citation.zh
    assert "取消和下放行政审批事项" not in citation.zh


def test_j001_quotes_nothing_it_cannot_source() -> None:
    citation = CHECKS["J001"].citation
    assert citation is not None
    assert "一件事原则上由一个部门负责" not in citation.zh
    assert "《关于推行地方各级政府工作部门权力清单制度的指导意见》（中办发〔2015〕21号）" in citation.zh


def test_delegation_citations() -> None:
    j002, j004 = CHECKS["J002"].citation, CHECKS["J004"].citation
    assert j002 is not None and j004 is not None
    assert "第二十条、第二十一条" in j002.zh and "第二十四条" not in j002.zh
    assert "《中华人民共和国行政强制法》第十七条" in j004.zh
    assert CHECKS["J004"].severity.value == "error"


def test_time_limit_and_notice_citations() -> None:
    for code in ("P008", "P015"):
        citation = CHECKS[code].citation
        assert citation is not None and "第八十二条" in citation.zh and "82" in citation.en, code
    p012 = CHECKS["P012"].citation
    assert p012 is not None and "第六十二条" in p012.zh and "62" in p012.en


def test_b006_cites_legislation_law_for_levies(tmp_path: Path) -> None:
    got = _messages(tmp_path, "B006", {
        "powers/sc/ZS-1.yaml": "id: ZS-1\nname: 某某费征收\ncategory: 行政征收\nbody: city-market\n"
                               "basis:\n  - law: city-doc\n",
        "powers/sc/JC-1.yaml": "id: JC-1\nname: 对某某经营活动的监督检查\ncategory: 行政检查\nbody: city-market\n"
                               "basis:\n  - law: city-doc\n",
    })
    assert "《中华人民共和国立法法》第十一条" in got["ZS-1"]
    assert "立法法" not in got["JC-1"] and "职权法定" in got["JC-1"]


@pytest.mark.parametrize("code", ["C004", "C005", "C006", "C007", "J002", "J004", "B006", "A001"])
def test_rule_shows_citation_and_explanation_in_both_languages(run_cli: Any, code: str) -> None:
    chk = CHECKS[code]
    assert chk.citation is not None
    for lang in ("zh", "en"):
        r = run_cli("rule", code, "--lang", lang)
        assert r.exit_code == 0, r.stderr
        shown = _flat(r.stdout)
        assert _flat(chk.citation.get(lang)) in shown
        if chk.explanation is not None:
            assert _flat(chk.explanation.get(lang))[:60] in shown

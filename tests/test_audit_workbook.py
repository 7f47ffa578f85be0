"""Issue 14 item 9 (and 12's viewport): the audit workbook as the office's work list — 整改建议,
责任单位, 整改期限, 整改状态, autofilter, title row with region, version and date, the power count;
audit.html readable on a phone."""

from __future__ import annotations

import base64
import hashlib
import re
import subprocess
from datetime import date
from pathlib import Path

import pytest
from openpyxl import load_workbook

from powerlist import api
from powerlist.audit import write_report
from powerlist.audit.model import statuses
from powerlist.audit.suggest import suggestion
from powerlist.checks import all_checks

DAY = date(2026, 1, 1)
FILES = {
    "powerlist.toml": 'region = "某市"\n',
    "powers/s/SC-CF-1.yaml": "id: SC-CF-1\nname: 吊销营业执照\ncategory: 行政处罚\nbody: city-market\nbasis:\n"
                             "  - law: 某某通知\n",
    "powers/w/SL-QT-1.yaml": "id: SL-QT-1\nname: 职业介绍机构审批\ncategory: 其他行政权力\nbody: city-water\n",
}
HEAD = ["序号", "实施主体", "事项编码", "事项名称", "代码", "严重程度", "问题类别", "问题说明", "法律依据", "整改建议",
        "责任单位", "整改期限", "整改状态", "位置"]


@pytest.fixture
def workbook(make_catalog, tmp_path: Path):  # type: ignore[no-untyped-def]
    root = make_catalog(FILES)
    rep = api.audit(root, api.settings_for(root), "zh", DAY)
    out = tmp_path / "r.xlsx"
    write_report(rep, out)
    return rep, load_workbook(out)


def test_work_list_columns_filter_and_dropdown(workbook) -> None:  # type: ignore[no-untyped-def]
    rep, wb = workbook
    ws = wb["问题清单"]
    assert [c.value for c in ws[2]] == HEAD
    n = len(rep.findings)
    assert n > 3
    assert ws.auto_filter.ref == f"A2:N{n + 2}"
    assert ws.freeze_panes == "A3"
    lists = [dv for dv in ws.data_validations.dataValidation if dv.type == "list"]
    assert len(lists) == 1 and lists[0].formula1 == '"未整改,整改中,已整改,不予整改"'
    assert str(lists[0].sqref) == f"M3:M{n + 2}"
    dates = [dv for dv in ws.data_validations.dataValidation if dv.type == "date"]
    assert len(dates) == 1 and str(dates[0].sqref) == f"L3:L{n + 2}"
    rows = list(ws.iter_rows(min_row=3, values_only=True))
    assert len(rows) == n
    assert all(r[12] == "未整改" and r[11] is None for r in rows)  # status starts open; the due date is the office's
    assert ws.cell(3, 12).number_format == "yyyy-mm-dd"
    assert all(r[9] for r in rows)  # every finding has a suggestion
    market = [r for r in rows if r[2] == "SC-CF-1"]
    assert market and all(r[10] == "某市市场监督管理局" for r in market)  # 责任单位: the body's name
    assert all(r[9] == suggestion(r[4], "zh") for r in rows)


def test_title_row_and_power_count(workbook) -> None:  # type: ignore[no-untyped-def]
    rep, wb = workbook
    ws = wb["问题清单"]
    title = ws["A1"].value
    assert "A1:N1" in {str(r) for r in ws.merged_cells.ranges}
    assert "权力清单合法性审查报告" in title and "某市" in title and "2026-01-01" in title
    assert "清单版本：未记录" in title  # not in git
    facts = {r[0]: r[1] for r in wb["汇总"].iter_rows(min_row=2, max_row=9, values_only=True)}
    assert facts["事项数"] == 2 == rep.powers  # powers, not entries (registries included: rep.entries)
    assert rep.entries > rep.powers and "条目数" not in facts


def test_citation_filled_wherever_the_code_has_one(workbook) -> None:  # type: ignore[no-untyped-def]
    _, wb = workbook
    checks = all_checks()
    rows = list(wb["问题清单"].iter_rows(min_row=3, values_only=True))
    for r in rows:
        cite = checks[r[4]].citation
        assert (r[8] or "") == (cite.zh if cite else ""), r[4]
    assert any(r[8] for r in rows)


def test_every_code_has_a_suggestion_in_both_languages() -> None:
    for code in all_checks():
        for lang in ("zh", "en"):
            assert suggestion(code, lang).strip(), (code, lang)  # type: ignore[arg-type]
    assert "powerlist rule S030" in suggestion("S030", "zh")  # a code without its own: the family's, and the rule
    assert statuses("zh")[0] == "未整改"


def test_version_is_git_describe(make_catalog, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    root = make_catalog(FILES)
    env = {"GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@x", "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@x",
           "HOME": str(tmp_path), "PATH": "/usr/bin:/bin"}
    for args in (["init", "-q"], ["add", "-A"], ["commit", "-qm", "x"], ["tag", "v2026.1"]):
        subprocess.run(["git", *args], cwd=root, check=True, env=env)
    rep = api.audit(root, api.settings_for(root), "zh", DAY)
    assert rep.version == "v2026.1"
    out = tmp_path / "r.xlsx"
    write_report(rep, out)
    assert "清单版本：v2026.1" in load_workbook(out)["问题清单"]["A1"].value


def test_html_has_viewport_and_phone_css_under_its_csp(make_catalog, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    root = make_catalog(FILES)
    out = tmp_path / "r.html"
    write_report(api.audit(root, api.settings_for(root), "zh", DAY), out)
    page = out.read_text(encoding="utf-8")
    assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in page
    style = re.search(r"<style>(.*?)</style>", page, re.S)
    assert style is not None and "max-width: 760px" in style.group(1) and "overflow-x: auto" in style.group(1)
    digest = base64.b64encode(hashlib.sha256(style.group(1).encode()).digest()).decode()
    assert f"style-src 'sha256-{digest}'" in page  # the hash is of the style actually shipped
    assert "<dt>事项数</dt><dd>2</dd>" in page and "整改建议" in page

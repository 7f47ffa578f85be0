"""`powerlist report`: the audit report for the legal office, as XLSX and HTML."""

from __future__ import annotations

from collections import Counter
from datetime import date
from html.parser import HTMLParser
from pathlib import Path

import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner

from powerlist import api
from powerlist.audit import OTHER, write_report
from powerlist.cli import _load_commands, app
from powerlist.diagnostics import Diagnostic, Severity
from powerlist.engine import Result
from powerlist.i18n import T
from powerlist.registry import FAMILIES

_load_commands()
runner = CliRunner()
DAY = date(2026, 1, 1)
SELECT = ["C", "S"]  # a fixed set of families, so other families' checks do not change the counts

LAWS = """\
- id: water-law
  title: 中华人民共和国水法
  level: 法律
- id: notice
  title: 某部关于某某的通知
  level: 规范性文件
- id: zj-reg
  title: 浙江省某某条例
  level: 地方性法规
- id: broken
  title: 某某
  level: 宪法
"""
NASTY = '=HYPERLINK("http://x")<script>alert(1)</script>备案'
FILES = {
    "laws.yaml": LAWS,
    "powers/s/SC-CF-1.yaml": "id: SC-CF-1\nname: 吊销营业执照\ncategory: 行政处罚\nbody: city-market\nbasis:\n  - law: zj-reg\n",
    "powers/s/SC-XK-1.yaml": f"id: SC-XK-1\nname: '{NASTY}'\ncategory: 行政许可\nbody: city-market\nbasis:\n  - law: notice\n",
    "powers/w/SL-QT-1.yaml": ("id: SL-QT-1\nname: 职业介绍机构审批\ncategory: 其他行政权力\nbody: city-water\nbasis:\n"
                              "  - law: water-law\nwaivers:\n  - code: C011\n    reason: 经市编办确认（某编办〔2024〕3号）\n"),
}


@pytest.fixture
def cat(make_catalog) -> Path:  # type: ignore[no-untyped-def]
    return make_catalog(FILES)


def _report(root: Path, lang: str = "zh"):  # type: ignore[no-untyped-def]
    return api.audit(root, api.settings_for(root, select=SELECT), lang, DAY)  # type: ignore[arg-type]


def test_report_holds_exactly_the_engine_findings(cat: Path) -> None:
    result = api.check(cat, api.settings_for(cat, select=SELECT), as_of=DAY).result
    rep = _report(cat)
    assert sorted((r.code, r.where) for r in rep.findings) == sorted((d.code, f"{d.path}:{d.line}") for d in result.diagnostics)
    assert {r.code for r in rep.findings} >= {"C004", "C006", "C010"}
    assert any(r.family == "S" and r.where.startswith("laws.yaml:") for r in rep.findings)  # the broken law
    assert [(r.code, r.entry, r.reason) for r in rep.waived] == [("C011", "SL-QT-1", "经市编办确认（某编办〔2024〕3号）")]
    assert (rep.errors, rep.warnings) == (result.errors, result.warnings)


def test_rows_name_entry_body_and_citation(cat: Path) -> None:
    rep = _report(cat)
    c004 = next(r for r in rep.findings if r.code == "C004")
    assert (c004.body, c004.entry, c004.name) == ("city-market", "SC-CF-1", "吊销营业执照")
    assert c004.citation == "《中华人民共和国行政处罚法》第十一条、第十二条、第十六条" and c004.severity == "错误"
    assert "第十一条" in c004.message
    broken = next(r for r in rep.findings if r.where.startswith("laws.yaml:"))  # a law, not a power: no body
    assert broken.body == OTHER and broken.entry == "broken" and broken.name == "某某"
    assert rep.bodies[-1] == (OTHER, "登记簿及其他")


def test_counts_per_body_and_family(cat: Path) -> None:
    rep = _report(cat)
    assert rep.counts == Counter((r.body, r.family) for r in rep.findings)
    rows, totals = rep.count_table()
    labels = [label for label, _ in rows]
    assert labels[:3] == ["某市水务局（city-water）", "某市市场监督管理局（city-market）", "某市某区人民政府（district-gov）"]
    market = dict(rows)["某市市场监督管理局（city-market）"]
    assert market[rep.families.index("C")] == 3  # C004, C006, C010; the waived C011 is on city-water
    assert sum(totals) == len(rep.findings)


def test_the_report_runs_the_engine_and_computes_nothing(cat: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    real = api.check

    def fake(root, settings, as_of=None, **kw):  # type: ignore[no-untyped-def]
        checked = real(root, settings, as_of=as_of)
        marker = Diagnostic("C001", Severity.ERROR, "powers/w/SL-QT-1.yaml", 7, 1, "SL-QT-1", T("标记", "marker"))
        checked.result = Result([marker], [], checked.result.entries, checked.result.files)
        return checked

    monkeypatch.setattr(api, "check", fake)
    rep = _report(cat)
    assert [(r.code, r.message, r.body) for r in rep.findings] == [("C001", "标记", "city-water")]
    assert rep.waived == [] and rep.errors == 1


def test_xlsx_is_readable_and_printable(cat: Path, tmp_path: Path) -> None:
    rep = _report(cat)
    out = tmp_path / "审查报告.xlsx"
    write_report(rep, out)
    wb = load_workbook(out)
    assert wb.sheetnames == ["汇总", "问题清单", "豁免"]
    summary, findings, waivers = wb["汇总"], wb["问题清单"], wb["豁免"]
    assert summary["A1"].value == "权力清单合法性审查报告"
    facts = {r[0]: r[1] for r in summary.iter_rows(min_row=2, max_row=9, values_only=True)}
    assert facts["审查日期"] == "2026-01-01" and facts["错误"] == rep.errors and facts["已豁免"] == 1
    head_row = int(summary.freeze_panes[1:]) - 1
    assert summary.cell(head_row, 1).value == "实施主体" and summary.cell(head_row, len(FAMILIES) + 2).value == "合计"

    rows = list(findings.iter_rows(min_row=2, values_only=True))  # row 1: the title (test_audit_workbook.py)
    assert rows[0][:5] == ("序号", "实施主体", "事项编码", "事项名称", "代码")
    assert len(rows) - 1 == len(rep.findings)
    by_code = {r[4]: r for r in rows[1:]}
    assert by_code["C004"][1:4] == ("某市市场监督管理局", "SC-CF-1", "吊销营业执照")
    assert by_code["C004"][8] == "《中华人民共和国行政处罚法》第十一条、第十二条、第十六条"
    assert findings.freeze_panes == "A3" and findings.print_title_rows == "$1:$2"
    assert findings.page_setup.orientation == "landscape"
    assert findings.column_dimensions["H"].width == 56
    assert findings.cell(3, 8).alignment.wrap_text

    nasty = next(c for c in findings["D"] if c.value == "'" + NASTY)  # text, neutralised as in the export
    assert nasty.data_type == "s"
    assert [r[6] for r in waivers.iter_rows(min_row=3, values_only=True)] == ["经市编办确认（某编办〔2024〕3号）"]


class _Tables(HTMLParser):
    """Collects table cells and notes any element the page should not have."""

    def __init__(self) -> None:
        super().__init__()
        self.tables: list[list[list[str]]] = []
        self.tags: Counter[str] = Counter()
        self.style = ""
        self.lang = ""
        self._cell: list[str] | None = None
        self._in_style = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags[tag] += 1
        if tag == "html":
            self.lang = dict(attrs).get("lang") or ""
        elif tag == "table":
            self.tables.append([])
        elif tag == "tr":
            self.tables[-1].append([])
        elif tag in ("td", "th"):
            self._cell = []
        self._in_style = tag == "style"

    def handle_endtag(self, tag: str) -> None:
        if tag in ("td", "th") and self._cell is not None:
            self.tables[-1][-1].append("".join(self._cell))
            self._cell = None
        self._in_style = False

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.append(data)
        elif self._in_style:
            self.style += data


def test_html_is_escaped_and_printable(cat: Path, tmp_path: Path) -> None:
    rep = _report(cat, "en")
    out = tmp_path / "review.html"
    write_report(rep, out)
    page = _Tables()
    page.feed(out.read_text(encoding="utf-8"))
    assert page.lang == "en" and page.tags["script"] == 0
    assert "@media print" in page.style and "table-header-group" in page.style and "@page" in page.style
    counts, findings, waivers = page.tables
    assert counts[0][0] == "Body" and counts[-1][0] == "Total"
    assert findings[0][:5] == ["No.", "Body", "Entry id", "Entry name", "Code"]
    assert len(findings) - 1 == len(rep.findings)
    assert any(row[3] == NASTY for row in findings[1:])  # the text survives, as text
    c004 = next(row for row in findings[1:] if row[4] == "C004")
    assert c004[8] == "Administrative Penalty Law (《中华人民共和国行政处罚法》), articles 11, 12 and 16"
    assert waivers[1][6] == "经市编办确认（某编办〔2024〕3号）"


def test_cli_writes_chinese_by_default_and_replaces_atomically(cat: Path, tmp_path: Path) -> None:
    folder = tmp_path / "out"
    folder.mkdir()
    out = folder / "r.html"
    out.write_text("old report", encoding="utf-8")
    res = runner.invoke(app, ["report", str(cat), "--out", str(out), "--select", "C,S", "--as-of", "2026-01-01"])
    assert res.exit_code == 0, res.output
    text = out.read_text(encoding="utf-8")
    assert '<html lang="zh-CN">' in text and "问题清单" in text and "old report" not in text
    assert [p.name for p in folder.iterdir()] == ["r.html"]  # no temporary file left behind
    en = runner.invoke(app, ["report", str(cat), "--out", str(folder / "r.xlsx"), "--lang", "en", "-s", "C"])
    assert en.exit_code == 0 and load_workbook(folder / "r.xlsx").sheetnames == ["Summary", "Findings", "Waivers"]


@pytest.mark.parametrize("args", [
    ["--out", "{tmp}/r.pdf"],
    ["--out", "{tmp}/missing/r.xlsx"],
    ["--out", "{tmp}/r.xlsx", "--as-of", "yesterday"],
    ["--out", "{tmp}/r.xlsx", "--lang", "fr"],
    ["--out", "{tmp}/r.xlsx", "--select", "X9"],
])
def test_cli_refuses_bad_input_without_writing(cat: Path, tmp_path: Path, args: list[str]) -> None:
    res = runner.invoke(app, ["report", str(cat), *(a.format(tmp=tmp_path) for a in args)])
    assert res.exit_code == 2, res.output
    assert "Traceback" not in res.output
    assert not any(p.suffix in (".xlsx", ".pdf", ".tmp") for p in tmp_path.rglob("*") if p.is_file())

"""What the audit report holds (:class:`AuditReport`, :class:`Row`) and its labels: the writers
(``xlsx.py``, ``html.py``) are pure functions of these, and import this module, not the package."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date

from powerlist.i18n import Lang
from powerlist.registry import FAMILIES

OTHER = "-"  # the "body" of findings that belong to no power (laws.yaml, decisions.yaml, broken files)


def statuses(lang: Lang) -> tuple[str, ...]:
    """整改状态 the workbook offers in its drop-down; the first is every finding's starting state."""
    if lang == "zh":
        return ("未整改", "整改中", "已整改", "不予整改")
    return ("open", "in progress", "fixed", "not to be fixed")


def words(lang: Lang) -> dict[str, str]:
    """Every label the writers use, in the report's language."""
    zh = lang == "zh"
    pairs = {
        "title": ("权力清单合法性审查报告", "Power catalogue legal review"),
        "catalogue": ("清单", "Catalogue"), "region": ("地区", "Region"), "as_of": ("审查日期", "Review date"),
        "entries": ("条目数", "Entries"), "errors": ("错误", "Errors"), "warnings": ("警告", "Warnings"),
        "waived": ("已豁免", "Waived"), "total": ("合计", "Total"), "summary": ("汇总", "Summary"),
        "counts": ("各实施主体问题数（按问题类别）", "Findings per body and family"),
        "findings": ("问题清单", "Findings"), "waivers": ("豁免", "Waivers"), "no": ("序号", "No."),
        "body": ("实施主体", "Body"), "entry": ("事项编码", "Entry id"), "name": ("事项名称", "Entry name"),
        "code": ("代码", "Code"), "severity": ("严重程度", "Severity"), "family": ("问题类别", "Family"),
        "message": ("问题说明", "Finding"), "citation": ("法律依据", "Legal citation"),
        "where": ("位置", "Location"), "reason": ("豁免理由", "Reason"), "other": ("登记簿及其他", "Registries and other"),
        "none": ("未发现问题。", "No findings."), "no_waivers": ("没有豁免。", "No waivers."),
        "error": ("错误", "error"), "warning": ("警告", "warning"),
        "crashed": ("以下检查运行出错，结果不完整：", "These checks failed to run; the report is incomplete: "),
        "powers": ("事项数", "Powers"), "version": ("清单版本", "Catalogue version"),
        "suggestion": ("整改建议", "Suggested fix"), "unit": ("责任单位", "Responsible unit"),
        "due": ("整改期限", "Due date"), "status": ("整改状态", "Status"),
        "no_version": ("未记录（清单不在 git 版本库中）", "not recorded (the catalogue is not in git)"),
    }
    return {k: (v[0] if zh else v[1]) for k, v in pairs.items()}


@dataclass(frozen=True, slots=True)
class Row:
    """One finding (or waived finding) as the office reads it."""

    body: str  # body id, or OTHER
    entry: str  # entry id ("" when the file has none)
    name: str  # power name, body name, law or decision title
    code: str
    severity: str  # in the report's language
    family: str  # family letter
    message: str
    citation: str
    where: str  # path:line
    reason: str = ""  # waiver reason
    suggestion: str = ""  # 整改建议 (audit/suggest.py)
    unit: str = ""  # 责任单位: the responsible body's name ("" for registries and broken files)


@dataclass
class AuditReport:
    lang: Lang
    catalogue: str
    region: str | None
    as_of: date
    entries: int  # every entry, registries included
    errors: int
    warnings: int
    bodies: list[tuple[str, str]]  # (id, name) in bodies.yaml order, then OTHER if used
    families: list[str]
    counts: Counter[tuple[str, str]]  # (body, family) -> active findings
    findings: list[Row]
    waived: list[Row]
    crashed: list[str] = field(default_factory=list)
    powers: int = 0  # power entries (valid or not): what the office calls the catalogue's size
    version: str = ""  # git describe of the catalogue ("" outside git)

    @property
    def words(self) -> dict[str, str]:
        return words(self.lang)

    def family_name(self, family: str) -> str:
        return FAMILIES[family].get(self.lang)

    def body_name(self, body: str) -> str:
        return dict(self.bodies).get(body, body)

    def count_table(self) -> tuple[list[tuple[str, list[int]]], list[int]]:
        """Rows of (body label, count per family) and the per-family totals."""
        rows = []
        totals = [0] * len(self.families)
        for body, name in self.bodies:
            counts = [self.counts[(body, f)] for f in self.families]
            totals = [a + b for a, b in zip(totals, counts, strict=True)]
            rows.append((name if body in (OTHER, name) else f"{name}（{body}）", counts))
        return rows, totals

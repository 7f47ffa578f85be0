"""S026: elements the imported source lacked (``[import] missing`` in powerlist.toml). The engine
folds the per-power findings of such an element into one S026 warning; the code is declared here,
beside the checks."""

from __future__ import annotations

from powerlist.diagnostics import Severity
from powerlist.i18n import T
from powerlist.registry import declare

S_ELEMENT_MISSING = declare(
    "S026", "element-missing-from-source", severity=Severity.WARNING,
    summary=T("导入来源缺少某一要素，按要素汇总报告", "An element the imported source lacked, reported once with its count"),
    explanation=T("`powerlist import` 在 powerlist.toml 的 [import] missing 中记录来源表格没有的要素（如运行流程图）。"
                  "每个缺少的要素只报告一条警告并给出事项数，该要素引起的逐项问题（如 P001 缺少流程图）计入其中，"
                  "其他问题照常逐项报告。补齐要素后从 missing 中删去即可。",
                  "`powerlist import` records in powerlist.toml ([import] missing) the elements the source table "
                  "did not have (a spreadsheet has no flowcharts). Each is reported once, with the number of powers "
                  "lacking it; the per-power findings that element causes (P001 missing process, B001 missing basis) "
                  "are counted in it, every other finding is reported as usual. Remove an element from the list "
                  "once the catalogue has it."),
    citation=T("《关于推行地方各级政府工作部门权力清单制度的指导意见》（中办发〔2015〕21号）：权力运行流程图、责任事项",
               "2015 national guidance on power lists: flowcharts and responsibilities are part of the list"),
    example='# powerlist.toml\n[import]\nmissing = ["process"]\n# 1,135 powers without process: one S026 warning, no P001',
)

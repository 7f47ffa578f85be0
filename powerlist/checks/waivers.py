"""S020/S021: waivers that suppress nothing or have expired. The engine applies waivers (it alone
sees every finding) and reports these two codes; they are declared here, beside the checks."""

from __future__ import annotations

from powerlist.diagnostics import Severity
from powerlist.i18n import T
from powerlist.registry import declare

S_UNUSED_WAIVER = declare(
    "S020", "unused-waiver", severity=Severity.WARNING,
    summary=T("豁免没有对应任何问题", "A waiver suppresses nothing"),
    explanation=T("豁免声明的问题已不存在（已修正或代码写错），应删除该豁免，以免将来掩盖新问题。",
                  "The waived finding no longer occurs (fixed, or the code is mistyped). Remove the waiver "
                  "so that it cannot hide a future finding."),
    example="id: SL-XK-001\n...\nwaivers:\n  - code: J001\n    reason: 联合实施\n",
)
S_EXPIRED_WAIVER = declare(
    "S021", "expired-waiver", severity=Severity.WARNING,
    summary=T("豁免已过期", "A waiver has expired"),
    explanation=T("过期的豁免不再生效，被豁免的问题重新计入。请续期（写明新依据）或整改。",
                  "An expired waiver no longer applies and the finding counts again. Renew it with a new "
                  "reason, or fix the finding."),
)

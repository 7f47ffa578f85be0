"""``--format github``: GitHub Actions workflow commands, one annotation per finding.

    ::error file=catalog/powers/water/SL-XK-001.yaml,line=3,col=11,title=S014::category '行政审批' is ...

GitHub attaches an annotation to a file named relative to the workspace (the checkout), so paths
are written relative to ``$GITHUB_WORKSPACE`` (or the current folder), not to the catalogue root:
a catalogue in ``catalog/`` annotates ``catalog/powers/...``. Waived and baselined findings are
accepted already and are not annotated. Chosen automatically when ``GITHUB_ACTIONS=true``.
"""

from __future__ import annotations

import os
from pathlib import Path

from powerlist.diagnostics import Diagnostic, Result, Severity
from powerlist.i18n import T, tr
from powerlist.report.base import RenderOptions, checked_phrase, printable, renderer


def workspace(root: Path) -> tuple[Path, str]:
    """The folder CI tools name files from ($GITHUB_WORKSPACE, else the current folder) and the
    catalogue root's place inside it as a prefix (``""`` or ``"catalog/"``). A catalogue outside
    that folder is named from its own root."""
    base = Path(os.environ.get("GITHUB_WORKSPACE") or Path.cwd()).resolve()
    full = root.resolve()
    try:
        rel = full.relative_to(base).as_posix()
    except ValueError:
        return full, ""
    return base, "" if rel == "." else f"{rel}/"


def escape_data(text: str) -> str:
    """The message part of a workflow command: %, CR and LF are encoded."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    """A property value (file=, title=): also ':' and ',' which separate properties."""
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def _command(d: Diagnostic, prefix: str, opts: RenderOptions) -> str:
    level = "error" if d.severity is Severity.ERROR else "warning"
    message = tr(d.message, opts.lang)
    if d.related:
        see = T("另见", "see also").get(opts.lang)
        message += "\n" + "\n".join(f"{see} {prefix}{r.path}:{r.line}" + (f" ({r.entry})" if r.entry else "")
                                    for r in d.related)
    props = (f"file={escape_property(prefix + d.path)},line={d.line},col={d.column},"
             f"title={escape_property(d.code)}")
    return f"::{level} {props}::{escape_data(message)}"


@renderer("github")
def render_github(result: Result, opts: RenderOptions) -> str:
    result = printable(result)
    _, prefix = workspace(opts.root)
    lines = [_command(d, prefix, opts) for d in result.diagnostics]
    for code, _tb in result.crashed:
        lines.append(f"::error title={escape_property(code)}::" + escape_data(T(
            f"检查 {code} 内部出错（请报告此问题）", f"internal error in check {code} (please report it)").get(opts.lang)))
    checked = checked_phrase(result)
    summary = T(
        f"powerlist：{checked.zh}，{result.errors}个错误，{result.warnings}个警告",
        f"powerlist: {checked.en}, {result.errors} error(s), {result.warnings} warning(s)").get(opts.lang)
    extra = []
    if result.waived:
        extra.append(T(f"{len(result.waived)} 个已豁免", f"{len(result.waived)} waived").get(opts.lang))
    if result.baselined:
        extra.append(T(f"{len(result.baselined)} 个已在基线中", f"{len(result.baselined)} in the baseline").get(opts.lang))
    sep = "，" if opts.lang == "zh" else ", "
    lines.append(summary + "".join(sep + x for x in extra))
    return "\n".join(lines) + "\n"

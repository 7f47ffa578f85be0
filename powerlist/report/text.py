"""Human output with rich: findings grouped by file as ``path:line:col CODE message``, the offending
line shown, then a summary table by family and severity."""

from __future__ import annotations

from collections import Counter
from itertools import groupby
from pathlib import Path

from rich.console import Console
from rich.table import Table
from rich.text import Text as RText

from powerlist.diagnostics import Diagnostic, Result, Severity
from powerlist.i18n import tr
from powerlist.registry import FAMILIES
from powerlist.report import RenderOptions

_STYLE = {Severity.ERROR: "bold red", Severity.WARNING: "yellow"}


class _Lines:
    """Reads each source file once, only for files that have findings."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.cache: dict[str, list[str]] = {}

    def get(self, path: str, line: int) -> str | None:
        if path not in self.cache:
            try:
                self.cache[path] = (self.root / path).read_text(encoding="utf-8-sig").splitlines()
            except (OSError, UnicodeDecodeError):
                self.cache[path] = []
        lines = self.cache[path]
        return lines[line - 1] if 0 < line <= len(lines) else None


def _sev_word(sev: Severity, opts: RenderOptions) -> str:
    if opts.lang == "zh":
        return "错误" if sev is Severity.ERROR else "警告"
    return sev.value


def _clip(src: str, column: int, width: int = 150) -> tuple[str, int]:
    """A window of a long line around the column, so a 60,000-character line stays readable."""
    if len(src) <= width:
        return src, column
    start = max(0, min(column - 1 - width // 3, len(src) - width))
    return ("…" if start else "") + src[start:start + width] + "…", column - start + (1 if start else 0)


def _diag_line(d: Diagnostic, opts: RenderOptions) -> RText:
    t = RText()
    t.append(f"{d.path}:{d.line}:{d.column}", style="bold")
    t.append(" ")
    t.append(d.code, style=_STYLE[d.severity])
    t.append(f" [{_sev_word(d.severity, opts)}] ", style=_STYLE[d.severity])
    t.append(tr(d.message, opts.lang))
    return t


def print_text(result: Result, opts: RenderOptions, console: Console) -> None:
    zh = opts.lang == "zh"
    lines = _Lines(opts.root)
    for path, group in groupby(result.diagnostics, key=lambda d: d.path):
        console.print(RText(path, style="bold underline"))
        for d in group:
            console.print(_diag_line(d, opts), soft_wrap=True)
            if opts.show_source:
                src = lines.get(d.path, d.line)
                if src is not None:
                    src, col = _clip(src, d.column)
                    console.print(RText(f"  {d.line:>5} │ ", style="dim") + RText(src), soft_wrap=True)
                    console.print(RText("        │ " + " " * max(_width(src[: col - 1]), 0) + "^",
                                        style=_STYLE[d.severity]), soft_wrap=True)
            for r in d.related:
                rel = f"{r.path}:{r.line}" + (f" ({r.entry})" if r.entry else "")
                console.print(RText(f"        {'另见' if zh else 'see also'} {rel}", style="dim"), soft_wrap=True)
        console.print()
    if result.baselined:
        # Known debt (--baseline): listed one line each so it stays visible, but it does not count.
        console.print(RText("基线中已有的问题（不计入）" if zh else "Baselined findings (known before, not counted)",
                            style="bold dim"))
        for d in result.baselined:
            console.print(RText(f"  {d.path}:{d.line}:{d.column} {d.code} [{'基线' if zh else 'baselined'}] "
                                f"{tr(d.message, opts.lang)}", style="dim"), soft_wrap=True)
        console.print()
    print_summary(result, opts, console)


def _width(s: str) -> int:
    from rich.cells import cell_len

    return cell_len(s)


def print_summary(result: Result, opts: RenderOptions, console: Console) -> None:
    zh = opts.lang == "zh"
    counts = Counter((d.family, d.severity) for d in result.diagnostics)
    waived = Counter(d.family for d in result.waived)
    if counts or waived:
        table = Table(title="按类别汇总" if zh else "Summary by family", show_lines=False)
        table.add_column("类别" if zh else "family")
        table.add_column("错误" if zh else "errors", justify="right", style="red")
        table.add_column("警告" if zh else "warnings", justify="right", style="yellow")
        table.add_column("已豁免" if zh else "waived", justify="right", style="dim")
        for fam, name in FAMILIES.items():
            e, w, v = counts[(fam, Severity.ERROR)], counts[(fam, Severity.WARNING)], waived[fam]
            if e or w or v:
                table.add_row(f"{fam}  {tr(name, opts.lang)}", str(e), str(w), str(v))
        table.add_row("合计" if zh else "total", str(result.errors), str(result.warnings), str(len(result.waived)),
                      style="bold")
        console.print(table)
    if zh:
        verdict = f"检查了 {result.entries} 个条目（{result.files} 个文件）：{result.errors} 个错误，{result.warnings} 个警告"
    else:
        verdict = (f"Checked {result.entries} entries in {result.files} files: "
                   f"{result.errors} error(s), {result.warnings} warning(s)")
    if result.waived:
        verdict += f"，{len(result.waived)} 个已豁免" if zh else f", {len(result.waived)} waived"
    if result.baselined:
        n = len(result.baselined)
        verdict += f"，{n} 个在基线中（不计入）" if zh else f", {n} baselined (not counted)"
    ok = result.exit_code(opts.strict) == 0
    console.print(RText(verdict, style="bold green" if ok else "bold red"))

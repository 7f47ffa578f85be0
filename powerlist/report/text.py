"""Human output with rich: findings grouped by file as ``path:line:col CODE message``, the offending
line shown, then a summary table by family and severity."""

from __future__ import annotations

import re
from collections import Counter
from itertools import groupby
from pathlib import Path

from rich.console import Console
from rich.table import Table
from rich.text import Text as RText

from powerlist.diagnostics import Diagnostic, Result, Severity
from powerlist.fsutil import read_inside
from powerlist.i18n import clean_zh, tr
from powerlist.registry import FAMILIES
from powerlist.report.base import RenderOptions, checked_phrase, display, shown

_STYLE = {Severity.ERROR: "bold red", Severity.WARNING: "yellow"}


# Findings on files that were never read (S022-S025) or that are not text (S002) show no source:
# the line would be bytes of some other file (a CI token in /proc/self/environ), not YAML.
_NO_SOURCE = frozenset({"S002", "S022", "S023", "S024", "S025"})
_SYNTAX_EXCERPT = 40  # S001 quotes at most this many characters of a file that may not be YAML at all
_MAX_SOURCE_BYTES = 8 << 20
_KEY_LINE = re.compile(r"(?m)^[ \t-]*[\w\"'.-]+[ \t]*:(?:[ \t]|$)")


class _Lines:
    """Reads each source file once, only for files that have findings, and only files that are
    plausibly YAML (UTF-8, no NUL, at least one ``key:`` line) and lie inside the catalogue."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.cache: dict[str, list[str]] = {}

    def _read(self, path: str) -> list[str]:
        try:
            raw = read_inside(self.root, path, _MAX_SOURCE_BYTES + 1)
            text = raw.decode("utf-8-sig")
        except (OSError, UnicodeDecodeError):
            return []
        if len(raw) > _MAX_SOURCE_BYTES or "\x00" in text or not _KEY_LINE.search(text):
            return []
        return text.splitlines()

    def get(self, path: str, line: int) -> str | None:
        if path not in self.cache:
            self.cache[path] = self._read(path)
        lines = self.cache[path]
        return lines[line - 1] if 0 < line <= len(lines) else None


def _source(d: Diagnostic, lines: _Lines) -> tuple[str, int] | None:
    """The offending line around the column, or None when it must not be shown."""
    if d.code in _NO_SOURCE:
        return None
    src = lines.get(d.path, d.line)
    if src is None:
        return None
    if d.code == "S001":
        return _clip(src, d.column, _SYNTAX_EXCERPT)
    return _clip(src, d.column)


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
    t.append(display(f"{shown(opts, d.path)}:{d.line}:{d.column}"), style="bold")
    t.append(" ")
    t.append(d.code, style=_STYLE[d.severity])
    t.append(f" [{_sev_word(d.severity, opts)}] ", style=_STYLE[d.severity])
    t.append(display(tr(d.message, opts.lang)))
    return t


FOLD_ABOVE = 5  # a code with more findings than this is folded (ruff --statistics is the model)
FOLD_SHOWN = 3  # how many of a folded code are still listed in full


def _folded(result: Result, opts: RenderOptions) -> tuple[list[Diagnostic], Counter[str]]:
    """The diagnostics to list, and the codes folded with their total counts: past FOLD_ABOVE
    findings a code keeps only its first FOLD_SHOWN (in report order); ``show_all`` keeps all."""
    totals = Counter(d.code for d in result.diagnostics)
    folded = Counter({c: n for c, n in totals.items() if n > FOLD_ABOVE})
    if opts.extra.get("show_all") or not folded:
        return result.diagnostics, Counter()
    seen: Counter[str] = Counter()
    kept = []
    for d in result.diagnostics:
        seen[d.code] += 1
        if d.code not in folded or seen[d.code] <= FOLD_SHOWN:
            kept.append(d)
    return kept, folded


def _print_folded(folded: Counter[str], result: Result, opts: RenderOptions, console: Console) -> None:
    """One line per folded code: count, code, severity and the first few places (no check registry is
    imported: a warm run from the cache stays light)."""
    zh = opts.lang == "zh"
    console.print(RText("折叠的同类问题（--show-all 全部列出）" if zh else "Folded findings (--show-all lists them all)",
                        style="bold"))
    for code, n in sorted(folded.items(), key=lambda kv: (-kv[1], kv[0])):
        first = [d for d in result.diagnostics if d.code == code]
        sev = first[0].severity
        places = ", ".join(display(f"{shown(opts, d.path)}:{d.line}") for d in first[:FOLD_SHOWN])
        more = f"（另有 {n - FOLD_SHOWN} 处未列出）" if zh else f" (+{n - FOLD_SHOWN} more not listed)"
        t = RText(f"  {n:>6}  ")
        t.append(code, style=_STYLE[sev])
        t.append(f" [{_sev_word(sev, opts)}] ", style=_STYLE[sev])
        t.append(f"{'如' if zh else 'e.g.'} {places}{more}", style="dim")
        console.print(t, soft_wrap=True)
    console.print()


def print_text(result: Result, opts: RenderOptions, console: Console) -> None:
    zh = opts.lang == "zh"
    lines = _Lines(opts.root)
    sources = opts.extra.get("sources")  # text not on disk (check -: the power read from stdin)
    if isinstance(sources, dict):
        lines.cache.update({p: str(t).splitlines() for p, t in sources.items()})
    listed, folded = _folded(result, opts)
    for path, group in groupby(listed, key=lambda d: d.path):
        console.print(RText(display(shown(opts, path)), style="bold underline"))
        for d in group:
            console.print(_diag_line(d, opts), soft_wrap=True)
            excerpt = _source(d, lines) if opts.show_source else None
            if excerpt is not None:
                src, col = excerpt
                console.print(RText(f"  {d.line:>5} │ ", style="dim") + RText(display(src)), soft_wrap=True)
                console.print(RText("        │ " + " " * max(_width(src[: col - 1]), 0) + "^",
                                    style=_STYLE[d.severity]), soft_wrap=True)
            for r in d.related:
                rel = display(f"{shown(opts, r.path)}:{r.line}" + (f" ({r.entry})" if r.entry else ""))
                console.print(RText(f"        {'另见' if zh else 'see also'} {rel}", style="dim"), soft_wrap=True)
        console.print()
    if folded:
        _print_folded(folded, result, opts, console)
    if result.baselined:
        # Known debt (--baseline): listed one line each so it stays visible, but it does not count.
        console.print(RText("基线中已有的问题（不计入）" if zh else "Baselined findings (known before, not counted)",
                            style="bold dim"))
        for d in result.baselined:
            console.print(RText(display(f"  {shown(opts, d.path)}:{d.line}:{d.column} {d.code} [{'基线' if zh else 'baselined'}] "
                                        f"{tr(d.message, opts.lang)}"), style="dim"), soft_wrap=True)
        console.print()
    print_summary(result, opts, console)


def _width(s: str) -> int:
    from rich.cells import cell_len

    return cell_len(s)


def print_summary(result: Result, opts: RenderOptions, console: Console, brief: bool = False) -> None:
    """The family table, completeness and the verdict line; ``brief`` (check --quiet): the verdict only."""
    zh = opts.lang == "zh"
    counts = Counter((d.family, d.severity) for d in result.diagnostics)
    waived = Counter(d.family for d in result.waived)
    if (counts or waived) and not brief:
        # 检查类, not 类别: 类别 is the 职权类别 of a power (行政许可 …), a different thing
        table = Table(title="按检查类汇总" if zh else "Summary by family", show_lines=False)
        table.add_column("检查类" if zh else "family")
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
    checked = checked_phrase(result)
    if zh:
        verdict = f"检查了{checked.zh}：{result.errors}个错误，{result.warnings}个警告"
    else:
        verdict = f"Checked {checked.en}: {result.errors} error(s), {result.warnings} warning(s)"
    if result.waived:
        verdict += f"，{len(result.waived)}个已豁免" if zh else f", {len(result.waived)} waived"
    if result.baselined:
        n = len(result.baselined)
        verdict += f"，{n}个在基线中（不计入）" if zh else f", {n} baselined (not counted)"
    if not brief:
        _print_completeness(result, opts, console)
    ok = result.exit_code(opts.strict) == 0
    console.print(RText(verdict, style="bold green" if ok else "bold red"))


def _print_completeness(result: Result, opts: RenderOptions, console: Console) -> None:
    """四要件 completeness as computed by the engine (powerlist.completeness): one line."""
    from powerlist.completeness import ELEMENTS, GUIDE, guide_shares, shares

    counts = result.completeness
    if not counts or not counts.get("powers"):
        return
    zh = opts.lang == "zh"
    parts = [f"{ELEMENTS[k][0 if zh else 1]} {pct}%（{n}）" if zh else f"{ELEMENTS[k][1]} {pct}% ({n})"
             for k, n, pct in shares(counts)]
    head = f"四要件完整率（{counts['powers']} 项在用职权）：" if zh else f"Completeness ({counts['powers']} active powers): "
    guide = [f"{GUIDE[k][0 if zh else 1]} {pct}%（{n}）" if zh else f"{GUIDE[k][1]} {pct}% ({n})"
             for k, n, pct in guide_shares(counts)]
    if guide:  # the licences' public guide (许可法 第三十条)
        parts.append((f"行政许可 {counts['licences']} 项中" if zh else f"of {counts['licences']} licences: ")
                      + ("，" if zh else ", ").join(guide))
    line = head + ("，" if zh else ", ").join(parts)
    console.print(RText(clean_zh(line) if zh else line))

"""Change reports for ``powerlist diff``: pure functions of a :class:`~powerlist.diff.DiffReport`.

``text`` (rich, for a terminal), ``markdown`` (a pull-request comment: a heading per kind, tables),
``json`` (the stable shape documented in docs/review.md, ``version: 1``).
"""

from __future__ import annotations

from typing import Any

import orjson
from rich.console import Console
from rich.text import Text as RText

from powerlist.diff import KIND_TERMS, KINDS, DiffReport, FieldChange, PowerChange
from powerlist.i18n import Lang, tr

_FIELD_ZH = {
    "id": "编码", "name": "名称", "category": "类别", "body": "实施主体", "co_bodies": "联合实施主体",
    "status": "状态", "abolished_by": "取消依据", "sub_items": "子项", "basis": "依据", "law": "法律",
    "articles": "条款", "text": "条文", "time_limit": "办结时限", "statutory": "法定时限", "promised": "承诺时限",
    "unit": "时限单位", "delegated_to": "下放/承接主体", "responsibilities": "责任事项", "accountability": "追责情形",
    "process": "运行流程", "steps": "环节", "kind": "环节类型", "actor": "承办", "action": "办理内容",
    "days": "时限", "next": "下一环节", "waivers": "豁免", "code": "代码", "reason": "理由", "expires": "到期日",
    "implementation_code": "实施编码", "handling_unit": "承办机构", "levels": "行使层级", "remarks": "备注",
    "extra": "其他列",
}
_MARK = {"added": "+", "removed": "-", "adjusted": "~", "transferred": "→", "delegated": "↓"}
_STYLE = {"added": "green", "removed": "red", "adjusted": "yellow", "transferred": "cyan", "delegated": "magenta"}


def field_label(path: str, lang: Lang) -> str:
    """``time_limit.statutory`` -> ``办结时限.法定时限`` in Chinese; unchanged in English."""
    if lang != "zh":
        return path
    out = []
    for seg in path.split("."):
        name, bracket, rest = seg.partition("[")
        out.append(_FIELD_ZH.get(name, name) + bracket + rest)
    return ".".join(out)


def show(value: Any) -> str:
    """A value on one line: lists as ``[a, b]``, mappings as ``{k: v}``, absent as ``—``."""
    if value is None:
        return "—"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, list):
        return "[" + ", ".join(show(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k}: {show(v)}" for k, v in value.items()) + "}"
    return str(value)


def _body(report: DiffReport, ident: str, lang: Lang) -> str:
    name = report.body_names.get(ident)
    if not name:
        return ident
    return f"{ident}（{name}）" if lang == "zh" else f"{ident} ({name})"


def _bodies(report: DiffReport, ids: list[str], lang: Lang) -> str:
    return ("、" if lang == "zh" else ", ").join(_body(report, b, lang) for b in ids)


def _removal(report: DiffReport, c: PowerChange, lang: Lang) -> str:
    zh = lang == "zh"
    basis = f"（依据 {c.abolished_by}）" if zh else f" (by {c.abolished_by})"
    if c.reason == "abolished":
        return ("状态改为已取消" if zh else "status changed to abolished") + (basis if c.abolished_by else "")
    if c.abolished_by:
        return ("从清单删除（此前已取消" if zh else "deleted from the list (abolished earlier") + (
            f"，依据 {c.abolished_by}）" if zh else f", by {c.abolished_by})")
    return "从清单删除" if zh else "deleted from the list"


def _delegation(report: DiffReport, c: PowerChange, lang: Lang) -> str:
    zh = lang == "zh"
    parts = []
    if c.delegated:
        who = _bodies(report, c.delegated, lang)
        parts.append(f"下放，由 {who} 承接" if zh else f"delegated to {who}")
    if c.withdrawn:
        who = _bodies(report, c.withdrawn, lang)
        parts.append(f"收回（原由 {who} 承接）" if zh else f"withdrawn from {who}")
    return ("；" if zh else "; ").join(parts) or ("承接主体顺序调整" if zh else "order of receiving bodies changed")


def _counts(report: DiffReport, lang: Lang) -> str:
    if lang == "zh":
        return "，".join(f"{KIND_TERMS[k].zh} {report.count(k)} 项" for k in KINDS)
    return ", ".join(f"{report.count(k)} {KIND_TERMS[k].en} ({KIND_TERMS[k].zh})" for k in KINDS)


def _heading(kind: str, n: int, lang: Lang) -> str:
    term = KIND_TERMS[kind]
    return f"{term.zh}（{n} 项）" if lang == "zh" else f"{term.zh} {term.en.capitalize()} ({n})"


def _problem_lines(report: DiffReport, lang: Lang) -> list[str]:
    zh = lang == "zh"
    side = {"old": "旧版" if zh else "old", "new": "新版" if zh else "new"}
    lines = [f"[{side[p.side]}] {p.path}:{p.line}:{p.column}: {p.code} {tr(p.message, lang)}" for p in report.problems]
    for u in report.uncompared:
        lines.append(f"[{side[u.side]}] {u.id} ({u.path}): " + (
            "该侧文件无法读取，未比较" if zh else "unreadable on this side; not compared"))
    return lines


# ------------------------------------------------------------------------------------ text


def print_text(report: DiffReport, lang: Lang, console: Console) -> None:
    zh = lang == "zh"
    console.print(RText(f"powerlist diff: {report.old_label} → {report.new_label}", style="bold"))
    for kind in KINDS:
        changes = report.of_kind(kind)
        if not changes:
            continue
        console.print()
        console.print(RText(_heading(kind, len(changes), lang), style=f"bold {_STYLE[kind]}"))
        for c in changes:
            head = RText(f"  {_MARK[kind]} ", style=_STYLE[kind])
            head.append(c.id, style="bold")
            head.append(f" {c.name}")
            if kind in ("added", "removed"):
                head.append(f" · {c.category} · {_body(report, c.body, lang)}")
            head.append(f"  {c.path}", style="dim")
            console.print(head, soft_wrap=True)
            for line in _detail(report, c, lang):
                console.print(RText(f"      {line}"), soft_wrap=True)
    problems = _problem_lines(report, lang)
    if problems:
        console.print()
        console.print(RText("无法读取的文件" if zh else "Files that could not be read", style="bold yellow"))
        for line in problems:
            console.print(RText(f"  {line}", style="yellow"), soft_wrap=True)
    console.print()
    if report.empty:
        console.print(RText("两个版本之间没有事项变更" if zh else "No changes to powers", style="bold green"))
    else:
        console.print(RText(_counts(report, lang), style="bold"))


def _detail(report: DiffReport, c: PowerChange, lang: Lang) -> list[str]:
    if c.kind == "removed":
        return [_removal(report, c, lang)]
    if c.kind == "transferred":
        fc = c.fields[0]
        return [f"{field_label('body', lang)}: {_body(report, fc.old, lang)} → {_body(report, fc.new, lang)}"]
    if c.kind == "delegated":
        return [_delegation(report, c, lang)]
    return [f"{field_label(f.field, lang)}: {show(f.old)} → {show(f.new)}" for f in c.fields]


# ------------------------------------------------------------------------------------ markdown


def _cell(text: str) -> str:
    return text.replace("\\", "\\\\").replace("|", "\\|").replace("\n", "<br>") or " "


def _table(header: list[str], rows: list[list[str]]) -> list[str]:
    return ["| " + " | ".join(header) + " |", "|" + "---|" * len(header),
            *("| " + " | ".join(_cell(c) for c in row) + " |" for row in rows), ""]


def render_markdown(report: DiffReport, lang: Lang) -> str:
    zh = lang == "zh"
    h = {k: (v if zh else e) for k, v, e in (
        ("id", "编码", "id"), ("name", "名称", "name"), ("category", "类别", "category"),
        ("body", "实施主体", "body"), ("path", "文件", "file"), ("how", "方式", "how"),
        ("field", "字段", "field"), ("old", "原", "old"), ("new", "现", "new"),
        ("from", "原实施主体", "from"), ("to", "现实施主体", "to"), ("what", "变化", "change"))}
    out = [f"## {'权力清单变更' if zh else 'Catalogue changes'}: `{report.old_label}` → `{report.new_label}`", ""]
    out += [("两个版本之间没有事项变更。" if zh else "No changes to powers.") if report.empty else _counts(report, lang), ""]
    for kind in KINDS:
        changes = report.of_kind(kind)
        if not changes:
            continue
        out += [f"### {_heading(kind, len(changes), lang)}", ""]
        if kind == "added":
            out += _table([h["id"], h["name"], h["category"], h["body"], h["path"]],
                          [[c.id, c.name, c.category, _body(report, c.body, lang), c.path] for c in changes])
        elif kind == "removed":
            out += _table([h["id"], h["name"], h["category"], h["body"], h["how"]],
                          [[c.id, c.name, c.category, _body(report, c.body, lang), _removal(report, c, lang)]
                           for c in changes])
        elif kind == "transferred":
            out += _table([h["id"], h["name"], h["from"], h["to"]],
                          [[c.id, c.name, _body(report, c.fields[0].old, lang), _body(report, c.fields[0].new, lang)]
                           for c in changes])
        elif kind == "delegated":
            out += _table([h["id"], h["name"], h["body"], h["what"]],
                          [[c.id, c.name, _body(report, c.body, lang), _delegation(report, c, lang)] for c in changes])
        else:
            for c in changes:
                out += [f"#### {c.id} {c.name}", "", f"`{c.path}`", ""]
                out += _table([h["field"], h["old"], h["new"]],
                              [[field_label(f.field, lang), show(f.old), show(f.new)] for f in c.fields])
    problems = _problem_lines(report, lang)
    if problems:
        out += [f"### {'无法读取的文件' if zh else 'Files that could not be read'}", ""]
        out += [f"- {_cell(p)}" for p in problems] + [""]
    return "\n".join(out)


# ------------------------------------------------------------------------------------ json


def _field_json(f: FieldChange) -> dict[str, Any]:
    return {"field": f.field, "old": f.old, "new": f.new}


def report_to_json(report: DiffReport, lang: Lang) -> dict[str, Any]:
    return {
        "version": 1,
        "old": report.old_label,
        "new": report.new_label,
        "summary": {k: report.count(k) for k in KINDS},
        "changes": [{
            "kind": c.kind, "term": KIND_TERMS[c.kind].zh, "id": c.id, "old_id": c.old_id, "name": c.name,
            "category": c.category, "body": c.body, "path": c.path,
            "fields": [_field_json(f) for f in c.fields], "reason": c.reason, "abolished_by": c.abolished_by,
            "delegated": c.delegated, "withdrawn": c.withdrawn,
        } for c in report.changes],
        "problems": [{"side": p.side, "path": p.path, "line": p.line, "column": p.column, "code": p.code,
                      "message": tr(p.message, lang)} for p in report.problems],
        "uncompared": [{"id": u.id, "path": u.path, "side": u.side} for u in report.uncompared],
        "bodies": dict(sorted(report.body_names.items())),
    }


def render_json(report: DiffReport, lang: Lang) -> str:
    return orjson.dumps(report_to_json(report, lang), option=orjson.OPT_INDENT_2).decode() + "\n"

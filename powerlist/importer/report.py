"""The import report: rows read, powers/bodies/laws written, each column's mapping, rows skipped
with reasons, cells that could not be read. As text, as JSON, and as an xlsx the office can fix."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from powerlist.importer.header import FIELDS
from powerlist.importer.pipeline import Imported


def as_dict(imp: Imported, configured: tuple[str, ...]) -> dict[str, Any]:
    return {
        "rows": sum(t.rows for t in imp.tables),
        "powers": len(imp.powers),
        "bodies": len(imp.bodies),
        "laws_added": len(imp.new_laws),
        "laws_builtin": imp.laws_builtin,
        "laws_catalogue": imp.laws_catalogue,
        "missing": imp.missing,
        "categories_not_configured": [c for c in imp.categories if c not in configured],
        "tables": [{
            "table": t.label, "kind": t.kind, "encoding": t.encoding, "header_row": t.header_row,
            "rows": t.rows, "blank_rows": t.blank, "powers": t.powers,
            "columns": [{"column": c.index + 1, "header": c.header, "field": c.field or "extra", "note": c.note}
                        for c in t.columns],
            "skipped": [{"row": s.number, "reason": s.reason, "text": s.text} for s in t.skipped],
            "formula_cells": t.formulas, "notes": t.notes,
        } for t in imp.tables],
        "problems": [{"table": t, "row": r, "message": m} for t, r, m in imp.problems],
        "bodies_level_assumed": imp.assumed_level,
        "body_code_conflicts": imp.body_code_conflicts,
        "laws_level_not_stated": imp.unstated_law_levels,
    }


def as_text(data: dict[str, Any], limit: int = 20) -> str:
    lines = [f"rows read: {data['rows']}   powers: {data['powers']}   bodies: {data['bodies']}   "
             f"laws added to laws.yaml: {data['laws_added']} (resolved: {data['laws_builtin']} built-in, "
             f"{data['laws_catalogue']} in laws.yaml)"]
    for t in data["tables"]:
        enc = f", encoding {t['encoding']}" if t["encoding"] else ""
        lines.append(f"\n{t['table']} ({t['kind']}{enc}): header row {t['header_row']}, {t['rows']} rows, "
                     f"{t['powers']} powers, {t['blank_rows']} blank rows")
        for c in t["columns"]:
            what = FIELDS[c["field"]][0] if c["field"] in FIELDS else "extra (kept as written)"
            note = f"  ({c['note']})" if c["note"] else ""
            lines.append(f"  column {c['column']:>2} {c['header'] or '(no header)'} -> {what}{note}")
        for s in t["skipped"][:limit]:
            lines.append(f"  skipped row {s['row']}: {s['reason']}: {s['text'][:80]}")
        if len(t["skipped"]) > limit:
            lines.append(f"  … {len(t['skipped']) - limit} more skipped rows (--format json lists all)")
        if t["formula_cells"]:
            lines.append(f"  formula cells read as their cached value: {', '.join(t['formula_cells'][:limit])}")
        lines.extend(f"  note: {n}" for n in t["notes"])
    probs = data["problems"]
    if probs:
        lines.append(f"\ncells that could not be read as they are ({len(probs)}):")
        lines.extend(f"  {p['table']} row {p['row']}: {p['message']}" for p in probs[:limit])
        if len(probs) > limit:
            lines.append(f"  … {len(probs) - limit} more (--format json or --report FILE.xlsx lists all)")
    for key, title in (("categories_not_configured", "categories not configured (add them to extra_categories)"),
                       ("bodies_level_assumed", "body levels assumed (the name states none)"),
                       ("body_code_conflicts", "bodies with two codes in the source (the first kept)"),
                       ("laws_level_not_stated", "laws whose title states no level (written as 规范性文件, inferred)")):
        if data[key]:
            lines.append(f"\n{title}: {'、'.join(data[key][:limit])}" + (" …" if len(data[key]) > limit else ""))
    lines.append(f"\nelements the source lacks (powerlist.toml [import] missing): {', '.join(data['missing'])}")
    return "\n".join(lines)


def write_xlsx(data: dict[str, Any], path: Path) -> None:
    """Skipped rows and unread cells, one line each, for the office to fix in the source and re-import."""
    from openpyxl import Workbook

    from powerlist.fsutil import write_atomic

    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "问题"
    ws.append(["表", "行", "类型", "说明", "内容"])
    for t in data["tables"]:
        for s in t["skipped"]:
            ws.append([t["table"], s["row"], "未导入的行", s["reason"], s["text"]])
        for cell in t["formula_cells"]:
            ws.append([t["table"], None, "公式单元格", f"{cell}: read as its cached value", ""])
    for p in data["problems"]:
        ws.append([p["table"], p["row"], "无法识别的内容", p["message"], ""])
    cols = wb.create_sheet("列映射")
    cols.append(["表", "列", "表头", "字段"])
    for t in data["tables"]:
        for c in t["columns"]:
            cols.append([t["table"], c["column"], c["header"], c["field"]])
    import io

    buf = io.BytesIO()
    wb.save(buf)
    write_atomic(path, buf.getvalue())

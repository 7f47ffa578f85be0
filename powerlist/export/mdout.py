"""``md/``: one Markdown list per body (``md/<body>.md``), grouped by category, and an index."""

from __future__ import annotations

import re

from powerlist.catalog import Entry
from powerlist.export.clean import Cleaned, days_text, file_names, unit_of
from powerlist.export.outdir import Staging

DIR = "md"
_SPECIAL = re.compile(r"([\\`*_\[\]<>|~&])")


def md(text: str) -> str:
    """Literal text in Markdown: punctuation that could start markup (or raw HTML) is escaped,
    and line breaks cannot open a new block."""
    return _SPECIAL.sub(r"\\\1", " ".join(text.split()))


def _item(cl: Cleaned, e: Entry) -> str:
    p = e.power
    unit = unit_of(p)
    tl = p.time_limit
    bits = [f"事项编码 {md(p.id)}"]
    if p.sub_items:
        bits.append("子项：" + md("；".join(p.sub_item_names())))
    if p.basis:
        bits.append("设定依据：" + md("；".join(cl.basis_text(b) for b in p.basis)))
    if tl is not None and tl.statutory is not None:
        bits.append("法定时限 " + days_text(tl.statutory, unit))
    if tl is not None and tl.promised is not None:
        bits.append("承诺时限 " + days_text(tl.promised, unit))
    if p.status == "suspended":
        bits.append("暂停实施")
    return f"1. **{md(p.name)}**（" + "；".join(bits) + "）"


def body_page(cl: Cleaned, body: str) -> str:
    mine = cl.by_body.get(body, [])
    lines = [f"# {md(cl.body_name(body))} 权力清单", "", f"共 {len(mine)} 项。", ""]
    for cat in cl.categories:
        items = [e for e in mine if e.power.category == cat]
        if items:
            lines += [f"## {md(cat)}（{len(items)} 项）", "", *(_item(cl, e) for e in items), ""]
    if not mine:
        lines += ["（无）", ""]
    return "\n".join(lines)


def write(cl: Cleaned, out: Staging) -> None:
    names = file_names(cl.body_ids, reserved=("README",))
    index = ["# 权力清单（按实施主体）", ""]
    for body in cl.body_ids:
        out.write_text(f"{DIR}/{names[body]}.md", body_page(cl, body))
        index.append(f"- [{md(cl.body_name(body))}]({names[body]}.md)：{len(cl.by_body.get(body, []))} 项")
    out.write_text(f"{DIR}/README.md", "\n".join(index) + "\n")

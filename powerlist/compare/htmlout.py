"""``compare --out x.html``: one self-contained page (no script, no outside resource; a CSP says so)
with a bar chart of each list's distance from the majority (inline SVG) and the side-by-side table.
Every piece of catalogue text is escaped."""

from __future__ import annotations

from html import escape
from pathlib import Path

from powerlist.compare.engine import Comparison
from powerlist.compare.model import ATTRS, Item, ListStat
from powerlist.compare.xlsxout import ABSENT, departures
from powerlist.export.markup import strict_csp

MAX_ITEMS = 2_000
MAX_LISTS = 40

_CSS = """
body { font-family: "Noto Sans CJK SC", "Source Han Sans SC", "Microsoft YaHei", "PingFang SC", sans-serif;
       font-size: 10pt; margin: 1.2em; color: #111; }
h1 { font-size: 15pt; } h2 { font-size: 12.5pt; margin-top: 1.4em; }
table { border-collapse: collapse; }
th, td { border: 1px solid #aaa; padding: .2em .35em; vertical-align: top; text-align: left; }
thead th { background: #dde6f0; position: sticky; top: 0; }
td.n { text-align: right; } td.diff { background: #ffd8a8; } td.absent { color: #999; }
th.group { text-align: center; }
.note { color: #8a4b00; font-weight: bold; }
"""




CSP = strict_csp(_CSS)


def _e(value: object) -> str:
    return escape(str(value), quote=True)


def chart(lists: list[ListStat]) -> str:
    """Horizontal bars: each list's distance from the majority (0 = the majority's list)."""
    bar_h, label_w, bar_w = 18, 180, 420
    top = max((s.distance for s in lists), default=0.0) or 1.0
    rows = []
    for i, s in enumerate(lists):
        y = i * (bar_h + 4)
        w = round(bar_w * s.distance / top, 1)
        rows.append(f'<text x="{label_w - 6}" y="{y + 13}" text-anchor="end" font-size="12">{_e(s.label)}</text>'
                    f'<rect x="{label_w}" y="{y}" width="{w}" height="{bar_h}" fill="#4a7ab8"><title>{_e(s.label)}: '
                    f'{s.distance:.1%}</title></rect>'
                    f'<text x="{label_w + w + 4}" y="{y + 13}" font-size="12">{s.distance:.1%}</text>')
    height = len(lists) * (bar_h + 4)
    return (f'<svg xmlns="http://www.w3.org/2000/svg" width="{label_w + bar_w + 60}" height="{height}" role="img" '
            f'aria-label="偏离度">{"".join(rows)}</svg>')


def _row(it: Item, lists: list[ListStat], short: dict[str, str]) -> str:
    cells = [f"<td>{_e(it.code or '')}</td>", f'<td class="n">{it.lists}</td>', f"<td>{_e(departures(it, short))}</td>"]
    cells += [f"<td>{_e(it.majority[a])}</td>" for a, _, _ in ATTRS]
    for st in lists:
        side = it.sides.get(st.index)
        if side is None:
            cells += [f'<td class="absent">{ABSENT}</td>' for _ in ATTRS]
        else:
            cells += [f'<td class="diff">{_e(side.values[a])}</td>' if a in side.differs else f"<td>{_e(side.values[a])}</td>"
                      for a, _, _ in ATTRS]
    return "<tr>" + "".join(cells) + "</tr>"


def render(cmp: Comparison) -> str:
    lists = cmp.lists[:MAX_LISTS]
    items = cmp.items(MAX_ITEMS, MAX_LISTS)
    short = {a: zh.split("（")[0] for a, zh, _ in ATTRS}
    s = cmp.summary
    notes = []
    if s.items > len(items):
        notes.append(f"只列出 {len(items):,} 项（共 {s.items:,} 项；有差异或缺项的在前）")
    if len(cmp.lists) > len(lists):
        notes.append(f"表中只列出前 {len(lists)} 份清单（共 {len(cmp.lists)} 份；图中为全部）")
    note = (f'<p class="note">注意：{_e("；".join(notes))}。完整结果请用 --out x.json 或 x.parquet。</p>' if notes else "")
    stat_rows = "".join(
        f"<tr><td>{_e(st.label)}</td><td class='n'>{st.items}</td><td class='n'>{st.missing}</td>"
        f"<td class='n'>{st.minority}</td><td class='n'>{st.differing_items}</td>"
        + "".join(f"<td class='n'>{st.differs.get(a, 0)}</td>" for a, _, _ in ATTRS)
        + f"<td class='n'>{st.distance:.1%}</td></tr>" for st in cmp.lists)
    stat_head = "".join(f"<th>{_e(h)}</th>" for h in ["清单", "事项数", "缺多数项", "少数项", "有差异事项",
                                                      *(f"{zh}差异" for _, zh, _ in ATTRS), "偏离度"])
    group = ('<tr><th colspan="3"></th><th class="group" colspan="5">多数</th>'
             + "".join(f'<th class="group" colspan="5">{_e(st.label)}</th>' for st in lists) + "</tr>")
    cols = "".join(f"<th>{_e(h)}</th>" for h in ["基本编码", "清单数", "差异"]) + \
        "".join(f"<th>{_e(zh)}</th>" for _ in range(len(lists) + 1) for _, zh, _ in ATTRS)
    body = "\n".join(_row(it, lists, short) for it in items)
    return (
        "<!DOCTYPE html>\n<html lang=\"zh-CN\"><head><meta charset=\"utf-8\">\n"
        f'<meta http-equiv="Content-Security-Policy" content="{CSP}">\n'
        f"<title>清单比较（{s.lists} 份）</title><style>{_CSS}</style></head><body>\n"
        f"<h1>清单比较：{s.lists} 份清单，{s.items:,} 个事项</h1>\n"
        f"<p>全部清单都有：{s.in_all:,} 项；多数清单有：{s.majority:,} 项；有差异：{s.with_differences:,} 项。"
        "偏离度 =（有差异事项 + 缺多数项 + 少数项）÷（事项数 + 缺多数项）。</p>\n"
        f"<h2>各清单与多数的偏离度</h2>\n{chart(cmp.lists)}\n"
        f"<h2>清单</h2>\n<table><thead><tr>{stat_head}</tr></thead><tbody>{stat_rows}</tbody></table>\n"
        f"<h2>事项对照</h2>\n{note}<table><thead>{group}<tr>{cols}</tr></thead><tbody>\n{body}\n</tbody></table>\n"
        "</body></html>\n")


def write(cmp: Comparison, path: Path) -> None:
    path.write_text(render(cmp), encoding="utf-8")

"""``site/``: the public list as a static site that works offline (no CDN, no network).

``index.html`` filters by body, category and free text as you type (traditional or simplified,
full or half width: :mod:`powerlist.export.searchfold`), and keeps the filter in the address, so a
link or a reload shows the same list; ``p/<id>.html`` shows one power with its basis and its
flowchart (inline SVG); ``summary.html`` charts the counts by category and body, each bar a link
to the list filtered to it. Every page names its publication date and catalogue version, and a
list published with errors let through (``--allow-errors``) says so on every page. Every text
from the catalogue goes through :func:`esc`; a Content-Security-Policy allowing only the site's
own script and stylesheet is a second line of defence.
"""

from __future__ import annotations

from importlib import resources
from string import Template
from urllib.parse import urlencode

from powerlist import __version__
from powerlist.catalog import Entry
from powerlist.export.clean import STATUS_ZH, Cleaned, article, days_text, file_names, unit_of
from powerlist.export.draw import svg
from powerlist.export.manifest import publication
from powerlist.export.markup import esc
from powerlist.export.outdir import Staging
from powerlist.export.rows import FREE, complaint_of, fee_basis_text, fee_text
from powerlist.export.searchfold import fold, fold_table, table_text
from powerlist.models import Power, Step

DIR = "site"
LEVEL_ZH = {"in_force": "现行有效", "amended": "已修改", "repealed": "已废止"}


def _asset(name: str) -> str:
    return resources.files("powerlist.export").joinpath("templates", name).read_text(encoding="utf-8")


class Site:
    def __init__(self, cl: Cleaned) -> None:
        self.cl = cl
        self.page = Template(_asset("page.html"))
        region = cl.catalog.settings.region
        self.name = f"{region}权力清单" if region else "权力清单"
        self.pages = file_names([e.power.id for e in cl.powers])
        self.date, self.version = publication(cl.catalog.root)
        self.banner = banner(cl.errors_allowed)
        self.footer = footer(cl.errors_allowed, self.date, self.version)

    def render(self, title: str, main: str, root: str = "", script: bool = False) -> str:
        return self.page.substitute(
            title=esc(title), site=esc(self.name), root=root, main=main, banner=self.banner,
            generator=esc(f"powerlist {__version__}"), footer=self.footer,
            script=f'<script src="{root}assets/site.js"></script>' if script else "",
        )

    def href(self, e: Entry, root: str = "") -> str:
        return f"{root}p/{esc(self.pages[e.power.id])}.html"

    # ---------------------------------------------------------------------------- index

    def index(self) -> str:
        cl = self.cl
        bodies = "".join(f'<option value="{esc(b)}">{esc(cl.body_name(b))}</option>'
                         for b in cl.body_ids if b in cl.by_body)
        cats = "".join(f'<option value="{esc(c)}">{esc(c)}</option>' for c in cl.categories if c in cl.by_category)
        rows = []
        words = [" ".join([p.id, p.name, *p.sub_item_names(), p.category, cl.body_name(p.body),
                           *(cl.law_title(b.law) for b in p.basis)]) for p in (e.power for e in cl.powers)]
        table = fold_table(words)
        for n, (e, text) in enumerate(zip(cl.powers, words, strict=True), 1):
            p = e.power
            unit = unit_of(p)
            tl = p.time_limit
            body = cl.body_name(p.body)
            rows.append(
                f'<tr data-body="{esc(p.body)}" data-cat="{esc(p.category)}" data-q="{esc(fold(text, table))}">'
                f'<td class="num seq">{n}</td><td data-label="事项编码">{esc(p.id)}</td>'
                f'<td><a href="{self.href(e)}">{esc(p.name)}</a>{_status_badge(p.status)}</td>'
                f'<td data-label="职权类别">{esc(p.category)}</td><td data-label="实施主体">{esc(body)}</td>'
                f'<td data-label="法定时限">{esc(days_text(tl.statutory if tl else None, unit))}</td>'
                f'<td data-label="承诺时限">{esc(days_text(tl.promised if tl else None, unit))}</td></tr>')
        main = f"""<h1>{esc(self.name)}</h1>
<form class="filters" role="search" id="filters">
<label>实施主体<select id="f-body"><option value="">全部</option>{bodies}</select></label>
<label>职权类别<select id="f-cat"><option value="">全部</option>{cats}</select></label>
<label>搜索（名称、编码、依据）<input id="f-q" type="search" autocomplete="off" placeholder="输入关键词"></label>
</form>
<p class="count" id="f-count" aria-live="polite">共 {len(cl.powers)} 项</p>
<table class="list" id="powers" data-fold="{esc(table_text(table))}">
<thead><tr><th class="num">序号</th><th>事项编码</th><th>事项名称</th><th>职权类别</th><th>实施主体</th>
<th>法定时限</th><th>承诺时限</th></tr></thead>
<tbody>
{chr(10).join(rows)}
</tbody>
</table>"""
        return self.render(self.name, main, script=True)

    # ---------------------------------------------------------------------------- one power

    def power(self, e: Entry) -> str:
        cl = self.cl
        p = e.power
        unit = unit_of(p)
        tl = p.time_limit
        facts = [("事项编码", esc(p.id)), ("职权类别", esc(p.category)), ("实施主体", esc(cl.body_name(p.body)))]
        if p.co_bodies:
            facts.append(("联合实施主体", esc("、".join(cl.body_name(b) for b in p.co_bodies))))
        facts.extend((label, esc(value)) for label, value in _codes(p))
        if p.sub_items:
            facts.append(("子项", _list(p.sub_item_names())))
        facts.append(("状态", esc(STATUS_ZH.get(p.status, p.status))))
        if tl is not None and tl.statutory is not None:
            facts.append(("法定时限", esc(days_text(tl.statutory, unit))))
        if tl is not None and tl.promised is not None:
            facts.append(("承诺时限", esc(days_text(tl.promised, unit))))
        if p.delegated_to:
            facts.append(("下放至", esc("、".join(cl.body_name(b) for b in p.delegated_to))))
        parts = [f"<h1>{esc(p.name)}</h1>", '<p class="noprint"><a href="../index.html">← 返回事项清单</a></p>',
                 '<dl class="facts">' + "".join(f"<dt>{k}</dt><dd>{v}</dd>" for k, v in facts) + "</dl>",
                 "<h2>设定依据</h2>", self._basis(e)]
        steps = p.process.steps if p.process else []
        parts.append("<h2>运行流程图</h2>")
        if steps:
            parts.append('<p class="flow-hint noprint">流程图较宽时可左右滑动查看；各环节全文见下表。</p>')
            parts.append(f'<figure class="flow">{svg(p, ident="flow")}</figure>')
            parts.append(_steps_table(steps, unit, _ends(p)))
        else:
            parts.append('<p class="empty">未填写运行流程。</p>')
        if p.responsibilities:
            parts += ["<h2>责任事项</h2>", _list(p.responsibilities, ordered=True)]
        if p.accountability:
            parts += ["<h2>追责情形</h2>", _list(p.accountability, ordered=True)]
        parts += self._guide(e)
        return self.render(f"{p.name} - {self.name}", "\n".join(parts), root="../")

    def _guide(self, e: Entry) -> list[str]:
        """办事指南: 收费标准 with its basis (or 不收费), 申请材料, 投诉渠道; nothing when none is stated."""
        p = e.power
        ch = complaint_of(self.cl, e)
        if p.fees is None and p.materials is None and ch is None:
            return []
        facts: list[tuple[str, str]] = []
        if p.fees is not None:
            facts.append(("收费标准", _list([fee_text(f) + (f"（依据：{'；'.join(fee_basis_text(self.cl, b) for b in f.basis)}）"
                                                           if f.basis else "") for f in p.fees]) if p.fees else FREE))
        if p.materials is not None:
            facts.append(("申请材料", _list([m.name + (f"（{m.source}）" if m.source else "") for m in p.materials],
                                            ordered=True) if p.materials else esc("无")))
        if ch is not None:
            text = "；".join(f"{k}：{v}" for k, v in (("电话", ch.phone), ("地址", ch.address), ("时间", ch.hours)) if v)
            facts.append(("投诉渠道", esc(text)))
        return ["<h2>办事指南</h2>", '<dl class="facts">' + "".join(f"<dt>{k}</dt><dd>{v}</dd>" for k, v in facts) + "</dl>"]

    def _basis(self, e: Entry) -> str:
        if not e.power.basis:
            return '<p class="empty">未填写设定依据。</p>'
        items = []
        for b in e.power.basis:
            hit = self.cl.law(b.law)
            badges = ""
            if hit is not None:
                badges = f'<span class="badge">{esc(hit.level)}</span>'
                if hit.status != "in_force":
                    badges += f'<span class="badge warn">{esc(LEVEL_ZH.get(hit.status, hit.status))}</span>'
            arts = "、".join(article(a) for a in b.articles)
            text = f"<blockquote>{esc(b.text)}</blockquote>" if b.text else ""
            items.append(f"<li>《{esc(self.cl.law_title(b.law))}》{esc(arts)}{badges}{text}</li>")
        return "<ol>" + "".join(items) + "</ol>"

    # ---------------------------------------------------------------------------- summary

    def summary(self) -> str:
        cl = self.cl
        cats = [c for c in cl.categories if c in cl.by_category]
        bodies = [b for b in cl.body_ids if b in cl.by_body]
        by_cat = [(c, len(cl.by_category[c]), filtered(cat=c)) for c in cats]
        by_body = [(cl.body_name(b), len(cl.by_body[b]), filtered(body=b)) for b in bodies]
        head = "".join(f'<th class="num">{esc(c)}</th>' for c in cats)
        rows = []
        for b in bodies:
            mine = cl.by_body[b]
            cells = "".join(_count_cell(sum(1 for e in mine if e.power.category == c), filtered(body=b, cat=c))
                            for c in cats)
            rows.append(f'<tr><td><a href="{filtered(body=b)}">{esc(cl.body_name(b))}</a></td>{cells}'
                        f'<td class="num">{len(mine)}</td></tr>')
        totals = "".join(f'<td class="num">{n}</td>' for _, n, _ in by_cat)
        main = f"""<h1>统计</h1>
<p>共 {len(cl.powers)} 项职权，{len(bodies)} 个实施主体，{len(cats)} 个职权类别。</p>
<h2>按职权类别</h2>
<figure class="chart">{bar_chart(by_cat, "chart-cat", "按职权类别统计")}</figure>
<h2>按实施主体</h2>
<figure class="chart">{bar_chart(by_body, "chart-body", "按实施主体统计")}</figure>
<h2>分布表</h2>
<div class="scroll"><table class="dist">
<thead><tr><th>实施主体</th>{head}<th class="num">合计</th></tr></thead>
<tbody>{"".join(rows)}<tr><th>合计</th>{totals}<th class="num">{len(cl.powers)}</th></tr></tbody>
</table></div>"""
        return self.render(f"统计 - {self.name}", main)


def _status_badge(status: str) -> str:
    return f'<span class="badge warn">{esc(STATUS_ZH[status])}</span>' if status == "suspended" else ""


def _codes(p: Power) -> list[tuple[str, str]]:
    """The optional 政务服务 facts a power carries (基本编码, 实施编码, 承办机构 …), as label/value."""
    facts = [("基本编码", p.code), ("实施编码", p.implementation_code), ("承办机构", p.handling_unit),
             ("行使层级", "、".join(p.levels)), ("备注", p.remarks)]
    return [(label, value) for label, value in facts if value]


def _list(items: list[str], ordered: bool = False) -> str:
    tag = "ol" if ordered else "ul"
    return f"<{tag}>" + "".join(f"<li>{esc(i)}</li>" for i in items) + f"</{tag}>"


def _ends(p: Power) -> set[str]:
    """Ids of the steps that end the flow (no next)."""
    return {s.id for s in (p.process.steps if p.process else []) if not s.next}


def _steps_table(steps: list[Step], unit: str, ends: set[str]) -> str:
    """The flow as a table: the same text as the chart, uncut. On a phone its rows become cards
    (style.css), so no column is squeezed to one character a line."""
    names = {s.id: s.name for s in steps}
    rows = []
    for s in steps:
        nxt = "、".join(names.get(t, t) for t in s.targets()) or "（结束）"
        days = "" if s.id in ends and s.days == 0 else days_text(s.days, unit)  # as the chart: no 0 days at an end
        rows.append(f'<tr><td data-label="环节">{esc(s.name)}</td><td data-label="谁来办">{esc(s.actor or "")}</td>'
                    f'<td data-label="怎么办">{esc(s.action or "")}</td>'
                    f'<td class="num" data-label="时限">{esc(days)}</td><td data-label="下一环节">{esc(nxt)}</td></tr>')
    return ('<div class="scroll"><table class="steps"><thead><tr><th>环节</th><th>谁来办</th><th>怎么办</th>'
            '<th class="num">时限</th><th>下一环节</th></tr></thead><tbody>' + "".join(rows) + "</tbody></table></div>")


def filtered(**what: str) -> str:
    """The address of the list filtered to a body and/or category (site.js reads it from the hash)."""
    return "index.html#" + esc(urlencode(what))


def _count_cell(n: int, href: str) -> str:
    return f'<td class="num"><a href="{href}">{n}</a></td>' if n else '<td class="num"></td>'


def bar_chart(items: list[tuple[str, int, str]], ident: str, title: str) -> str:
    """A horizontal bar chart in HTML: each row (label, bar, count) is a link to the filtered list.
    Text is page text, so it stays readable on a phone; the bar is a one-rect SVG (a style
    attribute for its width would be refused by the Content-Security-Policy)."""
    top = max((n for _, n, _ in items), default=0) or 1
    out = [f'<ul class="bars" id="{ident}" aria-label="{esc(title)}">']
    for label, n, href in items:
        w = max(n / top * 100, 0.5)
        out.append(f'<li><a href="{href}"><span class="bar-label">{esc(label)}</span>'
                   f'<svg class="bar" viewBox="0 0 100 10" preserveAspectRatio="none" aria-hidden="true">'
                   f'<rect width="{w:.1f}" height="10" fill="#1f5fa8"/></svg>'
                   f'<span class="bar-n">{n}<span class="sr"> 项</span></span></a></li>')
    out.append("</ul>")
    return "".join(out)


def banner(errors: int) -> str:
    """Shown on every page of a list published with errors let through: plainly, Chinese first."""
    if not errors:
        return ""
    return ('<div class="alert" role="alert"><strong>注意：本清单含 '
            f'{errors} 处未解决的错误，发布时已放行（--allow-errors），内容可能有误，请以正式文件为准。</strong> '
            f'<span lang="en">Warning: this list was published with {errors} unresolved error(s) let through '
            "(--allow-errors).</span></div>")


def footer(errors: int, date: str, version: str) -> str:
    made = (f"本清单由 powerlist {esc(__version__)} 生成，发布时放行了 {errors} 处未解决的错误。" if errors
            else f"本清单由 powerlist {esc(__version__)} 根据已审核的目录生成。")
    return (f'{made}<br><span class="stamp">发布日期：<time datetime="{esc(date)}">{esc(date)}</time>'
            f"　目录版本：{esc(version)}</span>")


def write(cl: Cleaned, out: Staging) -> None:
    site = Site(cl)
    out.write_text(f"{DIR}/assets/style.css", _asset("style.css"))
    out.write_text(f"{DIR}/assets/site.js", _asset("site.js"))
    out.write_text(f"{DIR}/index.html", site.index())
    out.write_text(f"{DIR}/summary.html", site.summary())
    for e in cl.powers:
        out.write_text(f"{DIR}/p/{site.pages[e.power.id]}.html", site.power(e))

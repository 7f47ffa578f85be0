"""The audit report as one self-contained, printable HTML page (A4 landscape, header rows repeated
on every printed page). Every piece of catalogue text is escaped."""

from __future__ import annotations

from collections.abc import Iterable
from html import escape

from powerlist.audit.model import AuditReport, Row
from powerlist.export.markup import strict_csp

_CSS = """
body { font-family: "Noto Sans CJK SC", "Source Han Sans SC", "Microsoft YaHei", "PingFang SC", sans-serif;
       font-size: 10.5pt; margin: 1.5em; color: #111; }
h1 { font-size: 16pt; margin: 0 0 .5em; }
h2 { font-size: 13pt; margin: 1.4em 0 .4em; }
dl.facts { display: grid; grid-template-columns: max-content auto; gap: .15em 1em; margin: 0; }
dl.facts dt { font-weight: bold; }
dl.facts dd { margin: 0; }
table { border-collapse: collapse; width: 100%; }
th, td { border: 1px solid #999; padding: .25em .4em; vertical-align: top; text-align: left;
         overflow-wrap: anywhere; }
th { background: #dde6f0; }
td.n { text-align: right; white-space: nowrap; }
tr.total td { font-weight: bold; }
.error { color: #b00020; font-weight: bold; }
.crashed { color: #b00020; }
@media screen and (max-width: 760px) {
  body { margin: .6em; font-size: 10pt; }
  table { display: block; overflow-x: auto; max-width: 100%; }
  th, td { min-width: 4.5em; }
  td.n { min-width: 0; }
  dl.facts { grid-template-columns: 1fr; }
  dl.facts dd { margin-bottom: .3em; }
}
@page { size: A4 landscape; margin: 12mm; }
@media print {
  body { margin: 0; font-size: 9pt; }
  thead { display: table-header-group; }
  tr { break-inside: avoid; page-break-inside: avoid; }
  h2 { break-after: avoid; page-break-after: avoid; }
  section + section { break-before: page; page-break-before: always; }
}
"""




CSP = strict_csp(_CSS)


def _e(value: object) -> str:
    return escape(str(value), quote=True)


def _table(head: Iterable[str], rows: Iterable[str]) -> str:
    th = "".join(f"<th>{_e(h)}</th>" for h in head)
    return f"<table><thead><tr>{th}</tr></thead><tbody>\n" + "\n".join(rows) + "\n</tbody></table>"


def _td(value: object, cls: str | None = None) -> str:
    return f'<td class="{cls}">{_e(value)}</td>' if cls else f"<td>{_e(value)}</td>"


def _counts(r: AuditReport) -> str:
    w = r.words
    head = [w["body"], *(f"{f} {r.family_name(f)}" for f in r.families), w["total"]]
    body_rows, totals = r.count_table()
    rows = ["<tr>" + _td(label) + "".join(_td(n, "n") for n in counts) + _td(sum(counts), "n") + "</tr>"
            for label, counts in body_rows]
    rows.append('<tr class="total">' + _td(w["total"]) + "".join(_td(n, "n") for n in totals)
                + _td(sum(totals), "n") + "</tr>")
    return _table(head, rows)


def _findings(r: AuditReport, rows: list[Row]) -> str:
    w = r.words
    head = [w["no"], w["body"], w["entry"], w["name"], w["code"], w["severity"], w["family"], w["message"],
            w["citation"], w["suggestion"], w["where"]]
    out = []
    for n, row in enumerate(rows, 1):
        sev = "error" if row.severity == w["error"] else None
        out.append("<tr>" + _td(n, "n") + _td(r.body_name(row.body)) + _td(row.entry) + _td(row.name) + _td(row.code)
                   + _td(row.severity, sev) + _td(r.family_name(row.family)) + _td(row.message) + _td(row.citation)
                   + _td(row.suggestion) + _td(row.where) + "</tr>")
    return _table(head, out)


def _waivers(r: AuditReport, rows: list[Row]) -> str:
    w = r.words
    head = [w["no"], w["body"], w["entry"], w["name"], w["code"], w["message"], w["reason"], w["where"]]
    out = ["<tr>" + _td(n, "n") + _td(r.body_name(row.body)) + _td(row.entry) + _td(row.name) + _td(row.code)
           + _td(row.message) + _td(row.reason) + _td(row.where) + "</tr>" for n, row in enumerate(rows, 1)]
    return _table(head, out)


def to_html(report: AuditReport) -> str:
    r, w = report, report.words
    facts = [(w["catalogue"], r.catalogue), (w["region"], r.region or "—"),
             (w["version"], r.version or w["no_version"]), (w["as_of"], r.as_of.isoformat()),
             (w["powers"], r.powers), (w["errors"], r.errors), (w["warnings"], r.warnings),
             (w["waived"], len(r.waived))]
    dl = "".join(f"<dt>{_e(k)}</dt><dd>{_e(v)}</dd>" for k, v in facts)
    crashed = f'<p class="crashed">{_e(w["crashed"] + ", ".join(r.crashed))}</p>' if r.crashed else ""
    findings = _findings(r, r.findings) if r.findings else f"<p>{_e(w['none'])}</p>"
    waivers = _waivers(r, r.waived) if r.waived else f"<p>{_e(w['no_waivers'])}</p>"
    lang = "zh-CN" if r.lang == "zh" else "en"
    return (
        f'<!DOCTYPE html>\n<html lang="{lang}">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f'<meta http-equiv="Content-Security-Policy" content="{CSP}">\n'
        f"<title>{_e(w['title'])} — {_e(r.catalogue)}</title>\n<style>{_CSS}</style>\n</head>\n<body>\n"
        f"<section>\n<h1>{_e(w['title'])}</h1>\n<dl class=\"facts\">{dl}</dl>\n{crashed}\n"
        f"<h2>{_e(w['counts'])}</h2>\n{_counts(r)}\n</section>\n"
        f"<section>\n<h2>{_e(w['findings'])}</h2>\n{findings}\n</section>\n"
        f"<section>\n<h2>{_e(w['waivers'])}</h2>\n{waivers}\n</section>\n"
        "</body>\n</html>\n"
    )

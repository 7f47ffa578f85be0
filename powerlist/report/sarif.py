"""``--format sarif``: a SARIF 2.1.0 log for code-scanning services (GitHub code scanning, GitLab,
editors' SARIF viewers).

One run; ``tool.driver.rules`` lists every check with its name, descriptions, legal citation
(``help``) and default level, and each result points at its rule by ``ruleId`` and ``ruleIndex``.
Locations are relative URIs against the base id ``%SRCROOT%``, which ``originalUriBaseIds``
resolves to the folder CI tools name files from (the workspace, see :func:`github.workspace`), so
GitHub finds ``catalog/powers/...`` in the repository. Waived findings are kept as results with an
accepted in-source suppression and the waiver's reason; baselined ones with an external
suppression. ``partialFingerprints`` carries the line-independent fingerprint the baseline uses,
so code scanning follows a finding when lines move.
"""

from __future__ import annotations

import hashlib
from typing import Any
from urllib.parse import quote

import orjson

from powerlist import __version__
from powerlist.diagnostics import Diagnostic, Related, Result
from powerlist.i18n import T, Text, tr
from powerlist.registry import FAMILIES, Check
from powerlist.report.base import RenderOptions, printable, renderer
from powerlist.report.github import workspace

SCHEMA_URI = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
BASE_ID = "%SRCROOT%"


def _text(t: Text | str, opts: RenderOptions) -> dict[str, str]:
    return {"text": tr(t, opts.lang)}


def _rule(chk: Check, opts: RenderOptions) -> dict[str, Any]:
    help_lines = []
    if chk.citation is not None:
        help_lines.append(T("法律依据：", "Legal citation: ").get(opts.lang) + tr(chk.citation, opts.lang))
    if chk.explanation is not None:
        help_lines.append(tr(chk.explanation, opts.lang))
    help_lines.append(T(f"详见 `powerlist rule {chk.code}`", f"See `powerlist rule {chk.code}`").get(opts.lang))
    return {
        "id": chk.code,
        "name": chk.name,
        "shortDescription": _text(chk.summary, opts),
        "fullDescription": _text(chk.explanation or chk.summary, opts),
        "help": {"text": "\n".join(help_lines), "markdown": "\n\n".join(help_lines)},
        "defaultConfiguration": {"level": chk.severity.value},
        "properties": {"tags": ["powerlist", tr(FAMILIES[chk.family], opts.lang)]},
    }


def _location(prefix: str, path: str, line: int, column: int | None = None) -> dict[str, Any]:
    region: dict[str, int] = {"startLine": max(line, 1)}
    if column is not None:
        region["startColumn"] = max(column, 1)
    return {"physicalLocation": {
        "artifactLocation": {"uri": quote(prefix + path, safe="/"), "uriBaseId": BASE_ID},
        "region": region,
    }}


def _related(i: int, r: Related, prefix: str) -> dict[str, Any]:
    loc = _location(prefix, r.path, r.line)
    loc["id"] = i
    loc["message"] = {"text": r.entry or r.path}
    return loc


def _result(d: Diagnostic, index: dict[str, int], prefix: str, opts: RenderOptions) -> dict[str, Any]:
    out: dict[str, Any] = {
        "ruleId": d.code,
        "level": d.severity.value,
        "message": _text(d.message, opts),
        "locations": [_location(prefix, d.path, d.line, d.column)],
        "partialFingerprints": {"powerlist/v1": hashlib.sha256(d.fingerprint().encode()).hexdigest()},
    }
    if d.code in index:
        out["ruleIndex"] = index[d.code]
    if d.related:
        out["relatedLocations"] = [_related(i, r, prefix) for i, r in enumerate(d.related, 1)]
    if d.entry:
        out["properties"] = {"entry": d.entry}
    return out


def sarif_log(result: Result, opts: RenderOptions) -> dict[str, Any]:
    from powerlist.checks import all_checks  # every rule, listed in the log: imported only for SARIF

    result = printable(result)
    checks = list(all_checks().values())
    index = {c.code: i for i, c in enumerate(checks)}
    base, prefix = workspace(opts.root)
    results = [_result(d, index, prefix, opts) for d in result.diagnostics]
    for d in result.waived:
        res = _result(d, index, prefix, opts)
        res["suppressions"] = [{"kind": "inSource", "status": "accepted",
                                "justification": d.waiver_reason or ""}]
        results.append(res)
    for d in result.baselined:
        res = _result(d, index, prefix, opts)
        res["baselineState"] = "unchanged"
        res["suppressions"] = [{"kind": "external", "status": "accepted", "justification": T(
            "已记录在基线文件中", "recorded in the baseline file").get(opts.lang)}]
        results.append(res)
    invocation: dict[str, Any] = {"executionSuccessful": not result.crashed}
    if result.crashed:
        invocation["toolExecutionNotifications"] = [
            {"level": "error", "descriptor": {"id": code},
             "message": _text(T(f"检查 {code} 内部出错", f"internal error in check {code}"), opts)}
            for code, _tb in result.crashed]
    return {
        "$schema": SCHEMA_URI,
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "powerlist",
                "version": __version__,
                "semanticVersion": __version__,
                "rules": [_rule(c, opts) for c in checks],
            }},
            "originalUriBaseIds": {BASE_ID: {"uri": base.as_uri().rstrip("/") + "/"}},
            "columnKind": "unicodeCodePoints",
            "invocations": [invocation],
            "results": results,
        }],
    }


@renderer("sarif")
def render_sarif(result: Result, opts: RenderOptions) -> str:
    return orjson.dumps(sarif_log(result, opts), option=orjson.OPT_INDENT_2).decode() + "\n"

"""``--format junit``: JUnit XML, for CI systems that show test reports (GitLab, Jenkins, Azure).

One ``<testsuite>`` per catalogue file. A file without findings is one passing ``<testcase>``;
otherwise each finding is a ``<testcase>`` of its own holding one ``<failure>`` (Jenkins keeps only
one failure per test case, so findings are never merged into one). Warnings fail only with
``--strict``, as in the exit status; otherwise they pass and say so in ``<system-out>``.
Waived and baselined findings are listed as ``<skipped>`` with their reason.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections import defaultdict

from powerlist.diagnostics import Diagnostic, Result, Severity
from powerlist.i18n import T, tr
from powerlist.report.base import RenderOptions, printable, renderer

# Characters XML 1.0 cannot hold at all (a message may quote bytes of a broken file).
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def _clean(text: str) -> str:
    return _NOT_XML.sub("\ufffd", text)


def _case(suite: ET.Element, d: Diagnostic, accepted: str | None, opts: RenderOptions) -> tuple[bool, bool]:
    """Add the test case of one finding (``accepted``: why it is waived or baselined, if it is);
    returns (failed, skipped)."""
    name = f"{d.code} {d.entry or d.path}:{d.line}:{d.column}"
    case = ET.SubElement(suite, "testcase", classname=_clean(d.path), name=_clean(name),
                         file=_clean(d.path), line=str(d.line), time="0")
    message = _clean(tr(d.message, opts.lang))
    detail = "\n".join([f"{d.path}:{d.line}:{d.column} {d.code} {message}",
                        *(f"  {r.path}:{r.line}" + (f" ({r.entry})" if r.entry else "") for r in d.related)])
    if accepted is not None:
        ET.SubElement(case, "skipped", message=_clean(f"{message} — {accepted}"))
        return False, True
    if d.severity is Severity.ERROR or opts.strict:
        failure = ET.SubElement(case, "failure", message=message, type=d.code)
        failure.text = _clean(detail)
        return True, False
    ET.SubElement(case, "system-out").text = _clean(f"{d.severity.value}: {detail}")
    return False, False


def junit_tree(result: Result, opts: RenderOptions) -> ET.Element:
    result = printable(result)
    in_baseline = T("已记录在基线文件中", "recorded in the baseline file").get(opts.lang)
    by_path: dict[str, list[tuple[Diagnostic, str | None]]] = defaultdict(list)
    for d in result.diagnostics:
        by_path[d.path].append((d, None))
    for d in result.waived:
        by_path[d.path].append((d, d.waiver_reason or ""))
    for d in result.baselined:
        by_path[d.path].append((d, in_baseline))
    paths = sorted(set(result.paths) | set(by_path))
    root = ET.Element("testsuites", name="powerlist")
    totals = {"tests": 0, "failures": 0, "skipped": 0}
    for path in paths:
        suite = ET.SubElement(root, "testsuite", name=_clean(path), file=_clean(path))
        counts = {"tests": 0, "failures": 0, "skipped": 0}
        found = sorted(by_path.get(path, []), key=lambda pair: pair[0].sort_key())
        if not found:
            ET.SubElement(suite, "testcase", classname=_clean(path), name=_clean(path), file=_clean(path), time="0")
            counts["tests"] = 1
        for d, accepted in found:
            failed, skipped = _case(suite, d, accepted, opts)
            counts["tests"] += 1
            counts["failures"] += failed
            counts["skipped"] += skipped
        for k, v in counts.items():
            suite.set(k, str(v))
            totals[k] += v
        suite.set("errors", "0")
    for code, tb in result.crashed:
        suite = ET.SubElement(root, "testsuite", name=f"check {code}", tests="1", failures="0", errors="1")
        case = ET.SubElement(suite, "testcase", classname="powerlist", name=f"check {code}", time="0")
        err = ET.SubElement(case, "error", message=T(f"检查 {code} 内部出错", f"internal error in check {code}").get(opts.lang))
        err.text = _clean(tb)
        totals["tests"] += 1
    for k, v in totals.items():
        root.set(k, str(v))
    root.set("errors", str(len(result.crashed)))
    return root


@renderer("junit")
def render_junit(result: Result, opts: RenderOptions) -> str:
    tree = junit_tree(result, opts)
    ET.indent(tree)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(tree, encoding="unicode") + "\n"

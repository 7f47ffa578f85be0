"""``--format json``: exactly the machine output contract (catalog-format.md), plus the waived
findings under a separate key so that contract consumers counting ``diagnostics`` are unaffected."""

from __future__ import annotations

from typing import Any

import orjson

from powerlist.diagnostics import Result
from powerlist.report.base import RenderOptions, printable, renderer


def result_to_json(result: Result, opts: RenderOptions) -> dict[str, Any]:
    result = printable(result)
    return {
        "version": 1,
        "summary": {"entries": result.entries, "errors": result.errors, "warnings": result.warnings,
                    "waived": len(result.waived), "baselined": len(result.baselined),
                    **({"completeness": result.completeness} if result.completeness is not None else {})},
        "diagnostics": [d.to_json(opts.lang) for d in result.diagnostics],
        "waived": [d.to_json(opts.lang) for d in result.waived],
    }


@renderer("json")
def render_json(result: Result, opts: RenderOptions) -> str:
    return orjson.dumps(result_to_json(result, opts), option=orjson.OPT_INDENT_2).decode() + "\n"

"""What every reporter shares: :class:`RenderOptions`, the ``@renderer`` table, and
:func:`display` / :func:`printable` (paths and messages as every output can carry them).
The reporters import this module, never the package (which imports them)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path

from powerlist.diagnostics import Diagnostic, Related, Result, display
from powerlist.i18n import Lang, Text


@dataclass(frozen=True)
class RenderOptions:
    root: Path
    lang: Lang = "en"
    show_source: bool = True
    strict: bool = False
    extra: dict[str, object] = field(default_factory=dict)


def _diagnostic(d: Diagnostic) -> Diagnostic:
    msg = Text(display(d.message.zh), display(d.message.en))
    related = [Related(display(r.path), r.line, r.entry and display(r.entry)) for r in d.related]
    return replace(d, path=display(d.path), entry=d.entry and display(d.entry), message=msg, related=related)


def printable(result: Result) -> Result:
    """``result`` with every path, entry and message passed through :func:`display` (the result
    itself when nothing needs it, which is almost always)."""
    texts = [x for ds in (result.diagnostics, result.waived, result.baselined) for d in ds
             for x in (d.path, d.entry or "", d.message.zh, d.message.en, *(r.path for r in d.related))]
    if all(display(x) is x for x in (*texts, *result.paths)):
        return result
    return replace(result, diagnostics=[_diagnostic(d) for d in result.diagnostics],
                   waived=[_diagnostic(d) for d in result.waived],
                   baselined=[_diagnostic(d) for d in result.baselined],
                   paths=tuple(display(p) for p in result.paths))


Renderer = Callable[[Result, RenderOptions], str]
RENDERERS: dict[str, Renderer] = {}


def renderer(name: str) -> Callable[[Renderer], Renderer]:
    def deco(fn: Renderer) -> Renderer:
        RENDERERS[name] = fn
        return fn

    return deco

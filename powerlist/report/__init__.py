"""Reporters: pure functions of a Result. Looked up by name; they never compute findings."""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path

from powerlist.diagnostics import Diagnostic, Related, Result
from powerlist.i18n import Lang, Text


@dataclass(frozen=True)
class RenderOptions:
    root: Path
    lang: Lang = "en"
    show_source: bool = True
    strict: bool = False
    extra: dict[str, object] = field(default_factory=dict)


def display(text: str) -> str:
    """``text`` as every output can carry it. A file name that is not UTF-8 reaches Python with its
    bad bytes as lone surrogates (os.fsdecode), which JSON, XML and terminals reject: those bytes
    are shown as ``\\xNN`` (``bad\\xff\\xfename.yaml``). Every reporter writes paths and messages
    through this one function."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        raw = text.encode("utf-8", "surrogateescape") if _only_escapes(text) else text.encode("utf-8", "backslashreplace")
        return raw.decode("utf-8", "backslashreplace")
    return text


def _only_escapes(text: str) -> bool:
    """Whether every lone surrogate is one of os.fsdecode's escaped bytes (U+DC80..U+DCFF)."""
    return all(not 0xD800 <= ord(c) <= 0xDFFF or 0xDC80 <= ord(c) <= 0xDCFF for c in text)


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


def get_renderer(name: str) -> Renderer:
    # Import the built-in reporters on first use (keeps start-up light).
    from powerlist.report import json as _json  # noqa: F401

    for mod in ("sarif", "github", "junit"):
        with contextlib.suppress(ModuleNotFoundError):
            __import__(f"powerlist.report.{mod}")
    return RENDERERS[name]

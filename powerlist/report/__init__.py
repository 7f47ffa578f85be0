"""Reporters: pure functions of a Result. Looked up by name; they never compute findings."""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from powerlist.diagnostics import Result
from powerlist.i18n import Lang


@dataclass(frozen=True)
class RenderOptions:
    root: Path
    lang: Lang = "en"
    show_source: bool = True
    strict: bool = False
    extra: dict[str, object] = field(default_factory=dict)


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

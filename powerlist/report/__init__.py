"""Reporters: pure functions of a Result. Looked up by name; they never compute findings."""

from __future__ import annotations

import contextlib

from powerlist.report.base import RENDERERS, Renderer, RenderOptions, display, printable, renderer

__all__ = ["RENDERERS", "RenderOptions", "Renderer", "display", "get_renderer", "printable", "renderer"]


def get_renderer(name: str) -> Renderer:
    # Import the built-in reporters on first use (keeps start-up light).
    from powerlist.report import json as _json  # noqa: F401

    for mod in ("sarif", "github", "junit"):
        with contextlib.suppress(ModuleNotFoundError):
            __import__(f"powerlist.report.{mod}")
    return RENDERERS[name]

"""What every reporter shares: :class:`RenderOptions`, the ``@renderer`` table, and
:func:`display` / :func:`printable` (paths and messages as every output can carry them).
The reporters import this module, never the package (which imports them)."""

from __future__ import annotations

import os
import posixpath
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path

from powerlist.diagnostics import Diagnostic, Related, Result, display
from powerlist.i18n import Lang, T, Text


@dataclass(frozen=True)
class RenderOptions:
    root: Path
    lang: Lang = "en"
    show_source: bool = True
    strict: bool = False
    extra: dict[str, object] = field(default_factory=dict)
    # How the human formats (text) name a file, so that a path names it from where the command runs
    # and an editor or terminal can open it (see cwd_view): ``prefix`` goes before a
    # catalogue-relative path; ``within`` (the current folder's place inside the catalogue, if it is
    # inside) makes paths relative to it. Machine formats keep their own contracts (JSON:
    # catalogue-relative; github/SARIF: workspace-relative).
    prefix: str = ""
    within: str = ""


STDIN = "<stdin>"  # the path of a power read from standard input (``powerlist check -``)


def cwd_view(root: Path, cwd: Path) -> tuple[str, str]:
    """(prefix, within) that name catalogue files relative to ``cwd``, as ruff and yamllint do:
    ``("", "")`` when the catalogue is ``cwd``; ``("p/catalog/", "")`` below it; ``("",
    "powers/water")`` when ``cwd`` is inside the catalogue; the catalogue's absolute path elsewhere."""
    full, here = os.path.abspath(root), os.path.abspath(cwd)
    if full == here:
        return "", ""
    try:
        common = os.path.commonpath([full, here])
    except ValueError:  # another drive (Windows)
        common = ""
    if common == here:
        return os.path.relpath(full, here).replace(os.sep, "/") + "/", ""
    if common == full:
        return "", os.path.relpath(here, full).replace(os.sep, "/")
    return Path(full).as_posix().rstrip("/") + "/", ""


def shown(opts: RenderOptions, path: str) -> str:
    """A catalogue-relative path as the human formats print it (``<stdin>`` stays as it is)."""
    if path.startswith("<"):
        return path
    if opts.within:
        return posixpath.relpath(path, opts.within)
    return opts.prefix + path


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


def checked_phrase(result: Result) -> Text:
    """``74项职权（77个文件，含登记簿）`` / ``74 powers (77 files, registries included)``: an office
    counts powers; ``entries`` (the JSON's documented count) also holds every body, law and
    decision of the registries, so human summaries say powers and keep the JSON as it is."""
    from powerlist.catalog.layout import kind_of

    powers = sum(1 for p in result.paths if kind_of(p) == "power")
    if not powers and not result.paths:  # a result made without its file list: say what is known
        return T(f"{result.entries}个条目（{result.files}个文件）", f"{result.entries} entries in {result.files} files")
    if powers == result.files:
        return T(f"{powers}项职权", f"{powers} power(s)")
    return T(f"{powers}项职权（{result.files}个文件，含登记簿）",
             f"{powers} power(s) ({result.files} files, registries included)")

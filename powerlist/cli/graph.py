"""``powerlist graph ID``: one power's flowchart as Mermaid, Graphviz DOT or SVG."""

from __future__ import annotations

from pathlib import Path

import typer

from powerlist.cli.app import app
from powerlist.cli.common import LangOption, choose_lang, fail, find_catalog

GRAPH_FORMATS = ("mermaid", "dot", "svg")


@app.command("graph")
def graph(
    ident: str = typer.Argument(..., metavar="ID", help="The power's id, e.g. SL-XK-001."),
    catalog: Path | None = typer.Option(None, "--catalog", "-c", help="Catalogue folder (default: the current folder, "
                                        "or ./catalog)."),
    fmt: str = typer.Option("mermaid", "--format", "-f", help=f"One of: {', '.join(GRAPH_FORMATS)}."),
    output: Path | None = typer.Option(None, "--output", "-o", help="Write to this file instead of stdout."),
    config: Path | None = typer.Option(None, "--config", help="Configuration file (default: CATALOGUE/powerlist.toml)."),
    lang: str | None = LangOption,
) -> None:
    """Draw one power's flowchart (运行流程图): who, how and how many days per step.

    Examples:

      powerlist graph SL-XK-001 --format mermaid

      powerlist graph SL-XK-001 --format svg -o SL-XK-001.svg
    """
    import difflib
    import os

    from powerlist.api import settings_for
    from powerlist.catalog import load_catalog
    from powerlist.config import ConfigError
    from powerlist.i18n import T, tr

    choose_lang(lang)
    if fmt not in GRAPH_FORMATS:
        fail(tr(T(f"未知的 --format {fmt!r}", f"unknown --format {fmt!r}")), f"{', '.join(GRAPH_FORMATS)}")
    root = find_catalog(catalog)
    try:
        settings = settings_for(root, config)
    except ConfigError as exc:
        fail(str(exc))
    cat = load_catalog(root, settings)
    entry = cat.power_by_id.get(ident)
    if entry is None:
        near = difflib.get_close_matches(ident, list(cat.power_by_id), n=3)
        fail(tr(T(f"目录中没有编码为 {ident!r} 的事项", f"no power with id {ident!r} in {root}")),
             tr(T("是否要找：", "did you mean: ")) + ", ".join(near) if near else None)
    power = entry.power
    if power.process is None or not power.process.steps:
        fail(tr(T(f"{ident} 没有填写运行流程（process.steps）", f"{ident} has no flowchart (process.steps is empty)")))
    if fmt == "svg":
        from powerlist.export.draw import svg

        text = '<?xml version="1.0" encoding="UTF-8"?>\n' + svg(power, standalone=True) + "\n"
    else:
        from powerlist.export import flowtext

        text = flowtext.mermaid(power) if fmt == "mermaid" else flowtext.dot(power)
    if output is None:
        typer.echo(text, nl=False)
        return
    target = Path(os.path.abspath(output))
    if target.is_dir():
        fail(tr(T(f"{output} 是文件夹", f"{output} is a folder")), tr(T("请给出文件名", "give a file name")))
    try:
        from powerlist.fsutil import write_atomic

        write_atomic(target, text)
    except OSError as exc:
        fail(tr(T(f"无法写入 {output}：{exc.strerror}", f"cannot write {output}: {exc.strerror}")))

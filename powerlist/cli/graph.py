"""``powerlist graph ID``: one power's flowchart as Mermaid, Graphviz DOT or SVG."""

from __future__ import annotations

from pathlib import Path

import typer

from powerlist.cli.app import app
from powerlist.cli.common import LangOption, choose_lang, fail, find_catalog, merge_catalog, output_file

GRAPH_FORMATS = ("mermaid", "dot", "svg")
# -o picks the format from the file's suffix: an SVG written into x.png would be a broken image.
SUFFIX_FORMATS = {".svg": "svg", ".dot": "dot", ".gv": "dot", ".mmd": "mermaid", ".mermaid": "mermaid"}


@app.command("graph")
def graph(
    ident: str = typer.Argument(..., metavar="ID", help="The power's id, e.g. SL-XK-001."),
    path: Path | None = typer.Argument(None, metavar="CATALOGUE", help="Catalogue folder (default: the "
                                       "catalogue the current folder is in, found walking up, or ./catalog)."),
    catalog: Path | None = typer.Option(None, "--catalog", "-c", help="Same as CATALOGUE (the older spelling)."),
    fmt: str | None = typer.Option(None, "--format", "-f", help=f"One of: {', '.join(GRAPH_FORMATS)}. Default: from "
                                   "the -o file's suffix (.svg, .dot, .gv, .mmd), else mermaid."),
    output: Path | None = typer.Option(None, "--output", "-o", "--out", help="Write to this file instead of stdout; "
                                       "its suffix must be .svg, .dot, .gv or .mmd."),
    config: Path | None = typer.Option(None, "--config", help="Configuration file (default: CATALOGUE/powerlist.toml)."),
    lang: str | None = LangOption,
) -> None:
    """Draw one power's flowchart (运行流程图): who, how and how many days per step.

    Examples:

      powerlist graph SL-XK-001 --format mermaid

      powerlist graph SL-XK-001 catalog/ -o SL-XK-001.svg
    """
    import difflib
    import os

    from powerlist.api import settings_for
    from powerlist.catalog import load_catalog
    from powerlist.config import ConfigError
    from powerlist.i18n import T, tr

    choose_lang(lang)
    fmt = _format(fmt, output)
    root = find_catalog(merge_catalog(path, catalog))
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

        body = cat.body_by_id.get(power.body)
        text = ('<?xml version="1.0" encoding="UTF-8"?>\n'
                + svg(power, standalone=True, body=body.body.name if body is not None else None) + "\n")
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


def _format(fmt: str | None, output: Path | None) -> str:
    """The drawing format: --format, else the -o suffix, else mermaid; a suffix that does not
    match what would be written is refused (exit 2)."""
    from powerlist.i18n import T, tr

    if fmt is not None and fmt not in GRAPH_FORMATS:
        fail(tr(T(f"未知的 --format {fmt!r}", f"unknown --format {fmt!r}")), f"{', '.join(GRAPH_FORMATS)}")
    if output is None:
        return fmt or "mermaid"
    output_file(output)
    by_suffix = SUFFIX_FORMATS.get(output.suffix.lower())
    if by_suffix is None:
        fail(tr(T(f"无法按后缀 {output.suffix or '（无）'} 写入 {output}", f"cannot tell the format of {output} from its "
                  f"suffix {output.suffix or '(none)'!r}")),
             tr(T("请用 .svg、.dot、.gv 或 .mmd（PNG 等图片请用其他工具从 SVG 转换）",
                  "use .svg, .dot, .gv or .mmd (convert the SVG for PNG and other images)")))
    if fmt is not None and fmt != by_suffix:
        fail(tr(T(f"--format {fmt} 与文件后缀 {output.suffix} 不符", f"--format {fmt} does not match the suffix of {output}")),
             tr(T(f"写入 .{'mmd' if fmt == 'mermaid' else fmt} 文件，或去掉 --format",
                  f"write a .{'mmd' if fmt == 'mermaid' else fmt} file, or leave out --format")))
    return by_suffix

"""``powerlist rules`` and ``powerlist rule CODE``: what every check does and why (like ``ruff rule``)."""

from __future__ import annotations

import inspect

import typer

from powerlist.cli.app import app
from powerlist.cli.common import LangOption, choose_lang, fail


@app.command("rules")
def rules(
    as_json: bool = typer.Option(False, "--json", help="Machine-readable list."),
    lang: str | None = LangOption,
) -> None:
    """List every check: code, name, default severity, summary."""
    import orjson
    from rich.console import Console
    from rich.markup import escape
    from rich.table import Table

    from powerlist.checks import all_checks
    from powerlist.registry import FAMILIES, SEVERITY_WORDS, as_dict

    language = choose_lang(lang)
    checks = all_checks()
    if as_json:
        typer.echo(orjson.dumps([as_dict(c, language) for c in checks.values()], option=orjson.OPT_INDENT_2).decode())
        return
    zh = language == "zh"
    table = Table(title="powerlist 检查规则" if zh else "powerlist checks")
    table.add_column("代码" if zh else "code", no_wrap=True)
    table.add_column("名称" if zh else "name", overflow="fold")
    table.add_column("严重程度" if zh else "severity", no_wrap=True)
    # fold, not the default ellipsis: a Chinese summary has no spaces to wrap at, and was cut short
    table.add_column("说明" if zh else "summary", overflow="fold", ratio=1)
    last = ""
    for c in checks.values():
        if c.family != last:
            table.add_section()
            table.add_row(f"[bold]{c.family}[/]", f"[bold]{escape(FAMILIES[c.family].get(language))}[/]", "", "")
            last = c.family
        table.add_row(c.code, c.name, SEVERITY_WORDS[c.severity.value].get(language), escape(c.summary.get(language)))
    Console().print(table)


@app.command("rule")
def rule(
    code: str = typer.Argument(..., help="A check code, e.g. J001, or its name, e.g. one-matter-one-department."),
    lang: str | None = LangOption,
) -> None:
    """Explain one check: what it forbids, the legal citation, and a failing example."""
    from rich.console import Console
    from rich.markdown import Markdown

    from powerlist.checks import all_checks
    from powerlist.registry import SEVERITY_WORDS

    language = choose_lang(lang)
    checks = all_checks()
    chk = checks.get(code.upper()) or next((c for c in checks.values() if c.name == code), None)
    if chk is None:
        fail(f"no check {code!r}", "`powerlist rules` lists them all")
    zh = language == "zh"
    parts = [f"# {chk.code} {chk.name}", "", f"**{chk.summary.get(language)}**", "",
             f"{'默认严重程度：' if zh else 'Default severity: '}`{chk.severity.value}`"
             + (f"（{SEVERITY_WORDS[chk.severity.value].zh}）" if zh else ""), ""]
    if chk.citation:
        parts += [f"{'法律依据：' if zh else 'Legal citation: '}{chk.citation.get(language)}", ""]
    if chk.explanation:
        parts += [chk.explanation.get(language), ""]
    if chk.func is not None and chk.func.__doc__ and not zh:
        parts += [inspect.cleandoc(chk.func.__doc__), ""]
    if chk.example:
        parts += [f"{'触发示例：' if zh else 'Failing example:'}", "", "```yaml", chk.example.rstrip(), "```", ""]
    parts += [f"{'停用：' if zh else 'Disable it: '}`--ignore {chk.code}`{'；' if zh else '; '}"
              f"{'逐项豁免：' if zh else 'waive it on one entry: '}`waivers: [{{code: {chk.code}, reason: …}}]`"]
    Console().print(Markdown("\n".join(parts)))

"""``powerlist compare``: the same item across sibling lists, side by side."""

from __future__ import annotations

from pathlib import Path

import typer

from powerlist.cli.app import app
from powerlist.cli.common import LangOption, choose_lang, fail


@app.command("compare")
def compare(
    inputs: list[Path] = typer.Argument(..., help="Catalogue folders, export folders or .parquet exports (two or more)."),
    out: Path = typer.Option(..., "--out", "-o", "--output", help="Result file: .xlsx, .html, .json or .parquet (by suffix)."),
    memory_limit: str | None = typer.Option(None, "--memory-limit", help="DuckDB's memory limit, e.g. 2GB (default 3GB); "
                                            "past it the work spills to a temporary folder."),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="Print nothing on success."),
    lang: str | None = LangOption,
) -> None:
    """Put the same item from many lists side by side (a city's counties, a province's cities).

    Items match by 基本编码 when both lists give one, else by name and category (folded: 取水許可 =
    取水许可). For each item: which lists carry it, and where its name, category, basis, time limits
    or body type depart from the majority; for each list: its distance from the majority.

    XLSX and HTML tables are cut for very large comparisons (said in the file); JSON and Parquet hold
    everything.

    Examples:

      powerlist compare catalog/siblings/* --out compare.html

      powerlist compare exports/*/powers.parquet --out national.parquet
    """
    from powerlist.checks import all_checks
    from powerlist.compare import CompareError, run
    from powerlist.i18n import T, tr

    choose_lang(lang)
    try:
        done = run(inputs, out, known_codes=lambda: list(all_checks()), memory_limit=memory_limit)
    except CompareError as exc:
        fail(tr(exc.message), tr(exc.hint) if exc.hint else None)
    except OSError as exc:
        fail(tr(T(f"无法写入 {out}：{exc.strerror or exc}", f"cannot write {out}: {exc.strerror or exc}")))
    if quiet:
        return
    s = done.summary
    typer.echo(tr(T(f"已比较 {s.lists} 份清单、{s.items} 个事项（全部都有 {s.in_all}，有差异 {s.with_differences}）→ {out}",
                    f"Compared {s.lists} lists, {s.items} items ({s.in_all} in all, {s.with_differences} with "
                    f"differences) -> {out}")))
    for st in sorted(done.lists, key=lambda x: -x.distance)[:20]:
        typer.echo(f"  {st.label}: {st.distance:.1%}  ({st.items} items, {st.missing} missing, {st.minority} minority, "
                   f"{st.differing_items} differing)")

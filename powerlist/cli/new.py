"""``powerlist new``: scaffold a power file with a flowchart template for its category."""

from __future__ import annotations

from pathlib import Path

import typer

from powerlist.cli.app import app
from powerlist.cli.common import LangOption, choose_lang, fail, find_catalog, merge_catalog


@app.command("new")
def new(
    path: Path | None = typer.Argument(None, metavar="CATALOGUE", help="Catalogue folder (default: the "
                                       "catalogue the current folder is in, found walking up, or ./catalog)."),
    power_id: str = typer.Option(..., "--id", help="The new power's id, unique in the catalogue (e.g. SL-XK-002)."),
    name: str = typer.Option(..., "--name", help="Its official name (事项名称)."),
    category: str = typer.Option(..., "--category", help="One of the configured categories (e.g. 行政许可)."),
    body: str = typer.Option(..., "--body", help="Id of the responsible body in bodies.yaml."),
    catalog: Path | None = typer.Option(None, "--catalog", "-c", help="Same as CATALOGUE (the older spelling)."),
    law: list[str] | None = typer.Option(
        None, "--law", help="Basis: a laws.yaml id or an instrument title. Repeat for several."),
    article: list[str] | None = typer.Option(
        None, "--article", help="Article of the first --law (e.g. 第四十八条). Repeat for several."),
    config: Path | None = typer.Option(None, "--config", help="Configuration file (default: CATALOGUE/powerlist.toml)."),
    lang: str | None = LangOption,
) -> None:
    """Create powers/<body>/<id>.yaml with a flowchart template for its category: licences
    受理 → 审查 → 决定 → 送达 (with a 不予受理 branch), penalties 立案 → 调查取证 → 法制审核 → 告知 →
    决定 → 送达 → 执行, compulsory measures 审批 → 实施 → 处理/解除, a generic flow otherwise.

    Never overwrites a file or reuses an id. Exit status: 0 created; 2 bad option (unknown body or
    category, existing id or file).

    Example:

      powerlist new --id SL-XK-002 --name 取水许可延续 --category 行政许可 --body city-water
      --law 中华人民共和国水法 --article 第四十八条
    """
    from powerlist.api import known_codes
    from powerlist.config import ConfigError, load_settings
    from powerlist.i18n import tr
    from powerlist.scaffold import ScaffoldError, create

    language = choose_lang(lang)
    zh = language == "zh"
    root = find_catalog(merge_catalog(path, catalog))
    try:
        settings = load_settings(root, config, known_codes)
        path = create(root, settings, power_id, name, category, body, law or [], article or [])
    except ConfigError as exc:
        fail(str(exc))
    except ScaffoldError as exc:
        fail(tr(exc.message, language), tr(exc.hint, language) if exc.hint else None)
    typer.echo(f"{'已创建' if zh else 'created'} {path}")
    if not law:
        typer.secho("请补充设定依据（basis），否则检查会报告 B001" if zh else
                    "add the legal basis (basis:) before committing: `powerlist check` reports B001 until then",
                    fg="yellow", err=True)
    typer.echo(f"{'下一步' if zh else 'next'}: powerlist check {root}", err=True)

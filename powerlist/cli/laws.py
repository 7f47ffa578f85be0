"""``powerlist laws search TEXT`` and ``powerlist laws show TITLE``: the built-in law registry, and
how a catalogue's laws.yaml overrides it."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer

from powerlist.cli.app import app
from powerlist.cli.common import LangOption, choose_lang, fail, find_catalog

if TYPE_CHECKING:
    from powerlist.catalog import Catalog
    from powerlist.lawdb import RegistryLaw

laws_app = typer.Typer(
    help="Look up legal instruments in the built-in registry (national laws and regulations, seven provinces' "
         "local regulations) and in a catalogue's laws.yaml, which always wins.",
    no_args_is_help=True,
)
app.add_typer(laws_app, name="laws")

CatalogOption = typer.Option(None, "--catalog", "-c", help="Also look in this catalogue's laws.yaml (it wins over the registry).")

_PIPE_WIDTH = 1000  # wider than any title row, so that nothing is cut when the output is not a terminal
_HEAD = {
    "zh": ("标题", "层级", "施行日期", "已被替代", "来源"),
    "en": ("title", "level", "effective", "superseded", "source"),
}


def _province(value: str | None) -> str | None:
    if value is None:
        return None
    from powerlist.lawdb import PROVINCES

    for short, full in PROVINCES:
        if value in (short, full):
            return short
    fail(f"--province {value!r} is not a province-level division", "e.g. --province 浙江")


def _catalog_laws(root: Path) -> Catalog:
    """Only laws.yaml is read: a law lookup must not cost a full catalogue load."""
    from powerlist.api import settings_for
    from powerlist.catalog import discover, load_catalog
    from powerlist.config import ConfigError

    try:
        settings = settings_for(root)
    except ConfigError as exc:
        fail(str(exc))
    return load_catalog(root, settings, files=[f for f in discover(root) if f[1] == "laws"])


def _row(law: RegistryLaw) -> dict[str, Any]:
    return {"title": law.title, "level": law.level, "published": _iso(law.published),
            "effective": _iso(law.effective), "superseded": law.superseded, "source": law.source}


def _iso(d: Any) -> str | None:
    return d.isoformat() if d is not None else None


def _catalog_rows(cat: Catalog, words: list[str]) -> list[dict[str, Any]]:
    from powerlist.normalize import normalize_title

    out = []
    for e in cat.laws:
        law = e.law
        if all(w in normalize_title(law.title) or w == normalize_title(law.id) for w in words):
            out.append({"id": law.id, "title": law.title, "level": law.level, "published": None,
                        "effective": _iso(law.effective), "superseded": law.status != "in_force",
                        "status": law.status, "source": "catalog"})
    return out


def _print_table(rows: list[dict[str, Any]], lang: str, title: str) -> None:
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    table = Table(title=Text(title))
    for col in _HEAD["zh" if lang == "zh" else "en"]:
        table.add_column(col)
    yes = "是" if lang == "zh" else "yes"
    for r in rows:
        # Text cells: titles are data, never rich markup.
        table.add_row(*(Text(v) for v in (r["title"], r["level"], r["effective"] or "", yes if r["superseded"] else "",
                                          r["source"])))
    # Piped or redirected, rich would fold the table to 80 columns and cut titles: be as wide as needed.
    console = Console()
    if not console.is_terminal:
        console = Console(width=_PIPE_WIDTH)
    console.print(table)


@laws_app.command("search")
def search(
    text: list[str] = typer.Argument(..., help="Words that must all occur in the title, e.g. 水 条例."),
    limit: int = typer.Option(20, "--limit", "-n", min=1, help="At most this many registry results."),
    province: str | None = typer.Option(None, "--province", "-p", help="Only national instruments and this "
                                        "province's local regulations, e.g. 浙江."),
    catalog: Path | None = CatalogOption,
    as_json: bool = typer.Option(False, "--json", help="Machine-readable list."),
    lang: str | None = LangOption,
) -> None:
    """Find instruments by words of their title. Exit 0 when something matched, 1 when nothing did.

    Examples:

      powerlist laws search 水法

      powerlist laws search 水资源 条例 --province 浙江 --json
    """
    import orjson

    from powerlist import lawdb
    from powerlist.normalize import normalize_title

    language = choose_lang(lang)
    words = [normalize_title(w) for w in " ".join(text).split() if w.strip()]
    if not words:
        fail("give at least one word of the title")
    rows = _catalog_rows(_catalog_laws(find_catalog(catalog)), words) if catalog is not None else []
    shadowed = {normalize_title(r["title"]) for r in rows}
    rows += [_row(law) for law in lawdb.search(" ".join(words), limit, _province(province))
             if normalize_title(law.title) not in shadowed]
    if as_json:
        typer.echo(orjson.dumps(rows, option=orjson.OPT_INDENT_2).decode())
    elif rows:
        _print_table(rows, language, ("法律法规检索：" if language == "zh" else "Laws matching: ") + " ".join(text))
    else:
        typer.echo("没有找到" if language == "zh" else "nothing found", err=True)
    raise typer.Exit(0 if rows else 1)


@laws_app.command("show")
def show(
    title: str = typer.Argument(..., help="The title as cited (《》 and 中华人民共和国 optional), "
                                "or a laws.yaml id with --catalog."),
    catalog: Path | None = CatalogOption,
    as_json: bool = typer.Option(False, "--json", help="Machine-readable output."),
    lang: str | None = LangOption,
) -> None:
    """Show how a basis reference resolves: from laws.yaml (with --catalog) or the built-in registry,
    with every version the registry holds. Exit 1 when it resolves nowhere.

    Examples:

      powerlist laws show 中华人民共和国水法

      powerlist laws show water-law --catalog catalog/
    """
    import orjson

    from powerlist import lawdb
    from powerlist.normalize import normalize_title

    language = choose_lang(lang)
    zh = language == "zh"
    out: dict[str, Any] | None = None
    if catalog is not None:
        ref = _catalog_laws(find_catalog(catalog)).resolve_basis(title)
        if ref is not None:
            out = {"title": ref.title, "level": ref.level, "status": ref.status, "source": ref.source}
            if ref.entry is not None:
                law = ref.entry.law
                out.update(id=law.id, effective=_iso(law.effective), repealed_on=_iso(law.repealed_on),
                           replaced_by=law.replaced_by, issuer_level=law.issuer_level, path=ref.entry.path)
    if out is None:
        hit = lawdb.lookup(title)
        if hit is not None:
            out = _row(hit)
    if out is None:
        near = [law.title for law in lawdb.search(title, 5)]
        if as_json:
            typer.echo(orjson.dumps({"found": False, "query": title, "suggestions": near}).decode())
        else:
            typer.echo((f"找不到「{title}」" if zh else f"'{title}' was not found") +
                       ((("；相近的：" if zh else "; close: ") + "、".join(near)) if near else ""), err=True)
        raise typer.Exit(1)
    key = normalize_title(out["title"])
    out["versions"] = [_row(law) for law in lawdb.all_laws() if normalize_title(law.title) == key]
    if as_json:
        typer.echo(orjson.dumps({"found": True, **out}, option=orjson.OPT_INDENT_2).decode())
        return
    _print_show(out, zh)


def _print_show(out: dict[str, Any], zh: bool) -> None:
    from rich.console import Console
    from rich.markup import escape

    labels = {"title": ("标题", "title"), "id": ("编码", "id"), "level": ("层级", "level"),
              "status": ("状态", "status"), "published": ("公布日期", "published"), "effective": ("施行日期", "effective"),
              "repealed_on": ("废止日期", "repealed on"), "replaced_by": ("替代文件", "replaced by"),
              "issuer_level": ("制定机关层级", "issuer level"), "superseded": ("已被替代", "superseded"),
              "source": ("来源", "source"), "path": ("文件", "file")}
    console = Console(highlight=False)
    for key, (lzh, len_) in labels.items():
        value = out.get(key)
        if value is None or value == "":
            continue
        if isinstance(value, bool):
            value = ("是" if value else "否") if zh else ("yes" if value else "no")
        console.print(f"[bold]{lzh if zh else len_}[/]: {escape(str(value))}")
    if out["source"] == "catalog":
        console.print("laws.yaml 中的登记优先于内置法规库" if zh else "laws.yaml wins over the built-in registry")
    if out["versions"]:
        _print_table(out["versions"], "zh" if zh else "en", "内置法规库中的版本" if zh else "Versions in the built-in registry")

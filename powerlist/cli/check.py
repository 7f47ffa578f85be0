"""``powerlist check``: the main job."""

from __future__ import annotations

import gc
import io
import os
import sys
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

import typer

from powerlist.cli.app import app
from powerlist.cli.common import (
    CatalogAlias,
    LangOption,
    catalog_of_file,
    choose_lang,
    fail,
    find_catalog,
    output_file,
    split_codes,
    write_output,
)
from powerlist.i18n import T

if TYPE_CHECKING:
    from powerlist.baseline import Baseline
    from powerlist.changes import ChangeSet
    from powerlist.config import Settings
    from powerlist.diagnostics import Result

FORMATS = ("text", "json", "sarif", "github", "junit")


def _as_of(value: str | None) -> date | None:
    if value is None:
        return None
    try:
        return datetime.strptime(value, "%Y-%m-%d").date()
    except ValueError:
        fail(f"--as-of must be a date YYYY-MM-DD, not {value!r}")


STDIN_ARG = Path("-")
_MAX_STDIN = 64 << 20  # one power file; a stream past this is not one


def _given(paths: list[Path], alias: Path | None) -> list[Path]:
    """The positional paths, or the older --catalog spelling (an alias) of one catalogue."""
    if alias is None:
        return paths
    if paths and paths != [alias]:
        fail("give the catalogue once: positionally or with --catalog, not both")
    return [alias]


def _targets(given: list[Path]) -> tuple[Path, list[str]]:
    """The catalogue to check and the files (catalogue-relative) whose findings are shown (none:
    all). One folder, or any number of files of one catalogue; anything else is exit 2."""
    if not given:
        return find_catalog(None), []
    if STDIN_ARG in given:
        fail("- (a power read from standard input) is checked alone; give no other path with it")
    for p in given:
        if not p.exists():
            fail(f"{p}: no such file or folder")
    folders = [p for p in given if p.is_dir()]
    if folders:
        if len(given) > 1:
            fail("give one catalogue folder, or files inside one catalogue, not several folders or both",
                 "check each catalogue with its own run")
        return find_catalog(folders[0]), []
    roots: dict[Path, list[str]] = {}
    for p in given:
        root, rel = catalog_of_file(p)
        roots.setdefault(root, [])
        if rel not in roots[root]:
            roots[root].append(rel)
    if len(roots) > 1:
        # One report names files relative to one catalogue root (the JSON contract): no mixing.
        fail("the files belong to different catalogues: " + ", ".join(str(r) for r in roots),
             "check each catalogue's files with their own run")
    [(root, rels)] = roots.items()
    return root, rels


def _read_stdin() -> bytes:
    stream = getattr(sys.stdin, "buffer", None)
    if stream is None:
        fail("standard input cannot be read as bytes")
    data = stream.read(_MAX_STDIN + 1)
    if len(data) > _MAX_STDIN:
        fail(f"standard input holds more than {_MAX_STDIN >> 20} MiB: - reads one power file")
    return data


def _stdin_place(name: str | None) -> tuple[Path | None, str]:
    """Where the power read from stdin belongs: the catalogue of ``--stdin-filename`` (or of the
    current folder) and its path inside it; no catalogue: checked alone, under its name as given."""
    from powerlist.catalog.layout import find_root, is_catalog, kind_of
    from powerlist.report.base import STDIN

    if name is not None:
        full = Path(os.path.abspath(name))
        root = find_root(full.parent)
        if root is None:
            return None, Path(name).as_posix()
        rel = full.relative_to(root).as_posix()
        if kind_of(rel) != "power":
            fail(f"--stdin-filename {name}: - reads one power file, and this path is not one",
                 "a power file lies under powers/ and ends in .yaml")
        return root, rel
    cwd = Path.cwd()
    root = cwd if is_catalog(cwd) else find_root(cwd)
    if root is None and is_catalog(cwd / "catalog"):
        root = cwd / "catalog"
    return root, STDIN


@app.command()
def check(
    paths: list[Path] | None = typer.Argument(
        None, metavar="CATALOGUE | FILE... | -", help="Catalogue folder (holds bodies.yaml, laws.yaml, powers/), "
        "or files in one catalogue (the whole catalogue is checked; only findings that involve those files are "
        "shown), or - to check one power read from standard input. Default: the catalogue the current folder "
        "is in (walking up), or ./catalog."),
    fmt: str | None = typer.Option(None, "--format", "-f", help=f"Output format: {', '.join(FORMATS)}. "
                                   "Default text; github when GITHUB_ACTIONS=true."),
    select: list[str] | None = typer.Option(
        None, "--select", "-s", help="Only these codes or families (J001, J, P0). Comma-separated or repeated."),
    ignore: list[str] | None = typer.Option(None, "--ignore", "-i", help="Skip these codes or families."),
    strict: bool = typer.Option(False, "--strict", help="Warnings also fail the run (exit 1)."),
    config: Path | None = typer.Option(None, "--config", help="Configuration file (default: CATALOGUE/powerlist.toml)."),
    as_of: str | None = typer.Option(
        None, "--as-of", help="Take this date (YYYY-MM-DD) as today for waiver expiry; makes CI deterministic."),
    output: Path | None = typer.Option(None, "--output", "-o", "--out", help="Write the report to this file instead of "
                                       "stdout (its folder must exist)."),
    no_source: bool = typer.Option(False, "--no-source", help="Text format: do not show the offending lines."),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="Text format: print only the one-line verdict (counts of "
                               "errors and warnings), no findings, table or progress bar; the exit status tells the rest."),
    show_all: bool = typer.Option(False, "--show-all", help="Text format: list every finding (a code with more than "
                                  "5 findings is otherwise folded into one line with its count)."),
    cache_dir: Path | None = typer.Option(
        None, "--cache-dir", help="Cache folder (default: CATALOGUE/.powerlist_cache). Keyed by file content, "
        "powerlist version and configuration: never stale."),
    no_cache: bool = typer.Option(False, "--no-cache", help="Neither read nor write the cache."),
    workers: int | None = typer.Option(
        None, "--workers", "-j", min=1, help="Parsing processes (default: 1 for small catalogues, else the cores)."),
    changed_since: str | None = typer.Option(
        None, "--changed-since", metavar="REV", help="Report only findings on entries changed since this git "
        "revision (or involving them); every check still sees the whole catalogue. For pull-request checks."),
    baseline: Path | None = typer.Option(
        None, "--baseline", help="Findings recorded in this file (see --write-baseline) do not count; only new ones fail."),
    write_baseline: Path | None = typer.Option(
        None, "--write-baseline", help="Record today's findings in this file (for --baseline) and exit 0."),
    stdin_filename: str | None = typer.Option(
        None, "--stdin-filename", metavar="PATH", help="With -: the path the power read from standard input has "
        "(it replaces that file in its catalogue; shown in findings). Default: <stdin> in the catalogue of the "
        "current folder, or alone when there is none."),
    upper: list[Path] | None = typer.Option(
        None, "--upper", help="An upper-level list (a catalogue folder, or a file `powerlist import` reads) to check "
        "against (U checks). Repeatable; replaces [upper] catalogues of powerlist.toml."),
    lang: str | None = LangOption,
    catalog: Path | None = CatalogAlias,
) -> None:
    """Check a catalogue: schema, registries, legal basis, duplicates, jurisdiction, abolished items,
    process flowcharts and categories.

    Exit status: 0 no errors; 1 errors found (or warnings with --strict); 2 the run could not happen.

    Examples:

      powerlist check catalog/

      powerlist check catalog/ --format json --select J,D

      powerlist check catalog/ --ignore D003 --strict

      powerlist check catalog/ --changed-since origin/main --baseline .powerlist-baseline.json

      powerlist check catalog/powers/water/SL-XK-001.yaml catalog/powers/water/SL-XK-002.yaml

      cat SL-XK-001.yaml | powerlist check - --stdin-filename catalog/powers/water/SL-XK-001.yaml
    """
    from powerlist.api import check as run_check
    from powerlist.api import settings_for
    from powerlist.config import ConfigError

    language = choose_lang(lang)
    given = _given(paths or [], catalog)
    output_file(output)
    raw: bytes | None = None
    if given == [STDIN_ARG]:
        raw = _read_stdin()
        maybe_root, rel = _stdin_place(stdin_filename)
        only_files = [rel]
        root = maybe_root or Path.cwd()
    else:
        if stdin_filename is not None:
            fail("--stdin-filename goes with - (a power read from standard input)")
        root, only_files = _targets(given)
    if only_files and changed_since is not None:
        fail("files (or -) and --changed-since cannot be combined")
    chosen = fmt or ("github" if os.environ.get("GITHUB_ACTIONS") == "true" else "text")
    if chosen not in FORMATS:
        fail(f"unknown --format {chosen!r}", f"choose one of: {', '.join(FORMATS)}")
    from powerlist import replay

    # before the configuration is read: an edit while this run reads it must not be replayed
    config_sig = replay.config_signature(str(root), str(config) if config else None) if replay.pending else None
    try:
        settings = settings_for(root, config, split_codes(select), split_codes(ignore)).with_upper(upper)
    except ConfigError as exc:
        fail(str(exc))
    changes, known = _ci_inputs(root, settings, config, changed_since, baseline, write_baseline)
    if only_files:
        from powerlist.catalog.layout import kind_of
        from powerlist.changes import ChangeSet

        # Findings that involve the files (their own, and the other side of a cross-entry pair).
        changes = ChangeSet(rev=" ".join(only_files), commit="", changed=frozenset(only_files),
                            registry_before={f: None for f in only_files if raw is None and kind_of(f) != "power"})
    from powerlist.catalog.cache import CACHE_DIRNAME
    from powerlist.cli.progress import progress_reporter

    if raw is not None:
        from powerlist.api import check_text

        checked = check_text(maybe_root, settings, only_files[0], raw, _as_of(as_of))
    else:
        with progress_reporter(enabled=not quiet and chosen == "text" and output is None) as progress:
            try:
                checked = run_check(
                    root, settings, as_of=_as_of(as_of),
                    cache_dir=None if no_cache else (cache_dir or root / CACHE_DIRNAME),
                    workers=workers, progress=progress,
                )
            except ConfigError as exc:  # an unusable upper list (--upper / [upper] catalogues)
                fail(str(exc))
    # One check per process: what it built lives until exit, so the collections the reporters'
    # allocations trigger need never walk it (measured at 100,000 powers: a full collection of
    # 6.6 s while rendering the JSON). cli.main leaves it frozen on the way out too.
    gc.freeze()
    result = checked.result
    if changes is not None:
        from powerlist.changes import only_changed

        result = only_changed(result, changes, lambda: checked.catalog)
    if write_baseline is not None:
        _write_baseline(write_baseline, result)
    if known is not None:
        from powerlist.baseline import apply

        result, stale = apply(result, known)
        if stale and changes is None and not select and not ignore:
            typer.echo("powerlist: " + T(
                f"基线 {baseline} 中有 {stale} 个问题已不再出现；请用 --write-baseline {baseline} 更新基线",
                f"{stale} finding(s) recorded in {baseline} no longer occur; "
                f"shrink it with --write-baseline {baseline}").get(), err=True)
    printed = _emit(result, chosen, root, language, strict, output, no_source, quiet, show_all,
                    sources={only_files[0]: raw.decode("utf-8-sig", "replace")} if raw is not None else None,
                    keep=replay.pending is not None)
    for code, tb in result.crashed:
        typer.secho(f"powerlist: internal error in check {code} (please report it):\n{tb}", fg="red", err=True)
    if printed is not None and not result.crashed and changes is None and known is None and raw is None:
        replay.offer(checked.proof, config_sig, str(cache_dir or root / CACHE_DIRNAME), printed,
                     result.exit_code(strict))
    raise typer.Exit(result.exit_code(strict))


def _ci_inputs(
    root: Path, settings: Settings, config: Path | None, changed_since: str | None, baseline: Path | None,
    write_baseline: Path | None,
) -> tuple[ChangeSet | None, Baseline | None]:
    """Read what --changed-since and --baseline need before the (long) check, so that a bad
    revision or a broken baseline file stops the run at once (exit 2)."""
    if baseline is not None and write_baseline is not None:
        fail("--baseline and --write-baseline cannot be combined",
             "record the findings with --write-baseline first, then check with --baseline")
    changes: ChangeSet | None = None
    known: Baseline | None = None
    if changed_since is not None:
        from powerlist.changes import changes_since
        from powerlist.gitutil import GitError

        try:
            changes = changes_since(changed_since, root, settings.limits, config)
        except GitError as exc:
            fail(f"--changed-since: {exc}")
    if baseline is not None:
        from powerlist.baseline import BaselineError, load

        try:
            known = load(baseline)
        except BaselineError as exc:
            fail(str(exc))
    return changes, known


def _write_baseline(path: Path, result: Result) -> NoReturn:
    from powerlist.baseline import BaselineError, write

    try:
        written = write(path, result)
    except BaselineError as exc:
        fail(str(exc))
    typer.echo("powerlist: " + T(f"已将 {written.total} 个问题记入 {path}；之后用 --baseline {path} 检查",
                                 f"recorded {written.total} finding(s) in {path}; check with --baseline {path}").get(),
               err=True)
    raise typer.Exit(2 if result.crashed else 0)


def _names_from(root: Path, chosen: str) -> dict[str, str]:
    """Text names files from the current folder (clickable, as ruff does); the machine formats keep
    their contracts (JSON catalogue-relative, github and SARIF workspace-relative)."""
    from powerlist.report.base import cwd_view

    if chosen != "text":
        return {}
    prefix, within = cwd_view(root, Path.cwd())
    return {"prefix": prefix, "within": within}


def _emit(result, chosen, root, language, strict, output, no_source, quiet, show_all=False,  # type: ignore[no-untyped-def]
          sources=None, keep=False) -> str | None:
    """Print (or write) the report. ``keep``: return what went to stdout, for the replay (stdout
    is then no terminal, so a console on a buffer renders the very same characters)."""
    from powerlist.report import RenderOptions, get_renderer
    opts = RenderOptions(root=root, lang=language, show_source=not no_source, strict=strict,
                         extra={"show_all": show_all, "sources": sources or {}},
                         **_names_from(root, chosen))
    if chosen == "text":
        from rich.console import Console  # only text needs it: a cached JSON run starts without rich

        from powerlist.report.text import print_text

        if output is not None:
            buf = io.StringIO()  # rendered first, so that an unwritable file fails as one message
            print_text(result, opts, Console(file=buf, no_color=True, width=120, soft_wrap=True))
            write_output(output, buf.getvalue())
            return None
        kept = _StdoutLike() if keep else None
        console = Console(file=kept, highlight=False, soft_wrap=True)
        if quiet:
            from powerlist.report.text import print_summary

            print_summary(result, opts, console, brief=True)
        else:
            print_text(result, opts, console)
        if kept is None:
            return None
        sys.stdout.write(kept.getvalue())
        sys.stdout.flush()
        return kept.getvalue()
    text = get_renderer(chosen)(result, opts)
    if output is not None:
        write_output(output, text)
        return None
    typer.echo(text, nl=False)
    return text


class _StdoutLike(io.StringIO):
    """A buffer a rich console treats as it would treat stdout (not a terminal): same encoding."""

    @property
    def encoding(self) -> str:  # type: ignore[override]
        return sys.stdout.encoding

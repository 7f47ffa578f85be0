"""Library entry points the CLI (and other programs) call: load -> model -> index -> checks."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from powerlist.catalog.layout import discover
from powerlist.checked import Checked
from powerlist.config import ConfigError, Settings, load_settings

# The catalogue, models and engine are imported inside the functions that need them: a result
# served whole from the cache needs none of them (start-up time of a warm run).

if TYPE_CHECKING:
    from powerlist.audit import AuditReport
    from powerlist.catalog import Catalog
    from powerlist.catalog.cache import Cache
    from powerlist.export import Exported
    from powerlist.i18n import Lang
    from powerlist.upper.index import UpperIndex

def known_codes() -> list[str]:
    """Every code a configuration or the command line may name (imports every check: call it only
    when something names codes)."""
    from powerlist.checks import all_checks

    return list(all_checks())


def settings_for(
    root: Path, config: Path | None = None, select: list[str] | None = None, ignore: list[str] | None = None
) -> Settings:
    """Configuration from powerlist.toml (or --config) with command-line selection applied."""
    settings = load_settings(root, config, known_codes)
    patterns = [*(select or []), *(ignore or [])]
    if patterns:
        from powerlist.checks import unknown_patterns  # imports every check: only when needed

        bad = unknown_patterns(patterns)
    else:
        bad = []
    if bad:
        raise ConfigError(f"--select/--ignore name no known code: {', '.join(bad)} (see `powerlist rules`)")
    return settings.with_cli(select, ignore)


Progress = Callable[[str, int, int], None]  # (phase, done, total)


def _load(root: Path, settings: Settings) -> Catalog:
    """The catalogue behind a result served whole from the cache, loaded when someone asks."""
    from powerlist.catalog import load_catalog

    return load_catalog(root, settings)


def check(
    root: Path,
    settings: Settings,
    as_of: date | None = None,
    *,
    cache_dir: Path | None = None,
    workers: int | None = None,
    progress: Progress | None = None,
) -> Checked:
    """Load, validate and check the catalogue at ``root``.

    ``cache_dir`` turns on the content-hash cache (see cache.py); ``workers`` sets the number of
    parsing processes (default: by catalogue size). Results are identical either way.
    """
    today = as_of or date.today()
    if cache_dir is not None:
        return _check_cached(root, settings, today, cache_dir, workers, progress)
    files = discover(root)
    # first: a broken upper list stops the run before the long check
    return _load_and_run(root, settings, today, files, None, workers, progress, upper_index(root, settings))


def upper_index(root: Path, settings: Settings, digest: str | None = None) -> UpperIndex | None:
    """The upper lists of ``[upper] catalogues`` / ``--upper``, indexed (None when there are none).
    Raises :class:`~powerlist.upper.load.UpperError` (a ConfigError: exit 2) when one is unusable."""
    if not settings.upper:
        return None
    from powerlist.upper.fromimport import catalog_from_file
    from powerlist.upper.load import load_upper

    return load_upper(root, settings.upper, known_codes, catalog_from_file, digest)


def export(root: Path, out: Path, formats: str | Sequence[str] | None = None, *,
           settings: Settings | None = None, allow_errors: bool = False, as_of: date | None = None) -> Exported:
    """Check the catalogue at ``root`` and publish it into ``out`` (see :mod:`powerlist.export`).

    Raises :class:`~powerlist.export.ExportBlocked` when errors are left (and ``allow_errors`` is
    false), and :class:`~powerlist.export.ExportError` when ``out`` is unsafe (inside the
    catalogue, a file, a folder that is not an earlier export). In both cases nothing is written.
    """
    from powerlist.export import check_target, export_catalog, parse_formats

    parse_formats(formats)  # a typo fails before the (slow) check
    check_target(out, root)
    checked = check(root, settings or settings_for(root), as_of=as_of)
    return export_catalog(checked, out, formats, allow_errors=allow_errors)


def audit(root: Path, settings: Settings, lang: Lang, as_of: date | None = None) -> AuditReport:
    """Run the checks and arrange the result as the legal office's audit report (see :mod:`powerlist.audit`)."""
    from powerlist.audit import build_report

    today = as_of or date.today()
    return build_report(check(root, settings, as_of=today), lang, root.resolve().name, today)


def _load_and_run(
    root: Path, settings: Settings, today: date, files: list[tuple[str, str]], cache: Cache | None,
    workers: int | None, progress: Progress | None, upper: UpperIndex | None = None,
) -> Checked:
    """Load through the one pipeline (parses from ``cache`` when given), then run the checks with
    the catalogue frozen out of the collector's way (see catalog/gcpause.py)."""
    from functools import partial

    from powerlist.catalog import load_catalog
    from powerlist.catalog.gcpause import built_then_frozen
    from powerlist.engine import prejudge, run

    def parsed(done: int, total: int) -> None:
        assert progress is not None
        progress("parse", done, total)

    # The parsing workers, if any, judge the per-entry checks too (engine.prejudge).
    judge = partial(prejudge, settings, today, tuple((rel, kind) for rel, kind in files if kind != "power"))

    def load() -> Catalog:
        cat = load_catalog(root, settings, cache=cache, workers=workers, files=files,
                           progress=parsed if progress is not None else None, judge=judge)
        cat.upper = upper  # the U checks read it; None: they yield nothing
        return cat

    with built_then_frozen(load) as cat:
        result = run(cat, as_of=today)
    return Checked(cat, result)


def _check_cached(
    root: Path, settings: Settings, today: date, cache_dir: Path, workers: int | None, progress: Progress | None,
) -> Checked:
    """A result served whole when the cache proves it current (its catalogue, and the upper lists,
    are loaded only on demand); otherwise a check whose unchanged files' parses come from the cache."""
    from powerlist.catalog.cache import Cache

    digest = None
    if settings.upper:
        from powerlist.upper.load import upper_digest

        digest = upper_digest(root, settings.upper)  # an edited upper list changes the findings too
    cache = Cache.open(cache_dir)  # first: it may create its folder inside the catalogue
    files = discover(root)
    cache.survey(root, files)
    settings_fp, day = settings.fingerprint(), today.isoformat()
    if digest is not None:
        settings_fp += f"|upper:{digest}"
    hit = cache.current_result(root, settings_fp, day)
    if hit is not None:
        checked = Checked(None, hit, loader=lambda: _load(root, settings))
    else:
        from powerlist.incremental import rerun  # not before: a result served whole needs no engine

        edited = rerun(root, settings, today, files, cache)  # only the edited files judged, if provably enough
        if edited is not None:
            checked = Checked(None, edited, loader=lambda: _load(root, settings))
            checked.incremental = True
        else:
            upper = upper_index(root, settings, digest)  # a broken upper list stops the run before the long check
            checked = _load_and_run(root, settings, today, files, cache, workers, progress, upper)
            cache.save_result(settings_fp, day, checked.result)
    # What the run read, proven by stat signatures, for a replay of its output (replay.py); the
    # upper lists' files are not among them, so a run with upper lists is never replayed.
    if not settings.upper:
        checked.prover = lambda: cache.proof(root, files)
    return checked


def check_text(root: Path | None, settings: Settings, rel: str, raw: bytes, as_of: date | None = None) -> Checked:
    """Check one power given as bytes (``powerlist check -``: an editor's unsaved buffer) at path
    ``rel`` of the catalogue at ``root``: it takes the place of the file at ``rel`` if there is one,
    and every cross-entry check sees it among the catalogue's other files. ``root`` None: the power
    alone, with no registries (standalone). Never cached: the bytes are not on disk."""
    from dataclasses import replace

    from powerlist.catalog import load_catalog
    from powerlist.catalog.build import load_file
    from powerlist.catalog.layout import Discovered
    from powerlist.catalog.parse import parse_bytes
    from powerlist.engine import run

    found = discover(root) if root is not None else Discovered()
    files = Discovered([(r, k) for r, k in found if r != rel], found.refused)
    cat = load_catalog(root or Path("."), settings, files=files)
    parsed = parse_bytes(raw, settings.limits)
    sf, entries = load_file(rel, "power", parsed)  # no root: the source is kept, never re-read from disk
    named = rel.endswith((".yaml", ".yml"))
    if not named and len(entries) == 1 and entries[0].id is not None and len(files) == len(found):
        # A buffer with no file name stands for the catalogue's power with its id (else that power
        # would be reported as its own duplicate).
        same = {e.path for e in cat.powers if e.id == entries[0].id}
        cat = replace(cat, files=[f for f in cat.files if f.path not in same],
                      powers=[e for e in cat.powers if e.path not in same])
    valid = [e for e in entries if e.model is not None]
    cat = replace(cat, files=[*cat.files, sf], powers=[*cat.powers, *valid],
                  broken=[*cat.broken, *(e for e in entries if e.model is None)])
    result = run(cat, as_of=as_of or date.today())
    if not named:  # S016 compares a file's name with its id: a stream has no name
        result = replace(result, diagnostics=[d for d in result.diagnostics if not (d.path == rel and d.code == "S016")])
    return Checked(cat, result)

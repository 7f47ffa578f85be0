"""Library entry points the CLI (and other programs) call: load -> model -> index -> checks."""

from __future__ import annotations

import os
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from powerlist.config import ConfigError, Settings, load_settings
from powerlist.diagnostics import Result
from powerlist.layout import discover, read_inside

# The catalogue, models and engine are imported inside the functions that need them: a result
# served whole from the cache needs none of them (start-up time of a warm run).

if TYPE_CHECKING:
    from powerlist.cache import Cache
    from powerlist.catalog import Catalog, Parser
    from powerlist.parallel import FileResult


class Checked:
    """A result and the catalogue it came from. When the result came whole from the cache the
    catalogue is loaded only if someone asks for it."""

    def __init__(self, catalog: Catalog | None, result: Result, loader: Callable[[], Catalog] | None = None) -> None:
        self._catalog = catalog
        self._loader = loader
        self.result = result
        self.from_cache = catalog is None

    @property
    def catalog(self) -> Catalog:
        if self._catalog is None:
            assert self._loader is not None
            self._catalog = self._loader()
        return self._catalog


def settings_for(
    root: Path, config: Path | None = None, select: list[str] | None = None, ignore: list[str] | None = None
) -> Settings:
    """Configuration from powerlist.toml (or --config) with command-line selection applied."""
    settings = load_settings(root, config)
    patterns = [*(select or []), *(ignore or [])]
    if patterns:
        from powerlist.registry import unknown_patterns  # imports every check: only when needed

        bad = unknown_patterns(patterns)
    else:
        bad = []
    if bad:
        raise ConfigError(f"--select/--ignore name no known code: {', '.join(bad)} (see `powerlist rules`)")
    return settings.with_cli(select, ignore)


Progress = Callable[[str, int, int], None]  # (phase, done, total)
PARSE_CACHE_MAX_FILES = 50_000


def _load(root: Path, settings: Settings) -> Catalog:
    from powerlist.catalog import load_catalog

    return load_catalog(root, settings)


def check(
    root: Path,
    settings: Settings,
    as_of: date | None = None,
    parse: Parser | None = None,
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
    files = discover(root)
    if cache_dir is not None and parse is None:
        return _check_cached(root, settings, today, files, cache_dir, workers, progress)
    from powerlist.catalog import load_catalog
    from powerlist.engine import run

    cat = load_catalog(root, settings, parse=parse, workers=workers, files=files,
                       progress=_counter(progress, "parse", len(files)))
    return Checked(cat, run(cat, as_of=today))


def _counter(progress: Progress | None, phase: str, total: int) -> Callable[[int], None] | None:
    if progress is None:
        return None
    state = [0]

    def step(n: int) -> None:
        state[0] += n
        progress(phase, state[0], total)

    return step


def _check_cached(
    root: Path, settings: Settings, today: date, files: list[tuple[str, str]], cache_dir: Path,
    workers: int | None, progress: Progress | None,
) -> Checked:
    from powerlist.cache import Cache, content_hash, result_key

    cache = Cache.open(cache_dir)
    stats: dict[str, os.stat_result] = {}
    digests: dict[str, str] = {}
    unknown: list[str] = []
    for rel, _ in files:
        try:
            st = os.stat(root / rel)
        except OSError:
            unknown.append(rel)
            continue
        stats[rel] = st
        known = cache.known_digest(rel, st)
        if known is None:
            unknown.append(rel)
        else:
            digests[rel] = known
    # Refused paths (layout.Refused) are never read, but a new one must change the result key.
    digests.update({f"refused:{r.rel}": r.code for r in getattr(files, "refused", ())})
    if cache.result is not None:
        # Worth hashing the files whose signature changed: the result may still be valid.
        for rel in unknown:
            try:
                digests[rel] = content_hash(read_inside(root, rel))  # never blocks on a FIFO swapped in
            except OSError:
                digests[rel] = ""
        key = result_key(digests, settings.fingerprint(), today.isoformat())
        if key == cache.result_key:
            cache.save(stats, digests, key, cache.result)  # refresh signatures of touched files
            return Checked(None, cache.result, loader=lambda: _load(root, settings))
    from powerlist.catalog import bulk_allocation
    from powerlist.engine import run

    kinds = dict(files)
    with bulk_allocation():
        cat = _load_cached(root, settings, files, kinds, cache, digests, workers, progress)
    result = run(cat, as_of=today)
    cache.save(stats, digests, result_key(digests, settings.fingerprint(), today.isoformat()), result)
    return Checked(cat, result)


def _load_cached(
    root: Path, settings: Settings, files: list[tuple[str, str]], kinds: dict[str, str], cache: Cache,
    digests: dict[str, str], workers: int | None, progress: Progress | None,
) -> Catalog:
    """Files the cache holds come from it; the others are parsed and added to it.

    Above PARSE_CACHE_MAX_FILES the parse layer is skipped (the result layer still applies):
    measured at 100,000 powers, loading every file's parse back from the cache was only 3 %
    faster than parsing with two workers, and holding them pushed peak memory past 2.5 GB."""
    from powerlist.catalog import assemble, load_file
    from powerlist.parallel import iter_parse

    use_parses = len(files) <= PARSE_CACHE_MAX_FILES

    loaded = {}
    todo: list[str] = []
    for rel, _ in files:
        blob = cache.parsed.get(digests.get(rel, "")) if use_parses else None
        r = _cached_parse(blob)
        if r is None:
            todo.append(rel)
        else:
            loaded[rel] = load_file(rel, kinds[rel], r.parsed, root, settings.limits)
    done = _counter(progress, "parse", len(todo))
    for r in iter_parse(root, todo, settings.limits, workers, done):
        digests[r.rel] = r.digest
        if use_parses:
            cache.store_parsed(r.digest, r.cache_blob())
        loaded[r.rel] = load_file(r.rel, kinds[r.rel], r.parsed, root, settings.limits)
    return assemble(root, settings, files, loaded)


def _cached_parse(blob: bytes | None) -> FileResult | None:
    """A file's parse from the cache; None (parse it again) when the blob is not one we write."""
    from powerlist.parallel import from_blob

    if blob is None:
        return None
    try:
        return from_blob(blob)
    except ValueError:  # CacheFormatError, bad JSON or base64: rebuilt, never shown to the user
        return None

"""Folder -> :class:`Catalog`: the one load pipeline.

:func:`load_catalog` discovers the files (unless given them), takes each file's parse from the
cache or parses it (in worker processes for large catalogues), validates it into entries as it
arrives, and puts the entries together in discovery order. Every caller loads through it: the
check, the lazy catalogue behind a cached result, ``laws`` and ``new`` (a subset of files).
"""

from __future__ import annotations

from collections.abc import Callable
from sys import intern
from pathlib import Path
from typing import TYPE_CHECKING, Any

from powerlist.catalog.gcpause import collector_off
from powerlist.catalog.layout import REGISTRY_FILES, discover
from powerlist.catalog.model import Catalog, Entry
from powerlist.catalog.parallel import FileResult, Judge, from_blob, iter_parse
from powerlist.catalog.parse import LoadProblem, Parsed
from powerlist.catalog.projection import projection, raw_projection
from powerlist.catalog.source import SourceFile
from powerlist.catalog.validate import S_TYPE, validate
from powerlist.config import Settings
from powerlist.i18n import T
from powerlist.limits import Limits
from powerlist.models import REGISTRY_MODELS, Power

if TYPE_CHECKING:
    from powerlist.catalog.cache import Cache

_KIND_OF = {"bodies": "body", "laws": "law", "decisions": "decision"}


def load_catalog(
    root: Path, settings: Settings, *, cache: Cache | None = None, workers: int | None = None,
    files: list[tuple[str, str]] | None = None, progress: Callable[[int, int], None] | None = None,
    judge: Judge | None = None,
) -> Catalog:
    """Discover (unless ``files`` is given), parse and validate the catalogue at ``root``.

    ``cache`` (surveyed with :meth:`Cache.survey` over the same files) supplies the parses it
    holds and receives the others; ``workers`` sets the number of parsing processes (default: by
    catalogue size); ``progress(done, total)`` follows the files being parsed (those the cache
    does not hold); ``judge`` runs in the parsing workers, if any, on each chunk they parse, its
    answers kept in :attr:`Catalog.prejudged`. The cyclic collector is off while loading (see gcpause)."""
    files = discover(root) if files is None else files
    kinds = dict(files)
    limits = settings.limits
    loaded: dict[str, tuple[SourceFile, list[Entry]]] = {}
    digests: dict[str, str] = {}
    prejudged: dict[str, object] = {}
    with collector_off():
        todo: list[str] = []
        for rel, kind in files:
            cached = _cached_parse(cache.parse_blob(rel)) if cache is not None else None
            if cached is None:
                todo.append(rel)
            else:
                digests[rel] = cached.digest
                loaded[rel] = load_file(rel, kind, cached.parsed, root, limits, project=True)
        # Validate each file as its chunk arrives: the main process works while the workers parse.
        for r in iter_parse(root, todo, limits, workers, _counter(progress, len(todo)), judge):
            digests[r.rel] = r.digest
            if r.judged is not None:
                prejudged[r.rel] = r.judged
            if cache is not None:
                cache.digests[r.rel] = r.digest
                if cache.parse_layer:
                    cache.store_parsed(r.digest, r.cache_blob())
            loaded[r.rel] = load_file(r.rel, kinds[r.rel], r.parsed, root, limits, project=cache is not None)
        cat = assemble(root, settings, files, loaded)
        cat.digests, cat.prejudged = digests, prejudged
        cat.cache = cache  # the engine re-runs per-entry checks only on files the cache does not hold
        return cat


def _counter(progress: Callable[[int, int], None] | None, total: int) -> Callable[[int], None] | None:
    if progress is None:
        return None
    done = 0

    def step(n: int) -> None:
        nonlocal done
        done += n
        progress(done, total)

    return step


def _cached_parse(blob: bytes | None) -> FileResult | None:
    """A file's parse from the cache; None (parse it again) when the blob is not one we write."""
    if blob is None:
        return None
    try:
        return from_blob(blob)
    except ValueError:  # CacheFormatError, bad JSON or base64: rebuilt, never shown to the user
        return None


def load_file(
    rel: str, kind: str, parsed: Parsed, root: Path | None = None, limits: Limits | None = None,
    project: bool = False, share: bool = True,
) -> tuple[SourceFile, list[Entry]]:
    """Validate one parsed file into its entries (a power file holds one; a registry, a list).

    With ``root`` given, a valid power file's raw data is released after validation (see
    :class:`SourceFile`). ``project``: note a power file's projection (projection.py) first, for
    the cache. ``share``: intern its strings (for a catalogue that is kept; a worker's is not)."""
    sf = SourceFile(rel, kind, parsed.data, parsed.positions, list(parsed.problems), root, limits, parsed.top)
    if kind == "power":
        if parsed.data is None:
            return sf, []
        e = _power_entry(sf, share)
        if project:
            sf.projection = projection(raw_projection(parsed.data), e.model if isinstance(e.model, Power) else None)
        if e.model is not None and root is not None:
            sf.release()
            e.raw = None
        return sf, [e]
    return sf, _registry_entries(sf)


def _shared(node: Any) -> None:
    """Replace every string value below ``node`` by the one interned copy of it: the models keep
    these strings, and across a catalogue most repeat (step names, actors, categories, bodies, law
    titles). Measured at 25,000 powers (--no-cache): peak 478 MB -> 345 MB, and no slower."""
    todo = [node]  # a stack, not recursion: a call per mapping cost more than the interning
    while todo:
        item = todo.pop()
        pairs = item.items() if type(item) is dict else enumerate(item)
        for k, v in pairs:
            cls = type(v)
            if cls is str:
                item[k] = intern(v)
            elif cls is dict or cls is list:
                todo.append(v)


def _power_entry(sf: SourceFile, share: bool = True) -> Entry:
    data = sf.data
    if share:
        _shared(data)
    ident = data.get("id") if isinstance(data, dict) and isinstance(data.get("id"), str) else None
    model, problems = validate(Power, data, sf.positions) if data is not None else (None, [])
    sf.problems.extend(problems)
    return Entry("power", ident, sf, (), data, model)


def _registry_entries(sf: SourceFile) -> list[Entry]:
    model_cls = REGISTRY_MODELS[sf.kind]
    kind = _KIND_OF[sf.kind]
    data = sf.data
    if data is None:
        return []
    if not isinstance(data, list):
        line, col = sf.locate(())
        sf.problems.append(LoadProblem(S_TYPE, line, col, T(
            f"{sf.path} 应为列表（每项以 - 开头）", f"{sf.path} must be a list (one '- ' item per {kind})"), key=()))
        return []
    out: list[Entry] = []
    for i, item in enumerate(data):
        ident = item.get("id") if isinstance(item, dict) and isinstance(item.get("id"), str) else None
        model, problems = validate(model_cls, item, sf.positions, prefix=(i,), root=data)
        sf.problems.extend(problems)
        out.append(Entry(kind, ident, sf, (i,), item, model))
    return out


def assemble(
    root: Path, settings: Settings, files: list[tuple[str, str]], loaded: dict[str, tuple[SourceFile, list[Entry]]]
) -> Catalog:
    """Put validated files together in discovery order, so results never depend on the order in
    which workers finished."""
    sources: list[SourceFile] = []
    powers: list[Entry] = []
    broken: list[Entry] = []
    regs: dict[str, list[Entry]] = {k: [] for k in REGISTRY_FILES}
    for rel, kind in files:
        sf, entries = loaded[rel]
        sources.append(sf)
        for e in entries:
            if e.model is None:
                broken.append(e)
            elif kind == "power":
                powers.append(e)
            else:
                regs[kind].append(e)
    # Refused paths (links out of the catalogue, FIFOs, hidden files …) come last, never read.
    sources.extend(SourceFile.from_refused(r) for r in getattr(files, "refused", ()))
    return Catalog(root, settings, sources, powers, regs["bodies"], regs["laws"], regs["decisions"], broken)

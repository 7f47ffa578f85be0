"""The catalogue in memory: entries, registries and the indexes cross-entry checks use, built once.

Layout (catalog-format.md): ``bodies.yaml``, ``laws.yaml``, ``decisions.yaml`` (lists) and one
power per file anywhere under ``powers/``.
"""

from __future__ import annotations

import gc
from array import array
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from functools import cached_property, lru_cache
from pathlib import Path
from typing import Any, TypeVar

from powerlist.config import Settings
from powerlist.i18n import T
from powerlist.layout import REGISTRY_FILES, Refused, discover
from powerlist.loader import Limits, LoadProblem, Parsed, locate, read_and_parse
from powerlist.models import REGISTRY_MODELS, Body, CancelItem, Decision, DelegateItem, Law, Model, Power
from powerlist.normalize import normalize_name, normalize_title
from powerlist.validate import S_TYPE, validate

_KEY_ORDERS: dict[tuple[str, ...], tuple[str, ...]] = {}


@lru_cache(maxsize=64)
def _reparse(path: str, limits: Limits) -> Parsed:
    """Re-read a released file; the few files with several findings are parsed once."""
    return read_and_parse(path, limits)


class SourceFile:
    """One file as loaded: its data and the positions needed to locate any key in it.

    A valid power file releases its raw data once validated (the model holds everything the
    checks need): at 100,000 powers that saves about half the memory. It keeps the positions of
    its top-level keys, where most findings point; a deeper key is located by parsing that one
    file again.
    """

    __slots__ = ("_data", "_keys", "_positions", "_top", "kind", "limits", "ok", "path", "problems", "refused", "root")

    def __init__(
        self, path: str, kind: str, data: Any, positions: array, problems: list[LoadProblem] | None = None,
        root: Path | None = None, limits: Limits | None = None, top: array | None = None,
    ) -> None:
        self.path = path  # relative to the catalogue root, POSIX separators
        self.kind = kind  # "power" or a registry name
        self.ok = data is not None  # the file parsed into a document
        self._data = data
        self._positions: array | None = positions
        self.problems = problems if problems is not None else []
        self.root = root
        self.limits = limits
        self._keys: tuple[str, ...] = ()
        self._top = top  # pair index per top-level key, until released; then (line, col) * 4 per key
        self.refused = False  # found but never opened (layout.Refused): nobody may read it, export included

    @classmethod
    def from_refused(cls, r: Refused) -> SourceFile:
        """A path discovery refused to open, carrying its one finding at line 1, column 1."""
        sf = cls(r.rel, r.kind, None, array("I"), [LoadProblem(r.code, 1, 1, r.message)])
        sf.refused = True
        return sf

    def release(self) -> None:
        """Drop the raw data, keeping root and top-level key positions (line, col of key and value)."""
        if self.root is None or not isinstance(self._data, dict) or self._top is None or self._positions is None:
            return
        keys = tuple(self._data)
        if len(keys) != len(self._top):
            return
        pos = self._positions
        kept = array("I", pos[0:2])
        for pair in self._top:
            kept.extend(pos[2 * pair: 2 * pair + 4])
        self._keys = _KEY_ORDERS.setdefault(keys, keys)  # most files share a key order
        self._top = kept
        self._data = None
        self._positions = None

    def _parsed(self) -> Parsed:
        assert self.root is not None
        return _reparse(str(self.root / self.path), self.limits or Limits())

    @property
    def data(self) -> Any:
        if self._data is None and self.ok and self.root is not None:
            return self._parsed().data
        return self._data

    @property
    def positions(self) -> array:
        if self._positions is None:
            return self._parsed().positions
        return self._positions

    def locate(self, key: tuple[str | int, ...], at: str = "value") -> tuple[int, int]:
        if self._data is None and self._keys and len(key) <= 1:
            top = self._top
            assert top is not None
            if not key or key[0] not in self._keys:
                return top[0], top[1]  # the document itself, as locate() does for a missing key
            i = 2 + 4 * self._keys.index(key[0]) + (0 if at == "key" else 2)
            return top[i], top[i + 1]
        return locate(self.data, self.positions, key, at=at)


@dataclass(frozen=True, slots=True)
class LawRef:
    """A resolved basis instrument, from laws.yaml (``entry`` set) or the built-in registry."""

    title: str
    level: str
    status: str  # in_force | amended | repealed
    source: str  # "catalog", "national", or a province name
    entry: Entry | None


@dataclass(eq=False, slots=True)
class Entry:
    """One power, body, law or decision. ``prefix`` is its place inside the file (registries)."""

    kind: str  # power | body | law | decision
    id: str | None
    file: SourceFile
    prefix: tuple[str | int, ...]
    raw: Any  # the entry's own data; None once a valid power file released it (see SourceFile)
    model: Model | None

    @property
    def data(self) -> Any:
        """The entry's data as loaded (re-read from disk for a released power file)."""
        return self.raw if self.raw is not None or self.prefix else self.file.data

    def has_key(self, key: str) -> bool:
        """Whether the entry's file wrote ``key`` (without re-reading a released file)."""
        if self.model is not None:
            return key in self.model.model_fields_set
        return isinstance(self.data, dict) and key in self.data

    @property
    def path(self) -> str:
        return self.file.path

    def locate(self, key: tuple[str | int, ...] = (), at: str = "value") -> tuple[int, int]:
        return self.file.locate(self.prefix + key, at=at)

    # Typed views for checks (entries in Catalog.powers etc. always have a model).
    @property
    def power(self) -> Power:
        assert isinstance(self.model, Power)
        return self.model

    @property
    def body(self) -> Body:
        assert isinstance(self.model, Body)
        return self.model

    @property
    def law(self) -> Law:
        assert isinstance(self.model, Law)
        return self.model

    @property
    def decision(self) -> Decision:
        assert isinstance(self.model, Decision)
        return self.model

    @property
    def label(self) -> str:
        return self.id or self.path


_KIND_OF = {"bodies": "body", "laws": "law", "decisions": "decision"}


@dataclass
class Catalog:
    root: Path
    settings: Settings
    files: list[SourceFile]
    powers: list[Entry]
    bodies: list[Entry]
    laws: list[Entry]
    decisions: list[Entry]
    broken: list[Entry]  # entries whose data failed validation: only their own S findings apply
    as_of: date | None = None  # "today" for date-dependent checks (set by engine.run; None = date.today())

    @property
    def entries(self) -> list[Entry]:
        return [*self.powers, *self.bodies, *self.laws, *self.decisions]

    @property
    def entry_count(self) -> int:
        return len(self.powers) + len(self.bodies) + len(self.laws) + len(self.decisions) + len(self.broken)

    # ----------------------------------------------------------------- indexes (built once)

    @staticmethod
    def _first_by_id(entries: Iterable[Entry]) -> dict[str, Entry]:
        out: dict[str, Entry] = {}
        for e in entries:
            if e.id is not None:
                out.setdefault(e.id, e)
        return out

    @cached_property
    def body_by_id(self) -> dict[str, Entry]:
        return self._first_by_id(self.bodies)

    @cached_property
    def law_by_id(self) -> dict[str, Entry]:
        return self._first_by_id(self.laws)

    @cached_property
    def decision_by_id(self) -> dict[str, Entry]:
        return self._first_by_id(self.decisions)

    @cached_property
    def power_by_id(self) -> dict[str, Entry]:
        return self._first_by_id(self.powers)

    @cached_property
    def law_by_title(self) -> dict[str, Entry]:
        """Normalised title (no 《》, no 中华人民共和国 prefix) -> law."""
        out: dict[str, Entry] = {}
        for e in self.laws:
            out.setdefault(normalize_title(e.law.title), e)
        return out

    def resolve_law(self, ref: str) -> Entry | None:
        """A basis reference -> laws.yaml entry, by id first, then by normalised title."""
        hit = self.law_by_id.get(ref)
        if hit is not None:
            return hit
        return self.law_by_title.get(normalize_title(ref))

    def resolve_basis(self, ref: str) -> LawRef | None:
        """A basis reference -> what is known of the instrument: laws.yaml first (it always wins),
        then the built-in national/provincial registry."""
        entry = self.resolve_law(ref)
        if entry is not None:
            law = entry.law
            return LawRef(law.title, law.level, law.status, "catalog", entry)
        from powerlist import lawdb

        hit = lawdb.lookup(ref)
        if hit is None or hit.level == "宪法":
            return None
        # The registry's superseded flag mixes "amended" and "repealed": the curated repeal table
        # (lawdb.status_of) decides; what it does not know to be repealed stays amended (a warning).
        return LawRef(hit.title, hit.level, lawdb.status_of(hit), hit.source, None)

    @cached_property
    def active_items(self) -> list[Entry]:
        """Every listed entry not abolished: powers and listed-but-not-power items (公共服务) alike."""
        return [p for p in self.powers if p.power.status != "abolished"]

    @cached_property
    def active_powers(self) -> list[Entry]:
        """Active entries that are powers: a category in powerlist.toml ``not_powers`` (公共服务 by
        default) is listed but not exercised as a power, so basis, flowchart and category checks skip it."""
        return [p for p in self.active_items if not self.settings.is_not_power(p.power.category)]

    @cached_property
    def powers_by_name_category(self) -> dict[tuple[str, str], list[Entry]]:
        """(normalised name, category) -> powers, for duplicate, jurisdiction and abolition checks."""
        out: dict[tuple[str, str], list[Entry]] = defaultdict(list)
        for e in self.powers:
            out[(normalize_name(e.power.name), e.power.category)].append(e)
        return dict(out)

    @cached_property
    def active_powers_by_body(self) -> dict[str, list[Entry]]:
        """Body id (``power.body``) -> its active powers, for comparisons within one body."""
        out: dict[str, list[Entry]] = defaultdict(list)
        for e in self.active_items:
            out[e.power.body].append(e)
        return dict(out)

    @cached_property
    def resolved_basis(self) -> dict[str, LawRef | None]:
        """Every distinct basis reference cited by a power -> :meth:`resolve_basis` of it (resolved once)."""
        return {ref: self.resolve_basis(ref) for ref in {b.law for e in self.powers for b in e.power.basis}}

    @cached_property
    def decision_by_doc_no(self) -> dict[str, Entry]:
        """Normalised document number -> decision (国发〔2017〕46号 and 国发[2017]46号 are one key)."""
        out: dict[str, Entry] = {}
        for e in self.decisions:
            if e.decision.doc_no:
                out.setdefault(normalize_name(e.decision.doc_no), e)
        return out

    @cached_property
    def cancellations_by_name(self) -> dict[str, list[tuple[Entry, CancelItem]]]:
        """Normalised name of an item a decision cancelled -> (decision, item)."""
        return _items_by_name(self.decisions, lambda d: d.cancels)

    @cached_property
    def delegations_by_name(self) -> dict[str, list[tuple[Entry, DelegateItem]]]:
        """Normalised name of an item a decision delegated -> (decision, item)."""
        return _items_by_name(self.decisions, lambda d: d.delegates)


_Item = TypeVar("_Item", CancelItem, DelegateItem)


def _items_by_name(decisions: list[Entry], items: Callable[[Decision], list[_Item]]) -> dict[str, list[tuple[Entry, _Item]]]:
    out: dict[str, list[tuple[Entry, _Item]]] = defaultdict(list)
    for e in decisions:
        for item in items(e.decision):
            out[normalize_name(item.name)].append((e, item))
    return dict(out)


def _power_entry(sf: SourceFile) -> Entry:
    data = sf.data
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


Parser = Callable[[list[tuple[str, str]]], dict[str, Parsed]]


def parse_serial(root: Path, files: list[tuple[str, str]], settings: Settings) -> dict[str, Parsed]:
    return {rel: read_and_parse(str(root / rel), settings.limits) for rel, _ in files}


def load_file(
    rel: str, kind: str, parsed: Parsed, root: Path | None = None, limits: Limits | None = None
) -> tuple[SourceFile, list[Entry]]:
    """Validate one parsed file into its entries (a power file holds one; a registry, a list).

    With ``root`` given, a valid power file's raw data is released after validation (see
    :class:`SourceFile`)."""
    sf = SourceFile(rel, kind, parsed.data, parsed.positions, list(parsed.problems), root, limits, parsed.top)
    if kind == "power":
        if parsed.data is None:
            return sf, []
        e = _power_entry(sf)
        if e.model is not None and root is not None:
            sf.release()
            e.raw = None
        return sf, [e]
    return sf, _registry_entries(sf)


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


def build(root: Path, settings: Settings, files: list[tuple[str, str]], parsed: dict[str, Parsed]) -> Catalog:
    """Validate parsed files into entries (validation happens here, in the main process)."""
    return assemble(root, settings, files, {rel: load_file(rel, kind, parsed[rel], root, settings.limits)
                                            for rel, kind in files})


@contextmanager
def bulk_allocation() -> Iterator[None]:
    """Build a catalogue without the cyclic garbage collector, then freeze what was built.

    Loading allocates millions of small containers and frees almost none; the collector would
    rescan them again and again (measured: 1.8-2.3x the load time at 100,000 powers, and seconds
    per check afterwards). The catalogue lives until the run ends, so it is moved to the permanent
    generation; plain reference counting still frees it."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        if was:
            gc.enable()


def load_catalog(
    root: Path, settings: Settings, parse: Parser | None = None, workers: int | None = None,
    files: list[tuple[str, str]] | None = None, progress: Callable[[int], None] | None = None,
) -> Catalog:
    """Discover (unless ``files`` is given), parse (in worker processes for large catalogues) and
    validate; ``progress`` is told how many files were parsed."""
    files = discover(root) if files is None else files
    if parse is not None:
        return build(root, settings, files, parse(files))
    from powerlist.parallel import iter_parse

    kinds = dict(files)
    with bulk_allocation():
        # Validate each file as its chunk arrives: the main process works while the workers parse.
        loaded = {r.rel: load_file(r.rel, kinds[r.rel], r.parsed, root, settings.limits)
                  for r in iter_parse(root, [rel for rel, _ in files], settings.limits, workers, progress)}
        return assemble(root, settings, files, loaded)

"""The catalogue in memory: entries, registries and the indexes cross-entry checks use, built once.

Layout (catalog-format.md): ``bodies.yaml``, ``laws.yaml``, ``decisions.yaml`` (lists) and one
power per file anywhere under ``powers/``. Built by :func:`powerlist.catalog.build.load_catalog`.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from powerlist.catalog.source import SourceFile
from powerlist.config import Settings
from powerlist.models import Body, CancelItem, Decision, DelegateItem, Law, Model, Power
from powerlist.normalize import normalize_name, normalize_title

if TYPE_CHECKING:
    from powerlist.catalog.cache import Cache


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
    # The upper-level lists' index (powerlist.upper.index.UpperIndex), set by api.check when
    # [upper] / --upper names some; None: the U checks yield nothing. Typed Any: the index stands
    # on a higher floor than this model.
    upper: Any = None
    # The check cache this catalogue was loaded through (load_catalog's ``cache``): the engine takes
    # the per-entry findings of unchanged files from it. None: every check runs over every entry.
    cache: Cache | None = None
    # Each file's content hash as loaded (parsed this run or taken from the cache), by path.
    digests: dict[str, str] = field(default_factory=dict)
    # What the parsing workers judged of power files, by path (load_catalog's ``judge``): the
    # engine's, opaque here; the engine takes it only where it can prove it current.
    prejudged: dict[str, Any] = field(default_factory=dict)

    def restricted(self, paths: set[str]) -> Catalog:
        """The same registries with only the power files in ``paths``: what per-entry checks need to
        re-judge those files (entries are shared, so findings point at the same objects)."""
        sub = Catalog(self.root, self.settings, [sf for sf in self.files if sf.kind != "power" or sf.path in paths],
                      [e for e in self.powers if e.path in paths], self.bodies, self.laws, self.decisions,
                      [e for e in self.broken if e.kind != "power" or e.path in paths])
        sub.upper = self.upper
        return sub

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

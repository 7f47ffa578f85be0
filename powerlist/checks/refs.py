"""How entries name each other, shared by the cross-entry families (R, B, D, J, A): body labels for
messages, the body ids a power names, the decision items that name a power, repeated keys."""

from __future__ import annotations

from collections.abc import Callable, Container, Hashable, Iterable, Iterator
from typing import TypeVar

from powerlist.catalog import Entry
from powerlist.checks.schema import ID_RE
from powerlist.models import CancelItem, DelegateItem
from powerlist.normalize import normalize_name

Item = TypeVar("Item", CancelItem, DelegateItem)


def looks_like_id(ref: str) -> bool:
    """``water-law`` is meant as an id; ``中华人民共和国水法`` or ``国发〔2017〕46号`` is not."""
    return ID_RE.match(ref) is not None


def body_label(e: Entry) -> str:
    """``city-water（某市水务局）``: the id a file uses and the name a person knows."""
    return f"{e.id}（{e.body.name}）"


def body_refs(e: Entry) -> Iterator[tuple[tuple[str | int, ...], str]]:
    """Every body id a power names, with its key path: body, co_bodies[i], delegated_to[i]."""
    p = e.power
    yield ("body",), p.body
    for i, ref in enumerate(p.co_bodies):
        yield ("co_bodies", i), ref
    for i, ref in enumerate(p.delegated_to):
        yield ("delegated_to", i), ref


def names_only(e: Entry, ids: Container[str]) -> bool:
    """True when every body a power names is in ``ids`` (checked without building key paths: this
    is the common case, and the loops run over every power)."""
    p = e.power
    return p.body in ids and all(r in ids for r in p.co_bodies) and all(r in ids for r in p.delegated_to)


def decision_items(index: dict[str, list[tuple[Entry, Item]]], e: Entry) -> Iterator[tuple[Entry, Item]]:
    """Decision items (from ``Catalog.cancellations_by_name`` or ``delegations_by_name``) naming
    power ``e``: the same normalised name, and the same category when the item gives one."""
    for d, item in index.get(normalize_name(e.power.name), ()):
        if not item.category or item.category == e.power.category:
            yield d, item


def repeats(entries: Iterable[Entry], key: Callable[[Entry], Hashable]) -> Iterator[tuple[Entry, Entry]]:
    """``(first, later)`` for every entry whose key an earlier entry already has. Catalogue order
    decides which is first: powers by path, registry items by position."""
    first: dict[Hashable, Entry] = {}
    for e in entries:
        seen = first.setdefault(key(e), e)
        if seen is not e:
            yield seen, e


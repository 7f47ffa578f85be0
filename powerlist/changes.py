"""``check --changed-since REV``: report only what a change touches, for pull-request checks.

Every check still runs over the whole catalogue (a duplicate of an unchanged power is still a
duplicate); afterwards only the findings that involve a changed entry are kept. A finding is kept
when any of these holds:

* it sits in a power file changed since ``REV`` (edited, added, renamed, or new and untracked);
* it sits on a registry item (``bodies.yaml``, ``laws.yaml``, ``decisions.yaml``) that was added
  or whose content changed. Registry files are compared item by item (an item is known by its
  ``id``, or by its place when it has none), so editing one body does not report the findings of
  the other three hundred; a finding on a changed registry file that belongs to no item (a YAML
  syntax error, say) is always kept;
* one of its ``related`` entries is such a changed power or registry item;
* it sits on a reference (``body``, ``co_bodies``, ``delegated_to``, ``abolished_by``,
  ``basis[].law``, ``merged_into``, ``replaced_by``) to a registry item that was deleted (its item
  removed, or its whole file). A deleted item cannot carry a finding itself, so the findings it
  causes are reported on the side that remains: the entries still pointing at it.

A change to ``powerlist.toml`` (or the ``--config`` file, when it is inside the catalogue) can
change any finding, so then every finding is reported.
"""

from __future__ import annotations

import contextlib
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from powerlist import gitutil
from powerlist.catalog.layout import REGISTRY_PATHS
from powerlist.catalog.parse import parse_bytes
from powerlist.config import CONFIG_NAME
from powerlist.diagnostics import Diagnostic, Result
from powerlist.limits import Limits
from powerlist.models import Power
from powerlist.normalize import normalize_title

if TYPE_CHECKING:
    from powerlist.catalog import Catalog, Entry

_REF_KEYS = ("body", "abolished_by", "merged_into", "replaced_by")
_REF_LIST_KEYS = ("co_bodies", "delegated_to")
_NOT_POWER_FIELDS = frozenset(_REF_KEYS) - set(Power.model_fields)  # in a power file: unknown keys (S012)


@dataclass
class ChangeSet:
    """What changed in a catalogue between a revision and the working tree (paths relative to the
    catalogue root)."""

    rev: str
    commit: str
    changed: frozenset[str]  # added, modified, renamed (new name) or untracked files
    registry_before: dict[str, Any] = field(default_factory=dict)  # changed registry file -> its data at REV (None: new)
    registry_deleted: list[Any] = field(default_factory=list)  # data at REV of registry files now gone
    everything: bool = False  # the configuration changed: any finding may have changed


def changes_since(rev: str, root: Path, limits: Limits = Limits(), config: Path | None = None) -> ChangeSet:
    """Ask git what changed under ``root`` since ``rev``. Raises :class:`gitutil.GitError`."""
    commit = gitutil.resolve_rev(rev, root)
    config_names = {CONFIG_NAME}
    if config is not None:
        # A configuration outside the catalogue is not part of its history.
        with contextlib.suppress(ValueError):
            config_names.add(config.resolve().relative_to(root.resolve()).as_posix())
    changed: set[str] = set()
    old_registry: dict[str, str | None] = {}  # path at REV -> current path (None: deleted)
    new_registries: list[str] = []
    everything = False
    for c in gitutil.changed_files(commit, root):
        everything |= c.path in config_names or c.old_path in config_names
        if c.status == "D":
            if c.path in REGISTRY_PATHS:
                old_registry[c.path] = None
            continue
        changed.add(c.path)
        if c.path in REGISTRY_PATHS:
            if c.status == "A":
                new_registries.append(c.path)
            else:
                old_registry[c.old_path or c.path] = c.path
        elif c.old_path in REGISTRY_PATHS:  # a registry renamed away: its items are gone
            old_registry[c.old_path] = None
    raw = gitutil.read_files_at(commit, list(old_registry), root)
    cs = ChangeSet(rev, commit, frozenset(changed), everything=everything)
    cs.registry_before = dict.fromkeys(new_registries)
    for old_path, now in old_registry.items():
        data = parse_bytes(raw[old_path], limits).data if old_path in raw else None
        if now is None:
            cs.registry_deleted.append(data)
        else:
            cs.registry_before[now] = data
    return cs


def _items(data: Any) -> dict[str, list[Any]]:
    """Registry items by id (or by place, for items without one)."""
    out: dict[str, list[Any]] = defaultdict(list)
    if isinstance(data, list):
        for i, item in enumerate(data):
            ident = item.get("id") if isinstance(item, dict) else None
            out[ident if isinstance(ident, str) else f"#{i}"].append(item)
    return out


def _names(items: list[Any], ids: set[str], titles: set[str]) -> None:
    """The ways an entry can refer to a registry item: its id or document number, or its title."""
    for item in items:
        if not isinstance(item, dict):
            continue
        for key in ("id", "doc_no"):
            if isinstance(item.get(key), str):
                ids.add(item[key])
        if isinstance(item.get("title"), str):
            titles.add(normalize_title(item["title"]))


def _references(data: Any) -> Iterator[tuple[tuple[str | int, ...], str]]:
    """(key path, referenced name) for every reference an entry makes to a registry item."""
    if not isinstance(data, dict):
        return
    for key in _REF_KEYS:
        if isinstance(data.get(key), str):
            yield (key,), data[key]
    for key in _REF_LIST_KEYS:
        values = data.get(key)
        if isinstance(values, list):
            yield from (((key, i), v) for i, v in enumerate(values) if isinstance(v, str))
    basis = data.get("basis")
    if isinstance(basis, list):
        for i, b in enumerate(basis):
            if isinstance(b, dict) and isinstance(b.get("law"), str):
                yield ("basis", i, "law"), b["law"]


def _power_references(power: Power) -> Iterator[tuple[tuple[str | int, ...], str]]:
    """:func:`_references` of a valid power, read from its model (which holds what the file wrote)."""
    yield ("body",), power.body
    if power.abolished_by is not None:
        yield ("abolished_by",), power.abolished_by
    for key, values in (("co_bodies", power.co_bodies), ("delegated_to", power.delegated_to)):
        yield from (((key, i), v) for i, v in enumerate(values))
    yield from ((("basis", i, "law"), b.law) for i, b in enumerate(power.basis))


def _entry_references(e: Entry) -> Iterator[tuple[tuple[str | int, ...], str]]:
    """An entry's references, without re-reading a released power file: its model holds them,
    unless the file also wrote a reference key powers do not have (dropped from the model as S012)."""
    if e.raw is None and isinstance(e.model, Power) and _NOT_POWER_FIELDS.isdisjoint(e.file.top_keys):
        return _power_references(e.model)
    return _references(e.data)


def only_changed(result: Result, changes: ChangeSet, catalog: Callable[[], Catalog]) -> Result:
    """``result`` with only the findings that involve what ``changes`` changed (see the module
    docstring). Counts of entries and files still describe the whole catalogue.

    ``catalog`` is called only when a registry file changed (a result from the cache comes without
    a loaded catalogue, and loading it costs a full parse)."""
    if changes.everything:
        return result
    cat = catalog() if changes.registry_before or changes.registry_deleted else None
    files = {sf.path: sf for sf in cat.files} if cat is not None else {}
    touched: dict[str, set[str] | None] = {}  # registry path -> changed item keys (None: all of them)
    gone_ids: set[str] = set()
    gone_titles: set[str] = set()
    for path, before in changes.registry_before.items():
        sf = files.get(path)
        now = _items(sf.data if sf is not None else None)
        if before is None:
            touched[path] = None  # new, or unreadable at REV: every item counts as changed
            continue
        old = _items(before)
        touched[path] = {k for k, v in now.items() if old.get(k) != v}
        for k in old.keys() - now.keys():
            _names(old[k], gone_ids, gone_titles)
    for before in changes.registry_deleted:
        for items in _items(before).values():
            _names(items, gone_ids, gone_titles)

    sites: set[tuple[str, int]] = set()  # (path, line) of references to deleted items
    if cat is not None and (gone_ids or gone_titles):
        for e in [*cat.entries, *cat.broken]:
            for key, ref in _entry_references(e):
                if ref in gone_ids or normalize_title(ref) in gone_titles:
                    sites.add((e.path, e.locate(key)[0]))

    def touches(path: str, entry: str | None) -> bool:
        if path in touched:
            keys = touched[path]
            return keys is None or entry is None or entry in keys
        return path in changes.changed

    def keep(d: Diagnostic) -> bool:
        return (touches(d.path, d.entry) or any(touches(r.path, r.entry) for r in d.related)
                or (d.path, d.line) in sites)

    return replace(result, diagnostics=[d for d in result.diagnostics if keep(d)],
                   waived=[d for d in result.waived if keep(d)])

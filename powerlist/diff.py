"""``powerlist diff``: what changed between two versions of a catalogue, in the legal office's terms.

Powers are matched by ``id``. Each difference becomes one :class:`PowerChange` of a kind:

========== ======== ====================================================================
kind       term     when
========== ======== ====================================================================
added      新增     an id only in the new catalogue
removed    取消     an id only in the old one, or its status changed to ``abolished``
adjusted   调整     name, category, basis, time limits, process… changed (field by field)
transferred 划转    ``body`` changed: the power moved to another body
delegated  下放/承接 ``delegated_to`` changed (bodies added: 下放/承接; removed: 收回)
========== ======== ====================================================================

One power can yield several changes (moved *and* renamed). A power whose id changed but whose
normalised name and body stayed is reported as one ``adjusted`` change with an ``id`` field
(``old_id`` set), not as a removal plus an addition. Broken files on either side are reported as
problems; a power that cannot be read on one side is listed as not compared rather than as added
or removed.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from powerlist.catalog import Catalog, Entry, load_catalog
from powerlist.config import Settings
from powerlist.i18n import T, Text
from powerlist.normalize import normalize_name

KINDS: tuple[str, ...] = ("added", "removed", "adjusted", "transferred", "delegated")
KIND_TERMS: dict[str, Text] = {
    "added": T("新增", "added"),
    "removed": T("取消", "removed"),
    "adjusted": T("调整", "adjusted"),
    "transferred": T("划转", "transferred"),
    "delegated": T("下放/承接", "delegated"),
}
# Lists whose items are matched by a key, so that one changed step is one change, not a new list.
_ITEM_KEYS = {"steps": "id", "basis": "law", "waivers": "code", "sub_items": "name"}
# Fields reported by their own kinds, never as an adjustment.
_OWN_KIND = frozenset({"id", "body", "delegated_to"})


@dataclass(frozen=True, slots=True)
class FieldChange:
    """One changed value. ``field`` is a path such as ``time_limit.statutory`` or
    ``process.steps[review].days`` (list items named by their id/law/code); ``None`` = absent."""

    field: str
    old: Any
    new: Any


@dataclass(slots=True)
class PowerChange:
    kind: str  # one of KINDS
    id: str
    name: str
    category: str
    body: str
    path: str  # in the new catalogue (the old one for removals)
    old_id: str | None = None  # set when the id itself changed
    fields: list[FieldChange] = field(default_factory=list)
    reason: str | None = None  # removed: "deleted" (no longer listed) | "abolished" (status changed)
    abolished_by: str | None = None
    delegated: list[str] = field(default_factory=list)  # bodies newly exercising it (下放/承接)
    withdrawn: list[str] = field(default_factory=list)  # bodies no longer exercising it (收回)


@dataclass(frozen=True, slots=True)
class SideProblem:
    """A file on one side that could not be (fully) read."""

    side: str  # "old" | "new"
    path: str
    line: int
    column: int
    code: str
    message: Text


@dataclass(frozen=True, slots=True)
class Uncompared:
    """A power present on one side whose counterpart could not be read on the other."""

    id: str
    path: str
    side: str  # the side that could not be read


@dataclass
class DiffReport:
    old_label: str
    new_label: str
    changes: list[PowerChange]
    problems: list[SideProblem]
    uncompared: list[Uncompared]
    body_names: dict[str, str]  # body id -> name, from both sides (the new name wins)

    def count(self, kind: str) -> int:
        return sum(1 for c in self.changes if c.kind == kind)

    def of_kind(self, kind: str) -> list[PowerChange]:
        return [c for c in self.changes if c.kind == kind]

    @property
    def empty(self) -> bool:
        return not self.changes


# ------------------------------------------------------------------------------------ values


def comparable(entry: Entry) -> dict[str, Any]:
    """A power as plain data with defaults left out, so that writing ``status: active`` or leaving it
    out, or ``unit: working_days`` or not, is no change."""
    return entry.power.model_dump(mode="json", exclude_defaults=True)


def field_changes(old: Any, new: Any, path: str = "") -> list[FieldChange]:
    """Differences between two values, as deep as the structure allows: mappings key by key, lists
    of steps/basis/waivers item by item (by id/law/code); any other list is one value."""
    out: list[FieldChange] = []
    _walk(path, old, new, out)
    return out


def _walk(path: str, old: Any, new: Any, out: list[FieldChange]) -> None:
    if old == new:
        return
    if isinstance(old, dict) and isinstance(new, dict):
        for key in [*old, *(k for k in new if k not in old)]:
            _walk(f"{path}.{key}" if path else str(key), old.get(key), new.get(key), out)
        return
    leaf = path.rsplit(".", 1)[-1]
    by_old, by_new = _keyed(old, _ITEM_KEYS.get(leaf)), _keyed(new, _ITEM_KEYS.get(leaf))
    if by_old is not None and by_new is not None:
        for key in [*by_old, *(k for k in by_new if k not in by_old)]:
            _walk(f"{path}[{key}]", by_old.get(key), by_new.get(key), out)
        return
    out.append(FieldChange(path, old, new))


def _keyed(items: Any, key: str | None) -> dict[str, Any] | None:
    """A list of mappings by their ``key`` (None when the list cannot be keyed that way). Among
    mappings a bare string stands for itself (sub-items mix names and mappings); a list of strings
    only is compared as one value, as before."""
    if key is None or not isinstance(items, list) or not any(isinstance(i, dict) for i in items):
        return None
    out: dict[str, Any] = {}
    for item in items:
        name = item if isinstance(item, str) else item.get(key) if isinstance(item, dict) else None
        if not isinstance(name, str) or name in out:
            return None
        out[name] = item
    return out


# ------------------------------------------------------------------------------------ matching


def _by_id(cat: Catalog) -> dict[str, Entry]:
    out: dict[str, Entry] = {}
    for e in cat.powers:
        if e.id is not None:
            out.setdefault(e.id, e)
    return out


def _unreadable(cat: Catalog) -> tuple[set[str], set[str]]:
    """Power ids whose entry failed validation, and power files that could not be parsed at all."""
    ids = {e.id for e in cat.broken if e.kind == "power" and e.id is not None}
    paths = {sf.path for sf in cat.files if sf.kind == "power" and not sf.ok}
    return ids, paths


def _problems(cat: Catalog, side: str) -> list[SideProblem]:
    """Load problems of the files that lost an entry (unparseable or failing validation)."""
    lossy = {e.path for e in cat.broken} | {sf.path for sf in cat.files if not sf.ok}
    return [SideProblem(side, sf.path, p.line, p.column, p.code, p.message)
            for sf in cat.files if sf.path in lossy for p in sf.problems]


def _renames(gone: dict[str, Entry], came: dict[str, Entry]) -> list[tuple[Entry, Entry]]:
    """Pairs (old, new) that only changed id: same normalised name and body, unambiguous."""
    def key(e: Entry) -> tuple[str, str]:
        return normalize_name(e.power.name), e.power.body

    olds: dict[tuple[str, str], list[Entry]] = {}
    news: dict[tuple[str, str], list[Entry]] = {}
    for e in gone.values():
        olds.setdefault(key(e), []).append(e)
    for e in came.values():
        news.setdefault(key(e), []).append(e)
    return [(o[0], news[k][0]) for k, o in olds.items() if len(o) == 1 and len(news.get(k, [])) == 1]


def _summary(kind: str, entry: Entry, **kw: Any) -> PowerChange:
    p = entry.power
    return PowerChange(kind, p.id, p.name, p.category, p.body, entry.path, **kw)


def _pair_changes(old: Entry, new: Entry) -> Iterator[PowerChange]:
    """The changes between two versions of one power."""
    o, n = old.power, new.power
    renamed = o.id != n.id
    if n.status == "abolished" and o.status != "abolished":
        yield _summary("removed", new, reason="abolished", abolished_by=n.abolished_by,
                       old_id=o.id if renamed else None)
        return
    if o.body != n.body:
        yield _summary("transferred", new, fields=[FieldChange("body", o.body, n.body)])
    if o.delegated_to != n.delegated_to:
        yield _summary("delegated", new, fields=[FieldChange("delegated_to", o.delegated_to, n.delegated_to)],
                       delegated=[b for b in n.delegated_to if b not in o.delegated_to],
                       withdrawn=[b for b in o.delegated_to if b not in n.delegated_to])
    before, after = comparable(old), comparable(new)
    for key in _OWN_KIND:
        before.pop(key, None)
        after.pop(key, None)
    fields = field_changes(before, after)
    if renamed or fields:
        id_change = [FieldChange("id", o.id, n.id)] if renamed else []
        yield _summary("adjusted", new, fields=id_change + fields, old_id=o.id if renamed else None)


def diff_catalogs(old: Catalog, new: Catalog, old_label: str = "old", new_label: str = "new") -> DiffReport:
    """Every change from ``old`` to ``new``, sorted by kind then id."""
    olds, news = _by_id(old), _by_id(new)
    old_bad_ids, old_bad_paths = _unreadable(old)
    new_bad_ids, new_bad_paths = _unreadable(new)
    changes: list[PowerChange] = []
    uncompared: list[Uncompared] = []
    gone: dict[str, Entry] = {}
    came: dict[str, Entry] = {}
    for ident, e in olds.items():
        if ident in news:
            changes.extend(_pair_changes(e, news[ident]))
        elif ident in new_bad_ids or e.path in new_bad_paths:
            uncompared.append(Uncompared(ident, e.path, "new"))
        else:
            gone[ident] = e
    for ident, e in news.items():
        if ident in olds:
            continue
        if ident in old_bad_ids or e.path in old_bad_paths:
            uncompared.append(Uncompared(ident, e.path, "old"))
        else:
            came[ident] = e
    for o, n in _renames(gone, came):
        del gone[o.power.id], came[n.power.id]
        changes.extend(_pair_changes(o, n))
    for e in gone.values():
        # "deleted" even when it was abolished earlier: this change only removes the listing
        changes.append(_summary("removed", e, reason="deleted", abolished_by=e.power.abolished_by))
    changes.extend(_summary("added", e) for e in came.values())
    changes.sort(key=lambda c: (KINDS.index(c.kind), c.id))
    names = {e.body.id: e.body.name for e in old.bodies}
    names.update({e.body.id: e.body.name for e in new.bodies})
    return DiffReport(old_label, new_label, changes, [*_problems(old, "old"), *_problems(new, "new")],
                      sorted(uncompared, key=lambda u: u.id), names)


# ------------------------------------------------------------------------------------ loading


def load(root: Path, settings: Settings) -> Catalog:
    """A catalogue folder, parsed in worker processes when it is large."""
    return load_catalog(root, settings)


def diff_folders(old_root: Path, new_root: Path, settings: Settings) -> DiffReport:
    return diff_catalogs(load(old_root, settings), load(new_root, settings), str(old_root), str(new_root))


def diff_git(rev: str, root: Path, settings: Settings) -> DiffReport:
    """The catalogue at ``root`` (working tree, uncommitted edits included) against ``rev``.

    The old catalogue is exported from git into a temporary folder; the working tree is never
    touched. Raises :class:`powerlist.gitutil.GitError` for a bad revision or no repository.
    """
    import tempfile

    from powerlist import gitutil

    commit = gitutil.resolve_rev(rev, root)
    with tempfile.TemporaryDirectory(prefix="powerlist-diff-") as tmp:
        old_root = Path(tmp)
        gitutil.export_tree(commit, root, old_root)
        old = load(old_root, settings)
        label = rev if rev.startswith(commit[:7]) else f"{rev} ({commit[:10]})"
        return diff_catalogs(old, load(root, settings), label, str(root))

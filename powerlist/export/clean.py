"""The cleaned catalogue that gets published: every power except the abolished ones.

A power is abolished when its ``status`` says so, or when a decision in decisions.yaml cancels an
item with the same normalised name (and the same category, when the decision names one). A power
whose cancellation finding was waived stays: the legal office has accepted it as still valid.

Formats other than YAML need one row per power: a second power with an id already seen (possible
only with ``--allow-errors``) and powers whose file failed validation are left out of them, and
recorded in the manifest.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property

from powerlist.catalog import Catalog, Entry, LawRef
from powerlist.checks.refs import decision_items
from powerlist.diagnostics import Result, Severity
from powerlist.models import Basis, Power

CANCELLED_STILL_LISTED = "A001"  # the check that reports a cancelled power still listed


@dataclass(frozen=True, slots=True)
class Dropped:
    entry: Entry
    reason: str  # "status" or "decision"
    decision: str | None  # the cancelling decision's id, or the power's abolished_by


def cancelled_by(cat: Catalog, e: Entry) -> str | None:
    """Id of the first decision that cancels power ``e`` (matched exactly as check A001 matches)."""
    return next((d.id for d, _ in decision_items(cat.cancellations_by_name, e)), None)


def _waived_a001(result: Result) -> set[tuple[str, str]]:
    """(path, entry id) of powers whose A001 finding (cancelled but listed) was waived."""
    return {(w.path, w.entry or "") for w in result.waived if w.code == CANCELLED_STILL_LISTED}


@dataclass
class Cleaned:
    catalog: Catalog
    powers: list[Entry]  # kept: one per id, with a model, in publication order
    dropped: list[Dropped]
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (path, why) left out of row formats
    dropped_paths: frozenset[str] = frozenset()  # power files the YAML export leaves out
    errors_allowed: int = 0  # errors let through (--allow-errors): the site says so on every page

    # ------------------------------------------------------------------ lookups for writers

    def body_name(self, body_id: str) -> str:
        e = self.catalog.body_by_id.get(body_id)
        return e.body.name if e is not None else body_id

    def law(self, ref: str) -> LawRef | None:
        return self.catalog.resolved_basis.get(ref)

    def law_title(self, ref: str) -> str:
        hit = self.law(ref)
        return hit.title if hit is not None else ref.strip().removeprefix("《").removesuffix("》")

    def basis_text(self, b: Basis) -> str:
        """《中华人民共和国水法》第四十八条、第四十九条"""
        return f"《{self.law_title(b.law)}》" + "、".join(article(a) for a in b.articles)

    def _group(self, attr: str) -> dict[str, list[Entry]]:
        out: dict[str, list[Entry]] = {}
        for e in self.powers:
            out.setdefault(getattr(e.power, attr), []).append(e)
        return out

    @cached_property
    def by_category(self) -> dict[str, list[Entry]]:
        return self._group("category")

    @cached_property
    def by_body(self) -> dict[str, list[Entry]]:
        return self._group("body")

    @cached_property
    def body_ids(self) -> list[str]:
        """Registry bodies in file order, then bodies only powers name (possible with errors)."""
        ids = [b.id for b in self.catalog.bodies if b.id is not None]
        seen = set(ids)
        ids.extend(k for k in self.by_body if k not in seen)
        return list(dict.fromkeys(ids))

    @cached_property
    def categories(self) -> list[str]:
        """Configured categories, then any other category a kept power uses."""
        cats = list(self.catalog.settings.categories)
        cats.extend(c for c in self.by_category if c not in cats)
        return cats


def clean(cat: Catalog, result: Result) -> Cleaned:
    protected = _waived_a001(result)
    order = {c: i for i, c in enumerate(cat.settings.categories)}
    kept: list[Entry] = []
    dropped: list[Dropped] = []
    skipped: list[tuple[str, str]] = []
    seen: set[str] = set()
    for e in cat.powers:
        p = e.power
        if p.status == "abolished":
            dropped.append(Dropped(e, "status", p.abolished_by))
            continue
        decision = cancelled_by(cat, e)
        if decision is not None and (e.path, e.id or "") not in protected:
            dropped.append(Dropped(e, "decision", decision))
            continue
        if p.id in seen:
            skipped.append((e.path, f"duplicate id {p.id}"))
            continue
        seen.add(p.id)
        kept.append(e)
    skipped.extend((e.path, "invalid power file") for e in cat.broken if e.kind == "power")
    kept.sort(key=lambda e: (order.get(e.power.category, len(order)), e.power.category, e.power.id))
    errors = sum(1 for d in result.diagnostics if d.severity is Severity.ERROR)
    return Cleaned(cat, kept, dropped, skipped, frozenset(d.entry.path for d in dropped), errors)


# ---------------------------------------------------------------------- text helpers for writers

def article(a: str | int) -> str:
    """An article reference as written; a bare number becomes 第N条."""
    return f"第{a}条" if isinstance(a, int) else a


def number(x: float | None) -> str:
    if x is None:
        return ""
    return str(int(x)) if float(x).is_integer() else f"{x:g}"


def days_text(x: float | None, unit: str) -> str:
    """20 -> 20个工作日 (or 20个自然日, 3个月)."""
    if x is None:
        return ""
    return f"{number(x)}个{UNIT_ZH.get(unit, '工作日')}"


UNIT_ZH = {"working_days": "工作日", "calendar_days": "自然日", "months": "月"}


def unit_of(p: Power) -> str:
    return p.time_limit.unit if p.time_limit is not None else "working_days"


STATUS_ZH = {"active": "正常", "suspended": "暂停实施", "abolished": "已取消"}

_SAFE_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,63}")


def file_names(keys: list[str], reserved: tuple[str, ...] = ()) -> dict[str, str]:
    """A file-name stem for each key: the key itself when it is a plain id, otherwise a stable hash;
    unique even on case-insensitive file systems, and never one of ``reserved``."""
    import hashlib

    used = {r.lower() for r in reserved}
    return {k: unique(k if _SAFE_NAME.fullmatch(k) and not k.endswith(".")
                      else "x-" + hashlib.sha1(k.encode()).hexdigest()[:12], used) for k in keys}


def unique(base: str, used: set[str], limit: int = 255) -> str:
    """``base``, else ``base-2``, ``base-3`` …: the first name not in ``used`` (compared without case,
    as Windows and macOS file systems and Excel's sheet names do), which is then added to it."""
    name, n = base, 1
    while name.lower() in used:
        n += 1
        tail = f"-{n}"
        name = base[:limit - len(tail)] + tail
    used.add(name.lower())
    return name

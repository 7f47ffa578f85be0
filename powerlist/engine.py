"""Run the selected checks over a catalogue and produce a sorted, located :class:`Result`.

The engine owns what checks must not decide: line and column (from the loader's positions),
the final severity (configuration overrides), and waivers (applied, expired or unused).
"""

from __future__ import annotations

import traceback
from collections.abc import Iterable
from datetime import date

from powerlist.catalog import Catalog, Entry
from powerlist.diagnostics import Diagnostic, Related, Result, Severity
from powerlist.i18n import T
from powerlist.registry import Check, Finding, all_checks, declare, matches, selected

S_UNUSED_WAIVER = declare(
    "S020", "unused-waiver", severity=Severity.WARNING,
    summary=T("豁免没有对应任何问题", "A waiver suppresses nothing"),
    explanation=T("豁免声明的问题已不存在（已修正或代码写错），应删除该豁免，以免将来掩盖新问题。",
                  "The waived finding no longer occurs (fixed, or the code is mistyped). Remove the waiver "
                  "so that it cannot hide a future finding."),
    example="id: SL-XK-001\n...\nwaivers:\n  - code: J001\n    reason: 联合实施\n",
)
S_EXPIRED_WAIVER = declare(
    "S021", "expired-waiver", severity=Severity.WARNING,
    summary=T("豁免已过期", "A waiver has expired"),
    explanation=T("过期的豁免不再生效，被豁免的问题重新计入。请续期（写明新依据）或整改。",
                  "An expired waiver no longer applies and the finding counts again. Renew it with a new "
                  "reason, or fix the finding."),
)


def _related(entries: Iterable[Entry]) -> list[Related]:
    out = []
    for e in entries:
        key: tuple[str | int, ...] = ("id",) if e.has_key("id") else ()
        line, _ = e.locate(key)
        out.append(Related(e.path, line, e.id))
    return out


def _severity(chk: Check, cat: Catalog) -> Severity:
    return cat.settings.severity.get(chk.code, chk.severity)


def _load_diagnostics(cat: Catalog, codes: dict[str, Check]) -> list[tuple[Diagnostic, Entry | None]]:
    """S problems found while loading and validating, with the entry they belong to (if any)."""
    by_file: dict[str, list[Entry]] = {}
    for e in [*cat.entries, *cat.broken]:
        by_file.setdefault(e.path, []).append(e)
    out: list[tuple[Diagnostic, Entry | None]] = []
    for sf in cat.files:
        for p in sf.problems:
            chk = codes.get(p.code)
            if chk is None:
                continue  # not selected
            owner: Entry | None = None
            for e in by_file.get(sf.path, ()):
                if p.key is not None and p.key[: len(e.prefix)] == e.prefix:
                    owner = e
                    break
            if owner is None and sf.kind == "power":
                owner = next(iter(by_file.get(sf.path, ())), None)
            out.append((Diagnostic(p.code, _severity(chk, cat), sf.path, p.line, p.column,
                                   owner.id if owner else None, p.message), owner))
    return out


def _check_diagnostics(cat: Catalog, chk: Check) -> list[tuple[Diagnostic, Entry | None]]:
    assert chk.func is not None
    sev = _severity(chk, cat)
    out: list[tuple[Diagnostic, Entry | None]] = []
    for f in chk.func(cat):
        out.append((to_diagnostic(chk.code, sev, f), f.entry))
    return out


def to_diagnostic(code: str, sev: Severity, f: Finding) -> Diagnostic:
    line, col = f.entry.locate(f.key, at=f.at)
    return Diagnostic(code, sev, f.entry.path, line, col, f.entry.id, f.message, _related(f.related))


def run(cat: Catalog, as_of: date | None = None) -> Result:
    """Run every selected check; apply waivers; return diagnostics sorted by place."""
    today = as_of or date.today()
    cat.as_of = today  # checks that depend on the date (e.g. C002) read it here
    chosen = {c.code: c for c in selected(cat.settings.select, cat.settings.ignore)}
    found = _load_diagnostics(cat, chosen)
    crashed: list[tuple[str, str]] = []
    for chk in chosen.values():
        if chk.func is None:
            continue
        try:
            found.extend(_check_diagnostics(cat, chk))
        except Exception:  # noqa: BLE001 - one broken check must not hide the others' findings
            crashed.append((chk.code, traceback.format_exc()))

    active: list[Diagnostic] = []
    waived: list[Diagnostic] = []
    used: set[tuple[int, int]] = set()  # (id(entry), waiver index)
    for diag, entry in found:
        waiver_at = _matching_waiver(entry, diag.code, today) if entry is not None else None
        if waiver_at is not None and entry is not None:
            used.add((id(entry), waiver_at))
            diag.waived = True
            diag.waiver_reason = entry.power.waivers[waiver_at].reason
            waived.append(diag)
        else:
            active.append(diag)

    active.extend(_waiver_diagnostics(cat, chosen, used, today))
    active.sort(key=Diagnostic.sort_key)
    waived.sort(key=Diagnostic.sort_key)
    return Result(active, waived, cat.entry_count, len(cat.files), crashed,
                  paths=tuple(sf.path for sf in cat.files))


def _matching_waiver(entry: Entry, code: str, today: date) -> int | None:
    if entry.kind != "power" or entry.model is None:
        return None
    for i, w in enumerate(entry.power.waivers):
        if code.startswith(w.code) and (w.expires is None or w.expires >= today):
            return i
    return None


def _waiver_diagnostics(
    cat: Catalog, chosen: dict[str, Check], used: set[tuple[int, int]], today: date
) -> list[Diagnostic]:
    out: list[Diagnostic] = []
    codes = all_checks()
    for e in cat.powers:
        for i, w in enumerate(e.power.waivers):
            key = ("waivers", i, "code")
            if w.expires is not None and w.expires < today:
                if S_EXPIRED_WAIVER in chosen:
                    out.append(to_diagnostic(S_EXPIRED_WAIVER, _severity(chosen[S_EXPIRED_WAIVER], cat), Finding(
                        e, ("waivers", i, "expires"),
                        T(f"对 {w.code} 的豁免已于 {w.expires} 过期，该问题重新计入",
                          f"the waiver of {w.code} expired on {w.expires}; the finding counts again"))))
                continue
            if (id(e), i) in used or S_UNUSED_WAIVER not in chosen:
                continue
            named = [c for c in codes if c.startswith(w.code)]
            if named and not any(matches(c, chosen) for c in named):
                continue  # the waived check is not selected in this run: we cannot tell
            why = T("没有对应任何问题", "it suppresses nothing") if named else T(
                "没有这个代码", "no check has this code")
            out.append(to_diagnostic(S_UNUSED_WAIVER, _severity(chosen[S_UNUSED_WAIVER], cat), Finding(
                e, key, T(f"对 {w.code} 的豁免{why.zh}，请删除", f"the waiver of {w.code}: {why.en}; remove it"))))
    return out

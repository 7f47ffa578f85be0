"""Run the selected checks over a catalogue and produce a sorted, located :class:`Result`.

The engine owns what checks must not decide: line and column (from the loader's positions),
the final severity (configuration overrides), and waivers (applied, expired or unused).
"""

from __future__ import annotations

import traceback
from collections.abc import Callable, Iterable
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from powerlist.catalog import Catalog, Entry
from powerlist.checks import all_checks, selected
from powerlist.checks.base import PER_ENTRY, Finding, silenced
from powerlist.checks.imported import S_ELEMENT_MISSING
from powerlist.checks.waivers import S_EXPIRED_WAIVER, S_UNUSED_WAIVER
from powerlist.config import Settings
from powerlist.diagnostics import Diagnostic, Related, Result, Severity
from powerlist.i18n import T
from powerlist.models import Power
from powerlist.registry import Check, matches

if TYPE_CHECKING:
    from powerlist.catalog.parallel import FileResult


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


def _check_diagnostics(cat: Catalog, chk: Check, today: date) -> list[tuple[Diagnostic, Entry | None]]:
    assert chk.func is not None
    sev = _severity(chk, cat)
    out: list[tuple[Diagnostic, Entry | None]] = []
    for f in (chk.func(cat, today) if chk.dated else chk.func(cat)):
        out.append((to_diagnostic(chk.code, sev, f), f.entry))
    return out


def to_diagnostic(code: str, sev: Severity, f: Finding) -> Diagnostic:
    line, col = f.entry.locate(f.key, at=f.at)
    return Diagnostic(code, sev, f.entry.path, line, col, f.entry.id, f.message, _related(f.related))


def run(cat: Catalog, as_of: date | None = None) -> Result:
    """Run every selected check; apply waivers; return diagnostics sorted by place."""
    today = as_of or date.today()  # waiver expiry, and the checks declared ``dated`` (e.g. C002)
    chosen = {c.code: c for c in selected(cat.settings.select, cat.settings.ignore)}
    found = _load_diagnostics(cat, chosen)
    crashed: list[tuple[str, str]] = []
    runnable = [c for c in chosen.values() if c.func is not None]
    for chk in runnable:
        if chk.code in PER_ENTRY:
            continue
        try:
            found.extend(_check_diagnostics(cat, chk, today))
        except Exception:  # noqa: BLE001 - one broken check must not hide the others' findings
            crashed.append((chk.code, traceback.format_exc()))
    found.extend(_per_entry_diagnostics(cat, [c for c in runnable if c.code in PER_ENTRY], today, crashed))
    active, waived = _settle(cat, chosen, found, today)
    from powerlist.completeness import completeness

    return Result(active, waived, cat.entry_count, len(cat.files), crashed,
                  paths=tuple(sf.path for sf in cat.files), completeness=completeness(cat))


def _settle(
    cat: Catalog, chosen: dict[str, Check], found: list[tuple[Diagnostic, Entry | None]], today: date
) -> tuple[list[Diagnostic], list[Diagnostic]]:
    """Apply waivers, add the waivers' own findings, fold missing elements; (active, waived), sorted."""
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
    active = fold_missing_elements(cat, chosen, active)
    active.sort(key=Diagnostic.sort_key)
    waived.sort(key=Diagnostic.sort_key)
    return active, waived


def judge_files(cat: Catalog, paths: set[str], today: date) -> tuple[list[Diagnostic], list[Diagnostic],
                                                                      dict[str, list[Diagnostic]]] | None:
    """What a full run finds on the power files ``paths`` of ``cat`` (their registries loaded
    too) when no cross-entry check finds anything on them: their load problems, the per-entry
    checks' findings and their waivers' own. (active, waived, per-entry findings by file, as found),
    or None when a check crashed (the caller then runs in full, which reports it)."""
    chosen = {c.code: c for c in selected(cat.settings.select, cat.settings.ignore)}
    found = [(d, e) for d, e in _load_diagnostics(cat, chosen) if d.path in paths]
    target = cat.restricted(paths)
    crashed: list[tuple[str, str]] = []
    by_file, _ = _by_file(target, per_entry_checks(cat.settings), today, paths, crashed)
    if crashed:
        return None
    per_entry: dict[str, list[Diagnostic]] = {}
    for sf in cat.files:  # grouped by file in catalogue order, as _per_entry_diagnostics gives them
        if sf.path in paths:
            got = by_file.get(sf.path, [])
            found.extend(got)
            per_entry[sf.path] = [replace(d) for d, _ in got]  # copies as found: waivers mark the originals
    active, waived = _settle(target, chosen, found, today)
    return active, waived, per_entry


def per_entry_checks(settings: Settings) -> list[Check]:
    """The selected checks that judge one entry at a time (checks/base.py ``PER_ENTRY``), in run order."""
    return [c for c in selected(settings.select, settings.ignore) if c.func is not None and c.code in PER_ENTRY]


def per_entry_key(settings: Settings, today: date, registries: list[tuple[str, str]]) -> str:
    """The key the per-entry findings are held under in the cache (catalog/cache.py ``findings_key``)."""
    from powerlist.catalog.cache import findings_key

    return findings_key(settings.fingerprint(), today.isoformat(), [c.code for c in per_entry_checks(settings)],
                        registries)


def _by_file(
    target: Catalog, checks: list[Check], today: date, paths: set[str] | None, crashed: list[tuple[str, str]],
) -> tuple[dict[str, list[tuple[Diagnostic, Entry | None]]], set[str]]:
    """Run ``checks`` over ``target``: their findings on ``paths`` (None: all) by file, and the
    codes that crashed (each also added to ``crashed``)."""
    by_file: dict[str, list[tuple[Diagnostic, Entry | None]]] = {}
    failed: set[str] = set()
    for chk in checks:
        try:
            for diag, entry in _check_diagnostics(target, chk, today):
                if paths is None or diag.path in paths:
                    by_file.setdefault(diag.path, []).append((diag, entry))
        except Exception:  # noqa: BLE001 - one broken check must not hide the others' findings
            crashed.append((chk.code, traceback.format_exc()))
            failed.add(chk.code)
    return by_file, failed


def _per_entry_diagnostics(
    cat: Catalog, checks: list[Check], today: date, crashed: list[tuple[str, str]]
) -> list[tuple[Diagnostic, Entry | None]]:
    """The per-entry checks' findings: for files the parsing workers judged (:func:`prejudge`) or
    the cache holds under the same settings, day and registries, taken from there; the other files
    are re-judged over a catalogue restricted to them. Either way the findings come out grouped by
    file in catalogue order, so a run from the cache and a full run list them identically."""
    cache, cat.cache = cat.cache, None  # used once: a catalogue kept after the run does not hold the cache alive
    digest = cat.digests
    registries = [(sf.path, digest.get(sf.path, "")) for sf in cat.files if sf.kind != "power"] if cache else []
    key = per_entry_key(cat.settings, today, registries) if cache is not None and all(d for _, d in registries) else None
    held = cache.entry_findings(key) if cache is not None and key is not None else {}
    reuse = {rel for rel, (d, _, _) in held.items() if d and digest.get(rel) == d}
    if not (held and all(r in reuse for r, _ in registries)):
        reuse = set()  # nothing usable held: every file is judged, registries included
    pre, cat.prejudged = _prejudged(cat), {}  # used once, like the cache: not kept with the catalogue
    todo = {sf.path for sf in cat.files} - reuse - pre.keys()
    full = not reuse and not pre
    target = cat if full else cat.restricted(todo)
    by_file, failed = _by_file(target, checks, today, None if full else todo, crashed) if todo else ({}, set())
    owner = {e.path: e for e in cat.powers}
    out: list[tuple[Diagnostic, Entry | None]] = []
    store: dict[str, tuple[str, list[Diagnostic], str | None]] = {}
    for sf in cat.files:
        if sf.path in todo:
            got = by_file.get(sf.path, [])
        else:  # a check that crashed this run reports nothing, as in a full run
            found = pre[sf.path] if sf.path in pre else held[sf.path][1]
            got = [(d, owner.get(d.path)) for d in found if d.code not in failed]
        out.extend(got)
        store[sf.path] = (digest.get(sf.path, ""), [d for d, _ in got], sf.projection)
    if cache is not None and key is not None and not failed and (
            todo or pre or set(held) != set(store) or any(held[r][2] != p for r, (_, _, p) in store.items())):
        # Waivers set ``waived`` on these very objects later: store copies as found.
        cache.store_entry_findings(key, {rel: (d, [replace(x) for x in diags], p)
                                         for rel, (d, diags, p) in store.items()})
    return out


# A worker's registries, parsed and validated once per worker and catalogue (see prejudge).
_WORKER_REGISTRIES: dict[tuple[str, tuple[tuple[str, str], ...]], tuple[dict[str, Any], tuple[tuple[str, str], ...]]] = {}


def prejudge(settings: Settings, today: date, registries: tuple[tuple[str, str], ...], root: str,
             results: list[FileResult]) -> dict[str, tuple[tuple[tuple[str, str], ...], list[Diagnostic]]]:
    """The parsing workers' hook (catalog.parallel.Judge): the per-entry checks' findings on the
    power files of one parsed chunk, judged over the chunk and the registries ``registries``
    ((path, kind), which the worker reads itself), with the digests of the registries it read.

    A cold check of a large catalogue is bound by the main process, which validates every file
    and then judged every entry while the workers only parsed: the per-entry checks move to the
    workers, and the main process keeps what only the whole catalogue can judge. Nothing when a
    check crashed: the main process then judges the chunk itself and reports the crash."""
    from powerlist.catalog.build import assemble, load_file
    from powerlist.catalog.parallel import parse_one

    base = Path(root)
    memo = _WORKER_REGISTRIES.get((root, registries))
    if memo is None:
        regs: dict[str, Any] = {}
        used = []
        for rel, kind in registries:
            r = parse_one(root, rel, settings.limits)
            regs[rel] = load_file(rel, kind, r.parsed, base, settings.limits)
            used.append((rel, r.digest))
        _WORKER_REGISTRIES.clear()  # one catalogue per worker: keep only the latest
        memo = _WORKER_REGISTRIES[(root, registries)] = (regs, tuple(used))
    regs, used_digests = memo
    kinds = dict(registries)
    powers = [r for r in results if r.rel not in kinds]
    loaded = dict(regs)
    for r in powers:
        # Not released (no root): the data stays for locating a finding, and the top-level table a
        # released file keeps is not worth making for the few files with findings.
        loaded[r.rel] = load_file(r.rel, "power", r.parsed, share=False)
    chunk = assemble(base, settings, [*registries, *((r.rel, "power") for r in powers)], loaded)
    crashed: list[tuple[str, str]] = []
    by_file, _ = _by_file(chunk, per_entry_checks(settings), today, {r.rel for r in powers}, crashed)
    if crashed:
        return {}
    return {r.rel: (used_digests, [d for d, _ in by_file.get(r.rel, [])]) for r in powers}


def _prejudged(cat: Catalog) -> dict[str, list[Diagnostic]]:
    """The workers' findings (:func:`prejudge`) made with the registries this catalogue holds."""
    if not cat.prejudged:
        return {}
    regs = tuple((sf.path, cat.digests.get(sf.path, "")) for sf in cat.files if sf.kind != "power" and not sf.refused)
    return {rel: diags for rel, (used, diags) in cat.prejudged.items() if used == regs}


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
            if named and all(silenced(cat, codes[c].needs) for c in named if c in codes):
                continue  # the waived check could not judge (a registry is missing: R012): we cannot tell
            why = T("没有对应任何问题", "it suppresses nothing") if named else T(
                "没有这个代码", "no check has this code")
            out.append(to_diagnostic(S_UNUSED_WAIVER, _severity(chosen[S_UNUSED_WAIVER], cat), Finding(
                e, key, T(f"对 {w.code} 的豁免{why.zh}，请删除", f"the waiver of {w.code}: {why.en}; remove it"))))
    return out


# ------------------------------------------------------------------ S026: elements an import lacked

# Element -> (Chinese name, codes whose per-power finding it replaces, does a power lack it?)
_ELEMENTS: dict[str, tuple[str, tuple[str, ...], Callable[[Power], bool]]] = {
    "process": ("运行流程图", ("P001",), lambda p: p.process is None or not p.process.steps),
    "basis_text": ("设定依据", ("B001",), lambda p: not p.basis),
    "time_limit": ("办结时限", (), lambda p: p.time_limit is None),
    "responsibilities": ("责任事项", (), lambda p: not p.responsibilities),
    "accountability": ("追责情形", (), lambda p: not p.accountability),
}


def fold_missing_elements(cat: Catalog, chosen: dict[str, Check], active: list[Diagnostic]) -> list[Diagnostic]:
    """One S026 warning per element in ``[import] missing`` instead of one finding per power lacking it.
    Only findings that say exactly "this element is absent" are folded; everything else stays."""
    missing = [m for m in cat.settings.import_missing if m in _ELEMENTS]
    if S_ELEMENT_MISSING not in chosen or not missing:
        return active
    lacking: dict[str, set[str]] = {}
    for m in missing:
        lacks = _ELEMENTS[m][2]
        lacking[m] = {e.id for e in cat.powers if e.id is not None and lacks(e.power)}
    folded = {code: m for m in missing for code in _ELEMENTS[m][1]}
    kept = [d for d in active if not (d.code in folded and d.entry in lacking[folded[d.code]])]
    line = _toml_line(cat, "missing")
    sev = _severity(chosen[S_ELEMENT_MISSING], cat)
    for m in missing:
        name, codes, _ = _ELEMENTS[m]
        n = len(lacking[m])
        if not n:
            continue
        also_zh = f"（{'、'.join(codes)} 不再逐项报告）" if codes else ""
        also_en = f" ({', '.join(codes)} not reported per power)" if codes else ""
        kept.append(Diagnostic("S026", sev, "powerlist.toml", line, 1, None, T(
            f"导入来源缺少{name}（{m}）：{n} 项事项没有{also_zh}",
            f"the imported source lacked {m}: {n} power(s) without it{also_en}")))
    kept.sort(key=Diagnostic.sort_key)
    return kept


def _toml_line(cat: Catalog, key: str) -> int:
    """The line of ``key`` in powerlist.toml (1 when it cannot be read)."""
    src = cat.settings.source
    try:
        lines = src.read_text(encoding="utf-8-sig").splitlines() if src is not None else []
    except OSError:
        return 1
    return next((i for i, ln in enumerate(lines, 1) if ln.strip().startswith(key)), 1)

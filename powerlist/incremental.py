"""Re-checking one edited file instead of the catalogue (issue 15).

A cross-entry check (duplicates, one matter one department, registries' use …) judges what it
reads of every power. When the files edited since the cached result still read the same to every
cross-entry check — their projection (catalog/projection.py) is unchanged — and none of the
cached cross-entry findings involves them, those findings stand as they are. Only the edited
files are then loaded and judged: their load problems, the per-entry checks and their waivers.
Everything else comes from the cached result, which is proven to be the result of the same
settings, day and code over the files as they were (its cache key).

Whenever any of this cannot be proven the full run happens instead (it is never wrong, only
slower): files added, removed or refused; a registry or the configuration edited; an upper list
or ``[import] missing`` configured (they compare across files); a check that crashed; more than
one file in :data:`MAX_SHARE` changed; a projection that moved, or a cross-entry finding on an
edited file (its lines may have moved). tests/test_incremental.py compares every step with a run
without cache.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from powerlist.catalog import load_catalog
from powerlist.catalog.cache import Cache, result_key
from powerlist.catalog.layout import Discovered
from powerlist.checks import all_checks
from powerlist.checks.base import PER_ENTRY
from powerlist.config import Settings
from powerlist.diagnostics import Diagnostic, Result
from powerlist.engine import judge_files, per_entry_key

MAX_SHARE = 50  # at most one file in 50 edited: beyond that the full run costs about the same


def rerun(root: Path, settings: Settings, today: date, files: Discovered, cache: Cache) -> Result | None:
    """The result after the edits, judging only the edited files; None when the full run must happen.
    Call after :meth:`Cache.current_result` missed (it hashed the files whose signature changed)."""
    prev = cache.result
    if prev is None or prev.crashed or files.refused or settings.upper or settings.import_missing:
        return None
    before = {rel: sig.digest for rel, sig in cache.sigs.items()}
    now = cache.digests
    if set(before) != set(now) or set(before) != {rel for rel, _ in files}:
        return None  # a file added, removed or unreadable
    settings_fp, day = settings.fingerprint(), today.isoformat()
    if result_key(before, settings_fp, day) != cache.result_key:
        return None  # the held result is of other settings, another day or other code
    kinds = dict(files)
    changed = {rel for rel, digest in now.items() if digest != before[rel]}
    if not changed or any(kinds[rel] != "power" for rel in changed) or len(changed) * MAX_SHARE > len(now):
        return None
    key = per_entry_key(settings, today, [(rel, now[rel]) for rel, kind in files if kind != "power"])
    held = cache.entry_findings(key)
    if any(rel not in held or held[rel][0] != before[rel] or held[rel][2] is None for rel in changed):
        return None
    cross = {code for code, chk in all_checks().items() if chk.func is not None and code not in PER_ENTRY}
    for d in (*prev.diagnostics, *prev.waived):
        if d.code in cross and (d.path in changed or any(r.path in changed for r in d.related)):
            return None
    # A few files are parsed in less time than the parse layer (150 MB at 25,000 powers) takes to read.
    cache.parse_layer = False
    cat = load_catalog(root, settings, cache=cache,
                       files=Discovered([(rel, kind) for rel, kind in files if kind != "power" or rel in changed]))
    cat.cache = None
    if any(sf.path in changed and sf.projection != held[sf.path][2] for sf in cat.files):
        return None
    judged = judge_files(cat, changed, today)
    if judged is None:
        return None
    active, waived, per_entry = judged
    result = Result(_merged(prev.diagnostics, active, changed), _merged(prev.waived, waived, changed),
                    prev.entries, prev.files, [], paths=prev.paths, completeness=prev.completeness)
    projections = {sf.path: sf.projection for sf in cat.files}
    cache.store_entry_findings(key, {**held, **{rel: (now[rel], per_entry.get(rel, []), projections[rel])
                                                for rel in changed}})
    cache.save_result(settings_fp, day, result)
    return result


def _merged(kept: list[Diagnostic], fresh: list[Diagnostic], changed: set[str]) -> list[Diagnostic]:
    out = [d for d in kept if d.path not in changed]
    out.extend(fresh)
    out.sort(key=Diagnostic.sort_key)
    return out

"""Baselines: adopt powerlist today on a catalogue with years of debt.

``check --write-baseline FILE`` records the findings of this run; ``check --baseline FILE`` then
sets aside the findings the file already knows and fails only on new ones. A finding is known by
:meth:`Diagnostic.fingerprint` (code, path, entry and message, but no line number, so that edits
above a finding do not make it "new"). Identical fingerprints are counted: a baseline that knows
two copies of a finding sets aside two, and a third copy is new.

The file is JSON, sorted, one finding per line, so that a pull request that shrinks the debt
shows it in review::

    {"version": 1, "tool": "powerlist",
     "findings": [{"fingerprint": "S016|powers/a/x.yaml|SL-XK-001|file name ...", "count": 1}, ...]}
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from powerlist import fsutil
from powerlist.diagnostics import Result, display

VERSION = 1


class BaselineError(Exception):
    """The baseline file cannot be used; the run cannot happen (exit 2)."""


@dataclass(frozen=True)
class Baseline:
    counts: dict[str, int]  # fingerprint -> how many findings carry it

    @classmethod
    def of(cls, result: Result) -> Baseline:
        """Today's findings (waived ones are accepted already and not recorded)."""
        return cls(dict(Counter(display(d.fingerprint()) for d in result.diagnostics)))  # non-UTF-8 names

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    def dumps(self) -> str:
        rows = [{"fingerprint": fp, "count": n} for fp, n in sorted(self.counts.items())]
        lines = ",\n".join("  " + json.dumps(r, ensure_ascii=False) for r in rows)
        body = f"[\n{lines}\n]" if rows else "[]"
        return f'{{"version": {VERSION}, "tool": "powerlist", "findings": {body}}}\n'


def parse(text: str, source: str = "baseline") -> Baseline:
    """Read a baseline written by :meth:`Baseline.dumps`; anything else is a :class:`BaselineError`."""
    try:
        doc: Any = json.loads(text)
    except json.JSONDecodeError as exc:
        raise BaselineError(f"{source}: not a powerlist baseline (invalid JSON: {exc})") from None
    if not isinstance(doc, dict) or not isinstance(doc.get("findings"), list):
        raise BaselineError(f"{source}: not a powerlist baseline (expected an object with a \"findings\" list)")
    if doc.get("version") != VERSION:
        raise BaselineError(f"{source}: unsupported baseline version {doc.get('version')!r} (expected {VERSION})")
    counts: dict[str, int] = {}
    for i, row in enumerate(doc["findings"]):
        fp = row.get("fingerprint") if isinstance(row, dict) else None
        n = row.get("count", 1) if isinstance(row, dict) else None
        if not isinstance(fp, str) or not fp or not isinstance(n, int) or isinstance(n, bool) or n < 1:
            raise BaselineError(f"{source}: findings[{i}] must be {{\"fingerprint\": text, \"count\": positive integer}}")
        counts[fp] = counts.get(fp, 0) + n
    return Baseline(counts)


def load(path: Path) -> Baseline:
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise BaselineError(f"baseline file not found: {path} (create it with --write-baseline {path})") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise BaselineError(f"cannot read baseline {path}: {exc}") from None
    return parse(text, str(path))


def apply(result: Result, baseline: Baseline) -> tuple[Result, int]:
    """Move findings the baseline knows from ``diagnostics`` to ``baselined`` (so they no longer
    count towards the exit status). Also returns how many recorded findings no longer occur."""
    remaining = Counter(baseline.counts)
    active, known = [], []
    for d in result.diagnostics:
        fp = display(d.fingerprint())
        if remaining[fp] > 0:
            remaining[fp] -= 1
            known.append(d)
        else:
            active.append(d)
    return replace(result, diagnostics=active, baselined=known), sum(remaining.values())


def write_atomic(path: Path, text: str) -> None:
    """Replace ``path`` in one step: a reader (or a crash) never sees half a file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fsutil.write_atomic(path, text)


def write(path: Path, result: Result) -> Baseline:
    baseline = Baseline.of(result)
    try:
        write_atomic(path, baseline.dumps())
    except OSError as exc:
        raise BaselineError(f"cannot write baseline {path}: {exc.strerror or exc}") from None
    return baseline

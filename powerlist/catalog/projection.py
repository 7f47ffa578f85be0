"""A power file's *projection*: a hash of everything about it that a cross-entry check may read.

When a file is edited and its projection does not change, no cross-entry check can judge the
catalogue differently, so a re-run keeps their findings and re-judges only that file (see
powerlist/incremental.py). The projection is the file's data without the keys no cross-entry
check reads (:data:`CROSS_BLIND`), plus what the Result's completeness counts of those keys (is
there a flowchart, 责任事项, a time limit). tests/test_incremental.py runs every cross-entry check
with every model field read recorded and fails if one reads a blind key.

The data hashed is the parse (before validation): validation maps each field on its own (strict
models, no cross-field validators), so equal data gives equal models.
"""

from __future__ import annotations

import hashlib
from typing import Any

import orjson

from powerlist.models import Power

# Keys of a power that only per-entry checks (and the per-file outputs) read. The edits an office
# makes most — a 责任事项 line, a step of the flowchart, a remark — then cost one file's check.
CROSS_BLIND = frozenset({"responsibilities", "accountability", "remarks", "process", "time_limit"})

_OPTS = orjson.OPT_SORT_KEYS | orjson.OPT_NON_STR_KEYS


def raw_projection(data: Any) -> str | None:
    """The hash of a power file's data without its blind keys; None when it cannot be had (not a
    mapping, or a value JSON cannot carry): such a file is always re-judged in full."""
    if not isinstance(data, dict):
        return None
    try:
        blob = orjson.dumps({k: v for k, v in data.items() if k not in CROSS_BLIND}, option=_OPTS)
    except (TypeError, ValueError):
        return None
    return hashlib.blake2b(blob, digest_size=16).hexdigest()


def projection(raw: str | None, power: Power | None) -> str | None:
    """The file's projection: its :func:`raw_projection` and what completeness counts of the blind
    keys (powerlist/completeness.py). None for a file without one valid power."""
    if raw is None or power is None:
        return None
    process = power.process is not None and bool(power.process.steps)
    limit = power.time_limit is not None and (power.time_limit.statutory is not None
                                              or power.time_limit.promised is not None)
    return f"{raw}:{int(process)}{int(limit)}{int(bool(power.responsibilities))}"

"""``manifest.json``: what was published, from which source, and a checksum of every file, so that
a reader can verify a copy of the export and trace it back to the catalogue's commit."""

from __future__ import annotations

import os
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import orjson

from powerlist import __version__
from powerlist.diagnostics import Diagnostic
from powerlist.export.clean import Cleaned
from powerlist.export.outdir import GENERATOR, MANIFEST, Staging


def source_commit(root: Path) -> tuple[str | None, bool | None]:
    """(HEAD commit, whether the catalogue has uncommitted changes); (None, None) outside git."""
    from powerlist.gitutil import GitError, run_git

    try:
        commit = run_git(["rev-parse", "--verify", "HEAD"], root).decode().strip()
        dirty = bool(run_git(["status", "--porcelain", "-z", "--", "."], root))
    except GitError:
        return None, None
    return commit, dirty


def generated_at() -> str:
    """Now in UTC, or SOURCE_DATE_EPOCH when set (reproducible builds)."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "")
    when = datetime.fromtimestamp(int(epoch), UTC) if epoch.isdigit() else datetime.now(UTC)
    return when.replace(microsecond=0).isoformat().replace("+00:00", "Z")


def publication(root: Path) -> tuple[str, str]:
    """(publication date, catalogue version) for the footer of every site page: the manifest's own
    timestamp and commit, the date as read in China (UTC+8, which keeps no summer time)."""
    stamp = datetime.fromisoformat(generated_at().replace("Z", "+00:00")).astimezone(timezone(timedelta(hours=8)))
    commit, dirty = source_commit(root)
    if commit is None:
        return stamp.date().isoformat(), "未记录（目录不在 git 版本库中）"
    return stamp.date().isoformat(), commit[:12] + ("（含未提交的修改）" if dirty else "")


def build(cl: Cleaned, out: Staging, formats: list[str], allowed: list[Diagnostic]) -> dict[str, Any]:
    cat = cl.catalog
    commit, dirty = source_commit(cat.root)
    files = {rel: dict(zip(("sha256", "bytes"), out.digest(rel), strict=True)) for rel in out.files() if rel != MANIFEST}
    return {
        "generator": GENERATOR,
        "powerlist_version": __version__,
        "generated_at": generated_at(),
        "source": {"catalog": cat.root.resolve().name, "commit": commit, "dirty": dirty},
        "formats": formats,
        "counts": {
            "powers_in_catalog": len(cat.powers) + sum(1 for e in cat.broken if e.kind == "power"),
            "powers_published": len(cl.powers),
            "abolished_dropped": len(cl.dropped),
            "skipped": len(cl.skipped),
            "bodies": len(cat.body_by_id),
            "laws": len(cat.law_by_id),
            "by_category": {c: len(v) for c, v in cl.by_category.items()},
        },
        "dropped": [{"id": d.entry.id, "name": d.entry.power.name, "path": d.entry.path, "reason": d.reason,
                     "decision": d.decision} for d in cl.dropped],
        "skipped": [{"path": p, "reason": why} for p, why in cl.skipped],
        "errors_allowed": [d.to_json("zh") | {"message_en": d.message.en} for d in allowed],
        "files": files,
    }


def write(cl: Cleaned, out: Staging, formats: list[str], allowed: list[Diagnostic]) -> dict[str, Any]:
    data = build(cl, out, formats, allowed)
    out.write_bytes(MANIFEST, orjson.dumps(data, option=orjson.OPT_INDENT_2) + b"\n")
    return data

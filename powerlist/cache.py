"""The check cache (``.powerlist_cache/`` beside the catalogue, or ``--cache-dir``).

Two layers, both keyed by file *content* hashes, the powerlist version and code, and the settings:
- parsed files, by content hash: an edited file is re-parsed, the others are not;
- the whole result, by the hash of (every path + content hash, settings, code, today's date): an
  unchanged catalogue costs one stat per file and a small load.

Content hashes are found cheaply through each file's stat signature (size, mtime, ctime, inode),
as git does — ctime changes on every write and cannot be set back — with git's rule for "racily
clean" files: a signature taken within two seconds of the cache write is not trusted next time,
so an edit in the same timestamp tick is still re-hashed. The cache
never serves a result it cannot prove current; any unreadable cache is ignored and rebuilt.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import time
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import powerlist
from powerlist.fsutil import write_atomic

CACHE_DIRNAME = ".powerlist_cache"
_FORMAT = 4
_RACY_NS = 2_000_000_000


@lru_cache(maxsize=1)
def code_fingerprint() -> str:
    """powerlist's version plus the size and mtime of its own files, so a code change (even
    without a version bump) invalidates cached results."""
    h = hashlib.blake2b(digest_size=16)
    h.update(f"{powerlist.__version__}|{_FORMAT}".encode())
    base = Path(powerlist.__file__).parent
    for dirpath, dirnames, filenames in os.walk(base):
        dirnames[:] = sorted(d for d in dirnames if d != "__pycache__")
        for f in sorted(filenames):
            if f.endswith((".py", ".csv")):
                st = os.stat(os.path.join(dirpath, f))
                h.update(f"{os.path.relpath(os.path.join(dirpath, f), base)}|{st.st_size}|{st.st_mtime_ns}".encode())
    return h.hexdigest()


@dataclass
class FileSig:
    size: int
    mtime_ns: int
    ctime_ns: int  # changes on every write and cannot be set back, unlike mtime
    ino: int
    digest: str
    trusted: bool  # False for racily clean signatures: re-hash next time


@dataclass
class Cache:
    folder: Path
    sigs: dict[str, FileSig] = field(default_factory=dict)
    result_key: str | None = None
    result: Any = None
    _parsed: dict[str, bytes] | None = None  # content hash -> pickled parse (bytes: compact in memory)
    _parsed_dirty: bool = False

    # ------------------------------------------------------------------ loading

    @classmethod
    def open(cls, folder: Path) -> Cache:
        cache = cls(folder)
        try:
            with open(folder / "index.pickle", "rb") as fh:
                header, sigs, key, result = pickle.load(fh)
            if header == code_fingerprint():
                cache.sigs, cache.result_key, cache.result = sigs, key, result
        except Exception:  # noqa: BLE001 - a missing or corrupt cache is simply rebuilt
            pass
        return cache

    def known_digest(self, rel: str, st: os.stat_result) -> str | None:
        """The content hash of ``rel`` if its stat signature proves it unchanged."""
        sig = self.sigs.get(rel)
        if (sig and sig.trusted and sig.size == st.st_size and sig.mtime_ns == st.st_mtime_ns
                and sig.ctime_ns == st.st_ctime_ns and sig.ino == st.st_ino):
            return sig.digest
        return None

    @property
    def parsed(self) -> dict[str, bytes]:
        if self._parsed is None:
            self._parsed = {}
            try:
                with open(self.folder / "parsed.pickle", "rb") as fh:
                    header, parsed = pickle.load(fh)
                if header == code_fingerprint():
                    self._parsed = parsed
            except Exception:  # noqa: BLE001 - rebuilt when unreadable
                pass
        return self._parsed

    def store_parsed(self, digest: str, value: bytes) -> None:
        if digest and self.parsed.get(digest) is None:
            self.parsed[digest] = value
            self._parsed_dirty = True

    # ------------------------------------------------------------------ saving

    def save(self, stats: dict[str, os.stat_result], digests: dict[str, str], key: str, result: Any) -> None:
        """Write atomically; never fail the run because the cache folder is not writable."""
        now = time.time_ns()
        self.sigs = {
            rel: FileSig(st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino, digests[rel],
                         now - max(st.st_mtime_ns, st.st_ctime_ns) > _RACY_NS)
            for rel, st in stats.items() if digests.get(rel)
        }
        self.result_key, self.result = key, result
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            gi = self.folder / ".gitignore"
            if not gi.exists():
                gi.write_text("# created by powerlist: never commit the cache\n*\n", encoding="utf-8")
            _atomic_pickle(self.folder / "index.pickle", (code_fingerprint(), self.sigs, key, result))
            if self._parsed_dirty and self._parsed is not None:
                live = set(digests.values())
                # drop entries no file has any more, so the cache does not grow forever
                kept = {d: v for d, v in self._parsed.items() if d in live}
                _atomic_pickle(self.folder / "parsed.pickle", (code_fingerprint(), kept))
        except OSError:
            pass


def _atomic_pickle(path: Path, obj: Any) -> None:
    write_atomic(path, pickle.dumps(obj, protocol=pickle.HIGHEST_PROTOCOL), mode=0o600)


def content_hash(raw: bytes) -> str:
    return hashlib.blake2b(raw, digest_size=16).hexdigest()


def result_key(digests: dict[str, str], settings_fp: str, today: str) -> str:
    h = hashlib.blake2b(digest_size=20)
    h.update(f"{code_fingerprint()}|{settings_fp}|{today}".encode())
    for rel in sorted(digests):
        h.update(f"\n{rel}\0{digests[rel]}".encode())
    return h.hexdigest()

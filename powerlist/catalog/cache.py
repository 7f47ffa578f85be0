"""The check cache (``.powerlist_cache/`` beside the catalogue, or ``--cache-dir``).

Three layers, all keyed by file *content* hashes, the powerlist version and code, and the settings:
- parsed files, by content hash: an edited file is re-parsed, the others are not;
- the findings of the per-entry checks (checks/base.py ``PER_ENTRY``), per file by content hash,
  under a key of the settings, the day and the registries' hashes: an edited file is re-checked by
  them, the others are not (the engine runs the cross-entry checks over the whole catalogue);
- the whole result, by the hash of (every path + content hash, settings, code, today's date): an
  unchanged catalogue costs one stat per file and a small load.

Content hashes are found cheaply through each file's stat signature (size, mtime, ctime, inode),
as git does — ctime changes on every write and cannot be set back — with git's rule for "racily
clean" files: a signature taken within two seconds of the cache write is not trusted next time,
so an edit in the same timestamp tick is still re-hashed. The cache
never serves a result it cannot prove current; any unreadable cache is ignored and rebuilt.

The cache folder travels with the catalogue, so whoever writes the catalogue can write it too:
its files hold data only (JSON, decoded by explicit functions that check every type — never
pickle), and each is signed with a key kept outside the catalogue
(``$XDG_CACHE_HOME/powerlist/cache.key``, mode 0600). A file whose signature does not verify —
shipped with the catalogue, written by another user or machine, or damaged — is ignored and
rebuilt. Without a usable key the cache is neither read nor written.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import struct
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import orjson

from powerlist.catalog.gcpause import collector_off
from powerlist.catalog.layout import Discovered
from powerlist.diagnostics import Diagnostic, Related, Result, Severity
from powerlist.fsutil import read_inside, read_regular, write_atomic
from powerlist.i18n import Text
from powerlist.signing import CACHE_DIRNAME, Signature, cache_key, sign, signature, trusted, verified
from powerlist.signing import code_fingerprint as _code_and_version

INDEX_NAME = "index.bin"
PARSED_NAME = "parsed.bin"
FINDINGS_NAME = "findings.bin"
_FORMAT = 7
# Above this many files the parse layer is skipped (the result layer still applies): measured at
# 100,000 powers, loading every file's parse back from the cache was only 3 % faster than parsing
# with two workers, and holding them pushed peak memory past 2.5 GB.
PARSE_CACHE_MAX_FILES = 50_000


def code_fingerprint() -> str:
    """The code's fingerprint (signing.py) with this cache's format: either changing drops what was stored."""
    return f"{_code_and_version()}|{_FORMAT}"


class CacheFormatError(ValueError):
    """Cache data of the wrong shape or type: the cache is ignored and rebuilt."""


# ---------------------------------------------------------------------------- data-only codecs


def _want(ok: bool, what: str) -> None:
    if not ok:
        raise CacheFormatError(what)


def _is_int(v: object) -> bool:
    return type(v) is int  # bool is an int subclass: refuse it


def _opt_str(v: object) -> bool:
    return v is None or type(v) is str


def _fields(v: object, n: int, what: str) -> list[Any]:
    """``v`` as a list of exactly ``n`` items (each still to be checked by the caller)."""
    if not isinstance(v, list) or len(v) != n:
        raise CacheFormatError(what)
    return v


def encode_diagnostic(d: Diagnostic) -> list[Any]:
    return [d.code, d.severity.value, d.path, d.line, d.column, d.entry, d.message.zh, d.message.en,
            [[r.path, r.line, r.entry] for r in d.related], d.waived, d.waiver_reason]


_SEVERITIES = {s.value: s for s in Severity}


def decode_diagnostic(v: object) -> Diagnostic:
    code, sev, path, line, col, entry, zh, en, related, waived, reason = _fields(v, 11, "diagnostic")
    _want(type(code) is str and sev in _SEVERITIES and type(path) is str and _is_int(line) and _is_int(col)
          and _opt_str(entry) and type(zh) is str and type(en) is str and type(related) is list
          and type(waived) is bool and _opt_str(reason), "diagnostic fields")
    return Diagnostic(code, _SEVERITIES[sev], path, line, col, entry, Text(zh, en),
                      [_decode_related(r) for r in related], waived, reason)


def _decode_related(v: object) -> Related:
    path, line, entry = _fields(v, 3, "related")
    _want(type(path) is str and _is_int(line) and _opt_str(entry), "related fields")
    return Related(path, line, entry)


def encode_result(r: Result) -> dict[str, Any]:
    return {
        "diagnostics": [encode_diagnostic(d) for d in r.diagnostics],
        "waived": [encode_diagnostic(d) for d in r.waived],
        "baselined": [encode_diagnostic(d) for d in r.baselined],
        "entries": r.entries, "files": r.files,
        "crashed": [list(c) for c in r.crashed],
        "paths": list(r.paths),
        "completeness": r.completeness,
    }


def decode_result(v: object) -> Result:
    if not isinstance(v, dict):
        raise CacheFormatError("result")
    _want(set(v) == {"diagnostics", "waived", "baselined", "entries", "files", "crashed", "paths", "completeness"},
          "result keys")
    comp = v["completeness"]
    _want(comp is None or (type(comp) is dict and all(type(k) is str and _is_int(n) for k, n in comp.items())),
          "completeness")
    lists = [v["diagnostics"], v["waived"], v["baselined"], v["crashed"], v["paths"]]
    _want(all(type(x) is list for x in lists) and _is_int(v["entries"]) and _is_int(v["files"]), "result fields")
    crashed = v["crashed"]
    _want(all(type(c) is list and len(c) == 2 and all(type(s) is str for s in c) for c in crashed), "crashed")
    _want(all(type(p) is str for p in v["paths"]), "paths")
    return Result(
        diagnostics=[decode_diagnostic(d) for d in v["diagnostics"]],
        waived=[decode_diagnostic(d) for d in v["waived"]],
        entries=v["entries"], files=v["files"],
        crashed=[(c[0], c[1]) for c in crashed],
        baselined=[decode_diagnostic(d) for d in v["baselined"]],
        paths=tuple(v["paths"]),
        completeness=comp,
    )


@dataclass(slots=True)
class FileSig:
    size: int
    mtime_ns: int
    ctime_ns: int  # changes on every write and cannot be set back, unlike mtime
    ino: int
    digest: str
    trusted: bool  # False for racily clean signatures: re-hash next time

    def encode(self) -> list[Any]:
        return [self.size, self.mtime_ns, self.ctime_ns, self.ino, self.digest, self.trusted]


def _decode_index(payload: memoryview) -> tuple[dict[str, FileSig], str | None, Result | None]:
    v = orjson.loads(payload)
    _want(type(v) is dict and v.get("fp") == code_fingerprint(), "index header")
    sigs, key, result = v.get("sigs"), v.get("key"), v.get("result")
    _want(type(sigs) is dict and _opt_str(key), "index fields")
    decoded = {}
    for rel, sig in sigs.items():  # inlined FileSig.decode: 25,000 calls fewer at 25,000 powers
        _want(type(sig) is list and len(sig) == 6, "signature")
        size, mtime, ctime, ino, digest, trusted = sig
        _want(type(size) is int and type(mtime) is int and type(ctime) is int and type(ino) is int
              and type(digest) is str and type(trusted) is bool, "signature fields")
        decoded[rel] = FileSig(size, mtime, ctime, ino, digest, trusted)
    return decoded, key, None if result is None else decode_result(result)


def _encode_parsed(blobs: dict[str, bytes]) -> bytes:
    """A header (fingerprint, then each digest and blob length) followed by the blobs, which stay
    bytes until a file needs them."""
    header = orjson.dumps({"fp": code_fingerprint(), "index": [[d, len(b)] for d, b in blobs.items()]})
    return b"".join([struct.pack(">I", len(header)), header, *blobs.values()])


def _decode_parsed(payload: memoryview) -> dict[str, bytes]:
    _want(len(payload) >= 4, "parsed header length")
    (hlen,) = struct.unpack(">I", payload[:4])
    _want(4 + hlen <= len(payload), "parsed header")
    head = orjson.loads(payload[4:4 + hlen])
    _want(type(head) is dict and head.get("fp") == code_fingerprint() and type(head.get("index")) is list,
          "parsed header fields")
    out: dict[str, bytes] = {}
    at = 4 + hlen
    for item in head["index"]:
        _want(type(item) is list and len(item) == 2 and type(item[0]) is str and _is_int(item[1])
              and item[1] >= 0, "parsed index")
        out[item[0]] = bytes(payload[at:at + item[1]])
        at += item[1]
    _want(at == len(payload), "parsed length")
    return out


# Per file: (content hash, located diagnostics of the per-entry checks, before waivers).
# rel -> (content hash, the per-entry checks' findings, the file's projection: catalog/projection.py)
EntryFindings = dict[str, tuple[str, list[Diagnostic], str | None]]


def _encode_findings(key: str, files: EntryFindings) -> bytes:
    return orjson.dumps({"fp": code_fingerprint(), "key": key,
                         "files": {rel: [d, [encode_diagnostic(x) for x in diags], proj]
                                   for rel, (d, diags, proj) in files.items()}})


def _decode_findings(payload: memoryview) -> tuple[str, EntryFindings]:
    v = orjson.loads(payload)
    _want(type(v) is dict and v.get("fp") == code_fingerprint() and type(v.get("key")) is str
          and type(v.get("files")) is dict, "findings header")
    out: EntryFindings = {}
    for rel, item in v["files"].items():
        digest, diags, proj = _fields(item, 3, "findings entry")
        _want(type(digest) is str and type(diags) is list and _opt_str(proj), "findings entry fields")
        out[rel] = (digest, [decode_diagnostic(d) for d in diags], proj)
    return v["key"], out


def findings_key(settings_fp: str, today: str, codes: list[str], registries: list[tuple[str, str]]) -> str:
    """What every per-entry finding may depend on besides its own file: settings, day, the codes
    run, and the registry files (path and content hash)."""
    h = hashlib.blake2b(digest_size=20)
    h.update(f"{code_fingerprint()}|{settings_fp}|{today}|{','.join(codes)}".encode())
    for rel, digest in sorted(registries):
        h.update(f"\n{rel}\0{digest}".encode("utf-8", "surrogateescape"))
    return h.hexdigest()


# ---------------------------------------------------------------------------- the cache


@dataclass
class Cache:
    folder: Path
    key: bytes | None = None  # None: no trustworthy key, so the cache is neither read nor written
    sigs: dict[str, FileSig] = field(default_factory=dict)
    result_key: str | None = None
    result: Result | None = None
    _parsed: dict[str, bytes] | None = None  # content hash -> encoded parse (see parallel.to_blob)
    _parsed_dirty: bool = False
    _parsed_new: int = 0  # parses stored this run
    _parsed_held: int = 0  # parses read from the cache file
    # What this run found on disk (see :meth:`survey`): stat and content hash of every file.
    stats: dict[str, os.stat_result] = field(default_factory=dict)
    digests: dict[str, str] = field(default_factory=dict)
    parse_layer: bool = True  # whether parses are read from and written to the cache this run
    _findings: tuple[str, EntryFindings] | None = None  # (key, per-file findings) of the per-entry checks
    _findings_dirty: bool = False
    _unknown: list[str] = field(default_factory=list)  # files whose signature proves nothing
    surveyed_ns: int = 0  # when the survey began (every stat it took is no older)

    # ------------------------------------------------------------------ loading

    @classmethod
    def open(cls, folder: Path) -> Cache:
        """The cache in ``folder``, which is created now, before the catalogue is listed: creating
        it changes the catalogue folder's mtime, which would spoil this run's proof (replay.py)."""
        cache = cls(folder, cache_key())
        if cache.key is not None:
            with contextlib.suppress(OSError):  # unwritable: the run goes on without writing
                cache._make_folder()
        decoded = cache._read(INDEX_NAME, b"index", _decode_index)
        if decoded is not None:
            cache.sigs, cache.result_key, cache.result = decoded
        return cache

    def _read(self, name: str, role: bytes, decode: Callable[[memoryview], Any]) -> Any:
        """Decoded content of a cache file, or None when it is missing, not signed by us or not of
        the expected shape: the caller then rebuilds it."""
        if self.key is None:
            return None
        try:
            # The folder travels with the catalogue: a FIFO or a link to a device planted under a
            # cache file's name must not hang the run or fill memory.
            raw = read_regular(self.folder / name)
            payload = verified(self.key, role, raw)
            return None if payload is None else decode(payload)
        except (OSError, ValueError, TypeError, KeyError, RecursionError):
            return None

    @property
    def parsed(self) -> dict[str, bytes]:
        if self._parsed is None:
            self._parsed = self._read(PARSED_NAME, b"parsed", _decode_parsed) or {}
            self._parsed_held = len(self._parsed)
        return self._parsed

    def store_parsed(self, digest: str, value: bytes | None) -> None:
        """Keep a fresh parse; it replaces any held one (that one could not be decoded)."""
        if digest and value is not None:
            self.parsed[digest] = value
            self._parsed_dirty = True
            self._parsed_new += 1

    def entry_findings(self, key: str) -> EntryFindings:
        """The per-entry checks' findings per file, if held under ``key`` (else nothing)."""
        if self._findings is None:
            self._findings = self._read(FINDINGS_NAME, b"findings", _decode_findings) or ("", {})
        held_key, files = self._findings
        return files if held_key == key else {}

    def store_entry_findings(self, key: str, files: EntryFindings) -> None:
        """Keep this run's per-entry findings; written with the result (:meth:`save`)."""
        self._findings = (key, files)
        self._findings_dirty = True

    # ------------------------------------------------------------------ one run

    def survey(self, root: Path, files: list[tuple[str, str]]) -> None:
        """Stat every file of the run; a file whose stat signature proves it unchanged gets its
        content hash without being read. Refused paths (layout.Refused) are never read, but a new
        one must change the result key."""
        self.stats, self.digests, self._unknown = {}, {}, []
        self.parse_layer = len(files) <= PARSE_CACHE_MAX_FILES
        self.surveyed_ns = time.time_ns()
        base = str(root) + os.sep
        stats, digests, unknown, sigs = self.stats, self.digests, self._unknown, self.sigs
        for rel, _ in files:
            try:
                st = os.stat(base + rel)
            except OSError:
                unknown.append(rel)
                continue
            stats[rel] = st
            sig = sigs.get(rel)  # the content hash, if the stat signature proves the file unchanged
            if (sig is not None and sig.trusted and sig.mtime_ns == st.st_mtime_ns and sig.size == st.st_size
                    and sig.ctime_ns == st.st_ctime_ns and sig.ino == st.st_ino):
                digests[rel] = sig.digest
            else:
                unknown.append(rel)
        self.digests.update({f"refused:{r.rel}": r.code for r in getattr(files, "refused", ())})

    def proof(self, root: Path, files: Discovered) -> list[Signature] | None:
        """The signatures (replay.py) of every surveyed file and every folder listed to find them,
        or None when one is missing, too young to trust, or the listing holds links (layout.py)."""
        folders = files.folders
        if folders is None or len(self.stats) != len(files):
            return None
        # the files whose signature changed since the last run are the likely young ones: first
        if not all(trusted(self.stats[rel], self.surveyed_ns) for rel in self._unknown if rel in self.stats):
            return None
        out = [signature(os.path.abspath(path), st, files.listed_ns) for path, st in folders]
        base = os.path.abspath(root)
        out += [signature(os.path.join(base, rel), st, self.surveyed_ns) for rel, st in self.stats.items()]
        return None if None in out else out  # type: ignore[return-value]

    def current_result(self, root: Path, settings_fp: str, today: str) -> Result | None:
        """The cached result if it is provably the result of the surveyed files, settings, code and
        day; then the signatures of touched files are refreshed."""
        if self.result is None:
            return None
        # Worth hashing the files whose signature changed: the result may still be valid.
        for rel in self._unknown:
            try:
                self.digests[rel] = content_hash(read_inside(root, rel))  # never blocks on a FIFO swapped in
            except OSError:
                self.digests[rel] = ""
        key = result_key(self.digests, settings_fp, today)
        if key != self.result_key:
            return None
        self.save(self.stats, self.digests, key, self.result)
        return self.result

    def parse_blob(self, rel: str) -> bytes | None:
        """The cached parse of ``rel`` as surveyed (see parallel.from_blob), if held."""
        return self.parsed.get(self.digests.get(rel, "")) if self.parse_layer else None

    def save_result(self, settings_fp: str, today: str, result: Result) -> None:
        """Store ``result`` as the result of the surveyed files (digests of parsed files included)."""
        self.save(self.stats, self.digests, result_key(self.digests, settings_fp, today), result)

    # ------------------------------------------------------------------ saving

    def save(self, stats: dict[str, os.stat_result], digests: dict[str, str], key: str, result: Result) -> None:
        """Write atomically; never fail the run because the cache folder is not writable."""
        # Collector off: after a check the heap holds the whole catalogue, and the signatures built
        # here would trigger full collections over it (measured: 4 s of a 25,000-power re-run).
        with collector_off():
            self._save(stats, digests, key, result)

    def _save(self, stats: dict[str, os.stat_result], digests: dict[str, str], key: str, result: Result) -> None:
        now = time.time_ns()
        self.sigs = {
            rel: FileSig(st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino, digests[rel], trusted(st, now))
            for rel, st in stats.items() if digests.get(rel)
        }
        self.result_key, self.result = key, result
        if self.key is None:
            return
        try:
            self._make_folder()
            index = {"fp": code_fingerprint(), "sigs": {rel: s.encode() for rel, s in self.sigs.items()},
                     "key": key, "result": encode_result(result)}
            self._write(INDEX_NAME, b"index", orjson.dumps(index))
            if self._findings_dirty and self._findings is not None:
                self._write(FINDINGS_NAME, b"findings", _encode_findings(*self._findings))
            if self._parsed_dirty and self._parsed is not None and self._parse_layer_worth_writing():
                live = set(digests.values())
                # drop entries no file has any more, so the cache does not grow forever
                kept = {d: v for d, v in self._parsed.items() if d in live}
                self._write(PARSED_NAME, b"parsed", _encode_parsed(kept))
        except (OSError, TypeError):  # TypeError: orjson.JSONEncodeError
            pass  # unwritable folder, or text JSON cannot hold (a file name that is not UTF-8)

    def _make_folder(self) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        gi = self.folder / ".gitignore"
        if not gi.exists():
            gi.write_text("# created by powerlist: never commit the cache\n*\n", encoding="utf-8")

    def _parse_layer_worth_writing(self) -> bool:
        """A few fresh parses (an edited file or two) do not pay for rewriting every held parse
        (150 MB at 25,000 powers): those files are parsed again next time, which costs milliseconds.
        Many fresh parses, or a parse layer that was missing or unreadable, are written."""
        return self._parsed_held == 0 or self._parsed_new > max(50, self._parsed_held // 50)

    def _write(self, name: str, role: bytes, payload: bytes) -> None:
        assert self.key is not None
        write_atomic(self.folder / name, sign(self.key, role, payload), mode=0o600)


def content_hash(raw: bytes) -> str:
    return hashlib.blake2b(raw, digest_size=16).hexdigest()


def result_key(digests: dict[str, str], settings_fp: str, today: str) -> str:
    h = hashlib.blake2b(digest_size=20)
    h.update(f"{code_fingerprint()}|{settings_fp}|{today}".encode())
    for rel in sorted(digests):
        h.update(f"\n{rel}\0{digests[rel]}".encode("utf-8", "surrogateescape"))  # non-UTF-8 file names
    return h.hexdigest()

"""Read, hash and parse catalogue files, in worker processes when there are enough of them.

Workers send back plain data (each file's parse as JSON, which the cache then stores as is), never
models: pickling pydantic models back eats most of the gain (loader-facts.md). Workers die with
their parent, so a killed run leaves no process behind. The depth pre-scan in the loader
keeps libyaml from segfaulting; should a worker die anyway, its files are re-parsed one per
process so that the culprit is named instead of the run failing.
"""

from __future__ import annotations

import binascii
import contextlib
import os
import signal
import sys
import threading
import time
from array import array
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from multiprocessing import get_context
from pathlib import Path
from typing import Any

import orjson

from powerlist.catalog.cache import CacheFormatError, content_hash
from powerlist.catalog.gcpause import collector_off
from powerlist.catalog.parse import S_SYNTAX, LazyPositions, LoadProblem, Parsed, parse_bytes, read_and_parse
from powerlist.fsutil import read_regular
from powerlist.i18n import T
from powerlist.limits import Limits

# Below this many files a pool costs more to start than it saves.
POOL_THRESHOLD = 800
CHUNK = 250
ORPHAN_POLL_SECONDS = 1.0


@dataclass(slots=True)
class FileResult:
    rel: str
    digest: str
    parsed: Parsed
    blob: bytes | None = None  # the data-only encoding, when a worker made it (reused by the cache)
    judged: Any = None  # what the pool's ``judge`` hook made of this file in the worker (see iter_parse)

    def cache_blob(self) -> bytes | None:
        """The data-only encoding the cache stores (None: JSON cannot hold this file's data)."""
        return self.blob if self.blob is not None else to_blob(self)


def _read(path: str, limits: Limits) -> tuple[bytes | None, int]:
    try:
        raw = read_regular(path, limits.max_file_bytes + 1)  # a FIFO swapped in after discovery is refused
    except OSError:
        return None, 0
    return raw, len(raw)


def parse_one(root: str, rel: str, limits: Limits) -> FileResult:
    path = os.path.join(root, rel)
    raw, size = _read(path, limits)
    if raw is None:
        return FileResult(rel, "", read_and_parse(path, limits))  # reports the OS error
    digest = content_hash(raw) if size <= limits.max_file_bytes else f"big:{os.path.getsize(path)}"
    return FileResult(rel, digest, parse_bytes(raw, limits))


# ---------------------------------------------------------------------------- encodings
# On disk (the cache) a parse is JSON, read back by from_blob, which checks every type: a cache
# file must never be able to run code. Between this process and its own workers (memory, never
# disk) a parse JSON cannot hold exactly (.inf, .nan, integers beyond 64 bits) travels as the object.


def _b64(a: array) -> str:
    return binascii.b2a_base64(a.tobytes(), newline=False).decode("ascii")


def _unb64(v: object) -> array:
    if type(v) is not str:
        raise CacheFormatError("positions")
    raw = binascii.a2b_base64(v, strict_mode=True)  # binascii.Error is a ValueError
    if len(raw) % 4:
        raise CacheFormatError("positions length")
    out = array("I")
    out.frombytes(raw)
    return out


def _positions_out(a: array) -> object:
    # Positions the fast parser left to compute travel as the text they are computed from, so
    # neither a worker nor the cache computes them for a file without findings.
    if isinstance(a, LazyPositions) and a.text is not None:
        return [a.text, a.pairs]
    return _b64(a)


def _positions_in(v: object) -> array:
    if type(v) is list and len(v) == 2 and type(v[0]) is str and type(v[1]) is int and v[1] >= 0:
        return LazyPositions(v[0], v[1])
    return _unb64(v)


def to_blob(r: FileResult) -> bytes | None:
    """One parse as JSON: [rel, digest, data, positions, problems, top]; None when JSON would not
    give the same data back. Positions are base64 of the array, or [text, pairs] while still to
    be computed (parse.LazyPositions)."""
    p = r.parsed
    probs = [[q.code, q.line, q.column, q.message.zh, q.message.en, None if q.key is None else list(q.key)]
             for q in p.problems]
    try:
        blob = orjson.dumps([r.rel, r.digest, p.data, _positions_out(p.positions), probs, _b64(p.top)])
    except TypeError:  # orjson.JSONEncodeError: a huge integer, an unpaired surrogate
        return None
    # orjson writes a non-finite float as null: only a blob with a null can have lost one (checking
    # every blob by decoding it again cost twice the encoding).
    if type(p.data) in (dict, list) and b"null" in blob and orjson.loads(blob)[2] != p.data:
        return None
    return blob


def from_blob(blob: bytes) -> FileResult:
    """Decode :func:`to_blob`'s JSON, checking every type; CacheFormatError (a ValueError) if any
    part is not what to_blob writes."""
    v = orjson.loads(blob)
    if type(v) is not list or len(v) != 6 or type(v[0]) is not str or type(v[1]) is not str:
        raise CacheFormatError("parse")
    rel, digest, data, pos, probs, top = v
    if type(probs) is not list:
        raise CacheFormatError("problems")
    r = FileResult(rel, digest, Parsed(data, _positions_in(pos), [_problem(q) for q in probs], _unb64(top)))
    r.blob = blob
    return r


def _problem(v: object) -> LoadProblem:
    if type(v) is not list or len(v) != 6:
        raise CacheFormatError("problem")
    code, line, col, zh, en, key = v
    if not (type(code) is str and type(line) is int and type(col) is int and type(zh) is str and type(en) is str
            and (key is None or (type(key) is list and all(type(k) in (str, int) for k in key)))):
        raise CacheFormatError("problem fields")
    return LoadProblem(code, line, col, T(zh, en), None if key is None else tuple(key))


# JSON bytes from to_blob, else the FileResult itself, carried by the pool's own transport: nothing
# here unpickles bytes of its own (a catalogue author controls the parsed values, never the stream).
_Wire = bytes | FileResult


def _to_wire(r: FileResult) -> _Wire:
    blob = to_blob(r)
    return r if blob is None else blob


def _from_wire(w: _Wire) -> FileResult:
    return w if isinstance(w, FileResult) else from_blob(w)


Judge = Callable[[str, list[FileResult]], dict[str, Any]]
"""A hook the workers run on each chunk once it is parsed: (root, the chunk's results) -> what it
made of each file, by path (a file it left out gets None). It runs in the worker, so it must be a
module-level function (or a functools.partial of one) over picklable arguments."""


def _chunk_worker(root: str, rels: list[str], limits: Limits,
                  judge: Judge | None = None) -> tuple[list[_Wire], dict[str, Any]]:
    with collector_off():  # bulk allocation of small containers: the collector costs ~2x here and frees nothing
        results = [parse_one(root, rel, limits) for rel in rels]
        # Encoded per file, before the hook sees the data: the main process keeps the JSON as is for the cache.
        wires = [_to_wire(r) for r in results]
        judged: dict[str, Any] = {}
        if judge is not None:
            try:
                judged = judge(root, results)
            except Exception:  # noqa: BLE001 - the hook only saves work: the main process does it instead
                judged = {}
        return wires, judged


# ---------------------------------------------------------------------------- orphans


def _die_with_parent(parent: int) -> None:
    """Pool initializer: a worker whose parent is gone (kill -9) exits instead of living on."""
    if sys.platform.startswith("linux"):
        _pdeathsig()
    if os.getppid() != parent:  # the parent died before prctl took effect
        os._exit(1)
    threading.Thread(target=_watch_parent, args=(parent,), name="powerlist-orphan-watch", daemon=True).start()


def _pdeathsig() -> None:
    """Linux: have the kernel send SIGKILL the moment the parent dies."""
    import ctypes

    pr_set_pdeathsig = 1
    with contextlib.suppress(OSError, AttributeError):  # no prctl: the watcher thread still applies
        ctypes.CDLL(None, use_errno=True).prctl(pr_set_pdeathsig, signal.SIGKILL, 0, 0, 0)


def _watch_parent(parent: int) -> None:
    """Portable fallback: an orphan is re-parented, so its parent id changes."""
    while True:
        time.sleep(ORPHAN_POLL_SECONDS)
        if os.getppid() != parent:
            os._exit(1)


def _pool(workers: int) -> ProcessPoolExecutor:
    return ProcessPoolExecutor(max_workers=workers, mp_context=get_context("fork"),
                               initializer=_die_with_parent, initargs=(os.getpid(),))


def _chunks(items: list[str], size: int) -> Iterable[list[str]]:
    for i in range(0, len(items), size):
        yield items[i:i + size]


def default_workers(n_files: int) -> int:
    if n_files < POOL_THRESHOLD:
        return 1
    return max(1, min(os.cpu_count() or 1, 4))


def iter_parse(
    root: Path, rels: list[str], limits: Limits, workers: int | None = None,
    progress: Callable[[int], None] | None = None, judge: Judge | None = None,
) -> Iterator[FileResult]:
    """Yield each file's result as soon as its chunk is parsed (in submission order), so the
    caller can validate while the workers go on parsing.

    ``judge`` runs in the workers on each parsed chunk, its answer per file arriving as
    :attr:`FileResult.judged`: work the main process then need not do. Only where there are workers
    (never in-process, nor for a file re-parsed alone after a worker died): a caller must cope with
    ``judged`` None."""
    n = workers if workers is not None else default_workers(len(rels))
    if n <= 1 or len(rels) < 2:
        with collector_off():
            for rel in rels:
                yield parse_one(str(root), rel, limits)
                if progress:
                    progress(1)
        return
    chunks = iter(list(_chunks(rels, max(1, min(CHUNK, len(rels) // (n * 4) or 1)))))
    pending: list[list[str]] = []
    with _pool(n) as pool:
        # A sliding window of chunks in flight: enough to keep every worker busy, few enough that
        # parsed results never pile up in memory while the caller validates.
        window: deque[tuple[list[str], Future[tuple[list[_Wire], dict[str, Any]]]]] = deque()

        def submit() -> None:
            chunk = next(chunks, None)
            if chunk is None:
                return
            try:
                window.append((chunk, pool.submit(_chunk_worker, str(root), chunk, limits, judge)))
            except BrokenProcessPool:
                pending.append(chunk)

        for _ in range(n * 3):
            submit()
        while window:
            chunk, fut = window.popleft()
            try:
                wires, judged = fut.result()
            except BrokenProcessPool:
                pending.append(chunk)
                submit()  # a broken pool refuses it: the chunk joins the others parsed one by one
                continue
            submit()
            for wire in wires:
                r = _from_wire(wire)
                r.judged = judged.get(r.rel)
                yield r
            if progress:
                progress(len(chunk))
    for chunk in pending:
        for rel in chunk:
            yield _isolated(root, rel, limits)
            if progress:
                progress(1)


def _isolated(root: Path, rel: str, limits: Limits) -> FileResult:
    """Parse one file in its own process; a crash becomes an S001 finding naming the file."""
    try:
        with _pool(1) as pool:
            return _from_wire(pool.submit(_chunk_worker, str(root), [rel], limits).result()[0][0])
    except BrokenProcessPool:
        return FileResult(rel, "", Parsed(None, problems=[LoadProblem(S_SYNTAX, 1, 1, T(
            "YAML 解析器在读取此文件时崩溃；请检查异常的嵌套或超长内容",
            "the YAML parser crashed on this file; look for extreme nesting or very long content"))]))

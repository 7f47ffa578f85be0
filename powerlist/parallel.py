"""Read, hash and parse catalogue files, in worker processes when there are enough of them.

Workers send back plain data (dicts, position bytes, problem tuples), never models: pickling
pydantic models back eats most of the gain (loader-facts.md). The depth pre-scan in the loader
keeps libyaml from segfaulting; should a worker die anyway, its files are re-parsed one per
process so that the culprit is named instead of the run failing.
"""

from __future__ import annotations

import os
import pickle
from array import array
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from multiprocessing import get_context
from pathlib import Path

from powerlist.cache import content_hash
from powerlist.i18n import T
from powerlist.loader import S_SYNTAX, Limits, LoadProblem, Parsed, read_and_parse

# Below this many files a pool costs more to start than it saves.
POOL_THRESHOLD = 800
CHUNK = 250


@dataclass(slots=True)
class FileResult:
    rel: str
    digest: str
    parsed: Parsed
    blob: bytes | None = None  # the pickled wire form, when it crossed a process boundary (reused by the cache)

    def wire_blob(self) -> bytes:
        return self.blob if self.blob is not None else pickle.dumps(_to_wire(self), protocol=pickle.HIGHEST_PROTOCOL)


# Plain tuples cross the process boundary: (rel, digest, data, positions bytes, problems as tuples)
_Wire = tuple[str, str, object, bytes, list[tuple[str, int, int, str, str, tuple | None]], bytes]


def _read(path: str, limits: Limits) -> tuple[bytes | None, int]:
    try:
        with open(path, "rb") as fh:
            raw = fh.read(limits.max_file_bytes + 1)
    except OSError:
        return None, 0
    return raw, len(raw)


def parse_one(root: str, rel: str, limits: Limits) -> FileResult:
    path = os.path.join(root, rel)
    raw, size = _read(path, limits)
    if raw is None:
        return FileResult(rel, "", read_and_parse(path, limits))  # reports the OS error
    digest = content_hash(raw) if size <= limits.max_file_bytes else f"big:{os.path.getsize(path)}"
    from powerlist.loader import parse_bytes

    return FileResult(rel, digest, parse_bytes(raw, limits))


def _to_wire(r: FileResult) -> _Wire:
    p = r.parsed
    probs = [(q.code, q.line, q.column, q.message.zh, q.message.en, q.key) for q in p.problems]
    return (r.rel, r.digest, p.data, p.positions.tobytes(), probs, p.top.tobytes())


def from_blob(blob: bytes) -> FileResult:
    r = _from_wire(pickle.loads(blob))
    r.blob = blob
    return r


def _from_wire(w: _Wire) -> FileResult:
    rel, digest, data, pos, probs, top_bytes = w
    positions = array("I")
    positions.frombytes(pos)
    top = array("I")
    top.frombytes(top_bytes)
    problems = [LoadProblem(c, line, col, T(zh, en), key) for c, line, col, zh, en, key in probs]
    return FileResult(rel, digest, Parsed(data, positions, problems, top))


def _chunk_worker(root: str, rels: list[str], limits: Limits) -> list[bytes]:
    import gc

    gc.disable()  # bulk allocation of small containers: the collector costs ~2x here and frees nothing
    try:
        # One blob per file: the main process keeps it as is for the cache instead of pickling again.
        return [pickle.dumps(_to_wire(parse_one(root, rel, limits)), protocol=pickle.HIGHEST_PROTOCOL)
                for rel in rels]
    finally:
        gc.enable()


def _chunks(items: list[str], size: int) -> Iterable[list[str]]:
    for i in range(0, len(items), size):
        yield items[i:i + size]


def default_workers(n_files: int) -> int:
    if n_files < POOL_THRESHOLD:
        return 1
    return max(1, min(os.cpu_count() or 1, 4))


def iter_parse(
    root: Path, rels: list[str], limits: Limits, workers: int | None = None,
    progress: Callable[[int], None] | None = None,
) -> Iterator[FileResult]:
    """Yield each file's result as soon as its chunk is parsed (in submission order), so the
    caller can validate while the workers go on parsing."""
    n = workers if workers is not None else default_workers(len(rels))
    if n <= 1 or len(rels) < 2:
        import gc

        gc.disable()
        try:
            for rel in rels:
                yield parse_one(str(root), rel, limits)
                if progress:
                    progress(1)
        finally:
            gc.enable()
        return
    chunks = iter(list(_chunks(rels, max(1, min(CHUNK, len(rels) // (n * 4) or 1)))))
    pending: list[list[str]] = []
    with ProcessPoolExecutor(max_workers=n, mp_context=get_context("fork")) as pool:
        # A sliding window of chunks in flight: enough to keep every worker busy, few enough that
        # parsed results never pile up in memory while the caller validates.
        window: deque[tuple[list[str], Future[list[bytes]]]] = deque()

        def submit() -> None:
            chunk = next(chunks, None)
            if chunk is None:
                return
            try:
                window.append((chunk, pool.submit(_chunk_worker, str(root), chunk, limits)))
            except BrokenProcessPool:
                pending.append(chunk)

        for _ in range(n * 3):
            submit()
        while window:
            chunk, fut = window.popleft()
            try:
                wires = fut.result()
            except BrokenProcessPool:
                pending.append(chunk)
                submit()  # a broken pool refuses it: the chunk joins the others parsed one by one
                continue
            submit()
            for blob in wires:
                yield from_blob(blob)
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
        with ProcessPoolExecutor(max_workers=1, mp_context=get_context("fork")) as pool:
            return from_blob(pool.submit(_chunk_worker, str(root), [rel], limits).result()[0])
    except BrokenProcessPool:
        return FileResult(rel, "", Parsed(None, problems=[LoadProblem(S_SYNTAX, 1, 1, T(
            "YAML 解析器在读取此文件时崩溃；请检查异常的嵌套或超长内容",
            "the YAML parser crashed on this file; look for extreme nesting or very long content"))]))

"""The export folder, written atomically: everything is built in a hidden temporary folder beside
``--out`` and swapped in at the end, so an interrupted export leaves the previous one whole.

Every write goes through :meth:`Staging.path`, which refuses absolute paths and ``..``: whatever a
catalogue contains (ids are file names), nothing is written outside ``--out``.
"""

from __future__ import annotations

import contextlib
import ctypes
import errno
import hashlib
import json
import os
import re
import shutil
import signal
import stat
import tempfile
import threading
from collections.abc import Iterator
from pathlib import Path, PurePosixPath
from types import TracebackType

from powerlist.i18n import T, Text

MANIFEST = "manifest.json"
GENERATOR = "powerlist"


class ExportError(Exception):
    """The export cannot happen (unsafe or unusable --out); nothing was written."""

    def __init__(self, message: Text, hint: Text | None = None) -> None:
        super().__init__(message.en)
        self.message = message
        self.hint = hint


def unwritable(out: Path, exc: OSError) -> ExportError:
    """An OS failure while making --out (its parent a file, /proc, a name too long, disk full,
    permission denied) as one line naming the path and the reason."""
    reason = exc.strerror or errno.errorcode.get(exc.errno or 0) or str(exc)
    where = os.fsdecode(exc.filename) if exc.filename is not None else None
    at = f" ({where})" if where and where not in (str(out), os.path.abspath(out)) else ""
    return ExportError(T(f"无法写入 --out {out}：{reason}{at}；原有的导出未改动",
                         f"cannot write the export to {out}: {reason}{at}; the previous export is unchanged"))


def _inside(child: Path, parent: Path) -> bool:
    return child == parent or parent in child.parents


def _is_previous_export(out: Path) -> bool:
    try:
        data = json.loads((out / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return isinstance(data, dict) and data.get("generator") == GENERATOR


def check_target(out: Path, catalog_root: Path) -> Path:
    """The absolute --out, after refusing every target that could destroy data (ExportError, also
    when the path cannot even be examined: a name too long, a parent that is a file)."""
    try:
        return _check_target(out, catalog_root)
    except OSError as exc:
        raise unwritable(out, exc) from None


def _check_target(out: Path, catalog_root: Path) -> Path:
    target = Path(os.path.abspath(out))
    real, root = target.resolve(), catalog_root.resolve()
    if _inside(real, root):
        raise ExportError(T(f"--out {out} 位于目录 {catalog_root} 之内，拒绝写入",
                            f"--out {out} is inside the catalogue {catalog_root}; refusing to write there"),
                          T("请选择目录之外的文件夹，例如 ../public", "choose a folder outside the catalogue, e.g. ../public"))
    if _inside(root, real):
        raise ExportError(T(f"目录 {catalog_root} 位于 --out {out} 之内，替换它会删除目录",
                            f"the catalogue {catalog_root} is inside --out {out}; replacing it would delete the catalogue"))
    if target.is_symlink():
        raise ExportError(T(f"--out {out} 是符号链接", f"--out {out} is a symbolic link"),
                          T("请直接给出实际文件夹", "pass the real folder instead"))
    if target.parent.exists() and not target.parent.is_dir():
        raise ExportError(T(f"--out {out} 的上级 {target.parent} 是文件，不是文件夹",
                            f"the parent of --out {out}, {target.parent}, is a file, not a folder"))
    if target.exists():
        if not target.is_dir():
            raise ExportError(T(f"--out {out} 是文件，不是文件夹", f"--out {out} is a file, not a folder"))
        if any(target.iterdir()) and not _is_previous_export(target):
            raise ExportError(
                T(f"--out {out} 不是空文件夹，也不是以前的导出结果，拒绝覆盖",
                  f"--out {out} is not empty and holds no earlier export (no {MANIFEST}); refusing to replace it"),
                T("请选择新的或空的文件夹", "choose a new or empty folder"))
    return target


# Temporary folders carry the pid of the export that made them, so that a later export can tell
# the leftovers of a killed one (pid gone) from a concurrent export still writing (pid alive).
# Names are cut so that the temporary name fits the 255-byte limit whatever --out is called.
_STEM_CHARS = 60


def _stem(target: Path) -> str:
    return target.name[:_STEM_CHARS]


def _temp_dir(target: Path, suffix: str) -> Path:
    prefix = f".{_stem(target)}.{os.getpid()}."
    return Path(tempfile.mkdtemp(prefix=prefix, suffix=suffix, dir=target.parent))


def _alive(pid: int) -> bool:
    """Whether a process ``pid`` exists; any doubt counts as alive, so nothing live is deleted."""
    if pid <= 0:
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (OSError, OverflowError):  # EPERM: exists under another user; overflow: not a pid of ours
        return True
    return True


def stale_temporaries(target: Path) -> list[Path]:
    """Temporary folders of earlier exports to ``target`` whose process is gone: exactly
    ``.<name>.<pid>.<8 chars from mkdtemp>.tmp`` (or ``.old``), a real folder, pid not running."""
    # A ".old" folder is the previous export only while a non-atomic swap is half done: when the
    # target is missing it may be the last copy, so it is kept.
    kinds = "tmp|old" if os.path.lexists(target) else "tmp"
    pattern = re.compile(re.escape(f".{_stem(target)}.") + rf"([0-9]{{1,10}})\.[a-z0-9_]{{8}}\.(?:{kinds})")
    found: list[Path] = []
    try:
        names = os.listdir(target.parent)
    except OSError:
        return found
    for name in names:
        m = pattern.fullmatch(name)
        if m is None or _alive(int(m.group(1))):
            continue
        path = target.parent / name
        with contextlib.suppress(OSError):
            if stat.S_ISDIR(os.lstat(path).st_mode):  # never follow a link, never a file
                found.append(path)
    return found


def remove_stale_temporaries(target: Path) -> list[Path]:
    """Delete what :func:`stale_temporaries` finds (a killed export leaves a full-size copy)."""
    gone = stale_temporaries(target)
    for path in gone:
        shutil.rmtree(path, ignore_errors=True)
    return gone


class Staging:
    """A temporary folder beside the target; :meth:`commit` swaps it in, leaving it removes it.

    Use as a context manager: an exception (or Ctrl-C) inside the block deletes the temporary
    folder and leaves the target exactly as it was.
    """

    def __init__(self, target: Path) -> None:
        self.target = target
        target.parent.mkdir(parents=True, exist_ok=True)
        remove_stale_temporaries(target)
        self.root = _temp_dir(target, ".tmp")
        self._committed = False
        self._dirs: set[Path] = {self.root}
        self._digests: dict[str, tuple[str, int]] = {}  # rel -> (sha256, bytes) of what was written

    def __enter__(self) -> Staging:
        return self

    def __exit__(self, et: type[BaseException] | None, ev: BaseException | None, tb: TracebackType | None) -> None:
        if not self._committed:
            shutil.rmtree(self.root, ignore_errors=True)

    def path(self, rel: str) -> Path:
        """The staged file for a relative POSIX path, its folder created; refuses to leave the folder."""
        parts = PurePosixPath(rel).parts
        if not parts or rel.startswith("/") or any(p in ("..", "") for p in parts) or "\\" in rel or "\0" in rel:
            raise ValueError(f"unsafe output path {rel!r}")
        p = self.root.joinpath(*parts)
        if p.parent not in self._dirs:
            p.parent.mkdir(parents=True, exist_ok=True)
            self._dirs.add(p.parent)
        return p

    def write_bytes(self, rel: str, data: bytes) -> None:
        self.path(rel).write_bytes(data)
        # Hashed while in memory: the manifest need not read thousands of files back.
        self._digests[rel] = (hashlib.sha256(data).hexdigest(), len(data))

    def written(self) -> dict[str, tuple[str, int]]:
        """Digests of the files written through :meth:`write_bytes` (by this process)."""
        return dict(self._digests)

    def add_digests(self, digests: dict[str, tuple[str, int]]) -> None:
        """Digests of files another process wrote into this folder."""
        self._digests.update(digests)

    def digest(self, rel: str) -> tuple[str, int]:
        """(sha256, size) of a staged file; files written through :meth:`path` are read back."""
        known = self._digests.get(rel)
        if known is not None:
            return known
        h = hashlib.sha256()
        size = 0
        with (self.root / rel).open("rb") as fh:
            for chunk in iter(lambda: fh.read(1 << 20), b""):
                h.update(chunk)
                size += len(chunk)
        return h.hexdigest(), size

    def write_text(self, rel: str, text: str, bom: bool = False) -> None:
        self.path(rel).write_bytes(("\ufeff" if bom else "").encode() + text.encode("utf-8"))

    def files(self) -> list[str]:
        """Every staged file as a sorted relative POSIX path."""
        out: list[str] = []
        for dirpath, _dirs, names in os.walk(self.root):
            base = Path(dirpath).relative_to(self.root).as_posix()
            out.extend(n if base == "." else f"{base}/{n}" for n in names)
        return sorted(out)

    def commit(self) -> None:
        """Swap the staged folder in. With renameat2(RENAME_EXCHANGE) the target never disappears,
        not even for an instant; elsewhere two renames leave a gap of microseconds."""
        # Ctrl-C is held off from the swap until the previous export is cleared away: an interrupt
        # in between would leave the new export published while the user is told it was not.
        with _uninterrupted():
            self._swap()

    def _swap(self) -> None:
        os.chmod(self.root, 0o755)  # mkdtemp makes it 0700; a published site must be readable
        if not self.target.exists():
            os.rename(self.root, self.target)
        elif _exchange(self.root, self.target):
            shutil.rmtree(self.root, ignore_errors=True)  # now holds the previous export
        else:
            old = _temp_dir(self.target, ".old")
            os.rmdir(old)
            os.rename(self.target, old)
            try:
                os.rename(self.root, self.target)
            except OSError:
                os.rename(old, self.target)
                raise
            shutil.rmtree(old, ignore_errors=True)
        self._committed = True


@contextlib.contextmanager
def _uninterrupted() -> Iterator[None]:
    """Ignore SIGINT for the duration (only the main thread may change signal handlers)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)


_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


def _exchange(a: Path, b: Path) -> bool:
    """Atomically exchange two paths (Linux renameat2); False where that is not available."""
    with contextlib.suppress(Exception):
        libc = ctypes.CDLL(None, use_errno=True)  # the running process already links libc
        fn = getattr(libc, "renameat2", None)
        if fn is not None:
            return fn(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE) == 0
    return False

"""Files safely: every command that writes a file goes through :func:`write_atomic`; a file that
must be regular (never a FIFO or device waited on) is read with :func:`read_regular`, and a file
of a catalogue with :func:`read_inside` (never through a link out of it)."""

from __future__ import annotations

import contextlib
import errno
import os
import stat
from typing import TYPE_CHECKING, BinaryIO

if TYPE_CHECKING:
    from pathlib import Path

# tempfile and pathlib are left out of the module's own imports: the replay (replay.py) reads
# through read_regular before anything else loads, and they cost it ~15 ms.


def _default_mode() -> int:
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


def write_atomic(path: Path, data: bytes | str, *, mode: int | None = None) -> None:
    """Replace ``path`` in one step: a reader, or a crash, never sees half a file.

    The temporary file lives in the same folder (``os.replace`` is atomic only within one file
    system). The result keeps the mode of the file it replaces — mkstemp's private 0600 would
    otherwise hide a report from colleagues — or gets the mode a plain write would have given.
    Text is written as UTF-8 exactly as given (no newline translation).
    """
    import tempfile

    raw = data.encode("utf-8") if isinstance(data, str) else data
    if mode is None:
        mode = path.stat().st_mode & 0o7777 if path.exists() else _default_mode()
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(raw)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise


def is_inside(root: str | Path, path: str | Path) -> bool:
    """Whether ``path``, all links resolved, lies inside ``root`` (also resolved)."""
    base = os.path.realpath(root)
    real = os.path.realpath(path)
    prefix = base if base.endswith(os.sep) else base + os.sep
    return real == base or real.startswith(prefix)


def open_regular(path: str | Path) -> BinaryIO:
    """Open for reading a file that is a regular file *when opened*.

    O_NONBLOCK makes opening a FIFO return at once instead of waiting for a writer; fstat then
    refuses it (and devices, sockets) before a single byte is read."""
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_BINARY", 0))
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise OSError(errno.EINVAL, "not a regular file", os.fsdecode(path))
        return os.fdopen(fd, "rb")
    except BaseException:
        os.close(fd)
        raise


def read_regular(path: str | Path, limit: int = -1) -> bytes:
    """Read at most ``limit`` bytes (all with -1) of a file that is a regular file when opened
    (:func:`open_regular`)."""
    with open_regular(path) as fh:
        return fh.read(limit)


def read_inside(root: str | Path, rel: str, limit: int = -1) -> bytes:
    """:func:`read_regular` of ``root/rel``, refused when the path resolves outside ``root``."""
    path = os.path.join(root, rel)
    if not is_inside(root, path):
        raise OSError(errno.EACCES, "points outside the catalogue", rel)
    return read_regular(path, limit)

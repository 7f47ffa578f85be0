"""Writing files safely: every command that writes a file goes through :func:`write_atomic`."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


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
        Path(tmp).unlink(missing_ok=True)
        raise

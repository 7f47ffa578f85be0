"""What stored results are signed and stamped with, in a module light enough for the replay
(powerlist/replay.py) to import before anything else: the signing key and the code fingerprint.

Files that travel with a catalogue (the cache folder) are written by whoever writes the
catalogue, so each is signed with a key kept outside it (``$XDG_CACHE_HOME/powerlist/cache.key``,
mode 0600): a file whose signature does not verify is ignored and rebuilt.
"""

from __future__ import annotations

import os
from functools import lru_cache
from typing import Any

import powerlist

# blake2b and a constant-time compare without hashlib/hmac, which load OpenSSL (~8 ms each at
# start-up; the replay's whole budget is ~100 ms). They are the very functions hashlib exposes.
try:
    from _blake2 import blake2b
    from _operator import _compare_digest as compare_digest
except ImportError:  # another Python implementation
    from hashlib import blake2b
    from hmac import compare_digest  # type: ignore[no-redef]

CACHE_DIRNAME = ".powerlist_cache"  # the cache folder beside the catalogue (catalog/cache.py, replay.py)
_KEY_BYTES = 32
_MAC_BYTES = 32
_PERSON = b"powerlist-cache"  # domain separation: this key signs nothing else
# git's rule for "racily clean" files: a stat signature taken within this long of the file's last
# change is not trusted, so an edit in the same timestamp tick is still seen.
RACY_NS = 2_000_000_000

Signature = list[Any]  # [path, size, mtime_ns, ctime_ns, inode]


def trusted(st: os.stat_result, taken_ns: int) -> bool:
    """Whether a stat taken at ``taken_ns`` or later proves its file (or folder) unchanged while it
    stays the same: its last change is older than :data:`RACY_NS`. A ctime cannot be set back, so
    an edit that restores size and mtime is still seen."""
    return taken_ns - max(st.st_mtime_ns, st.st_ctime_ns) > RACY_NS


def signature(path: str, st: os.stat_result, taken_ns: int) -> Signature | None:
    """``path``'s stat signature, taken at ``taken_ns`` or later; None when it is not
    :func:`trusted`."""
    if not trusted(st, taken_ns):
        return None
    return [path, st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino]


@lru_cache(maxsize=1)
def code_fingerprint() -> str:
    """powerlist's version plus the size and mtime of every file of the package (its data
    included), so a code change, even without a version bump, invalidates what was stored."""
    h = blake2b(digest_size=16)
    h.update(powerlist.__version__.encode())
    base = os.path.dirname(powerlist.__file__)
    for dirpath, dirnames, filenames in os.walk(base):
        dirnames[:] = sorted(d for d in dirnames if d != "__pycache__")
        for f in sorted(filenames):
            if not f.endswith((".pyc", ".pyo")):
                st = os.stat(os.path.join(dirpath, f))
                h.update(f"{os.path.relpath(os.path.join(dirpath, f), base)}|{st.st_size}|{st.st_mtime_ns}".encode())
    return h.hexdigest()


# ---------------------------------------------------------------------------- the signing key


def key_path() -> str | None:
    """``$XDG_CACHE_HOME/powerlist/cache.key``; a relative XDG_CACHE_HOME is ignored (XDG spec)."""
    xdg = os.environ.get("XDG_CACHE_HOME", "")
    if not os.path.isabs(xdg):
        xdg = os.path.join(os.path.expanduser("~"), ".cache")
        if not os.path.isabs(xdg):  # no home directory to be found
            return None
    return os.path.join(xdg, "powerlist", "cache.key")


def cache_key() -> bytes | None:
    """This user's signing key, created on first use; None when it cannot be had safely."""
    path = key_path()
    return None if path is None else _key_at(path)


def _key_at(path: str) -> bytes | None:
    key = _read_key(path)
    if key is None and not os.path.lexists(path):
        key = _create_key(path)
    return key


def _read_key(path: str) -> bytes | None:
    """The key, if it is a private regular file of ours of the right size (a key others can read
    or write could have signed anything)."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
    except OSError:
        return None
    try:
        st = os.fstat(fd)
        if not _private_file(st) or st.st_size != _KEY_BYTES:
            return None
        key = os.read(fd, _KEY_BYTES + 1)
    except OSError:
        return None
    finally:
        os.close(fd)
    return key if len(key) == _KEY_BYTES else None


def _private_file(st: os.stat_result) -> bool:
    import stat

    if not stat.S_ISREG(st.st_mode):
        return False
    return not hasattr(os, "geteuid") or (st.st_uid == os.geteuid() and not st.st_mode & 0o077)


def _create_key(path: str) -> bytes | None:
    """Write a new key beside its final name, then link it into place: the key appears whole
    and mode 0600 or not at all, and of two runs creating it at once both end with the same."""
    import contextlib
    import secrets

    folder = os.path.dirname(path)
    tmp = f"{path}.{os.getpid()}.{secrets.token_hex(4)}.tmp"
    try:
        os.makedirs(folder, mode=0o700, exist_ok=True)
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0), 0o600)
        try:
            os.write(fd, secrets.token_bytes(_KEY_BYTES))
            os.fsync(fd)
        finally:
            os.close(fd)
        with contextlib.suppress(FileExistsError):  # another run won the race: use its key
            os.link(tmp, path)
    except OSError:
        return None
    finally:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
    return _read_key(path)


def _mac(key: bytes, role: bytes, payload: bytes | memoryview) -> bytes:
    h = blake2b(key=key, digest_size=_MAC_BYTES, person=_PERSON)
    h.update(role + b"\0")  # an index cannot pass for a parse layer, nor the reverse
    h.update(payload)
    return h.digest()


def sign(key: bytes, role: bytes, payload: bytes) -> bytes:
    return _mac(key, role, payload) + payload


def verified(key: bytes, role: bytes, raw: bytes) -> memoryview | None:
    """The payload of a signed file, or None if its signature is not ours."""
    if len(raw) < _MAC_BYTES:
        return None
    payload = memoryview(raw)[_MAC_BYTES:]
    if not compare_digest(_mac(key, role, payload), raw[:_MAC_BYTES]):
        return None
    return payload

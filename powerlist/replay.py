"""Replaying a check: ``powerlist check CATALOGUE`` run again on a catalogue that has not changed
prints what the last identical run printed, before typer, pydantic or rich are imported.

An unchanged re-run used to cost ~0.5 s, nearly all of it start-up (imports, option parsing)
around a result already served whole from the cache. Here the run that computed the output
records it with what it depended on, and the next run with the same command line replays it
only when it can prove that nothing it depended on has changed:

- the command line, the current folder, the environment (COLUMNS, NO_COLOR, GITHUB_ACTIONS, the
  locale …), which of stdin/stderr is a terminal and its size, the Python executable and version,
  the site-packages folder (an install changes it), powerlist's own files and today's date;
- the stat signature (size, mtime, ctime, inode) of every catalogue file, of every folder that
  was listed to find them (an added, removed or renamed file changes its folder's mtime) and of
  the configuration file. As in the cache (catalog/cache.py), a signature younger than two
  seconds when it was taken is never trusted, so an edit in the same clock tick is seen, and a
  ctime cannot be set back.

Nothing is recorded when the proof cannot be had: stdout is a terminal (colours and widths are
the terminal's), an option outside the plain ones below is given, the catalogue holds links or
refused paths, upper-level lists are configured, a check crashed or the run could not happen.
Then the ordinary path runs — with the cache, which is itself never stale.

The record lives in the cache folder (``replay.bin``), signed like the cache's files with the
user's key (signing.py): a record that travels with the catalogue from anyone else is ignored.
"""

from __future__ import annotations

import contextlib
import os
import sys
import time
from typing import Any

from powerlist.signing import CACHE_DIRNAME, Signature, blake2b, cache_key, code_fingerprint, sign, signature, verified

NAME = "replay.bin"
_ROLE = b"replay"
_VERSION = 1
_MAX_BYTES = 256 << 20  # a record past this was not written by us
_KEEP = 8  # outputs kept for one state of the catalogue (text, json, … with different options)

# The options of `check` a replay accepts. Anything else — an output file, --no-cache, a
# baseline, --changed-since, --upper, stdin, several paths — goes to the full command line.
_FLAGS = frozenset({"--strict", "--no-source", "--quiet", "-q", "--show-all"})
_VALUED = frozenset({"--format", "-f", "--as-of", "--lang", "--cache-dir", "--select", "-s", "--ignore", "-i",
                     "--config"})
# Variables that differ between two runs of the same command in the same shell and touch no output.
_VOLATILE_ENV = frozenset({"_", "PWD", "OLDPWD", "SHLVL"})


class Request:
    """A `check` command line the replay may answer: its catalogue folder and cache folder."""

    __slots__ = ("argv", "cache_dir", "folder")

    def __init__(self, argv: list[str], folder: str, cache_dir: str | None) -> None:
        self.argv, self.folder, self.cache_dir = argv, folder, cache_dir

    @property
    def record_path(self) -> str:
        return os.path.join(self.cache_dir or os.path.join(self.folder, CACHE_DIRNAME), NAME)


pending: Request | None = None  # the request the full run may record (set by serve_argv on a miss)


def request(argv: list[str]) -> Request | None:
    """The request in ``argv`` (the arguments after the program name), or None when the replay
    does not apply to it."""
    if not argv or argv[0] != "check" or _stdout_is_terminal():
        return None
    positional: list[str] = []
    cache_dir = None
    i = 1
    while i < len(argv):
        arg = argv[i]
        if arg == "--":
            positional.extend(argv[i + 1:])
            break
        if arg.startswith("-") and arg != "-":
            name, eq, value = arg.partition("=")
            if name in _FLAGS and not eq:
                i += 1
                continue
            if name not in _VALUED or (not eq and i + 1 >= len(argv)):
                return None
            if not eq:
                i += 1
                value = argv[i]
            if name == "--cache-dir":
                cache_dir = value
        else:
            positional.append(arg)
        i += 1
    if len(positional) != 1 or positional[0] == "-":
        return None
    return Request(argv, positional[0], cache_dir)


def _stdout_is_terminal() -> bool:
    return os.isatty(1)


def serve_argv(argv: list[str]) -> int | None:
    """Print the recorded output and return its exit status; None when the full run must happen
    (then :data:`pending` holds the request if that run may record itself)."""
    global pending
    pending = None
    req = request(argv)
    if req is None:
        return None
    code = serve(req)
    if code is None:
        pending = req
    return code


def serve(req: Request) -> int | None:
    record = _load(req.record_path)
    if record is None:
        return None
    try:
        hit = record["outputs"].get(_context_key(req.argv))
        if hit is None or not _unchanged(record):
            return None
        code, text = hit
        if type(code) is not int or type(text) is not str:
            return None
    except (KeyError, TypeError, ValueError, AttributeError):
        return None
    sys.stdout.write(text)
    sys.stdout.flush()
    return code


def _load(path: str) -> dict[str, Any] | None:
    """The record at ``path`` if it is ours (signed with this user's key) and of this code."""
    key = cache_key()
    if key is None:
        return None
    from powerlist.fsutil import read_regular  # never waits on a FIFO, never reads a device

    try:
        raw = read_regular(path, _MAX_BYTES + 1)
    except OSError:
        return None
    if len(raw) > _MAX_BYTES:
        return None  # not written by us
    payload = verified(key, _ROLE, raw)
    if payload is None:
        return None
    import json  # not orjson: importing it costs ~25 ms, a quarter of the budget

    try:
        record = json.loads(bytes(payload))
    except (ValueError, RecursionError):
        return None
    if type(record) is not dict or record.get("v") != _VERSION or record.get("fp") != code_fingerprint():
        return None
    return record


def _unchanged(record: dict[str, Any]) -> bool:
    if record["day"] != _today():
        return False
    base = record["base"]
    for rel, size, mtime, ctime, ino in record["paths"]:
        try:
            st = os.stat(base + rel)
        except OSError:
            return False
        if st.st_mtime_ns != mtime or st.st_size != size or st.st_ctime_ns != ctime or st.st_ino != ino:
            return False
    return True


def _today() -> str:
    """The local date, as ``date.today()`` gives it to the full run (waivers expire by it)."""
    return time.strftime("%Y-%m-%d")


def _context_key(argv: list[str]) -> str:
    """Everything outside the catalogue that the output may depend on, hashed."""
    terminals = []
    for fd in (0, 2):  # stdout is never a terminal here; rich takes its width from these
        try:
            terminals.append([fd, os.isatty(fd), *os.get_terminal_size(fd)])
        except OSError:
            terminals.append([fd, os.isatty(fd)])
    env = sorted((k, v) for k, v in os.environ.items() if k not in _VOLATILE_ENV)
    h = blake2b(digest_size=20)
    h.update(repr((argv, os.getcwd(), env, terminals, sys.executable, sys.version, _site_stamp())).encode(
        "utf-8", "surrogateescape"))
    return h.hexdigest()


def _site_stamp() -> list[list[int]]:
    """The site-packages folders' signatures: installing or removing a package changes them."""
    out = []
    for folder in sys.path:
        if folder.endswith("-packages"):
            try:
                st = os.stat(folder)
            except OSError:
                continue
            out.append([st.st_mtime_ns, st.st_ctime_ns, st.st_ino])
    return out


# ---------------------------------------------------------------------------- recording


def config_signature(root: str, config: str | None) -> list[Signature] | None:
    """The signature of the configuration file the run reads, taken before it is read: [] when
    there is none (one appearing changes the catalogue folder's signature); None when it cannot
    be trusted."""
    path = os.path.abspath(config or os.path.join(root, "powerlist.toml"))
    now = time.time_ns()
    try:
        st = os.stat(path)
    except OSError:
        return None if config else []
    sig = signature(path, st, now)
    return None if sig is None else [sig]


def offer(proof: list[Signature] | None, config: list[Signature] | None, cache_dir: str, text: str,
          code: int) -> None:
    """Record ``text`` and ``code`` as the output of the pending request, if the run's inputs are
    proven (``proof``: the catalogue's signatures, from the cache's survey). Never fails the run."""
    req = pending
    if req is None or proof is None or config is None or code not in (0, 1):
        return
    if os.path.abspath(os.path.join(cache_dir, NAME)) != os.path.abspath(req.record_path):
        return  # the next run would look elsewhere (a catalogue found above the folder given)
    from pathlib import Path

    import orjson

    from powerlist.fsutil import write_atomic

    signed = [*proof, *config]
    base = os.path.commonpath([sig[0] for sig in signed])
    paths = [[sig[0][len(base):], *sig[1:]] for sig in signed]  # stored once: half the bytes to read
    record = _load(req.record_path)
    day = _today()
    if record is None or record.get("base") != base or record.get("paths") != paths or record.get("day") != day:
        record = {"v": _VERSION, "fp": code_fingerprint(), "day": day, "base": base, "paths": paths, "outputs": {}}
    outputs: dict[str, Any] = record["outputs"]
    outputs.pop(ctx := _context_key(req.argv), None)
    outputs[ctx] = [code, text]
    while len(outputs) > _KEEP:
        outputs.pop(next(iter(outputs)))
    key = cache_key()
    if key is None or not os.path.isdir(cache_dir):  # the cache made the folder (and its .gitignore)
        return
    # OSError: an unwritable folder; TypeError: text JSON cannot hold a non-UTF-8 file name
    with contextlib.suppress(OSError, TypeError):
        write_atomic(Path(req.record_path), sign(key, _ROLE, orjson.dumps(record)), mode=0o600)

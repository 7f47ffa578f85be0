"""Git, run safely: the few questions powerlist asks a repository (``check --changed-since``,
``diff --git``).

Every call goes through :func:`run_git`: a fixed argument list (never a shell), ``-z`` output so
that Chinese and other non-ASCII paths arrive unquoted, ``C`` locale messages, and failures raised
as :class:`GitError` with git's own explanation, never as a traceback. Revisions given by users
are checked with :func:`resolve_rev` first, which also refuses anything that looks like an option.

Paths are POSIX strings relative to the folder a function is given (``cwd``), which need not be
the top of the repository: a catalogue often lives in ``catalog/`` inside a larger repository.
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

__all__ = [
    "Change",
    "GitError",
    "changed_files",
    "export_tree",
    "files_at",
    "read_file_at",
    "read_files_at",
    "repo_prefix",
    "resolve_rev",
    "run_git",
]


class GitError(Exception):
    """Git is missing, the folder is not in a repository, or git refused the request."""


def _env() -> dict[str, str]:
    env = dict(os.environ)
    # Stable, English messages; never wait for a pager, an editor or a credential prompt.
    env.update(LC_ALL="C", LANGUAGE="C", GIT_PAGER="cat", GIT_TERMINAL_PROMPT="0", GIT_OPTIONAL_LOCKS="0")
    return env


def run_git(args: list[str], cwd: Path, stdin: bytes | None = None) -> bytes:
    """Run ``git ARGS`` in ``cwd`` and return its standard output (bytes: callers decide how to split)."""
    try:
        proc = subprocess.run(
            ["git", "-c", "core.quotepath=false", *args], cwd=cwd, input=stdin,
            capture_output=True, env=_env(), check=False,
        )
    except FileNotFoundError:
        raise GitError("git is not installed (or not on PATH)") from None
    except NotADirectoryError:
        raise GitError(f"{cwd} is not a folder") from None
    if proc.returncode != 0:
        detail = proc.stderr.decode("utf-8", "replace").strip().splitlines()
        raise GitError(f"git {args[0]} failed: {detail[-1] if detail else f'exit status {proc.returncode}'}")
    return proc.stdout


def _split_z(out: bytes) -> list[str]:
    return [p.decode("utf-8", "surrogateescape") for p in out.split(b"\0") if p]


def repo_prefix(cwd: Path) -> str:
    """Where ``cwd`` sits inside its repository: ``""`` at the top, else ``"catalog/"``-style."""
    return run_git(["rev-parse", "--show-prefix"], cwd).decode("utf-8", "surrogateescape").strip()


def resolve_rev(rev: str, cwd: Path) -> str:
    """The full commit id ``rev`` names (a branch, tag, ``HEAD~2``, ``origin/main``...).

    Raises :class:`GitError` for an unknown revision or for text that git would read as an option.
    """
    # A leading "-" would be read as an option: refuse it rather than rely on --end-of-options.
    if not rev or rev.startswith("-") or any(c in rev for c in "\0\n"):
        raise GitError(f"{rev!r} is not a git revision")
    repo_prefix(cwd)  # a clear "not a git repository" before anything else
    try:
        out = run_git(["rev-parse", "--verify", "--quiet", f"{rev}^{{commit}}"], cwd)
    except GitError:
        raise GitError(f"unknown git revision {rev!r} (fetch it first in a shallow CI clone)") from None
    return out.decode().strip()


@dataclass(frozen=True, slots=True)
class Change:
    """One file that differs between a revision and the working tree.

    ``status`` is ``A`` (added, including untracked files), ``M`` (modified, or type changed),
    ``D`` (deleted) or ``R`` (renamed; ``old_path`` is where it was, and it may be modified too).
    """

    status: str
    path: str
    old_path: str | None = None


def changed_files(rev: str, cwd: Path) -> list[Change]:
    """Files under ``cwd`` changed between ``rev`` and the working tree: committed, staged and
    unstaged edits, renames (detected by content, as ``git diff -M`` does) and untracked files that
    are not ignored. Paths are relative to ``cwd``."""
    commit = resolve_rev(rev, cwd)
    # --relative limits the diff to cwd and makes paths relative to it; --no-renames is not given,
    # so renames are paired even when diff.renames is off in the user's configuration.
    out = _split_z(run_git(["diff", "--name-status", "-z", "-M", "--relative", "--no-ext-diff", commit, "--"], cwd))
    changes: list[Change] = []
    it = iter(out)
    for status in it:
        kind = status[0]
        if kind in "RC":
            old, new = next(it), next(it)
            # A copy leaves the original in place: only the new file is a change.
            changes.append(Change("R", new, old) if kind == "R" else Change("A", new))
        else:
            path = next(it)
            changes.append(Change({"A": "A", "D": "D"}.get(kind, "M"), path))
    untracked = _split_z(run_git(["ls-files", "--others", "--exclude-standard", "-z", "--", "."], cwd))
    changes.extend(Change("A", p) for p in untracked)
    return sorted(changes, key=lambda c: c.path)


def files_at(rev: str, cwd: Path, under: str = ".") -> list[str]:
    """Every file (blob) in ``rev`` below ``cwd/under``, relative to ``cwd``, sorted."""
    commit = resolve_rev(rev, cwd)
    out = run_git(["ls-tree", "-r", "-z", commit, "--", under], cwd)
    paths = []
    for rec in out.split(b"\0"):
        if not rec:
            continue
        meta, _, name = rec.partition(b"\t")
        if meta.split(b" ")[1] == b"blob":  # skip submodules (commit) entries
            paths.append(name.decode("utf-8", "surrogateescape"))
    return sorted(paths)


def _spec(commit: str, prefix: str, path: str) -> bytes:
    return f"{commit}:{prefix}{path}".encode("utf-8", "surrogateescape")


def read_file_at(rev: str, path: str, cwd: Path) -> bytes | None:
    """The bytes of ``path`` (relative to ``cwd``) as it was in ``rev``; ``None`` if it did not exist."""
    return read_files_at(rev, [path], cwd).get(path)


def read_files_at(rev: str, paths: Iterable[str], cwd: Path) -> dict[str, bytes]:
    """Several files of ``rev`` in one ``git cat-file --batch`` call (one process for thousands of
    files). Paths missing in ``rev`` are left out of the answer."""
    wanted = [p for p in paths if "\n" not in p]  # the batch protocol is line-based
    if not wanted:
        return {}
    commit = resolve_rev(rev, cwd)
    prefix = repo_prefix(cwd)
    request = b"".join(_spec(commit, prefix, p) + b"\n" for p in wanted)
    out = run_git(["cat-file", "--batch"], cwd, stdin=request)
    return dict(_parse_batch(wanted, out))


def _parse_batch(paths: list[str], out: bytes) -> Iterator[tuple[str, bytes]]:
    pos = 0
    for path in paths:
        nl = out.index(b"\n", pos)
        header = out[pos:nl].split(b" ")
        pos = nl + 1
        if header[-1] == b"missing" or len(header) != 3:
            continue
        size = int(header[2])
        body = out[pos:pos + size]
        pos += size + 1  # the body is followed by a newline
        if header[1] == b"blob":
            yield path, body


def export_tree(rev: str, cwd: Path, dest: Path, under: str = ".") -> list[str]:
    """Write the files of ``rev`` below ``cwd/under`` into ``dest`` (same relative layout), so that
    an old catalogue can be loaded like any folder. Returns the paths written."""
    paths = files_at(rev, cwd, under)
    contents = read_files_at(rev, paths, cwd)
    root = dest.resolve()
    for rel, data in contents.items():
        target = (root / rel).resolve()
        # Git never stores ".." components, but a path is data from the repository: stay inside dest.
        if root not in target.parents or ".." in PurePosixPath(rel).parts:
            raise GitError(f"refusing to write {rel!r} outside {dest}")
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
    return sorted(contents)

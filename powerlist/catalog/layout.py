"""The catalogue's layout on disk (catalog-format.md): which files are catalogue files, and of
what kind (:func:`discover`, :func:`kind_of`: the one place that knows).

Kept apart from the model so that finding the files costs no model imports (a warm, cached run
needs nothing more).

Whoever opens a pull request controls every byte of the tree, links and special files included.
Discovery therefore decides, without opening anything, which paths may be read: a link that
leaves the catalogue (S022), a FIFO, socket, device or dangling link (S023), a hidden or
backup file under ``powers/`` (S024) and a registry that is a folder (S025) are *refused*:
reported by name, never read. Every reader of catalogue files goes through
:func:`powerlist.fsutil.read_regular` or :func:`powerlist.fsutil.read_inside`, which check again
at open time (the tree may change after discovery).
"""

from __future__ import annotations

import os
import stat
import time
from dataclasses import dataclass
from pathlib import Path, PurePath

from powerlist.diagnostics import Severity
from powerlist.fsutil import is_inside
from powerlist.i18n import T, Text
from powerlist.registry import declare

REGISTRY_FILES = ("bodies", "laws", "decisions")
POWERS_DIR = "powers"
YAML_SUFFIXES = (".yaml", ".yml")
REGISTRY_PATHS = frozenset(f"{n}{s}" for n in REGISTRY_FILES for s in YAML_SUFFIXES)  # at the catalogue root

S_OUTSIDE = declare(
    "S022", "file-outside-catalogue",
    summary=T("链接指向目录之外的文件，未读取", "A link that points outside the catalogue; not read"),
    explanation=T("目录中的符号链接只能指向目录内的文件。指向目录之外（如 ../../secret.env、/proc/self/environ）的"
                  "链接不会被读取，以免把检查机器上的文件内容带进报告或导出。",
                  "A symbolic link in the catalogue may only point inside it. A link that leaves it "
                  "(../../secret.env, /proc/self/environ) is never read, so that no file of the machine "
                  "running the check reaches a report or an export."),
    example="# powers/water/leak.yaml -> ../../../secret.env\n",
)
S_NOT_REGULAR = declare(
    "S023", "not-a-regular-file",
    summary=T("不是普通文件（管道、套接字、设备或断开的链接），未读取",
              "Not a regular file (FIFO, socket, device or dangling link); not read"),
    explanation=T("读取命名管道或设备会让检查永远等待；这类路径只报告，不打开。",
                  "Reading a FIFO or a device would make the check wait forever: such paths are reported, "
                  "never opened."),
    example="# mkfifo powers/water/SL-XK-009.yaml\n",
)
S_SKIPPED = declare(
    "S024", "skipped-file", severity=Severity.WARNING,
    summary=T("powers/ 下的隐藏文件或备份文件未被检查", "A hidden or backup file under powers/ is not checked"),
    explanation=T("以 . 开头的文件和文件夹、编辑器备份（如 X.yaml~、X.yaml.bak）不是事项文件，不会被检查或导出；"
                  "报告出来，以免一个事项因此悄悄漏检。",
                  "Files and folders whose name starts with '.', and editor backups (X.yaml~, X.yaml.bak), are not "
                  "power files: they are neither checked nor exported. They are reported so that no power "
                  "escapes the check that way."),
    example="# powers/water/.SL-XK-009.yaml (a hidden file)\n",
)
S_REGISTRY_DIR = declare(
    "S025", "registry-not-a-file",
    summary=T("登记簿（bodies.yaml、laws.yaml、decisions.yaml）是文件夹而非文件",
              "A registry (bodies.yaml, laws.yaml, decisions.yaml) is a folder, not a file"),
    example="# mkdir laws.yaml\n",
)


@dataclass(frozen=True, slots=True)
class Refused:
    """A path found in the catalogue but never opened, and why (located at line 1, column 1)."""

    rel: str
    kind: str  # "power" or a registry name
    code: str
    message: Text


class Discovered(list[tuple[str, str]]):
    """(relative path, kind) of every file to read, sorted; ``refused`` holds what was found but
    must not be read. A list, so every caller that only reads files needs no change."""

    def __init__(self, files: list[tuple[str, str]] | None = None, refused: list[Refused] | None = None,
                 folders: list[tuple[str, os.stat_result]] | None = None, listed_ns: int = 0) -> None:
        super().__init__(files or [])
        self.refused: list[Refused] = refused or []
        # Every folder listed, stat taken before listing: while none of them changes, the same
        # files are found (adding, removing or renaming an entry changes its folder's mtime).
        # None when that does not hold: a link or a refused path was met (a link's target may
        # change, or appear, in a folder that was never listed).
        self.folders: list[tuple[str, os.stat_result]] | None = folders
        self.listed_ns = listed_ns  # when the listing began (the folders' stats are no older)


# Reading safely (is_inside, read_regular, read_inside) lives in powerlist.fsutil, a leaf that
# config can use too.


def kind_of(rel: str | PurePath) -> str:
    """The kind of a catalogue file: the registry name for ``bodies.yaml`` and friends (not under
    ``powers/``), else ``"power"``. ``rel`` is relative to the catalogue root, or any path to a file
    when the root is unknown (``powerlist fmt``): what lies under ``powers/`` is always a power."""
    p = PurePath(rel)
    if p.suffix in YAML_SUFFIXES and p.stem in REGISTRY_FILES and POWERS_DIR not in p.parts[:-1]:
        return p.stem
    return "power"

# ---------------------------------------------------------------------------- discovery


def _looks_yaml(name: str) -> bool:
    """A name that a person meant as YAML: X.yaml, X.YML, X.yaml~, X.yaml.bak, .X.yaml.swp …"""
    low = name.lower()
    return ".yaml" in low or ".yml" in low


def _special_kind(mode: int) -> tuple[str, str]:
    if stat.S_ISFIFO(mode):
        return "命名管道", "a FIFO"
    if stat.S_ISSOCK(mode):
        return "套接字", "a socket"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "设备文件", "a device"
    if stat.S_ISDIR(mode):
        return "文件夹", "a folder"
    return "特殊文件", "a special file"


def _outside(rel: str, kind: str) -> Refused:
    return Refused(rel, kind, S_OUTSIDE, T(
        "链接指向目录之外的文件，未读取", "a link that points outside the catalogue; not read"))


def _not_regular(rel: str, kind: str, mode: int | None) -> Refused:
    zh, en = ("断开的链接（目标不存在）", "a dangling link (its target does not exist)") if mode is None \
        else _special_kind(mode)
    return Refused(rel, kind, S_NOT_REGULAR, T(f"不是普通文件（{zh}），未读取", f"not a regular file ({en}); not read"))


def _skipped(rel: str, hidden: bool, folder: bool = False, count: int = 0) -> Refused:
    if folder:
        msg = T(f"隐藏文件夹（名称以 . 开头）中的 {count} 个 YAML 文件未被检查；请改名或删除",
                f"hidden folder (name starts with '.'): its {count} YAML file(s) are not checked; rename or remove it")
    elif hidden:
        msg = T("隐藏文件（名称以 . 开头）未被检查；请改名或删除",
                "hidden file (name starts with '.'): not checked; rename or remove it")
    else:
        msg = T("文件名不以 .yaml 或 .yml 结尾（编辑器备份？），未被检查；请改名或删除",
                "the name does not end in .yaml or .yml (an editor backup?): not checked; rename or remove it")
    return Refused(rel, "power", S_SKIPPED, msg)


def _yaml_count(folder: str, seen: list[tuple[str, os.stat_result]]) -> int:
    """YAML-looking files anywhere below a hidden folder (links not followed, nothing opened);
    each folder listed is added to ``seen`` with its stat."""
    try:
        seen.append((folder, os.stat(folder, follow_symlinks=False)))
        with os.scandir(folder) as it:
            entries = list(it)
    except OSError:
        return 0
    n = 0
    for entry in entries:
        if entry.is_dir(follow_symlinks=False):
            n += _yaml_count(entry.path, seen)
        elif _looks_yaml(entry.name) and not entry.is_dir():  # as os.walk: a link to a folder is no file
            n += 1
    return n


def _registry(root: Path, name: str, files: list[tuple[str, str]], refused: list[Refused]) -> bool:
    """The first usable ``name.yaml``/``name.yml``; every unusable one is refused by name. True
    when a link was met."""
    linked = False
    for suffix in YAML_SUFFIXES:
        rel = f"{name}{suffix}"
        path = root / rel
        try:
            st = os.lstat(path)
        except OSError:
            continue
        if stat.S_ISLNK(st.st_mode):
            linked = True
            if not is_inside(root, path):
                refused.append(_outside(rel, name))
                continue
            try:
                st = os.stat(path)
            except OSError:
                refused.append(_not_regular(rel, name, None))
                continue
        if stat.S_ISDIR(st.st_mode):
            refused.append(Refused(rel, name, S_REGISTRY_DIR, T(
                f"{rel} 是文件夹而不是文件，登记簿未读取", f"{rel} is a folder, not a file: the registry is not read")))
        elif not stat.S_ISREG(st.st_mode):
            refused.append(_not_regular(rel, name, st.st_mode))
        else:
            files.append((rel, name))
            return linked
    return linked


class _Walk:
    """Walks powers/ with scandir: one syscall per folder; only links cost a stat more."""

    def __init__(self, root: Path) -> None:
        self.root = str(root)
        self.rels: list[str] = []
        self.refused: list[Refused] = []
        self.seen: set[str] = set()  # real paths of folders walked: a link loop is walked once
        self.folders: list[tuple[str, os.stat_result]] = []
        self.linked = False

    def folder(self, path: str, rel: str) -> None:
        real = os.path.realpath(path)
        if real in self.seen:
            return
        self.seen.add(real)
        try:
            self.folders.append((path, os.stat(path)))
            with os.scandir(path) as it:
                entries = list(it)  # order does not matter: discover() sorts what it found
        except OSError:
            return
        rels = self.rels
        for entry in entries:
            name = entry.name
            # The common case first, inline: a plain power file (d_type, no extra syscall).
            if name.endswith(YAML_SUFFIXES) and name[0] != "." and entry.is_file(follow_symlinks=False):
                rels.append(f"{rel}/{name}")
            else:
                self.entry(entry, f"{rel}/{name}")

    def entry(self, entry: os.DirEntry[str], rel: str) -> None:
        name = entry.name
        if entry.is_symlink():
            self.link(entry, rel)
        elif name.startswith("."):
            self.hidden(entry, rel)
        elif entry.is_dir(follow_symlinks=False):
            self.folder(entry.path, rel)
        elif name.endswith(YAML_SUFFIXES):
            if entry.is_file(follow_symlinks=False):
                self.rels.append(rel)
            else:
                self.refused.append(_not_regular(rel, "power", entry.stat(follow_symlinks=False).st_mode))
        elif _looks_yaml(name) and entry.is_file(follow_symlinks=False):
            self.refused.append(_skipped(rel, hidden=False))
        # Anything else (README.md, notes.txt) is not meant as a power: ignored silently.

    def hidden(self, entry: os.DirEntry[str], rel: str) -> None:
        if entry.is_dir(follow_symlinks=False):
            n = _yaml_count(entry.path, self.folders)
            if n:
                self.refused.append(_skipped(rel, hidden=True, folder=True, count=n))
        elif _looks_yaml(entry.name):
            self.refused.append(_skipped(rel, hidden=True))

    def link(self, entry: os.DirEntry[str], rel: str) -> None:
        self.linked = True
        name, path = entry.name, entry.path
        yamlish = _looks_yaml(name)
        if not is_inside(self.root, path):
            if yamlish or _is_dir(path):
                self.refused.append(_outside(rel, "power"))
            return
        try:
            mode = os.stat(path).st_mode
        except OSError:
            if yamlish:
                self.refused.append(_not_regular(rel, "power", None))
            return
        if name.startswith("."):
            if yamlish or stat.S_ISDIR(mode):
                self.refused.append(_skipped(rel, hidden=True, folder=stat.S_ISDIR(mode)))
        elif stat.S_ISDIR(mode):
            self.folder(path, rel)  # a link to a folder inside the catalogue is walked like the folder
        elif not name.endswith(YAML_SUFFIXES):
            if yamlish and stat.S_ISREG(mode):
                self.refused.append(_skipped(rel, hidden=False))
        elif stat.S_ISREG(mode):
            self.rels.append(rel)
        else:
            self.refused.append(_not_regular(rel, "power", mode))


def _is_dir(path: str) -> bool:
    try:
        return stat.S_ISDIR(os.stat(path).st_mode)
    except OSError:
        return False


def discover(root: Path) -> Discovered:
    """(relative path, kind) of every catalogue file that may be read, sorted; refused paths (see
    the module docstring) in ``.refused``. Nothing is opened."""
    listed_ns = time.time_ns()
    files: list[tuple[str, str]] = []
    refused: list[Refused] = []
    try:
        folders: list[tuple[str, os.stat_result]] = [(str(root), os.stat(root))]
    except OSError:
        folders = []
    linked = False
    for name in REGISTRY_FILES:
        linked = _registry(root, name, files, refused) or linked
    powers = root / POWERS_DIR
    powers_linked = os.path.islink(powers)
    linked = linked or powers_linked
    if powers_linked and not is_inside(root, powers):
        refused.append(_outside(POWERS_DIR, "power"))
    elif powers.is_dir():
        walk = _Walk(root)
        walk.folder(str(powers), POWERS_DIR)
        files.extend((r, "power") for r in sorted(walk.rels))
        refused.extend(walk.refused)
        folders.extend(walk.folders)
        linked = linked or walk.linked
    provable = not refused and not linked
    return Discovered(files, sorted(refused, key=lambda r: r.rel), folders if provable else None, listed_ns)


def is_catalog(root: Path) -> bool:
    return root.is_dir() and (
        (root / POWERS_DIR).is_dir() or any((root / f"{n}{s}").is_file() for n in REGISTRY_FILES for s in YAML_SUFFIXES)
    )


def is_catalog_root(folder: Path) -> bool:
    """A folder that is surely a catalogue's root (stricter than :func:`is_catalog`, because a walk
    upwards must not stop at a folder that merely holds a stray ``laws.yaml``): it holds
    ``powerlist.toml``, or ``powers/`` together with ``bodies.yaml``."""
    if (folder / "powerlist.toml").is_file():
        return True
    return (folder / POWERS_DIR).is_dir() and any((folder / f"bodies{s}").is_file() for s in YAML_SUFFIXES)


def find_root(start: Path) -> Path | None:
    """The catalogue that holds ``start`` (a file or folder): the nearest folder at or above it that
    :func:`is_catalog_root` accepts. The walk stops at the top of a git work tree (a catalogue never
    spans repositories) and at the filesystem root; None when there is no catalogue above."""
    here = Path(os.path.abspath(start))
    if not here.is_dir():
        here = here.parent
    for folder in (here, *here.parents):
        if is_catalog_root(folder):
            return folder
        if (folder / ".git").exists():
            return None
    return None

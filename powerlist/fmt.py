"""``powerlist fmt``: rewrite catalogue files in one canonical layout without touching their data
or their comments.

The canonical layout (documented for users in ``docs/review.md``):

* keys in the order of the catalogue format (the order of the fields of :mod:`powerlist.models`:
  ``id, name, category, body, co_bodies, status, …``; steps ``id, name, kind, actor, action, days,
  next``; registries in their documented order); unknown keys keep their relative order, after the
  known ones;
* two-space indentation, sequences indented under their key (``basis:\\n  - law: …``), a file that
  is a list (``bodies.yaml``) starts its items at column 0;
* lists of ids (``next``, ``articles``, ``co_bodies``, ``delegated_to``, ``levels``) in flow style
  ``[a, b]`` unless a comment sits inside them; every other known list and mapping in block style;
* ``null`` written as ``null``; UTF-8, with the file's BOM (if any) and line endings (LF or CRLF) kept.

How: key order is fixed on the *text* (each key moves with its value, the comment lines above it
and its end-of-line comments), then ruamel.yaml round-trip re-emits the layout. Scalars are
re-emitted from their original text, so ``no``, ``010`` or ``'1:20'`` stay what they were; ruamel's
YAML 1.2 reading and :func:`powerlist.catalog.parse.parse_text` agree on them. Every result is verified
before it is used: the data must load equal and every comment must still be there, otherwise
the file is left untouched and reported.

The round trip costs ~20 ms a file; :func:`format_files` first asks :mod:`powerlist.fmtfast` to prove
each file already canonical in one pass over its lines, and round-trips only the others.
"""

from __future__ import annotations

import difflib
import io
import math
import os
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from powerlist import fsutil
from powerlist.catalog.layout import YAML_SUFFIXES, discover, is_catalog, kind_of
from powerlist.catalog.parse import Limits, LoadProblem, decode, parse_text
from powerlist.fmtfast import is_canonical
from powerlist.fmtshape import FLOW_LISTS, Shape, root_shape
from powerlist.i18n import T, Text

# ------------------------------------------------------------------------------------- failures


@dataclass
class FormatError(Exception):
    """Why a file cannot be formatted; it is left untouched."""

    code: str  # S001-style for load problems; "FMT" for what only fmt refuses
    line: int
    column: int
    message: Text

    def __reduce__(self) -> tuple[type[FormatError], tuple[str, int, int, Text]]:
        return FormatError, (self.code, self.line, self.column, self.message)  # picklable for worker processes


def _refuse(message: Text, line: int = 1, column: int = 1) -> FormatError:
    return FormatError("FMT", line, column, message)


def _from_problem(p: LoadProblem) -> FormatError:
    return FormatError(p.code, p.line, p.column, p.message)


# ------------------------------------------------------------------------------------- key order on the text


@dataclass
class _Block:
    """One key of a block mapping: its lines (leading comments, key, value) and mappings inside it."""

    key: str
    start: int  # first line (leading comment lines included)
    key_line: int
    end: int  # last line, inclusive
    children: list[_Span] = field(default_factory=list)


@dataclass
class _Span:
    """A block mapping in the text and the order its keys must take."""

    col: int
    blocks: list[_Block]
    order: list[int]

    @property
    def first(self) -> int:
        return self.blocks[0].start

    @property
    def last(self) -> int:
        return self.blocks[-1].end


def _content_end(node: yaml.Node) -> int:
    """Last line (0-based) holding part of ``node``; trailing comments and blank lines excluded."""
    if isinstance(node, yaml.MappingNode) and not node.flow_style:
        k, v = node.value[-1]
        return max(_content_end(k), _content_end(v))
    if isinstance(node, yaml.SequenceNode) and not node.flow_style:
        return _content_end(node.value[-1])
    end = node.end_mark
    line = end.line if end.column > 0 else end.line - 1  # block scalars end at the next line's start
    return max(line, node.start_mark.line)


def _leading_start(lines: list[str], gap_start: int, key_line: int, col: int) -> int:
    """Where the comment lines belonging to the key at ``key_line`` begin: blank lines and comments
    indented no deeper than the key, walking up; a deeper comment closes the previous value."""
    i = key_line
    while i > gap_start:
        text = lines[i - 1]
        stripped = text.lstrip(" ")
        if stripped and (not stripped.startswith("#") or len(text) - len(stripped) > col):
            break
        i -= 1
    return i


def _spans(node: yaml.Node, shape: Shape | None, lines: list[str], out: list[_Span]) -> None:
    if shape is None:
        return  # an unknown subtree keeps its layout
    if isinstance(node, yaml.SequenceNode):
        for item in node.value:
            _spans(item, shape, lines, out)
        return
    if not isinstance(node, yaml.MappingNode) or node.flow_style or not node.value:
        return  # flow mappings are reordered on the ruamel tree (they hold no comments)
    keys = [str(k.value) for k, _ in node.value]
    col = node.value[0][0].start_mark.column
    blocks: list[_Block] = []
    for key, (knode, vnode) in zip(keys, node.value, strict=True):
        key_line = knode.start_mark.line
        start = key_line
        if blocks:
            start = _leading_start(lines, blocks[-1].end + 1, key_line, col)
            blocks[-1].end = start - 1
        blocks.append(_Block(key, start, key_line, max(_content_end(vnode), key_line)))
        _spans(vnode, shape.child(key), lines, blocks[-1].children)
    blocks[-1].end = _trailing_end(lines, blocks[-1].end, col)
    known = [keys.index(k) for k in shape.order if k in keys]
    order = known + [i for i, k in enumerate(keys) if k not in shape.order]
    out.append(_Span(col, blocks, order))


def _trailing_end(lines: list[str], end: int, col: int) -> int:
    """The last block of a mapping also owns the comments after it indented deeper than its key:
    left behind, they would follow whichever block is emitted last, and after a block scalar
    (``|``) they would become part of its text."""
    j = end + 1
    while j < len(lines):
        text = lines[j]
        stripped = text.lstrip(" ")
        if stripped.startswith("#") and len(text) - len(stripped) > col:
            end = j
        elif stripped:
            break
        j += 1
    return end


def _emit_range(lines: list[str], lo: int, hi: int, children: list[_Span]) -> list[str]:
    out: list[str] = []
    i = lo
    for span in children:
        out.extend(lines[i:span.first])
        out.extend(_emit_span(lines, span))
        i = span.last + 1
    out.extend(lines[i:hi + 1])
    return out


def _emit_span(lines: list[str], span: _Span) -> list[str]:
    """The mapping's key blocks in canonical order. The first key's line may carry the ``- ``
    of its sequence item: that prefix stays on whichever key comes first."""
    prefix = lines[span.blocks[0].key_line][: span.col]
    out: list[str] = []
    for pos, idx in enumerate(span.order):
        block = span.blocks[idx]
        emitted = _emit_range(lines, block.start, block.end, block.children)
        at = block.key_line - block.start
        body = emitted[at][span.col:]
        emitted[at] = (prefix if pos == 0 else " " * span.col) + body
        out.extend(emitted)
    return out


def reorder_text(text: str, kind: str) -> str:
    """Put the keys of every known block mapping in canonical order, moving lines only."""
    node = yaml.compose(text, Loader=yaml.CBaseLoader)
    if node is None:
        return text
    lines = text.split("\n")
    spans: list[_Span] = []
    _spans(node, root_shape(kind), lines, spans)
    if all(s.order == sorted(s.order) for s in _walk_spans(spans)):
        return text
    return "\n".join(_emit_range(lines, 0, len(lines) - 1, spans))


def _walk_spans(spans: list[_Span]) -> Iterable[_Span]:
    for s in spans:
        yield s
        for b in s.blocks:
            yield from _walk_spans(b.children)


# ------------------------------------------------------------------------------------- layout with ruamel


@cache
def _root_list_emitter() -> type:
    """ruamel's emitter, except that a file which is a list (``bodies.yaml``) puts its items at column
    0 (``- id: …``) like the format document, instead of indenting them by the sequence offset."""
    from ruamel.yaml.emitter import Emitter

    class RootListEmitter(Emitter):
        def _at_root_list(self) -> bool:
            values = self.indents.values
            return len(values) == 1 and values[0][0] is None and bool(values[0][1])

        def expect_block_sequence_item(self, first: bool = False) -> None:
            if not self._at_root_list():
                return super().expect_block_sequence_item(first)
            saved, self.sequence_dash_offset = self.sequence_dash_offset, 0
            try:
                super().expect_block_sequence_item(first)
            finally:
                self.sequence_dash_offset = saved

        def increase_indent(self, flow: bool = False, sequence: bool | None = None, indentless: bool = False) -> None:
            item_of_root_list = self._at_root_list()
            super().increase_indent(flow, sequence, indentless)
            if item_of_root_list:
                self.indent = 2

    return RootListEmitter


def _yaml() -> Any:
    from ruamel.yaml import YAML

    y = YAML()  # round-trip; reads YAML 1.2 like powerlist.catalog.parse does
    y.Emitter = _root_list_emitter()
    y.preserve_quotes = True
    y.width = 4096  # never re-wrap: long Chinese lines stay one line
    y.indent(mapping=2, sequence=4, offset=2)
    y.representer.add_representer(
        type(None), lambda rep, _: rep.represent_scalar("tag:yaml.org,2002:null", "null"))
    return y


def _has_comments(node: Any) -> bool:
    ca = getattr(node, "ca", None)
    if ca is not None and (ca.items or any(ca.comment or ()) or ca.end):
        return True
    if isinstance(node, dict):
        return any(_has_comments(v) for v in node.values())
    if isinstance(node, list):
        return any(_has_comments(v) for v in node)
    return False


def _layout(node: Any, shape: Shape | None, flow: bool = False) -> None:
    """Block or flow style for every known collection; key order for flow mappings."""
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    if shape is None:
        return
    if isinstance(node, CommentedSeq):
        for item in node:
            _layout(item, shape, flow)
        return
    if not isinstance(node, CommentedMap):
        return
    if node.fa.flow_style():
        for key in [k for k in shape.order if k in node] + [k for k in node if k not in shape.order]:
            node.move_to_end(key)  # flow mappings hold no comments: reordering them here is safe
    if flow:
        node.fa.set_flow_style()
    elif node:
        node.fa.set_block_style()
    for key, value in node.items():
        if not isinstance(key, str) or key not in shape.fields:
            continue
        inner = flow
        if isinstance(value, CommentedSeq) and value and not flow:  # `[]` stays as it is
            inner = _flow_list(key, value)
            value.fa.set_flow_style() if inner else value.fa.set_block_style()
        _layout(value, shape.child(key), inner)


def _flow_list(key: str, seq: Any) -> bool:
    """Whether a known list is written ``[a, b]``: id lists without comments inside."""
    if key not in FLOW_LISTS or _has_comments(seq):
        return False
    return all(not isinstance(v, list) and (not isinstance(v, dict) or key == "next") for v in seq)


def _dump(data: Any) -> str:
    buf = io.StringIO()
    _yaml().dump(data, buf)
    return buf.getvalue()


# ------------------------------------------------------------------------------------- verification


def _comments(text: str) -> Counter[str]:
    """Every comment in the text (``#`` outside any YAML token), to prove none is lost."""
    covered: list[tuple[int, int]] = [
        (t.start_mark.index, t.end_mark.index) for t in yaml.scan(text, Loader=yaml.CBaseLoader)
        if t.end_mark.index > t.start_mark.index
    ]
    found: Counter[str] = Counter()
    ti = 0
    i = text.find("#")
    while i != -1:
        while ti < len(covered) and covered[ti][1] <= i:
            ti += 1
        inside = ti < len(covered) and covered[ti][0] <= i
        if not inside and (i == 0 or text[i - 1] in " \t\n"):
            end = text.find("\n", i)
            end = len(text) if end == -1 else end
            found[text[i:end].rstrip()] += 1
            i = text.find("#", end)
        else:
            i = text.find("#", i + 1)
    return found


def _same(a: Any, b: Any) -> bool:
    """Equal data, with NaN equal to itself."""
    if isinstance(a, float) and isinstance(b, float) and math.isnan(a) and math.isnan(b):
        return True
    if type(a) is not type(b):
        return False
    if isinstance(a, dict):  # key order is what fmt changes on purpose
        return set(a) == set(b) and all(_same(a[k], b[k]) for k in a)
    if isinstance(a, list):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b, strict=True))
    return bool(a == b)


# ------------------------------------------------------------------------------------- text -> text


def _unsupported(text: str) -> Text | None:
    """What fmt leaves alone: aliases (its line moves cannot follow them) and %YAML/%TAG directives
    (ruamel would read a %YAML 1.1 file the 1.1 way, unlike the checker)."""
    for t in yaml.scan(text, Loader=yaml.CBaseLoader):
        if isinstance(t, yaml.AliasToken):
            return T("文件使用了锚点/别名（& / *），未格式化", "the file uses anchors/aliases (& / *); not formatted")
        if isinstance(t, yaml.DirectiveToken):
            return T(f"文件含 %{t.name} 指令，未格式化", f"the file has a %{t.name} directive; not formatted")
    return None


def format_text(text: str, kind: str = "power", limits: Limits = Limits()) -> str:
    """The canonical form of a catalogue file's text. Raises :class:`FormatError` when the file
    cannot be parsed or cannot be formatted without changing its data or losing a comment."""
    crlf = "\r\n" in text
    if crlf:
        text = text.replace("\r\n", "\n")
    before = parse_text(text, limits)
    if before.data is None or before.problems:
        problem = before.problems[0] if before.problems else None
        if problem is None:
            raise _refuse(T("文件无法解析", "the file cannot be parsed"))
        raise _from_problem(problem)
    why = _unsupported(text)
    if why is not None:
        raise _refuse(why)
    try:
        reordered = reorder_text(text, kind)
        data = _yaml().load(reordered)
        _layout(data, root_shape(kind))
        out = _dump(data)
    except Exception as exc:  # noqa: BLE001 - ruamel rejects some documents libyaml accepts (loader-facts.md)
        mark = getattr(exc, "problem_mark", None)
        line, col = (mark.line + 1, mark.column + 1) if mark is not None else (1, 1)
        raise _refuse(T(f"ruamel.yaml 无法处理此文件：{exc}", f"ruamel.yaml cannot process this file: {exc}"),
                      line, col) from None
    after = parse_text(out, limits)
    if after.problems or not _same(before.data, after.data):
        raise _refuse(T("格式化会改变数据，文件未改动（请报告此问题）",
                        "formatting would change the data; the file is left untouched (please report this)"))
    if _comments(out) != _comments(text):
        raise _refuse(T("格式化会丢失注释（流式 [ ] / { } 中的注释？），文件未改动",
                        "formatting would lose a comment (one inside [ ] or { }?); the file is left untouched"))
    return out.replace("\n", "\r\n") if crlf else out


# ------------------------------------------------------------------------------------- files


@dataclass
class Outcome:
    """What fmt did (or would do) to one file."""

    path: Path
    display: str
    before: str | None = None
    after: str | None = None
    error: FormatError | None = None

    @property
    def changed(self) -> bool:
        return self.error is None and self.before is not None and self.after != self.before

    def diff(self) -> str:
        if not self.changed:
            return ""
        assert self.before is not None and self.after is not None
        return "".join(difflib.unified_diff(
            self.before.splitlines(keepends=True), self.after.splitlines(keepends=True),
            f"a/{self.display}", f"b/{self.display}"))


def collect(paths: Iterable[Path]) -> list[Path]:
    """Files to format: files as given; a catalogue folder's catalogue files; any other folder's
    YAML files (hidden folders skipped)."""
    out: list[Path] = []
    for p in paths:
        if p.is_file():
            out.append(p)
        elif is_catalog(p):
            out.extend(p / rel for rel, _ in discover(p))
        elif p.is_dir():
            for dirpath, dirnames, filenames in os.walk(p):
                dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
                out.extend(Path(dirpath) / f for f in sorted(filenames)
                           if f.endswith(YAML_SUFFIXES) and not f.startswith("."))
    unique: dict[Path, Path] = {}
    for p in out:
        unique.setdefault(p.resolve(), p)
    return list(unique.values())


def _read(out: Outcome, limits: Limits) -> bytes | None:
    """The file's bytes, its text in ``out.before``; or None with ``out.error`` set."""
    try:
        raw = out.path.read_bytes()
    except OSError as exc:
        out.error = FormatError("S001", 1, 1, T(f"无法读取文件：{exc.strerror}", f"cannot read the file: {exc.strerror}"))
        return None
    if len(raw) > limits.max_file_bytes:
        out.error = _refuse(T("文件超过大小上限，未格式化", "the file exceeds the size limit; not formatted"))
        return None
    text, problem = decode(raw)
    if text is None:
        out.error = _from_problem(problem) if problem else _refuse(T("无法解码", "cannot decode"))
        return None
    out.before = text
    return raw


def format_file(path: Path, display: str | None = None, write: bool = True, limits: Limits = Limits(),
                fast: bool = True) -> Outcome:
    """Format one file (or, with ``write=False``, say what formatting would do). ``fast``: first try
    to prove the file already canonical without the round trip (:mod:`powerlist.fmtfast`)."""
    out = Outcome(path, display or path.as_posix())
    raw = _read(out, limits)
    if raw is None or out.before is None:
        return out
    kind = kind_of(path)
    if fast and is_canonical(out.before, kind, limits):
        out.after = out.before
        return out
    try:
        out.after = format_text(out.before, kind, limits)
    except FormatError as exc:
        out.error = exc
        return out
    if write and out.changed:
        fsutil.write_atomic(path, ("\ufeff" if raw.startswith(b"\xef\xbb\xbf") else "") + out.after)
    return out


# ruamel round-trip costs ~20 ms a file: worth worker processes from a few dozen files on. Files the
# fast path proves canonical (most, in a kept catalogue) never reach the pool.
POOL_THRESHOLD = 40
# Files decided per round: bounds the texts held in memory while the caller prints them in order.
BATCH = 1000


def _format_one(args: tuple[Path, str, bool, Limits]) -> Outcome:
    path, display, write, limits = args
    return format_file(path, display, write, limits, fast=False)


def format_files(files: list[tuple[Path, str]], write: bool = True, limits: Limits = Limits(),
                 workers: int | None = None) -> Iterator[Outcome]:
    """:func:`format_file` for each (path, display name), in order. Each file is first offered to the
    fast path in this process; the ones it cannot prove canonical are round-tripped, in worker
    processes when there are many (or when ``workers`` > 1 asks for them)."""
    pool: Any = None
    try:
        for lo in range(0, len(files), BATCH):
            batch = files[lo:lo + BATCH]
            outcomes: list[Outcome | None] = [_proven(path, display, limits) for path, display in batch]
            todo = [(path, display, write, limits) for (path, display), o in zip(batch, outcomes, strict=True)
                    if o is None]
            n = workers if workers is not None else (min(os.cpu_count() or 1, 4) if len(todo) >= POOL_THRESHOLD else 1)
            if n <= 1 or not todo:
                done: Iterator[Outcome] = map(_format_one, todo)
            else:
                if pool is None:
                    from concurrent.futures import ProcessPoolExecutor
                    from multiprocessing import get_context

                    pool = ProcessPoolExecutor(max_workers=n, mp_context=get_context("fork"))
                done = pool.map(_format_one, todo, chunksize=max(1, len(todo) // (n * 8)))
            for o in outcomes:
                yield o if o is not None else next(done)
    finally:
        if pool is not None:
            pool.shutdown(cancel_futures=True)


def _proven(path: Path, display: str, limits: Limits) -> Outcome | None:
    """The outcome when it needs no round trip (the file is unreadable, or proven canonical), else None."""
    out = Outcome(path, display)
    if _read(out, limits) is None or out.before is None:
        return out
    if is_canonical(out.before, kind_of(path), limits):
        out.after = out.before
        return out
    return None

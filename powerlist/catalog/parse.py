"""Read one YAML file fast, keep a position for every key and item, and turn every way it can be
broken into a load problem (never an exception).

Fast path: libyaml's composer (PyYAML ``CBaseLoader``) with a resolver that does no regex work,
then one walk that builds plain dicts/lists and records positions. Plain scalars are resolved the
YAML 1.2 way (``no``/``on`` stay strings, ``010`` is 10) so that checking here and rewriting with
ruamel.yaml (``powerlist fmt``) read a file the same way.

Positions are kept compactly: an ``array`` of (line, column) pairs in pre-order — per mapping pair
the key then the value, per sequence item the item — so 100,000 entries cost megabytes, not
gigabytes. :func:`locate` walks the data in the same order to find the pair for a key path.
"""

from __future__ import annotations

import math
import re
from array import array
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, cast

import yaml

from powerlist.catalog.fastparse import parse_simple, top_table
from powerlist.fsutil import read_regular  # a FIFO or device is refused at open, never waited on
from powerlist.i18n import T, Text
from powerlist.limits import Limits
from powerlist.registry import declare

S_SYNTAX = declare(
    "S001", "yaml-syntax", summary=T("YAML 语法错误，文件无法解析", "YAML syntax error: the file cannot be parsed"),
    example="id: SL-XK-001\nname: [取水许可\n",
)
S_ENCODING = declare(
    "S002", "not-utf8", summary=T("文件不是 UTF-8 编码", "The file is not UTF-8 encoded"),
    explanation=T("目录文件须以 UTF-8 保存（可带 BOM）。GBK/GB18030 文件请用编辑器另存为 UTF-8。",
                  "Catalogue files must be UTF-8 (a BOM is accepted). Re-save GBK/GB18030 files as UTF-8."),
)
S_DUPKEY = declare(
    "S003", "duplicate-key", summary=T("同一映射中键重复", "A key appears twice in the same mapping"),
    example="id: SL-XK-001\nname: 取水许可\nname: 取水許可\n",
)
S_EMPTY = declare("S004", "empty-file", summary=T("文件为空", "The file is empty"))
S_MULTIDOC = declare(
    "S005", "multiple-documents", summary=T("一个文件中有多个 YAML 文档", "Several YAML documents in one file"),
    example="id: A\n---\nid: B\n",
)
S_TOO_LARGE = declare("S006", "file-too-large", summary=T("文件超过大小上限", "The file exceeds the size limit"))
S_TOO_DEEP = declare("S007", "nesting-too-deep", summary=T("嵌套层级过深", "Nesting is too deep"))
S_BOMB = declare(
    "S008", "alias-expansion",
    summary=T("锚点/别名展开后节点过多（别名炸弹）", "Anchors/aliases expand to too many nodes (alias bomb)"),
)
S_TAB = declare(
    "S009", "tab-character",
    summary=T("用制表符缩进或分隔", "Tab character used for indentation or separation"),
    example="id: SL-XK-001\nname:\t取水许可\n",
)
S_TAG = declare(
    "S010", "yaml-tag",
    summary=T("目录文件中不允许使用 YAML 标签或复杂键", "YAML tags and complex keys are not allowed in catalogue files"),
    example="id: !!python/object:os.system SL-XK-001\n",
)


@dataclass(slots=True)
class LoadProblem:
    code: str
    line: int
    column: int
    message: Text
    key: tuple[str | int, ...] | None = None  # set for schema problems, for waivers/filters


@dataclass(slots=True)
class Parsed:
    """The result of loading one file: data (None when unusable), positions, problems."""

    data: Any
    positions: array = field(default_factory=lambda: array("I"))
    problems: list[LoadProblem] = field(default_factory=list)
    top: array = field(default_factory=lambda: array("I"))
    """Pair index of each top-level key, in the data's key order: lets a released file locate
    top-level keys (most findings) without being parsed again."""


class LazyPositions(array):
    """The positions of a file read by the fast parser, computed by the libyaml walk the first
    time anything reads them: only files with findings (or schema problems) pay for it.

    An ``array`` so every holder of positions keeps working unchanged; ``len`` is known without
    computing them. ``pending`` says whether they are still to be computed, ``text`` (then) what
    they are computed from (the worker transport and the cache carry it instead of positions)."""

    text: str | None
    pairs: int

    def __new__(cls, text: str, pairs: int) -> LazyPositions:
        self = cast("LazyPositions", super().__new__(cls, "I"))
        self.text = text
        self.pairs = pairs
        return self

    @property
    def pending(self) -> bool:
        return self.text is not None

    def top_table(self, keys: tuple[str, ...]) -> array | None:
        """What a released file keeps (see ``source.SourceFile.release``), without computing the
        positions: None when they are computed already or the line scan cannot tell."""
        if self.text is None:
            return None
        table = top_table(self.text, keys)
        return None if table is None else array("I", table)

    def _fill(self) -> None:
        if self.text is not None:
            computed = libyaml_positions(self.text)
            want = 2 * self.pairs
            if len(computed) != want:  # never seen (the differential test): a wrong line beats a crash
                computed = computed[:want] + array("I", [1]) * max(0, want - len(computed))
            self.text = None
            array.extend(self, computed)

    def __len__(self) -> int:
        return 2 * self.pairs if self.text is not None else array.__len__(self)

    def __getitem__(self, i: Any) -> Any:
        self._fill()
        return array.__getitem__(self, i)

    def __iter__(self) -> Any:
        self._fill()
        return array.__iter__(self)

    def __eq__(self, other: object) -> bool:
        self._fill()
        if isinstance(other, LazyPositions):
            other._fill()
        return array.__eq__(self, other)

    __hash__ = None  # as array: mutable

    def tobytes(self) -> bytes:
        self._fill()
        return array.tobytes(self)

    def tolist(self) -> list[int]:
        self._fill()
        return array.tolist(self)

    def __repr__(self) -> str:
        return f"LazyPositions(pending, {self.pairs} pairs)" if self.text is not None else array.__repr__(self)

    def __reduce__(self) -> Any:
        # pickled by the worker pool's transport when JSON cannot carry a parse: stays lazy
        if self.text is not None:
            return (LazyPositions, (self.text, self.pairs))
        return (array, ("I", array.tobytes(self)))


class _Limit(Exception):
    def __init__(self, problem: LoadProblem) -> None:
        self.problem = problem


# ---------------------------------------------------------------------------- decoding

_BOM = b"\xef\xbb\xbf"


def _line_of(raw: bytes, offset: int) -> tuple[int, int]:
    line = raw.count(b"\n", 0, offset) + 1
    col = offset - (raw.rfind(b"\n", 0, offset) + 1) + 1
    return line, col


def decode(raw: bytes) -> tuple[str | None, LoadProblem | None]:
    """UTF-8 (BOM accepted) or a diagnostic saying what the bytes look like."""
    if raw.startswith(_BOM):
        raw = raw[len(_BOM):]
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return None, LoadProblem(S_ENCODING, 1, 1, T(
            "文件是 UTF-16 编码；请另存为 UTF-8", "the file is UTF-16 encoded; save it as UTF-8"))
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line, col = _line_of(raw, exc.start)
        if b"\x00" in raw:
            return None, LoadProblem(S_ENCODING, line, col, T(
                "文件含 NUL 字节，像是二进制文件而非 YAML", "the file contains NUL bytes; it looks binary, not YAML"))
        for codec, zh, en in (("gb18030", "GBK/GB18030", "GBK/GB18030"), ("big5", "Big5", "Big5")):
            try:
                raw.decode(codec)
            except UnicodeDecodeError:
                continue
            return None, LoadProblem(S_ENCODING, line, col, T(
                f"第 {line} 行第 {col} 列的字节不是 UTF-8；文件看起来是 {zh} 编码，请另存为 UTF-8",
                f"byte 0x{raw[exc.start]:02X} at line {line} is not UTF-8; the file looks like {en}: "
                "save it as UTF-8"))
        return None, LoadProblem(S_ENCODING, line, col, T(
            f"第 {line} 行第 {col} 列的字节不是有效的 UTF-8",
            f"byte 0x{raw[exc.start]:02X} at line {line} is not valid UTF-8"))
    if "\x00" in text:
        line, col = _line_of(raw, raw.index(b"\x00"))
        return None, LoadProblem(S_ENCODING, line, col, T(
            "文件含 NUL 字符，像是二进制文件而非 YAML", "the file contains NUL characters; it looks binary, not YAML"))
    return text, None


# ---------------------------------------------------------------------------- scalars (YAML 1.2 core)

_INT = re.compile(r"[-+]?[0-9]+$")
_OCT = re.compile(r"0o[0-7]+$")
_HEX = re.compile(r"0x[0-9a-fA-F]+$")
_FLOAT = re.compile(r"[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$")
_MAYBE_SPECIAL = frozenset("0123456789+-.~nNtTfF")
_CONSTS: dict[str, Any] = {
    "~": None, "null": None, "Null": None, "NULL": None,
    "true": True, "True": True, "TRUE": True, "false": False, "False": False, "FALSE": False,
    ".inf": math.inf, ".Inf": math.inf, ".INF": math.inf, "+.inf": math.inf, "+.Inf": math.inf,
    "+.INF": math.inf, "-.inf": -math.inf, "-.Inf": -math.inf, "-.INF": -math.inf,
    ".nan": math.nan, ".NaN": math.nan, ".NAN": math.nan,
}


def resolve_plain(value: str) -> Any:
    """Resolve an untagged plain scalar per the YAML 1.2 core schema."""
    if not value:
        return None
    if value[0] not in _MAYBE_SPECIAL:
        return value
    if value in _CONSTS:
        return _CONSTS[value]
    if _INT.match(value):
        return int(value)
    if _OCT.match(value):
        return int(value[2:], 8)
    if _HEX.match(value):
        return int(value[2:], 16)
    if _FLOAT.match(value):
        return float(value)
    return value


_PLAIN = "!powerlist/plain"
_STR = "tag:yaml.org,2002:str"
_SEQ = "tag:yaml.org,2002:seq"
_MAP = "tag:yaml.org,2002:map"
_CORE_SCALAR_TAGS = {
    "tag:yaml.org,2002:str", "tag:yaml.org,2002:int", "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:bool", "tag:yaml.org,2002:null",
}


class _Composer(yaml.CBaseLoader):
    """libyaml composer; resolution is deferred to :func:`resolve_plain` (no per-scalar regex list)."""

    def resolve(self, kind: type, value: Any, implicit: tuple[bool, bool]) -> str:
        if kind is yaml.ScalarNode:
            return _PLAIN if implicit[0] else _STR
        return _SEQ if kind is yaml.SequenceNode else _MAP


# ---------------------------------------------------------------------------- the walk


class _Walker:
    __slots__ = ("budget", "max_depth", "pos", "problems", "top")

    def __init__(self, limits: Limits) -> None:
        self.pos = array("I")
        self.top = array("I")
        self.problems: list[LoadProblem] = []
        self.budget = limits.max_nodes
        self.max_depth = limits.max_depth

    def mark(self, node: yaml.Node) -> None:
        m = node.start_mark
        self.pos.append(m.line + 1)
        self.pos.append(m.column + 1)

    def tag_problem(self, node: yaml.Node) -> None:
        m = node.start_mark
        self.problems.append(LoadProblem(S_TAG, m.line + 1, m.column + 1, T(
            f"不允许使用 YAML 标签 {node.tag}", f"YAML tag {node.tag} is not allowed in catalogue files")))

    def scalar(self, node: yaml.ScalarNode) -> Any:
        tag = node.tag
        if tag == _PLAIN:
            return resolve_plain(node.value)
        if tag == _STR:
            return node.value
        if tag in _CORE_SCALAR_TAGS:
            resolved = resolve_plain(node.value)
            return resolved
        self.tag_problem(node)
        return node.value

    def walk(self, node: yaml.Node, depth: int) -> Any:
        # The hot loop of every check run: scalars are resolved inline and positions appended
        # directly (a method call per node costs ~15 % of the parse).
        self.budget -= 1
        if self.budget < 0:
            raise _Limit(self._bomb(node))
        cls = type(node)
        if cls is yaml.ScalarNode:
            return self.scalar(node)  # type: ignore[arg-type]
        if depth >= self.max_depth:
            m = node.start_mark
            assert m is not None
            raise _Limit(LoadProblem(S_TOO_DEEP, m.line + 1, m.column + 1, T(
                f"嵌套超过 {self.max_depth} 层", f"nesting deeper than {self.max_depth} levels")))
        if node.tag not in (_MAP, _SEQ):
            self.tag_problem(node)
        ap = self.pos.append
        scalar_node = yaml.ScalarNode
        if cls is yaml.MappingNode:
            out: dict[str, Any] = {}
            for knode, vnode in node.value:
                if type(knode) is not scalar_node:
                    m = knode.start_mark
                    self.problems.append(LoadProblem(S_TAG, m.line + 1, m.column + 1, T(
                        "映射的键必须是普通标量", "mapping keys must be plain scalars")))
                    continue
                key = knode.value
                if key in out:
                    self._duplicate(node, knode)
                    continue
                if knode.tag is not _PLAIN and knode.tag != _STR:
                    self.tag_problem(knode)
                if depth == 0:
                    self.top.append(len(self.pos) // 2)
                m = knode.start_mark
                ap(m.line + 1)
                ap(m.column + 1)
                m = vnode.start_mark
                ap(m.line + 1)
                ap(m.column + 1)
                if type(vnode) is scalar_node and vnode.tag is _PLAIN:
                    self.budget -= 1
                    v = vnode.value
                    out[key] = resolve_plain(v) if not v or v[0] in _MAYBE_SPECIAL else v
                else:
                    out[key] = self.walk(vnode, depth + 1)
            return out
        items: list[Any] = []
        for item in node.value:
            m = item.start_mark
            ap(m.line + 1)
            ap(m.column + 1)
            items.append(self.walk(item, depth + 1))
        return items

    def _bomb(self, node: yaml.Node) -> LoadProblem:
        m = node.start_mark
        assert m is not None
        return LoadProblem(S_BOMB, m.line + 1, m.column + 1, T(
            "文档展开后的节点数超过上限（锚点/别名炸弹？）",
            "the document expands to more nodes than allowed (an anchor/alias bomb?)"))

    def _duplicate(self, mapping: yaml.Node, knode: yaml.ScalarNode) -> None:
        key = knode.value
        first = next(k for k, _ in mapping.value if type(k) is yaml.ScalarNode and k.value == key)
        m = knode.start_mark
        line1 = first.start_mark.line + 1
        self.problems.append(LoadProblem(S_DUPKEY, m.line + 1, m.column + 1, T(
            f"键「{key}」重复（首次出现在第 {line1} 行）；保留第一次的值",
            f"duplicate key '{key}' (first at line {line1}); the first value is kept")))


_BLOCK_RUN = re.compile(r"(?:[-?][ \t]+){16}")
_TAB_BAD = re.compile(r"^[ ]*\t|[:\-?]\t", re.MULTILINE)


# Two block indicators in a row: what _BLOCK_RUN needs to match at all, found by substring
# searches (5x cheaper than the regex, which then runs only on such files or ones with tabs).
_INDICATOR_PAIRS = ("- -", "- ?", "? -", "? ?", "-  ", "?  ")


def _suspicious(text: str, limits: Limits) -> bool:
    """Whether the text could nest deep enough to crash a parser (libyaml's composer, yaml_rs)."""
    return (
        text.count("[") + text.count("{") > limits.max_depth
        or len(text) > 262_144
        or (("\t" in text or any(p in text for p in _INDICATOR_PAIRS)) and _BLOCK_RUN.search(text) is not None)
    )


def _prescan_depth(text: str, limits: Limits) -> LoadProblem | None:
    """Guard the C composer, which recurses on the C stack and segfaults on ~50,000 levels.

    Only suspicious files pay for the event scan (libyaml's parser itself is not recursive).
    """
    if not _suspicious(text, limits):
        return None
    depth = 0
    try:
        for ev in yaml.parse(text, Loader=yaml.CBaseLoader):
            if isinstance(ev, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
                depth += 1
                if depth > limits.max_depth:
                    m = ev.start_mark
                    assert m is not None
                    return LoadProblem(S_TOO_DEEP, m.line + 1, m.column + 1, T(
                        f"嵌套超过 {limits.max_depth} 层", f"nesting deeper than {limits.max_depth} levels"))
            elif isinstance(ev, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
                depth -= 1
    except yaml.YAMLError as exc:
        # libyaml >= 0.2.5 (PyYAML 6.0.2+ wheels) stops deep flow collections itself in the scanner:
        # that is still "too deep", not a syntax error. Other syntax errors are reported by the
        # composer afterwards.
        if "maximum nesting depth" in str(exc):
            m = getattr(exc, "problem_mark", None)
            line, col = (m.line + 1, m.column + 1) if m is not None else (1, 1)
            return LoadProblem(S_TOO_DEEP, line, col, T(
                f"嵌套超过 {limits.max_depth} 层", f"nesting deeper than {limits.max_depth} levels"))
        return None
    return None


def _tab_problem(text: str) -> LoadProblem | None:
    m = _TAB_BAD.search(text)
    if not m:
        return None
    offset = text.index("\t", m.start())
    line = text.count("\n", 0, offset) + 1
    col = offset - (text.rfind("\n", 0, offset) + 1) + 1
    n = len(_TAB_BAD.findall(text))
    more = T(f"（共 {n} 处）", f" ({n} places)") if n > 1 else T("", "")
    return LoadProblem(S_TAB, line, col, T(
        f"第 {line} 行用了制表符缩进或分隔{more.zh}；YAML 只允许空格",
        f"tab character used for indentation or separation at line {line}{more.en}; YAML allows spaces only"))


# libyaml's usual complaints, said in Chinese for legal officers (the English original is kept).
_ZH_PROBLEMS = (
    ("mapping values are not allowed", "此处不能出现“键: 值”（冒号后缺空格，或缩进不对？）"),
    ("did not find expected key", "缺少预期的键（缩进不对？）"),
    ("did not find expected ',' or ']'", "列表缺少 ',' 或 ']'（方括号未闭合？）"),
    ("did not find expected ',' or '}'", "映射缺少 ',' 或 '}'（花括号未闭合？）"),
    ("could not find expected ':'", "缺少预期的 ':'"),
    ("found unexpected end of stream", "文件意外结束（引号或括号未闭合？）"),
    ("did not find expected '-' indicator", "缺少预期的 '-'（列表缩进不对？）"),
    ("found undefined alias", "使用了未定义的别名"),
    ("found character that cannot start any token", "出现了不能开始任何记号的字符"),
    ("cannot start any token", "出现了不能开始任何记号的字符（如制表符、@ 或 `）"),
    ("found unknown escape character", "引号内有未知的转义字符"),
    ("block sequence entries are not allowed", "此处不能开始列表项（缩进不对？）"),
    ("found a tab character", "出现了制表符"),
    ("did not find expected node content", "缺少预期的内容"),
    ("found unexpected ':'", "出现了多余的 ':'"),
    ("expected <document start>", "文档结构不对（多余的内容？）"),
)


def _zh_detail(detail: str) -> str:
    for en, zh in _ZH_PROBLEMS:
        if en in detail:
            return f"{zh}（{detail}）"
    return detail


def _syntax_problem(exc: BaseException) -> LoadProblem:
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    line, col = (mark.line + 1, mark.column + 1) if mark is not None else (1, 1)
    problem = getattr(exc, "problem", None) or str(exc) or type(exc).__name__
    context = getattr(exc, "context", None)
    detail = f"{context}: {problem}" if context else str(problem)
    if "expected a single document" in detail:
        return LoadProblem(S_MULTIDOC, line, col, T(
            f"第 {line} 行开始了第二个 YAML 文档；每个文件只能有一个文档（一个事项）",
            f"a second YAML document starts at line {line}; one file holds one document (one power)"))
    return LoadProblem(S_SYNTAX, line, col, T(f"YAML 语法错误：{_zh_detail(detail)}", f"YAML syntax error: {detail}"))


# A key followed by a full-width colon (name：取水许可), the commonest slip on a Chinese keyboard.
_FULLWIDTH_KEY = re.compile(r"^[ \t]*(?:-[ \t]+)?[\w\u4e00-\u9fff-]+(：)", re.MULTILINE)


def _compose_error(text: str) -> tuple[int, int] | None:
    """Where libyaml fails on ``text`` (None: it parses)."""
    try:
        loader = _Composer(text)
        try:
            loader.get_single_node()
        finally:
            loader.dispose()
    except Exception as exc:  # noqa: BLE001 - as in parse_text: any failure counts
        p = _syntax_problem(exc)
        return p.line, p.column
    return None


def _fullwidth_colon(text: str, failed: LoadProblem) -> LoadProblem | None:
    """The full-width colon that caused ``failed``, if one did. Run only after a failure, so good
    files pay nothing; a candidate counts only if writing ':' there moves or removes the error
    (a ：inside a block of text is left alone)."""
    for m in _FULLWIDTH_KEY.finditer(text):
        line = text.count("\n", 0, m.start()) + 1
        if line > failed.line:
            return None
        at = m.start(1)
        if _compose_error(text[:at] + ": " + text[at + 1:]) == (failed.line, failed.column):
            continue
        col = at - (text.rfind("\n", 0, at) + 1) + 1
        return LoadProblem(S_SYNTAX, line, col, T(
            f"第 {line} 行用了全角冒号「：」，应为半角「:」（冒号后加一个空格）",
            f"line {line} has a full-width colon '：'; YAML needs ':' (followed by a space)"))
    return None


def parse_text(text: str, limits: Limits = Limits()) -> Parsed:
    """Parse decoded text. Never raises: every failure becomes a problem with a position.

    Plain block YAML goes through the fast parser (:mod:`powerlist.catalog.fastparse`), positions computed on first
    use; everything else, and everything the fast parser refuses, through libyaml."""
    if "\t" not in text and not _suspicious(text, limits):
        fast = parse_simple(text, limits)
        if fast is not None:
            data, pairs, top = fast
            return Parsed(data, LazyPositions(text, pairs), [], array("I", top))
    return parse_text_libyaml(text, limits)


# The fast path has already held the file to the configured limits; computing its positions
# later must not fail on them again (the limits in force then may be the defaults).
_NO_LIMITS = Limits(max_file_bytes=1 << 62, max_depth=1 << 30, max_nodes=1 << 62)


def libyaml_positions(text: str) -> array:
    """The positions the libyaml walk records for ``text`` (see the module docstring)."""
    return parse_text_libyaml(text, _NO_LIMITS).positions


def parse_text_libyaml(text: str, limits: Limits = Limits()) -> Parsed:
    """Parse decoded text with libyaml only: the reference every problem and position comes from."""
    problems: list[LoadProblem] = []
    tab = _tab_problem(text) if "\t" in text else None
    deep = _prescan_depth(text, limits)
    if deep:
        return Parsed(None, problems=[deep])
    try:
        loader = _Composer(text)
        try:
            node = loader.get_single_node()
        finally:
            loader.dispose()
    except Exception as exc:  # noqa: BLE001 - ruamel/libyaml raise more than YAMLError: any failure is a diagnostic
        prob = _syntax_problem(exc)
        if prob.code == S_SYNTAX and "：" in text:
            prob = _fullwidth_colon(text, prob) or prob
        if tab and prob.code == S_SYNTAX and (abs(prob.line - tab.line) <= 1 or "\\t" in prob.message.en):
            return Parsed(None, problems=[tab])  # the tab is the cause: one clear diagnostic
        return Parsed(None, problems=[p for p in (tab, prob) if p])
    if tab:
        problems.append(tab)
    if node is None or (type(node) is yaml.ScalarNode and node.tag == _PLAIN and resolve_plain(node.value) is None):
        problems.append(LoadProblem(S_EMPTY, 1, 1, T("文件为空（没有 YAML 内容）", "the file is empty (no YAML content)")))
        return Parsed(None, problems=problems)
    walker = _Walker(limits)
    walker.mark(node)
    try:
        data = walker.walk(node, 0)
    except _Limit as lim:
        return Parsed(None, problems=[*problems, lim.problem])
    except RecursionError:
        m = node.start_mark
        return Parsed(None, problems=[*problems, LoadProblem(S_TOO_DEEP, m.line + 1, m.column + 1, T(
            "嵌套过深", "nesting too deep"))])
    return Parsed(data, walker.pos, problems + walker.problems, walker.top)


def parse_bytes(raw: bytes, limits: Limits = Limits()) -> Parsed:
    if len(raw) > limits.max_file_bytes:
        return Parsed(None, problems=[_too_large(len(raw), limits)])
    text, problem = decode(raw)
    if problem is not None or text is None:
        return Parsed(None, problems=[problem] if problem else [])
    return parse_text(text, limits)


def _too_large(size: int, limits: Limits) -> LoadProblem:
    return LoadProblem(S_TOO_LARGE, 1, 1, T(
        f"文件 {size:,} 字节，超过上限 {limits.max_file_bytes:,} 字节；一个事项一个文件",
        f"the file is {size:,} bytes, over the limit of {limits.max_file_bytes:,}; one power per file"))


def read_and_parse(path: str, limits: Limits = Limits()) -> Parsed:
    """Read a file from disk with the size limit checked before reading it whole."""
    try:
        raw = read_regular(path, limits.max_file_bytes + 1)
    except OSError as exc:
        return Parsed(None, problems=[LoadProblem(S_SYNTAX, 1, 1, T(
            f"无法读取文件：{exc.strerror}", f"cannot read the file: {exc.strerror}"))])
    if len(raw) > limits.max_file_bytes:
        import os

        return Parsed(None, problems=[_too_large(os.path.getsize(path), limits)])
    return parse_bytes(raw, limits)


# ---------------------------------------------------------------------------- positions


def _span(node: Any) -> int:
    """How many position pairs the subtree below ``node`` recorded."""
    if isinstance(node, dict):
        return sum(2 + _span(v) for v in node.values())
    if isinstance(node, list):
        return sum(1 + _span(v) for v in node)
    return 0


def locate(data: Any, positions: Sequence[int], path: Sequence[str | int], at: str = "value") -> tuple[int, int]:
    """Line and column (1-based) of ``path`` inside ``data``; the deepest existing node when the
    path runs out (e.g. a missing key points at its parent mapping)."""
    if len(positions) < 2:
        return 1, 1
    best = (positions[0], positions[1])
    node = data
    nxt = 1  # pair index where the current node's children start
    last = len(path) - 1
    for depth, step in enumerate(path):
        if isinstance(node, dict) and isinstance(step, str) and step in node:
            cursor = nxt
            for k, v in node.items():
                if k == step:
                    break
                cursor += 2 + _span(v)
            node = node[step]
            idx, nxt = cursor + 1, cursor + 2
            pair = cursor if at == "key" and depth == last else idx
            best = (positions[2 * pair], positions[2 * pair + 1])
        elif isinstance(node, list) and isinstance(step, int) and -len(node) <= step < len(node):
            at_item = step % len(node)
            cursor = nxt
            for v in node[:at_item]:
                cursor += 1 + _span(v)
            idx = cursor
            node = node[at_item]
            nxt = cursor + 1
            best = (positions[2 * idx], positions[2 * idx + 1])
        else:
            break
    return best


_UNION_TAGS = frozenset({"str", "int", "float", "bool", "list", "dict", "function-after", "function-before", "union"})


def _has(node: Any, step: str | int) -> bool:
    if isinstance(node, dict):
        return isinstance(step, str) and step in node
    return isinstance(node, list) and isinstance(step, int) and 0 <= step < len(node)


def clean_path(data: Any, loc: Sequence[str | int]) -> tuple[str | int, ...]:
    """Drop the parts of a pydantic error location that are not keys in the data (union member
    names such as ``'str'`` or ``'NextEdge'``)."""
    out: list[str | int] = []
    node = data
    for step in loc:
        if _has(node, step):
            node = node[step]
            out.append(step)
        elif isinstance(node, dict) and isinstance(step, str) and not step[:1].isupper() and step not in _UNION_TAGS:
            # a missing key: keep it so the message can name it
            out.append(step)
            break
    return tuple(out)

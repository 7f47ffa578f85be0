"""Prove a catalogue file already canonical without the ruamel.yaml round trip of :mod:`powerlist.fmt`.

``fmt --check`` on a whole catalogue used to round-trip every file (~20 ms each, 13x a cold check).
Most files are already canonical, and proving that takes one pass over the lines. The proof is
conservative: :func:`is_canonical` says ``True`` only for files written in a narrow subset of YAML
that it understands completely, and only when the file already has the canonical key order, block /
flow styles and indentation that :func:`powerlist.fmt.format_text` would give it. Everything else
(``False``) goes to the round trip, which decides; a wrong ``False`` costs time, never a result.

The invariant, tested on random and real files: ``is_canonical(text, kind)`` implies that
``format_text(text, kind) == text`` and raises nothing.

The subset, line by line (LF; CRLF only if every line ends so):

* ``key: value`` in block mappings, keys plain (letters, digits, ``_``, CJK …), two-space steps;
* ``- item`` in block sequences, the dash two columns right of the parent key, a mapping item's
  first key on the dash line; a registry file (``bodies.yaml``) is a sequence at column 0;
* values on one line: plain strings that read as strings in YAML 1.2 (for libyaml and ruamel alike),
  ``0`` / decimal integers, ``null``, ``true`` / ``false``, dates ``YYYY-MM-DD``, quoted strings
  without escapes, ``[a, b]`` lists of such plain scalars, ``[]`` and ``{}``;
* comments after a scalar value or on their own line after a line that ends in a scalar (ruamel
  attaches them to that scalar and writes them back in place), comment lines and blank lines
  between keys, comment lines at the top and at the end of the file.

Not in the subset, so always round-tripped: block scalars (``|``, ``>``), multi-line scalars, flow
mappings with content, nested flow lists, anchors, tags, directives, tabs, trailing spaces,
characters outside the Basic Multilingual Plane, lines over 1,000 characters.
"""

from __future__ import annotations

import re
from datetime import date
from functools import lru_cache

from powerlist.catalog.parse import Limits, resolve_plain
from powerlist.fmtshape import FLOW_LISTS, Shape, root_shape

# Characters every emitter path writes back as they are: printable BMP, none YAML treats as a
# line break or a byte-order mark (no \x85, \u2028, \u2029, \ufeff), no controls, no tab.
_SAFE = "\x20-\x7e\xa0-\u2027\u202a-\ud7ff\ue000-\ufefe\uff00-\ufffd"
_UNSAFE_TEXT = re.compile(f"[^\n{_SAFE}]")
# A plain scalar: no YAML indicator or resolver-significant character first (digits, signs, dots,
# ~ go to the typed forms below), no " #", no ": ", no ":" at the end, no space at either end.
_FIRST_BAD = set(" -?:,[]{}#&*!|>'\"%@`+.~<=\\")
_DIGITS = set("0123456789")
_EDGE_SPACES = set(" \xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u200b"
                   "\u202f\u205f\u3000")
_FLOW_BAD = re.compile(r"[,\[\]{}:#]")
_INT = re.compile(r"(?:0|[1-9][0-9]{0,15})\Z")
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}\Z")
_SQ = re.compile(r"'(?:[^'\n]|'')*'")
_DQ = re.compile(r'"[^"\\\n]*"')
_KEY_LINE = re.compile(r"( *)([^ :#'\"][^:#]*?):(?: (.*))?\Z")
_COMMENT = re.compile(r" +#")
_WORDS = frozenset({"true", "True", "TRUE", "false", "False", "FALSE", "null", "Null", "NULL"})
MAX_LINE = 1000  # far below ruamel's line width (4096), so nothing is ever re-wrapped
MAX_KEY = 100  # far below the 128 characters beyond which an emitter writes an explicit "? key"


_FlowItem = str | tuple[tuple[str, str], ...]


class _NotProven(Exception):
    """The file leaves the subset, or is not in canonical form: the round trip decides."""


def _plain_str(s: str, flow: bool) -> bool:
    """A plain scalar that both YAML 1.2 readers take as this very string and ruamel writes plain."""
    if not s or s[0] in _FIRST_BAD or s[0] in _EDGE_SPACES or s[-1] in _EDGE_SPACES:
        return False
    if s[0] in _DIGITS and s.isascii():
        return False  # every number and timestamp pattern is ASCII: `300元/块` is a string, `1e3` may not be
    if "#" in s or ": " in s or s.endswith(":") or s in _WORDS:
        return False
    if flow and _FLOW_BAD.search(s):
        return False
    return not (s[0] in "nNtTfF" and not isinstance(resolve_plain(s), str))


def _typed(s: str) -> bool:
    """Plain scalars of other types that ruamel writes back with the same spelling."""
    if _INT.match(s) or s in ("null", "true", "false"):
        return True
    if _DATE.match(s):
        try:
            date.fromisoformat(s)
        except ValueError:
            return False  # ruamel reads it as a timestamp and fails: the round trip reports it
        return True
    return False


def _scalar(s: str) -> bool:
    """One whole scalar token (no comment) in block context."""
    if not s:
        return False
    if s[0] == "'":
        return bool(_SQ.fullmatch(s)) and _quoted_inner(s[1:-1])
    if s[0] == '"':
        return bool(_DQ.fullmatch(s)) and _quoted_inner(s[1:-1])
    return _plain_str(s, False) or _typed(s)


def _quoted_inner(s: str) -> bool:
    return not s or (s[0] not in _EDGE_SPACES and s[-1] not in _EDGE_SPACES)


def _split_comment(rest: str) -> tuple[str, bool]:
    """``value  # note`` -> (``value``, True). A plain value never holds " #", a quoted one may."""
    if rest[:1] in ("'", '"'):
        m = (_SQ if rest[0] == "'" else _DQ).match(rest)
        if m is None:
            raise _NotProven
        value, tail = rest[: m.end()], rest[m.end():]
        if not tail:
            return value, False
        if _COMMENT.match(tail):
            return value, True
        raise _NotProven
    m = _COMMENT.search(rest)
    if m is None:
        return rest, False
    return rest[: m.start()], True


def _flow_items(s: str) -> list[_FlowItem] | None:
    """The items of ``[a, {to: b, when: c}]`` written exactly as ruamel writes them (a mapping item
    as its (key, value) pairs), else None."""
    if not (s.startswith("[") and s.endswith("]")):
        return None
    inner = s[1:-1]
    if not inner:
        return []
    items: list[_FlowItem] = []
    i = 0
    while True:
        if inner.startswith("{", i):
            close = inner.find("}", i)
            if close == -1:
                return None
            pairs: list[tuple[str, str]] = []
            for pair in inner[i + 1:close].split(", "):
                key, sep, value = pair.partition(": ")
                if not sep or not _plain_str(key, True) or not (_plain_str(value, True) or _INT.match(value)):
                    return None
                pairs.append((key, value))
            items.append(tuple(pairs))
            i = close + 1
        else:
            close = inner.find(", ", i)
            item = inner[i:] if close == -1 else inner[i:close]
            if not (_plain_str(item, True) or _INT.match(item)):
                return None
            items.append(item)
            i += len(item)
        if i == len(inner):
            return items
        if not inner.startswith(", ", i):
            return None
        i += 2


# Catalogue files repeat the same lines (`kind: file`, `days: 3`, `next: [review]`) thousands of
# times: the verdict on a line's text is worth remembering.
@lru_cache(maxsize=1 << 16)
def _key_of(body: str) -> tuple[str, str | None] | None:
    """``key: rest`` (the line without its indentation) -> (key, rest or None), if a provable key."""
    m = _KEY_LINE.match(body)
    if m is None or m.group(1):
        return None
    key = m.group(2)
    if len(key) > MAX_KEY or not _plain_str(key, True):
        return None
    return key, m.group(3)


@lru_cache(maxsize=1 << 16)
def _value_of(rest: str) -> tuple[str, tuple[_FlowItem, ...]] | None:
    """What follows ``key: ``: ("empty", ()) for ``[]``/``{}``, ("flow", items), ("scalar", ())."""
    if rest.startswith(("[", "{")):
        if rest in ("{}", "[]"):
            return "empty", ()
        items = _flow_items(rest)
        return None if items is None else ("flow", tuple(items))
    try:
        value, _comment = _split_comment(rest)
    except _NotProven:
        return None
    return ("scalar", ()) if _scalar(value) else None


class _Scanner:
    """Recursive descent over the lines; raises :class:`_NotProven` at the first doubt."""

    def __init__(self, lines: list[str], limits: Limits) -> None:
        self.lines = lines
        self.pos = 0
        self.gap_ok = True  # may a comment or blank line come next (the last content ended in a scalar)?
        self.nodes = 0
        # Keys and items are counted; the parser also counts values and collections (at most
        # twice as many, plus the root), so a third of its budget keeps well inside it.
        self.max_nodes = limits.max_nodes // 3
        self.max_depth = min(limits.max_depth // 2, 32)

    def skip_gap(self) -> int:
        """Skip comment and blank lines; the indentation of the next content line (-1 at the end)."""
        lines = self.lines
        while self.pos < len(lines):
            line = lines[self.pos]
            stripped = line.lstrip(" ")
            if stripped and not stripped.startswith("#"):
                return len(line) - len(stripped)
            if not self.gap_ok:
                raise _NotProven
            self.pos += 1
        return -1

    def at(self, col: int) -> bool:
        """Whether the next content line of a block at ``col`` is there: False when the block has
        ended (a line further left, or the end); a line further right is not proven."""
        indent = self.skip_gap()
        if indent > col:
            raise _NotProven
        return indent == col

    def count(self, depth: int) -> None:
        self.nodes += 1
        if self.nodes > self.max_nodes or depth > self.max_depth:
            raise _NotProven

    def mapping(self, col: int, shape: Shape | None, depth: int) -> None:
        """A block mapping whose first key is the next content line, at ``col``."""
        seen: set[str] = set()
        last_known = -1
        unknown_seen = False
        while self.at(col):
            parsed = _key_of(self.lines[self.pos][col:])
            if parsed is None:
                raise _NotProven
            key, rest = parsed
            if key in seen:
                raise _NotProven
            seen.add(key)
            self.count(depth)
            known = False
            child = None
            if shape is not None:  # known keys in the documented order, then the unknown ones
                idx = _index(shape).get(key)
                if idx is not None:
                    if unknown_seen or idx < last_known:
                        raise _NotProven
                    last_known = idx
                else:
                    unknown_seen = True
                known = key in shape.fields
                child = shape.fields.get(key)
            self.pos += 1
            if rest is None:
                self.block_value(key, col, known, child, depth)
            else:
                self.inline_value(key, rest, known, child, depth)

    def flow_mapping(self, pairs: tuple[tuple[str, str], ...], shape: Shape | None, depth: int) -> None:
        keys = [k for k, _ in pairs]
        if len(set(keys)) != len(keys):
            raise _NotProven
        if shape is not None:
            known = [k for k in keys if k in shape.order]
            if keys[: len(known)] != sorted(known, key=_index(shape).__getitem__):
                raise _NotProven
        for _ in pairs:
            self.count(depth)

    def inline_value(self, key: str, rest: str, known: bool, child: Shape | None, depth: int) -> None:
        verdict = _value_of(rest)
        if verdict is None:
            raise _NotProven
        what, items = verdict
        if what == "empty":
            self.gap_ok = False
            return
        if what == "flow":
            # A known list is flow exactly when fmt would make it flow (an id list without comments);
            # of the known ones only `next` may hold mappings ({to, when}), whose keys fmt orders.
            if known and key not in FLOW_LISTS:
                raise _NotProven
            for item in items:
                self.count(depth + 1)
                if isinstance(item, tuple):
                    if known and key != "next":
                        raise _NotProven
                    self.flow_mapping(item, child if known else None, depth + 2)
            self.gap_ok = False  # ruamel may attach a following comment to the list and re-style it
            return
        self.gap_ok = True

    def block_value(self, key: str, col: int, known: bool, child: Shape | None, depth: int) -> None:
        """``key:`` alone on its line: a block mapping or sequence follows, two columns in."""
        self.gap_ok = False
        if self.pos >= len(self.lines):
            raise _NotProven
        line = self.lines[self.pos]
        indent = len(line) - len(line.lstrip(" "))
        if indent != col + 2:
            raise _NotProven  # `key:` with nothing under it is null: fmt writes `key: null`
        if line.startswith("- ", indent) or line[indent:] == "-":
            if known and key in FLOW_LISTS:
                raise _NotProven  # would become [a, b] unless a comment sits inside: the round trip decides
            self.sequence(col + 2, child, depth + 1)
        else:
            self.mapping(col + 2, child, depth + 1)

    def sequence(self, col: int, item_shape: Shape | None, depth: int) -> None:
        """A block sequence whose dashes stand at ``col``."""
        while self.at(col):
            line = self.lines[self.pos]
            if not line.startswith("- ", col):
                raise _NotProven
            rest = line[col + 2:]
            self.count(depth)
            if _KEY_LINE.match(rest) and not rest.startswith(("'", '"')):
                # A mapping item: its first key sits on the dash line, two columns in.
                self.lines[self.pos] = " " * (col + 2) + rest
                self.mapping(col + 2, item_shape, depth + 1)
                continue
            verdict = _value_of(rest)
            if verdict is None or verdict[0] != "scalar":
                raise _NotProven  # nested lists and {} items are left to the round trip
            self.pos += 1
            self.gap_ok = True


_INDEXES: dict[int, tuple[Shape, dict[str, int]]] = {}


def _index(shape: Shape) -> dict[str, int]:
    """Position of each known key (shapes are few and live for the whole process)."""
    hit = _INDEXES.get(id(shape))
    if hit is None or hit[0] is not shape:
        hit = _INDEXES[id(shape)] = (shape, {k: i for i, k in enumerate(shape.order)})
    return hit[1]


def is_canonical(text: str, kind: str = "power", limits: Limits = Limits()) -> bool:
    """True only if :func:`powerlist.fmt.format_text` would return ``text`` unchanged (see above)."""
    if "\r" in text:
        if text.count("\r\n") != text.count("\n"):
            return False  # mixed line endings: fmt makes them all CRLF
        text = text.replace("\r\n", "\n")
        if "\r" in text:
            return False
    if not text.endswith("\n") or text.endswith("\n\n") or _UNSAFE_TEXT.search(text):
        return False
    lines = text.split("\n")
    lines.pop()  # the empty string after the final newline
    if not lines or not lines[0]:
        return False  # ruamel drops blank lines at the top
    if any(len(line) > MAX_LINE or line.endswith(" ") for line in lines):
        return False
    scanner = _Scanner(lines, limits)
    try:
        indent = scanner.skip_gap()
        if indent != 0:
            return False
        shape = root_shape(kind)
        if kind == "power":
            scanner.mapping(0, shape, 1)
        else:
            scanner.sequence(0, shape, 1)
        return scanner.skip_gap() == -1
    except _NotProven:
        return False

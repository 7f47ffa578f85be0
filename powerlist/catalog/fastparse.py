"""The fast parser on the data path: ``yaml_rs`` (Rust, PyPI ``yaml-rs``) for plain block YAML.

:func:`parse_simple` turns a file into plain dicts/lists exactly as the libyaml path in
:mod:`powerlist.catalog.parse` would, or answers None, and then the libyaml path reads the file.
It is taken only when

- a cheap scan finds none of the constructs where the two parsers could disagree or where only
  libyaml says what is wrong: anchors, aliases, tags, directives, document markers, complex
  keys, escapes, tabs, line breaks other than LF, characters YAML does not allow, tokens libyaml
  refuses to start with ``@`` or a backtick, flow collections over several lines, ``:``/``?``
  where a flow entry starts, space-only lines near block scalars, and the plain scalars yaml_rs reads as numbers
  where YAML 1.2's core schema reads strings (``1_000``, ``0b11``, ``0X1F``, ``-0x7``: measured
  on 300,000 random scalars, these are the only differences), and
- yaml_rs parses the text into one mapping or sequence, without duplicate keys, every key a
  string, every value a plain JSON-like type, within the depth and node limits.

So every load problem (S001–S010), with its line, comes from one place: the libyaml path.
Positions are not computed here: the libyaml walk computes them when a finding first needs one
(``parse.LazyPositions``). ``tests/test_parse_differential.py`` holds the two paths to the same
data, problems and positions.
"""

from __future__ import annotations

import os
import re
from typing import Any

from powerlist.limits import Limits

# What sends a file down the libyaml path. Conservative on purpose: a file sent there for nothing
# is only slower; see the module docstring for why each construct is here. Split so that a good
# file costs a few substring searches and one character-class scan (one regex of alternatives
# tried at every character cost 4x the parse).
_BAD_CHARS = re.compile(
    r"[&*!\\\t\r\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029\ufeff\ud800-\udfff\ufffe\uffff]")
_COMPLEX_KEY = re.compile(r"\?(?:[ \n]|$)", re.MULTILINE)
_RESERVED_START = re.compile(r"(?:^|[ \[,])[@`]", re.MULTILINE)
_LINE_STARTS = ("%", "---", "...")
# Flow collections that span lines, and ':' or '?' right where a flow entry or value starts
# ([:x], {x: :x}, "k"::v): libyaml refuses several of these, yaml_rs reads them.
# Two searches, not one of two alternatives: an alternation is tried at every character (2x).
_FLOW_OPEN = re.compile(r"[\[{][^\]}\n]*$", re.MULTILINE)
_FLOW_COLON = re.compile(r"[\[{,:] *[:?]")
# A line of spaces only: around block scalars the two parsers keep different whitespace.
_SPACES_LINE = re.compile(r"^ +$", re.MULTILINE)
# yaml_rs reads these as numbers where the YAML 1.2 core schema reads strings (see the docstring).
_NUMBER_PREFIXES = ("0b", "0B", "0X", "0O", "+0x", "-0x", "+0o", "-0o")
_NUMBER_CHARS = frozenset("-+._0123456789abcdefABCDEFxXoO")
_TOKEN_START = frozenset(" \n[]{},:")


def _number_like_underscore(text: str) -> bool:
    """Whether some token that starts like a number has a '_' (``1_000``, ``_3``, ``.5_``)."""
    i = text.find("_")
    while i >= 0:
        j = i
        while j > 0 and text[j - 1] in _NUMBER_CHARS:
            j -= 1
        if j == 0 or text[j - 1] in _TOKEN_START:
            return True
        i = text.find("_", i + 1)
    return False


PARSER_ENV = "POWERLIST_PARSER"
"""``POWERLIST_PARSER=libyaml`` turns the fast parser off (for comparing the two paths)."""

_loads: Any = None
_SCALARS = (str, int, float, bool, type(None))


def enabled() -> bool:
    return os.environ.get(PARSER_ENV, "").strip().lower() != "libyaml"


def is_simple(text: str) -> bool:
    if _BAD_CHARS.search(text) is not None:
        return False
    if text.startswith(_LINE_STARTS) or any(f"\n{m}" in text for m in _LINE_STARTS):
        return False
    if "?" in text and _COMPLEX_KEY.search(text) is not None:
        return False
    if ("@" in text or "`" in text) and _RESERVED_START.search(text) is not None:
        return False
    if ("[" in text or "{" in text) and _FLOW_OPEN.search(text) is not None:
        return False
    if _FLOW_COLON.search(text) is not None:
        return False
    if ("|" in text or ">" in text) and _SPACES_LINE.search(text) is not None:
        return False
    return not (any(p in text for p in _NUMBER_PREFIXES) or _number_like_underscore(text))


class _Fallback(Exception):
    """The libyaml path must read this file (a duplicate key, a limit, a shape not handled here)."""


def parse_simple(text: str, limits: Limits) -> tuple[Any, int, list[int]] | None:
    """(data, number of position pairs, pair index of each top-level key) or None: use libyaml.

    The pair count and top-level indices are what the libyaml walk records (the document, then
    per mapping pair the key and the value, per sequence item the item), so the positions it
    computes later line up with them."""
    global _loads
    if not enabled() or not is_simple(text):
        return None
    if _loads is None:
        from yaml_rs import loads  # imported on the first parse, never by a run served from the cache

        _loads = loads
    try:
        data = _loads(text, parse_datetime=False)
    except Exception:  # noqa: BLE001 - any refusal (duplicate key included) sends the file to libyaml
        return None
    if type(data) is not dict and type(data) is not list:
        return None  # empty, a lone scalar: libyaml's wording
    try:
        pairs, top = _count(data, limits)
    except (_Fallback, RecursionError):
        return None
    return data, pairs, top


def _count(data: dict[Any, Any] | list[Any], limits: Limits) -> tuple[int, list[int]]:
    """Check what yaml_rs gave against what the libyaml walk accepts, counting position pairs.

    The libyaml walk counts every value node (not keys) against the node budget and stops at a
    container ``max_depth`` deep: the same here, so a file at a limit gets libyaml's S007/S008.
    A call per container, none per scalar: a call per node would cost as much as the parse."""
    budget = [limits.max_nodes - 1]  # the document itself
    top: list[int] = []
    pairs = 1  # the document's own position
    if type(data) is dict:
        for key, v in data.items():
            if type(key) is not str:
                raise _Fallback
            top.append(pairs)
            cls = type(v)
            pairs += 2 + _below(v, 1, limits.max_depth, budget) if cls is dict or cls is list else 2
            if cls is not dict and cls is not list and cls not in _SCALARS:
                raise _Fallback
        budget[0] -= len(data)
    else:
        pairs += _below(data, 0, limits.max_depth, budget) if limits.max_depth > 0 else _raise()
        return pairs, top
    if limits.max_depth <= 0 or budget[0] < 0:
        raise _Fallback
    return pairs, top


def _raise() -> int:
    raise _Fallback


def _below(node: dict[Any, Any] | list[Any], depth: int, max_depth: int, budget: list[int]) -> int:
    """Position pairs recorded below ``node`` (as parse._span), checking keys, types and limits."""
    if depth >= max_depth:
        raise _Fallback
    n = 0
    if type(node) is dict:
        for key, v in node.items():
            if type(key) is not str:
                raise _Fallback  # a plain 1: or null: key, which libyaml keeps as a string
            cls = type(v)
            if cls is dict or cls is list:
                n += 2 + _below(v, depth + 1, max_depth, budget)
            elif cls in _SCALARS:
                n += 2
            else:
                raise _Fallback  # a date, bytes …: a type the libyaml path never makes
    else:
        for v in node:
            cls = type(v)
            if cls is dict or cls is list:
                n += 1 + _below(v, depth + 1, max_depth, budget)
            elif cls in _SCALARS:
                n += 1
            else:
                raise _Fallback
    budget[0] -= len(node)
    if budget[0] < 0:
        raise _Fallback
    return n


def top_table(text: str, keys: tuple[str, ...]) -> list[int] | None:
    """Line and column of the document, then of each top-level key and its value, found by a
    line scan (what a released file keeps to locate top-level keys): [line, col, (kline, kcol,
    vline, vcol) per key]. None when the scan cannot tell for sure (a quoted key, a line it does not
    recognise); the caller then computes the positions with libyaml.

    Only for text the fast parser read (plain block YAML, a mapping at the top): there a top-level
    key starts every line at column 1 that is not blank, a comment or a '- ' item. Values follow
    libyaml's marks: the first character after ': ' on the key's line, else the first line below
    that is not blank or a comment, if indented or a '- ' item, else (an empty value) just after
    the colon. ``tests/test_parse_differential.py`` compares every table with libyaml's positions."""
    lines = text.split("\n")
    out: list[int] = []
    n = len(lines)
    k = 0
    for i, line in enumerate(lines):
        if not line or line[0] in " #" or line == "-" or line.startswith("- "):
            continue
        if line[0] in "'\"" or k >= len(keys):
            return None
        colon = line.find(": ")
        if colon < 0:
            if not line.rstrip(" ").endswith(":"):
                return None
            colon = len(line.rstrip(" ")) - 1
        if line[:colon].rstrip(" ") != keys[k] or " #" in line[:colon]:
            return None
        if not out:
            out += (i + 1, 1)
        out += (i + 1, 1)
        rest = line[colon + 1:]
        body = rest.lstrip(" ")
        if body and body[0] != "#":
            out += (i + 1, colon + 2 + len(rest) - len(body))
        else:
            j = i + 1
            while j < n and (not lines[j].strip(" ") or lines[j].lstrip(" ").startswith("#")):
                j += 1
            below = lines[j] if j < n else ""
            if below[:1] == " " or below == "-" or below.startswith("- "):
                out += (j + 1, len(below) - len(below.lstrip(" ")) + 1)
            else:
                out += (i + 1, colon + 2)
        k += 1
    return out if k == len(keys) and out else None

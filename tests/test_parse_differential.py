"""The fast parser must not move a verdict: on every yaml-test-suite input, on a seeded fuzz corpus
and on a generated catalogue, the default path (yaml_rs where a file is plain block YAML, libyaml
otherwise) and the libyaml-only path (POWERLIST_PARSER=libyaml) give identical data (types and key
order included), identical load problems (code, line, column, message) and identical positions
for every key and item."""

from __future__ import annotations

import math
import random
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from test_fuzz import DEMO, SEED, _mutate

from bench.generate import generate
from powerlist.catalog import fastparse
from powerlist.catalog.parallel import FileResult, from_blob, to_blob
from powerlist.catalog.parse import LazyPositions, Limits, Parsed, locate, parse_bytes

SUITE = Path(__file__).parent / "data" / "yaml-test-suite"
TABLES = {True: 0, False: 0}  # fast-path mappings whose top-level table the line scan gave / left to libyaml
FUZZ_FILES = 600

# Scalars where YAML parsers part ways (YAML 1.1 vs 1.2, yaml_rs's own number forms), inserted
# as plain, quoted, key and flow values into good files.
TRICKY = ["010", "0o17", "0x1F", "0X1F", "0b11", "1_000", "_3", "+0x1", "-0o7", "1e3", ".5", "+.5", "-.inf",
          ".NaN", "yes", "no", "on", "off", "~", "null", "Null", "NULL", "nUll", "True", "TRUE", "tRue", "1.",
          "12:30", "2001-12-14", "-0", "0.", "inf", "nan", "00", "09", "1e+", "123456789012345678901234567890",
          "#x", "a #b", "a: b", "- a", "'q'", '"q"', "@x", "`x", "%x", "a\\tb", "中文：值", "x," "[a]", "{a: 1}"]


def _plain(v: Any) -> Any:
    """Data as nested tuples that keep types and key order (== on dicts ignores order; 1 == 1.0 == True)."""
    if isinstance(v, dict):
        return ("map", tuple((k, _plain(x)) for k, x in v.items()))
    if isinstance(v, list):
        return ("seq", tuple(_plain(x) for x in v))
    if isinstance(v, float) and math.isnan(v):
        return ("float", "nan")
    return (type(v).__name__, v)


def _paths(v: Any, prefix: tuple[str | int, ...] = ()) -> Iterator[tuple[str | int, ...]]:
    yield prefix
    if isinstance(v, dict):
        for k, x in v.items():
            yield from _paths(x, (*prefix, k))
    elif isinstance(v, list):
        for i, x in enumerate(v):
            yield from _paths(x, (*prefix, i))


def _view(p: Parsed) -> tuple[Any, ...]:
    problems = [(q.code, q.line, q.column, q.message.zh, q.message.en, q.key) for q in p.problems]
    return _plain(p.data), problems, list(p.positions), list(p.top)


def _both(raw: bytes, monkeypatch: pytest.MonkeyPatch, limits: Limits = Limits()) -> tuple[Parsed, Parsed]:
    monkeypatch.delenv(fastparse.PARSER_ENV, raising=False)
    fast = parse_bytes(raw, limits)
    monkeypatch.setenv(fastparse.PARSER_ENV, "libyaml")
    slow = parse_bytes(raw, limits)
    monkeypatch.delenv(fastparse.PARSER_ENV)
    assert not isinstance(slow.positions, LazyPositions)
    return fast, slow


def _compare(name: str, raw: bytes, monkeypatch: pytest.MonkeyPatch, limits: Limits = Limits()) -> bool:
    """Assert both paths agree on ``raw``; True when the fast parser took it."""
    fast, slow = _both(raw, monkeypatch, limits)
    took = isinstance(fast.positions, LazyPositions)
    if took and isinstance(fast.data, dict):
        # what a released file keeps, from the line scan, before any position is computed
        table = fast.positions.top_table(tuple(fast.data))
        TABLES[table is not None] += 1
        if table is not None:
            want = list(slow.positions[0:2])
            for pair in slow.top:
                want += slow.positions[2 * pair: 2 * pair + 4]
            assert list(table) == want, name
    # locate() first, on positions not yet computed: what a finding on the file does. Equal
    # positions (below) make every other path agree too: locate is a function of data and positions.
    for path in list(_paths(slow.data))[:40]:
        for at in ("key", "value"):
            assert locate(fast.data, fast.positions, path, at) == locate(slow.data, slow.positions, path, at), \
                (name, path, at)
    assert _view(fast) == _view(slow), name
    return took


def _suite() -> list[Path]:
    return sorted(SUITE.glob("*.yaml"))


def test_suite_is_there() -> None:
    assert len(_suite()) > 300


def test_yaml_test_suite(monkeypatch: pytest.MonkeyPatch) -> None:
    took = sum(_compare(p.name, p.read_bytes(), monkeypatch) for p in _suite())
    assert took >= 40  # (49 today) the fast path is really exercised, not skipped for every input


def _fuzz_corpus() -> Iterator[tuple[str, bytes]]:
    rng = random.Random(SEED)
    originals = [p.read_bytes() for p in sorted((DEMO / "powers").rglob("*.yaml"))]
    for k in range(FUZZ_FILES):
        yield f"fuzz-{k}", _mutate(rng, rng.choice(originals))
    for k, original in enumerate(originals[:4]):
        for j, s in enumerate(TRICKY):
            text = original.decode()
            variants = [text.replace("name: ", f"name: {s}\nx{j}: ", 1), text + f"k{j}: [{s}, '{s}']\n",
                        text + f"{s}: v\n", text + f"q{j}: '{s}'\n", text + f"l{j}:\n  - {s}\n  -\n    {s}\n"]
            for n, v in enumerate(variants):
                yield f"tricky-{k}-{j}-{n}", v.encode()


def test_fuzz_corpus(monkeypatch: pytest.MonkeyPatch) -> None:
    took = total = 0
    for name, raw in _fuzz_corpus():
        took += _compare(name, raw, monkeypatch)
        total += 1
    assert 0 < took < total  # both paths are exercised


def test_limits_and_duplicates_come_from_libyaml(monkeypatch: pytest.MonkeyPatch) -> None:
    """A file at a limit or with a duplicate key parses fine in yaml_rs terms, but its problem and
    line are libyaml's (S003/S007/S008)."""
    deep = b"a:\n" + b"".join(b"  " * i + b"k:\n" for i in range(1, 8)) + b"  " * 8 + b"v: 1\n"
    wide = b"a: [" + b", ".join(b"x" for _ in range(40)) + b"]\n"
    dup = b"id: A\nname: x\nname: y\n"
    for raw, limits, code in ((deep, Limits(max_depth=4), "S007"), (wide, Limits(max_nodes=20), "S008"),
                              (dup, Limits(), "S003")):
        fast, slow = _both(raw, monkeypatch, limits)
        assert [q.code for q in fast.problems] == [code]
        assert _view(fast) == _view(slow)
        # the same file within the limits takes the fast path
    fast, _ = _both(deep, monkeypatch, Limits(max_depth=64))
    assert isinstance(fast.positions, LazyPositions) and fast.problems == []


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("gen") / "cat"
    generate(root, 300, seed=7)
    return root


def test_generated_catalogue(generated: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    files = sorted(generated.rglob("*.yaml"))
    TABLES[True] = TABLES[False] = 0
    took = sum(_compare(str(p), p.read_bytes(), monkeypatch) for p in files)
    assert took >= 0.9 * len(files)  # plain block YAML: almost every power file is read fast
    assert TABLES[True] >= 0.9 * len(files)  # and released without computing its positions


def test_positions_stay_lazy_across_the_worker_transport(generated: Path) -> None:
    """A worker sends a fast parse with the text its positions come from; computed on arrival
    only when read, equal to libyaml's."""
    raw = next(iter(sorted((generated / "powers").rglob("*.yaml")))).read_bytes()
    parsed = parse_bytes(raw)
    assert isinstance(parsed.positions, LazyPositions) and parsed.positions.pending
    blob = to_blob(FileResult("a.yaml", "d", parsed))
    assert blob is not None
    back = from_blob(blob).parsed
    assert isinstance(back.positions, LazyPositions) and back.positions.pending
    assert parsed.positions.pending  # encoding did not compute them
    assert list(back.positions) == list(parsed.positions) and not back.positions.pending
    again = from_blob(to_blob(FileResult("a.yaml", "d", back)) or b"").parsed  # computed: sent as an array
    assert not isinstance(again.positions, LazyPositions) and list(again.positions) == list(back.positions)


def test_switch_turns_the_fast_parser_off(monkeypatch: pytest.MonkeyPatch) -> None:
    raw = b"id: A\nname: x\n"
    monkeypatch.setenv(fastparse.PARSER_ENV, "libyaml")
    assert not isinstance(parse_bytes(raw).positions, LazyPositions)
    monkeypatch.setenv(fastparse.PARSER_ENV, "")
    assert isinstance(parse_bytes(raw).positions, LazyPositions)

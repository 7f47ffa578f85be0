"""Seeded fuzzing of whole catalogues (issue 9): mutated power files never produce a traceback,
content problems end in exit 0 or 1, and the good files of the same catalogue are still checked.

Each run mutates the demo catalogue's power files in a few hundred ways (bytes flipped, cut,
repeated; YAML indicators, tabs, deep nesting, long scalars, undecodable bytes, BOMs and NULs
inserted). The seed is fixed so a failure reproduces; POWERLIST_FUZZ_SEED picks another.
"""

from __future__ import annotations

import json
import os
import random
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
DEMO = REPO / "catalog"
SEED = int(os.environ.get("POWERLIST_FUZZ_SEED", "20261201"))
FILES_PER_RUN = 100
RUNS = 3  # 300 mutated files per test session

Mutation = Callable[[random.Random, bytes], bytes]


def _flip(rng: random.Random, b: bytes) -> bytes:
    data = bytearray(b)
    for _ in range(rng.randint(1, 8)):
        i = rng.randrange(len(data))
        data[i] = rng.randrange(256)
    return bytes(data)


def _cut(rng: random.Random, b: bytes) -> bytes:
    i, j = sorted(rng.randrange(len(b) + 1) for _ in range(2))
    return b[:i] + b[j:]


def _repeat(rng: random.Random, b: bytes) -> bytes:
    lines = b.splitlines(keepends=True)
    i = rng.randrange(len(lines))
    return b"".join(lines[: i + 1] + [lines[i]] * rng.randint(1, 3) + lines[i + 1 :])


_INDICATORS = [b"&a ", b"*a", b"!!str ", b"!tag ", b"? ", b"{", b"}", b"[", b"]", b"|", b">", b"- ", b": ", b"#", b"%YAML 1.1\n",
               b"---\n", b"...\n", b"\t", b"\x00", b"\xef\xbb\xbf", b"\xff\xfe", b"\xe6\xb0", b"<<: *a\n", b"'", b'"', b"\\",
               "：".encode(), b"\r", b"\x85", "\u2028".encode()]


def _insert(rng: random.Random, b: bytes) -> bytes:
    i = rng.randrange(len(b) + 1)
    return b[:i] + rng.choice(_INDICATORS) * rng.randint(1, 3) + b[i:]


def _deep(rng: random.Random, b: bytes) -> bytes:
    n = rng.choice([70, 500, 5000])
    return b + (b"x: " + b"[" * n + b"]" * n + b"\n" if rng.random() < 0.5 else b"x:\n" + b"  - " * n + b"y\n")


def _long(rng: random.Random, b: bytes) -> bytes:
    return b.replace(b"name: ", b"name: " + "长".encode() * rng.choice([300, 20_000]), 1)


def _aliases(rng: random.Random, b: bytes) -> bytes:
    bomb = b"a: &a [x, x, x, x, x, x, x, x, x]\n" + b"".join(
        f"{chr(98 + k)}: &{chr(98 + k)} [*{chr(97 + k)}, *{chr(97 + k)}, *{chr(97 + k)}, *{chr(97 + k)}]\n".encode()
        for k in range(rng.randint(3, 9)))
    return bomb + b


def _retype(rng: random.Random, b: bytes) -> bytes:
    swaps = [(b"statutory: ", b"statutory: '20'\n#"), (b"days: ", b"days: -"), (b"next: [", b"next: [[],"),
             (b"basis:", b"basis: 3\n_x:"), (b"id: ", b"id: .."), (b"body: ", b"body: {a: 1}\n#"), (b"status: ", b"status: 1\n#")]
    old, new = rng.choice(swaps)
    return b.replace(old, new, 1)


MUTATIONS: list[Mutation] = [_flip, _cut, _repeat, _insert, _deep, _long, _aliases, _retype]


def _mutate(rng: random.Random, b: bytes) -> bytes:
    for _ in range(rng.randint(1, 3)):
        b = rng.choice(MUTATIONS)(rng, b) or b" "
    return b


# A good power with one known finding (unknown body), kept unmutated in every fuzzed catalogue.
SENTINEL = """\
id: FUZZ-SENTINEL
name: 哨兵事项
category: 行政确认
body: no-such-body
basis:
  - law: 中华人民共和国水法
    articles: [第四十八条]
"""


@pytest.mark.parametrize("run", range(RUNS))
def test_fuzzed_catalogue(run: int, tmp_path: Path, run_cli) -> None:  # type: ignore[no-untyped-def]
    rng = random.Random(SEED * 1000 + run)
    root = tmp_path / "cat"
    shutil.copytree(DEMO, root)
    sources = sorted((root / "powers").rglob("*.yaml"))
    originals = [p.read_bytes() for p in sources]
    for p in sources:
        p.unlink()
    for k in range(FILES_PER_RUN):
        i = rng.randrange(len(sources))
        target = sources[i].with_name(f"fuzz-{k:03d}.yaml")
        target.write_bytes(_mutate(rng, originals[i]))
    (root / "powers" / "sentinel").mkdir()
    (root / "powers" / "sentinel" / "FUZZ-SENTINEL.yaml").write_text(SENTINEL, encoding="utf-8")

    res = run_cli("check", root, "--format", "json", "--no-cache")
    assert res.exception is None or isinstance(res.exception, SystemExit), repr(res.exception)
    assert res.exit_code in (0, 1), res.stdout[-2000:] + res.stderr[-2000:]
    assert "Traceback" not in res.stdout + res.stderr
    report = json.loads(res.stdout)
    by_path: dict[str, set[str]] = {}
    for d in report["diagnostics"]:
        by_path.setdefault(d["path"], set()).add(d["code"])
    # the untouched file is still checked, whatever its neighbours hold
    assert "R002" in by_path.get("powers/sentinel/FUZZ-SENTINEL.yaml", set())
    # every broken file is named: a file no check could read still gets its own S finding
    assert sum(1 for codes in by_path.values() if any(c.startswith("S") for c in codes)) > 0

    for fmt in ("text", "sarif", "github", "junit"):
        res = run_cli("check", root, "--format", fmt, "--no-cache")
        assert res.exit_code in (0, 1) and "Traceback" not in res.stdout + res.stderr, fmt

"""The benchmark's catalogue generator: deterministic for a seed, N power files of realistic size
and language, clean where not planted, and every planted defect really there — in the data and in
what ``powerlist check`` reports for its family."""

from __future__ import annotations

import hashlib
import sys
from collections import defaultdict
from pathlib import Path
from typing import Any

import pytest
import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # `bench` lives beside `powerlist`, not installed

from bench.generate import DEFECT_KINDS, MANIFEST, article, generate

SIZE = 300
S_CODES = {"unknown-key": "S012", "tab": "S009", "gbk": "S002", "broken-yaml": "S001"}


def _digest(root: Path) -> str:
    h = hashlib.sha256()
    for p in sorted(root.rglob("*")):
        if p.is_file() and p.name != MANIFEST:  # the manifest records the generation time
            h.update(p.relative_to(root).as_posix().encode() + b"\0" + p.read_bytes())
    return h.hexdigest()


@pytest.fixture(scope="module")
def tree(tmp_path_factory: pytest.TempPathFactory) -> Any:
    root = tmp_path_factory.mktemp("bench") / "cat"
    return generate(root, SIZE, seed=7)


@pytest.fixture(scope="module")
def checked(tree: Any) -> Any:
    from powerlist import api

    return api.check(tree.root, api.settings_for(tree.root)).result


def _load(root: Path, rel: str) -> Any:
    return yaml.safe_load((root / rel).read_text(encoding="utf-8"))


def test_same_seed_same_tree_other_seed_other_tree(tree: Any, tmp_path: Path) -> None:
    again = generate(tmp_path / "again", SIZE, seed=7)
    other = generate(tmp_path / "other", SIZE, seed=8)
    assert _digest(again.root) == _digest(tree.root)
    assert _digest(other.root) != _digest(tree.root)
    assert [(p.kind, p.path) for p in again.planted] == [(p.kind, p.path) for p in tree.planted]


def test_writes_exactly_n_powers_of_realistic_size_mostly_chinese(tree: Any) -> None:
    files = sorted((tree.root / "powers").rglob("*.yaml"))
    assert len(files) == SIZE == tree.files
    planted = {p.path for p in tree.planted}
    chinese = total = 0
    for f in files:
        raw = f.read_bytes()
        if f.relative_to(tree.root).as_posix() not in planted:
            assert 1024 <= len(raw) <= 4096, f
            text = raw.decode("utf-8")
            chinese += sum(len(ch.encode()) for ch in text if ch >= "\u3000")  # ideographs and full-width punctuation
            total += len(raw)
    assert chinese / total > 0.5  # most of every file's bytes are Chinese text (keys and ids are ASCII)
    bodies = _load(tree.root, "bodies.yaml")
    assert 38 <= len(bodies) <= 48
    assert {b["level"] for b in bodies} >= {"市级", "县级"}


def test_every_defect_kind_is_planted(tree: Any) -> None:
    kinds = {(p.family, p.kind) for p in tree.planted}
    assert kinds == set(DEFECT_KINDS)
    assert len(tree.planted) < SIZE * 0.1


def test_s_findings_are_exactly_the_planted_broken_files(tree: Any, checked: Any) -> None:
    expected = {(S_CODES[p.kind], p.path) for p in tree.planted if p.family == "S"}
    found = {(d.code, d.path) for d in checked.diagnostics if d.code.startswith("S")}
    assert found == expected


def test_no_errors_outside_planted_files(tree: Any, checked: Any) -> None:
    involved = {p.path for p in tree.planted} | {r for p in tree.planted for r in p.related}
    stray = [(d.code, d.path) for d in checked.diagnostics if d.path not in involved and d.severity.value == "error"]
    assert stray == []


def test_powerlist_reports_each_planted_defect_in_its_family(tree: Any, checked: Any) -> None:
    families: dict[str, set[str]] = defaultdict(set)
    for d in checked.diagnostics:
        families[d.path].add(d.code[0])
        for r in d.related:
            families[r.path].add(d.code[0])
    missed = [(p.kind, p.path) for p in tree.planted
              if not any(p.family in families[path] for path in [p.path, *p.related])]
    assert missed == []


def _graph(doc: dict[str, Any]) -> tuple[dict[str, list[str]], dict[str, int]]:
    steps = doc["process"]["steps"]
    nxt = {s["id"]: [n if isinstance(n, str) else n["to"] for n in s.get("next", [])] for s in steps}
    return nxt, {s["id"]: s["days"] for s in steps}


def _reach(nxt: dict[str, list[str]], starts: list[str]) -> set[str]:
    seen, todo = set(starts), list(starts)
    while todo:
        for n in nxt[todo.pop()]:
            if n not in seen:
                seen.add(n)
                todo.append(n)
    return seen


def _longest(nxt: dict[str, list[str]], days: dict[str, int], start: str) -> int:
    """Days on the longest path from ``start`` (the graph must be acyclic)."""
    memo: dict[str, int] = {}

    def walk(s: str) -> int:
        if s not in memo:
            memo[s] = days[s] + max((walk(n) for n in nxt[s]), default=0)
        return memo[s]

    return walk(start)


def test_planted_defects_are_in_the_data(tree: Any) -> None:
    root = tree.root
    bodies = {b["id"]: b for b in _load(root, "bodies.yaml")}
    laws = {law["id"]: law for law in _load(root, "laws.yaml")}
    titles = {law["title"]: law for law in laws.values()}
    cancelled = {(c["name"], c["category"]) for d in _load(root, "decisions.yaml") for c in d["cancels"]}
    from opencc import OpenCC
    from rapidfuzz.fuzz import ratio

    t2s = OpenCC("t2s")
    for p in tree.planted:
        if p.family == "S":
            continue
        doc = _load(root, p.path)
        src: Any = _load(root, p.related[0]) if p.related else None
        nxt, days = _graph(doc)
        starts = [s for s in nxt if not any(s in n for n in nxt.values())]
        if p.kind == "unknown-body":
            assert doc["body"] not in bodies
        elif p.kind == "no-basis":
            assert doc["basis"] == [] and doc["status"] == "active"
        elif p.kind == "repealed-law":
            refs = [laws.get(b["law"]) or titles.get(b["law"]) for b in doc["basis"]]
            assert refs and all(r is not None and r["status"] == "repealed" for r in refs)
        elif p.kind == "duplicate":
            assert (doc["name"], doc["category"], doc["body"]) == (src["name"], src["category"], src["body"])
        elif p.kind == "traditional-duplicate":
            assert doc["name"] != src["name"] and t2s.convert(doc["name"]) == src["name"]
        elif p.kind == "near-duplicate":
            assert doc["body"] == src["body"] and doc["name"] != src["name"]
            assert ratio(doc["name"], src["name"]) >= 90
        elif p.kind == "two-bodies":
            a, b = bodies[doc["body"]], bodies[src["body"]]
            assert doc["name"] == src["name"] and a["id"] != b["id"]
            assert (a["level"], a["region"]) == (b["level"], b["region"])
        elif p.kind == "delegation-non-enforcement":
            assert doc["category"] == "行政处罚"
            assert [bodies[b]["enforcement"] for b in doc["delegated_to"]] == [False]
        elif p.kind == "cancelled-active":
            assert (doc["name"], doc["category"]) in cancelled and doc["status"] == "active"
        elif p.kind == "filing-as-licence":
            assert doc["name"].endswith("备案") and doc["category"] == "行政许可"
        elif p.kind == "dead-end":
            ends = {s for s, n in nxt.items() if not n}
            assert any(not (_reach(nxt, [s]) & ends) for s in nxt)
        elif p.kind == "unreachable-step":
            assert _reach(nxt, starts) != set(nxt)
        elif p.kind == "over-statutory":
            assert _longest(nxt, days, starts[0]) > doc["time_limit"]["statutory"]
        else:
            pytest.fail(f"unchecked kind {p.kind}")


def test_clean_processes_are_sound(tree: Any) -> None:
    """Every process that is not planted: one start, all steps reachable, an end from every step,
    and the longest path within the promised (so the statutory) limit."""
    planted = {p.path for p in tree.planted}
    checked = 0
    for f in sorted((tree.root / "powers").rglob("*.yaml")):
        rel = f.relative_to(tree.root).as_posix()
        if rel in planted:
            continue
        doc = yaml.safe_load(f.read_text(encoding="utf-8"))
        nxt, days = _graph(doc)
        assert 4 <= len(nxt) <= 12, rel
        starts = [s for s in nxt if not any(s in n for n in nxt.values())]
        assert len(starts) == 1 and _reach(nxt, starts) == set(nxt), rel
        limit = doc["time_limit"]
        assert _longest(nxt, days, starts[0]) <= limit["promised"] <= limit["statutory"], rel
        checked += 1
    assert checked > SIZE * 0.9


@pytest.mark.parametrize(("n", "text"), [(2, "第二条"), (10, "第十条"), (48, "第四十八条"), (105, "第一百零五条"),
                                         (110, "第一百一十条"), (120, "第一百二十条")])
def test_article_numbers_are_written_as_officials_write_them(n: int, text: str) -> None:
    assert article(n) == text

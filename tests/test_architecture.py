"""The one-way house (issue 10), read from the code's own imports: every ``import`` counts, also
the lazy ones inside functions and those under ``TYPE_CHECKING``.

Data flows load -> model -> index -> checks -> diagnostics -> report / export; a module imports
only from its own floor or the floors below, and no set of modules imports each other in a circle.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import networkx as nx
import pytest

PKG = Path(__file__).resolve().parent.parent / "powerlist"

# Floors, bottom first. A module belongs to the first floor whose prefix names it.
FLOORS: list[tuple[str, tuple[str, ...]]] = [
    ("leaves", ("powerlist", "powerlist.i18n", "powerlist.limits", "powerlist.diagnostics", "powerlist.registry",
                "powerlist.normalize", "powerlist.matchkey", "powerlist.uscc", "powerlist.fsutil",
                "powerlist.lawdb", "powerlist.models", "powerlist.signing",
                "powerlist.config", "powerlist.jsonschema")),
    ("load", ("powerlist.catalog",)),
    ("checks", ("powerlist.checks", "powerlist.graph", "powerlist.similarity", "powerlist.completeness",
                "powerlist.upper")),
    ("run", ("powerlist.engine", "powerlist.incremental",
             "powerlist.checked", "powerlist.changes", "powerlist.baseline", "powerlist.diff",
             "powerlist.gitutil", "powerlist.fmt", "powerlist.fmtfast", "powerlist.fmtshape", "powerlist.scaffold")),
    ("output", ("powerlist.report", "powerlist.export", "powerlist.audit", "powerlist.importer",
                "powerlist.upper.fromimport", "powerlist.compare")),
    ("face", ("powerlist.api", "powerlist.cli", "powerlist.replay", "powerlist.__main__")),
]


def modules() -> dict[str, Path]:
    out = {}
    for f in PKG.rglob("*.py"):
        parts = list(f.relative_to(PKG.parent).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        out[".".join(parts)] = f
    return out


MODS = modules()


def _resolve(name: str) -> str | None:
    while name and name not in MODS:
        name = name.rpartition(".")[0]
    return name or None


def imports_of(mod: str) -> Iterator[str]:
    path = MODS[mod]
    is_pkg = path.name == "__init__.py"
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = mod.split(".") if is_pkg else mod.split(".")[:-1]
                base = base[: len(base) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            names = [target, *(f"{target}.{a.name}" for a in node.names)]
        else:
            continue
        for name in names:
            if name.startswith("powerlist"):
                r = _resolve(name)
                if r and r != mod:
                    yield r


def graph() -> nx.DiGraph:
    g = nx.DiGraph()
    for m in MODS:
        g.add_node(m)
        g.add_edges_from((m, t) for t in imports_of(m))
    return g


def floor_of(mod: str) -> int:
    best = (-1, -1)  # (prefix length, floor): the longest prefix wins
    for i, (_, prefixes) in enumerate(FLOORS):
        for p in prefixes:
            if (mod == p or mod.startswith(p + ".")) and len(p) > best[0]:
                best = (len(p), i)
    assert best[1] >= 0, f"{mod} is on no floor: add it to FLOORS"
    return best[1]


def test_no_import_circle() -> None:
    circles = [sorted(c) for c in nx.strongly_connected_components(graph()) if len(c) > 1]
    assert circles == []


def test_no_import_runs_up_a_floor() -> None:
    g = graph()
    upward = sorted(f"{a} ({FLOORS[floor_of(a)][0]}) -> {b} ({FLOORS[floor_of(b)][0]})"
                    for a, b in g.edges if floor_of(b) > floor_of(a))
    assert upward == []


def test_the_checker_knows_what_it_reads() -> None:
    """Guard the guard: the reader sees lazy imports inside functions."""
    src = "def f():\n    from powerlist.checks import all_checks\n"
    tree = ast.parse(src)
    assert any(isinstance(n, ast.ImportFrom) for n in ast.walk(tree))
    assert "powerlist.engine" in set(imports_of("powerlist.api")) or "powerlist.catalog" in set(imports_of("powerlist.api"))


@pytest.mark.parametrize("mod", sorted(MODS))
def test_every_module_has_a_floor(mod: str) -> None:
    floor_of(mod)

"""The fast path of ``powerlist fmt`` (:mod:`powerlist.fmtfast`): it may say "canonical" only for a
file the ruamel round trip leaves exactly as it is; and it must say so for the ordinary canonical
files, or ``fmt --check`` on a catalogue is slow again."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import yaml
from casefiles import BASE, GOOD_POWER
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_fmt import MESSY, Doc, documents
from typer.testing import CliRunner

from bench.generate import generate
from powerlist.catalog.layout import kind_of
from powerlist.catalog.parse import decode, parse_text
from powerlist.cli import _load_commands, app
from powerlist.fmt import FormatError, format_file, format_files, format_text
from powerlist.fmtfast import is_canonical

_load_commands()
runner = CliRunner()
REPO = Path(__file__).resolve().parent.parent


def round_trip_keeps(text: str, kind: str) -> bool:
    """What the fast path promises: the round trip gives the text back and raises nothing."""
    try:
        return format_text(text, kind) == text
    except FormatError:
        return False


def assert_sound(text: str, kind: str) -> bool:
    fast = is_canonical(text, kind)
    if fast:
        assert round_trip_keeps(text, kind), text
    return fast


# ------------------------------------------------------------------ real files


def yaml_files(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*") if p.suffix in (".yaml", ".yml") and p.is_file())


def test_sound_and_complete_on_the_demo_catalogue_and_test_inputs() -> None:
    canonical = proven = 0
    for root in (REPO / "catalog", REPO / "tests" / "cases", REPO / "tests" / "data"):
        for path in yaml_files(root):
            text, _ = decode(path.read_bytes())
            if text is None:
                continue
            kind = kind_of(path)
            fast = assert_sound(text, kind)
            if root.name == "catalog" and kind == "power" and round_trip_keeps(text, kind):
                canonical += 1
                proven += fast
    # every canonical power file of the demo catalogue is proven without the round trip
    assert canonical > 50 and proven == canonical


def test_sound_and_complete_on_a_generated_catalogue(tmp_path: Path) -> None:
    generate(tmp_path / "cat", 150, seed=7)
    seen = proven = 0
    for path in yaml_files(tmp_path / "cat"):
        text, _ = decode(path.read_bytes())
        if text is None:
            continue
        seen += 1
        proven += assert_sound(text, kind_of(path))
    assert seen > 140 and proven >= seen - 10  # the planted syntax defects are not canonical


# ------------------------------------------------------------------ near misses: each one must go to the round trip

CANONICAL = format_text(MESSY)


@pytest.mark.parametrize("text", [
    CANONICAL,
    GOOD_POWER,
    "# 头注释\nid: X\nname: 取水   # 名称\n# 注释\n\nbody: b\nremarks: '含 # 号'\nx_note: \"引号\"\n",
    "id: X\nname: 300元/块\nwaivers:\n  - code: J001\n    reason: r\n    expires: 2025-12-31\n",
    "id: X\nprocess:\n  steps:\n    - id: a\n      next: [b, {to: c, when: 不符合条件}]\n    - id: b\n",
])
def test_canonical_files_are_proven(text: str) -> None:
    assert round_trip_keeps(text, "power")
    assert is_canonical(text, "power")


@pytest.mark.parametrize("text", [
    "name: 取水\nid: X\n",                                  # key order
    "id: X\nx_note: a\nname: Y\n",                           # an unknown key before a known one
    "id: X\nname: ~\n",                                      # fmt writes null
    "id: X\nabolished_by:\n",                                # empty value: fmt writes null
    "id: X\nresponsibilities: [a, b]\n",                     # a known list fmt writes in block style
    "id: X\nco_bodies:\n  - a\n  - b\n",                     # an id list fmt writes [a, b]
    "id: X\nco_bodies: [a, b]  # 联合\n",                    # the comment makes fmt write it in block style
    "id: X\nbasis:\n- law: L\n",                             # sequence not indented under its key
    "id: X\nbasis:\n    - law: L\n",                         # indented too far
    "id: X\ntime_limit: {statutory: 20}\n",                  # a known mapping fmt writes in block style
    "id: X\nprocess:\n  steps:\n    - id: a\n      next: [{when: w, to: b}]\n",  # flow mapping keys out of order
    "id: X\nname: Y \n",                                     # trailing space
    "id: X\nname: Y",                                        # no final newline
    "id: X\nname: Y\n\n",                                    # blank line at the end
    "id: X\nname:\tY\n",                                     # tab
    "id: X\nremarks: |\n  text\n",                           # block scalar
    "id: X\nname: 取水\n  许可\n",                           # multi-line plain scalar
    "id: X\nname: &a Y\nremarks: *a\n",                      # anchors
    "id: X\nid: Y\n",                                        # duplicate key
    "id: X\r\nname: Y\n",                                    # mixed line endings
    "id: X\nx_d: 2025-13-31\n",                              # not a date: ruamel fails on it
])
def test_near_misses_are_not_proven(text: str) -> None:
    assert not is_canonical(text, "power")


def test_registry_files() -> None:
    bodies = (BASE / "bodies.yaml").read_text(encoding="utf-8")
    assert round_trip_keeps(bodies, "bodies") and is_canonical(bodies, "bodies")
    assert not is_canonical("-   id: a\n    name: b\n", "bodies")
    assert not is_canonical("  - id: a\n    name: b\n", "bodies")
    assert not is_canonical(GOOD_POWER, "bodies")  # a registry file is a list


def test_crlf_file_is_proven_like_its_lf_twin() -> None:
    assert is_canonical(GOOD_POWER.replace("\n", "\r\n"), "power")


# ------------------------------------------------------------------ property: canonical texts and their mutations


def mutate(draw: Any, text: str) -> str:
    """A small edit of a canonical text: the kind of difference the fast path must notice."""
    lines = text.split("\n")[:-1]
    if not lines:
        return text
    i = draw(st.integers(0, len(lines) - 1))
    line = lines[i]
    indent = len(line) - len(line.lstrip(" "))
    edit = draw(st.integers(0, 11))
    if edit == 0:
        lines.insert(i, " " * draw(st.integers(0, indent + 4)) + "# 注 " + draw(st.sampled_from(["", "x: y", "- z"])))
    elif edit == 1:
        lines.insert(i, "")
    elif edit == 2:
        lines[i] = " " * draw(st.sampled_from([0, 1, 2, 4])) + line
    elif edit == 3 and indent:
        lines[i] = line[draw(st.integers(1, indent)):]
    elif edit == 4 and i + 1 < len(lines):
        lines[i], lines[i + 1] = lines[i + 1], line
    elif edit == 5:
        lines[i] = line + draw(st.sampled_from([" ", "  # 尾注", " #x", ":"]))
    elif edit == 6:
        lines.insert(i, line)
    elif edit == 7 and ": " in line:
        head, _, _ = line.partition(": ")
        value = draw(st.sampled_from(["~", "", "1.5", "-1", "0x1F", "'a'", '"b"', "[a, b]", "[]", "{}", "{a: 1}",
                                      "[a, [b]]", "a: b", "|", "2024-02-30", "!!str x", "&x y", "*x", "é\u3000",
                                      "\U00020000", "[{to: a, when: b}]", "'it''s'", '"a\\"b"', "[a,b]", "1万元"]))
        lines[i] = f"{head}: {value}" if value else f"{head}:"
    elif edit == 8 and line.lstrip(" ").startswith("- "):
        lines[i] = line.replace("- ", "-  ", 1)
    elif edit == 9:
        del lines[i]
    elif edit == 10:
        lines[i] = re.sub(r"\[(.*)\]", lambda m: "[" + m.group(1).replace(", ", ",") + "]", line)
    elif edit == 11:
        lines.append("# 末尾")
    return "\n".join(lines) + "\n"


@st.composite
def canonical_and_mutations(draw: Any) -> tuple[str, list[str], str]:
    doc: Doc = draw(documents())
    before = parse_text(doc.text)
    if before.data is None or before.problems:
        return doc.text, [], "power"
    kind = "bodies" if isinstance(before.data, list) else "power"
    try:
        canonical = format_text(doc.text, kind)
    except FormatError:
        return doc.text, [], kind
    variants = [doc.text]
    text = canonical
    for _ in range(draw(st.integers(1, 3))):
        text = mutate(draw, text)
        variants.append(text)
    return canonical, variants, kind


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(canonical_and_mutations())
def test_fast_path_never_claims_a_file_the_round_trip_would_change(case: tuple[str, list[str], str]) -> None:
    canonical, variants, kind = case
    assert_sound(canonical, kind)
    assert_sound(canonical.replace("\n", "\r\n"), kind)
    for text in variants:
        assert_sound(text, kind)


# ------------------------------------------------------------------ files, workers and the command


def small_catalog(tmp_path: Path, messy: int) -> Path:
    root = tmp_path / "cat"
    (root / "powers" / "water").mkdir(parents=True)
    for name in ("bodies", "laws", "decisions"):
        (root / f"{name}.yaml").write_text((BASE / f"{name}.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    for n in range(messy):
        (root / "powers" / "water" / f"M-{n:03}.yaml").write_text(MESSY.replace("SL-XK-001", f"M-{n:03}"),
                                                                   encoding="utf-8")
    for n in range(5):
        (root / "powers" / "water" / f"G-{n:03}.yaml").write_text(GOOD_POWER.replace("SL-XK-001", f"G-{n:03}"),
                                                                   encoding="utf-8")
    return root


def test_outcomes_are_those_of_the_round_trip_with_or_without_workers(tmp_path: Path) -> None:
    root = small_catalog(tmp_path, messy=45)  # past POOL_THRESHOLD: the round trips go to the pool
    (root / "powers" / "water" / "BAD.yaml").write_text("id: [X\n", encoding="utf-8")
    files = [(p, p.name) for p in sorted((root / "powers" / "water").iterdir())]
    slow = [format_file(p, d, write=False, fast=False) for p, d in files]
    for workers in (None, 1):
        got = list(format_files(files, write=False, workers=workers))
        assert [(o.display, o.before, o.after, o.error) for o in got] == \
               [(o.display, o.before, o.after, o.error) for o in slow]
    assert sum(o.changed for o in slow) == 45 and slow[0].error is not None


def test_check_takes_file_names(tmp_path: Path) -> None:
    root = small_catalog(tmp_path, messy=1)
    good = [str(root / "powers" / "water" / f"G-{n:03}.yaml") for n in range(2)]
    messy = str(root / "powers" / "water" / "M-000.yaml")
    res = runner.invoke(app, ["fmt", "--check", *good])
    assert res.exit_code == 0, res.output
    assert "0 file(s) would be reformatted, 2 left unchanged" in res.stderr
    res = runner.invoke(app, ["fmt", "--check", *good, messy])
    assert res.exit_code == 1 and "M-000.yaml" in res.stdout and "G-000" not in res.stdout
    assert runner.invoke(app, ["fmt", messy]).exit_code == 0
    assert runner.invoke(app, ["fmt", "--check", messy]).exit_code == 0


def test_pre_commit_hook_checks_the_staged_power_files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    hooks = {h["id"]: h for h in yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))}
    hook = hooks["powerlist-fmt"]
    assert hook["pass_filenames"] is True
    files = re.compile(hook["files"])
    assert files.search("catalog/powers/water/SL-XK-001.yaml") and files.search("powers/a/B.yml")
    assert not files.search("catalog/bodies.yaml") and not files.search("powerlist.toml")
    # pre-commit runs `entry` followed by the staged file names, from the repository root
    root = small_catalog(tmp_path, messy=1)
    monkeypatch.chdir(root)
    argv = hook["entry"].split()[1:]
    assert runner.invoke(app, [*argv, "powers/water/G-000.yaml"]).exit_code == 0
    res = runner.invoke(app, [*argv, "powers/water/G-000.yaml", "powers/water/M-000.yaml"])
    assert res.exit_code == 1 and "would reformat powers/water/M-000.yaml" in res.stderr


def test_files_near_the_parser_depth_limit_go_to_the_round_trip() -> None:
    from powerlist.catalog.parse import Limits

    deep = "id: X\nextra:\n" + "".join("  " * (n + 1) + f"k{n}:\n" for n in range(6)) + "  " * 7 + "k: v\n"
    assert is_canonical(deep, "power")
    tight = Limits(max_depth=7)  # the parser refuses it (S007): the round trip must report that
    assert parse_text(deep, tight).problems and not is_canonical(deep, "power", tight)

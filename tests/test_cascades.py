"""One cause, one finding (issue 14, item 6): a missing registry is said once (R012), not as an
"unknown …" on every power that names it, nor as unused waivers; a category S014 rejects is not
also judged by the category checks."""

from __future__ import annotations

import shutil
from collections import Counter
from datetime import date
from pathlib import Path

from casefiles import GOOD_POWER

from powerlist.api import check, settings_for

DEMO = Path(__file__).resolve().parent.parent / "catalog"


def _codes(root: Path, select: list[str] | None = None) -> Counter[str]:
    result = check(root, settings_for(root, select=select), as_of=date(2026, 1, 1)).result
    assert not result.crashed, result.crashed
    return Counter(d.code for d in result.diagnostics)


def _demo_without(tmp_path: Path, name: str) -> Path:
    root = tmp_path / "cat"
    shutil.copytree(DEMO, root, ignore=shutil.ignore_patterns(".powerlist_cache"))
    (root / name).unlink()
    return root


def test_the_demo_as_it_is_has_no_r012(tmp_path: Path) -> None:
    root = tmp_path / "cat"
    shutil.copytree(DEMO, root, ignore=shutil.ignore_patterns(".powerlist_cache"))
    assert _codes(root)["R012"] == 0


def test_missing_bodies_yaml_is_one_finding(tmp_path: Path) -> None:
    """Was: 76 R002 errors, 14 G005 warnings and 2 false S020 (the J001 waivers)."""
    root = _demo_without(tmp_path, "bodies.yaml")
    result = check(root, settings_for(root), as_of=date(2026, 1, 1)).result
    codes = Counter(d.code for d in result.diagnostics)
    assert codes["R012"] == 1
    for echo in ("R002", "S020", "G005", "J001", "J002", "R005", "R010", "R011"):
        assert codes[echo] == 0, echo
    r012 = next(d for d in result.diagnostics if d.code == "R012")
    assert (r012.path, r012.line) == ("bodies.yaml", 1)
    assert "bodies.yaml" in r012.message.zh and "不存在" in r012.message.zh  # type: ignore[union-attr]
    # the findings that do not need bodies.yaml are still there
    assert codes["P005"] and codes["B001"] and codes["D002"]


def test_missing_laws_yaml_is_one_finding(tmp_path: Path) -> None:
    """Was: 18 B002 and 3 G004 errors."""
    codes = _codes(_demo_without(tmp_path, "laws.yaml"))
    assert codes["R012"] == 1 and codes["B002"] == 0 and codes["G004"] == 0
    assert codes["J001"] == 2 and codes["P005"] == 1


def test_missing_decisions_yaml_that_is_referenced(tmp_path: Path) -> None:
    root = _demo_without(tmp_path, "decisions.yaml")
    assert _codes(root)["R012"] == 0  # optional, and no power of the demo names a decision
    power = root / "powers" / "city-police" / "GA-XK-099.yaml"
    power.write_text("id: GA-XK-099\nname: 某项已取消许可\ncategory: 行政许可\nbody: city-police\n"
                     "status: abolished\nabolished_by: gf-2017-46\n", encoding="utf-8")
    codes = _codes(root)
    assert codes["R012"] == 1 and codes["A002"] == 0


def test_a_broken_bodies_yaml_is_its_own_s_finding_only(make_catalog) -> None:  # type: ignore[no-untyped-def]
    root = make_catalog({"bodies.yaml": "- id: [unclosed\n", "powers/water/SL-XK-001.yaml": GOOD_POWER})
    codes = _codes(root)
    assert codes["S001"] == 1 and codes["R002"] == 0 and codes["R012"] == 0


def test_an_unknown_category_is_s014_alone(make_catalog) -> None:  # type: ignore[no-untyped-def]
    """Was: S014 and a bogus C011 (行政审批 is not a category, and the name ends with 审批)."""
    power = GOOD_POWER.replace("name: 取水许可", "name: 取水审批").replace("category: 行政许可", "category: 行政审批")
    root = make_catalog({"powers/water/SL-XK-001.yaml": power})
    codes = _codes(root)
    assert codes["S014"] == 1
    assert [c for c in codes if c.startswith("C")] == []
    # the same power under a configured category that is wrong for it is judged as before
    root = make_catalog({"powers/water/SL-XK-001.yaml": power.replace("category: 行政审批", "category: 其他行政权力")})
    assert _codes(root)["C011"] == 1

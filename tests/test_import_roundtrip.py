"""Round trip: `powerlist export`'s xlsx and csv import back to the same catalogue (hypothesis)."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from ruamel.yaml import YAML

from powerlist import api
from powerlist.config import Settings
from powerlist.importer.emit import dump
from powerlist.importer.run import do_import
from powerlist.normalize import normalize_title

CJK = st.text(alphabet="取水许可证审批登记备案处罚检查河道采砂林木运输经营", min_size=2, max_size=8)
LAWS = ["中华人民共和国水法", "中华人民共和国行政许可法", "中华人民共和国森林法"]
ARTICLES = ["第二条", "第七条", "第十二条", "第四十八条", "第一百二十条"]
CATEGORIES = ["行政许可", "行政处罚", "行政检查", "行政确认", "其他行政权力"]
BODIES = [("sw", "某区水务局"), ("ly", "某区林业局")]


@st.composite
def power(draw: st.DrawFn) -> dict[str, Any]:
    p: dict[str, Any] = {"name": draw(CJK), "category": draw(st.sampled_from(CATEGORIES)),
                         "body": draw(st.sampled_from(BODIES))[0]}
    if draw(st.booleans()):
        p["status"] = "suspended"
    subs = draw(st.lists(CJK, max_size=3, unique=True))
    if subs:
        p["sub_items"] = subs
    basis = draw(st.lists(st.tuples(st.sampled_from(LAWS), st.lists(st.sampled_from(ARTICLES), max_size=2, unique=True)),
                          min_size=1, max_size=2, unique_by=lambda b: b[0]))
    p["basis"] = [{"law": law, **({"articles": arts} if arts else {})} for law, arts in basis]
    if draw(st.booleans()):
        s = draw(st.integers(1, 60))
        p["time_limit"] = {"statutory": s, "promised": draw(st.integers(0, s))}
    for key in ("responsibilities", "accountability"):
        items = draw(st.lists(CJK, max_size=2))
        if items:
            p[key] = items
    return p


def _write(root: Path, ps: list[dict[str, Any]]) -> None:
    (root / "powers").mkdir(parents=True)
    for i, p in enumerate(ps, 1):
        p["id"] = f"X-{i:03d}"
        (root / "powers" / f"X-{i:03d}.yaml").write_text(dump({"id": p["id"], **p}), encoding="utf-8")
    (root / "bodies.yaml").write_text(dump([{"id": b, "name": n, "level": "县级"} for b, n in BODIES]), encoding="utf-8")
    (root / "laws.yaml").write_text("[]\n", encoding="utf-8")


def _projection(p: dict[str, Any], body_names: dict[str, str]) -> tuple[Any, ...]:
    tl = p.get("time_limit") or {}
    return (p["id"], p["name"], p["category"], body_names[p["body"]], p.get("status", "active"),
            tuple(s if isinstance(s, str) else s["name"] for s in p.get("sub_items", [])),
            tuple((normalize_title(b["law"]), tuple(b.get("articles", []))) for b in p["basis"]),
            (tl.get("statutory"), tl.get("promised")),
            tuple(p.get("responsibilities", [])), tuple(p.get("accountability", [])))


def _read(root: Path) -> set[tuple[Any, ...]]:
    y = YAML(typ="safe")
    names = {b["id"]: b["name"] for b in y.load((root / "bodies.yaml").read_text(encoding="utf-8"))}
    return {_projection(y.load(f.read_text(encoding="utf-8")), names) for f in (root / "powers").rglob("*.yaml")}


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(power(), min_size=1, max_size=6, unique_by=lambda p: (p["name"], p["category"])))
def test_export_xlsx_and_csv_import_back_to_the_same_catalogue(ps: list[dict[str, Any]]) -> None:
    tmp = Path(tempfile.mkdtemp(prefix="powerlist-rt-"))
    try:
        src = tmp / "src"
        _write(src, ps)
        api.export(src, tmp / "pub", ["csv", "xlsx"], settings=Settings(), allow_errors=True)
        want = _read(src)
        for name in ("powers.csv", "powers.xlsx"):
            out = tmp / f"back-{name}"
            do_import([tmp / "pub" / name], out)
            assert _read(out) == want, name
    finally:
        shutil.rmtree(tmp, ignore_errors=True)

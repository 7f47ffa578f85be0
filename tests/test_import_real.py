"""The real 广安区 service list (1,135 items) laid out as a sheet and imported: none lost, codes intact."""

from __future__ import annotations

import json
from pathlib import Path

from import_helpers import write_real_xlsx
from ruamel.yaml import YAML
from typer.testing import CliRunner

from powerlist.cli import _load_commands, app

_load_commands()


def test_real_service_list_imports_every_row_with_codes_intact(tmp_path: Path) -> None:
    src = tmp_path / "广安区.xlsx"
    rows = write_real_xlsx(src)
    assert len(rows) == 1135
    out = tmp_path / "cat"
    res = CliRunner().invoke(app, ["import", str(src), "--out", str(out), "--format", "json"])
    assert res.exit_code == 0, res.output
    report = json.loads(res.output)
    assert report["rows"] == 1135 and report["tables"][0]["skipped"] == []
    yaml = YAML(typ="safe")
    items: list[tuple[str, str]] = []  # (办理项 name, 实施编码) of every row that arrived
    for path in (out / "powers").rglob("*.yaml"):
        p = yaml.load(path.read_text(encoding="utf-8"))
        if p.get("sub_items"):
            items.extend((s["name"], s["implementation_code"]) for s in p["sub_items"])
        else:
            items.append((p["name"], p["implementation_code"]))
    assert sorted(items) == sorted((r[2], r[3]) for r in rows)  # none lost, none merged, codes as strings
    bodies = yaml.load((out / "bodies.yaml").read_text(encoding="utf-8"))
    assert len(bodies) == len({r[0] for r in rows})
    codes = {b["name"]: [b.get("uscc"), b.get("org_code"), *b.get("other_codes", [])] for b in bodies}
    assert all(isinstance(c, str) for cs in codes.values() for c in cs if c is not None)
    conflicts = "\n".join(report["body_code_conflicts"])
    for dept, code in {(r[0], r[5]) for r in rows}:  # 0-leading 实施主体编码 (083372204 …) arrive as written
        assert code in codes[dept] or any(f"{dept}: {c} / {code}" in conflicts for c in codes[dept] if c)
    assert any(b.get("org_code", "").startswith("0") for b in bodies)
    # organisation codes and platform ids are not USCCs: they are kept apart, not reported as broken USCCs
    assert {b["org_code"] for b in bodies if "org_code" in b} >= {"083372204", "00877868-5"}
    assert all(len(b["uscc"]) >= 16 for b in bodies if "uscc" in b)
    toml = (out / "powerlist.toml").read_text(encoding="utf-8")
    assert '"process"' in toml and '"basis_text"' in toml
    check = CliRunner().invoke(app, ["check", str(out), "--format", "json", "--no-cache"])
    diags = json.loads(check.output)["diagnostics"]
    codes = {d["code"] for d in diags}
    assert "P001" not in codes and "B001" not in codes  # one S026 per missing element instead
    assert sum(d["code"] == "S026" for d in diags) == 5

    # Precision on the real list, through the import (issue 12): the real defects are found …
    by_code: dict[str, list[dict[str, object]]] = {}
    for d in diags:
        by_code.setdefault(str(d["code"]), []).append(d)
    r004 = sorted(str(d["message"]) for d in by_code.get("R004", []))
    assert len(r004) == 3  # two USCCs that lost a digit, one with a lower-case letter; no organisation codes
    assert any("1151130000877869M" in m for m in r004) and any("1151130108778239R" in m for m in r004)
    assert any("11511301452259996u" in m for m in r004)
    d002 = " ".join(str(d["message"]) for d in by_code.get("D002", []))
    assert "求职创业补贴申领" in d002 and "城市建筑物、设施上张挂、张贴宣传品审批" in d002
    # … and none of the false alarms measured before return
    for code in ("S014", "C012", "D003", "R002"):
        assert code not in by_code, by_code.get(code)
    assert not any("职工参保登记" in str(d["message"]) for d in by_code.get("J001", []))  # 公共服务 is no power
    c011 = " ".join(str(d["message"]) for d in by_code.get("C011", []))
    assert "检验合格标志" not in c011

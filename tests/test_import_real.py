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
    assert all(isinstance(b["uscc"], str) for b in bodies)
    uscc = {b["name"]: b["uscc"] for b in bodies}
    conflicts = "\n".join(report["body_code_conflicts"])
    for dept, code in {(r[0], r[5]) for r in rows}:  # 0-leading 实施主体编码 (083372204 …) arrive as written
        assert uscc[dept] == code or f"{dept}: {uscc[dept]} / {code}" in conflicts
    assert any(code.startswith("0") for code in uscc.values())
    toml = (out / "powerlist.toml").read_text(encoding="utf-8")
    assert '"process"' in toml and '"basis_text"' in toml
    check = CliRunner().invoke(app, ["check", str(out), "--format", "json", "--no-cache"])
    diags = json.loads(check.output)["diagnostics"]
    codes = {d["code"] for d in diags}
    assert "P001" not in codes and "B001" not in codes  # one S026 per missing element instead
    assert sum(d["code"] == "S026" for d in diags) == 5

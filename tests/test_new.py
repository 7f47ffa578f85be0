"""``powerlist new``: a scaffolded power passes the checks, and nothing is ever overwritten."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest
from casefiles import BASE, GOOD_POWER
from typer.testing import CliRunner

from powerlist.api import check, settings_for
from powerlist.catalog.parse import parse_text
from powerlist.cli import _load_commands, app
from powerlist.config import DEFAULT_CATEGORIES
from powerlist.fmt import format_text
from powerlist.scaffold import TEMPLATES, scalar, template_for

_load_commands()
runner = CliRunner()

NAMES = {
    "行政许可": "河道采砂许可",
    "行政处罚": "对未经批准擅自取水的处罚",
    "行政强制": "查封、扣押违法取水设施",
    "行政征收": "水资源费征收",
    "行政给付": "抗旱救灾补助发放",
    "行政检查": "水利工程安全监督检查",
    "行政确认": "水利工程质量等级核定",
    "行政奖励": "节约用水先进单位表彰",
    "行政裁决": "水事纠纷裁决",
    "其他行政权力": "河道管理范围划定",
}


@pytest.fixture
def clean(tmp_path: Path) -> Path:
    """A copy of a clean catalogue: the shared registries plus one good licence."""
    root = tmp_path / "cat"
    shutil.copytree(BASE, root)
    (root / "powers" / "water").mkdir(parents=True)
    (root / "powers" / "water" / "SL-XK-001.yaml").write_text(GOOD_POWER, encoding="utf-8")
    return root


def new(root: Path, *args: str) -> tuple[int, str, str]:
    res = runner.invoke(app, ["new", "--catalog", str(root), *args])
    return res.exit_code, res.stdout, res.stderr


def test_one_power_per_category_passes_every_check(clean: Path) -> None:
    assert set(NAMES) == set(DEFAULT_CATEGORIES)
    created = []
    for i, (category, name) in enumerate(NAMES.items(), 1):
        code, out, err = new(clean, "--id", f"SL-NEW-{i:03}", "--name", name, "--category", category,
                             "--body", "city-water", "--law", "中华人民共和国水法", "--article", "第四十八条")
        assert code == 0, err
        created.append(f"powers/city-water/SL-NEW-{i:03}.yaml")
        assert created[-1] in out
    result = check(clean, settings_for(clean), as_of=date(2026, 1, 1)).result
    assert not result.crashed
    assert [(d.code, d.path, d.message.en) for d in result.diagnostics if d.path in created] == []
    assert result.entries >= len(created) + 1


def test_templates_follow_the_prescribed_procedure(clean: Path) -> None:
    names = {c: [s.name for s in template_for(c).steps] for c in ("行政许可", "行政处罚", "行政强制", "行政确认")}
    assert names["行政许可"] == ["受理", "不予受理", "审查", "决定", "送达"]
    assert names["行政处罚"][:4] == ["立案", "调查取证", "法制审核", "告知（陈述申辩/听证）"]
    assert names["行政处罚"][-3:] == ["决定", "送达", "执行"]
    assert names["行政强制"][:3] == ["审批", "实施", "处理"]
    assert names["行政确认"] == ["受理", "审查", "决定", "送达"]
    licence = TEMPLATES["行政许可"]
    assert licence.statutory == 20 and licence.unit == "working_days"
    assert sum(s.days for s in licence.steps if s.id != "refuse") <= 20
    assert TEMPLATES["行政处罚"].unit == "calendar_days" and TEMPLATES["行政处罚"].statutory == 90
    assert "两名以上" in TEMPLATES["行政强制"].steps[1].action and "现场笔录" in TEMPLATES["行政强制"].steps[1].action


def test_new_file_is_canonical_and_keeps_the_options(clean: Path) -> None:
    name = "取水许可: 新办 #1"  # needs quoting in YAML
    code, _, err = new(clean, "--id", "SL-XK-777", "--name", name, "--category", "行政许可", "--body", "city-market",
                       "--law", "water-law", "--article", "第四十八条", "--article", "第四十九条", "--law", "water-permit-reg")
    assert code == 0, err
    text = (clean / "powers" / "city-market" / "SL-XK-777.yaml").read_text(encoding="utf-8")
    assert format_text(text) == text
    data = parse_text(text).data
    assert (data["id"], data["name"], data["category"], data["body"]) == ("SL-XK-777", name, "行政许可", "city-market")
    assert data["basis"] == [{"law": "water-law", "articles": ["第四十八条", "第四十九条"]}, {"law": "water-permit-reg"}]
    assert data["process"]["steps"][0]["actor"] == "某市市场监督管理局政务服务窗口"
    assert text.startswith("# 由 powerlist new")


def test_without_a_law_the_file_says_what_is_missing(clean: Path) -> None:
    code, _, err = new(clean, "--id", "X-1", "--name", "水事纠纷裁决", "--category", "行政裁决", "--body", "city-water")
    assert code == 0 and "B001" in err
    result = check(clean, settings_for(clean), as_of=date(2026, 1, 1)).result
    assert {d.code for d in result.diagnostics if d.path == "powers/city-water/X-1.yaml"} == {"B001"}


def test_never_overwrites_a_file_or_reuses_an_id(clean: Path) -> None:
    existing = clean / "powers" / "water" / "SL-XK-001.yaml"
    code, _, err = new(clean, "--id", "SL-XK-001", "--name", "别的事项", "--category", "行政许可", "--body", "city-water")
    assert code == 2 and "already used by powers/water/SL-XK-001.yaml" in err
    assert existing.read_text(encoding="utf-8") == GOOD_POWER
    # a file at the target path whose id differs is not overwritten either
    target = clean / "powers" / "city-water" / "OTHER.yaml"
    target.parent.mkdir()
    target.write_text("# hand-written draft\n", encoding="utf-8")
    code, _, err = new(clean, "--id", "OTHER", "--name", "别的事项", "--category", "行政许可", "--body", "city-water")
    assert code == 2 and "OTHER" in err
    assert target.read_text(encoding="utf-8") == "# hand-written draft\n"
    # a quoted id in another file counts too
    (clean / "powers" / "water" / "Q.yaml").write_text(GOOD_POWER.replace("id: SL-XK-001", "id: 'Q-9'  # quoted"),
                                                        encoding="utf-8")
    assert new(clean, "--id", "Q-9", "--name", "别的事项", "--category", "行政许可", "--body", "city-water")[0] == 2


@pytest.mark.parametrize(("args", "message"), [
    (["--id", "A-1", "--name", "事项", "--category", "许可", "--body", "city-water"], "category '许可' is not configured"),
    (["--id", "A-1", "--name", "事项", "--category", "行政许可", "--body", "city-watr"], "did you mean: city-water"),
    (["--id", "A 1/x", "--name", "事项", "--category", "行政许可", "--body", "city-water"], "is invalid"),
    (["--id", "A-1", "--name", " ", "--category", "行政许可", "--body", "city-water"], "name must not be empty"),
    (["--id", "A-1", "--name", "事项", "--category", "行政许可", "--body", "city-water", "--law", "不存在的条例"],
     "no instrument"),
    (["--id", "A-1", "--name", "事项", "--category", "行政许可", "--body", "city-water", "--article", "第一条"],
     "--article needs a --law"),
])
def test_bad_options_exit_2_and_write_nothing(clean: Path, args: list[str], message: str) -> None:
    before = sorted(p.relative_to(clean) for p in clean.rglob("*"))
    code, _, err = new(clean, *args)
    assert code == 2 and message in err, err
    assert sorted(p.relative_to(clean) for p in clean.rglob("*")) == before


def test_retired_body_is_refused(clean: Path) -> None:
    bodies = clean / "bodies.yaml"
    bodies.write_text(bodies.read_text(encoding="utf-8") + "- id: old-bureau\n  name: 某市原水利局\n  level: 市级\n"
                      "  status: merged\n  merged_into: city-water\n", encoding="utf-8")
    code, _, err = new(clean, "--id", "A-1", "--name", "事项", "--category", "行政许可", "--body", "old-bureau")
    assert code == 2 and "merged into city-water" in err


def test_configured_extra_category_gets_the_generic_flow(clean: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (clean / "powerlist.toml").write_text('extra_categories = ["公共服务"]\n', encoding="utf-8")
    monkeypatch.chdir(clean)  # default catalogue: the current folder
    res = runner.invoke(app, ["new", "--id", "GG-1", "--name", "取水计量设施校验", "--category", "公共服务",
                              "--body", "city-water", "--law", "中华人民共和国水法"])
    assert res.exit_code == 0, res.stderr
    data = parse_text((clean / "powers" / "city-water" / "GG-1.yaml").read_text(encoding="utf-8")).data
    assert [s["id"] for s in data["process"]["steps"]] == ["accept", "review", "decide", "serve"]


@pytest.mark.parametrize("value", ["取水许可", "no", "010", "a: b", "#1", " x", "1:20", "'q'", "true", "[x]"])
def test_scalar_reads_back_as_the_same_string(value: str) -> None:
    assert parse_text(f"k: {scalar(value)}\n").data == {"k": value}

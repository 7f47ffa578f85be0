"""Issue 14 items 3-5: Chinese values are accepted, messages name the fix, a full-width colon is named."""

from __future__ import annotations

from pathlib import Path

import pytest

from powerlist.api import check, settings_for
from powerlist.catalog.parse import parse_text
from powerlist.catalog.validate import validate
from powerlist.models import Body, Law, Model, Power

MINIMAL = "id: SL-XK-001\nname: 取水许可\ncategory: 行政许可\nbody: city-water\n"


def problems(model: type[Model], text: str) -> tuple[Model | None, list[tuple[str, int, int, str, str]]]:
    parsed = parse_text(text)
    assert not parsed.problems, parsed.problems
    got, probs = validate(model, parsed.data, parsed.positions)
    return got, [(p.code, p.line, p.column, p.message.zh, p.message.en) for p in probs]


def diagnostics(root: Path, *codes: str) -> list[tuple[str, str, int, str, str]]:
    result = check(root, settings_for(root, select=list(codes) or None)).result
    assert not result.crashed, result.crashed
    return sorted((d.code, d.path, d.line, d.message.zh, d.message.en) for d in result.diagnostics)


# ------------------------------------------------------------------------------ item 3: Chinese values


@pytest.mark.parametrize(("model", "text", "attr", "expected"), [
    (Power, MINIMAL + "status: 有效\n", "status", "active"),
    (Power, MINIMAL + "status: 暂停\n", "status", "suspended"),
    (Power, MINIMAL + "status: 已取消\n", "status", "abolished"),
    (Body, "id: city-water\nname: 某市水务局\nlevel: 市级\nstatus: 已合并\n", "status", "merged"),
    (Body, "id: city-water\nname: 某市水务局\nlevel: 市级\nstatus: 已撤销\n", "status", "abolished"),
    (Law, "id: water-law\ntitle: 中华人民共和国水法\nlevel: 法律\nstatus: 现行有效\n", "status", "in_force"),
    (Law, "id: water-law\ntitle: 中华人民共和国水法\nlevel: 法律\nstatus: 已修改\n", "status", "amended"),
    (Law, "id: water-law\ntitle: 中华人民共和国水法\nlevel: 法律\nstatus: 已废止\n", "status", "repealed"),
])
def test_chinese_status_values_are_aliases(model: type[Model], text: str, attr: str, expected: str) -> None:
    got, probs = problems(model, text)
    assert probs == []
    assert getattr(got, attr) == expected


@pytest.mark.parametrize(("unit", "expected"), [
    ("工作日", "working_days"), ("日历日", "calendar_days"), ("自然日", "calendar_days"),
    ("个月", "months"), ("月", "months"),
])
def test_chinese_units_are_aliases(unit: str, expected: str) -> None:
    got, probs = problems(Power, MINIMAL + f"time_limit:\n  statutory: 20\n  unit: {unit}\n")
    assert probs == [] and isinstance(got, Power)
    assert got.time_limit is not None and got.time_limit.unit == expected


def test_sub_item_status_alias_and_the_rest_still_checked() -> None:
    got, probs = problems(Power, MINIMAL + "sub_items:\n  - name: 取水许可（延续）\n    status: 暂停\n")
    assert probs == [] and isinstance(got, Power)
    # one alias does not hide another error: the unknown value is still reported, on its line
    _, probs = problems(Power, MINIMAL + "status: 有效\ntime_limit: {statutory: 3, unit: 年}\n")
    assert [(c, ln) for c, ln, *_ in probs] == [("S013", 6)]


def test_a_value_outside_the_choices_names_them_in_both_languages() -> None:
    _, probs = problems(Power, MINIMAL + "status: 作废\n")
    (code, line, _, zh, en), = probs
    assert (code, line) == ("S013", 5)
    for text in (zh, en):
        assert "active（有效）| suspended（暂停）| abolished（已取消）" in text
    _, probs = problems(Law, "id: l\ntitle: 某条例\nlevel: 法律\nstatus: gone\n")
    assert "in_force（现行有效）" in probs[0][3] and "repealed（已废止）" in probs[0][4]


def test_whole_catalogue_accepts_chinese_values(make_catalog) -> None:  # type: ignore[no-untyped-def]
    power = MINIMAL + "status: 暂停\nbasis:\n  - law: water-law\n"
    root = make_catalog({"powers/water/SL-XK-001.yaml": power})
    assert [d for d in diagnostics(root) if d[0].startswith("S")] == []


# ------------------------------------------------------------------------------ item 4: the fix, named


def test_a_time_limit_with_its_unit_says_write_the_number_and_the_unit() -> None:
    _, probs = problems(Power, MINIMAL + 'time_limit:\n  statutory: "20个工作日"\n')
    (code, line, _, zh, en), = probs
    assert (code, line) == ("S013", 6)
    assert "statutory: 20" in zh and "unit: working_days" in zh
    assert "statutory: 20" in en and "unit: working_days" in en


def test_a_quoted_number_says_drop_the_quotes() -> None:
    _, probs = problems(Power, MINIMAL + 'time_limit:\n  promised: "5"\n')
    assert "promised: 5" in probs[0][4] and "no quotes" in probs[0][4]
    assert "不加引号" in probs[0][3]


def test_a_list_of_powers_says_one_power_per_file() -> None:
    text = "- " + MINIMAL.replace("\n", "\n  ").rstrip() + "\n- id: SL-XK-002\n"
    _, probs = problems(Power, text)
    (code, line, _, zh, en), = probs
    assert (code, line) == ("S013", 1)
    assert "one power per file" in en and "一个文件只写一个事项" in zh


@pytest.mark.parametrize("value", ["2024-13-01", "31/01/2024", "2024年1月31日"])
def test_a_bad_date_shows_the_expected_form(value: str) -> None:
    _, probs = problems(Power, MINIMAL + f"waivers:\n  - {{code: B001, reason: 暂缺, expires: {value}}}\n")
    (code, _, _, zh, en), = probs
    assert code == "S013"
    assert "2024-01-31" in en and "2024-01-31" in zh
    assert "input should be" not in en  # no raw pydantic wording


@pytest.mark.parametrize(("text", "typo", "meant"), [
    (MINIMAL + "bassis: []\n", "bassis", "basis"),
    (MINIMAL + "time_limit:\n  statutry: 20\n", "statutry", "statutory"),
    (MINIMAL + "process:\n  steps:\n    - {id: a, name: 受理, kindd: accept}\n", "kindd", "kind"),
])
def test_an_unknown_key_close_to_a_known_one_is_suggested(text: str, typo: str, meant: str) -> None:
    _, probs = problems(Power, text)
    s012 = [p for p in probs if p[0] == "S012"]
    assert len(s012) == 1
    assert f"did you mean '{meant}'" in s012[0][4] and f"「{meant}」" in s012[0][3]
    assert typo in s012[0][4]


def test_an_unknown_key_far_from_any_is_not_guessed() -> None:
    _, probs = problems(Power, MINIMAL + "zzzz: 1\n")
    assert probs[0][4] == "unknown key 'zzzz'"


def test_an_article_in_law_says_it_belongs_in_articles(make_catalog) -> None:  # type: ignore[no-untyped-def]
    power = MINIMAL + "basis:\n  - law: 《水法》第四十八条\n"
    root = make_catalog({"powers/water/SL-XK-001.yaml": power})
    found = [d for d in diagnostics(root, "B002") if d[0] == "B002"]
    assert len(found) == 1
    _, path, line, zh, en = found[0]
    assert (path, line) == ("powers/water/SL-XK-001.yaml", 6)
    assert "articles: [第四十八条]" in en and "law: 《水法》" in en and "laws.yaml" not in en
    assert "articles" in zh and "第四十八条" in zh


# ------------------------------------------------------------------------------ item 5: full-width colon


@pytest.mark.parametrize(("text", "line", "column"), [
    ("id: SL-XK-001\nname：取水许可\ncategory: 行政许可\n", 2, 5),
    ("id: A\nname: x\nprocess:\n  steps：\n    - id: a\n", 4, 8),
    ("id: A\nbasis:\n  - law: water-law\n    articles：[第四十八条]\nbody: b\n", 4, 13),
])
def test_a_full_width_colon_is_named_on_its_own_line(text: str, line: int, column: int) -> None:
    parsed = parse_text(text)
    (p,) = parsed.problems
    assert (p.code, p.line, p.column) == ("S001", line, column)
    assert "全角冒号「：」" in p.message.zh and "full-width colon" in p.message.en


def test_a_full_width_colon_inside_text_is_not_blamed() -> None:
    text = "id: A\nremarks: |\n  注：见附件\nname: [\n"
    (p,) = parse_text(text).problems
    assert p.code == "S001" and "full-width" not in p.message.en and p.line != 3


def test_full_width_colon_in_a_value_still_parses() -> None:
    parsed = parse_text("id: A\nremarks: 注：见附件\n")
    assert parsed.problems == [] and parsed.data["remarks"] == "注：见附件"

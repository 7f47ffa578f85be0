"""Help follows the language (issue 14, item 1): under --lang zh or a Chinese locale every command
and option is described in Chinese, no help shows Python types, and the command list does not
break a docstring mid-sentence."""

from __future__ import annotations

import re
from typing import Any

import pytest
import typer.main
from typer.testing import CliRunner

from powerlist.cli import _load_commands, app
from powerlist.cli.help_zh import COMMANDS, PARAMS, command_help, lang_of, param_help, unwrap, wrap_cjk

_load_commands()
runner = CliRunner()

PYTHON_TYPES = re.compile(r"<(bool|str|int|float|path|list\[[^\]]*\]|int range|float range)>|\[x[<>]=")


def _tree(cmd: Any, path: str = "") -> list[tuple[str, Any]]:
    out = [(path, cmd)]
    for name, sub in getattr(cmd, "commands", {}).items():
        out += _tree(sub, f"{path} {name}".strip())
    return out


COMMAND_PATHS = [p for p, c in _tree(typer.main.get_command(app)) if not c.hidden]


def _help(path: str, *extra: str, env: dict[str, str] | None = None) -> str:
    res = runner.invoke(app, [*extra, *path.split(), "--help"], env={"COLUMNS": "100", **(env or {})})
    assert res.exit_code == 0, res.output
    return res.output


def test_every_command_and_option_with_english_help_has_chinese_help() -> None:
    """Fails when a command or option gains English help and no entry in help_zh."""
    missing = []
    for path, cmd in _tree(typer.main.get_command(app)):
        if cmd.hidden:
            continue
        if cmd.help and command_help(path) is None:
            missing.append(f"command '{path}'")
        for p in cmd.params:
            if getattr(p, "hidden", False) or not getattr(p, "help", None):
                continue
            if param_help(path, p.name or "") is None:
                missing.append(f"'{path}' option {p.name}")
    assert missing == [], f"add Chinese help to powerlist/cli/help_zh.py for: {missing}"


def test_the_tables_name_nothing_that_does_not_exist() -> None:
    """A stale entry (a renamed option) would hide a missing translation."""
    tree = dict(_tree(typer.main.get_command(app)))
    assert set(COMMANDS) <= set(tree)
    names = {(path, p.name) for path, c in tree.items() for p in c.params} | {(path, "help") for path in tree}
    for key in PARAMS:
        path, _, name = key.partition(":")
        if path == "*":
            assert any(n == name for _, n in names), key
        else:
            assert (path, name) in names, key


@pytest.mark.parametrize("path", COMMAND_PATHS)
def test_chinese_help_is_chinese_and_shows_no_python_types(path: str) -> None:
    out = _help(path, "--lang", "zh")
    assert "显示本帮助并退出" in out and "Show this message and exit" not in out
    assert "用法：" in out and "Usage:" not in out
    assert not PYTHON_TYPES.search(out), out
    assert "…" not in out, out  # nothing cut short: Chinese help is broken into lines, never ellipsised
    assert "Options" not in out and "Arguments" not in out and "Commands" not in out
    first = command_help(path)
    assert first is not None and first.split("\n\n")[0][:12] in out.replace("\n", "")


@pytest.mark.parametrize("path", COMMAND_PATHS)
def test_english_help_shows_no_python_types(path: str) -> None:
    out = _help(path, "--lang", "en")
    assert "Show this message and exit" in out
    assert not PYTHON_TYPES.search(out), out


def test_help_follows_the_locale_and_the_override() -> None:
    assert "检查清单" in _help("check", env={"POWERLIST_LANG": "zh"})
    assert "Check a catalogue" in _help("check", env={"POWERLIST_LANG": "", "LC_ALL": "en_US.UTF-8"})
    assert "检查清单" in _help("check", env={"POWERLIST_LANG": "", "LC_ALL": "zh_CN.UTF-8"})
    assert "Check a catalogue" in _help("check", "--lang", "en", env={"POWERLIST_LANG": "zh"})
    assert lang_of(["check", "--lang=zh"]) == "zh" and lang_of(["--lang", "en", "check"]) == "en"


def test_lang_before_the_command_sets_the_messages_too(tmp_path: Any) -> None:
    res = runner.invoke(app, ["--lang", "zh", "rules"], env={"COLUMNS": "120"})
    assert res.exit_code == 0 and "检查规则" in res.output
    res = runner.invoke(app, ["--lang", "en", "rules"], env={"COLUMNS": "120", "POWERLIST_LANG": "zh"})
    assert res.exit_code == 0 and "powerlist checks" in res.output


def test_a_range_is_said_in_words() -> None:
    assert "(at least 1)" in _help("check", "--lang", "en")
    assert "（至少1）" in re.sub(r"[\s│]", "", _help("check", "--lang", "zh"))


def test_the_command_list_keeps_sentences_whole() -> None:
    """typer's rich mode kept a docstring's single line breaks in the command list."""
    out = runner.invoke(app, ["--help", "--lang", "en"], env={"COLUMNS": "250"}).output
    line = next(ln for ln in out.splitlines() if "│ check" in ln)
    assert "abolished items, process flowcharts and categories." in line
    line = next(ln for ln in out.splitlines() if "│ report" in ln)
    assert "every finding with its entry" in line


def test_unwrap_keeps_examples_and_joins_prose() -> None:
    text = "First line\ncontinues.\n\nExamples:\n\n  powerlist x\n  --y z"
    assert unwrap(text) == "First line continues.\n\nExamples:\n\n  powerlist x\n  --y z"


def test_wrap_cjk_breaks_between_characters_not_words_or_before_punctuation() -> None:
    from rich.cells import cell_len

    lines = wrap_cjk("只运行这些代码或检查类（J001、J、P0）。用逗号分隔，或重复本选项。", 20)
    assert len(lines) == 4 and all(cell_len(ln) <= 20 for ln in lines)
    assert not any(ln[0] in "，。、）" for ln in lines)
    assert "".join(lines) == "只运行这些代码或检查类（J001、J、P0）。用逗号分隔，或重复本选项。"
    assert wrap_cjk("见 --write-baseline 说明", 8)[1] == "--write-baseline"
    # two marks in a row (已取消）、): at every width no line starts with either
    text = "按业务口径报告清单两个版本之间的变化：新增、取消（删除或已取消）、调整（逐字段）、划转。"
    for width in range(16, 80):
        lines = wrap_cjk(text, width)
        assert "".join(lines) == text and not any(ln[0] in "，。、）" for ln in lines), width


def test_rules_in_chinese_is_translated_and_uncut() -> None:
    from powerlist.checks import all_checks

    res = runner.invoke(app, ["rules", "--lang", "zh"], env={"COLUMNS": "80"})
    assert res.exit_code == 0
    out = res.output
    assert "powerlist 检查规则" in out and "严重程度" in out and "说明" in out
    assert "错误" in out and "警告" in out
    assert not re.search(r"│ (error|warning) |┃ (code|name|severity|summary) ", out)
    assert "…" not in out
    wide = runner.invoke(app, ["rules", "--lang", "zh"], env={"COLUMNS": "400"}).output
    for chk in all_checks().values():
        assert chk.summary.zh in wide, chk.code


def test_every_check_has_a_chinese_summary() -> None:
    from powerlist.checks import all_checks

    cjk = re.compile(r"[\u4e00-\u9fff]")
    for chk in all_checks().values():
        assert cjk.search(chk.summary.zh) and chk.summary.en and chk.summary.zh != chk.summary.en, chk.code

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from casefiles import BASE, GOOD_POWER


@pytest.fixture(autouse=True)
def _english(monkeypatch: pytest.MonkeyPatch) -> None:
    """Tests read English messages unless they choose otherwise."""
    monkeypatch.setenv("POWERLIST_LANG", "en")
    from powerlist.i18n import set_lang

    set_lang(None)


@pytest.fixture(autouse=True)
def _private_cache_key(monkeypatch: pytest.MonkeyPatch, tmp_path_factory: pytest.TempPathFactory) -> None:
    """The cache signing key lives under XDG_CACHE_HOME: a test never touches the real home."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path_factory.getbasetemp() / "xdg-cache"))


@pytest.fixture
def make_catalog(tmp_path: Path):  # type: ignore[no-untyped-def]
    """make_catalog({"powers/a/X.yaml": "..."}) -> a catalogue folder over the shared base."""
    import shutil

    def make(files: dict[str, str | None] | None = None, base: bool = True) -> Path:
        root = tmp_path / "cat"
        if base:
            shutil.copytree(BASE, root, dirs_exist_ok=True)
        root.mkdir(exist_ok=True)
        for rel, text in (files or {}).items():
            p = root / rel
            if text is None:
                p.unlink(missing_ok=True)
                continue
            p.parent.mkdir(parents=True, exist_ok=True)
            p.write_text(text.replace("{{GOOD_POWER}}", GOOD_POWER), encoding="utf-8")
        return root

    return make


@pytest.fixture
def run_cli(monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    """run_cli("check", path, "--format", "json") -> click's Result (``stdout`` and ``stderr`` apart).
    GITHUB_ACTIONS is cleared so that tests see the default format even when CI runs them."""
    from typer.testing import CliRunner

    from powerlist.cli import _load_commands, app

    _load_commands()
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
    runner = CliRunner()

    def run(*args: object):  # type: ignore[no-untyped-def]
        return runner.invoke(app, [str(a) for a in args])

    return run

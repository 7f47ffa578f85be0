"""write_atomic: all or nothing, and the file keeps its mode."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from powerlist import fsutil


def test_replaces_and_keeps_mode(tmp_path: Path) -> None:
    p = tmp_path / "a.yaml"
    p.write_text("old", encoding="utf-8")
    os.chmod(p, 0o640)
    fsutil.write_atomic(p, "新内容\r\n")
    assert p.read_bytes() == "新内容\r\n".encode()  # no newline translation
    assert p.stat().st_mode & 0o777 == 0o640
    assert [f.name for f in tmp_path.iterdir()] == ["a.yaml"]


def test_new_file_gets_umask_mode_not_0600(tmp_path: Path) -> None:
    p = tmp_path / "report.html"
    fsutil.write_atomic(p, b"<p>x</p>")
    assert p.stat().st_mode & 0o044  # readable by others, as a plain write would be


def test_failure_leaves_old_file_and_no_temp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    p = tmp_path / "a.yaml"
    p.write_text("old", encoding="utf-8")

    def boom(src: str, dst: str) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", boom)
    with pytest.raises(OSError):
        fsutil.write_atomic(p, "new")
    assert p.read_text(encoding="utf-8") == "old"
    assert [f.name for f in tmp_path.iterdir()] == ["a.yaml"]

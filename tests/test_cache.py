"""The cache never serves a stale result, and worker count never changes a result."""

from __future__ import annotations

import os
import shutil
from datetime import date
from pathlib import Path

import pytest
from casefiles import GOOD_POWER

from powerlist.api import check, settings_for
from powerlist.report import RenderOptions
from powerlist.report.json import result_to_json

AS_OF = date(2026, 1, 1)


def _json(root: Path, **kw: object) -> dict:
    checked = check(root, settings_for(root), as_of=AS_OF, **kw)  # type: ignore[arg-type]
    return result_to_json(checked.result, RenderOptions(root=root))


def _power(i: int, name: str | None = None) -> str:
    text = GOOD_POWER.replace("SL-XK-001", f"SL-XK-{i:03d}")
    return text.replace("name: 取水许可", f"name: {name or f'取水许可{i}'}")


@pytest.fixture
def catalog(make_catalog) -> Path:  # type: ignore[no-untyped-def]
    files: dict[str, str | None] = {f"powers/water/SL-XK-{i:03d}.yaml": _power(i) for i in range(1, 13)}
    files["powers/water/broken.yaml"] = "id: [x\n"
    return make_catalog(files)


def _age(root: Path, seconds: int = 3600) -> None:
    """Make every file look old, so the cache trusts stat signatures (the fast path)."""
    for dirpath, _, names in os.walk(root):
        for n in names:
            p = os.path.join(dirpath, n)
            st = os.stat(p)
            os.utime(p, ns=(st.st_atime_ns, st.st_mtime_ns - seconds * 10**9))


def _same(root: Path, cache: Path) -> dict:
    cached = _json(root, cache_dir=cache)
    fresh = _json(root)
    assert cached == fresh
    return cached


def test_cache_never_stale(catalog: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    first = _same(catalog, cache)
    assert (cache / "index.bin").exists()
    # unchanged: served whole from the cache
    again = check(catalog, settings_for(catalog), as_of=AS_OF, cache_dir=cache)
    assert again.from_cache and result_to_json(again.result, RenderOptions(root=catalog)) == first

    _age(catalog)
    _same(catalog, cache)  # refresh signatures with old mtimes: now trusted

    p = catalog / "powers/water/SL-XK-002.yaml"
    st = p.stat()
    # same size, same mtime, new content: only ctime tells
    text = p.read_text(encoding="utf-8").replace("category: 行政许可", "category: 行政审批")
    p.write_text(text, encoding="utf-8")
    os.utime(p, ns=(st.st_atime_ns, st.st_mtime_ns))
    assert p.stat().st_size == st.st_size
    after_edit = _same(catalog, cache)
    assert after_edit != first

    # rename
    os.rename(p, catalog / "powers/water/renamed.yaml")
    _same(catalog, cache)
    # delete
    (catalog / "powers/water/SL-XK-003.yaml").unlink()
    _same(catalog, cache)
    # add, including a new broken file
    (catalog / "powers/water/new.yaml").write_text("id: SL-XK-099\nname: x\n", encoding="utf-8")
    _same(catalog, cache)
    # touch only (same content, new mtime)
    os.utime(catalog / "powers/water/SL-XK-004.yaml")
    _same(catalog, cache)
    # registry change
    bodies = catalog / "bodies.yaml"
    bodies.write_text(bodies.read_text(encoding="utf-8").replace("id: city-water", "id: city-water2"), encoding="utf-8")
    _same(catalog, cache)
    # configuration change
    (catalog / "powerlist.toml").write_text('[check]\nignore = ["S016"]\n', encoding="utf-8")
    _same(catalog, cache)


def test_corrupt_cache_is_rebuilt(catalog: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    _same(catalog, cache)
    (cache / "index.bin").write_bytes(b"not a pickle")
    (cache / "parsed.bin").write_bytes(b"\x80\x05garbage")
    _same(catalog, cache)


def test_unwritable_cache_does_not_fail_the_run(catalog: Path, tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    _same(catalog, blocker / "cache")  # cannot create a folder under a file


def test_workers_do_not_change_results(catalog: Path) -> None:
    for i in range(13, 60):
        (catalog / f"powers/water/SL-XK-{i:03d}.yaml").write_text(_power(i, "取水许可" if i % 7 == 0 else None),
                                                                   encoding="utf-8")
    (catalog / "powers/water/gbk.yaml").write_bytes("id: G\nname: 取水许可\n".encode("gbk"))
    one = _json(catalog, workers=1)
    two = _json(catalog, workers=2)
    assert one == two and one["summary"]["errors"] > 0


def test_cli_cache_flags(catalog: Path, tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from powerlist.cli import _load_commands, app

    _load_commands()
    runner = CliRunner()
    default_cache = catalog / ".powerlist_cache"
    r = runner.invoke(app, ["check", str(catalog), "--no-cache", "-q"])
    assert r.exit_code == 1 and not default_cache.exists()
    r = runner.invoke(app, ["check", str(catalog), "-q"])
    assert r.exit_code == 1 and (default_cache / "index.bin").exists()
    assert (default_cache / ".gitignore").read_text(encoding="utf-8").strip().endswith("*")
    other = tmp_path / "elsewhere"
    r = runner.invoke(app, ["check", str(catalog), "-q", "--cache-dir", str(other), "--workers", "2"])
    assert r.exit_code == 1 and (other / "index.bin").exists()
    shutil.rmtree(default_cache)


def test_a_crashing_worker_names_its_file(make_catalog, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    """Should libyaml ever kill a worker, its files are parsed one per process and the culprit is an
    S001 finding; the rest of the catalogue is still checked."""
    import powerlist.catalog.parallel as par

    files: dict[str, str | None] = {f"powers/water/SL-XK-{i:03d}.yaml": _power(i) for i in range(1, 40)}
    root = make_catalog(files)
    real = par.parse_one

    def dying(root_s: str, rel: str, limits: object) -> object:
        if rel.endswith("SL-XK-007.yaml"):
            os._exit(11)  # what a segfault looks like to the pool
        return real(root_s, rel, limits)  # type: ignore[arg-type]

    monkeypatch.setattr(par, "parse_one", dying)
    monkeypatch.setattr(par, "CHUNK", 4)
    out = _json(root, workers=2)
    s001 = [d for d in out["diagnostics"] if d["code"] == "S001"]
    assert [d["path"] for d in s001] == ["powers/water/SL-XK-007.yaml"]
    assert out["summary"]["entries"] == 38 + 3 + 3 + 1  # every other power and the registries

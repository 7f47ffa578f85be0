"""Issue 14 items 8 and 10: the command line's edges (output files, --quiet, -V, completion, one
spelling for output and catalogue, graph formats by suffix, laws search when piped) and the
README's export example on the demo catalogue."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent
DEMO = ROOT / "catalog"


def one_power(make_catalog: Any, extra: dict[str, str] | None = None) -> Path:
    return make_catalog({"powers/water/SL-XK-001.yaml": "{{GOOD_POWER}}", **(extra or {})})


def clean_exit(r: Any, code: int) -> None:
    """Ended through its exit code with one message, not a traceback."""
    assert r.exception is None or isinstance(r.exception, SystemExit), r.exception
    assert "Traceback" not in r.output
    assert r.exit_code == code, r.output


# -- item 8: output files ----------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["text", "json"])
def test_check_output_into_a_missing_folder_is_one_message_exit_2(run_cli: Any, make_catalog: Any, tmp_path: Path,
                                                                  fmt: str) -> None:
    root = one_power(make_catalog)
    r = run_cli("check", root, "--no-cache", "-f", fmt, "-o", tmp_path / "missing" / "x.json")
    clean_exit(r, 2)
    assert "does not exist" in r.stderr
    assert not (tmp_path / "missing").exists()


def test_check_output_into_a_folder_is_refused(run_cli: Any, make_catalog: Any, tmp_path: Path) -> None:
    r = run_cli("check", one_power(make_catalog), "--no-cache", "-o", tmp_path)
    clean_exit(r, 2)
    assert "is a folder" in r.stderr


def test_graph_report_diff_output_into_a_missing_folder_exit_2(run_cli: Any, make_catalog: Any, tmp_path: Path) -> None:
    root = one_power(make_catalog)
    gone = tmp_path / "missing"
    for args in (("graph", "SL-XK-001", root, "-o", gone / "x.svg"),
                 ("report", root, "--out", gone / "r.xlsx"),
                 ("diff", root, root, "-o", gone / "d.md")):
        r = run_cli(*args)
        clean_exit(r, 2)
        assert "does not exist" in r.stderr, args


def test_schema_out_that_is_a_file_exit_2(run_cli: Any, tmp_path: Path) -> None:
    f = tmp_path / "afile"
    f.write_text("x", encoding="utf-8")
    r = run_cli("schema", "--out", f)
    clean_exit(r, 2)
    assert "is a file" in r.stderr


# -- item 8: --quiet, -V, completion ------------------------------------------------------------


def test_quiet_prints_only_the_verdict_line(run_cli: Any, make_catalog: Any) -> None:
    # qushui.yaml holds SL-XK-002: S016 (file name) is a warning
    root = one_power(make_catalog, {"powers/water/qushui.yaml": "{{GOOD_POWER}}".replace("SL-XK-001", "SL-XK-002")})
    r = run_cli("check", root, "--no-cache", "--quiet")
    lines = [ln for ln in r.stdout.splitlines() if ln.strip()]
    assert len(lines) == 1, r.stdout
    assert lines[0].startswith("Checked ") and " 1 warning(s)" in lines[0]
    assert "Summary by family" not in r.stdout


def test_quiet_keeps_the_exit_status(run_cli: Any, make_catalog: Any) -> None:
    bad = one_power(make_catalog, {"powers/water/qushui.yaml": "{{GOOD_POWER}}".replace("SL-XK-001", "SL-XK-002")
                                   .replace("category: 行政许可", "category: 行政审批")})
    r = run_cli("check", bad, "--no-cache", "-q")
    assert r.exit_code == 1
    assert re.search(r"[1-9]\d* error\(s\)", r.stdout)


def test_short_version_flag(run_cli: Any) -> None:
    from powerlist import __version__

    r = run_cli("-V")
    clean_exit(r, 0)
    assert r.stdout.strip() == f"powerlist {__version__}"


def test_shell_completion_is_offered(run_cli: Any) -> None:
    r = run_cli("--help")
    assert "--install-completion" in r.stdout and "--show-completion" in r.stdout


# -- item 8: one convention for output and catalogue --------------------------------------------


def test_check_accepts_out_alias_and_catalog_alias(run_cli: Any, make_catalog: Any, tmp_path: Path) -> None:
    root = one_power(make_catalog)
    target = tmp_path / "r.json"
    r = run_cli("check", "--catalog", root, "--no-cache", "-f", "json", "--out", target)
    clean_exit(r, 0)
    assert json.loads(target.read_text(encoding="utf-8"))["summary"]["errors"] == 0


def test_catalogue_given_twice_differently_is_refused(run_cli: Any, make_catalog: Any, tmp_path: Path) -> None:
    r = run_cli("check", one_power(make_catalog), "--catalog", tmp_path, "--no-cache")
    clean_exit(r, 2)
    assert "not both" in r.stderr


def test_report_and_schema_accept_output(run_cli: Any, make_catalog: Any, tmp_path: Path) -> None:
    root = one_power(make_catalog)
    r = run_cli("report", "-c", root, "--output", tmp_path / "r.html", "--lang", "en")
    clean_exit(r, 0)
    assert (tmp_path / "r.html").read_text(encoding="utf-8").lstrip().lower().startswith("<!doctype html")
    r = run_cli("schema", "--output", tmp_path / "schemas")
    clean_exit(r, 0)
    assert (tmp_path / "schemas" / "power.schema.json").exists()


def test_graph_and_new_take_the_catalogue_positionally(run_cli: Any, make_catalog: Any) -> None:
    root = one_power(make_catalog)
    r = run_cli("graph", "SL-XK-001", root, "-f", "dot")
    clean_exit(r, 0)
    assert r.stdout.startswith("digraph")
    r = run_cli("new", root, "--id", "SL-XK-077", "--name", "河道采砂许可", "--category", "行政许可",
                "--body", "city-water")
    clean_exit(r, 0)
    assert list(root.rglob("SL-XK-077.yaml"))


def test_export_accepts_output_alias(run_cli: Any, make_catalog: Any, tmp_path: Path) -> None:
    r = run_cli("export", one_power(make_catalog), "--output", tmp_path / "pub", "-f", "csv", "-q")
    clean_exit(r, 0)
    assert (tmp_path / "pub" / "powers.csv").exists()


# -- item 8: graph formats by suffix ------------------------------------------------------------


def test_graph_png_is_refused_not_written_as_svg(run_cli: Any, make_catalog: Any, tmp_path: Path) -> None:
    target = tmp_path / "x.png"
    r = run_cli("graph", "SL-XK-001", one_power(make_catalog), "-o", target)
    clean_exit(r, 2)
    assert ".png" in r.stderr
    assert not target.exists()


@pytest.mark.parametrize(("suffix", "start"), [(".svg", "<?xml"), (".dot", "digraph"), (".mmd", "flowchart")])
def test_graph_format_follows_the_suffix(run_cli: Any, make_catalog: Any, tmp_path: Path, suffix: str,
                                         start: str) -> None:
    target = tmp_path / f"flow{suffix}"
    r = run_cli("graph", "SL-XK-001", one_power(make_catalog), "-o", target)
    clean_exit(r, 0)
    assert target.read_text(encoding="utf-8").startswith(start)


def test_graph_format_against_the_suffix_is_refused(run_cli: Any, make_catalog: Any, tmp_path: Path) -> None:
    r = run_cli("graph", "SL-XK-001", one_power(make_catalog), "-f", "dot", "-o", tmp_path / "x.svg")
    clean_exit(r, 2)
    assert "does not match" in r.stderr


# -- item 8: laws search when piped -------------------------------------------------------------


def test_laws_search_does_not_cut_titles_when_piped(run_cli: Any) -> None:
    from powerlist import lawdb

    longest = max((law.title for law in lawdb.search("行政 处罚", 20)), key=len)
    r = run_cli("laws", "search", "行政", "处罚")  # CliRunner's stdout is not a terminal, like a pipe
    clean_exit(r, 0)
    assert longest in r.stdout, r.stdout


# -- item 10: the README's export example on the demo -------------------------------------------


def test_readme_export_example_runs_on_the_demo(run_cli: Any, tmp_path: Path) -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    line = next(ln for ln in readme.splitlines() if ln.startswith("powerlist export catalog/"))
    args = line.split("#")[0].split()[1:]
    assert "--allow-errors" in args
    demo = tmp_path / "catalog"
    shutil.copytree(DEMO, demo, ignore=shutil.ignore_patterns(".powerlist_cache"))
    out = tmp_path / "public"
    argv = [str(demo) if a == "catalog/" else str(out) if a == "public/" else a for a in args]
    r = run_cli(*argv, "-q")
    clean_exit(r, 0)
    assert (out / "manifest.json").exists()


def test_blocked_export_names_allow_errors_and_counts_warnings_like_check(run_cli: Any, tmp_path: Path) -> None:
    demo = tmp_path / "catalog"
    shutil.copytree(DEMO, demo, ignore=shutil.ignore_patterns(".powerlist_cache"))
    checked = run_cli("check", demo, "--no-cache", "-q")
    want = re.search(r"(\d+) error\(s\), (\d+) warning\(s\)", checked.stdout)
    assert want is not None and int(want.group(2)) > 0, checked.stdout
    r = run_cli("export", demo, "--out", tmp_path / "public", "-q")
    clean_exit(r, 1)
    assert "--allow-errors" in r.stderr
    got = re.search(r"(\d+) error\(s\), (\d+) warning\(s\)", r.stdout)
    assert got is not None and got.groups() == want.groups(), r.stdout
    assert not (tmp_path / "public").exists()

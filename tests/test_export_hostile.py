"""Issue 9 — exports against hostile targets and interruptions: an --out that cannot be made
(item 6), temporary folders of killed exports (item 8), Ctrl-C inside the XLSX writer (item 9),
the audit report's CSP and the formula neutraliser checked against LibreOffice (item 10)."""

from __future__ import annotations

import errno
import gc
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from casefiles import GOOD_POWER
from openpyxl import load_workbook

from powerlist import api
from powerlist.export import ExportError
from powerlist.export.rows import neutralise

DATA = Path(__file__).parent / "data" / "spreadsheet_evaluation.json"


def power(ident: str, name: str) -> str:
    return GOOD_POWER.replace("id: SL-XK-001", f"id: {ident}").replace("name: 取水许可", f"name: {json.dumps(name)}")


def distinct_name(i: int) -> str:
    """Names no two alike (near-duplicate names would make D003 the slow part of every test)."""
    chars = "取水许可证河道采砂排污建设工程施工审批备案登记检查处罚强制征收给付裁决确认奖励"
    return "".join(chars[(i * 7 + k * k * 3 + k * i) % len(chars)] for k in range(12)) + str(i)


@pytest.fixture
def cat(make_catalog) -> Path:  # type: ignore[no-untyped-def]
    """Forty clean powers: rows enough for every sheet of the XLSX writer."""
    return make_catalog({f"powers/water/SL-XK-{i:03d}.yaml": power(f"SL-XK-{i:03d}", distinct_name(i))
                         for i in range(1, 41)})


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def hidden(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.startswith("."))


@pytest.fixture
def previous(cat: Path, tmp_path: Path) -> tuple[Path, dict[str, bytes]]:
    """An earlier export in tmp_path/public and its bytes."""
    out = tmp_path / "public"
    api.export(cat, out, formats="csv,xlsx,html")
    return out, snapshot(out)


# ---------------------------------------------------------------------------------- item 6: --out that cannot be made


def one_error_line(stderr: str) -> str:
    assert "Traceback" not in stderr
    lines = [ln for ln in stderr.splitlines() if ln.startswith("powerlist: error:")]
    assert len(lines) == 1, stderr
    return lines[0]


@pytest.mark.parametrize("where", ["file/sub", "file/sub/deeper", "/proc/powerlist-export", "x" * 300])
def test_out_that_cannot_be_made_is_one_line_and_exit_2(run_cli, cat: Path, tmp_path: Path, where: str) -> None:  # type: ignore[no-untyped-def]
    (tmp_path / "file").write_text("a regular file", encoding="utf-8")
    out = where if where.startswith("/") else str(tmp_path / where)
    res = run_cli("export", cat, "--out", out, "--format", "csv", "--lang", "en")
    assert res.exit_code == 2, res.output
    line = one_error_line(res.stderr)
    assert where.split("/")[0][:40] in line or "/proc" in line
    assert any(reason in line for reason in ("is a file", "Not a directory", "No such file", "File name too long"))
    assert sorted(p.name for p in tmp_path.iterdir()) == ["cat", "file"]


@pytest.mark.parametrize("code", [errno.EACCES, errno.EROFS, errno.EPERM])
def test_unwritable_parent_is_a_message_and_the_old_export_stays(run_cli, cat: Path, previous: tuple[Path, dict[str, bytes]],  # type: ignore[no-untyped-def]
                                                                 monkeypatch: pytest.MonkeyPatch, code: int) -> None:
    out, before = previous

    def refuse(*args: Any, **kwargs: Any) -> str:  # what mkdir beside --out meets in a read-only folder
        raise OSError(code, os.strerror(code), str(out.parent / ".public.tmp"))

    monkeypatch.setattr(tempfile, "mkdtemp", refuse)
    res = run_cli("export", cat, "--out", out, "--format", "csv", "--lang", "en")
    assert res.exit_code == 2
    assert os.strerror(code) in one_error_line(res.stderr) and str(out) in res.stderr
    assert snapshot(out) == before


def enospc_on(fragment: str) -> Callable[..., int]:
    real = Path.write_bytes

    def write_bytes(self: Path, data: bytes) -> int:
        if fragment in self.as_posix() and "/.public." in self.as_posix():
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(self))
        return real(self, data)

    return write_bytes


@pytest.mark.parametrize("fragment", ["powers.csv", "site/p/"])  # in this process; in the forked site writer
def test_disk_full_is_a_message_and_the_old_export_stays_whole(run_cli, cat: Path, previous: tuple[Path, dict[str, bytes]],  # type: ignore[no-untyped-def]
                                                               monkeypatch: pytest.MonkeyPatch, fragment: str) -> None:
    out, before = previous
    monkeypatch.setattr(Path, "write_bytes", enospc_on(fragment))
    res = run_cli("export", cat, "--out", out, "--format", "csv,xlsx,html", "--lang", "en")
    assert res.exit_code == 2, res.output
    assert "No space left on device" in one_error_line(res.stderr)
    assert snapshot(out) == before
    assert hidden(out.parent) == []  # the half-written copy is gone too


def test_api_raises_export_error_not_oserror(cat: Path, tmp_path: Path) -> None:
    (tmp_path / "file").write_text("x", encoding="utf-8")
    for out in (tmp_path / "file" / "sub" / "x", tmp_path / ("y" * 300)):
        with pytest.raises(ExportError):
            api.export(cat, out, formats="csv")


# ---------------------------------------------------------------------------------- item 8: stale temporary folders


def dead_pid() -> int:
    """The pid of a process that has exited and been reaped."""
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait()
    return proc.pid


@pytest.fixture
def live_pid() -> Iterator[int]:
    proc = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        yield proc.pid
    finally:
        proc.kill()
        proc.wait()


def test_stale_temporary_folders_are_removed_live_and_lookalikes_kept(cat: Path, tmp_path: Path, live_pid: int) -> None:
    dead = dead_pid()
    parent = tmp_path
    stale = parent / f".public.{dead}.k3x_9qzt.tmp"
    live = parent / f".public.{live_pid}.ab12cd34.tmp"
    lookalikes = [parent / f".public.{dead}.ab12cd34.tmpx", parent / f".public.{dead}.tmp",
                  parent / f".other.{dead}.ab12cd34.tmp", parent / f".public.{dead}.AB12CD34.tmp",
                  parent / f"public.{dead}.ab12cd34.tmp", parent / f".public.x{dead}.ab12cd34.tmp"]
    for d in (stale, live, *lookalikes):
        (d / "site").mkdir(parents=True)
        (d / "site" / "index.html").write_text("half an export", encoding="utf-8")
    a_file = parent / f".public.{dead}.zz12zz34.tmp"
    a_file.write_text("a file, not a folder", encoding="utf-8")
    precious = parent / "precious"
    precious.mkdir()
    (precious / "keep.txt").write_text("keep", encoding="utf-8")
    link = parent / f".public.{dead}.ln12ln34.tmp"
    link.symlink_to(precious)

    api.export(cat, parent / "public", formats="csv")

    assert not stale.exists()
    assert live.is_dir() and all(d.is_dir() for d in lookalikes)
    assert a_file.is_file() and link.is_symlink() and (precious / "keep.txt").read_text(encoding="utf-8") == "keep"


def test_a_killed_export_leaves_a_folder_the_next_export_removes(cat: Path, tmp_path: Path) -> None:
    out = tmp_path / "public"
    killed = subprocess.run([sys.executable, "-c", (
        "import os, signal, sys; from pathlib import Path; from powerlist.export.outdir import Staging\n"
        "st = Staging(Path(sys.argv[1])); st.write_bytes('powers.csv', b'x' * 100000)\n"
        "os.kill(os.getpid(), signal.SIGKILL)"), str(out)], check=False)
    assert killed.returncode == -signal.SIGKILL
    left = hidden(tmp_path)
    assert len(left) == 1 and left[0].startswith(".public.") and left[0].endswith(".tmp")
    api.export(cat, out, formats="csv")
    assert hidden(tmp_path) == []
    assert (out / "powers.csv").is_file()


def test_old_folder_is_kept_while_the_target_is_missing(tmp_path: Path) -> None:
    from powerlist.export.outdir import stale_temporaries

    old = tmp_path / f".public.{dead_pid()}.ab12cd34.old"  # a non-atomic swap killed half-way: the last copy
    old.mkdir()
    assert stale_temporaries(tmp_path / "public") == []
    (tmp_path / "public").mkdir()
    assert stale_temporaries(tmp_path / "public") == [old]


# ---------------------------------------------------------------------------------- item 9: Ctrl-C in the XLSX writer

# Runs `powerlist export` with KeyboardInterrupt raised at the Nth call of MODULE:ATTR (or none: "-"),
# printing XLSX when the XLSX writer starts (for the real-SIGINT test).
HARNESS = r"""
import importlib, sys
spec, n = sys.argv[1], int(sys.argv[2])
if spec != "-":
    mod, _, attr = spec.partition(":")
    owner = importlib.import_module(mod)
    *path, name = attr.split(".")
    for p in path:
        owner = getattr(owner, p)
    real, calls = getattr(owner, name), [0]
    def patched(*a, **k):
        calls[0] += 1
        if calls[0] == n:
            raise KeyboardInterrupt
        return real(*a, **k)
    setattr(owner, name, patched)
from powerlist.export import xlsxout
real_write, real_append = xlsxout.write, xlsxout._append
def write(cl, out):
    print("XLSX", flush=True)
    return real_write(cl, out)
def slow_append(ws, values):  # about 3 ms of Python work per row: a signal lands inside the writer
    sum(range(30000))
    return real_append(ws, values)
xlsxout.write = write
if spec == "-":
    xlsxout._append = slow_append
sys.argv = ["powerlist", *sys.argv[3:]]
from powerlist.cli import main
main()
"""


def harness(spec: str, n: int, cat: Path, out: Path, formats: str = "xlsx", **kw: Any) -> subprocess.Popen[str]:
    return subprocess.Popen([sys.executable, "-c", HARNESS, spec, str(n), "export", str(cat), "--out", str(out),
                             "--format", formats, "-q", "--lang", "en"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, **kw)


def assert_clean_interrupt(rc: int, stderr: str, out: Path, before: dict[str, bytes]) -> None:
    assert rc == 130, stderr
    assert "Exception ignored" not in stderr and "Traceback" not in stderr, stderr
    assert "interrupted" in stderr
    assert snapshot(out) == before
    assert hidden(out.parent) == []


@pytest.mark.parametrize(("spec", "n"), [
    ("powerlist.export.xlsxout:_append", 1),            # the summary sheet's first row
    ("powerlist.export.xlsxout:_append", 30),           # a category sheet, mid-stream
    ("powerlist.export.xlsxout:WriteOnlyCell", 200),    # building a cell
    ("openpyxl.worksheet._writer:write_cell", 150),     # inside openpyxl's XML stream
    ("openpyxl.writer.excel:ExcelWriter.write_worksheet", 2),  # saving: one sheet in the zip
    ("zipfile:ZipFile.writestr", 3),                    # saving: writing a zip member
])
def test_ctrl_c_inside_the_xlsx_writer_is_quiet_130_and_keeps_the_old_export(
        cat: Path, previous: tuple[Path, dict[str, bytes]], spec: str, n: int) -> None:
    out, before = previous
    proc = harness(spec, n, cat, out)
    _stdout, stderr = proc.communicate(timeout=120)
    assert_clean_interrupt(proc.returncode, stderr, out, before)


def test_failing_xlsx_writer_leaves_no_unraisable_generator(cat: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """In process: a failure inside the stream, then the garbage collector must have nothing to say."""
    from powerlist.export import xlsxout

    seen: list[Any] = []
    monkeypatch.setattr(sys, "unraisablehook", seen.append)
    real, calls = xlsxout._append, [0]

    def append(ws: Any, values: Any) -> None:
        calls[0] += 1
        if calls[0] == 20:
            raise KeyboardInterrupt
        real(ws, values)

    monkeypatch.setattr(xlsxout, "_append", append)
    with pytest.raises(KeyboardInterrupt):
        api.export(cat, tmp_path / "public", formats="xlsx")
    gc.collect()
    assert [str(u.exc_value) for u in seen] == []


@pytest.mark.parametrize(("delay", "formats"), [(0.0, "xlsx"), (0.02, "xlsx"), (0.08, "xlsx"), (0.02, "xlsx,html")])
def test_real_sigint_during_the_xlsx_writer(cat: Path, previous: tuple[Path, dict[str, bytes]], delay: float,
                                            formats: str) -> None:
    """SIGINT to the whole process group, as a terminal's Ctrl-C, once the XLSX writer has started."""
    out, before = previous
    proc = harness("-", 0, cat, out, formats, start_new_session=True)
    assert proc.stdout is not None
    assert proc.stdout.readline().strip() == "XLSX"
    time.sleep(delay)
    os.killpg(proc.pid, signal.SIGINT)
    _stdout, stderr = proc.communicate(timeout=120)
    if proc.returncode == 0 or (proc.returncode == 130 and "unchanged" not in stderr):
        # the signal came after the new export was published: it is whole, and nobody claims otherwise
        assert (out / "powers.xlsx").is_file() and hidden(out.parent) == []
        assert snapshot(out) != before
        return
    assert_clean_interrupt(proc.returncode, stderr, out, before)


# ---------------------------------------------------------------------------------- item 10: audit report, neutraliser


def test_audit_html_has_a_strict_content_security_policy(make_catalog, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    import base64
    import hashlib
    import re

    from powerlist import api
    from powerlist.audit import write_report

    root = make_catalog({"powers/water/SL-XK-001.yaml": power("SL-XK-001", "<script>alert(1)</script>")})
    out = tmp_path / "audit.html"
    write_report(api.audit(root, api.settings_for(root), "en"), out)
    page = out.read_text(encoding="utf-8")
    csp = re.search(r'<meta http-equiv="Content-Security-Policy" content="([^"]+)">', page)
    assert csp is not None and page.index(csp.group(0)) < page.index("<style>")
    rules = dict(part.strip().split(" ", 1) for part in csp.group(1).split(";"))
    assert rules["default-src"] == "'none'" and rules["script-src"] == "'none'" and rules["base-uri"] == "'none'"
    style = page[page.index("<style>") + 7:page.index("</style>")]
    digest = base64.b64encode(hashlib.sha256(style.encode()).digest()).decode()
    assert rules["style-src"] == f"'sha256-{digest}'"  # only this stylesheet; no 'unsafe-inline'
    assert "<script>alert" not in page


def test_audit_xlsx_neutralises_formula_text(make_catalog, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from powerlist import api
    from powerlist.audit import write_report

    evil = "\uff1dHYPERLINK(\"http://x\")"
    # Both powers name a body that does not exist: findings name them, so their names are in the report.
    nobody = {f"SL-XK-00{i}": power(f"SL-XK-00{i}", n).replace("body: city-water", "body: no-such-body")
              for i, n in ((1, "=1+1\x01"), (2, evil))}
    root = make_catalog({f"powers/water/{k}.yaml": v for k, v in nobody.items()})
    out = tmp_path / "audit.xlsx"
    report = api.audit(root, api.settings_for(root), "zh")
    assert {r.name for r in report.findings} >= {"=1+1\x01", evil}
    write_report(report, out)
    texts = [c.value for ws in load_workbook(out).worksheets for row in ws.iter_rows() for c in row
             if isinstance(c.value, str)]
    assert "'=1+1" in texts and "'" + evil in texts
    assert not any(t.startswith(("=", "\uff1d")) for t in texts)


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t", "\r", "\uff1d", "\uff0b", "\uff0d", "\uff20",
                                   "\u200b=", "\ufeff=", " =", "\n=", "\u3000=", "\r\n+"])
def test_neutraliser_covers_owasp_full_width_and_hidden_starts(start: str) -> None:
    assert neutralise(start + "SUM(1+1)") == "'" + start + "SUM(1+1)"


def test_neutraliser_drops_control_characters_and_leaves_plain_text() -> None:
    assert neutralise("\x00=SUM(1+1)") == "'=SUM(1+1)" and neutralise("\x01取水\x1f许可") == "取水许可"
    for plain in ("取水许可", "a=b", " 取水", "", "  ", "第一条\n第二条", "'already"):
        assert neutralise(plain) == plain


def test_neutraliser_covers_every_start_libreoffice_evaluated() -> None:
    """The evidence (bench/spreadsheet_probe.py against a real LibreOffice Calc): every cell
    beginning LibreOffice ran as a formula is neutralised by the export, and once neutralised the
    same cell was not run."""
    data = json.loads(DATA.read_text(encoding="utf-8"))
    assert data["libreoffice"].startswith("LibreOffice ") and data["commands"]
    evaluated = [name for name, row in data["candidates"].items() if row["csv"] or row["xlsx"]]
    assert "equals" in evaluated  # the probe did see formulas: the table is not vacuous
    for name in evaluated:
        cell = data["candidates"][name]["cell"]
        safe = neutralise(cell)
        assert safe.startswith("'") and "\x00" not in safe, name
    for name, row in data["candidates"].items():
        assert not row["csv_neutralised"] and not row["xlsx_neutralised"], name


def test_control_characters_do_not_crash_the_export(make_catalog, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    root = make_catalog({"powers/water/SL-XK-001.yaml": power("SL-XK-001", "\x00=SUM(1+1)\x01取水许可")})
    done = api.export(root, tmp_path / "public", formats="csv,xlsx", allow_errors=True)
    raw = (done.out / "powers.csv").read_bytes()
    assert b"\x00" not in raw and b"\x01" not in raw and "'=SUM(1+1)取水许可".encode() in raw
    ws = load_workbook(done.out / "powers.xlsx").worksheets[1]
    assert ws["C2"].value == "'=SUM(1+1)取水许可"

"""powerlist export: every format read back and compared with the cleaned catalogue; safety of
the output folder (escaping, formula injection, atomic replace, refusals)."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import sqlite3
import subprocess
from pathlib import Path

import pytest
from casefiles import GOOD_POWER

from powerlist import api
from powerlist.api import check, settings_for
from powerlist.diagnostics import Severity
from powerlist.export import FORMATS, ExportBlocked, Exported, ExportError
from powerlist.export.clean import file_names
from powerlist.export.outdir import MANIFEST, Staging
from powerlist.export.rows import HEADERS, neutralise

ROOT = Path(__file__).resolve().parent.parent
EVIL = '=HYPERLINK("http://evil.example")<script>alert(1)</script>'


def variant(ident: str, name: str, *, status: str = "active", body: str = "city-water", extra: str = "") -> str:
    text = GOOD_POWER.replace("id: SL-XK-001", f"id: {ident}").replace("name: 取水许可", f"name: {json.dumps(name)}")
    text = text.replace("status: active", f"status: {status}").replace("body: city-water", f"body: {body}")
    return text + extra


WAIVE_J001 = "waivers:\n  - code: J001\n    reason: 经市政府批准联合实施（某政发〔2023〕5号）\n"


@pytest.fixture
def small(make_catalog) -> Path:  # type: ignore[no-untyped-def]
    """A clean catalogue: a licence held by two bodies with the J001 finding waived on both, a suspended
    power whose name attempts script and formula injection, and an abolished power."""
    return make_catalog({
        "powers/water/SL-XK-001.yaml": "# 取水许可：保留注释\n" + variant("SL-XK-001", "取水许可", extra=WAIVE_J001),
        "powers/market/SC-XK-001.yaml": variant("SC-XK-001", "取水许可", body="city-market", extra=WAIVE_J001),
        "powers/water/SL-XK-002.yaml": variant("SL-XK-002", EVIL, status="suspended"),
        "powers/water/SL-XK-003.yaml": variant("SL-XK-003", "拍卖特种行业许可", status="abolished",
                                               extra="abolished_by: gf-2017-46\n"),
    })


@pytest.fixture
def exported(small: Path, tmp_path: Path) -> Exported:
    return api.export(small, tmp_path / "public")


def published_ids(done: Exported) -> list[str]:
    return [e.power.id for e in done.cleaned.powers]


# ---------------------------------------------------------------------------------- cleaning


def test_small_catalogue_is_clean_and_abolished_power_left_out(small: Path, exported: Exported) -> None:
    result = check(small, settings_for(small)).result
    assert result.errors == 0 and len(result.waived) == 2
    assert sorted(published_ids(exported)) == ["SC-XK-001", "SL-XK-001", "SL-XK-002"]
    assert [(d.entry.id, d.reason) for d in exported.cleaned.dropped] == [("SL-XK-003", "status")]


def test_errors_block_the_export_and_nothing_is_written(make_catalog, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    root = make_catalog({"powers/police/GA-XK-001.yaml": variant("GA-XK-001", "拍卖特种行业许可")})
    with pytest.raises(ExportBlocked) as info:
        api.export(root, tmp_path / "public")
    assert [d.code for d in info.value.errors] == ["A001"]
    assert not (tmp_path / "public").exists()
    assert [p.name for p in tmp_path.iterdir()] == ["cat"]  # no temporary folder left behind


def test_allow_errors_drops_cancelled_power_and_records_the_errors(make_catalog, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    root = make_catalog({
        "powers/water/SL-XK-001.yaml": GOOD_POWER,
        "powers/police/GA-XK-001.yaml": variant("GA-XK-001", "拍卖特种行業許可"),  # traditional characters
    })
    done = api.export(root, tmp_path / "public", allow_errors=True)
    assert published_ids(done) == ["SL-XK-001"]
    assert [(d.entry.id, d.reason, d.decision) for d in done.cleaned.dropped] == [("GA-XK-001", "decision", "gf-2017-46")]
    manifest = json.loads((tmp_path / "public" / MANIFEST).read_text(encoding="utf-8"))
    assert [(e["code"], e["entry"]) for e in manifest["errors_allowed"]] == [("A001", "GA-XK-001")]
    assert manifest["dropped"][0]["decision"] == "gf-2017-46"


def test_broken_and_repeated_powers_stay_in_yaml_only(make_catalog, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    broken = GOOD_POWER.replace("SL-XK-001", "SL-XK-009").replace("status: active", "status: 作废")  # S013
    root = make_catalog({
        "powers/water/SL-XK-001.yaml": GOOD_POWER,
        "powers/water/z-copy.yaml": variant("SL-XK-001", "取水许可（延续）"),
        "powers/water/SL-XK-009.yaml": broken,
    })
    done = api.export(root, tmp_path / "public", formats="yaml,csv,sqlite", allow_errors=True)
    assert published_ids(done) == ["SL-XK-001"]
    assert sorted(p for p, _ in done.cleaned.skipped) == ["powers/water/SL-XK-009.yaml", "powers/water/z-copy.yaml"]
    assert (tmp_path / "public/yaml/powers/water/SL-XK-009.yaml").read_text(encoding="utf-8") == broken
    assert (tmp_path / "public/yaml/powers/water/z-copy.yaml").is_file()
    con = sqlite3.connect(tmp_path / "public" / "powers.sqlite")
    assert con.execute("SELECT id, path FROM powers").fetchall() == [("SL-XK-001", "powers/water/SL-XK-001.yaml")]
    con.close()
    assert done.manifest["counts"]["skipped"] == 2 and done.manifest["counts"]["powers_in_catalog"] == 3


def test_waived_cancellation_keeps_the_power(make_catalog, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    waiver = "waivers:\n  - code: A001\n    reason: 本省地方性法规另行设定（临时保留）\n"
    root = make_catalog({"powers/police/GA-XK-001.yaml": variant("GA-XK-001", "拍卖特种行业许可", extra=waiver)})
    done = api.export(root, tmp_path / "public")
    assert published_ids(done) == ["GA-XK-001"] and done.cleaned.dropped == []


# ---------------------------------------------------------------------------------- formats


def test_yaml_is_the_cleaned_catalogue_byte_for_byte_and_checks_clean(small: Path, exported: Exported) -> None:
    out = exported.out / "yaml"
    kept = sorted(p.relative_to(out).as_posix() for p in out.rglob("*.yaml"))
    source = sorted(p.relative_to(small).as_posix() for p in small.rglob("*.yaml"))
    assert kept == [p for p in source if p != "powers/water/SL-XK-003.yaml"]
    for rel in kept:
        assert (out / rel).read_bytes() == (small / rel).read_bytes()
    before = check(small, settings_for(small)).result
    again = check(out, settings_for(out)).result
    assert again.errors == 0
    assert sorted(d.fingerprint() for d in again.waived) == sorted(d.fingerprint() for d in before.waived)


def test_csv_rows_headers_bom_and_formula_injection(exported: Exported) -> None:
    raw = (exported.out / "powers.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"), newline="")))
    assert tuple(rows[0]) == HEADERS and rows[0][:8] == ["序号", "事项编码", "事项名称", "子项名称", "职权类别",
                                                            "实施主体", "联合实施主体", "设定依据"]
    body = rows[1:]
    assert [r[1] for r in body] == published_ids(exported)
    assert [r[0] for r in body] == [str(n) for n in range(1, len(body) + 1)]
    evil = next(r for r in body if r[1] == "SL-XK-002")
    assert evil[2] == "'" + EVIL and evil[11] == "暂停实施"
    water = next(r for r in body if r[1] == "SL-XK-001")
    assert water[5] == "某市水务局" and water[7].startswith("《中华人民共和国水法》第四十八条")
    assert water[8] == "20个工作日" and water[9] == "10个工作日"


def test_xlsx_sheets_rows_layout_and_injection(exported: Exported) -> None:
    from openpyxl import load_workbook

    wb = load_workbook(exported.out / "powers.xlsx")
    cats = list(exported.cleaned.by_category)
    assert wb.sheetnames == ["汇总", *cats]
    total = 0
    for cat in cats:
        ws = wb[cat]
        assert ws.freeze_panes == "A2"
        assert [c.value for c in ws[1]] == list(HEADERS)
        assert ws.column_dimensions["C"].width >= 20 and ws["C2"].alignment.wrap_text
        ids = [ws.cell(row=r, column=2).value for r in range(2, ws.max_row + 1)]
        assert ids == [e.power.id for e in exported.cleaned.by_category[cat]]
        total += len(ids)
        for r in range(2, ws.max_row + 1):
            cell = ws.cell(row=r, column=3)
            assert cell.data_type == "s"  # never a formula
            if ws.cell(row=r, column=2).value == "SL-XK-002":
                assert cell.value == "'" + EVIL
    assert total == len(exported.cleaned.powers)
    summary = wb["汇总"]
    assert summary.freeze_panes == "A2"
    last = [c.value for c in summary[summary.max_row]]
    assert last[0] == "合计" and last[-1] == len(exported.cleaned.powers)
    by_body = {summary.cell(row=r, column=1).value: summary.cell(row=r, column=summary.max_column).value
               for r in range(2, summary.max_row)}
    assert by_body == {"某市水务局": 2, "某市市场监督管理局": 1, "某市某区人民政府": 0}


def test_json_matches_its_schema_and_resolves_bodies_and_laws(exported: Exported) -> None:
    import jsonschema

    doc = json.loads((exported.out / "powers.json").read_text(encoding="utf-8"))
    schema = json.loads((ROOT / "schemas" / "export.schema.json").read_text(encoding="utf-8"))
    jsonschema.validate(doc, schema)
    assert [p["id"] for p in doc["powers"]] == published_ids(exported)
    assert doc["counts"]["powers"] == len(doc["powers"])
    water = next(p for p in doc["powers"] if p["id"] == "SL-XK-001")
    assert water["body"] == {"id": "city-water", "name": "某市水务局", "level": "市级"}
    first = water["basis"][1]
    assert first["law"] == "water-permit-reg"
    assert first["instrument"]["title"] == "取水许可和水资源费征收管理条例"
    assert first["instrument"]["law_id"] == "water-permit-reg"
    assert [s["id"] for s in water["steps"]] == ["accept", "refuse", "review", "decide", "serve"]
    bad = {**doc, "powers": [{**doc["powers"][0], "unexpected": 1}]}
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(bad, schema)


def test_sqlite_tables_keys_and_queries(exported: Exported) -> None:
    con = sqlite3.connect(exported.out / "powers.sqlite")
    try:
        powers = exported.cleaned.powers
        assert con.execute("SELECT count(*) FROM powers").fetchone()[0] == len(powers)
        steps = sum(len(e.power.process.steps) for e in powers if e.power.process)
        assert con.execute("SELECT count(*) FROM steps").fetchone()[0] == steps
        edges = sum(len(s.next) for e in powers if e.power.process for s in e.power.process.steps)
        assert con.execute("SELECT count(*) FROM edges").fetchone()[0] == edges
        rows = con.execute("SELECT b.name, count(*) FROM powers p JOIN bodies b ON b.id = p.body_id "
                           "GROUP BY b.name ORDER BY b.name").fetchall()
        assert dict(rows) == {"某市水务局": 2, "某市市场监督管理局": 1}
        law = con.execute("SELECT l.title FROM basis x JOIN laws l ON l.id = x.law_id WHERE x.power_id = 'SL-XK-001' "
                          "ORDER BY x.seq").fetchall()
        assert law == [("中华人民共和国水法",), ("取水许可和水资源费征收管理条例",)]
        cond = con.execute("SELECT condition FROM edges WHERE power_id='SL-XK-001' AND to_step='refuse'").fetchone()
        assert cond == ("材料不符合要求",)
        assert con.execute("PRAGMA foreign_key_check").fetchall() == []
        indexes = {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type='index'")}
        assert {"powers_body", "powers_category", "basis_law"} <= indexes
        plan = " ".join(str(r) for r in con.execute("EXPLAIN QUERY PLAN SELECT * FROM powers WHERE body_id='city-water'"))
        assert "powers_body" in plan
    finally:
        con.close()


def test_html_escapes_every_text(exported: Exported) -> None:
    site = exported.out / "site"
    index = (site / "index.html").read_text(encoding="utf-8")
    page = (site / "p" / "SL-XK-002.html").read_text(encoding="utf-8")
    for text in (index, page):
        assert "<script>alert" not in text
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in text
    assert index.count("<script") == 1 and 'src="assets/site.js"' in index
    assert "<script" not in page
    assert len(list((site / "p").glob("*.html"))) == len(exported.cleaned.powers)
    for text in (index, page, (site / "summary.html").read_text(encoding="utf-8")):
        assert "http://" not in text.replace('"http://www.w3.org/2000/svg"', "").replace("http://evil.example", "")
        assert "https://" not in text


def test_markdown_one_list_per_body(exported: Exported) -> None:
    md = exported.out / "md"
    water = (md / "city-water.md").read_text(encoding="utf-8")
    assert water.startswith("# 某市水务局 权力清单")
    assert water.count("\n1. ") == len(exported.cleaned.by_body["city-water"])
    assert "\\<script\\>" in water and "<script>" not in water
    assert "（无）" in (md / "district-gov.md").read_text(encoding="utf-8")
    index = (md / "README.md").read_text(encoding="utf-8")
    assert "[某市水务局](city-water.md)：2 项" in index


def test_manifest_checksums_and_counts(exported: Exported) -> None:
    out = exported.out
    manifest = json.loads((out / MANIFEST).read_text(encoding="utf-8"))
    on_disk = sorted(p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file() and p.name != MANIFEST)
    assert sorted(manifest["files"]) == on_disk
    for rel, meta in manifest["files"].items():
        data = (out / rel).read_bytes()
        assert meta == {"sha256": hashlib.sha256(data).hexdigest(), "bytes": len(data)}
    counts = manifest["counts"]
    assert counts["powers_in_catalog"] == 4 and counts["powers_published"] == 3 and counts["abolished_dropped"] == 1
    assert manifest["formats"] == list(FORMATS) and manifest["errors_allowed"] == []
    assert manifest["source"]["commit"] is None  # the catalogue is not in git
    assert manifest["generated_at"].endswith("Z")


def test_manifest_records_the_source_commit(small: Path, tmp_path: Path) -> None:
    def git(*args: str) -> str:
        return subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@example.invalid", *args], cwd=small,
                              check=True, capture_output=True, text=True).stdout.strip()

    git("init", "-q")
    git("add", ".")
    git("commit", "-q", "-m", "catalogue")
    done = api.export(small, tmp_path / "public", formats=["csv"])
    assert done.manifest["source"] == {"catalog": "cat", "commit": git("rev-parse", "HEAD"), "dirty": False}


# ---------------------------------------------------------------------------------- the output folder


def test_formula_neutralisation() -> None:
    for start in ("=", "+", "-", "@", "\t", "\r"):
        assert neutralise(start + "1+1") == "'" + start + "1+1"
    assert neutralise("取水许可") == "取水许可" and neutralise("") == ""


def test_re_export_replaces_the_previous_export_whole(small: Path, exported: Exported) -> None:
    assert (exported.out / "site").is_dir()
    api.export(small, exported.out, formats="csv")
    assert sorted(p.name for p in exported.out.iterdir()) == ["manifest.json", "powers.csv"]
    assert sorted(p.name for p in exported.out.parent.iterdir()) == ["cat", "public"]


@pytest.mark.parametrize("exc", [RuntimeError("disk full"), KeyboardInterrupt()])
def test_interrupted_export_leaves_the_previous_one_whole(small: Path, exported: Exported, monkeypatch: pytest.MonkeyPatch,
                                                          exc: BaseException) -> None:
    from powerlist.export import html

    before = {p.relative_to(exported.out).as_posix(): p.read_bytes() for p in exported.out.rglob("*") if p.is_file()}
    real = html.Site.power

    def power_then_fail(self: html.Site, e):  # type: ignore[no-untyped-def]
        if e.power.id == "SL-XK-002":
            raise exc
        return real(self, e)

    monkeypatch.setattr(html.Site, "power", power_then_fail)
    with pytest.raises(type(exc)):
        api.export(small, exported.out)
    after = {p.relative_to(exported.out).as_posix(): p.read_bytes() for p in exported.out.rglob("*") if p.is_file()}
    assert after == before
    assert sorted(p.name for p in exported.out.parent.iterdir()) == ["cat", "public"]


def test_a_failure_the_site_process_cannot_pickle_still_fails_the_export(small: Path, exported: Exported,
                                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    from powerlist.export import html

    class Local(Exception):  # a class defined in a function cannot be pickled
        pass

    def fail(cleaned, staging):  # type: ignore[no-untyped-def]
        raise Local("template missing")

    monkeypatch.setattr(html, "write", fail)
    before = (exported.out / MANIFEST).read_bytes()
    with pytest.raises(Exception, match="template missing"):
        api.export(small, exported.out)
    assert (exported.out / MANIFEST).read_bytes() == before
    assert sorted(p.name for p in exported.out.parent.iterdir()) == ["cat", "public"]


def test_refuses_unsafe_targets_and_writes_nothing(small: Path, tmp_path: Path) -> None:
    precious = tmp_path / "docs"
    precious.mkdir()
    (precious / "notes.txt").write_text("keep me", encoding="utf-8")
    a_file = tmp_path / "file.txt"
    a_file.write_text("x", encoding="utf-8")
    link = tmp_path / "link"
    link.symlink_to(precious)
    for target in (small / "public", small, tmp_path, precious, a_file, link):
        with pytest.raises(ExportError):
            api.export(small, target)
    assert (precious / "notes.txt").read_text(encoding="utf-8") == "keep me"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["cat", "docs", "file.txt", "link"]
    assert not (small / "public").exists()


def test_staging_never_writes_outside(tmp_path: Path) -> None:
    with Staging(tmp_path / "out") as st:
        for bad in ("../escape.txt", "/etc/x", "a/../../b", "", "a\\..\\b"):
            with pytest.raises(ValueError):
                st.path(bad)
        st.write_text("a/b.txt", "ok")
    assert sorted(p.name for p in tmp_path.iterdir()) == []  # not committed: removed


def test_file_names_are_safe_and_unique() -> None:
    names = file_names(["SL-XK-001", "../../etc/passwd", "sl-xk-001", "a/b", "README"], reserved=("README",))
    assert names["SL-XK-001"] == "SL-XK-001"
    assert len({n.lower() for n in names.values()}) == 5
    for n in names.values():
        assert "/" not in n and ".." not in n and n.lower() != "readme"


def test_unknown_format_is_refused(small: Path, tmp_path: Path) -> None:
    with pytest.raises(ExportError):
        api.export(small, tmp_path / "public", formats="csv,pdf")
    assert not (tmp_path / "public").exists()


# ---------------------------------------------------------------------------------- the command


def test_cli_export_success_blocked_and_bad_target(run_cli, small: Path, make_catalog, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "public"
    ok = run_cli("export", small, "--out", out, "--format", "csv,json", "--lang", "en")
    assert ok.exit_code == 0, ok.output
    assert "Exported 3 powers (1 abolished left out)" in ok.stdout
    assert sorted(p.name for p in out.iterdir()) == ["manifest.json", "powers.csv", "powers.json"]
    inside = run_cli("export", small, "--out", small / "x")
    assert inside.exit_code == 2 and "inside the catalogue" in inside.stderr
    bad = run_cli("export", small, "--out", out, "--format", "pdf")
    assert bad.exit_code == 2 and "pdf" in bad.stderr


def test_cli_export_lists_errors_and_exits_1(run_cli, make_catalog, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    root = make_catalog({"powers/police/GA-XK-001.yaml": variant("GA-XK-001", "拍卖特种行业许可")})
    blocked = run_cli("export", root, "--out", tmp_path / "public", "--lang", "en")
    assert blocked.exit_code == 1
    assert "A001" in blocked.stdout and "GA-XK-001.yaml" in blocked.stdout
    assert "Nothing exported" in blocked.stderr and not (tmp_path / "public").exists()
    allowed = run_cli("export", root, "--out", tmp_path / "public", "--allow-errors", "--lang", "en")
    assert allowed.exit_code == 0 and "1 error(s) let through" in allowed.stderr


# ---------------------------------------------------------------------------------- the demo catalogue


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Exported:
    return api.export(ROOT / "catalog", tmp_path_factory.mktemp("demo") / "public", allow_errors=True)


def test_demo_every_format_has_one_row_per_published_power(demo: Exported) -> None:
    from openpyxl import load_workbook

    ids = published_ids(demo)
    out = demo.out
    assert len(ids) == len(set(ids)) > 50
    rows = list(csv.reader(io.StringIO((out / "powers.csv").read_text(encoding="utf-8-sig"), newline="")))[1:]
    assert [r[1] for r in rows] == ids
    wb = load_workbook(out / "powers.xlsx", read_only=True)
    xlsx_ids = [r[1] for name in wb.sheetnames[1:] for r in wb[name].iter_rows(min_row=2, values_only=True)]
    assert sorted(xlsx_ids) == sorted(ids)
    doc = json.loads((out / "powers.json").read_text(encoding="utf-8"))
    assert [p["id"] for p in doc["powers"]] == ids
    con = sqlite3.connect(out / "powers.sqlite")
    assert [r[0] for r in con.execute("SELECT id FROM powers ORDER BY seq")] == ids
    con.close()
    assert len(list((out / "site" / "p").glob("*.html"))) == len(ids)
    md_items = sum(p.read_text(encoding="utf-8").count("\n1. ") for p in (out / "md").glob("*.md"))
    assert md_items == len(ids)
    yaml_powers = list((out / "yaml" / "powers").rglob("*.yaml"))
    assert len(yaml_powers) == len(ids) + len(demo.cleaned.skipped)


def test_demo_cancelled_powers_are_dropped_and_errors_recorded(demo: Exported) -> None:
    cancelled = {d.entry for d in demo.allowed if d.code == "A001"}
    assert cancelled, "the demo plants a cancelled power that is still listed"
    assert cancelled <= {d.entry.id for d in demo.cleaned.dropped if d.reason == "decision"}
    assert len(demo.manifest["errors_allowed"]) == len(demo.allowed) == sum(
        1 for d in check(ROOT / "catalog", settings_for(ROOT / "catalog")).result.diagnostics if d.severity is Severity.ERROR)


def test_demo_yaml_rechecks_with_only_errors_let_through_and_waivers_kept(demo: Exported) -> None:
    source = check(ROOT / "catalog", settings_for(ROOT / "catalog")).result
    again = check(demo.out / "yaml", settings_for(demo.out / "yaml")).result
    allowed = {d.fingerprint() for d in demo.allowed}
    new = [d for d in again.diagnostics if d.severity is Severity.ERROR and d.fingerprint() not in allowed]
    assert new == []
    assert again.errors < len(demo.allowed)  # the cancelled power's error left with it
    assert sorted(d.fingerprint() for d in again.waived) == sorted(d.fingerprint() for d in source.waived)
    # the configuration and the upper list inside the catalogue come along, each in its own place
    for rel in ("powerlist.toml", "upper/powerlist.toml", "upper/bodies.yaml", "upper/powers/JN-XK-016.yaml"):
        assert (demo.out / "yaml" / rel).read_bytes() == (ROOT / "catalog" / rel).read_bytes(), rel
    assert {d.code for d in again.diagnostics} >= {"U001", "U003", "U004", "U008"}

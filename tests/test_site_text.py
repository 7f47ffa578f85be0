"""Issue 14, items 11 and 13, read from the generated HTML (the browser test sees the same in
Chromium): the --allow-errors banner and the footer's date and version on every page; search
folding (traditional, width, case) and the summary's links to the filtered list."""

from __future__ import annotations

import re
import subprocess
from datetime import datetime, timedelta, timezone
from html import unescape
from pathlib import Path
from urllib.parse import parse_qs

import pytest
from casefiles import GOOD_POWER

from powerlist import api
from powerlist.export import Exported
from powerlist.export.searchfold import fold, fold_table, t2s_chars, table_text

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Exported:
    return api.export(ROOT / "catalog", tmp_path_factory.mktemp("demo") / "public", formats="html", allow_errors=True)


def pages(done: Exported) -> dict[str, str]:
    site = done.out / "site"
    return {str(p.relative_to(site)): p.read_text(encoding="utf-8") for p in sorted(site.rglob("*.html"))}


def footer(page: str) -> str:
    m = re.search(r'<footer class="site">(.*?)</footer>', page, re.S)
    assert m, "no footer"
    return unescape(re.sub(r"<[^>]+>", " ", m.group(1)))


def beijing_date(stamp: str) -> str:
    return datetime.fromisoformat(stamp.replace("Z", "+00:00")).astimezone(timezone(timedelta(hours=8))).date().isoformat()


# ---------------------------------------------------------------------------- item 11


def test_every_page_of_a_list_with_errors_says_so_with_the_count(demo: Exported) -> None:
    n = len(demo.allowed)
    assert n > 0
    every = pages(demo)
    assert len(every) == len(demo.cleaned.powers) + 2  # index, summary, one page per power
    for name, page in every.items():
        alerts = re.findall(r'<div class="alert" role="alert">(.*?)</div>', page, re.S)
        assert len(alerts) == 1, name
        text = unescape(re.sub(r"<[^>]+>", "", alerts[0]))
        assert text.startswith(f"注意：本清单含 {n} 处未解决的错误，发布时已放行（--allow-errors）"), name
        assert page.index('role="alert"') < page.index("<main>"), name  # before the content
        assert "已审核" not in page, name
        assert f"放行了 {n} 处未解决的错误" in footer(page), name


def test_every_page_carries_publication_date_and_catalogue_version(demo: Exported) -> None:
    date = beijing_date(demo.manifest["generated_at"])
    commit = demo.manifest["source"]["commit"]
    assert commit  # the demo lives in this repository
    for name, page in pages(demo).items():
        foot = footer(page)
        assert f"发布日期： {date} " in foot or f"发布日期：{date}" in foot.replace(" ", ""), name
        assert f"目录版本：{commit[:12]}" in foot.replace(" ", ""), name


def test_a_clean_list_has_no_banner_and_says_it_was_reviewed(make_catalog, tmp_path: Path,  # type: ignore[no-untyped-def]
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")  # 2023-11-14 22:13 UTC: already the 15th in China
    root = make_catalog({"powers/water/SL-XK-001.yaml": GOOD_POWER})
    done = api.export(root, tmp_path / "public", formats="html")
    assert done.allowed == []
    for name, page in pages(done).items():
        assert 'role="alert"' not in page, name
        foot = footer(page).replace(" ", "")
        assert "根据已审核的目录生成" in foot and "发布日期：2023-11-15" in foot, name
        assert "目录版本：未记录" in foot, name  # not in git: said, not left blank


def test_the_version_is_the_catalogues_commit_and_says_when_it_has_changes(make_catalog, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    root = make_catalog({"powers/water/SL-XK-001.yaml": GOOD_POWER})

    def git(*args: str) -> str:
        return subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@example.invalid", *args], cwd=root,
                              check=True, capture_output=True, text=True).stdout.strip()

    git("init", "-q")
    git("add", ".")
    git("commit", "-q", "-m", "catalogue")
    head = git("rev-parse", "HEAD")
    foot = footer((api.export(root, tmp_path / "a", formats="html").out / "site" / "index.html").read_text("utf-8"))
    assert f"目录版本：{head[:12]}" in foot and "未提交" not in foot
    (root / "bodies.yaml").write_text((root / "bodies.yaml").read_text("utf-8") + "\n", encoding="utf-8")
    foot = footer((api.export(root, tmp_path / "b", formats="html").out / "site" / "index.html").read_text("utf-8"))
    assert f"目录版本：{head[:12]}（含未提交的修改）" in foot


# ---------------------------------------------------------------------------- item 13


def test_fold_table_maps_traditional_to_simplified_for_the_catalogues_characters() -> None:
    full = t2s_chars()
    assert full["務"] == "务" and full["東"] == "东" and "水" not in full
    table = fold_table(["临川市水务局 取水许可"])
    assert table["務"] == "务" and table["許"] == "许"
    assert "東" not in table  # 东 is not in the text: not shipped
    assert fold("臨川市水務局 ＳＬ－ＸＫ－００１", table) == "临川市水务局 sl-xk-001"


def test_index_ships_a_compact_table_and_folded_rows(demo: Exported) -> None:
    index = (demo.out / "site" / "index.html").read_text(encoding="utf-8")
    m = re.search(r'data-fold="([^"]*)"', index)
    assert m
    pairs = unescape(m.group(1))
    assert len(pairs) % 2 == 0 and "務务" in pairs
    assert len(pairs) // 2 < len(t2s_chars()) // 2  # only what this catalogue needs
    assert pairs == table_text(dict(zip(pairs[::2], pairs[1::2], strict=True)))
    rows = re.findall(r'data-q="([^"]*)"', index)
    assert len(rows) == len(demo.cleaned.powers)
    assert all(r == r.lower() and "務" not in r for r in rows)
    assert sum("水务" in r for r in rows) > 0


def test_summary_bars_and_counts_link_to_the_filtered_list(demo: Exported) -> None:
    summary = (demo.out / "site" / "summary.html").read_text(encoding="utf-8")
    cl = demo.cleaned
    for ident, key, groups in (("chart-cat", "cat", cl.by_category), ("chart-body", "body", cl.by_body)):
        chart = re.search(rf'<ul class="bars" id="{ident}"[^>]*>(.*?)</ul>', summary, re.S)
        assert chart
        links = re.findall(r'<a href="index\.html#([^"]+)">.*?<span class="bar-n">(\d+)', chart.group(1))
        assert len(links) == len(groups)
        for frag, n in links:
            value = parse_qs(unescape(frag))[key][0]
            assert int(n) == len(groups[value])
    # a cell of the distribution table leads to the list filtered by both
    assert re.search(r'<td class="num"><a href="index\.html#body=[^"&]+&amp;cat=[^"]+">\d+</a></td>', summary)


def test_steps_table_has_labels_for_the_phone_cards_and_no_zero_days_at_an_end(demo: Exported) -> None:
    target = next(e.power for e in demo.cleaned.powers
                  if e.power.process and any(not s.next and s.days == 0 for s in e.power.process.steps))
    page = (demo.out / "site" / "p" / f"{target.id}.html").read_text(encoding="utf-8")
    table = re.search(r'<table class="steps">(.*?)</table>', page, re.S)
    assert table and 'data-label="谁来办"' in table.group(1)
    cells = dict(re.findall(r'<tr><td data-label="环节">(.*?)</td>.*?<td class="num" data-label="时限">(.*?)</td>',
                            table.group(1)))
    assert target.process is not None and len(cells) == len({s.name for s in target.process.steps})
    for s in target.process.steps:
        if not s.next and s.days == 0:
            assert cells[s.name] == "", s.name
        elif s.days is not None:
            assert cells[s.name].startswith(f"{s.days:g}个"), s.name

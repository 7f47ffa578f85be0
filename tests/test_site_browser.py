"""The exported site in a real headless Chromium (Debian's chromium + chromium-driver and a Chinese
font, installed by `make browser`, which `make test` runs first): filtering as you type, a power
page with its flowchart, escaping, the phone layout and the print stylesheet; and (issue 14, items
11-13) the --allow-errors banner, flowchart text whole and at least 12px on a phone, search that
folds traditional characters, the filter kept in the address, summary bars that lead to the
filtered list, no console errors. Opened from file://, offline.

Screenshots of the index, a power page and the summary at phone (375px) and desktop (1280px)
width are written to tests/.artifacts/screenshots/<page>-<width>.png (ignored by git) for a
person to look at; the assertions never read them."""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from powerlist import api
from powerlist.export import Exported

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"
SHOTS = ROOT / "tests" / ".artifacts" / "screenshots"
PHONE, DESKTOP = (375, 812), (1280, 900)
POWER = "SL-XK-001"  # 取水许可: conditions on its edges, long legal text in its steps


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Exported:
    return api.export(ROOT / "catalog", tmp_path_factory.mktemp("site") / "public", formats="html", allow_errors=True)


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[object]:
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    for exe in (CHROMIUM, CHROMEDRIVER):
        assert shutil.which(exe), f"{exe} is missing: run `make browser` (Debian packages chromium, chromium-driver)"
    opts = webdriver.ChromeOptions()
    opts.binary_location = CHROMIUM
    opts.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    for arg in ("--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-default-apps", "--no-first-run", "--window-size=1200,900",
                f"--user-data-dir={tmp_path_factory.mktemp('chromium-profile')}"):
        opts.add_argument(arg)
    # An explicit driver path: selenium-manager is never asked to download anything.
    driver = webdriver.Chrome(service=Service(executable_path=CHROMEDRIVER), options=opts)
    driver.set_page_load_timeout(30)
    try:
        yield driver
    finally:
        driver.quit()


def visible_rows(driver) -> list:  # type: ignore[no-untyped-def,type-arg]
    from selenium.webdriver.common.by import By

    return [r for r in driver.find_elements(By.CSS_SELECTOR, "#powers tbody tr") if r.is_displayed()]


def test_index_filters_as_you_type_and_links_to_the_flowchart(site: Exported, browser) -> None:  # type: ignore[no-untyped-def]
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select, WebDriverWait

    driver = browser
    driver.set_window_size(1200, 900)
    driver.get((site.out / "site" / "index.html").as_uri())
    powers = site.cleaned.powers
    assert len(visible_rows(driver)) == len(powers)
    texts = [r.get_attribute("data-q") for r in driver.find_elements(By.CSS_SELECTOR, "#powers tbody tr")]

    box = driver.find_element(By.ID, "f-q")
    word = "许可"
    box.send_keys(word)
    want = sum(1 for t in texts if word in t)
    assert 0 < want < len(powers)
    WebDriverWait(driver, 10).until(lambda d: len(visible_rows(d)) == want)
    assert driver.find_element(By.ID, "f-count").text == f"显示 {want} / {len(powers)} 项"

    target = powers[len(powers) // 2].power
    box.clear()
    box.send_keys(target.id.lower())
    want = sum(1 for t in texts if target.id.lower() in t)
    WebDriverWait(driver, 10).until(lambda d: len(visible_rows(d)) == want)

    box.clear()
    box.send_keys(" ")  # clear() fires no input event; a space (no words) shows every row again
    WebDriverWait(driver, 10).until(lambda d: len(visible_rows(d)) == len(powers))
    Select(driver.find_element(By.ID, "f-body")).select_by_value(target.body)
    WebDriverWait(driver, 10).until(lambda d: len(visible_rows(d)) == len(site.cleaned.by_body[target.body]))
    Select(driver.find_element(By.ID, "f-cat")).select_by_value(target.category)
    both = sum(1 for e in site.cleaned.by_body[target.body] if e.power.category == target.category)
    WebDriverWait(driver, 10).until(lambda d: len(visible_rows(d)) == both)

    row = next(r for r in visible_rows(driver) if r.find_element(By.CSS_SELECTOR, "td:nth-child(2)").text == target.id)
    row.find_element(By.TAG_NAME, "a").click()
    WebDriverWait(driver, 10).until(lambda d: d.find_elements(By.CSS_SELECTOR, "figure.flow svg"))
    assert driver.find_element(By.TAG_NAME, "h1").text == target.name
    chart = driver.find_element(By.CSS_SELECTOR, "figure.flow svg")
    assert chart.is_displayed() and chart.size["width"] > 100
    boxes = chart.find_elements(By.CSS_SELECTOR, "g > rect")
    assert target.process is not None and len(boxes) == len({s.id for s in target.process.steps})
    labels = " ".join(t.get_attribute("textContent") for t in chart.find_elements(By.TAG_NAME, "text"))
    for step in target.process.steps:
        assert step.name[:4] in labels
    assert any("时限" in t.get_attribute("textContent") for t in chart.find_elements(By.TAG_NAME, "text"))


def test_script_in_a_name_shows_as_text(make_catalog, tmp_path: Path, browser) -> None:  # type: ignore[no-untyped-def]
    from casefiles import GOOD_POWER
    from selenium.webdriver.common.by import By

    evil = "<img src=x onerror=document.title='pwned'><script>document.title='pwned'</script>"
    root = make_catalog({"powers/water/SL-XK-001.yaml": GOOD_POWER.replace("name: 取水许可", f'name: "{evil}"')})
    done = api.export(root, tmp_path / "public", formats="html")
    for page in ("index.html", "p/SL-XK-001.html"):
        browser.get((done.out / "site" / page).as_uri())
        assert browser.title != "pwned"
        assert evil in browser.find_element(By.TAG_NAME, "main").text
        assert browser.find_elements(By.CSS_SELECTOR, "main img") == []


def test_phone_layout_and_print_stylesheet(site: Exported, browser) -> None:  # type: ignore[no-untyped-def]
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    driver = browser
    driver.get((site.out / "site" / "index.html").as_uri())
    # The stylesheet loaded (the Content-Security-Policy allows the site's own files from file://).
    assert driver.execute_script("return getComputedStyle(document.querySelector('header.site')).borderBottomStyle") == "solid"
    driver.set_window_size(390, 844)
    try:
        WebDriverWait(driver, 10).until(lambda d: not d.find_element(By.CSS_SELECTOR, "#powers thead").is_displayed())
        width = driver.execute_script("return document.documentElement.scrollWidth")
        assert width <= driver.execute_script("return window.innerWidth") + 1  # nothing wider than the phone
    finally:
        driver.set_window_size(1200, 900)
    driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": "print"})
    try:
        assert not driver.find_element(By.ID, "filters").is_displayed()
        assert visible_rows(driver)  # the list itself prints
    finally:
        driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": ""})


# ---------------------------------------------------------------------------- issue 14, items 11-13


def at_width(driver, size: tuple[int, int]) -> None:  # type: ignore[no-untyped-def]
    """Emulate a device of this size (a phone: mobile, so the viewport meta tag applies)."""
    w, h = size
    driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                           {"width": w, "height": h, "deviceScaleFactor": 1, "mobile": w < 800})


def full_page_shot(driver, path: Path) -> None:  # type: ignore[no-untyped-def]
    """The whole page, not only the first screen: what a person reading the screenshots needs."""
    import base64

    w, h = driver.execute_script("return [document.documentElement.clientWidth, document.documentElement.scrollHeight]")
    shot = driver.execute_cdp_cmd("Page.captureScreenshot", {
        "format": "png", "captureBeyondViewport": True, "clip": {"x": 0, "y": 0, "width": w, "height": h, "scale": 1}})
    path.write_bytes(base64.b64decode(shot["data"]))


def console_errors(driver) -> list[str]:  # type: ignore[no-untyped-def]
    return [e["message"] for e in driver.get_log("browser") if e["level"] in ("SEVERE", "ERROR")]


def test_a_chinese_font_is_installed() -> None:
    # Without one every Chinese character is a box and the sizes measured below mean nothing.
    out = subprocess.run(["fc-list", ":lang=zh", "family"], capture_output=True, text=True, check=False).stdout
    assert out.strip(), "no Chinese font: run `make browser` (Debian fonts-wqy-microhei)"


@pytest.mark.parametrize("size", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_every_page_warns_reads_and_logs_no_error(site: Exported, browser, size: tuple[int, int]) -> None:  # type: ignore[no-untyped-def]
    from selenium.webdriver.common.by import By

    driver = browser
    SHOTS.mkdir(parents=True, exist_ok=True)
    at_width(driver, size)
    try:
        driver.get_log("browser")  # start clean
        for name, page in (("index", "index.html"), ("power", f"p/{POWER}.html"), ("summary", "summary.html")):
            driver.get((site.out / "site" / page).as_uri())
            alert = driver.find_element(By.CSS_SELECTOR, "[role=alert]")
            assert alert.is_displayed() and f"本清单含 {len(site.allowed)} 处未解决的错误" in alert.text
            assert alert.location["y"] < driver.find_element(By.TAG_NAME, "main").location["y"]  # above the content
            assert "已审核" not in driver.find_element(By.TAG_NAME, "footer").text
            assert "发布日期" in driver.find_element(By.TAG_NAME, "footer").text
            # the page itself never scrolls sideways (a wide flowchart scrolls inside its figure)
            assert driver.execute_script("return document.documentElement.scrollWidth") <= size[0] + 1, name
            full_page_shot(driver, SHOTS / f"{name}-{size[0]}.png")
            assert console_errors(driver) == [], name
    finally:
        driver.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})


def test_flowchart_text_is_whole_inside_its_boxes_and_12px_on_a_phone(site: Exported, browser) -> None:  # type: ignore[no-untyped-def]
    from selenium.webdriver.common.by import By

    from powerlist.export.clean import unit_of
    from powerlist.export.flowtext import step_lines

    driver = browser
    at_width(driver, PHONE)
    try:
        driver.get((site.out / "site" / "p" / f"{POWER}.html").as_uri())
        power = next(e.power for e in site.cleaned.powers if e.power.id == POWER)
        assert power.process is not None
        groups = driver.find_elements(By.CSS_SELECTOR, "figure.flow svg > g")
        assert len(groups) == len(power.process.steps)
        ends = {s.id for s in power.process.steps if not s.next}
        for step, g in zip(power.process.steps, groups, strict=True):
            shown = "".join(t.get_attribute("textContent") for t in g.find_elements(By.TAG_NAME, "text"))
            assert shown == "".join(step_lines(step, unit_of(power), end=step.id in ends))  # every word, no …
        sizes = driver.execute_script(
            "return Array.from(document.querySelectorAll('figure.flow svg text'))"
            ".map(t => parseFloat(getComputedStyle(t).fontSize) * t.getScreenCTM().a)")
        assert min(sizes) >= 12
        # measured with the real font: no line runs out of its box (a cut the eye would see)
        over = driver.execute_script(
            "return Array.from(document.querySelectorAll('figure.flow svg > g')).flatMap(g => {"
            " const r = g.querySelector('rect').getBBox();"
            " return Array.from(g.querySelectorAll('text')).filter(t => { const b = t.getBBox();"
            "   return b.x + b.width > r.x + r.width + 1; }).map(t => t.textContent); })")
        assert over == []
        # the steps table: one card per step on a phone, so no cell is a column of single characters
        widths = driver.execute_script(
            "return Array.from(document.querySelectorAll('table.steps td')).filter(td => td.textContent)"
            ".map(td => td.getBoundingClientRect().width)")
        assert widths and min(widths) > PHONE[0] / 2
        assert console_errors(driver) == []
    finally:
        driver.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})


def test_summary_labels_are_readable_on_a_phone_and_bars_lead_to_the_list(site: Exported, browser) -> None:  # type: ignore[no-untyped-def]
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    driver = browser
    at_width(driver, PHONE)
    try:
        driver.get((site.out / "site" / "summary.html").as_uri())
        sizes = driver.execute_script(
            "return Array.from(document.querySelectorAll('ul.bars .bar-label'))"
            ".map(e => parseFloat(getComputedStyle(e).fontSize))")
        assert sizes and min(sizes) >= 12
        names = driver.execute_script(
            "return Array.from(document.querySelectorAll('table.dist tbody td:first-child'))"
            ".map(td => td.getBoundingClientRect().width)")
        assert names and min(names) >= 9 * 16 - 1  # a body's name is never one character a line
        assert driver.execute_script("return document.documentElement.scrollWidth") <= PHONE[0] + 1
        cat, entries = next((c, v) for c, v in site.cleaned.by_category.items() if 0 < len(v) < len(site.cleaned.powers))
        bar = next(a for a in driver.find_elements(By.CSS_SELECTOR, "#chart-cat a")
                   if a.find_element(By.CLASS_NAME, "bar-label").text == cat)
        bar.click()
        WebDriverWait(driver, 10).until(lambda d: d.find_elements(By.ID, "powers"))
        WebDriverWait(driver, 10).until(lambda d: len(visible_rows(d)) == len(entries))
        assert driver.execute_script("return document.getElementById('f-cat').value") == cat
    finally:
        driver.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})


def test_search_folds_traditional_characters_and_stays_in_the_address(site: Exported, browser) -> None:  # type: ignore[no-untyped-def]
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    driver = browser
    driver.set_window_size(*DESKTOP)
    driver.get((site.out / "site" / "index.html").as_uri())
    texts = [r.get_attribute("data-q") for r in driver.find_elements(By.CSS_SELECTOR, "#powers tbody tr")]
    want = sum(1 for t in texts if "水务" in t)
    assert 0 < want < len(texts)
    box = driver.find_element(By.ID, "f-q")
    box.send_keys("水務")  # traditional: the list is written in simplified characters
    WebDriverWait(driver, 10).until(lambda d: len(visible_rows(d)) == want)
    assert "q=" in driver.execute_script("return location.hash")
    driver.refresh()
    WebDriverWait(driver, 10).until(lambda d: d.find_element(By.ID, "f-q").get_attribute("value") == "水務")
    WebDriverWait(driver, 10).until(lambda d: len(visible_rows(d)) == want)
    box = driver.find_element(By.ID, "f-q")
    box.clear()
    box.send_keys("ＳＬ－ＸＫ")  # full width, as a Chinese input method types it
    WebDriverWait(driver, 10).until(lambda d: len(visible_rows(d)) == sum(1 for t in texts if "sl-xk" in t))
    assert console_errors(driver) == []

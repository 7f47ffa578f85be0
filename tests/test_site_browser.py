"""The exported site in a real headless Chromium (Debian's chromium + chromium-driver, installed by
`make browser`, which `make test` runs first): filtering as you type, a power page with its
flowchart, escaping, the phone layout and the print stylesheet. Opened from file://, offline."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from powerlist import api
from powerlist.export import Exported

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"


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

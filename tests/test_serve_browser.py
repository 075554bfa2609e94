"""omsgraph serve in a real browser: headless Debian Chromium driven by Playwright for Python.

Screenshots are written to build/test-artifacts/ (CI keeps them); with OMSGRAPH_UPDATE_SCREENSHOTS=1
the ones of the OMS page and the query page also replace those in docs/screenshots/ (shown in the
README).
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from .peers import require
from .test_serve import server  # noqa: F401 - the fixture: omsgraph serve on a free port

ROOT = Path(__file__).parents[1]
ARTIFACTS = ROOT / "build" / "test-artifacts"
DOCS = ROOT / "docs" / "screenshots"
CHROMIUM = Path("/usr/bin/chromium")
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
]


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        require(False, "Playwright for Python (pip install -e '.[test]')")
    require(CHROMIUM.is_file(), "Debian chromium (apt-get install chromium)")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        try:
            yield browser
        finally:
            browser.close()


def _shot(page: Any, name: str, docs: bool = False) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    target = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(target), full_page=False)
    assert target.stat().st_size > 10_000
    if docs and os.environ.get("OMSGRAPH_UPDATE_SCREENSHOTS") == "1":
        DOCS.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(target, DOCS / f"{name}.png")


def test_search_kinsbourne_to_oms_to_anti_ri(browser: Any, server: str) -> None:  # noqa: F811
    page = browser.new_page(viewport={"width": 1200, "height": 900})
    page.goto(server + "/")
    page.locator("#q").press_sequentially("Kinsbourne", delay=30)
    suggestion = page.locator("#suggestions a").first
    suggestion.wait_for(timeout=10_000)
    assert "Kinsbourne syndrome" in suggestion.inner_text()
    suggestion.click()
    page.wait_for_url("**/term/MONDO:0015247")
    assert page.locator("h1").inner_text() == "opsoclonus-myoclonus syndrome"
    _shot(page, "oms", docs=True)
    page.get_by_role("link", name="Anti-Ri antibody", exact=True).first.click()
    page.wait_for_load_state()
    assert "Anti-Ri" in page.locator("h1").inner_text()
    body = page.locator("main").inner_text()
    assert "has target antigen" in body and "NOVA1" in body  # the antigen
    assert page.locator("a.source").count() > 0  # and a source for it
    _shot(page, "anti-ri")
    page.close()


def test_overview_page(browser: Any, server: str) -> None:  # noqa: F811
    page = browser.new_page(viewport={"width": 1200, "height": 900})
    page.goto(server + "/oms")
    assert page.locator("table").count() >= 5
    _shot(page, "overview")
    page.close()


def test_run_an_example_query_and_see_rows(browser: Any, server: str) -> None:  # noqa: F811
    page = browser.new_page(viewport={"width": 1200, "height": 900})
    page.goto(server + "/sparql")
    page.select_option("#example", "antibody-antigens")
    page.click("#load-example")
    page.wait_for_load_state()
    assert "OMSG:0000302" in page.locator("#query").input_value()
    page.click("#run")
    page.wait_for_selector("#result-table")
    rows = page.locator("#result-table tr").count() - 1
    assert rows > 5
    assert "row(s)" in page.locator("#results").inner_text()
    assert page.locator("#example").input_value() == "antibody-antigens"  # the example run stays chosen
    _shot(page, "query", docs=True)
    page.close()

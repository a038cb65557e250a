"""The session report in a real browser (the system's headless Chromium driven by Playwright): `fitness report
--html` and `fitness serve` show each rep's key-frame thumbnail, loaded. Skipped without Chromium or Playwright."""

from __future__ import annotations

import os
import shutil

import pytest
from test_web_history import THUMBNAILS, db  # noqa: F401 (the fixture)

from fitness.web.history_app import create_history_app
from fitness.web.server import LiveServer

sync_api = pytest.importorskip("playwright.sync_api")

CHROMIUM = os.environ.get("FITNESS_CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="no Chromium (Debian: apt-get install chromium)")
WAIT_MS = 30_000
# (complete, natural width) of every thumbnail on the page.
THUMBS_JS = "() => Array.from(document.querySelectorAll('img.thumb'), i => [i.complete, i.naturalWidth])"


@pytest.fixture(scope="module")
def page():
    with sync_api.sync_playwright() as p:
        # --no-sandbox: Chromium refuses to sandbox itself as root, which is how CI runs.
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=["--no-sandbox"])
        yield browser.new_page(viewport={"width": 1280, "height": 900})
        browser.close()


def loaded_thumbnails(page) -> list[list]:
    page.wait_for_load_state("load", timeout=WAIT_MS)  # every image has loaded (or failed)
    return page.evaluate(THUMBS_JS)


def test_the_html_report_shows_each_thumbnail(tmp_path, db, page):  # noqa: F811
    from fitness import cli

    out = tmp_path / "report.html"
    assert cli.app(["report", "2", "--db", str(db), "--html", str(out)]) == 0
    page.goto(out.resolve().as_uri(), timeout=WAIT_MS)
    assert loaded_thumbnails(page) == [[True, 160]] * len(THUMBNAILS)
    assert page.locator("img.thumb").first.is_visible()


def test_the_served_session_page_shows_each_thumbnail(db, page):  # noqa: F811
    server = LiveServer("127.0.0.1:0", app_factory=lambda token: create_history_app(db, token)).start()
    try:
        page.goto(f"http://127.0.0.1:{server.port}/session/2", timeout=WAIT_MS)
        assert loaded_thumbnails(page) == [[True, 160]] * len(THUMBNAILS)
        assert page.locator("img.thumb").nth(1).is_visible()
    finally:
        server.stop()

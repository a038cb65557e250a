"""The live view in a real browser: the system's headless Chromium driven by Playwright (no browser download).
The page loads, its count follows the session as it runs, and beyond loopback the page is refused without the
run's token. Skipped when Chromium or Playwright is missing (CI installs Chromium: .ci/run)."""

from __future__ import annotations

import os
import shutil
import threading

import pytest
from test_pipeline import make_stages, pose, squat_angles
from test_pipeline_serve import WAIT_S, GatedSource, first_count_frame

from fitness.feedback.tee import TeeUI
from fitness.pipeline import SessionConfig, run_session

sync_api = pytest.importorskip("playwright.sync_api")
pytest.importorskip("uvicorn")

from fitness.web.server import LiveServer  # noqa: E402

CHROMIUM = os.environ.get("FITNESS_CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="no Chromium (Debian: apt-get install chromium)")
WAIT_MS = WAIT_S * 1000
# The page's video never finishes loading (it is a stream), so its "load" event never comes.
LOADED = "domcontentloaded"


@pytest.fixture(scope="module")
def browser():
    with sync_api.sync_playwright() as p:
        # --no-sandbox: Chromium refuses to sandbox itself as root, which is how CI runs.
        b = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=["--no-sandbox"])
        yield b
        b.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 720})
    yield context.new_page()
    context.close()


def text(page, selector: str) -> str:
    return page.inner_text(selector).strip()


def test_the_page_shows_the_video_and_its_count_follows_the_session(page):
    angles = squat_angles(2) + [170.0] * 3
    server = LiveServer("127.0.0.1:0").start()
    source = GatedSource(len(angles))
    config = SessionConfig("squats", source="video", path="x.mp4", smoothing="live", window=False, no_history=True)
    thread = threading.Thread(target=lambda: run_session(
        config, TeeUI(server.hub), stages=make_stages([pose(a) for a in angles]), source_factory=lambda: source,
        own_signals=False, frame_sink=server.hub))
    thread.start()
    try:
        first = first_count_frame(angles)
        source.allow(first)
        source.wait_asked(first)
        response = page.goto(server.url, wait_until=LOADED)
        assert response.status == 200
        page.wait_for_function("document.getElementById('status').textContent === 'live'", timeout=WAIT_MS)
        assert text(page, "#reps") == "0" and text(page, "#exercise") == "Bodyweight squat"
        assert text(page, "#phase") == "at the bottom"

        source.allow(first + 1)
        page.wait_for_function("document.getElementById('reps').textContent === '1'", timeout=WAIT_MS)
        page.wait_for_function("document.getElementById('stream').naturalWidth > 0", timeout=WAIT_MS)
        source.allow(len(angles))
        page.wait_for_function("document.getElementById('reps').textContent === '2'", timeout=WAIT_MS)
        page.wait_for_function("document.getElementById('status').textContent === 'session ended'",
                               timeout=WAIT_MS)
        # Readable across a room: the count is the biggest thing on the page, a good part of its height.
        reps_px = page.evaluate("parseFloat(getComputedStyle(document.getElementById('reps')).fontSize)")
        assert reps_px > 0.25 * 720
    finally:
        source.allow(len(angles))
        thread.join(WAIT_S)
        server.stop()


def test_portrait_puts_the_numbers_under_the_video(browser):
    server = LiveServer("127.0.0.1:0").start()
    context = browser.new_context(viewport={"width": 390, "height": 844})
    try:
        page = context.new_page()
        page.goto(server.url, wait_until=LOADED)
        video = page.locator("#video").bounding_box()
        board = page.locator("#board").bounding_box()
        assert board["y"] >= video["y"] + video["height"] - 1
        assert board["width"] > 0.9 * 390
    finally:
        context.close()
        server.stop()


def test_beyond_loopback_the_page_is_refused_without_the_token(page):
    server = LiveServer("0.0.0.0:0").start()
    try:
        base = f"http://127.0.0.1:{server.port}/"
        assert page.goto(base, wait_until=LOADED).status == 401
        assert page.goto(base + "?token=wrong", wait_until=LOADED).status == 403
        assert page.goto(base + f"?token={server.token}", wait_until=LOADED).status == 200
        page.wait_for_function("document.getElementById('status').textContent !== 'connecting'", timeout=WAIT_MS)
        # The page's own requests carry the token (a refused one would show "refused (401)"); no session runs.
        assert text(page, "#status") == "starting"
        assert page.evaluate("fetch('api/state').then(r => r.status)") == 200
    finally:
        server.stop()

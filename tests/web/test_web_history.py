"""The history in a browser: `fitness report ID --html FILE` (one self-contained page) and `fitness serve`."""

from __future__ import annotations

import base64
import http.client
import re

import cv2
import numpy as np
import pytest
from session_factories import sample_summary

from fitness.session.store import HistoryStore

pytest.importorskip("starlette")
pytest.importorskip("uvicorn")

from fitness.web.history_app import create_history_app  # noqa: E402
from fitness.web.server import LiveServer  # noqa: E402


def jpeg(value: int) -> bytes:
    return cv2.imencode(".jpg", np.full((90, 160, 3), value, np.uint8))[1].tobytes()


# Key frames of reps 1 and 3 of session 2 (a rep whose frame was not kept shows none).
THUMBNAILS = {1: jpeg(60), 3: jpeg(200)}


@pytest.fixture
def db(tmp_path):
    path = tmp_path / "history.db"
    with HistoryStore.open(path) as store:
        store.import_summary(sample_summary("2024-05-01T07:30:00+00:00"))
        second = store.import_summary(sample_summary("2024-05-09T07:30:00+00:00"))
        for index, data in THUMBNAILS.items():
            store.save_thumbnail(second.id, index, data)
    return path


def thumbnails_in(page: str) -> list[bytes]:
    found = re.findall(r'<img class="thumb"[^>]* src="data:image/jpeg;base64,([^"]+)"', page)
    return [base64.b64decode(m) for m in found]


def test_the_report_is_one_self_contained_page_with_reps_chart_issues_and_trend(tmp_path, db, capsys):
    from fitness import cli

    out = tmp_path / "report.html"
    assert cli.app(["report", "last", "--db", str(db), "--html", str(out)]) == 0
    assert "Report of session 2 written to" in capsys.readouterr().out
    page = out.read_text()
    assert re.search(r'id="reps">6<', page) and page.count("<tr>") >= 7 + 2 + 6  # reps, sets, trend rows
    assert "no-rep" in page and "chest_up × 2" in page and "Against your earlier squats sessions" in page
    png = base64.b64decode(re.search(r'src="data:image/png;base64,([^"]+)"', page).group(1))
    assert png.startswith(b"\x89PNG")
    assert not re.search(r'(src|href)="(https?:)?//', page)  # nothing fetched from elsewhere
    assert thumbnails_in(page) == list(THUMBNAILS.values()) and "key frame" in page


def test_a_report_without_thumbnails_has_no_key_frame_column(tmp_path, db):
    from fitness import cli

    out = tmp_path / "report.html"
    assert cli.app(["report", "1", "--db", str(db), "--html", str(out)]) == 0
    page = out.read_text()
    assert thumbnails_in(page) == [] and "key frame" not in page


def test_the_report_refuses_to_overwrite_the_history(db, capsys):
    from fitness import cli

    assert cli.app(["report", "1", "--db", str(db), "--html", str(db)]) == 2
    assert "history database" in capsys.readouterr().err


def get(port: int, path: str) -> tuple[int, str]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    conn.request("GET", path)
    response = conn.getresponse()
    return response.status, response.read().decode()


def test_serve_lists_the_sessions_and_serves_their_reports_and_trends(db):
    server = LiveServer("127.0.0.1:0", app_factory=lambda token: create_history_app(db, token)).start()
    try:
        status, page = get(server.port, "/")
        assert status == 200 and 'href="session/2"' in page and 'href="session/1"' in page
        assert page.index('href="session/2"') < page.index('href="session/1"')  # newest first
        status, page = get(server.port, "/session/1")
        assert status == 200 and 'id="reps">6<' in page
        assert thumbnails_in(get(server.port, "/session/2")[1]) == list(THUMBNAILS.values())
        assert get(server.port, "/session/99")[0] == 404
        status, page = get(server.port, "/trends")
        assert status == 200 and "data:image/png;base64," in page and "2 sessions, 12 reps" in page
    finally:
        server.stop()


def test_serve_beyond_loopback_needs_the_token(db):
    server = LiveServer("0.0.0.0:0", app_factory=lambda token: create_history_app(db, token)).start()
    try:
        assert get(server.port, "/")[0] == 401
        assert get(server.port, f"/?token={server.token}")[0] == 200
    finally:
        server.stop()

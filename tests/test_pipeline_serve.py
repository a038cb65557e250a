"""`--serve` with the real server (uvicorn on this computer only) over a session of test_pipeline's stand-in
stages, whose source hands out frames only as the test allows: the state and the video follow the session."""

from __future__ import annotations

import argparse
import http.client
import json
import re
import sys
import threading
from urllib.parse import urlsplit

import cv2
import numpy as np
import pytest
from test_pipeline import H, W, make_stages, pose, squat_angles, write_clip

from fitness.capture.source import BaseSource
from fitness.errors import UsageError
from fitness.feedback.tee import TeeUI
from fitness.pipeline import SessionConfig, run_session

pytest.importorskip("uvicorn")
pytest.importorskip("starlette")

from fitness.commands.run import AUTO_SERVE, live_view_address, start_live_view  # noqa: E402
from fitness.web.app import PART_HEAD  # noqa: E402
from fitness.web.server import LiveServer  # noqa: E402

FPS = 10.0
WAIT_S = 30.0  # a safety net for a broken test; nothing waits this long when things work


class GatedSource(BaseSource):
    """Gray frames, each handed out once `allow` lets it; `wait_asked(k)` returns once the loop asks for frame k,
    i.e. frames 0..k-1 went all the way through the session."""

    label = "fake:gated"
    fps = FPS

    def __init__(self, n: int) -> None:
        super().__init__()
        self.n, self.asked, self.allowed = n, -1, 0
        self.cond = threading.Condition()

    def allow(self, upto: int) -> None:
        with self.cond:
            self.allowed = upto
            self.cond.notify_all()

    def wait_asked(self, k: int) -> None:
        with self.cond:
            assert self.cond.wait_for(lambda: self.asked >= k, WAIT_S)

    def _frames(self):
        for i in range(self.n + 1):
            with self.cond:
                self.asked = i
                self.cond.notify_all()
                if i == self.n:
                    return
                assert self.cond.wait_for(lambda i=i: self.allowed > i, WAIT_S)
            yield np.full((H, W, 3), 90, np.uint8), i / FPS, i


def get(server_or_url, path: str = "/", headers: dict | None = None) -> http.client.HTTPResponse:
    """A request to the server on this computer (127.0.0.1 even when it listens on every address)."""
    port = server_or_url.port if isinstance(server_or_url, LiveServer) else urlsplit(server_or_url).port
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=WAIT_S)
    conn.request("GET", path, headers=headers or {})
    return conn.getresponse()


def state(server) -> dict:
    response = get(server, "/api/state")
    assert response.status == 200
    return json.loads(response.read())


def open_stream(server) -> http.client.HTTPResponse:
    stream = get(server, "/stream.mjpg")
    assert stream.status == 200 and stream.getheader("content-type").startswith("multipart/x-mixed-replace")
    assert stream.read(len(PART_HEAD) - 2) == PART_HEAD[2:]
    return stream


def read_part(stream) -> bytes:
    """The next JPEG of the stream (it ends with the JPEG end marker), and the next part's head that follows it
    at once."""
    data = b""
    while not data.endswith(b"\xff\xd9"):
        data += stream.read(1)
    assert stream.read(len(PART_HEAD)) == PART_HEAD
    return data


def first_count_frame(angles) -> int:
    low = False
    for i, a in enumerate(angles):
        low = low or a < 100
        if a > 160 and low:
            return i
    raise AssertionError("no rep")


@pytest.fixture
def live():
    """A session running in a thread behind the gated source, served on 127.0.0.1 at a free port."""
    angles = squat_angles(2) + [170.0] * 3
    server = LiveServer("127.0.0.1:0").start()
    source = GatedSource(len(angles))
    stages = make_stages([pose(a) for a in angles])
    config = SessionConfig("squats", source="video", path="x.mp4", smoothing="live", window=False, no_history=True)
    thread = threading.Thread(target=lambda: run_session(
        config, TeeUI(server.hub), stages=stages, source_factory=lambda: source, own_signals=False,
        frame_sink=server.hub))
    thread.start()
    yield server, source, angles, thread
    source.allow(len(angles))
    thread.join(WAIT_S)
    server.stop()


def test_the_state_and_the_video_follow_the_session_as_it_runs(live):
    server, source, angles, thread = live
    assert server.token is None and server.url == f"http://127.0.0.1:{server.port}/"
    stream = open_stream(server)  # a viewer: from now on the session draws its frames for the live view
    first = first_count_frame(angles)
    source.allow(first)
    source.wait_asked(first)
    before = state(server)
    assert (before["reps"], before["exercise"], before["set"], before["rest_s"]) == (0, "squats", 1, 0.0)
    assert before["running"] and before["phase"] == "at the bottom"
    image = cv2.imdecode(np.frombuffer(read_part(stream), np.uint8), cv2.IMREAD_COLOR)
    assert image.shape == (H, W, 3)

    source.allow(first + 1)
    source.wait_asked(first + 1)
    assert state(server)["reps"] == 1
    assert cv2.imdecode(np.frombuffer(read_part(stream), np.uint8), cv2.IMREAD_COLOR).shape == (H, W, 3)
    stream.close()

    source.allow(len(angles))
    thread.join(WAIT_S)
    after = state(server)
    assert after["reps"] == 2 and after["ended"] and not after["running"]  # the page says the session ended
    assert server.hub.encoded <= len(angles)  # once per frame at most, and only while watched
    page = get(server, "/")
    assert page.status == 200 and b'id="reps"' in page.read()


def test_nobody_watching_costs_no_drawing_and_no_encoding(live, monkeypatch):
    server, source, angles, thread = live
    drawn = []
    monkeypatch.setattr("fitness.run.display.draw_overlay", lambda image, snapshot: drawn.append(1) or image)
    source.allow(len(angles))
    thread.join(WAIT_S)
    assert state(server)["reps"] == 2 and drawn == [] and server.hub.encoded == 0


def test_beyond_loopback_every_request_needs_the_runs_token():
    server = LiveServer("0.0.0.0:0").start()
    try:
        token = server.token
        assert token and len(token) >= 20 and f"/?token={token}" in server.url
        for path in ("/", "/api/state", "/stream.mjpg"):
            assert get(server, path).status == 401
            assert get(server, path + "?token=" + token[::-1]).status == 403
        page = get(server, "/?token=" + token)
        assert page.status == 200
        cookie = page.getheader("set-cookie").split(";")[0]
        assert get(server, "/api/state", {"Cookie": cookie}).status == 200
        assert get(server, "/api/state", {"Authorization": f"Bearer {token}"}).status == 200
        assert get(server, "/stream.mjpg?token=" + token).status == 200
    finally:
        server.stop()
    assert LiveServer("0.0.0.0:0").token != token  # a new one every run


def test_a_port_in_use_is_one_line():
    server = LiveServer("127.0.0.1:0")
    try:
        with pytest.raises(Exception, match=rf"--serve cannot listen on 127.0.0.1:{server.port}"):
            LiveServer(f"127.0.0.1:{server.port}")
    finally:
        server.stop()


@pytest.mark.parametrize("address,token", [("127.0.0.1:0", False), ("0.0.0.0:0", True)])
def test_fitness_run_serve_prints_the_url_and_beyond_loopback_a_qr_code(tmp_path, fake_stack, capsys, address,
                                                                         token):
    from fitness import cli

    angles = squat_angles(1)
    fake_stack["poses"] = [pose(a) for a in angles]
    clip = write_clip(tmp_path / "clip.avi", len(angles))
    code = cli.app(["run", "squats", "--video", str(clip), "--no-window", "--no-history", "--serve", address])
    out = capsys.readouterr().out
    assert code == 0
    url = re.search(r"live view at (\S+)", out).group(1)
    assert ("?token=" in url) == token
    assert ("\u2588" in out) == token  # the QR code's blocks


def args(**changes) -> argparse.Namespace:
    return argparse.Namespace(**({"serve": None} | changes))


def test_a_camera_without_an_opencv_window_gets_the_browser_view_instead(capsys):
    camera = SessionConfig("squats", source="camera", window=True)
    address, config = live_view_address(args(), camera, has_gui=lambda: False)
    assert address == AUTO_SERVE and not config.window
    assert capsys.readouterr().err.count("live view is in your browser") == 1
    assert live_view_address(args(), camera, has_gui=lambda: True) == (None, camera)
    no_window = SessionConfig("squats", source="camera", window=False)
    assert live_view_address(args(), no_window, has_gui=lambda: False) == (None, no_window)
    assert live_view_address(args(serve="9000"), camera, has_gui=lambda: False) == ("9000", camera)


def test_serve_without_the_web_extra_is_one_line_saying_what_to_install(monkeypatch):
    monkeypatch.setitem(sys.modules, "uvicorn", None)  # import uvicorn now raises ImportError
    with pytest.raises(UsageError, match=r"--serve needs the web extra: .*'\.\[web\]'"):
        LiveServer("127.0.0.1:0")


def test_the_browser_view_offered_instead_of_a_window_never_fails_the_session(monkeypatch, capsys):
    def refuse(address, hub=None):
        raise UsageError("--serve needs the web extra")

    monkeypatch.setattr("fitness.web.server.LiveServer", refuse)
    assert start_live_view(AUTO_SERVE) is None
    assert "no live view either: --serve needs the web extra" in capsys.readouterr().err
    with pytest.raises(UsageError):
        start_live_view("127.0.0.1:0")  # asked for with --serve: an error

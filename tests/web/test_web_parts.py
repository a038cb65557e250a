"""The live view's parts: the address, the token gate, the state JSON, the shared JPEG encoder, realtime pacing,
and OpenCV's GUI check."""

from __future__ import annotations

import asyncio
import threading

import cv2
import numpy as np
import pytest

from fitness.capture.frame import Frame
from fitness.capture.realtime import RealtimeSource
from fitness.errors import UsageError
from fitness.exercise.events import FormIssue, MachineStep, RepEvent, Signals
from fitness.feedback.snapshot import Snapshot
from fitness.feedback.window import opencv_has_gui
from fitness.web.access import COOKIE, is_loopback, parse_address, token_gate
from fitness.web.hub import FrameHub, encode, read_tag, tag
from fitness.web.state import live_state


@pytest.mark.parametrize("text,expected", [("8000", ("127.0.0.1", 8000)), ("0.0.0.0:8000", ("0.0.0.0", 8000)),
                                           ("[::1]:0", ("::1", 0)), (":9000", ("127.0.0.1", 9000))])
def test_serve_addresses(text, expected):
    assert parse_address(text) == expected


@pytest.mark.parametrize("text", ["", "host:", "70000", "0.0.0.0:http"])
def test_bad_serve_addresses_are_usage_errors(text):
    with pytest.raises(UsageError, match=r"\[HOST:\]PORT"):
        parse_address(text)


def test_loopback_is_only_this_computer():
    assert is_loopback("127.0.0.1") and is_loopback("::1") and is_loopback("localhost") and is_loopback("127.9.9.9")
    assert not any(map(is_loopback, ["0.0.0.0", "::", "192.168.1.20", "myhost.local"]))


async def _call(app, query: bytes = b"", headers=()):
    sent = []

    async def receive():
        return {"type": "http.request", "body": b""}

    async def send(message):
        sent.append(message)

    await app({"type": "http", "path": "/", "query_string": query, "headers": list(headers)}, receive, send)
    return sent[0]["status"], dict(sent[0].get("headers", ()))


async def _ok(scope, receive, send):
    await send({"type": "http.response.start", "status": 200, "headers": []})
    await send({"type": "http.response.body", "body": b"ok"})


@pytest.mark.parametrize(
    "query,headers,status",
    [
        (b"", (), 401),
        (b"token=wrong", (), 403),
        (b"", ((b"authorization", b"Bearer wrong"),), 403),
        (b"", ((b"cookie", b"fitness_token=wrong"),), 403),
        (b"", ((b"cookie", b"other=1; fitness_token=s3cret"),), 200),
        (b"", ((b"authorization", b"Bearer s3cret"),), 200),
        (b"", ((b"cookie", b'bad"cookie'),), 401),
    ],
)
def test_the_token_gate(query, headers, status):
    assert asyncio.run(_call(token_gate(_ok, "s3cret"), query, headers))[0] == status


def test_a_token_in_the_url_is_kept_as_a_cookie_for_the_pages_own_requests():
    status, headers = asyncio.run(_call(token_gate(_ok, "s3cret"), b"token=s3cret"))
    assert status == 200 and headers[b"set-cookie"].startswith(f"{COOKIE}=s3cret;".encode())
    assert b"HttpOnly" in headers[b"set-cookie"]


def test_no_token_on_loopback():
    assert token_gate(_ok, None) is _ok


def test_the_state_has_the_contract_fields():
    assert live_state(None) | {} == live_state(None)
    issue = FormIssue("chest_up", "Keep your chest up", "warning", 1.0)
    step = MachineStep(t=3.5, signals=Signals(3.5, {}, True), phase="eccentric", reps=4, no_reps=1, active=(issue,),
                       progress=0.5)
    snap = Snapshot("squats", "Bodyweight squat", step, set_index=2, last_rep=RepEvent(4, 1.0, 3.0, True, score=90.0))
    state = live_state(snap)
    assert {k: state[k] for k in ("reps", "phase", "exercise", "cues", "set", "rest_s")} == {
        "reps": 4, "phase": "going down", "exercise": "squats", "cues": ["Keep your chest up"], "set": 2,
        "rest_s": 0.0}
    assert state["last_score"] == 90.0 and state["title"] == "Bodyweight squat" and state["running"]


class GatedEncoder:
    """Encodes as a JPEG start marker and the frame's first pixel; holds each encoding until the test lets it go."""

    def __init__(self):
        self.started, self.go, self.seen = threading.Semaphore(0), threading.Semaphore(0), []

    def __call__(self, image):
        self.seen.append(int(image[0, 0, 0]))
        self.started.release()
        self.go.acquire(timeout=10)
        return b"\xff\xd8" + bytes([int(image[0, 0, 0])])


def next_jpeg(hub: FrameHub, after_seq: int, viewers: int = 1):
    """`viewers` viewers waiting, on an event loop of their own, for the JPEG after `after_seq`."""

    async def wait():
        hub.attach(asyncio.get_running_loop())
        return await asyncio.wait_for(asyncio.gather(*(hub.next_jpeg(after_seq) for _ in range(viewers))), 10)

    return asyncio.run(wait())


def frame(value: int) -> np.ndarray:
    return np.full((4, 4, 3), value, np.uint8)


def test_nothing_is_encoded_while_nobody_watches_and_a_busy_encoder_skips_to_the_newest_frame():
    encoder = GatedEncoder()
    hub = FrameHub(encoder)
    try:
        for v in (1, 2):
            hub.publish(frame(v))
        assert encoder.seen == []  # nobody watching
        hub.watching(+1)
        assert encoder.started.acquire(timeout=10)  # encoding frame 2, the newest
        for v in (3, 4, 5):
            hub.publish(frame(v))
        encoder.go.release()
        assert encoder.started.acquire(timeout=10)
        encoder.go.release()
        [latest] = next_jpeg(hub, 2)
        assert encoder.seen == [2, 5] and latest.seq == 5 and hub.encoded == 2
        assert read_tag(latest.data) == (5, pytest.approx(latest.published_t, abs=1e-6))
    finally:
        encoder.go.release(10)
        hub.close()


def test_every_viewer_gets_the_one_encoding_of_a_frame():
    encoder = GatedEncoder()
    encoder.go.release(100)
    hub = FrameHub(encoder)
    try:
        hub.watching(+3)
        hub.publish(frame(7))
        views = next_jpeg(hub, 0, viewers=3)
        assert len({id(v) for v in views}) == 1 and views[0].data.endswith(b"\x07") and hub.encoded == 1
    finally:
        hub.close()


def test_a_closed_hub_ends_the_streams():
    hub = FrameHub()
    hub.close()
    assert next_jpeg(hub, 0) == [None]


class Clock:
    def __init__(self):
        self.now, self.sleeps = 100.0, []

    def __call__(self):
        return self.now

    def sleep(self, s):
        self.sleeps.append(round(s, 6))
        self.now += s


class Frames:
    label, fps, end_reason = "fake", 10.0, None

    def __init__(self, clock, decode_s):
        self.clock, self.decode_s, self.closed = clock, decode_s, False

    def __iter__(self):
        for i, d in enumerate(self.decode_s):
            self.clock.now += d
            yield Frame(np.zeros((2, 2, 3), np.uint8), i / 10, i)

    def close(self):
        self.closed = True


def test_realtime_hands_each_frame_on_at_its_time_and_never_makes_a_slow_machine_catch_up():
    clock = Clock()
    src = RealtimeSource(Frames(clock, [0.0, 0.02, 0.02, 0.5, 0.01]), clock=clock, sleep=clock.sleep)
    assert [f.index for f in src] == [0, 1, 2, 3, 4]
    assert clock.sleeps == [0.08, 0.08]  # frame 3 came late (0.5 s to decode); frame 4 waits for nothing
    assert src.label == "fake" and src.fps == 10.0
    with src:
        pass
    assert src.source.closed


def test_opencv_gui_from_its_build_information():
    assert not opencv_has_gui("  GUI:                           NONE\n    VTK support: NO")
    assert opencv_has_gui("  GUI:                           GTK3\n")
    assert isinstance(opencv_has_gui(), bool)


def test_a_tagged_jpeg_still_decodes_and_says_which_frame_it_is_and_when_it_was_published():
    image = np.zeros((48, 64, 3), np.uint8)
    image[10:20, 10:30] = (0, 200, 255)
    data = tag(encode(image), 42, 1234.5)
    assert read_tag(data) == (42, 1234.5) and read_tag(encode(image)) is None
    decoded = cv2.imdecode(np.frombuffer(data, np.uint8), cv2.IMREAD_COLOR)
    assert np.abs(decoded.astype(int) - image).mean() < 3

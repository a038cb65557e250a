"""CameraSource: newest frame wins, grab-time timestamps, a clear error for a bad index, unplug detection.

A fake capture and a fake clock replace the device, so nothing here waits on real time.
"""

from __future__ import annotations

import re

import cv2
import numpy as np
import pytest

from fitness.capture import LOST, CameraSource
from fitness.capture.camera import LatestFrame, Reconnect
from fitness.errors import SourceError, UsageError


class FakeCamera:
    """Delivers `good` frames (gray level = frame number), then fails every read."""

    def __init__(self, good: int, opened: bool = True):
        self.good, self.opened, self.reads, self.released = good, opened, 0, False

    def isOpened(self):
        return self.opened

    def read(self):
        self.reads += 1
        if self.reads > self.good:
            return False, None
        return True, np.full((8, 8, 3), self.reads, np.uint8)

    def get(self, prop):
        return 30.0

    def release(self):
        self.released = True


class FakeClock:
    """Advances by `step_s` every time it is read."""

    def __init__(self, step_s: float):
        self.now, self.step_s = 100.0, step_s

    def __call__(self):
        self.now += self.step_s
        return self.now


def test_latest_frame_hands_the_newest_and_counts_drops():
    slot = LatestFrame()
    for i in range(3):
        slot.put(i)
    assert slot.take() == 2
    assert slot.dropped == 2
    slot.close()
    assert slot.take() is None


def test_an_index_that_does_not_open_is_a_source_error():
    cam = FakeCamera(0, opened=False)
    with pytest.raises(SourceError, match="cannot open camera 3"):
        CameraSource(3, capture_factory=lambda i: cam)
    assert cam.released


@pytest.mark.parametrize("index", [-1, 10_000, 99_999_999_999, True, "0"])
def test_an_index_no_camera_can_have_is_refused_before_opencv_sees_it(index):
    opened = []
    with pytest.raises(UsageError, match="--camera must be a camera number from 0 to 9999"):
        CameraSource(index, capture_factory=lambda i: opened.append(i) or FakeCamera(1))
    assert opened == []  # OpenCV crashes on -1 and raises past 32 bits


def test_an_opencv_error_on_open_is_one_line():
    def broken(index):
        raise cv2.error("OpenCV(5.1.0) :-1: error: (-5:Bad argument) in function 'VideoCapture'\n> Overload resolution "
                        "failed:\n>  - Argument 'index' is required to be an integer")

    with pytest.raises(SourceError, match="cannot open camera 5: OpenCV failed") as info:
        CameraSource(5, capture_factory=broken)
    assert "\n" not in str(info.value)


def test_a_slow_consumer_gets_the_newest_frame_and_sees_the_gap():
    src = CameraSource(0, capture_factory=lambda i: FakeCamera(10), clock=FakeClock(0.1), start=False)
    for _ in range(3):
        src.grab_once()
    frame = next(iter(src))
    src.close()
    assert frame.index == 2  # frames 0 and 1 were stale, dropped
    assert int(frame.image[0, 0, 0]) == 3
    assert src.dropped == 2


def test_timestamps_are_taken_at_grab_time():
    clock = FakeClock(0.1)
    src = CameraSource(0, capture_factory=lambda i: FakeCamera(10), clock=clock, start=False)
    src.grab_once()
    frame = next(iter(src))
    # opened at 100.1, grabbed at 100.2
    assert frame.t == pytest.approx(0.1)
    src.close()


def test_reads_failing_for_a_while_end_the_stream_as_lost():
    # 0.5 s per clock read: the failures pass LOST_AFTER_S (2 s) after a handful of reads.
    cam = FakeCamera(good=3)
    src = CameraSource(0, capture_factory=lambda i: cam, clock=FakeClock(0.5))
    frames = list(src)  # the grab thread runs; the stream ends by itself
    src.close()
    assert 1 <= len(frames) <= 3
    assert src.end_reason == LOST
    assert "camera 0 stopped delivering frames" in src.end_detail
    assert cam.released


def test_a_single_failed_read_is_not_a_lost_camera():
    class Flaky(FakeCamera):
        def read(self):
            self.reads += 1
            if self.reads == 2:
                return False, None
            return True, np.zeros((8, 8, 3), np.uint8)

    src = CameraSource(0, capture_factory=lambda i: Flaky(0), clock=FakeClock(0.5), start=False)
    assert all(src.grab_once() for _ in range(5))
    assert src.end_reason is None
    src.close()


# --- network streams: a drop is reconnected with growing waits, for a bounded time ---

URL = "http://phone.local:8080/video"


class FakeStreams:
    """Opens a FakeCamera per attempt from `plan`: a number is a stream that delivers that many frames then fails,
    None an attempt that does not open. Records what was opened."""

    def __init__(self, *plan: int | None):
        self.plan, self.opened = list(plan), []

    def __call__(self, target):
        self.opened.append(target)
        good = self.plan.pop(0) if self.plan else None
        return FakeCamera(0, opened=False) if good is None else FakeCamera(good)


def stream(streams, clock, **changes):
    return CameraSource(URL, capture_factory=streams, clock=clock, start=False,
                        reconnect=Reconnect(**{"first_wait_s": 0.5, "max_wait_s": 2.0, "give_up_after_s": 10.0,
                                               **changes}))


def test_a_dropped_stream_is_reconnected_and_its_frames_go_on():
    streams, clock, heard = FakeStreams(3, None, 5), FakeClock(0.1), []
    src = stream(streams, clock)
    src.on_notice = heard.append
    frames = []
    for _ in range(60):
        if src.grab_once():
            item = src._slot.take() if src._slot._item is not None else None
            frames += [item] if item is not None else []
        if len(frames) == 8:
            break
    src.close()
    assert len(streams.opened) == 3  # the first open, a failed attempt, the one that came back
    assert [index for _, _, index, _ in frames] == list(range(8))  # the frame count runs on across the drop
    times = [t for _, t, _, _ in frames]
    assert times == sorted(times) and times[3] - times[2] >= 0.5  # the gap is on the frames' clock
    assert heard[0].startswith("Camera stream lost: reconnecting (attempt 1)")
    assert heard[-1].startswith("Camera stream back after")
    assert src.end_reason is None
    (note,) = src.notes
    gap = re.fullmatch(r"the camera stream http://phone\.local:8080/video dropped once and was reconnected "
                       r"\((\d+\.\d) s without frames\); the reps were kept", note)
    assert gap and 0 < float(gap.group(1)) <= times[3] - times[2]


def test_a_stream_that_never_comes_back_ends_as_lost_within_the_bound():
    streams, clock = FakeStreams(2), FakeClock(0.1)
    src = stream(streams, clock)
    grabs = 0
    while src.grab_once():
        grabs += 1
        assert grabs < 10_000
    frames = list(src)
    src.close()
    assert src.end_reason == LOST
    assert "did not come back within 10 s" in src.end_detail and "the session so far is saved" in src.end_detail
    assert len(frames) == 1  # the newest of the frames before the drop is still handed on
    assert clock.now - 100.0 <= 2 * 10.0  # gave up within the bound, not much after
    attempts = len(streams.opened) - 1
    assert 2 <= attempts <= 10.0 / 0.5


@pytest.mark.parametrize("attempt", range(1, 12))
def test_reconnect_waits_grow_and_are_capped(attempt):
    policy = Reconnect(first_wait_s=0.5, max_wait_s=4.0, give_up_after_s=30.0)
    assert policy.wait_s(1) == 0.5
    assert policy.wait_s(attempt) <= policy.wait_s(attempt + 1) <= 4.0


def test_a_device_camera_is_not_reconnected():
    cam = FakeCamera(good=1)
    src = CameraSource(0, capture_factory=lambda i: cam, clock=FakeClock(0.5), start=False)
    assert src.reconnect is None
    while src.grab_once():
        pass
    assert src.end_reason == LOST and "camera 0 stopped delivering frames" in src.end_detail


def test_a_device_path_opens_as_given():
    opened = []
    src = CameraSource("/dev/video2", capture_factory=lambda target: opened.append(target) or FakeCamera(1),
                       start=False)
    src.close()
    assert opened == ["/dev/video2"] and src.label == "camera:/dev/video2" and src.reconnect is None


def test_a_stream_url_keeps_its_secrets_out_of_labels_and_messages():
    url = "rtsp://admin:hunter2@cam.local:554/live?token=abc"
    src = CameraSource(url, capture_factory=lambda target: FakeCamera(1), start=False)
    src.close()
    assert src.label == "camera:rtsp://cam.local:554/live"
    with pytest.raises(SourceError) as info:
        CameraSource(url, capture_factory=lambda target: FakeCamera(0, opened=False))
    assert "cannot open camera stream rtsp://cam.local:554/live" in str(info.value)
    assert "hunter2" not in str(info.value) and "abc" not in str(info.value)


def test_frames_carry_their_grab_time():
    clock = FakeClock(0.25)
    src = CameraSource(0, capture_factory=lambda i: FakeCamera(10), clock=clock, start=False)
    src.grab_once()
    frame = next(iter(src))
    src.close()
    assert frame.grabbed_at_s == pytest.approx(100.5)  # opened at 100.25, grabbed at 100.5
    assert frame.t == pytest.approx(frame.grabbed_at_s - 100.25)

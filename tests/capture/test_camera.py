"""CameraSource: newest frame wins, grab-time timestamps, a clear error for a bad index, unplug detection.

A fake capture and a fake clock replace the device, so nothing here waits on real time.
"""

from __future__ import annotations

import cv2
import numpy as np
import pytest

from fitness.capture import LOST, CameraSource
from fitness.capture.camera import LatestFrame
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

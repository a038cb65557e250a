"""VideoSource: every frame in order, video timestamps, clear errors, truncated files end cleanly."""

from __future__ import annotations

import os

import cv2
import numpy as np
import pytest

from fitness.capture import COMPLETE, TRUNCATED, FrameTransform, VideoSource
from fitness.errors import SourceError


def test_every_frame_in_order_with_video_timestamps(video_20, frame_size):
    with VideoSource(video_20) as src:
        frames = list(src)
        assert src.fps == pytest.approx(10.0)
        assert src.end_reason == COMPLETE
    assert [f.index for f in frames] == list(range(20))
    # 10 fps -> 0.1 s apart, measured on the video's clock, not the wall clock.
    assert [f.t for f in frames] == pytest.approx([i / 10 for i in range(20)], abs=1e-3)
    # mp4v is lossy (a few gray levels off), but frame i is still brighter than frame i-1 by ~10.
    levels = [float(f.image.mean()) for f in frames]
    assert all(5 < b - a < 15 for a, b in zip(levels, levels[1:]))
    assert frames[0].size == frame_size


def test_a_small_queue_still_delivers_every_frame(video_20):
    with VideoSource(video_20, queue_frames=1) as src:
        assert len(list(src)) == 20


def test_close_while_the_decoder_is_ahead_stops_it(tmp_path, make_video):
    path = make_video(tmp_path / "long.mp4", 60)
    src = VideoSource(path, queue_frames=2)
    it = iter(src)
    next(it)
    src.close()
    assert not src._thread.is_alive()
    assert list(it) == []


def test_missing_file_is_a_source_error(tmp_path):
    with pytest.raises(SourceError, match="not found"):
        VideoSource(tmp_path / "nope.mp4")


def test_a_file_that_is_not_a_video_is_a_source_error(tmp_path):
    bad = tmp_path / "bad.mp4"
    bad.write_bytes(b"not a video" * 100)
    with pytest.raises(SourceError, match="cannot read video"):
        VideoSource(bad)


def test_truncated_file_ends_cleanly_and_says_so(tmp_path, make_video):
    # Cut the tail off an MJPG AVI: the header still announces 20 frames, only some decode.
    path = make_video(tmp_path / "clip.avi", 20, fourcc="MJPG")
    data = path.read_bytes()
    path.write_bytes(data[: int(len(data) * 0.8)])
    with VideoSource(path) as src:
        frames = list(src)
    assert 0 < len(frames) < 20
    assert src.end_reason == TRUNCATED
    assert f"after {len(frames)} of its 20 frames" in src.end_detail


class _FakeCapture:
    """cv2.VideoCapture look-alike: announces `count` frames but delivers only `delivered`, no timestamps."""

    def __init__(self, count, delivered, fps=25.0):
        self.count, self.delivered, self.fps, self.read_calls = count, delivered, fps, 0

    def isOpened(self):
        return True

    def read(self):
        self.read_calls += 1
        if self.read_calls > self.delivered:
            return False, None
        return True, np.zeros((4, 4, 3), np.uint8)

    def get(self, prop):
        return {cv2.CAP_PROP_FPS: self.fps, cv2.CAP_PROP_FRAME_COUNT: self.count}.get(prop, 0.0)

    def release(self):
        pass


def test_without_container_timestamps_time_is_index_over_fps(tmp_path):
    path = tmp_path / "x.mp4"
    path.write_bytes(b"")
    with VideoSource(path, capture_factory=lambda p: _FakeCapture(5, 5)) as src:
        ts = [f.t for f in src]
    assert ts == pytest.approx([0, 0.04, 0.08, 0.12, 0.16])
    assert src.end_reason == COMPLETE


def test_fewer_frames_than_announced_is_truncated(tmp_path):
    path = tmp_path / "x.mp4"
    path.write_bytes(b"")
    with VideoSource(path, capture_factory=lambda p: _FakeCapture(10, 4)) as src:
        assert len(list(src)) == 4
    assert src.end_reason == TRUNCATED


def test_transform_is_applied_to_every_frame(video_20, frame_size):
    with VideoSource(video_20, FrameTransform(rotate_deg=90)) as src:
        frame = next(iter(src))
    assert frame.size == (frame_size[1], frame_size[0])


def test_native_library_noise_is_silenced_only_while_opening(capfd):
    from fitness.capture.source import quiet_native_logs

    with quiet_native_logs():
        os.write(2, b"[mov,mp4 @ 0x1] moov atom not found\n")
    os.write(2, b"ours\n")
    assert capfd.readouterr().err == "ours\n"


def test_opening_a_damaged_file_prints_nothing_but_our_error(tmp_path, capfd):
    path = tmp_path / "clip.mp4"
    path.write_bytes(b"\x00\x00\x00\x18ftypmp42" + b"not a video" * 100)  # FFmpeg: "moov atom not found"
    with pytest.raises(SourceError):
        VideoSource(path)
    assert capfd.readouterr().err == ""


class _PatternCapture(_FakeCapture):
    """Delivers `delivered` frames of a fixed pattern of `size` (width, height): a bright right half."""

    def __init__(self, delivered, size):
        super().__init__(delivered, delivered)
        self.size = size

    def read(self):
        ok, _ = super().read()
        if not ok:
            return False, None
        width, height = self.size
        image = np.zeros((height, width, 3), np.uint8)
        image[:, width // 2:] = 200
        return True, image


@pytest.mark.parametrize(("rotate", "source_size"), [(0, (64, 48)), (90, (48, 64))])
def test_large_frames_are_halved_once_in_the_decoder_and_say_their_source_size(tmp_path, rotate, source_size):
    path = tmp_path / "x.mp4"
    path.write_bytes(b"")
    capture = lambda p: _PatternCapture(3, (64, 48))  # noqa: E731
    with VideoSource(path, FrameTransform(rotate_deg=rotate), capture_factory=capture, min_side_px=16) as src:
        frames = list(src)
    assert len(frames) == 3
    for frame in frames:
        # 64 -> 32 -> 16: halved while the long side stays >= 16.
        assert frame.image.shape[:2] == (source_size[1] // 4, source_size[0] // 4)
        assert frame.source_size == frame.size == source_size and frame.scale == (4.0, 4.0)
        assert frame.full is None  # not kept unless asked for
    assert set(np.unique(frames[0].image)) == {0, 200}  # pixel averaging of 2x2 blocks keeps a sharp edge


def test_the_whole_frame_is_kept_for_a_saved_video_within_a_byte_budget(tmp_path, monkeypatch):
    import fitness.capture.video as video

    path = tmp_path / "x.mp4"
    path.write_bytes(b"")
    whole = 64 * 48 * 3
    monkeypatch.setattr(video, "QUEUE_BUDGET_BYTES", 3 * whole)
    capture = lambda p: _PatternCapture(5, (64, 48))  # noqa: E731
    with VideoSource(path, capture_factory=capture, min_side_px=16, keep_full=True) as src:
        assert src._queue.maxsize == 2  # 3 whole frames of budget hold 2 whole frames with their working images
        frames = list(src)
    assert [f.full.shape for f in frames] == [(48, 64, 3)] * 5 and frames[0].largest is frames[0].full
    assert frames[0].image.shape == (12, 16, 3)


def test_small_frames_are_not_reduced(video_20, frame_size):
    with VideoSource(video_20, keep_full=True) as src:
        frame = next(iter(src))
    assert frame.source_size is None and frame.full is None and frame.size == frame_size
    assert frame.scale == (1.0, 1.0) and frame.largest is frame.image


class _GrabbingCapture(_PatternCapture):
    """Counts the frames only grabbed (decoded, not converted) apart from those read."""

    def __init__(self, delivered, size):
        super().__init__(delivered, size)
        self.grabs = 0

    def grab(self):
        self.grabs += 1
        self.read_calls += 1
        return self.read_calls <= self.delivered


def test_a_sample_delivers_every_nth_frame_and_converts_no_other(tmp_path):
    path = tmp_path / "x.mp4"
    path.write_bytes(b"")
    capture = _GrabbingCapture(23, (64, 48))  # 25 fps: a frame per 0.2 s is every 5th
    with VideoSource(path, capture_factory=lambda p: capture, every_s=0.2) as src:
        frames = list(src)
    assert [f.index for f in frames] == [0, 5, 10, 15, 20]
    assert [f.t for f in frames] == pytest.approx([0, 0.2, 0.4, 0.6, 0.8])
    assert capture.grabs == 23 - 5 + 1  # the 18 frames between, and the failed grab at the end
    assert src.end_reason == COMPLETE  # fewer frames than announced is what a sample is

"""ReplayCamera (`--camera FILE`): a recording handed on at its own frame rate like a live camera; a slow consumer
gets the newest frame and the ones it missed are counted as dropped. A fake clock and sleep stand in for time."""

from __future__ import annotations

import pytest

from fitness.capture import COMPLETE
from fitness.capture.realtime import Pacer
from fitness.capture.replay import ReplayCamera


class FakeTime:
    """A clock that only moves when slept on (or when `work` is called), recording each sleep."""

    def __init__(self):
        self.now, self.sleeps = 50.0, []

    def clock(self):
        return self.now

    def sleep(self, s):
        self.sleeps.append(s)
        self.now += s

    def work(self, s):
        self.now += s


def test_frames_are_handed_on_at_the_videos_own_times(video_20):
    clock = FakeTime()
    cam = ReplayCamera(video_20, clock=clock.clock, sleep=clock.sleep, start=False)
    frames = []
    for _ in range(5):
        assert cam.grab_once()
        frames.append(next(iter(cam)))
    cam.close()
    assert [f.index for f in frames] == [0, 1, 2, 3, 4]
    assert [f.t for f in frames] == pytest.approx([0.0, 0.1, 0.2, 0.3, 0.4])  # the video's clock (10 fps)
    assert [f.grabbed_at_s for f in frames] == pytest.approx([50.0, 50.1, 50.2, 50.3, 50.4])
    assert clock.sleeps == pytest.approx([0.1] * 4)
    assert cam.dropped == 0


def test_a_consumer_slower_than_the_video_gets_the_newest_frame_and_drops_are_counted(video_20):
    clock = FakeTime()
    cam = ReplayCamera(video_20, clock=clock.clock, sleep=clock.sleep, start=False)
    taken = []
    it = iter(cam)
    for _ in range(4):  # the consumer takes a frame, then works 0.25 s: two or three frames come meanwhile
        assert cam.grab_once()
        while cam.handed_on < int((clock.now - 50.0) / 0.1 + 1e-6) + 1:  # every frame due by now is handed on
            assert cam.grab_once()
        taken.append(next(it))
        clock.work(0.25)
    cam.close()
    indices = [f.index for f in taken]
    assert indices == sorted(indices) and indices[-1] > len(taken)
    assert cam.dropped == cam.handed_on - len(taken)
    assert all(f.grabbed_at_s >= 50.0 + f.t - 1e-9 for f in taken)  # never before it is due


def test_the_whole_video_replayed_in_its_thread_ends_complete(video_20):
    cam = ReplayCamera(video_20, clock=FakeTime().clock, sleep=lambda s: None)
    frames = list(cam)
    cam.close()
    assert 1 <= len(frames) <= 20 and frames[-1].index == 19  # the last frame is never dropped
    assert cam.end_reason == COMPLETE and cam.dropped == 20 - len(frames)
    assert cam.label == "replay:clip.mp4" and cam.fps == pytest.approx(10.0)


def test_closing_mid_replay_ends_the_capture_thread(video_20):
    cam = ReplayCamera(video_20)  # real time: 2 s of video
    first = next(iter(cam))
    cam.close()
    assert first.index == 0
    assert cam._thread is not None and not cam._thread.is_alive()


def test_a_late_frame_is_not_waited_for():
    clock = FakeTime()
    pacer = Pacer(clock.clock, clock.sleep)
    assert pacer.wait_for(0.0) == 50.0
    clock.work(0.5)  # the decoder was slow: frame 0.1 is already late
    assert pacer.wait_for(0.1) == 50.5 and clock.sleeps == []
    assert pacer.wait_for(0.6) == pytest.approx(50.6) and clock.sleeps == pytest.approx([0.1])


def test_the_replay_starts_when_frames_are_first_asked_for_not_when_opened(video_20):
    clock = FakeTime()
    cam = ReplayCamera(video_20, clock=clock.clock, sleep=clock.sleep)
    assert cam._thread is None and cam.handed_on == 0  # the session loads its model meanwhile
    clock.work(5.0)
    first = next(iter(cam))
    cam.close()
    assert first.grabbed_at_s >= 55.0  # nothing of the recording went by while nobody was asking

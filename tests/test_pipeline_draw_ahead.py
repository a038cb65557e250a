"""Offline smoothing with a saved video: the video is drawn during the first pass (the source is read once), frame
for frame as the second pass drew it before; frame times the lag cannot follow, or frames too large to hold, fall
back to drawing in the second pass. The counts never change."""

from __future__ import annotations

import json
import signal

import numpy as np
import pytest
from test_pipeline import DipMachine, ListRecorder, ListSource, config, make_stages, pose, signal_at_frame, squat_angles
from video_files import read_video

from fitness.pipeline import run_session
from fitness.smoothing import smooth_offline


class TimedSource(ListSource):
    """Gray frames with the given times; fps: what the container says."""

    def __init__(self, times, fps: float = 10.0):
        super().__init__(len(times), fps)
        self.times = list(times)

    def _frames(self):
        for i, t in enumerate(self.times):
            yield np.full((48, 64, 3), 100, np.uint8), t, i


def noisy_poses(reps: int, seed: int = 5, per_angle: int = 1):
    """squat_angles(reps) with noise, each angle held per_angle frames (slower reps at a higher frame rate)."""
    rng = np.random.default_rng(seed)
    return [pose(a).replace(xy=pose(a).xy + rng.normal(0, 2, (17, 2)).astype(np.float32))
            for a in squat_angles(reps) for _ in range(per_angle)]


DRAWING_MACHINES: list[DipMachine] = []  # the machines the sessions drew ahead with, newest last


def drawing_engine():
    DRAWING_MACHINES.append(DipMachine())
    return DRAWING_MACHINES[-1], ListRecorder()


def session(tmp_path, name, poses, times, ahead: bool, on_frame=None, fps: float = 10.0):
    """A saved-video offline session; ahead: the stages can draw ahead (fresh_engine). Returns (result, the video's
    frames, how often the source was opened, the JSON)."""
    stages = make_stages(poses, on_frame=on_frame, smooth_offline=smooth_offline)
    DRAWING_MACHINES.clear()
    if ahead:
        stages.fresh_engine = drawing_engine
    opened = []

    def factory():
        opened.append(TimedSource(times, fps))
        return opened[-1]

    out = tmp_path / f"{name}.mp4"
    result = run_session(config(tmp_path, smoothing="offline", save_video=str(out), json_path=str(tmp_path / name)),
                         stages=stages, source_factory=factory)
    _, frames = read_video(out)
    return result, frames, len(opened), json.loads((tmp_path / name).read_text())


def same_video(a, b) -> bool:
    return len(a) == len(b) and all(np.array_equal(x, y) for x, y in zip(a, b))


@pytest.mark.parametrize("fps", [10.0, 30.0])
def test_the_video_is_drawn_in_the_first_pass_exactly_as_the_second_pass_drew_it(tmp_path, fps):
    poses = noisy_poses(4, per_angle=round(fps / 10))
    times = [i / fps for i in range(len(poses))]
    before, old_frames, old_opened, old_json = session(tmp_path, "before", poses, times, ahead=False, fps=fps)
    now, frames, opened, saved = session(tmp_path, "now", poses, times, ahead=True, fps=fps)
    assert (old_opened, opened) == (2, 1)  # decoded once
    assert len(frames) == len(poses) and same_video(frames, old_frames)
    assert now.summary.reps == before.summary.reps == 4 and saved == old_json
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []  # no temp video left


def test_a_nobody_stretch_and_a_jump_in_time_are_drawn_ahead_too(tmp_path):
    poses = noisy_poses(3)
    poses[10:14] = [None] * 4
    times = [i / 10 + (5.0 if i >= 20 else 0.0) for i in range(len(poses))]
    _, old_frames, _, old_json = session(tmp_path, "before", poses, times, ahead=False)
    _, frames, opened, saved = session(tmp_path, "now", poses, times, ahead=True)
    assert opened == 1 and same_video(frames, old_frames) and saved == old_json


def test_uneven_frame_times_fall_back_to_drawing_in_the_second_pass(tmp_path):
    poses = noisy_poses(3)
    rng = np.random.default_rng(2)
    times = list(np.cumsum(rng.uniform(0.08, 0.12, len(poses))))  # a variable frame rate
    _, old_frames, _, old_json = session(tmp_path, "before", poses, times, ahead=False)
    _, frames, opened, saved = session(tmp_path, "now", poses, times, ahead=True)
    assert len(DRAWING_MACHINES) == 1  # it was tried
    assert opened == 2 and len(frames) == len(poses) and same_video(frames, old_frames) and saved == old_json
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def test_one_uneven_step_late_in_the_video_throws_away_what_was_drawn(tmp_path):
    """A single late dropped frame: the lagged frames were drawn, then the check at the end finds the whole
    recording smoothed otherwise (or the step is caught as it comes); either way the second pass draws it all."""
    poses = noisy_poses(3)
    times = [i / 10 + (0.05 if i >= 30 else 0.0) for i in range(len(poses))]
    _, old_frames, _, old_json = session(tmp_path, "before", poses, times, ahead=False)
    _, frames, opened, saved = session(tmp_path, "now", poses, times, ahead=True)
    assert len(DRAWING_MACHINES[0].seen) > 0  # frames were drawn ahead, then thrown away
    assert opened == 2 and same_video(frames, old_frames) and saved == old_json


def test_a_frame_rate_whose_window_is_not_steady_is_drawn_in_the_second_pass(tmp_path):
    poses = noisy_poses(3, per_angle=2)
    times = [i / 15 for i in range(len(poses))]  # 0.5 s is 7.5 frames: see steady_window
    _, old_frames, _, old_json = session(tmp_path, "before", poses, times, ahead=False, fps=15.0)
    _, frames, opened, saved = session(tmp_path, "now", poses, times, ahead=True, fps=15.0)
    assert len(DRAWING_MACHINES) == 1 and DRAWING_MACHINES[0].seen == []  # not even tried
    assert opened == 2 and same_video(frames, old_frames) and saved == old_json


def test_frames_too_large_to_hold_for_the_lag_are_drawn_in_the_second_pass(tmp_path, monkeypatch):
    monkeypatch.setattr("fitness.run.draw_ahead.AHEAD_BUDGET_BYTES", 48 * 64 * 3 * 5)  # 5 frames: less than a lag
    poses = noisy_poses(2)
    times = [i / 10 for i in range(len(poses))]
    _, frames, opened, _ = session(tmp_path, "now", poses, times, ahead=True)
    assert len(DRAWING_MACHINES) == 1 and DRAWING_MACHINES[0].seen == []  # tried, and gave up at the first frame
    assert opened == 2 and len(frames) == len(poses)


def test_ctrl_c_in_the_first_pass_saves_the_video_of_what_was_seen(tmp_path):
    """The first Ctrl-C ends the first pass after the current frame: what was seen is counted and the video has
    each of those frames, drawn as the second pass drew them."""
    poses = noisy_poses(4)
    times = [i / 10 for i in range(len(poses))]
    _, old_frames, _, old_json = session(tmp_path, "before", poses, times, ahead=False,
                                         on_frame=signal_at_frame(signal.SIGINT, 30))
    now, frames, opened, saved = session(tmp_path, "now", poses, times, ahead=True,
                                         on_frame=signal_at_frame(signal.SIGINT, 30))
    assert now.ended == "interrupted" and opened == 1
    assert len(frames) == 31 and same_video(frames, old_frames) and saved == old_json


def test_frames_drawn_ahead_are_handed_over_to_the_writer_and_those_of_the_second_pass_are_not(tmp_path, monkeypatch):
    """A frame drawn ahead is not read again once drawn, so the overlay goes on it rather than on a copy; a frame of
    the second pass may still be read (the reps' thumbnails)."""
    from fitness.feedback.background_writer import BackgroundVideoWriter

    handed: dict[bool, int] = {True: 0, False: 0}
    write = BackgroundVideoWriter.write

    def spy(self, image, snapshot=None, *, owned=False):
        handed[owned] += 1
        write(self, image, snapshot, owned=owned)

    monkeypatch.setattr(BackgroundVideoWriter, "write", spy)
    poses = noisy_poses(2)
    times = [i / 10 for i in range(len(poses))]
    session(tmp_path, "now", poses, times, ahead=True)
    assert handed == {True: len(poses), False: 0}
    session(tmp_path, "before", poses, times, ahead=False)
    assert handed == {True: len(poses), False: len(poses)}


class StoreRecorder(ListRecorder):
    """A recorder that writes a history (its reps' thumbnails need the frames of a second pass)."""

    store = object()

    def save_thumbnail(self, rep_index, jpeg):
        pass


@pytest.mark.parametrize("history", [False, True])
def test_the_count_drawn_ahead_becomes_the_sessions_unless_the_second_pass_has_more_to_do(tmp_path, history):
    """Without history (or voice, people, a plan) the machine that drew the video counted every frame already, so
    the session's own machine is not run over them again; with history the second pass runs for the thumbnails."""
    poses = noisy_poses(4)
    times = [i / 10 for i in range(len(poses))]
    stages = make_stages(poses, smooth_offline=smooth_offline)
    if history:
        stages.recorder = StoreRecorder()
    DRAWING_MACHINES.clear()
    stages.fresh_engine = drawing_engine
    out = tmp_path / "now.mp4"
    result = run_session(config(tmp_path, smoothing="offline", save_video=str(out)), stages=stages,
                         source_factory=lambda: TimedSource(times))
    assert result.summary.reps == 4 and result.frames == len(poses)
    assert len(DRAWING_MACHINES[0].seen) == len(poses)  # the video was drawn ahead in both cases
    assert len(stages.machine.seen) == (len(poses) if history else 0)

"""The session loop with stand-in stages: scripted poses -> trivial machine -> recording recorder.

The stand-ins are deliberately dumb so each test can say exactly what must come out: the fake machine
reads a "knee angle" from the nose's x coordinate and counts a rep each time it dips below 100 and comes
back above 160.
"""

from __future__ import annotations

import json
import os
import re
import signal
import stat
from collections.abc import Iterator
from dataclasses import dataclass, field

import cv2
import numpy as np
import pytest

from fitness.capture.source import BaseSource
from fitness.errors import FitnessError, UsageError
from fitness.exercise.events import MachineStep, RepEvent, Signals
from fitness.feedback.window import PreviewWindow
from fitness.pipeline import (
    SessionConfig,
    Stages,
    analyze_video,
    choose_person,
    create_stages,
    load_definition,
    run_session,
)
from fitness.pose.types import Keypoint, Pose
from fitness.session.summary import SetSummary, WorkoutSummary

W, H = 64, 48


def pose(
    knee_deg: float,
    t: float = 0.0,
    scale: float = 1.0,
    track_id: int | None = None,
    left: float = 0.9,
    right: float = 0.5,
) -> Pose:
    xy = np.tile(np.array([[20.0, 10.0]], np.float32), (17, 1)) + np.arange(17, dtype=np.float32)[:, None] * scale
    xy[0, 0] = knee_deg  # where the fake machine reads its signal
    score = np.full(17, right, np.float32)
    score[1::2] = left  # odd COCO indices are the left side
    return Pose(xy=xy, score=score, t=t, track_id=track_id)


def squat_angles(reps: int) -> list[float]:
    """170 (standing) -> 90 (bottom) -> 170, `reps` times, 5 frames per half rep."""
    down = list(np.linspace(170, 90, 5))
    return [170.0] * 3 + (down + down[::-1]) * reps + [170.0] * 3


class ListSource(BaseSource):
    """Gray frames at `fps`; raises KeyboardInterrupt before frame `interrupt_at` when given."""

    def __init__(self, n: int, fps: float = 10.0, interrupt_at: int | None = None, end_reason: str | None = None):
        super().__init__()
        self.n, self.fps, self.interrupt_at, self._end = n, fps, interrupt_at, end_reason
        self.label = "fake:list"
        self.opened = 1

    def _frames(self) -> Iterator[tuple[np.ndarray, float, int]]:
        for i in range(self.n):
            if i == self.interrupt_at:
                raise KeyboardInterrupt
            yield np.full((H, W, 3), 100, np.uint8), i / self.fps, i
        if self._end:
            self.end_reason, self.end_detail = self._end, f"the source says: {self._end}"


def counting_sources(frames_of):
    """(source_factory, opened): each call opens a ListSource of frames_of(sources opened before it) frames,
    and `opened` lists them, so a test can tell how often the video was read."""
    opened: list[ListSource] = []

    def factory():
        opened.append(ListSource(frames_of(len(opened))))
        return opened[-1]

    return factory, opened


class ScriptedEstimator:
    name = "scripted"

    def __init__(self, poses: list[Pose | None], crowd: list[list[Pose]] | None = None, on_frame=None):
        self.poses, self.crowd, self.on_frame, self.calls = poses, crowd, on_frame, 0

    def estimate(self, frame) -> Pose | None:
        self.calls += 1
        if self.on_frame:
            self.on_frame(frame.index)
        p = self.poses[frame.index]
        return None if p is None else p.replace(t=frame.t)

    def estimate_all(self, frame) -> list[Pose]:
        self.calls += 1
        return [p.replace(t=frame.t) for p in self.crowd[frame.index]]

    def reset(self) -> None:
        pass


class PassThrough:
    def __init__(self):
        self.applied = 0

    def apply(self, p: Pose) -> Pose:
        self.applied += 1
        return p

    def reset(self) -> None:
        pass


class DipMachine:
    """Counts a rep when the signal goes below 100 and back above 160."""

    def __init__(self):
        self.low, self.reps, self.seen, self.finished = False, 0, [], False

    def update(self, p: Pose | None, t: float) -> MachineStep:
        value = float(p.xy[0, 0]) if p is not None else float("nan")
        self.seen.append(value)
        new = ()
        if value < 100:
            self.low = True
        elif value > 160 and self.low:
            self.low = False
            self.reps += 1
            new = (RepEvent(self.reps, t - 1.0, t, True, rom=(90.0, 170.0), signal="knee_deg"),)
        return MachineStep(
            t=t,
            signals=Signals(t, {"knee_deg": value}, p is not None),
            phase="bottom" if self.low else "top",
            reps=self.reps,
            no_reps=0,
            new_reps=new,
            visible=p is not None,
            progress=(170 - value) / 80 if p is not None else float("nan"),
        )

    def finish(self, t: float) -> MachineStep:
        self.finished = True
        return MachineStep(t=t, signals=Signals(t, {}, False), phase=None, reps=self.reps, no_reps=0)


class ListRecorder:
    """Keeps every rep as it comes (as the real recorder commits each to history) and builds the summary."""

    set_index = 1

    def __init__(self):
        self.reps: list[RepEvent] = []
        self.steps = 0
        self.finish_args = None

    def update(self, step: MachineStep) -> None:
        self.steps += 1
        self.reps.extend(step.new_reps)

    def finish(self, *, frames: int, duration_s: float, fps: float, interrupted: bool) -> WorkoutSummary:
        self.finish_args = dict(frames=frames, duration_s=duration_s, fps=fps, interrupted=interrupted)
        return WorkoutSummary(
            exercise="squats", source="fake:list", model="scripted", started_at="2026-11-25T00:00:00Z",
            duration_s=duration_s, frames=frames, fps=fps, reps=len(self.reps), no_reps=0,
            rep_details=tuple(self.reps), sets=(SetSummary(1, 0.0, duration_s, len(self.reps), 0),),
            interrupted=interrupted,
        )


@dataclass
class Definition:
    name: str = "squats"
    title: str = "Bodyweight squat"
    params: dict = field(default_factory=dict)
    rep_signal: str = "knee_deg"
    posture: str | None = "standing"

    def angle_joints(self, side: str):
        k = Keypoint
        if side == "left":
            return {"knee_deg": (int(k.LEFT_HIP), int(k.LEFT_KNEE), int(k.LEFT_ANKLE))}
        return {"knee_deg": (int(k.RIGHT_HIP), int(k.RIGHT_KNEE), int(k.RIGHT_ANKLE))}


class RecordingUI:
    def __init__(self):
        self.snapshots, self.started, self.stopped = [], 0, 0

    def start(self):
        self.started += 1

    def update(self, snapshot):
        self.snapshots.append(snapshot)

    def stop(self):
        self.stopped += 1


def make_stages(poses, crowd=None, on_frame=None, smooth_offline=None) -> Stages:
    return Stages(Definition(), ScriptedEstimator(poses, crowd, on_frame), PassThrough(), DipMachine(), ListRecorder(),
                  smooth_offline=smooth_offline)


def config(tmp_path, **changes) -> SessionConfig:
    values = dict(exercise="squats", source="video", path="unused.mp4", smoothing="live", window=False,
                  json_path=str(tmp_path / "out.json"), no_history=True)
    values.update(changes)
    return SessionConfig(**values)


def run(tmp_path, stages, source=None, ui=None, **changes):
    n = len(stages.estimator.poses)
    src = source or ListSource(n)
    return run_session(config(tmp_path, **changes), ui, stages=stages, source_factory=lambda: src)


def test_scripted_reps_are_counted_and_saved(tmp_path):
    angles = squat_angles(3)
    stages = make_stages([pose(a) for a in angles])
    ui = RecordingUI()
    result = run(tmp_path, stages, ui=ui)
    assert result.summary.reps == 3
    assert result.frames == len(angles) == result.frames_with_person
    assert result.ended == "complete" and result.notes == ()
    assert stages.machine.finished
    assert stages.recorder.finish_args == dict(
        frames=len(angles), duration_s=pytest.approx(len(angles) / 10), fps=10.0, interrupted=False
    )
    saved = json.loads((tmp_path / "out.json").read_text())
    assert saved["reps"] == 3 and len(saved["rep_details"]) == 3
    assert [f for f in os.listdir(tmp_path) if f.endswith(".tmp")] == []
    assert ui.started == ui.stopped == 1
    last = ui.snapshots[-1]
    assert last.step.reps == 3 and last.last_rep.index == 3
    assert last.main_signal == "knee_deg"
    assert set(last.latency_ms) >= {"decode", "pose", "smooth", "engine", "ui"}
    assert last.angle_joints == {"knee_deg": (11, 13, 15)}  # the left side scores higher in `pose`


def test_ctrl_c_mid_stream_still_writes_the_reps_so_far(tmp_path):
    angles = squat_angles(4)
    stages = make_stages([pose(a) for a in angles])
    # Frames 0..2 stand, each rep takes 10 frames: interrupting at frame 26 leaves 2 finished reps.
    result = run(tmp_path, stages, source=ListSource(len(angles), interrupt_at=26))
    assert result.summary.reps == 2 and result.summary.interrupted
    assert result.ended == "interrupted"
    assert any("Ctrl-C" in note for note in result.notes)
    saved = json.loads((tmp_path / "out.json").read_text())
    assert saved["reps"] == 2 and saved["interrupted"] is True


def signal_at_frame(signum: int, frame: int = 26):
    """An on_frame hook that sends this process `signum` while frame `frame` is processed."""

    def hook(index):
        if index == frame:
            os.kill(os.getpid(), signum)

    return hook


def test_a_real_sigint_ends_the_session_after_the_current_frame(tmp_path):
    angles = squat_angles(4)
    before = signal.getsignal(signal.SIGINT)
    stages = make_stages([pose(a) for a in angles], on_frame=signal_at_frame(signal.SIGINT))
    result = run(tmp_path, stages)
    assert result.frames == 27  # frame 26 was still processed, then the loop stopped
    assert result.summary.reps == 2 and result.summary.interrupted
    assert json.loads((tmp_path / "out.json").read_text())["reps"] == 2
    assert signal.getsignal(signal.SIGINT) is before


def test_a_batch_session_leaves_ctrl_c_to_its_caller(tmp_path):
    """analyze_video's sessions (fitness eval) do not own the signals: the caller's Ctrl-C handler runs, so Ctrl-C
    ends the whole batch, not one clip. (The caller's handler is the test's own, so the test does not depend on
    the handler the test process happens to have.)"""

    class CallerStopped(Exception):
        pass

    def caller(signum, frame):
        raise CallerStopped

    angles = squat_angles(4)
    before = signal.signal(signal.SIGINT, caller)
    try:
        stages = make_stages([pose(a) for a in angles], on_frame=signal_at_frame(signal.SIGINT))
        with pytest.raises(CallerStopped):
            run_session(config(tmp_path), None, stages=stages, source_factory=lambda: ListSource(len(angles)),
                        own_signals=False)
        assert signal.getsignal(signal.SIGINT) is caller
    finally:
        signal.signal(signal.SIGINT, before)


def test_a_sigterm_ends_the_session_like_the_first_ctrl_c(tmp_path):
    angles = squat_angles(4)

    def unhandled(signum, frame):  # instead of terminating the test process when the session does not handle it
        raise AssertionError("the session let SIGTERM through")

    before = signal.signal(signal.SIGTERM, unhandled)
    try:
        stages = make_stages([pose(a) for a in angles], on_frame=signal_at_frame(signal.SIGTERM))
        result = run(tmp_path, stages)
        assert signal.getsignal(signal.SIGTERM) is unhandled
    finally:
        signal.signal(signal.SIGTERM, before)
    assert result.frames == 27 and result.ended == "interrupted"
    assert result.summary.reps == 2 and result.summary.interrupted
    assert "stopped by SIGTERM after 27 frames; the 2 reps so far are saved" in result.notes
    assert json.loads((tmp_path / "out.json").read_text())["reps"] == 2


def test_offline_smoothing_smooths_the_whole_recording_before_the_engine(tmp_path):
    angles = squat_angles(2)
    calls = []

    def smooth_offline(poses):
        calls.append(len(poses))
        # A visible change: shift every signal by +1 degree.
        return [p.replace(xy=p.xy + np.float32(1.0)) if p is not None else None for p in poses]

    stages = make_stages([pose(a) for a in angles], smooth_offline=smooth_offline)
    ui = RecordingUI()
    result = run(tmp_path, stages, ui=ui, smoothing="offline")
    assert calls == [len(angles)]
    assert stages.machine.seen == pytest.approx([a + 1 for a in angles])
    assert result.summary.reps == 2
    assert "Finding poses" in ui.snapshots[0].step.guidance


@pytest.mark.parametrize("known", [True, False])
def test_the_pose_pass_reports_how_far_it_is_then_counting_takes_over(tmp_path, known):
    angles = squat_angles(2)
    n = len(angles)
    stages = make_stages([pose(a) for a in angles], smooth_offline=lambda ps: ps)
    source = ListSource(n)
    frame_count = source.frame_count = n if known else None  # what a video's container says, if anything
    ui = RecordingUI()
    run(tmp_path, stages, source=source, ui=ui, smoothing="offline")
    passing = [s.pass_progress for s in ui.snapshots[:n]]
    assert [p.done_frames for p in passing] == list(range(1, n + 1))
    assert {p.total_frames for p in passing} == {frame_count}
    assert [p.elapsed_s for p in passing] == sorted(p.elapsed_s for p in passing)
    assert all(s.pass_progress is None for s in ui.snapshots[n:]) and len(ui.snapshots) == 2 * n


def test_offline_smoothing_without_an_offline_smoother_is_one_clear_error(tmp_path):
    stages = make_stages([pose(170.0)] * 3)
    with pytest.raises(FitnessError, match="no offline smoother"):
        run(tmp_path, stages, smoothing="offline")


def test_offline_with_a_saved_video_reads_the_source_twice(tmp_path):
    angles = squat_angles(1)
    factory, sources = counting_sources(lambda opened: len(angles))
    stages = make_stages([pose(a) for a in angles], smooth_offline=lambda ps: ps)
    out = tmp_path / "annotated.mp4"
    result = run_session(
        config(tmp_path, smoothing="offline", save_video=str(out)), stages=stages, source_factory=factory
    )
    assert len(sources) == 2 and result.summary.reps == 1
    cap = cv2.VideoCapture(str(out))
    assert int(cap.get(cv2.CAP_PROP_FRAME_COUNT)) == len(angles)
    assert cap.get(cv2.CAP_PROP_FPS) == pytest.approx(10.0)
    cap.release()


def test_saved_video_keeps_frame_rate_and_shows_the_overlay(tmp_path):
    angles = squat_angles(1)
    out = tmp_path / "annotated.mp4"
    run(tmp_path, make_stages([pose(a) for a in angles]), save_video=str(out))
    cap = cv2.VideoCapture(str(out))
    assert int(cap.get(cv2.CAP_PROP_FRAME_COUNT)) == len(angles)
    assert cap.get(cv2.CAP_PROP_FPS) == pytest.approx(10.0)
    ok, image = cap.read()
    cap.release()
    assert ok and image.shape == (H, W, 3)
    assert np.abs(image.astype(int) - 100).max() > 50  # not the plain gray input: something was drawn


def test_nobody_ever_detected_is_reported(tmp_path):
    stages = make_stages([None] * 12)
    result = run(tmp_path, stages)
    assert result.frames == 12 and result.frames_with_person == 0
    assert any("no person was detected in any of the 12 frames" in n for n in result.notes)
    assert stages.smoother.applied == 0


def test_two_people_follows_the_largest_and_says_so(tmp_path):
    angles = squat_angles(1)
    crowd = [[pose(200.0, scale=0.5), pose(a, scale=2.0)] for a in angles]  # the squatter is the larger one
    ui = RecordingUI()
    stages = make_stages([None] * len(angles), crowd=crowd)
    result = run(tmp_path, stages, ui=ui, model="multipose")
    assert result.summary.reps == 1
    assert "2 people in view: following the largest one" == ui.snapshots[0].notice
    assert any("more than one person" in n for n in result.notes)


def test_a_person_id_that_never_appears_is_reported_as_such(tmp_path):
    angles = squat_angles(1)
    crowd = [[pose(200.0, scale=0.5, track_id=1), pose(a, scale=2.0, track_id=2)] for a in angles]
    ui = RecordingUI()
    stages = make_stages([None] * len(angles), crowd=crowd)
    result = run(tmp_path, stages, ui=ui, model="multipose", person="99")
    assert result.frames_with_person == 0
    assert result.no_person == (
        f"no person with id 99 was seen in any of the {len(angles)} frames (ids seen: 1, 2); "
        "pick one of those with --person, or use --person largest"
    )
    assert result.notes == (result.no_person,)  # not "followed the person with id 99"
    assert ui.snapshots[0].notice == "2 people in view: not seeing the person with id 99"


def test_a_person_id_that_appears_is_followed(tmp_path):
    angles = squat_angles(1)
    crowd = [[pose(200.0, scale=0.5, track_id=1), pose(a, scale=2.0, track_id=2)] for a in angles]
    result = run(tmp_path, make_stages([None] * len(angles), crowd=crowd), model="multipose", person="2")
    assert result.summary.reps == 1 and result.no_person is None
    assert result.notes == (f"more than one person was in view in {len(angles)} frames; followed the person with id 2",)


@pytest.mark.parametrize(("reason", "interrupted"), [("lost", True), ("truncated", True), (None, False)])
def test_a_source_that_ends_early_is_reported_and_marks_the_summary(tmp_path, reason, interrupted):
    angles = squat_angles(1)
    result = run(tmp_path, make_stages([pose(a) for a in angles]), source=ListSource(len(angles), end_reason=reason))
    assert result.summary.interrupted is interrupted
    assert result.ended == (reason or "complete")
    assert (f"the source says: {reason}" in result.notes) is (reason is not None)


def test_a_truncated_video_file_ends_cleanly(tmp_path):
    path = tmp_path / "clip.avi"
    writer = cv2.VideoWriter(str(path), cv2.VideoWriter_fourcc(*"MJPG"), 10.0, (W, H))
    for i in range(20):
        writer.write(np.full((H, W, 3), 10 * i, np.uint8))
    writer.release()
    path.write_bytes(path.read_bytes()[: int(path.stat().st_size * 0.8)])
    stages = make_stages([pose(170.0)] * 20)
    result = run_session(config(tmp_path, path=str(path)), stages=stages)
    assert result.ended == "truncated" and 0 < result.frames < 20
    assert result.summary.interrupted


@pytest.mark.parametrize("smoothing", ["live", "offline"])
def test_a_source_that_breaks_mid_way_saves_the_reps_so_far_then_reports(tmp_path, smoothing):
    from fitness.errors import SourceError

    angles = squat_angles(3)
    frames = tmp_path / "frames"
    frames.mkdir()
    for i in range(len(angles)):
        cv2.imwrite(str(frames / f"{i:03d}.png"), np.zeros((H, W, 3), np.uint8))
    (frames / "025.png").write_bytes(b"damaged")  # frames 0..24 hold two finished reps
    stages = make_stages([pose(a) for a in angles], smooth_offline=lambda ps: ps)
    with pytest.raises(SourceError, match="cannot read image"):
        run_session(config(tmp_path, source="images", path=str(frames), smoothing=smoothing), stages=stages)
    saved = json.loads((tmp_path / "out.json").read_text())
    assert saved["reps"] == 2 and saved["frames"] == 25 and saved["interrupted"] is True


class FakeWindow:
    def __init__(self, quit_at: int):
        self.quit_at, self.shown, self.closed = quit_at, 0, False

    def show(self, image) -> bool:
        self.shown += 1
        return self.shown < self.quit_at

    def close(self) -> None:
        self.closed = True


def test_q_in_the_window_ends_the_session_normally(tmp_path, monkeypatch):
    window = FakeWindow(quit_at=5)
    monkeypatch.setattr("fitness.pipeline.PreviewWindow", lambda title: window)
    result = run(tmp_path, make_stages([pose(170.0)] * 30), window=True)
    assert result.frames == 5 and result.ended == "quit"
    assert not result.summary.interrupted and window.closed


def test_q_while_finding_poses_counts_what_was_seen_and_closes_the_window(tmp_path, monkeypatch):
    window = FakeWindow(quit_at=15)
    monkeypatch.setattr("fitness.pipeline.PreviewWindow", lambda title: window)
    angles = squat_angles(3)
    stages = make_stages([pose(a) for a in angles], smooth_offline=lambda ps: ps)
    result = run(tmp_path, stages, window=True, smoothing="offline")
    assert result.frames == 15 and result.ended == "quit"
    assert result.summary.reps == 1  # frames 3..12 hold the first rep
    assert window.shown == 15 and window.closed


def test_a_headless_opencv_asks_for_no_window():
    class NoGui:
        WINDOW_NORMAL = 0

        def namedWindow(self, *a):
            raise cv2.error("The function is not implemented")

    with pytest.raises(UsageError, match="--no-window"):
        PreviewWindow("x", gui=NoGui())


def test_without_a_display_the_session_runs_on_without_a_window(tmp_path, monkeypatch):
    from fitness.feedback.window import WindowUnavailable

    def no_window(title):
        raise WindowUnavailable("no video window: going on without it")

    monkeypatch.setattr("fitness.pipeline.PreviewWindow", no_window)
    result = run(tmp_path, make_stages([pose(a) for a in squat_angles(2)]), window=True)
    assert result.summary.reps == 2
    assert result.notes[0] == "no video window: going on without it"


def test_analyze_video_returns_the_raw_poses(tmp_path):
    angles = squat_angles(2)
    path = tmp_path / "clip.avi"
    writer = cv2.VideoWriter(str(path), cv2.VideoWriter_fourcc(*"MJPG"), 10.0, (W, H))
    for _ in angles:
        writer.write(np.zeros((H, W, 3), np.uint8))
    writer.release()
    raw = [pose(a) for a in angles]
    stages = make_stages(raw, smooth_offline=lambda ps: [p.replace(xy=p.xy + np.float32(1.0)) for p in ps])
    result = analyze_video(path, "squats", stages=stages)
    assert result.summary.reps == 2
    assert len(result.poses) == len(angles)
    assert float(result.poses[4].xy[0, 0]) == pytest.approx(angles[4])  # raw, not the smoothed +1


def test_analyze_video_reuses_the_loaded_model_across_clips(tmp_path, monkeypatch):
    angles = squat_angles(1)
    path = write_clip(tmp_path / "clip.avi", len(angles))
    created, resets = [], []

    class Est(ScriptedEstimator):
        def reset(self):
            resets.append(1)

    def create_estimator(config):
        created.append(config.model)
        return Est([pose(a) for a in angles])

    monkeypatch.setattr("fitness.pipeline.load_definition", lambda config: Definition())
    monkeypatch.setattr("fitness.pipeline.create_estimator", create_estimator)
    monkeypatch.setattr("fitness.pipeline._ESTIMATOR_CACHE", {})

    def create_stages(config, definition, label, estimator=None):
        return Stages(definition, estimator, PassThrough(), DipMachine(), ListRecorder(), smooth_offline=lambda ps: ps)

    monkeypatch.setattr("fitness.pipeline.create_stages", create_stages)
    results = [analyze_video(path, "squats") for _ in range(3)]
    assert [r.summary.reps for r in results] == [1, 1, 1]
    assert created == ["lightning"] and len(resets) == 3


def test_run_session_returns_the_result_with_a_failed_write_in_it(tmp_path):
    import shutil

    folder = tmp_path / "out"
    folder.mkdir()
    stages = make_stages([pose(a) for a in squat_angles(1)], on_frame=lambda i: i == 3 and shutil.rmtree(folder))
    source = ListSource(len(stages.estimator.poses))
    out = folder / "s.json"
    result = run_session(config(tmp_path, json_path=str(out)), stages=stages, source_factory=lambda: source)
    assert result.summary.reps == 1 and stages.recorder.finish_args["frames"] == result.frames
    assert isinstance(result.write_error, FitnessError) and f"cannot write {out}" in str(result.write_error)


# --- helpers ---


def test_choose_person_policies():
    small, big = pose(1, scale=0.5, track_id=1), pose(1, scale=3.0, track_id=2)
    assert choose_person([small, big], "largest", (W, H)) is big
    assert choose_person([small, big], "1", (W, H)) is small
    assert choose_person([big], "1", (W, H)) is None
    # Once following a track, stay with it even when another person is larger.
    assert choose_person([small, big], "largest", (W, H), previous=small) is small
    assert choose_person([], "largest", (W, H)) is None
    centred = Pose(xy=np.full((17, 2), [W / 2, H / 2], np.float32), score=np.ones(17), t=0.0)
    corner = Pose(xy=np.zeros((17, 2), np.float32), score=np.ones(17), t=0.0)
    assert choose_person([corner, centred], "center", (W, H)) is centred


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        (dict(source="tape"), "source must be one of"),
        (dict(path=None), "needs a path"),
        (dict(smoothing="magic"), "smoothing must be one of"),
        (dict(source="camera", smoothing="offline"), "offline smoothing needs"),
        (dict(set_pause_s=0), "set-pause-s"),
        (dict(threads=0), "threads"),
        (dict(rotate=45), "rotation"),
    ],
)
def test_bad_session_configs_are_usage_errors(changes, message):
    values = dict(exercise="squats", source="video", path="x.mp4")
    values.update(changes)
    with pytest.raises(UsageError, match=message):
        SessionConfig(**values)


def test_default_smoothing_is_live_for_cameras_and_offline_for_files():
    assert SessionConfig("squats", source="camera").smoothing_mode == "live"
    assert SessionConfig("squats", source="video", path="x.mp4").smoothing_mode == "offline"


@pytest.mark.parametrize(
    ("smoothing", "smoother"),
    [("live", "OneEuroSmoother"), ("oneeuro", "OneEuroSmoother"), ("fixedlag", "FixedLagSmoother"),
     ("none", "PassThroughSmoother"), ("offline", "PassThroughSmoother")],
)
@pytest.mark.parametrize("no_history", [False, True])
@pytest.mark.parametrize("exercise", ["squats", "bicep_curls"])
def test_create_stages_wires_the_real_stages_the_config_asks_for(tmp_path, smoothing, smoother, no_history, exercise):
    from fitness.exercise import ExerciseMachine
    from fitness.session.recorder import SessionRecorder
    from fitness.smoothing import smooth_offline

    db = tmp_path / "history.sqlite3"
    cfg = SessionConfig(exercise, path="x.mp4", smoothing=smoothing, db=str(db), no_history=no_history)
    definition = load_definition(cfg)
    estimator = ScriptedEstimator([])
    stages = create_stages(cfg, definition, "video:x.mp4", estimator=estimator)
    try:
        assert type(stages.smoother).__name__ == smoother  # offline: poses pass through, smoothed all at once
        assert stages.smooth_offline.func is smooth_offline
        # Both smoothers keep every keypoint the engine may use.
        # Both smoothers keep keypoints scored 0.2 only for paired sides (they count on consistent low scores).
        low = [Pose(np.full((17, 2), 100.0 + i, np.float32), np.full(17, 0.2, np.float32), i / 30) for i in range(12)]
        assert stages.smooth_offline(low)[5].visible(0.2).all() == (exercise == "bicep_curls")
        if smoothing in ("live", "oneeuro", "fixedlag"):
            assert stages.smoother.min_score == (0.3 if exercise == "squats" else definition.keep_score)
        assert stages.definition is definition and stages.estimator is estimator
        assert type(stages.machine) is ExerciseMachine and type(stages.recorder) is SessionRecorder
        assert len(stages.closers) == (0 if no_history else 1)  # the history store, closed at the end
        assert db.exists() == (not no_history)
    finally:
        for close in stages.closers:
            close()


# --- the `fitness run` command, with the stand-in stages wired in ---


@pytest.fixture
def fake_stack(monkeypatch):
    """Makes `fitness run` build the stand-in stages; the scripted poses are set per test."""
    script: dict = {"poses": []}
    monkeypatch.setattr("fitness.pipeline.load_definition", lambda config: Definition())

    def create(config, definition, label):
        script["config"] = config
        return make_stages(script["poses"], crowd=script.get("crowd"), on_frame=script.get("on_frame"),
                           smooth_offline=lambda ps: ps)

    monkeypatch.setattr("fitness.pipeline.create_stages", create)
    return script


def write_clip(path, frames: int):
    writer = cv2.VideoWriter(str(path), cv2.VideoWriter_fourcc(*"MJPG"), 10.0, (W, H))
    for _ in range(frames):
        writer.write(np.zeros((H, W, 3), np.uint8))
    writer.release()
    return path


def test_fitness_run_counts_prints_plain_lines_and_writes_json(tmp_path, fake_stack, capsys):
    from fitness import cli

    angles = squat_angles(3)
    fake_stack["poses"] = [pose(a) for a in angles]
    clip = write_clip(tmp_path / "clip.avi", len(angles))
    out = tmp_path / "out.json"
    code = cli.app(["run", "squats", "--video", str(clip), "--no-window", "--json", str(out), "--set", "depth_deg=90"])
    captured = capsys.readouterr()
    assert code == 0, captured.err
    assert json.loads(out.read_text())["reps"] == 3
    assert "Reps: 3" in captured.out and "rep 3: score" in captured.out
    assert "\x1b" not in captured.out  # not a terminal: no escape codes
    assert fake_stack["config"].overrides == {"depth_deg": 90.0}
    assert fake_stack["config"].smoothing_mode == "offline"


def test_fitness_run_with_nobody_in_view_saves_then_fails_with_one_line(tmp_path, fake_stack, capsys):
    from fitness import cli

    fake_stack["poses"] = [None] * 8
    clip = write_clip(tmp_path / "clip.avi", 8)
    out = tmp_path / "out.json"
    code = cli.app(["run", "squats", "--video", str(clip), "--no-window", "--json", str(out)])
    err = capsys.readouterr().err.strip().splitlines()
    assert code == 1
    assert err == [
        "fitness: error: " + "no person was detected in any of the 8 frames: make sure the whole body is in view "
        "and well lit (or check --rotate for a sideways video)"
    ]
    assert json.loads(out.read_text())["reps"] == 0


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--video", "{tmp}/missing.mp4"], "video file not found"),
        (["--images", "{tmp}"], "no images in"),
        (["--video", "{clip}", "--set", "depth"], "--set expects NAME=NUMBER"),
        (["--video", "{clip}", "--set", "=90"], "--set expects NAME=NUMBER"),
        (["--video", "{clip}", "--set", "depth_deg=deep"], "--set expects NAME=NUMBER"),
        (["--video", "{clip}", "--json", "{tmp}/no/dir/out.json"], "does not exist"),
    ],
)
def test_fitness_run_failures_are_one_line(tmp_path, fake_stack, capsys, argv, message):
    from fitness import cli

    fake_stack["poses"] = [pose(170.0)] * 4
    clip = write_clip(tmp_path / "clip.avi", 4)
    argv = [a.format(tmp=tmp_path, clip=clip) for a in argv]
    code = cli.app(["run", "squats", *argv, "--no-window"])
    err = capsys.readouterr().err.strip().splitlines()
    assert code in (1, 2)
    assert len(err) == 1 and err[0].startswith("fitness: error: ") and message in err[0]


def test_fitness_run_camera_that_does_not_open(fake_stack, capsys, monkeypatch):
    from fitness import cli

    class Closed:
        def isOpened(self):
            return False

        def release(self):
            pass

    monkeypatch.setattr(cv2, "VideoCapture", lambda index: Closed())
    code = cli.app(["run", "squats", "--camera", "7", "--no-window"])
    err = capsys.readouterr().err
    assert code == 1 and "cannot open camera 7" in err


def test_fitness_run_with_an_unseen_person_id_fails_with_one_true_line(tmp_path, fake_stack, capsys):
    from fitness import cli

    angles = squat_angles(1)
    fake_stack["poses"] = [None] * len(angles)
    fake_stack["crowd"] = [[pose(200.0, scale=0.5, track_id=1), pose(a, scale=2.0, track_id=3)] for a in angles]
    clip = write_clip(tmp_path / "clip.avi", len(angles))
    code = cli.app(["run", "squats", "--video", str(clip), "--no-window", "--model", "multipose", "--person", "99"])
    err = capsys.readouterr().err.strip().splitlines()
    assert code == 1
    assert err == ["fitness: error: no person with id 99 was seen in any of the "
                   f"{len(angles)} frames (ids seen: 1, 3); pick one of those with --person, or use --person largest"]


# --- outputs: refused before the session when they would destroy something or cannot be written ---


@pytest.mark.parametrize(
    ("argv", "code", "message"),
    [
        (["--json", "{clip}"], 2, "is the input video"),
        (["--save-video", "{clip}"], 2, "is the input video"),
        (["--json", "./clip.avi"], 2, "is the input video"),  # relative to the working folder
        (["--json", "{db}", "--db", "{db}"], 2, "is the history database"),
        (["--json", "{home_db}"], 2, "is the history database"),  # the default one, without --db
        (["--save-video", "{cache}/models/lightning.mp4"], 2, "is inside the model cache"),
        (["--json", "{tmp}/o.avi", "--save-video", "{tmp}/o.avi"], 2, "name the same file"),
        (["--json", "{tmp}"], 2, "is a folder"),
        (["--json", "{tmp}/no/dir/out.json"], 2, "does not exist"),
        (["--save-video", "{tmp}/no/dir/out.mp4"], 2, "does not exist"),
        (["--save-video", "{tmp}/out.webm"], 1, "could not open a writer"),
    ],
)
def test_fitness_run_refuses_bad_outputs_before_the_model_loads(tmp_path, fake_stack, capsys, monkeypatch, argv, code,
                                                                 message):
    from fitness import cli, paths

    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("FITNESS_CACHE", str(tmp_path / "cache"))  # never the shared model cache
    (tmp_path / "cache" / "models").mkdir(parents=True)
    fake_stack["poses"] = [pose(170.0)] * 4
    clip = write_clip(tmp_path / "clip.avi", 4)
    db = tmp_path / "mine.sqlite3"
    home_db = paths.history_db()
    home_db.parent.mkdir(parents=True, exist_ok=True)
    kept = {}
    for path in (db, home_db):
        path.write_bytes(b"a week of workouts")
    for path in (clip, db, home_db):
        kept[path] = path.read_bytes()
    argv = [a.format(tmp=tmp_path, clip=clip, db=db, home_db=home_db, cache=tmp_path / "cache") for a in argv]
    assert cli.app(["run", "squats", "--video", str(clip), "--no-window", *argv]) == code
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("fitness: error: ") and message in err[0]
    assert "config" not in fake_stack  # the stages (the model) were never built
    assert {path: path.read_bytes() for path in kept} == kept
    assert sorted(os.listdir(tmp_path / "cache" / "models")) == []


def test_fitness_run_json_and_video_are_written_whole_with_normal_permissions(tmp_path, fake_stack, capsys):
    from fitness import cli

    angles = squat_angles(2)
    fake_stack["poses"] = [pose(a) for a in angles]
    clip = write_clip(tmp_path / "clip.avi", len(angles))
    out = tmp_path / "out"
    out.mkdir()
    seen_during = []
    fake_stack["on_frame"] = lambda index: seen_during.append([f for f in os.listdir(out) if not f.startswith(".")])
    old = os.umask(0o022)
    try:
        code = cli.app(["run", "squats", "--video", str(clip), "--no-window", "--smoothing", "live",
                        "--json", str(out / "s.json"), "--save-video", str(out / "s.avi")])
    finally:
        os.umask(old)
    assert code == 0, capsys.readouterr().err
    assert seen_during[-1] == []  # nothing half-written under the real names while the session runs
    assert sorted(os.listdir(out)) == ["s.avi", "s.json"]  # and no temp file left behind
    modes = {f: oct(stat.S_IMODE((out / f).stat().st_mode)) for f in os.listdir(out)}
    assert modes == {"s.avi": "0o644", "s.json": "0o644"}
    cap = cv2.VideoCapture(str(out / "s.avi"))
    assert int(cap.get(cv2.CAP_PROP_FRAME_COUNT)) == len(angles)
    cap.release()


def test_fitness_run_shows_the_summary_when_the_json_cannot_be_written_at_the_end(tmp_path, fake_stack, capsys):
    import shutil

    from fitness import cli

    angles = squat_angles(3)
    fake_stack["poses"] = [pose(a) for a in angles]
    clip = write_clip(tmp_path / "clip.avi", len(angles))
    out = tmp_path / "out"
    out.mkdir()
    fake_stack["on_frame"] = lambda index: index == 5 and shutil.rmtree(out)  # the folder goes away mid-session
    code = cli.app(["run", "squats", "--video", str(clip), "--no-window", "--json", str(out / "s.json")])
    captured = capsys.readouterr()
    assert code == 1
    assert "Reps: 3" in captured.out and "Summary written" not in captured.out
    err = captured.err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith(f"fitness: error: cannot write {out / 's.json'}")


_CHILD = """
import sys, time
sys.path.insert(0, {tests!r})
import test_pipeline as tp
from fitness import cli, pipeline

class SlowEstimator(tp.ScriptedEstimator):
    def estimate(self, frame):
        time.sleep(0.005)  # stands in for the model's cost, so the signal lands mid-video
        return super().estimate(frame)

poses = [tp.pose(a) for a in tp.squat_angles({reps})]
pipeline.load_definition = lambda config: tp.Definition()
pipeline.create_stages = lambda config, definition, label: tp.Stages(
    tp.Definition(), SlowEstimator(poses), tp.PassThrough(), tp.DipMachine(), tp.ListRecorder(),
    smooth_offline=lambda ps: ps)
sys.exit(cli.app(sys.argv[1:]))
"""


@pytest.mark.parametrize(("signum", "words"), [(signal.SIGINT, "Ctrl-C"), (signal.SIGTERM, "SIGTERM")])
@pytest.mark.parametrize(
    ("smoothing", "wait_for"), [("live", "rep 2:"), ("offline", "Finding poses in the recording: ")]
)
def test_a_signal_to_the_real_cli_process_saves_the_reps_so_far(tmp_path, smoothing, wait_for, signum, words):
    import subprocess
    import sys
    from pathlib import Path

    reps = 60
    clip = write_clip(tmp_path / "clip.avi", len(squat_angles(reps)))
    out, video = tmp_path / "out.json", tmp_path / "annotated.avi"
    child = subprocess.Popen(
        [sys.executable, "-c", _CHILD.format(tests=str(Path(__file__).parent), reps=reps), "run", "squats",
         "--video", str(clip), "--no-window", "--json", str(out), "--smoothing", smoothing, "--save-video", str(video)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=Path(__file__).parent.parent,
    )
    for line in child.stdout:  # blocks until the child prints: no sleeping here
        if wait_for in line:
            child.send_signal(signum)
            break
    rest, err = child.communicate(timeout=60)
    assert child.returncode == 0, err
    saved = json.loads(out.read_text())
    assert 2 <= saved["reps"] < reps and saved["interrupted"] is True
    assert f"stopped by {words}" in err
    assert f"Reps: {saved['reps']}" in rest
    # The annotated video of what was seen is kept, under its real name, with no temp file left.
    cap = cv2.VideoCapture(str(video))
    assert int(cap.get(cv2.CAP_PROP_FRAME_COUNT)) == saved["frames"]
    cap.release()
    assert sorted(os.listdir(tmp_path)) == ["annotated.avi", "clip.avi", "out.json"]


def test_fitness_run_in_a_pseudo_terminal_shows_the_live_dashboard(tmp_path):
    import pty
    import select
    import subprocess
    import sys
    from pathlib import Path

    clip = write_clip(tmp_path / "clip.avi", len(squat_angles(3)))
    master, slave = pty.openpty()
    env = {**os.environ, "COLUMNS": "100", "LINES": "40", "TERM": "xterm-256color"}
    child = subprocess.Popen(
        [sys.executable, "-c", _CHILD.format(tests=str(Path(__file__).parent), reps=3), "run", "squats",
         "--video", str(clip), "--no-window", "--smoothing", "live"],
        stdout=slave, stderr=subprocess.PIPE, env=env, cwd=Path(__file__).parent.parent,
    )
    os.close(slave)
    screen = b""
    while True:
        ready, _, _ = select.select([master], [], [], 60)  # a safety limit, not a timing assumption
        if not ready:
            child.kill()
            pytest.fail("the child printed nothing for 60 s")
        try:
            chunk = os.read(master, 65536)
        except OSError:  # EIO: the child closed the terminal
            break
        if not chunk:
            break
        screen += chunk
    os.close(master)
    assert child.wait(timeout=60) == 0, child.stderr.read()
    text = screen.decode("utf-8", "replace")
    assert "\x1b[" in text  # a terminal: the dashboard is drawn with escape codes
    assert "fitness · Bodyweight squat" in text
    plain = re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", text)
    assert re.search(r"knee +\d+°", plain) and "knee_deg" not in plain and "Reps: 3" in plain


# --- acceptance with the real stack ---


def _squat_sample(repo_root):
    """The first squat sample video and its truth."""
    clip = sorted((repo_root / "sample_videos").glob("squats*.mp4"))[0]
    return clip, json.loads(clip.with_suffix("").with_suffix(".truth.json").read_text())


@pytest.mark.slow
@pytest.mark.model
def test_acceptance_fitness_run_reports_the_samples_true_count(tmp_path, repo_root):
    import subprocess
    import sys

    clip, truth = _squat_sample(repo_root)
    out = tmp_path / "out.json"
    done = subprocess.run(
        [sys.executable, "-m", "fitness", "run", "squats", "--video", str(clip), "--no-window", "--json", str(out),
         "--db", str(tmp_path / "h.sqlite3")],
        capture_output=True, text=True, cwd=repo_root, timeout=300,
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(out.read_text())["reps"] == truth["reps"]


@pytest.mark.slow
@pytest.mark.model
def test_acceptance_sigint_mid_video_leaves_json_and_history(tmp_path, repo_root):
    import subprocess
    import sys

    clip, truth = _squat_sample(repo_root)
    out, db = tmp_path / "out.json", tmp_path / "h.sqlite3"
    child = subprocess.Popen(
        [sys.executable, "-m", "fitness", "run", "squats", "--video", str(clip), "--no-window", "--json", str(out),
         "--db", str(db), "--smoothing", "live"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=repo_root,
    )
    for line in child.stdout:  # plain progress lines: one per rep
        if "rep 2:" in line:
            child.send_signal(signal.SIGINT)
            break
    _, err = child.communicate(timeout=300)
    assert child.returncode == 0, err
    saved = json.loads(out.read_text())
    assert 2 <= saved["reps"] <= truth["reps"] and saved["interrupted"] is True
    record = subprocess.run([sys.executable, "-m", "fitness", "summary", "last", "--json", "--db", str(db)],
                            capture_output=True, text=True, cwd=repo_root, timeout=120)
    assert record.returncode == 0, record.stderr
    assert json.loads(record.stdout)["reps"] == saved["reps"]

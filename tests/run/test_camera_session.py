"""A session on a live stream that drops and comes back: the reps before the drop are kept, the dashboard says
what is going on while the loop waits, the notes say it afterwards. And `--camera` in SessionConfig and the CLI."""

from __future__ import annotations

import cv2
import numpy as np
import pytest
from test_pipeline import H, RecordingUI, W, config, make_stages, pose, squat_angles

from fitness.capture.source import BaseSource
from fitness.cli import build_parser
from fitness.commands.run import config_from_args
from fitness.errors import UsageError
from fitness.pipeline import run_session
from fitness.run.stages import open_source

LOST_TEXT = "Camera stream lost: reconnecting (attempt 1); the reps so far are kept"
BACK_TEXT = "Camera stream back after 3.0 s"


class DroppingStream(BaseSource):
    """A stream of `n` frames at 10 fps that drops before frame `drop_at` for `gap_s`: meanwhile it tells its
    listener, as CameraSource's grab thread does, then reports itself back for one frame."""

    def __init__(self, n: int, drop_at: int, gap_s: float = 3.0):
        super().__init__()
        self.n, self.drop_at, self.gap_s = n, drop_at, gap_s
        self.label, self.fps = "camera:http://phone/video", 10.0
        self.on_notice = None
        self.notice: str | None = None
        self.notes: tuple[str, ...] = ()

    def _frames(self):
        for i in range(self.n):
            gap = self.gap_s if i >= self.drop_at else 0.0
            self.notice = None
            if i == self.drop_at:
                self.on_notice(LOST_TEXT)  # the loop is waiting for this frame
                self.notice = BACK_TEXT
                self.notes = ("the camera stream dropped once and was reconnected",)
            yield np.zeros((H, W, 3), np.uint8), i / self.fps + gap, i, {"grabbed_at_s": 100.0 + i / self.fps + gap}


def test_reps_before_a_drop_are_kept_and_the_dashboard_says_what_happens(tmp_path):
    angles = squat_angles(3)
    drop_at = 3 + 10 + 2  # in the middle of the second rep
    ui = RecordingUI()
    src = DroppingStream(len(angles), drop_at)
    result = run_session(config(tmp_path, source="camera", path=None, camera="http://phone/video"), ui,
                         stages=make_stages([pose(a) for a in angles]), source_factory=lambda: src)
    assert result.summary.reps == 3 and result.ended == "complete"
    assert result.notes == ("the camera stream dropped once and was reconnected",)
    notices = [s.notice for s in ui.snapshots]
    assert notices.count(LOST_TEXT) == 1 and notices.count(BACK_TEXT) == 1
    lost = notices.index(LOST_TEXT)
    assert ui.snapshots[lost].step == ui.snapshots[lost - 1].step  # the last picture again, with the notice
    assert notices.index(BACK_TEXT) == lost + 1


@pytest.mark.parametrize("camera", ["0", "/dev/video2", "rtsp://cam.local/live", "clip.mp4"])
def test_the_camera_forms_reach_the_config(camera):
    cfg = config_from_args(build_parser().parse_args(["run", "squats", "--camera", camera, "--no-window"]))
    assert cfg.source == "camera" and cfg.camera == camera and cfg.smoothing_mode == "live"


def test_a_video_file_as_camera_is_replayed_and_protected_from_overwriting(tmp_path):
    clip = tmp_path / "clip.avi"
    writer = cv2.VideoWriter(str(clip), cv2.VideoWriter_fourcc(*"MJPG"), 10.0, (W, H))
    for _ in range(3):
        writer.write(np.zeros((H, W, 3), np.uint8))
    writer.release()
    cfg = config(tmp_path, source="camera", path=None, camera=str(clip))
    assert cfg.smoothing_mode == "live" and cfg.input_file == str(clip)
    src = open_source(cfg)
    try:
        assert type(src).__name__ == "ReplayCamera" and src.label == "replay:clip.avi"
    finally:
        src.close()
    from fitness.run.config import check_session_outputs

    with pytest.raises(UsageError, match="input video"):
        check_session_outputs(config(tmp_path, source="camera", path=None, camera=str(clip), json_path=None,
                                     save_video=str(clip)))


def test_camera_index_still_works_for_existing_callers(tmp_path):
    cfg = config(tmp_path, source="camera", path=None, camera_index=3)
    assert cfg.camera_spec.opens == 3
    with pytest.raises(UsageError, match="camera number from 0 to 9999"):
        config(tmp_path, source="camera", path=None, camera_index=-1)
    with pytest.raises(UsageError, match="not a stream OpenCV can read"):
        config(tmp_path, source="camera", path=None, camera="ftp://x/y")


def test_fitness_run_with_a_video_file_as_camera(tmp_path, fake_stack, capsys, monkeypatch):
    import json

    from fitness import cli, pipeline

    labels = []
    stand_in = pipeline.create_stages
    monkeypatch.setattr("fitness.pipeline.create_stages",
                        lambda config, definition, label: labels.append(label) or stand_in(config, definition, label))
    angles = squat_angles(1)
    fake_stack["poses"] = [pose(a) for a in angles]
    clip = tmp_path / "clip.avi"
    writer = cv2.VideoWriter(str(clip), cv2.VideoWriter_fourcc(*"MJPG"), 1000.0, (W, H))  # 1 ms a frame
    for _ in angles:
        writer.write(np.zeros((H, W, 3), np.uint8))
    writer.release()
    out = tmp_path / "out.json"
    code = cli.app(["run", "squats", "--camera", str(clip), "--no-window", "--json", str(out)])
    assert code == 0, capsys.readouterr().err
    saved = json.loads(out.read_text())
    assert labels == ["replay:clip.avi"] and 1 <= saved["frames"] <= len(angles)

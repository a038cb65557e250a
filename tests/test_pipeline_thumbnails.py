"""Key-frame thumbnails at record time: the session loop keeps recent frames and stores a small JPEG of each rep
at its turnaround, skeleton drawn, in the history store; live and offline (where the video is read again)."""

from __future__ import annotations

import cv2
import numpy as np
import pytest
from test_pipeline import config, counting_sources, make_stages, pose, squat_angles

from fitness.pipeline import run_session
from fitness.session.recorder import SessionRecorder
from fitness.session.store import HistoryStore


def with_history(stages, db):
    store = HistoryStore.open(db)
    stages.recorder = SessionRecorder("squats", store=store, signal="knee_deg")
    stages.closers = (store.close,)
    return stages


def bone_pixels(jpeg: bytes) -> int:
    image = cv2.imdecode(np.frombuffer(jpeg, np.uint8), cv2.IMREAD_COLOR)
    b, g, r = (image[..., i].astype(int) for i in range(3))
    return int(np.sum((g > 170) & (r < 150) & (b < 150)))  # the overlay's green bones on the gray frame


@pytest.mark.parametrize("smoothing", ["live", "offline"])
def test_each_counted_rep_gets_a_thumbnail_with_the_skeleton_in_history(tmp_path, smoothing):
    angles = squat_angles(3)
    factory, reads = counting_sources(lambda opened: len(angles))
    stages = with_history(make_stages([pose(a) for a in angles], smooth_offline=lambda ps: ps), tmp_path / "h.db")
    result = run_session(config(tmp_path, smoothing=smoothing, no_history=False), stages=stages,
                         source_factory=factory)
    assert result.summary.reps == 3
    assert len(reads) == (2 if smoothing == "offline" else 1)  # offline: the frames are read again for them
    with HistoryStore.open(tmp_path / "h.db") as store:
        thumbs = store.thumbnails(result.summary.id)
    assert sorted(thumbs) == [r.index for r in result.summary.rep_details]
    for jpeg in thumbs.values():
        assert jpeg.startswith(b"\xff\xd8") and bone_pixels(jpeg) > 0


def test_without_history_no_frames_are_kept_and_the_video_is_read_once(tmp_path):
    angles = squat_angles(2)
    factory, reads = counting_sources(lambda opened: len(angles))
    stages = make_stages([pose(a) for a in angles], smooth_offline=lambda ps: ps)
    stages.recorder = SessionRecorder("squats", store=None, signal="knee_deg")  # as `--no-history` makes it
    result = run_session(config(tmp_path, smoothing="offline"), stages=stages, source_factory=factory)
    assert result.summary.reps == 2 and len(reads) == 1


def test_a_second_read_that_comes_up_short_still_counts_every_rep(tmp_path):
    angles = squat_angles(3)
    factory, reads = counting_sources(lambda opened: len(angles) if not opened else 10)  # the second read ends early
    stages = with_history(make_stages([pose(a) for a in angles], smooth_offline=lambda ps: ps), tmp_path / "h.db")
    result = run_session(config(tmp_path, smoothing="offline", no_history=False), stages=stages,
                         source_factory=factory)
    assert result.summary.reps == 3 and result.frames == len(angles)
    with HistoryStore.open(tmp_path / "h.db") as store:
        assert sorted(store.thumbnails(result.summary.id)) == [1]  # only the rep whose frames were read again

"""KeyFrames: a bounded buffer of shrunk recent frames, and the thumbnail of a rep at its turnaround."""

from __future__ import annotations

import cv2
import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from fitness.exercise.events import RepEvent
from fitness.feedback.thumbnail import THUMB_WIDTH_PX, TIME_EPS_S, KeyFrames, shrink
from fitness.pose.types import Pose


def frame(value: int, width: int = 640, height: int = 360) -> np.ndarray:
    return np.full((height, width, 3), value, np.uint8)


def standing_pose(t: float, width: int = 640) -> Pose:
    xy = np.stack([np.linspace(0.3, 0.7, 17) * width, np.linspace(40, 320, 17)], axis=1)
    return Pose(xy=xy.astype(np.float32), score=np.full(17, 0.9, np.float32), t=t)


@settings(max_examples=30, deadline=None)
@given(gaps_s=st.lists(st.floats(0.001, 1.0), min_size=1, max_size=400))
def test_the_buffer_spans_at_most_keep_s_with_a_frame_per_keep_every_s(gaps_s):
    frames = KeyFrames(keep_every_s=0.1, keep_s=2.0)
    small = frame(0, 32, 18)
    t = 0.0
    for gap in gaps_s:
        t += gap
        frames.add(t, small, None)
    times = [f.t for f in frames.frames]
    assert times[-1] - times[0] <= 2.0 and len(times) <= 2.0 / 0.1 + 1
    assert all(b - a >= 0.1 - TIME_EPS_S for a, b in zip(times, times[1:]))


def test_frames_are_shrunk_to_the_thumbnail_width_keeping_the_aspect():
    small, factor = shrink(frame(0))
    assert small.shape == (round(360 * THUMB_WIDTH_PX / 640), THUMB_WIDTH_PX, 3) and factor == THUMB_WIDTH_PX / 640
    tiny, factor = shrink(frame(0, 64, 48))
    assert tiny.shape == (48, 64, 3) and factor == 1.0


def test_the_thumbnail_is_the_frame_nearest_the_turnaround_with_the_skeleton_drawn():
    frames = KeyFrames()
    for i in range(30):  # 3 s at 10 fps, each frame a different gray
        frames.add(i / 10, frame(4 * i), standing_pose(i / 10))
    rep = RepEvent(1, 0.5, 2.5, True, phases={"eccentric_s": 0.8, "bottom_s": 0.2, "concentric_s": 1.0})
    image = cv2.imdecode(np.frombuffer(frames.thumbnail(rep), np.uint8), cv2.IMREAD_COLOR)
    assert image.shape[1] == THUMB_WIDTH_PX
    assert abs(int(np.median(image)) - 4 * 14) <= 2  # the frame at 1.4 s, the middle of the bottom
    assert np.sum((image[..., 1] > 170) & (image[..., 2] < 150)) > 50  # green bones


def test_no_thumbnail_when_no_frame_is_near_the_turnaround():
    frames = KeyFrames()
    frames.add(0.0, frame(0), None)
    assert frames.thumbnail(RepEvent(1, 5.0, 7.0, True)) is None

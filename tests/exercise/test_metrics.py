"""The Metrics stage: the median filter, the guidance for missing keypoints and what one measurement says."""

from __future__ import annotations

import math

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from fitness.exercise.metrics import (
    MEDIAN_FRAMES,
    MEDIAN_S,
    NO_ONE_IN_VIEW,
    MetricsStage,
    filtered_t,
    median_filter,
    missing_guidance,
)
from fitness.pose.types import Keypoint, Pose

from .test_machine import definition, pose_at


@given(st.lists(st.floats(-1e6, 1e6), min_size=1, max_size=30))
def test_the_median_filter_outputs_a_recent_value_and_passes_nan(values):
    window: list[tuple[float, float]] = []
    for i, v in enumerate(values):
        out = median_filter(window, v, i / 30)
        assert out in [x for _, x in window] and len(window) <= 5
        assert math.isnan(median_filter(list(window), math.nan, i / 30))


@given(st.lists(st.tuples(st.floats(0.0, 0.2), st.one_of(st.floats(-1e3, 1e3), st.just(math.nan))), max_size=40))
def test_the_median_filter_is_the_median_of_the_last_frames_within_its_span(steps):
    # Frames at any (non-decreasing) times, some unmeasured: the median of the last MEDIAN_FRAMES measured values
    # taken within MEDIAN_S (the lower middle of an even count), the value itself while fewer than 3.
    window: list[tuple[float, float]] = []
    seen: list[tuple[float, float]] = []
    t = 0.0
    for dt, v in steps:
        t += dt
        out = median_filter(window, v, t)
        if math.isnan(v):
            assert math.isnan(out)
            continue
        seen.append((t, v))
        recent = sorted(x for s, x in seen[-MEDIAN_FRAMES:] if t - s <= MEDIAN_S)
        assert out == (recent[len(recent) // 2] if len(recent) >= 3 else v)


@given(st.sampled_from([15.0, 24.0, 30.0, 60.0]), st.one_of(st.floats(-50, -0.1), st.floats(0.1, 50)))
def test_a_steadily_moving_metric_is_timed_where_its_median_was_measured(fps, speed):
    # The median lags a moving metric by half its window; filtered_t is the time the median value is from
    # (to within half a frame while the window holds an even number of frames).
    window: list[tuple[float, float]] = []
    for i in range(12):
        t = i / fps
        out = median_filter(window, speed * t, t)
        assert abs(out / speed - filtered_t(window, t)) <= 0.5 / fps + 1e-9
        assert filtered_t(window, t) <= t
    assert filtered_t(window, 12 / fps) == 12 / fps  # not this frame's window: no lag to tell


def test_the_median_filter_removes_a_one_frame_spike():
    window: list[tuple[float, float]] = []
    out = [median_filter(window, v, i / 30) for i, v in enumerate([90.0] * 5 + [10.0] + [90.0] * 3)]
    assert out == [90.0] * 9


def test_missing_guidance_names_the_joints_once():
    assert missing_guidance([Keypoint.LEFT_ANKLE, Keypoint.RIGHT_ANKLE]) == "Step back: ankles not visible"
    assert missing_guidance([Keypoint.LEFT_WRIST]) == "Move into view: wrists not visible"


def test_a_measurement_says_what_is_missing_and_keeps_the_metrics():
    stage = MetricsStage(definition(), "left")
    assert stage.measure(None, 0.0, keep_side=False).guidance == NO_ONE_IN_VIEW
    seen = stage.measure(pose_at(120.0, 0.1), 0.1, keep_side=False)
    assert seen.visible and seen.guidance is None and seen.side == "left"
    assert seen.signal == seen.frame.metrics["knee_deg"] and abs(seen.signal - 120.0) < 0.01
    hidden = stage.measure(pose_at(120.0, 0.2, hidden=(Keypoint.LEFT_ANKLE,)), 0.2, keep_side=False)
    assert not hidden.visible and hidden.guidance == "Step back: ankles not visible"
    assert math.isnan(hidden.signal) and stage.last_seen_t == 0.2


def test_side_auto_measures_the_better_seen_side():
    stage = MetricsStage(definition("auto"), "auto")
    pose = pose_at(120.0, 0.0)
    score = np.array(pose.score)
    score[[Keypoint.LEFT_HIP, Keypoint.LEFT_KNEE, Keypoint.LEFT_ANKLE]] = 0.4
    assert stage.measure(Pose(pose.xy, score, 0.0), 0.0, keep_side=False).side == "right"

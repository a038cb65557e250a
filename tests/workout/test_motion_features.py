"""Hypothesis properties of the classifier's features: the same numbers for a mirrored, scaled or shifted body,
and a missing keypoint is missing (NaN), never a number."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from fitness.pose.types import KEYPOINT_NAMES, Keypoint
from fitness.workout.features import (
    FRAME_FEATURES,
    WINDOW_FEATURES,
    frame_features,
    running_median,
    running_median_update,
    window_features,
)

# A person standing, in pixels (x right, y down), COCO order.
STANDING = np.array([
    [320, 80], [326, 74], [314, 74], [334, 78], [306, 78], [350, 120], [290, 120], [356, 180], [284, 180],
    [360, 235], [280, 235], [340, 230], [300, 230], [342, 320], [298, 320], [344, 410], [296, 410],
], dtype=np.float64)
# Keypoint index of each keypoint's mirror image (left <-> right).
MIRROR = np.array([KEYPOINT_NAMES.index(n.replace("left", "@").replace("right", "left").replace("@", "right"))
                   for n in KEYPOINT_NAMES])

offsets = arrays(np.float64, (4, 17, 2), elements=st.floats(-40, 40))
scores = arrays(np.float64, (4, 17), elements=st.floats(0, 1))


def mirrored(xy: np.ndarray, score: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The mirror image: x flipped about 0 and each keypoint's left/right counterpart in its place."""
    out = xy[..., MIRROR, :].copy()
    out[..., 0] = -out[..., 0]
    return out, score[..., MIRROR]


def same(a: np.ndarray, b: np.ndarray) -> bool:
    return bool(np.array_equal(np.isnan(a), np.isnan(b)) and np.allclose(a, b, rtol=1e-6, atol=1e-9, equal_nan=True))


@settings(deadline=None)  # no timing: a shared machine may be slow
@given(offsets, scores)
def test_frame_features_are_invariant_to_mirroring(offset, score):
    xy = STANDING + offset
    assert same(frame_features(xy, score), frame_features(*mirrored(xy, score)))


@settings(deadline=None)
@given(offsets, scores, st.floats(0.05, 20), st.floats(-2000, 2000), st.floats(-2000, 2000))
def test_frame_features_are_invariant_to_scale_and_translation(offset, score, k, dx, dy):
    xy = STANDING + offset
    assert same(frame_features(xy, score), frame_features(xy * k + [dx, dy], score))


@settings(max_examples=30, deadline=None)
@given(arrays(np.float64, (20, 17, 2), elements=st.floats(-30, 30)),
       arrays(np.float64, (20, 17), elements=st.floats(0, 1)), st.floats(0.1, 10))
def test_window_features_are_invariant_to_mirroring_and_scale(offset, score, k):
    xy = STANDING + offset
    t = np.arange(20) / 30.0
    plain = window_features(frame_features(xy, score), t)
    assert plain.shape == (len(WINDOW_FEATURES),)
    mirror_xy, mirror_score = mirrored(xy, score)
    assert same(plain, window_features(frame_features(mirror_xy * k, mirror_score), t))


def test_a_keypoint_below_the_trusted_score_is_missing_not_zero():
    score = np.ones(17)
    score[Keypoint.LEFT_WRIST] = score[Keypoint.RIGHT_WRIST] = 0.1
    row = dict(zip(FRAME_FEATURES, frame_features(STANDING, score)[0]))
    assert np.isnan(row["wrist_y_mean"]) and np.isnan(row["elbow_deg_min"])
    assert np.isfinite(row["knee_deg_min"])


def test_one_side_seen_stands_for_the_pair():
    score = np.ones(17)
    score[Keypoint.RIGHT_KNEE] = 0.0
    row = dict(zip(FRAME_FEATURES, frame_features(STANDING, score)[0]))
    both = dict(zip(FRAME_FEATURES, frame_features(STANDING, np.ones(17))[0]))
    assert np.isfinite(row["knee_y_mean"]) and np.isnan(row["knee_y_diff"])
    assert row["knee_y_mean"] == both["knee_y_mean"]  # the knees are level: the left one's height is the pair's


def test_no_hips_and_no_shoulders_is_no_pose():
    score = np.ones(17)
    score[[Keypoint.LEFT_HIP, Keypoint.RIGHT_HIP, Keypoint.LEFT_SHOULDER, Keypoint.RIGHT_SHOULDER]] = 0.0
    assert np.isnan(frame_features(STANDING, score)).all()


def test_standing_and_lying_differ_in_torso_incline():
    lying = STANDING[:, ::-1].copy()  # x and y swapped: the body horizontal
    stand = dict(zip(FRAME_FEATURES, frame_features(STANDING, np.ones(17))[0]))
    lie = dict(zip(FRAME_FEATURES, frame_features(lying, np.ones(17))[0]))
    assert stand["torso_incline"] < 0.1 and abs(lie["torso_incline"] - 0.5) < 0.1


def test_the_running_median_drops_a_one_frame_slip():
    column = np.array([1.0, 1.0, 1.0, 9.0, 1.0, 1.0, 1.0])[:, None]
    assert np.array_equal(running_median(column), np.ones((7, 1)))


@settings(max_examples=200, deadline=None)
@given(arrays(np.float64, (70, 3), elements=st.floats(-5, 5) | st.just(np.nan)), st.integers(0, 60),
       st.integers(0, 60), st.integers(0, 10))
def test_a_running_median_carried_on_is_the_running_median_of_the_window(rows, old_n, dropped, added):
    """A window's running median, carried on after rows dropped at its start and added at its end, is that of the
    new window computed afresh (the classifier filters only the rows near the ends again)."""
    dropped = min(dropped, old_n)
    kept = running_median(rows[:old_n])[dropped:]
    window = rows[dropped:old_n + added]
    assert np.array_equal(running_median_update(window, kept), running_median(window), equal_nan=True)


def test_the_movement_rate_follows_the_repetitions():
    t = np.arange(60) / 30.0  # 2 s
    rates = []
    for hz in (0.5, 1.0):
        xy = np.repeat(STANDING[None], 60, axis=0)
        xy[:, [Keypoint.LEFT_WRIST, Keypoint.RIGHT_WRIST], 1] += 60 * np.sin(2 * np.pi * hz * t)[:, None]
        rates.append(dict(zip(WINDOW_FEATURES, window_features(frame_features(xy, np.ones((60, 17))), t)))["rate_hz"])
    assert abs(rates[0] - 0.5) <= 0.25 and abs(rates[1] - 1.0) <= 0.25

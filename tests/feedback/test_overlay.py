"""The overlay: golden images with a tolerance, confidence-aware skeleton, scaling from 480p to 4K."""

from __future__ import annotations

import cv2
import numpy as np

from fitness.feedback.overlay import banner_lines, draw_overlay
from fitness.feedback.style import OverlayStyle

from ui_fixtures import CHEST_UP, K, background, make_pose, make_snapshot, make_step


def test_golden_full_overlay(check_golden):
    check_golden("full_320x240", draw_overlay(background(320, 240), make_snapshot()))


def test_golden_unsure_and_missing_keypoints(check_golden):
    scores = np.full(17, 0.9, np.float32)
    scores[[K.LEFT_KNEE, K.RIGHT_KNEE]] = 0.2  # unsure: dashed, dim
    scores[[K.LEFT_WRIST, K.RIGHT_WRIST]] = 0.05  # too unsure: hidden
    pose = make_pose(scores=scores)
    xy = pose.xy.copy()
    xy[[K.LEFT_ANKLE, K.RIGHT_ANKLE]] = np.nan  # missing: hidden
    snap = make_snapshot(pose=pose.replace(xy=xy), step=make_step(guidance="Step back: ankles not visible"))
    check_golden("unsure_320x240", draw_overlay(background(320, 240), snap))


def test_the_input_frame_is_not_changed():
    frame = background(320, 240)
    before = frame.copy()
    draw_overlay(frame, make_snapshot())
    assert np.array_equal(frame, before)


def _changed(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    return np.any(a != b, axis=2)


def test_hidden_keypoints_leave_their_pixels_alone():
    bare = make_snapshot(pose=None, step=make_step(progress=float("nan")))
    scores = np.full(17, 0.9, np.float32)
    scores[[K.LEFT_WRIST, K.RIGHT_WRIST]] = 0.0
    base = draw_overlay(background(320, 240), bare)
    drawn = draw_overlay(background(320, 240), make_snapshot(pose=make_pose(scores=scores), step=bare.step))
    x, y = 205, 95  # the wrist; its forearm still reaches to the elbow at (180, 100)
    assert not _changed(base, drawn)[y - 2 : y + 3, x - 2 : x + 3].any()
    ex, ey = 180, 100
    assert _changed(base, drawn)[ey - 2 : ey + 3, ex - 2 : ex + 3].any()


def test_a_nan_angle_value_draws_no_arc():
    with_value = make_snapshot(angle_joints={"knee_deg": (int(K.LEFT_HIP), int(K.LEFT_KNEE), int(K.LEFT_ANKLE))})
    nan_step = make_step(signals=make_step().signals.__class__(1.0, {"knee_deg": float("nan")}, False))
    without = make_snapshot(angle_joints=with_value.angle_joints, step=nan_step, pose=with_value.pose)
    plain = make_snapshot(angle_joints={}, step=nan_step, pose=with_value.pose)
    a = draw_overlay(background(320, 240), without)
    b = draw_overlay(background(320, 240), plain)
    assert np.array_equal(a, b)


def test_layout_scales_with_the_frame_480p_to_4k():
    # The same scene at 640x360 and 3840x2160 (6x): the 4K render, shrunk, must look like the small one.
    small = draw_overlay(background(640, 360), make_snapshot(pose_scale=1.5))
    big = draw_overlay(background(3840, 2160), make_snapshot(pose_scale=9.0))
    shrunk = cv2.resize(big, (640, 360), interpolation=cv2.INTER_AREA)
    diff = float(np.mean(np.abs(shrunk.astype(np.int16) - small.astype(np.int16))))
    assert diff < 4.0, f"mean abs difference {diff:.2f}"
    # And the text is not tiny at 4K: the counter panel covers about the same fraction of the frame.
    frac_small = _changed(background(640, 360), small)[:120, :200].mean()
    frac_big = _changed(background(3840, 2160), big)[:720, :1200].mean()
    assert abs(frac_small - frac_big) < 0.1


def test_banner_shows_cues_then_guidance_then_notice():
    assert banner_lines(make_snapshot()) == [("Keep your chest up", "warning")]
    guided = make_snapshot(step=make_step(guidance="Turn sideways"), notice="Two people in view")
    assert banner_lines(guided) == [("Turn sideways", "info"), ("Two people in view", "info")]
    nobody = make_snapshot(step=make_step(active=()), pose=None)
    assert banner_lines(nobody) == [("Nobody in view: step into the frame so your whole body is visible", "info")]
    many = make_snapshot(step=make_step(active=(CHEST_UP,) * 5, guidance="ignored while cues show"))
    assert len(banner_lines(many)) == 2


def test_style_scale_follows_the_short_side():
    style = OverlayStyle()
    assert style.scale(640, 480) == 1.0
    assert style.scale(3840, 2160) == 4.5
    assert style.scale(1080, 1920) == 2.25  # portrait

"""Live smoothers as sequences of poses: confidence hold-then-NaN, resets, time, the factory."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from fitness.errors import InputError, UsageError
from fitness.pose.types import NUM_KEYPOINTS, Keypoint, Pose
from fitness.smoothing import (
    SMOOTHING_MODES,
    FixedLagSmoother,
    OneEuroSmoother,
    PassThroughSmoother,
    Smoother,
    create_smoother,
)
from fitness.smoothing.benchmark import squat_track

FPS = 30.0
WRIST = Keypoint.LEFT_WRIST
# Both live smoothers share the confidence handling, so its tests run on both.
BOTH = pytest.mark.parametrize("make", (OneEuroSmoother, FixedLagSmoother), ids=("oneeuro", "fixedlag"))


def standing(t: float, score: float = 0.9, jitter: float = 0.0, seed: int = 0) -> Pose:
    """A still, upright body (torso 100 px) with optional pixel jitter."""
    track = squat_track(fps=FPS, duration_s=1 / FPS, torso_px=100.0, jitter_torso=0.0)
    xy = track.clean[0] + np.random.default_rng(seed).normal(0, jitter, size=(NUM_KEYPOINTS, 2))
    return Pose(xy=xy, score=np.full(NUM_KEYPOINTS, score), t=t, frame_size=(640, 480))


def with_score(pose: Pose, kp: int, score: float) -> Pose:
    s = pose.score.copy()
    s[kp] = score
    return pose.replace(score=s)


poses_st = st.builds(
    lambda xy, score, t: Pose(xy=xy, score=score, t=t),
    arrays(np.float32, (NUM_KEYPOINTS, 2), elements=st.floats(-1e4, 1e4, width=32) | st.just(np.nan)),
    arrays(np.float32, (NUM_KEYPOINTS,), elements=st.floats(0, 1, width=32)),
    st.floats(0, 1e5),
)


@given(st.lists(poses_st, max_size=5))
def test_pass_through_is_identity(poses):
    sm = PassThroughSmoother()
    for p in poses:
        assert sm.apply(p) is p
    sm.reset()


@pytest.mark.parametrize("make", (OneEuroSmoother, FixedLagSmoother, PassThroughSmoother))
def test_every_smoother_keeps_the_pose_time_and_starts_over_after_reset(make):
    """The Smoother contract (apply, reset): the same poses right after a reset come out as they did the first time."""
    poses = [standing(i / FPS, jitter=3.0, seed=i) for i in range(20)]
    later = [p.replace(t=p.t + len(poses) / FPS) for p in poses]  # continuing the clock: no reset from time itself
    sm: Smoother = make()
    first = [sm.apply(p) for p in poses]
    sm.reset()
    again = [sm.apply(p) for p in later]
    assert [out.t for out in again] == [p.t for p in later]
    for a, b in zip(first, again, strict=True):
        np.testing.assert_allclose(b.xy, a.xy, atol=1e-3)


@BOTH
def test_output_is_the_same_pose_type_with_the_frame_metadata(make):
    out = make().apply(standing(1.5))
    assert isinstance(out, Pose) and out.t == 1.5 and out.frame_size == (640, 480)
    assert out.xy.dtype == np.float32


@BOTH
def test_jitter_of_a_still_body_is_reduced(make):
    sm = make()
    outs = np.array([sm.apply(standing(i / FPS, jitter=3.0, seed=i)).xy for i in range(90)])
    truth = standing(0).xy
    raw = np.array([standing(i / FPS, jitter=3.0, seed=i).xy for i in range(90)])
    # Over the last two seconds (after the start-up), the smoothed error is well below the raw one.
    assert np.std(outs[30:] - truth) < 0.5 * np.std(raw[30:] - truth)


@BOTH
def test_a_dropped_keypoint_is_held_then_reported_missing(make):
    sm = make(hold_s=0.2)
    for i in range(10):
        last = sm.apply(standing(i / FPS))
    held_xy = last.xy[WRIST].copy()
    # The wrist drops to score 0.1 and its position jumps to garbage for 10 frames (0.33 s).
    for i in range(10, 20):
        t = i / FPS
        raw = with_score(standing(t), WRIST, 0.1)
        raw = raw.replace(xy=np.where(np.arange(NUM_KEYPOINTS)[:, None] == WRIST, 9999.0, raw.xy))
        out = sm.apply(raw)
        if t - 9 / FPS <= 0.2 + 1e-9:
            assert np.array_equal(out.xy[WRIST], held_xy), "held at the last good position"
            assert out.score[WRIST] == pytest.approx(0.9), "with its last good score"
        else:
            assert np.all(np.isnan(out.xy[WRIST])), "missing after the hold"
            assert out.score[WRIST] == pytest.approx(0.1), "with its own low score"
        assert np.all(np.isfinite(np.delete(out.xy, WRIST, axis=0)))


@BOTH
def test_a_keypoint_back_after_the_hold_starts_a_new_track(make):
    sm = make(hold_s=0.1)
    for i in range(10):
        sm.apply(standing(i / FPS))
    for i in range(10, 20):
        sm.apply(with_score(standing(i / FPS), WRIST, 0.0))
    moved = standing(20 / FPS)
    xy = moved.xy.copy()
    xy[WRIST] += 40.0
    out = sm.apply(moved.replace(xy=xy))
    # A fresh track starts at the new sample instead of sliding there from the old position.
    assert np.array_equal(out.xy[WRIST], xy[WRIST])


@BOTH
def test_a_nan_keypoint_is_treated_like_a_low_score_one(make):
    sm = make(hold_s=0.0)
    sm.apply(standing(0.0))
    p = standing(1 / FPS)
    xy = p.xy.copy()
    xy[WRIST] = np.nan
    out = sm.apply(p.replace(xy=xy))
    assert np.all(np.isnan(out.xy[WRIST]))


@BOTH
def test_a_low_pose_score_resets_the_track(make):
    sm = make(min_pose_score=0.2)
    for i in range(10):
        sm.apply(standing(i / FPS))
    low = standing(10 / FPS, score=0.1)
    out = sm.apply(low)
    assert np.all(np.isnan(out.xy)), "every keypoint is below min_score too, so none is reported"
    shifted = standing(11 / FPS)
    shifted = shifted.replace(xy=shifted.xy + 30.0)
    out = sm.apply(shifted)
    assert np.array_equal(out.xy, shifted.xy), "after the reset the first pose comes through as it is"


@BOTH
def test_a_low_pose_score_keeps_its_trusted_keypoints(make):
    p = standing(0.0, score=0.1)
    s = p.score.copy()
    s[WRIST] = 0.9
    out = make(min_pose_score=0.3).apply(p.replace(score=s, pose_score=0.1))
    assert np.array_equal(out.xy[WRIST], p.xy[WRIST]) and np.isnan(out.xy[0, 0])


@BOTH
def test_a_repeated_timestamp_returns_the_previous_output(make):
    sm = make()
    sm.apply(standing(0.0))
    first = sm.apply(standing(0.1))
    again = sm.apply(standing(0.1).replace(xy=standing(0.1).xy + 50))
    assert again is first


@BOTH
def test_time_going_backwards_resets(make):
    sm = make()
    for i in range(10):
        sm.apply(standing(i / FPS))
    back = standing(0.0)
    back = back.replace(xy=back.xy + 25.0)
    out = sm.apply(back)
    assert np.array_equal(out.xy, back.xy)


@BOTH
def test_reset_forgets_everything(make):
    sm = make()
    sm.apply(standing(0.0))
    sm.reset()
    p = standing(0.1)
    p = p.replace(xy=p.xy + 30.0)
    assert np.array_equal(sm.apply(p).xy, p.xy)


@BOTH
def test_same_parameters_give_the_same_smoothing_at_480p_and_4k(make):
    """Body-scale normalisation: the same scene 6x larger is smoothed into the same result 6x larger."""
    small = squat_track(fps=FPS, duration_s=2.0, torso_px=80.0, frame_size=(640, 480))
    a, b = make(), make()
    for p in small.poses():
        out_a = a.apply(p)
        out_b = b.apply(p.replace(xy=p.xy * 6.0, frame_size=(3840, 2880)))
        assert np.allclose(out_b.xy, out_a.xy * 6.0, rtol=1e-4, atol=1e-2)


@BOTH
def test_no_scale_yet_passes_the_pose_through(make):
    p = standing(0.0)
    s = np.zeros(NUM_KEYPOINTS)
    s[WRIST] = 0.9
    out = make().apply(p.replace(score=s, pose_score=0.9))
    assert np.array_equal(out.xy[WRIST], p.xy[WRIST])


@BOTH
def test_bad_input_is_refused(make):
    with pytest.raises(InputError, match="Pose"):
        make().apply(np.zeros((17, 2)))
    with pytest.raises(InputError, match="finite time"):
        make().apply(standing(float("nan")))


@pytest.mark.parametrize("kwargs", [{"min_score": 1.5}, {"min_pose_score": -0.1}, {"hold_s": -1.0}, {"beta": -3.0}])
def test_bad_parameters_are_refused(kwargs):
    with pytest.raises(InputError):
        OneEuroSmoother(**kwargs)


@pytest.mark.parametrize("kwargs", [{"min_score": 1.5}, {"hold_s": float("nan")}, {"lag_s": 0.7}, {"order": 9}])
def test_bad_fixed_lag_parameters_are_refused(kwargs):
    with pytest.raises(InputError):
        FixedLagSmoother(**kwargs)


def test_create_smoother_by_name():
    assert isinstance(create_smoother("none"), PassThroughSmoother)
    live = create_smoother("live", hold_s=0.5, beta=2.0)
    assert isinstance(live, OneEuroSmoother) and live.hold_s == 0.5 and live.filter.beta == 2.0
    assert isinstance(create_smoother("oneeuro"), OneEuroSmoother)
    fixed = create_smoother("fixedlag", lag_s=0.05, min_score=0.4)
    assert isinstance(fixed, FixedLagSmoother) and fixed.filter.lag_s == 0.05 and fixed.min_score == 0.4


@pytest.mark.parametrize(
    "kind, params, match",
    [
        ("kalman", {}, "live, oneeuro, fixedlag, none"),
        ("offline", {}, "smooth_offline"),
        ("none", {"beta": 1.0}, "no parameters"),
        ("live", {"speed": 1.0}, "valid: min_cutoff_hz"),
        ("fixedlag", {"beta": 1.0}, "valid: window_s, lag_s, order, min_score"),
    ],
)
def test_create_smoother_refuses_what_it_cannot_make(kind, params, match):
    with pytest.raises(UsageError, match=match):
        create_smoother(kind, **params)


@settings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(st.floats(0.005, 0.2), st.lists(st.booleans(), min_size=17, max_size=17)), max_size=30))
def test_untrusted_positions_never_leak_into_the_output(frames):
    """Low-score keypoints sit at a far-away garbage position; One Euro outputs stay within the trusted
    samples, fixed-lag ones (a polynomial fit may overshoot its samples a little) near them."""
    for sm, margin_px in ((OneEuroSmoother(), 1e-3), (FixedLagSmoother(), 1e2)):
        _check_no_leak(sm, frames, margin_px)


def _check_no_leak(sm, frames, margin_px: float) -> None:
    base = standing(0.0).xy.astype(np.float64)
    rng = np.random.default_rng(0)
    seen_lo = np.full((NUM_KEYPOINTS, 2), np.inf)
    seen_hi = np.full((NUM_KEYPOINTS, 2), -np.inf)
    t = 0.0
    for dt, trusted in frames:
        t += dt
        trusted = np.array(trusted)
        xy = base + rng.normal(0, 5, base.shape)
        xy[~trusted] = 1e6
        out = sm.apply(Pose(xy=xy, score=np.where(trusted, 0.9, 0.1), t=t, pose_score=0.9))
        good = trusted & np.all(np.isfinite(xy), axis=1)
        seen_lo[good] = np.minimum(seen_lo[good], xy[good])
        seen_hi[good] = np.maximum(seen_hi[good], xy[good])
        shown = np.all(np.isfinite(out.xy), axis=1)
        assert np.all(out.xy[shown] >= seen_lo[shown] - margin_px)
        assert np.all(out.xy[shown] <= seen_hi[shown] + margin_px)


@BOTH
def test_an_angle_over_a_keypoint_that_dropped_out_is_nan_not_a_number(make):
    from fitness.geometry import angle

    sm = make(hold_s=0.1)
    for i in range(10):
        sm.apply(standing(i / FPS))
    for i in range(10, 20):
        out = sm.apply(with_score(standing(i / FPS), Keypoint.LEFT_KNEE, 0.05))
    knee = angle(out.point(Keypoint.LEFT_HIP), out.point(Keypoint.LEFT_KNEE), out.point(Keypoint.LEFT_ANKLE))
    assert np.isnan(knee)


def test_every_smoothing_mode_of_the_cli_and_the_session_makes_its_smoother():
    from fitness.cli import build_parser
    from fitness.pipeline import SessionConfig

    made_by = {"live": OneEuroSmoother, "oneeuro": OneEuroSmoother, "fixedlag": FixedLagSmoother,
               "none": PassThroughSmoother}
    assert SMOOTHING_MODES == ("live", "oneeuro", "fixedlag", "offline", "none")  # as `fitness run --help` lists them
    for mode in SMOOTHING_MODES:
        args = build_parser().parse_args(["run", "squats", "--video", "x.mp4", "--smoothing", mode])
        assert SessionConfig("squats", path="x.mp4", smoothing=args.smoothing).smoothing_mode == mode
        if mode != "offline":
            assert type(create_smoother(mode)) is made_by[mode]
    with pytest.raises(UsageError, match="whole recording"):
        create_smoother("offline")

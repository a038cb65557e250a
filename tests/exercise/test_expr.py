"""The expression compiler: what it computes, that NaN propagates, and that hostile input is refused."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fitness import geometry
from fitness.errors import DefinitionError
from fitness.exercise.expr import (
    BOOL,
    NUM,
    PEAK_QUANTILE,
    MetricFrame,
    RepFrames,
    RunningPeak,
    Scope,
    Where,
    compile_expression,
)
from fitness.geometry.angles import angle_deg, distance_px, incline_deg
from fitness.pose.types import Keypoint

WHERE = Where("t.yaml", 3, 10, "metrics.x")
NAN = float("nan")


def frame(points: dict[int, tuple[float, float]] | None = None, m: dict | None = None,
          torso: float = 100.0) -> MetricFrame:
    p = [(NAN, NAN, 0.0)] * 17
    for i, (x, y) in (points or {}).items():
        p[i] = (x, y, 0.9)
    return MetricFrame(dict(m or {}), p, torso)


def compile_(text, side="left", params=None, metrics=("knee_deg", "hip_deg"), kind=None, **scope_kw):
    return compile_expression(text, Scope(side, params or {"depth_deg": 100.0}, metrics, **scope_kw), WHERE, kind)


def test_arithmetic_comparisons_and_booleans():
    f = frame(m={"knee_deg": 90.0, "hip_deg": 120.0})
    assert compile_("knee_deg + 2 * (hip_deg - 100) / 4").fn(f) == 100.0
    assert compile_("knee_deg < depth_deg and not hip_deg < 100").fn(f) is True
    assert compile_("80 < knee_deg <= 90").fn(f) is True
    assert compile_("max(knee_deg, hip_deg, 1) - min(knee_deg, 3)").fn(f) == 117.0
    assert compile_("abs(knee_deg - hip_deg) ** 2").fn(f) == 900.0
    assert compile_("knee_deg / 0").fn(f) != compile_("knee_deg / 0").fn(f)  # NaN, not an exception
    assert compile_("hip_deg if knee_deg > 100 else -1").fn(f) == -1.0


def test_acos_is_in_degrees_and_clamps_a_ratio_that_overshoots_by_noise():
    f = frame({Keypoint.LEFT_ELBOW: (0.0, 0.0), Keypoint.LEFT_WRIST: (30.0, 40.0)}, m={"knee_deg": 1.02})
    # The forearm's height over its length (50 px): cos 36.87 deg = 0.8.
    assert compile_("acos((wrist.y - elbow.y) / distance(elbow, wrist))").fn(f) == pytest.approx(36.8699, abs=1e-4)
    assert compile_("acos(0.5)").fn(f) == pytest.approx(60.0)
    assert compile_("acos(knee_deg)").fn(f) == 0.0 and compile_("acos(-1 - knee_deg)").fn(f) == 180.0
    assert math.isnan(compile_("acos(hip_deg)").fn(frame(m={"hip_deg": NAN})))
    with pytest.raises(DefinitionError, match="takes one number"):
        compile_("acos(1, 2)")


def test_side_resolution_and_keypoint_attributes():
    pts = {Keypoint.LEFT_KNEE: (10.0, 20.0), Keypoint.RIGHT_KNEE: (30.0, 40.0)}
    f = frame(pts)
    assert compile_("knee.x", side="left").fn(f) == 10.0
    assert compile_("knee.y", side="right").fn(f) == 40.0
    assert compile_("other_knee.x", side="left").fn(f) == 30.0
    assert compile_("left_knee.score + right_knee.x").fn(f) == pytest.approx(30.9)
    assert compile_("distance(left_knee, right_knee) / torso").fn(f) == pytest.approx(math.hypot(20, 20) / 100)
    assert compile_("mid(left_knee, right_knee).x").fn(f) == 20.0


def test_geometry_functions_match_fitness_geometry_on_known_values():
    hip, knee, ankle = (0.0, 0.0), (0.0, 100.0), (100.0, 100.0)
    f = frame({Keypoint.LEFT_HIP: hip, Keypoint.LEFT_KNEE: knee, Keypoint.LEFT_ANKLE: ankle})
    assert compile_("angle(hip, knee, ankle)").fn(f) == pytest.approx(90.0)
    assert compile_("incline(knee, hip)").fn(f) == pytest.approx(0.0)
    assert compile_("incline(knee, ankle)").fn(f) == pytest.approx(90.0)


# Pixel coordinates: milli-pixel resolution (at 1e-184 px both implementations underflow differently).
finite = st.floats(-1e4, 1e4, allow_nan=False).map(lambda x: round(x, 3))
point = st.tuples(finite, finite)


@settings(max_examples=200, deadline=None)
@given(point, point, point)
def test_scalar_kernels_agree_with_fitness_geometry(a, b, c):
    ref = geometry.angle(np.array(a), np.array(b), np.array(c))
    got = angle_deg(a, b, c)
    assert (math.isnan(ref) and math.isnan(got)) or got == pytest.approx(ref, abs=1e-6)
    ref = geometry.incline(np.array(a), np.array(b))
    got = incline_deg(a, b)
    assert (math.isnan(ref) and math.isnan(got)) or got == pytest.approx(ref, abs=1e-6)
    assert distance_px(a, b) == pytest.approx(geometry.distance(np.array(a), np.array(b)))


def test_nan_propagates_and_comparisons_with_nan_are_false():
    f = frame({Keypoint.LEFT_HIP: (0.0, 0.0), Keypoint.LEFT_KNEE: (0.0, 100.0)})  # ankle missing
    assert math.isnan(compile_("angle(hip, knee, ankle)").fn(f))
    g = frame(m={"knee_deg": NAN, "hip_deg": 1.0})
    for text in (
        "knee_deg < 1",
        "knee_deg > 1",
        "knee_deg == knee_deg",
        "knee_deg != 1",
        "not knee_deg != 1 and false",
    ):
        assert compile_(text).fn(g) is False, text
    assert math.isnan(compile_("min(knee_deg, hip_deg)").fn(g))
    assert math.isnan(compile_("max(hip_deg, knee_deg)").fn(g))


def test_aggregates_over_a_rep():
    frames = [MetricFrame({"knee_deg": v, "hip_deg": 1.0}, None, 100.0) for v in (170.0, 120.0, NAN, 90.0, 160.0)]
    rep = RepFrames(frames, 2.5)
    c = lambda text: compile_(text, keypoints=False, aggregates=True).fn(rep)  # noqa: E731
    assert c("min(knee_deg)") == 90.0 and c("max(knee_deg)") == 170.0
    assert c("range(knee_deg)") == 80.0 and c("mean(knee_deg)") == pytest.approx(135.0)
    assert c("duration") == 2.5 and c("max(knee_deg - hip_deg) > 160") is True
    assert math.isnan(c("mean(knee_deg * 0 + hip_deg / 0)"))


@pytest.mark.parametrize(
    "text,message",
    [
        ("__import__('os')", "dunder"),
        ("__builtins__", "dunder"),
        ("knee.__class__", "attribute"),
        ("knee_deg.real", "attribute"),
        ("().__class__.__bases__", "attribute"),
        ("knee_deg ** 100", "exponent"),
        ("2 ** knee_deg", "exponent"),
        ("9 ** 9 ** 9", "exponent"),
        ("lambda: 1", "lambda"),
        ("[x for x in (1, 2)]", "comprehension"),
        ("(1, 2)[0]", "subscript"),
        ("open('f')", "unknown function"),
        ("eval('1')", "unknown function"),
        ("angle(hip, knee, ankle, knee)", "takes 3"),
        ("'text'", "str values"),
        ("1 if knee_deg else 2", "must be a boolean"),
        ("knee + 1", "must be a number"),
        ("knee_deg and hip_deg", "must be a boolean"),
        ("abs(" * 40 + "1" + ")" * 40, "nested"),
        ("+".join(["knee_deg"] * 100), "characters long"),
        ("max(" + ",".join(["1"] * 130) + ")", "parts"),
        ("f'{knee_deg}'", "f-string"),
        ("x := 1", "not a valid expression"),
        ("knee_deg; 1", "not a valid expression"),
        ("min(knee_deg)", "at least two"),
        ("range(knee_deg)", "only in rep_checks"),
        ("1e300 * 1e300", "too large"),
        ("knee_deg % 2", "operator"),
        ("abs(x=1)", "keyword"),
        ("", "empty"),
        ("peak(knee_deg, 5)", "only in metrics"),
    ],
)
def test_hostile_or_wrong_expressions_are_rejected_with_a_message(text, message):
    with pytest.raises(DefinitionError) as info:
        compile_(text)
    assert message in str(info.value)
    assert info.value.file == "t.yaml" and info.value.field == "metrics.x"


def test_rep_checks_need_aggregates_and_forbid_keypoints():
    with pytest.raises(DefinitionError, match="inside min/max/range/mean"):
        compile_("knee_deg > 1", keypoints=False, aggregates=True)
    with pytest.raises(DefinitionError, match="cannot be used here"):
        compile_("max(knee.x) > 1", keypoints=False, aggregates=True)
    with pytest.raises(DefinitionError, match="needs a metric"):
        compile_("max(1) > 1", keypoints=False, aggregates=True)


def test_required_kind_is_checked():
    with pytest.raises(DefinitionError, match="expected a condition"):
        compile_("knee_deg + 1", kind=BOOL)
    with pytest.raises(DefinitionError, match="expected a number"):
        compile_("knee_deg > 1", kind=NUM)


def peak_series(text: str, values, times, memory: dict | None = None, params=None) -> list[float]:
    """Evaluates a metric expression frame by frame, with one session's memory."""
    c = compile_(text, params=params, metrics=("hip_px",), memory=True)
    memory = {} if memory is None else memory
    return [c.fn(MetricFrame({"hip_px": v}, None, 100.0, t=t, memory=memory)) for v, t in zip(values, times)]


def test_peak_is_the_level_held_at_the_top_of_the_window_not_a_spike():
    times = [i / 10 for i in range(40)]
    # Standing at 200 px for 2 s with a one-frame misread of 260, then a squat down to 120.
    values = [200.0] * 20 + [160.0, 120.0, 120.0, 160.0] + [200.0] * 16
    values[5] = 260.0
    out = peak_series("100 * hip_px / peak(hip_px, 3)", values, times)
    assert out[0] == 100.0  # the first frame is its own standing height
    assert out[21] == 60.0 and out[30] == 100.0  # the spike never became the standing height
    # A time span from params, and a window that forgets: after 3 s the old 260 and 200 are gone.
    later = peak_series("peak(hip_px, span_s)", [200.0] * 10 + [100.0] * 40, [i / 10 for i in range(50)],
                        params={"span_s": 3.0})
    assert later[20] == 200.0 and later[-1] == 100.0


def test_peak_skips_missing_frames_and_keeps_one_memory_per_session():
    times = [0.0, 0.1, 0.2, 0.3]
    out = peak_series("peak(hip_px, 5)", [150.0, NAN, NAN, 140.0], times)
    assert out[:3] == [150.0, 150.0, 150.0] and out[3] == 150.0
    assert math.isnan(peak_series("peak(hip_px, 5)", [NAN], [0.0])[0])
    a, b = {}, {}
    peak_series("peak(hip_px, 5)", [300.0], [0.0], memory=a)
    assert peak_series("peak(hip_px, 5)", [100.0], [0.1], memory=b) == [100.0]  # another session starts fresh
    # No memory (the loader's static probes): peak is the value itself.
    c = compile_("peak(hip_px, 5)", metrics=("hip_px",), memory=True)
    assert c.fn(MetricFrame({"hip_px": 42.0}, None, 100.0)) == 42.0


@pytest.mark.parametrize(
    "text,message",
    [
        ("peak(hip_px)", "takes a number and a time span"),
        ("peak(hip_px, 5, 1)", "takes a number and a time span"),
        ("peak(hip_px, torso)", "constant number of seconds"),
        ("peak(hip_px, hip_px)", "constant number of seconds"),
        ("peak(hip_px, 0)", "constant number of seconds"),
        ("peak(hip_px, 601)", "constant number of seconds"),
        ("peak(knee, 5)", "must be a number"),
        ("peak(hip_px, 5 > 1)", "must be a number"),
    ],
)
def test_peak_arguments_are_checked(text, message):
    with pytest.raises(DefinitionError, match=message):
        compile_(text, metrics=("hip_px",), memory=True)


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.tuples(st.floats(0.0, 0.5), st.one_of(st.floats(-1e3, 1e3), st.just(NAN))), min_size=1, max_size=80),
    st.floats(0.05, 3.0),
)
def test_running_peak_is_the_windows_nearest_rank_percentile(steps, span_s):
    peak = RunningPeak(span_s)
    seen: list[tuple[float, float]] = []
    t = 0.0
    for dt, value in steps:
        t += dt
        got = peak.update(value, t)
        if value == value:
            seen.append((t, value))
        window = sorted(v for s, v in seen if s >= t - span_s)
        if not window:
            assert math.isnan(got)
        else:
            assert got == window[max(math.ceil(PEAK_QUANTILE * len(window)) - 1, 0)]

"""Whole-workout and non-exercise renders: the truth's sets and segments agree with the timeline, rests hold no
rep motion, one body throughout with postures blended, and clear errors for bad sequences."""

from __future__ import annotations

import json

import cv2
import numpy as np
import pytest

from fitness.errors import UsageError
from fitness.synth.activities import ACTIVITIES, STRETCHES, Manner, stretch, walk_path, walking
from fitness.synth.body import BodyParams, joint_angle
from fitness.synth.workout import (
    Block,
    WorkoutSpec,
    motion_truth,
    parse_range,
    parse_sequence,
    plan_motion,
    render_motion,
)

SMALL = (128, 96)
REST_KINDS = {"standing", "walking", "stretching", "pick_up", "put_down", "transition"}
BONES = (("hip", "knee"), ("knee", "ankle"), ("shoulder", "elbow"), ("elbow", "wrist"))


def _plan(sequence: str, seed: int = 5, rest_s=(8.0, 12.0)):
    return plan_motion(WorkoutSpec(blocks=parse_sequence(sequence), seed=seed, fps=10, size=SMALL, rest_s=rest_s))


def _truth(clip) -> dict:
    """The truth without drawing: keypoints are not what these tests look at."""
    return motion_truth(clip, [np.zeros((17, 2))] * clip.frames, [np.zeros(17, bool)] * clip.frames)


def _piece_at(clip, t: float):
    return next(p for p in clip.pieces if p.start_s <= t < p.end_s)


def _straightest(sk, a: str, b: str, c: str) -> float:
    return max(joint_angle(sk[f"{s}_{a}"], sk[f"{s}_{b}"], sk[f"{s}_{c}"]) for s in ("left", "right"))


def test_parse_sequence_and_rest():
    assert parse_sequence("squats:5, push_ups@side:8x2,bicep_curls/one_arm@front:10") == (
        Block("squats", 5), Block("push_ups", 8, 2, "side"), Block("bicep_curls", 10, 1, "front", "one_arm"))
    assert parse_range("10") == (10.0, 10.0) and parse_range("8-15") == (8.0, 15.0)


@pytest.mark.parametrize("text,message", [
    ("pushups:5", "did you mean 'push_ups'?"),
    ("squats", "EXERCISE[/VARIANT][@VIEW]:REPS[xSETS]"),
    ("squats:five", "EXERCISE[/VARIANT][@VIEW]:REPS[xSETS]"),
    ("squats:5xtwo", "EXERCISE[/VARIANT][@VIEW]:REPS[xSETS]"),
    ("", "EXERCISE:REPS items"),
])
def test_bad_sequences_are_one_line_errors(text, message):
    with pytest.raises(UsageError, match=message.replace("?", r"\?").replace("[", r"\[").replace("]", r"\]")):
        parse_sequence(text)


@pytest.mark.parametrize("kwargs,message", [
    ({"blocks": (Block("squats", 5, 1, "top"),)}, "not 'top'"),
    ({"blocks": (Block("squats", 0),)}, "reps must be between"),
    ({"blocks": (Block("squats", 5, 11),)}, "sets must be between"),
    ({"blocks": (Block("bicep_curls", 5, 1, None, "alternate"),)}, "did you mean 'alternating'?"),
    ({"blocks": (Block("squats", 5, 1, None, "wide"),)}, "it has no variants"),
    ({"activity": "walkin", "seconds": 5}, "did you mean 'walking'?"),
    ({"activity": "walking", "seconds": 1}, "--seconds must be between"),
    ({}, "either exercise blocks or one activity"),
])
def test_bad_specs(kwargs, message):
    with pytest.raises(UsageError, match=message.replace("?", r"\?")):
        WorkoutSpec(**kwargs)


def test_bad_rest_ranges():
    for text in ("ten", "15-8", "-3"):
        with pytest.raises(UsageError, match="--rest-s"):
            parse_range(text)


def test_sets_follow_the_sequence_with_rests_between():
    clip = _plan("squats:3x2,push_ups:2,bicep_curls:2")
    truth = _truth(clip)
    sets = truth["sets"]
    assert [(s["index"], s["exercise"]) for s in sets] == [(1, "squats"), (2, "squats"), (3, "push_ups"),
                                                          (4, "bicep_curls")]
    assert [s["reps"] for s in sets] == [3, 3, 2, 2] and truth["reps"] == 10
    assert sets[0]["rest_before_s"] is None
    for prev, s in zip(sets, sets[1:]):
        assert s["rest_before_s"] == pytest.approx(s["start_s"] - prev["end_s"], abs=2e-3)
        assert s["rest_before_s"] >= 7.9  # at least the rest asked for
    for s in sets:
        reps = s["rep_details"]
        assert [r["index"] for r in reps] == list(range(1, len(reps) + 1))
        assert s["start_s"] == reps[0]["start_s"] and s["end_s"] == reps[-1]["end_s"]
        assert all(r["start_s"] < r["turn_s"] <= r["back_s"] < r["end_s"] for r in reps)
    # The segments tile the clip; each set's reps lie inside its own set segment.
    segs = truth["segments"]
    assert segs[0]["start_s"] == 0.0 and segs[-1]["end_s"] == pytest.approx(clip.frames / 10, abs=0.1)
    assert all(a["end_s"] == b["start_s"] for a, b in zip(segs, segs[1:]))
    assert {s["kind"] for s in segs} <= REST_KINDS | {"set"}
    set_segs = [s for s in segs if s["kind"] == "set"]
    assert [s["set_index"] for s in set_segs] == [1, 2, 3, 4]
    for seg, s in zip(set_segs, sets):
        assert seg["exercise"] == s["exercise"] and seg["start_s"] < s["start_s"] and s["end_s"] < seg["end_s"]
    # Dumbbells are picked up before the curls and put down after them.
    kinds = [s["kind"] for s in segs]
    curl = kinds.index("set", max(i for i, k in enumerate(kinds) if k == "set" and segs[i]["set_index"] == 3) + 1)
    assert "pick_up" in kinds[:curl] and "put_down" in kinds[curl:]


def test_rests_hold_no_rep_motion():
    """Standing, walking and stretching keep a leg and an arm straight (no squat, lunge, curl or press), while the
    sets bend them; only bending down to the floor or the dumbbells bends both knees."""
    clip = _plan("squats:2x2,bicep_curls:2,lunges:2", seed=8, rest_s=(14.0, 16.0))
    knees, elbows = {"rest": [], "set": []}, {"rest": [], "set": []}
    for f, sk in enumerate(clip.skeletons):
        piece = _piece_at(clip, f / 10)
        key = "set" if piece.kind == "set" else "rest" if piece.kind in ("standing", "walking", "stretching") else None
        if key:
            knees[key].append(_straightest(sk, "hip", "knee", "ankle"))
            elbows[key].append(_straightest(sk, "shoulder", "elbow", "wrist"))
    assert len(knees["rest"]) > 100
    assert min(knees["rest"]) > 150 and min(elbows["rest"]) > 140
    assert min(knees["set"]) < 100 and min(elbows["set"]) < 60  # the squats and curls


def test_one_body_throughout_with_blended_postures():
    clip = _plan("squats:2,push_ups:2,sit_ups:2", seed=3, rest_s=(6.0, 8.0))
    b = clip.body
    want = {("hip", "knee"): b.thigh, ("knee", "ankle"): b.shank, ("shoulder", "elbow"): b.upper_arm,
            ("elbow", "wrist"): b.forearm}
    steps = []
    for f, sk in enumerate(clip.skeletons):
        for (j1, j2), length in want.items():
            for s in ("left", "right"):
                got = float(np.linalg.norm(sk[f"{s}_{j1}"] - sk[f"{s}_{j2}"]))
                assert got == pytest.approx(length, rel=1e-6), (f, j1, j2)  # blends too keep the body's limbs
        if f:
            steps.append(float(np.linalg.norm(sk["neck"] - clip.skeletons[f - 1]["neck"])))
    # Smooth: the neck never jumps more than a fast movement allows between frames (10 fps).
    assert max(steps) < 0.35


def test_the_camera_moves_between_exercises_only():
    clip = _plan("squats@front:2x2,push_ups@side:2", seed=4)
    views = [clip.views[clip.frame_scene[f][0]] for f in range(clip.frames)]
    assert clip.views == ["front", "side"]
    moving = [f for f in range(clip.frames) if 0 < clip.frame_scene[f][2] < 1]
    assert moving and all(_piece_at(clip, f / 10).kind != "set" for f in moving)
    sets = _truth(clip)["sets"]
    assert views[int(sets[1]["end_s"] * 10)] == "front" and views[int(sets[2]["start_s"] * 10)] == "side"
    assert abs(clip.scene_at(moving[len(moving) // 2]).camera.azimuth_deg) > 0  # part way round


def test_same_seed_same_plan_and_a_drawn_view_per_exercise():
    a, b = _plan("squats:2,bicep_curls:2", seed=11), _plan("squats:2,bicep_curls:2", seed=11)
    assert _truth(a) == _truth(b) and a.body == b.body
    c = _plan("squats:2,bicep_curls:2", seed=12)
    assert _truth(c)["sets"] != _truth(a)["sets"] or c.body != a.body


@pytest.mark.parametrize("activity", ACTIVITIES)
def test_activity_clips_have_no_reps(activity):
    clip = plan_motion(WorkoutSpec(activity=activity, seconds=14, view="side", seed=2, fps=10, size=SMALL))
    truth = _truth(clip)
    assert truth["exercise"] is None and truth["activity"] == activity
    assert truth["reps"] == truth["no_reps"] == 0 and truth["sets"] == [] and truth["rep_list"] == []
    assert truth["view"] == "side" and clip.frames == 140
    kinds = {s["kind"] for s in truth["segments"]}
    assert kinds <= REST_KINDS
    if activity != "standing":
        assert {"walking": "walking", "stretching": "stretching", "pick_up": "pick_up"}[activity] in kinds


def test_walking_goes_out_and_comes_back():
    b = BodyParams()
    path = walk_path(b, [(90.0, 1.5), (270.0, 1.5)])
    far = max(abs(path.at(t)[1]) for t in np.arange(0, path.duration_s, 0.1))
    assert far == pytest.approx(1.5, abs=0.1)
    assert np.allclose(path.at(path.duration_s)[:3], (0.0, 0.0, 0.0), atol=1e-6)
    feet = [min(walking(b, t, path)["left_ankle"][1], walking(b, t, path)["right_ankle"][1])
            for t in np.arange(0, path.duration_s, 0.1)]
    assert np.allclose(feet, b.ankle_h - 0.004 * b.height_m, atol=1e-9)  # a foot always on the floor


@pytest.mark.parametrize("kind", STRETCHES)
def test_stretches_start_and_end_standing(kind):
    b = BodyParams()
    start, end = stretch(b, kind, 0.0, 4.0), stretch(b, kind, 4.0, 4.0)
    mid = stretch(b, kind, 2.0, 4.0, Manner(), "left")
    for n in start.points:
        assert np.allclose(start[n], end[n], atol=1e-6)
    assert max(float(np.linalg.norm(mid[n] - start[n])) for n in start.points) > 0.2  # it does move


@pytest.mark.slow
def test_render_a_small_workout(tmp_path):
    out = tmp_path / "w.mp4"
    spec = WorkoutSpec(blocks=parse_sequence("squats:2,bicep_curls@front:1x2"), seed=6, fps=8, size=SMALL,
                       rest_s=(3.0, 3.0))
    truth = render_motion(spec, out)
    stored = json.loads((tmp_path / "w.truth.json").read_text())
    assert stored == json.loads(json.dumps(truth))
    cap = cv2.VideoCapture(str(out))
    n = int(cap.get(cv2.CAP_PROP_FRAME_COUNT))
    ok, frame = cap.read()
    assert ok and frame.shape == (SMALL[1], SMALL[0], 3) and n == truth["frames"]
    assert len(truth["keypoints"]) == len(truth["visible"]) == truth["frames"]
    assert [s["exercise"] for s in truth["sets"]] == ["squats", "bicep_curls", "bicep_curls"]
    vis = np.asarray(truth["visible"])
    assert vis[:, 5:].mean() > 0.5  # the body is seen


def test_variants_take_turns_within_a_set():
    truth = _truth(_plan("bicep_curls/alternating:3x2,lateral_raises/one_arm:2,squats:1", seed=9))
    sets = truth["sets"]
    assert [s["variant"] for s in sets] == ["alternating", "alternating", "one_arm", None]
    assert [[r["side"] for r in s["rep_details"]] for s in sets[:2]] == [["left", "right", "left"]] * 2
    one = [r["side"] for r in sets[2]["rep_details"]]
    assert one[0] in ("left", "right") and one == [one[0]] * 2

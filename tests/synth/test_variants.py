"""Variants (alternating, single-arm, single-leg): which side moves in each rep, the idle side at rest,
faults on the moving side, the truth's `side` and `variant`, and default-variant clips unchanged."""

from __future__ import annotations

import json
import os
from pathlib import Path

import numpy as np
import pytest
from synth_planned import planned_truth

from fitness.errors import UsageError
from fitness.pose.types import KEYPOINT_NAMES
from fitness.synth import RenderSpec, plan_clip
from fitness.synth.body import joint_angle
from fitness.synth.keypoints import keypoints_of
from fitness.synth.motion import SCRIPTS, measure

GOLDEN = Path(__file__).parent / "golden" / "default_variants.json"
# The clips of the golden file: exercises whose scripts have variants, at their default variant.
GOLDEN_CASES = [("bicep_curls", "side"), ("bicep_curls", "front"), ("shoulder_press", "front"),
                ("lateral_raises", "front"), ("lunges", "side")]
GOLDEN_JOINTS = ("left_elbow", "right_elbow", "left_wrist", "right_wrist", "left_knee", "right_knee", "left_ankle",
                 "right_ankle")


def _golden_spec(exercise: str, view: str) -> RenderSpec:
    return RenderSpec(exercise, 3, view=view, seed=0, faults={2: [SCRIPTS[exercise].faults[0]]}, partial=[3])


def _golden_clip(exercise: str, view: str) -> dict:
    """Rep times, sides and a few keypoints (two frames per rep) of a default-variant clip."""
    spec = _golden_spec(exercise, view)
    clip = plan_clip(spec)
    idx = [KEYPOINT_NAMES.index(j) for j in GOLDEN_JOINTS]
    frames = []
    for p in clip.plans:
        frames += [int(round((p.start_s + p.turn_s) / 2 * spec.fps)), int(round((p.turn_s + p.back_s) / 2 * spec.fps))]
    return {
        "exercise": exercise, "view": view, "frames": clip.frames,
        "rep_s": [[round(v, 6) for v in (p.start_s, p.turn_s, p.back_s, p.end_s)] for p in clip.plans],
        "sides": [p.side for p in clip.plans],
        "keypoints": {str(f): np.round(keypoints_of(clip.skeletons[f], clip.scene.body, clip.scene.camera)[idx], 3)
                      .tolist() for f in frames},
    }


@pytest.mark.parametrize("exercise,view", GOLDEN_CASES)
def test_default_variant_clips_are_those_rendered_before_variants_existed(exercise, view):
    """The golden file was written by the renderer before variants (and their seeded side) were added:
    evaluation sets and tests rely on a seed giving the same clip. FITNESS_REGEN_GOLDEN=1 rewrites it."""
    got = _golden_clip(exercise, view)
    if os.environ.get("FITNESS_REGEN_GOLDEN"):
        stored = json.loads(GOLDEN.read_text()) if GOLDEN.exists() else {}
        stored[f"{exercise}_{view}"] = got
        GOLDEN.write_text(json.dumps(stored, separators=(",", ":")))
        pytest.skip("golden regenerated")
    want = json.loads(GOLDEN.read_text())[f"{exercise}_{view}"]
    assert got["frames"] == want["frames"] and got["sides"] == want["sides"]
    np.testing.assert_allclose(got["rep_s"], want["rep_s"], atol=1e-6)
    assert got["keypoints"].keys() == want["keypoints"].keys()
    for frame, xy in want["keypoints"].items():
        np.testing.assert_allclose(got["keypoints"][frame], xy, atol=1e-3, err_msg=f"frame {frame}")


@pytest.mark.parametrize("exercise", [e for e, s in SCRIPTS.items() if s.variants])
def test_naming_the_default_variant_changes_nothing(exercise):
    script = SCRIPTS[exercise]
    _, default = planned_truth(RenderSpec(exercise, 2, seed=2, size=(160, 120)))
    _, named = planned_truth(RenderSpec(exercise, 2, seed=2, size=(160, 120), variant=script.variants[0]))
    assert default == named and default["variant"] == script.variants[0]


def _elbows_at_turns(spec: RenderSpec) -> tuple[list[str | None], np.ndarray, np.ndarray]:
    """(sides, (reps, 2) left/right elbow angle at each rep's turnaround, (2,) at rest in frame 0)."""
    clip = plan_clip(spec)
    turns = [clip.skeletons[int((p.turn_s + p.back_s) / 2 * spec.fps)] for p in clip.plans]
    angles = np.array([[measure(sk, s)["elbow_deg"] for s in ("left", "right")] for sk in turns])
    rest = np.array([measure(clip.skeletons[0], s)["elbow_deg"] for s in ("left", "right")])
    return [p.side for p in clip.plans], angles, rest


@pytest.mark.parametrize("exercise,view", [("bicep_curls", "side"), ("shoulder_press", "front"),
                                           ("shoulder_press", "side"), ("lateral_raises", "front")])
def test_single_arm_reps_move_one_arm_and_the_other_stays_at_rest(exercise, view):
    variant = "alternating" if "alternating" in SCRIPTS[exercise].variants else "one_arm"
    spec = RenderSpec(exercise, 4, view=view, seed=8, size=(160, 120), variant=variant)
    sides, angles, rest = _elbows_at_turns(spec)
    if variant == "alternating":
        assert sides == ["left", "right", "left", "right"]
    for side, (left, right) in zip(sides, angles):
        moving, idle = (left, right) if side == "left" else (right, left)
        idle_rest = rest[1] if side == "left" else rest[0]
        moving_rest = rest[0] if side == "left" else rest[1]
        assert idle == pytest.approx(idle_rest, abs=1e-6)
        if exercise != "lateral_raises":  # a raise lifts a straight arm: its elbow hardly changes
            assert abs(moving - moving_rest) > 40


def test_simultaneous_reps_move_both_arms():
    sides, angles, rest = _elbows_at_turns(RenderSpec("bicep_curls", 2, seed=8, size=(160, 120)))
    assert sides == [None, None]
    assert (np.abs(angles - rest) > 40).all()


@pytest.mark.parametrize("exercise,variant", [("bicep_curls", "one_arm"), ("shoulder_press", "one_arm"),
                                              ("lateral_raises", "one_arm"), ("lunges", "one_leg")])
def test_one_side_variants_keep_one_side_drawn_from_the_seed(exercise, variant):
    sides_by_seed = [[p.side for p in plan_clip(RenderSpec(exercise, 3, seed=seed, size=(160, 120),
                                                           variant=variant)).plans] for seed in range(8)]
    assert all(len(set(s)) == 1 and s[0] in ("left", "right") for s in sides_by_seed)
    assert {s[0] for s in sides_by_seed} == {"left", "right"}


def test_lunges_alternate_by_default_and_one_leg_keeps_the_lead_leg():
    _, truth = planned_truth(RenderSpec("lunges", 3, seed=4, size=(160, 120)))
    assert truth["variant"] == "alternating" and [r["side"] for r in truth["rep_list"]] == ["left", "right", "left"]
    clip, truth = planned_truth(RenderSpec("lunges", 3, seed=4, size=(160, 120), variant="one_leg"))
    lead = truth["rep_list"][0]["side"]
    assert truth["variant"] == "one_leg" and [r["side"] for r in truth["rep_list"]] == [lead] * 3
    for p in clip.plans:  # the lead leg is the one in front at the bottom
        sk = clip.skeletons[int((p.turn_s + p.back_s) / 2 * 30)]
        other = "right" if lead == "left" else "left"
        assert sk[f"{lead}_ankle"][0] > sk[f"{other}_ankle"][0] + 0.5


def test_a_variant_changes_only_the_sides_not_the_athlete_camera_or_tempo():
    """(The framing follows the motion, so only the camera's placement is compared.)"""
    base = plan_clip(RenderSpec("bicep_curls", 3, seed=12, size=(160, 120)))
    alt = plan_clip(RenderSpec("bicep_curls", 3, seed=12, size=(160, 120), variant="alternating"))
    place = lambda c: (c.azimuth_deg, c.distance_m, c.height_m)  # noqa: E731
    assert base.scene.body == alt.scene.body and place(base.scene.camera) == place(alt.scene.camera)
    assert [(p.start_s, p.end_s) for p in base.plans] == [(p.start_s, p.end_s) for p in alt.plans]
    assert [p.side for p in alt.plans] == ["left", "right", "left"]


def test_faults_apply_to_the_moving_arm():
    spec = RenderSpec("bicep_curls", 2, seed=3, size=(160, 120), variant="alternating", faults={2: ["elbow_drift"]})
    clip, truth = planned_truth(spec)
    rep = clip.plans[1]
    assert rep.side == "right" and truth["rep_list"][1]["side"] == "right"
    sk = clip.skeletons[int((rep.turn_s + rep.back_s) / 2 * spec.fps)]
    drift = {s: joint_angle(sk[f"{s}_hip"], sk[f"{s}_shoulder"], sk[f"{s}_elbow"]) for s in ("left", "right")}
    assert drift["right"] > 30 and drift["left"] < 10
    # The truth's turnaround angles are the moving arm's.
    assert truth["rep_list"][1]["turn_angles"]["elbow_deg"] == pytest.approx(measure(sk, "right")["elbow_deg"],
                                                                              abs=0.06)


def test_alternating_curls_count_every_single_arm_rep():
    _, truth = planned_truth(RenderSpec("bicep_curls", 4, seed=1, size=(160, 120), variant="alternating",
                                        partial=[4]))
    assert truth["reps"] == 3 and truth["no_reps"] == 1
    assert [r["side"] for r in truth["rep_list"]] == ["left", "right", "left", "right"]


@pytest.mark.parametrize(
    "kwargs,message",
    [
        ({"variant": "hop"}, "unknown variant 'hop' for bicep_curls; expected one of simultaneous, alternating, "
                             "one_arm$"),
        ({"exercise": "squats", "variant": "alternating"}, "squats has no variants"),
        ({"exercise": "plank", "reps": 10, "variant": "one_arm"}, "plank has no variants"),
        ({"exercise": "lunges", "variant": "one_arm"}, "expected one of alternating, one_leg"),
        ({"exercise": "shoulder_press", "variant": "alternating", "faults": {1: ["uneven_arms"]}},
         r"unknown fault 'uneven_arms' for shoulder_press \(alternating\); expected one of lockout$"),
    ],
)
def test_bad_variants_are_refused_with_the_valid_choices(kwargs, message):
    args = {"exercise": "bicep_curls", "reps": 3, **kwargs}
    with pytest.raises(UsageError, match=message):
        RenderSpec(**args)


def test_uneven_arms_is_a_fault_of_both_arms_pressing():
    assert "uneven_arms" in SCRIPTS["shoulder_press"].faults_for(None)
    assert SCRIPTS["shoulder_press"].faults_for("one_arm") == ("lockout",)
    RenderSpec("shoulder_press", 2, faults={1: ["uneven_arms"]}, variant="simultaneous")

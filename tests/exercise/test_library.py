"""Every shipped exercise: it validates, and a synthetic keypoint track of N reps counts exactly N, flags the
injected faults on the right reps and nothing on clean reps, and turns partial reps into no-reps."""

from __future__ import annotations

import numpy as np
import pytest

from fitness.exercise import ExerciseMachine, list_exercises, load_exercise
from fitness.pose.types import Keypoint, Pose
from fitness.synth.evaluate import detectable_faults
from fitness.synth.motion import SCRIPTS
from fitness.synth.timeline import plan_reps

from .tracks import even_tempo, hold_track, perturb, set_frames, track, varied_track

SHIPPED = ("squats", "push_ups", "bicep_curls", "lunges", "jumping_jacks", "shoulder_press", "sit_ups",
           "glute_bridges", "lateral_raises", "plank")

# exercise, view, {rep: [faults]} - every fault id of docs/INTEGRATION.md on a rep of its own.
CASES = [
    ("squats", "side", {1: ["chest_up"]}),
    ("squats", "front", {2: ["knees_cave"]}),
    ("push_ups", "side", {1: ["hip_sag"], 3: ["hips_high"]}),
    ("push_ups", "front", {}),  # end-on the hips' line cannot be seen: counted, not judged
    ("bicep_curls", "side", {1: ["elbow_drift"], 3: ["body_swing"]}),
    ("bicep_curls", "front", {}),
    ("lunges", "side", {1: ["torso_lean"], 2: ["knee_past_toes"]}),
    ("jumping_jacks", "front", {1: ["arms_low"], 3: ["feet_narrow"]}),
    ("shoulder_press", "front", {1: ["lockout"], 3: ["uneven_arms"]}),
    ("shoulder_press", "side", {}),
    ("sit_ups", "side", {1: ["legs_straight"], 3: ["feet_lift"]}),
    ("glute_bridges", "side", {1: ["hips_low"], 3: ["feet_far"]}),
    ("lateral_raises", "front", {1: ["arms_high"], 3: ["bent_elbows"]}),
]
REPS = 5


def run(definition, frames):
    machine = ExerciseMachine(definition)
    reps, issues, steps = [], [], []
    for pose, t in frames:
        step = machine.update(pose, t)
        reps.extend(step.new_reps)
        issues.extend(step.new_issues)
        steps.append(step)
    final = machine.finish(frames[-1][1] + 0.1)
    reps.extend(final.new_reps)
    return reps, issues, final


def test_every_shipped_exercise_is_listed_and_validates():
    names = {info.name for info in list_exercises()}
    assert set(SHIPPED) <= names
    for name in SHIPPED:
        d = load_exercise(name)
        assert d.name == name and d.views
        assert len(d.form) + len(d.rep_checks) >= 2, f"{name} needs at least two form rules"


@pytest.mark.parametrize("exercise,view,faults", CASES, ids=[f"{c[0]}-{c[1]}" for c in CASES])
def test_synthetic_set_counts_exactly_and_flags_injected_faults(exercise, view, faults):
    d = load_exercise(exercise)
    reps, issues, final = run(d, track(exercise, REPS, view, faults))
    counted = [r for r in reps if r.counted]
    assert final.reps == REPS and len(counted) == REPS, [(r.index, r.counted, r.reason) for r in reps]
    assert final.no_reps == 0
    for i, rep in enumerate(counted):
        expected = set(faults.get(i, ()))
        got = set(rep.issues)
        assert got == expected, f"rep {i + 1}: expected {sorted(expected)}, got {sorted(got)}"
        assert rep.score == (100.0 if not expected else rep.score) and 0 <= rep.score <= 100
        if expected:
            assert rep.score < 100
    fired = {i.rule_id for i in issues}
    assert {f for fs in faults.values() for f in fs} <= fired


@pytest.mark.parametrize(
    "exercise,view",
    [
        ("shoulder_press", "side"),
        ("bicep_curls", "front"),
        ("squats", "front"),
        ("squats", "side"),
        ("push_ups", "side"),
        ("lunges", "side"),
        ("jumping_jacks", "front"),
        ("sit_ups", "side"),
        ("glute_bridges", "side"),
        ("lateral_raises", "front"),
        ("shoulder_press", "front"),
        ("bicep_curls", "side"),
        ("push_ups", "front"),
    ],
)
def test_partial_reps_are_no_reps_with_the_exercise_reason(exercise, view):
    d = load_exercise(exercise)
    # 3 s reps: a half squat's hip height changes little near standing, and at 2 s the partial dip would
    # leave the standing zone for less than min_rep_s (a real half squat takes longer).
    reps, _, final = run(d, track(exercise, 4, view, partial=(1,), rep_s=3.0))
    assert final.reps == 3 and final.no_reps == 1, [(r.index, r.counted, r.reason) for r in reps]
    no_rep = [r for r in reps if not r.counted][0]
    assert no_rep.index == 2 and no_rep.reason == d.rep.partial.id and no_rep.score == 0


@pytest.mark.parametrize("swap_every", [0, 2, 5])
def test_lunges_count_each_lunge_once_whichever_leg_leads_even_with_swapped_legs(swap_every):
    # Side-on, MoveNet often swaps the left and right leg for a few frames: the count follows both knees
    # (their mean), so a swap can neither split one lunge into two nor hide one.
    legs = [
        (int(getattr(Keypoint, f"LEFT_{j}")), int(getattr(Keypoint, f"RIGHT_{j}"))) for j in ("HIP", "KNEE", "ANKLE")
    ]
    frames = []
    for i, (pose, t) in enumerate(track("lunges", 6, "side")):
        xy, score = pose.xy.copy(), pose.score.copy()
        if swap_every and (i // swap_every) % 2:
            for a, b in legs:
                xy[[a, b]], score[[a, b]] = xy[[b, a]], score[[b, a]]
        frames.append((Pose(xy, score, t), t))
    reps, _, final = run(load_exercise("lunges"), frames)
    assert final.reps == 6 and final.no_reps == 0, [(r.index, r.counted, r.reason) for r in reps]


def test_plank_times_good_form_and_flags_a_sag():
    machine = ExerciseMachine(load_exercise("plank"))
    issues, steps = [], []
    frames = hold_track(10.0, faults_between=(5.0, 7.0))
    for pose, t in frames:
        steps.append(machine.update(pose, t))
        issues.extend(steps[-1].new_issues)
        assert steps[-1].new_reps == ()  # a hold is timed, not counted
    final = machine.finish(frames[-1][1] + 0.1)
    assert final.reps == 0 and len(machine.holds) == 1
    hold = machine.holds[0]
    assert hold.issues == ("hip_sag",)
    # 10 s in position, of which 2 s sagging (+ the 0.3 s before the cue fires, - the 0.3 s release).
    assert hold.total_s == pytest.approx(10.0, abs=0.1)
    assert hold.good_s == pytest.approx(8.0, abs=0.2)
    assert hold.score == pytest.approx(80.0, abs=2.0)
    assert final.hold_s == pytest.approx(hold.good_s)
    assert steps[-1].phase == "holding" and steps[100].hold_s < steps[200].hold_s
    assert [i.rule_id for i in issues] == ["hip_sag"]


@pytest.mark.parametrize("rep_s,noise_px", [(1.0, 2.5), (4.0, 2.5)], ids=["fast-noisy", "slow-noisy"])
@pytest.mark.parametrize("exercise,view", sorted({(c[0], c[1]) for c in CASES}))
def test_tempo_and_keypoint_noise_do_not_change_the_count(exercise, view, rep_s, noise_px):
    d = load_exercise(exercise)
    reps, _, final = run(d, track(exercise, 4, view, rep_s=rep_s, rest_s=0.4, noise_px=noise_px, seed=7))
    assert final.reps == 4 and final.no_reps == 0, [(r.index, r.counted, r.reason) for r in reps]


@pytest.mark.parametrize("exercise,view,rep_s", [("bicep_curls", "side", 2.0), ("bicep_curls", "front", 2.0),
                                                 ("shoulder_press", "front", 3.0), ("shoulder_press", "side", 3.0),
                                                 ("lunges", "side", 2.0)])
def test_reps_are_timed_lockout_to_lockout_from_every_view(exercise, view, rep_s):
    # A curl's wrist height barely moves over its first ~20 deg, and from the front the 2D elbow angle does not
    # follow the forearm; a press's hands barely rise over the last part of a lockout; a lunge steps out before
    # its knees bend: the tempo metrics follow all of it.
    rng = np.random.default_rng(3)
    plans, duration_s = plan_reps(4, even_tempo(rep_s, 0.6), rng, sides=SCRIPTS[exercise].sides)
    reps, _, final = run(load_exercise(exercise), set_frames(exercise, view, plans, duration_s, rng=rng))
    assert final.reps == 4
    for rep, plan in zip(reps, plans):
        out_s, at_s, back_s = rep.phases.values()
        errors = (rep.start_t - plan.start_s, rep.end_t - plan.end_s, out_s - (plan.turn_s - plan.start_s),
                  at_s - (plan.back_s - plan.turn_s), back_s - (plan.end_s - plan.back_s))
        assert max(map(abs, errors)) <= 0.15, (rep.index, np.round(errors, 3))


@pytest.mark.parametrize("view", ["side", "front"])
def test_push_ups_do_not_count_elbow_bends_while_standing(view):
    reps, _, final = run(load_exercise("push_ups"), track("bicep_curls", 3, view))
    assert final.reps == 0 and final.no_reps == 0


# sit_ups' feet_lift compares the ankles' height with the hip's (the floor is hidden once the torso is up),
# so it needs a camera level within ~4 deg (documented in sit_ups.yaml); counting itself does not.
ROLL_LIMIT_DEG = {"sit_ups": 4.0}


# Known misses on the synthetic athlete: the engine, not the track, is what has to change for these to pass.
PEOPLE_FAILS: dict[tuple[str, str, int], str] = {}


@pytest.mark.parametrize(
    "exercise,view,seed",
    [
        pytest.param(e, v, seed, marks=[pytest.mark.xfail(strict=True, reason=PEOPLE_FAILS[e, v, seed])]
                     if (e, v, seed) in PEOPLE_FAILS else [])
        for e, v in sorted({(c[0], c[1]) for c in CASES}) for seed in (0, 1, 2)
    ],
)
def test_counts_hold_for_other_people_cameras_and_noisy_keypoints(exercise, view, seed):
    """Another body (legs, arms and shoulders +-15%, its own style), mirrored (odd seeds), a camera rolled up to
    10 deg, 6 px keypoint noise, 1% one-frame glitches of ~40 px, and reps reaching 85-100% of the full
    movement at 1.2-3 s each: still exact (no smoothing: the pipeline smooths poses first, so real input is
    kinder)."""
    rng = np.random.default_rng(seed)
    roll = ROLL_LIMIT_DEG.get(exercise, 10.0)
    frames = perturb(
        varied_track(exercise, 6, view, rng, 0.85), rng, 6.0, rng.uniform(-roll, roll), 0.01, mirror=seed % 2 == 1
    )
    reps, _, final = run(load_exercise(exercise), frames)
    assert final.reps == 6 and final.no_reps == 0
    assert not {i for r in reps for i in r.issues}, "clean reps must not be flagged"


def _moved(frames, scale: float, dt: float):
    """The same set filmed `scale` times as large (the person nearer or farther), `dt` seconds later."""
    out = []
    for pose, t in frames:
        base = np.nanmax(pose.xy[:, 1])
        xy = pose.xy.copy()
        xy[:, 1] = base + (xy[:, 1] - base) * scale
        xy[:, 0] = xy[:, 0] * scale
        out.append((Pose(xy, pose.score, t + dt), t + dt))
    return out


@pytest.mark.parametrize("view", ["side", "front"])
def test_squats_after_stepping_out_and_back_in_farther_away(view):
    """The squat's standing height is learnt (peak()); after 4 s out of view it is learnt again, so a person
    who comes back to a spot farther from the camera is counted from their first rep."""
    first = track("squats", 3, view)
    gap_start = first[-1][1] + 1 / 30
    nobody = [(None, gap_start + i / 30) for i in range(120)]
    second = _moved(track("squats", 3, view, seed=1), 0.8, nobody[-1][1] + 1 / 30)
    reps, _, final = run(load_exercise("squats"), first + nobody + second)
    assert final.reps == 6 and final.no_reps == 0, [(r.index, r.counted, round(r.start_t, 1)) for r in reps]


def test_jumping_jacks_count_when_the_ankles_are_lost_feet_together():
    """Feet together, MoveNet often drops the ankles: the closed stance is then judged by the arms alone
    (requiring the ankles left it unmeasured and merged quick jacks, or never started counting)."""
    frames = track("jumping_jacks", 5, "front", rep_s=1.0, rest_s=0.3)
    ankles = [int(Keypoint.LEFT_ANKLE), int(Keypoint.RIGHT_ANKLE)]
    dropped = []
    for pose, t in frames:
        gap = abs(pose.xy[ankles[0], 0] - pose.xy[ankles[1], 0])
        shoulders = abs(pose.xy[int(Keypoint.LEFT_SHOULDER), 0] - pose.xy[int(Keypoint.RIGHT_SHOULDER), 0])
        if gap < 1.2 * shoulders:
            xy, score = pose.xy.copy(), pose.score.copy()
            xy[ankles], score[ankles] = np.nan, 0.1
            pose = Pose(xy, score, t)
        dropped.append((pose, t))
    assert sum(np.isnan(p.xy[ankles[0], 0]) for p, _ in dropped) > len(dropped) / 3
    reps, _, final = run(load_exercise("jumping_jacks"), dropped)
    assert final.reps == 5 and final.no_reps == 0, [(r.index, r.counted, r.reason) for r in reps]


def test_jumping_jacks_survive_shoulders_read_at_one_point():
    """Shoulders read at one spot for a while in the closed stance used to make the feet ratio explode (a
    1000% "jack" while standing still), so the stance between jacks was never seen."""
    frames = track("jumping_jacks", 4, "front", rep_s=1.2, rest_s=0.6)
    glitched = []
    wrist, hip, shoulder = int(Keypoint.LEFT_WRIST), int(Keypoint.LEFT_HIP), int(Keypoint.LEFT_SHOULDER)
    for pose, t in frames:
        xy = pose.xy.copy()
        arms_down = abs(xy[wrist, 1] - xy[hip, 1]) < 0.3 * abs(xy[hip, 1] - xy[shoulder, 1])
        if arms_down:
            xy[int(Keypoint.RIGHT_SHOULDER)] = xy[shoulder] + 1.0
        glitched.append((Pose(xy, pose.score, t), t))
    reps, _, final = run(load_exercise("jumping_jacks"), glitched)
    assert final.reps == 4 and final.no_reps == 0, [(r.index, r.counted, r.reason) for r in reps]


# Turned 45 deg (the middle of the renderer's oblique view), the engine sees an oblique view and judges only
# the rules that hold there (`views:`); what it still gets wrong is listed here.
OBLIQUE_YAW_DEG = 45.0
OBLIQUE_FAILS = {
    ("lunges", "side"): "the rep with the knee past the toes reads shallower than the 110 deg depth line: a no-rep",
}


@pytest.mark.parametrize(
    "exercise,view,faults",
    [
        pytest.param(*c, marks=[pytest.mark.xfail(strict=True, reason=OBLIQUE_FAILS[c[:2]])]
                     if c[:2] in OBLIQUE_FAILS else [], id=f"{c[0]}-{c[1]}")
        for c in CASES
    ],
)
def test_an_oblique_camera_45_deg_off_still_counts_and_flags_what_it_can_judge(exercise, view, faults):
    definition = load_exercise(exercise)
    machine = ExerciseMachine(definition)
    frames = track(exercise, REPS, view, faults, yaw_deg=OBLIQUE_YAW_DEG)
    assert [machine.update(pose, t).view for pose, t in frames][-1] == "oblique"
    judged = set(detectable_faults(exercise, "oblique"))
    reps, _, final = run(definition, frames)
    assert final.reps == REPS
    expected = {i: sorted(set(ids) & judged) for i, ids in faults.items() if set(ids) & judged}
    assert {i: sorted(r.issues) for i, r in enumerate(reps) if r.issues} == expected


@pytest.mark.parametrize("yaw_deg", [-50.0, -40.0, 230.0])
def test_sit_ups_filmed_at_an_angle_from_a_raised_camera_count_from_their_own_lying_angle(yaw_deg):
    """Turned with the head away from a camera 1.2 m up and 2.5 m away, the lying torso reads ~65-70 deg from
    vertical, under a fixed lying line: no rep ever started. Measured against the person's own lying angle,
    every full sit-up counts and the half one is a no-rep."""
    frames = track("sit_ups", 5, "side", partial=(1,), rep_s=3.0, yaw_deg=yaw_deg, camera_height_m=1.2,
                   distance_m=2.5)
    reps, _, final = run(load_exercise("sit_ups"), frames)
    assert (final.reps, final.no_reps) == (4, 1), [(r.index, r.counted, r.reason) for r in reps]
    assert [r.counted for r in reps] == [True, False, True, True, True]


def test_squats_depth_deg_asks_for_a_deeper_knee_angle_from_the_side():
    # The synthetic athlete's squat bottoms out at a knee angle of about 87 deg seen from the side:
    # depth_deg=100 still counts it, depth_deg=70 asks for more than it does and turns every rep into a no-rep.
    frames = track("squats", 3, "side")
    assert run(load_exercise("squats", overrides={"depth_deg": 100}), frames)[2].reps == 3
    final = run(load_exercise("squats", overrides={"depth_deg": 70}), frames)[2]
    assert final.reps == 0 and final.no_reps == 3


def test_a_camera_view_the_exercise_does_not_list_is_pointed_out():
    machine = ExerciseMachine(load_exercise("jumping_jacks"))
    steps = [machine.update(pose, t) for pose, t in track("squats", 1, "side")]
    assert steps[-1].view == "side"
    assert steps[-1].guidance == "This looks like a side view; film from the front for best results"
    machine = ExerciseMachine(load_exercise("bicep_curls"))
    steps = [machine.update(pose, t) for pose, t in track("bicep_curls", 2, "front", yaw_deg=45.0)]
    assert steps[-1].view == "oblique"
    assert steps[-1].guidance == "This looks like an oblique view; film from the side for best results"
    machine = ExerciseMachine(load_exercise("jumping_jacks"))
    steps = [machine.update(pose, t) for pose, t in track("jumping_jacks", 1, "front")]
    assert steps[-1].view == "front" and steps[-1].guidance is None


@pytest.mark.parametrize("hips_seen", [1.0, 0.4])
def test_end_on_push_ups_count_with_the_feet_and_hips_hidden_behind_the_shoulders(hips_seen):
    """End-on, MoveNet loses the ankles behind the body and sees the hips in ~40% of frames: the front view
    requires only the arms (`view_requires`), so the reps still count, on the end-on depth line."""
    rng = np.random.default_rng(3)
    hips = [int(Keypoint.LEFT_HIP), int(Keypoint.RIGHT_HIP)]
    _assert_end_on_push_ups_count(lambda t: _ANKLES + (hips if rng.random() > hips_seen else []))


_ANKLES = [int(Keypoint.LEFT_ANKLE), int(Keypoint.RIGHT_ANKLE)]


def _assert_end_on_push_ups_count(hidden_at):
    """4 end-on push-ups, the second partial, with the keypoints `hidden_at(t)` lost in each frame: 3 reps, 1 no-rep."""
    frames = []
    for pose, t in track("push_ups", 4, "front", partial=(2,)):
        hidden = hidden_at(t)
        xy, score = pose.xy.copy(), pose.score.copy()
        xy[hidden], score[hidden] = np.nan, 0.05
        frames.append((Pose(xy, score, t), t))
    reps, _, final = run(load_exercise("push_ups"), frames)
    assert (final.reps, final.no_reps) == (3, 1), [(r.index, r.counted, r.reason) for r in reps]


@pytest.mark.xfail(strict=True, reason="end-on rules that count these (straighter arm, shoulders' drop) were tried "
                   "and not kept: they lost real front-view push-ups in workouts (docs/synth.md)")
def test_end_on_push_ups_count_on_either_arm_while_one_wrist_is_lost():
    """End-on, MoveNet drops one wrist for seconds at a time (at the top, the hands sit under the shoulders
    and the fists blur into the mat): each arm faces the camera, so the other arm carries the count."""
    wrists = (int(Keypoint.LEFT_WRIST), int(Keypoint.RIGHT_WRIST))
    _assert_end_on_push_ups_count(lambda t: _ANKLES + [wrists[int(t // 1.5) % 2]])  # one wrist, then the other


@pytest.mark.xfail(strict=True, reason="end-on rules that count these (straighter arm, shoulders' drop) were tried "
                   "and not kept: they lost real front-view push-ups in workouts (docs/synth.md)")
@pytest.mark.parametrize("camera_height_m,partial_amp", [(1.0, 0.6), (0.3, 0.7)])
def test_end_on_partial_push_ups_whose_elbows_read_deep_are_no_reps_by_the_shoulders_height(camera_height_m,
                                                                                           partial_amp):
    """End-on, a push-up stopped at an elbow of ~110-118 deg reads under the end-on depth line from some camera
    heights (flared elbows seen from above, or from the floor): the shoulders, though, stay high over the hands,
    so it is a no-rep."""
    frames = track("push_ups", 4, "front", partial=(1,), partial_amp=partial_amp, camera_height_m=camera_height_m,
                   distance_m=2.5)
    reps, _, final = run(load_exercise("push_ups"), frames)
    assert (final.reps, final.no_reps) == (3, 1), [(r.index, r.counted, r.reason) for r in reps]
    assert [r.counted for r in reps] == [True, False, True, True]


def test_side_on_push_ups_still_require_the_feet():
    frames = []
    ankles = [int(Keypoint.LEFT_ANKLE), int(Keypoint.RIGHT_ANKLE)]
    for pose, t in track("push_ups", 3, "side"):
        xy, score = pose.xy.copy(), pose.score.copy()
        xy[ankles], score[ankles] = np.nan, 0.05
        frames.append((Pose(xy, score, t), t))
    machine = ExerciseMachine(load_exercise("push_ups"))
    steps = [machine.update(pose, t) for pose, t in frames]
    assert steps[-1].view == "side" and steps[-1].reps == 0
    assert "ankle" in (steps[-1].guidance or "")


@pytest.mark.parametrize("variant", ["one_arm", "alternating"])
def test_one_arm_presses_are_not_uneven_arms(variant):
    # The idle arm stays racked while the other presses: one-arm work, not a lagging arm. Counted, no cue.
    frames = track("shoulder_press", 4, "front", variant=variant, seed=3)
    reps, issues, final = run(load_exercise("shoulder_press"), frames)
    assert final.reps == 4 and [r.counted for r in reps] == [True] * 4
    assert "uneven_arms" not in {i.rule_id for i in issues} | {k for r in reps for k in r.issues}


def _working_side(frames) -> str:
    """The arm whose wrist moves most over the set."""
    wrists = {side: np.array([pose.xy[int(Keypoint[f"{side.upper()}_WRIST"])][1] for pose, _ in frames])
              for side in ("left", "right")}
    return max(wrists, key=lambda side: float(np.ptp(wrists[side])))


def test_a_side_on_one_arm_press_of_the_far_arm_seen_with_low_confidence_counts():
    # Side-on, MoveNet places the far arm steadily at a score of ~0.2: each arm is followed on its own.
    frames = track("shoulder_press", 4, "side", variant="one_arm", seed=5)
    working = _working_side(frames)
    arm = [int(Keypoint[f"{working.upper()}_{joint}"]) for joint in ("ELBOW", "WRIST")]
    low = []
    for pose, t in frames:
        score = pose.score.copy()
        score[arm] = 0.2
        low.append((pose.replace(score=score), t))
    reps, _, final = run(load_exercise("shoulder_press"), low)
    assert final.reps == 4 and [r.counted for r in reps] == [True] * 4
    assert final.reps_by_side[working] == 4


def test_a_press_whose_elbow_is_read_at_the_rack_counts_on_its_wrist_overhead():
    # Side-on, MoveNet may put a far arm's elbow on the near arm's (at the rack) while its wrist is overhead.
    frames = track("shoulder_press", 4, "side", variant="one_arm", seed=5)
    working = _working_side(frames)
    other = "left" if working == "right" else "right"
    elbow, other_elbow = int(Keypoint[f"{working.upper()}_ELBOW"]), int(Keypoint[f"{other.upper()}_ELBOW"])
    moved = []
    for pose, t in frames:
        xy = pose.xy.copy()
        xy[elbow] = xy[other_elbow]
        moved.append((pose.replace(xy=xy), t))
    reps, _, final = run(load_exercise("shoulder_press"), moved)
    assert final.reps == 4 and [r.counted for r in reps] == [True] * 4


def _far_arm_low(frames, score_far: float = 0.2):
    """The arm farther from the camera (the lower-scored one) at `score_far`, as MoveNet places it side-on."""
    out = []
    for pose, t in frames:
        score = pose.score.copy()
        far = [i for i in range(5, 11) if score[i] < score.max()]
        score[far] = score_far
        out.append((pose.replace(score=score), t))
    return out


@pytest.mark.parametrize(("variant", "mode"), [("alternating", "alternating"), ("simultaneous", "together")])
def test_side_on_presses_count_as_a_coach_would_with_the_far_arm_seen_with_low_confidence(variant, mode):
    # Alternating presses count each arm's press, both arms together count once (on both sides' tallies).
    frames = _far_arm_low(track("shoulder_press", 4, "side", variant=variant, seed=5))
    reps, _, final = run(load_exercise("shoulder_press"), frames)
    assert final.reps == 4 and [r.counted for r in reps] == [True] * 4
    assert final.limbs == mode
    expected = {"left": 2, "right": 2} if variant == "alternating" else {"left": 4, "right": 4}
    assert final.reps_by_side == expected


def test_a_one_arm_press_whose_idle_arm_rests_just_above_the_rack_line_is_not_uneven_arms():
    # A high rack seen from a low camera reads just over the rack line (0.32) while the other arm presses: the
    # idle arm has not left its rack (the rep's exit line is 0.08 higher), so this is one-arm work, no cue.
    from fitness.geometry.body import torso_length

    frames = track("shoulder_press", 4, "front", variant="one_arm", seed=3)
    idle = "left" if _working_side(frames) == "right" else "right"
    sh, el, wr = (int(Keypoint[f"{idle.upper()}_{j}"]) for j in ("SHOULDER", "ELBOW", "WRIST"))
    raised = []
    for pose, t in frames:
        xy = pose.xy.copy()
        press_t = (2 * xy[sh, 1] - xy[wr, 1] - xy[el, 1]) / (2 * torso_length(xy))
        xy[[el, wr], 1] -= (0.36 - press_t) * torso_length(xy)  # the idle arm reads 0.36 throughout
        raised.append((pose.replace(xy=xy), t))
    reps, issues, final = run(load_exercise("shoulder_press"), raised)
    assert final.reps == 4 and [r.counted for r in reps] == [True] * 4
    assert "uneven_arms" not in {i.rule_id for i in issues} | {k for r in reps for k in r.issues}


@pytest.mark.parametrize("camera_height_m", [0.1, 0.35, 0.7, 1.1])
def test_glute_bridges_count_a_low_bridge_and_flag_a_small_lift_from_any_camera_height(camera_height_m):
    # The camera's height moves the lying level (the hip keypoint reads above the floor line from above) and the
    # height of a full bridge: a bridge stopping short of straight is still a rep (with its cue), a lift of a
    # third of the way is a no-rep, whatever the camera's height.
    d = load_exercise("glute_bridges")
    frames = track("glute_bridges", 4, "side", faults={1: ["hips_low"]}, partial=(3,),
                   camera_height_m=camera_height_m)
    reps, _, final = run(d, frames)
    assert (final.reps, final.no_reps) == (3, 1), [(r.index, r.counted, r.reason, r.issues) for r in reps]
    assert [r.counted for r in reps] == [True, True, True, False]
    assert "hips_low" in reps[1].issues


@pytest.mark.parametrize("exercise,view", [("lunges", "side"), ("squats", "side"), ("bicep_curls", "front")])
def test_reps_carry_their_movement_on_the_rep_signal_when_asked_and_count_the_same(exercise, view):
    # Workout recognition weighs what moved over each rep's movement on the rep signal (`RepEvent.movement`), so a
    # tempo metric's timing never changes which exercise is recognised.
    definition = load_exercise(exercise)
    frames = track(exercise, 4, view, seed=2)
    plain, spanned = ExerciseMachine(definition), ExerciseMachine(definition, signal_spans=True)
    events = {False: [], True: []}
    for pose, t in frames:
        events[False] += plain.update(pose, t).new_reps
        events[True] += spanned.update(pose, t).new_reps
    assert events[False] == events[True] and sum(r.counted for r in events[True]) == 4  # `span` is not compared
    if not definition.pairs_sides:  # paired sides always carry it (they are paired on it)
        assert all(r.span is None for r in events[False])
    for rep in events[True]:
        start, end = rep.movement
        assert rep.span is not None and start < end
        assert abs(start - rep.start_t) < 1.0 and abs(end - rep.end_t) < 1.0  # the same movement, another signal
    if exercise == "lunges":  # timed on the step (`stride_deg`): its reps start before the knees bend
        assert all(rep.start_t < rep.movement[0] for rep in events[True] if rep.counted)

"""No silent partials: a rep that goes a fifth of the person's range of motion and comes back without
reaching the target is a no-rep, even short of the partial line or inside the rest state; standing sway,
fidgets and walking are not."""

from __future__ import annotations

import numpy as np
import pytest

from fitness.exercise import ExerciseMachine, load_exercise, parse_exercise
from fitness.exercise.dips import PARTIAL_MIN_ROM, DipWatch
from fitness.exercise.expr import MetricFrame

from .test_library import CASES, run
from .test_machine import FPS, KNEE_YAML, definition, feed, pose_at, rep_trace
from .tracks import track, varied_track

VIEWS = sorted({(c[0], c[1]) for c in CASES})


def wide_rest_band():
    """The knee bends with a rest state that reaches down to 135 deg: a dip to 140 never leaves it."""
    return parse_exercise(KNEE_YAML.format(side="left"), file="k.yaml", overrides={"top_deg": 140})


def outcomes(reps):
    return [(r.counted, r.reason) for r in reps]


def test_a_dip_short_of_the_partial_line_is_a_no_rep_once_the_range_is_known():
    # Rest 175, full reps to 80 (range 95 deg); dips to 145 (a third of the range) leave the rest state
    # (below 155) but stay above the partial line (130). Before the first counted rep the range is unknown
    # and only the partial line makes a no-rep.
    reps, issues, steps = feed(ExerciseMachine(definition()), rep_trace([145, 80, 145, 80]))
    assert outcomes(reps) == [(True, None), (False, "depth"), (True, None)]
    assert steps[-1].reps == 2 and steps[-1].no_reps == 1
    assert [(i.rule_id, i.message, i.rep_index) for i in issues] == [("depth", "Go deeper", 2)]
    # Timed like a rep: its 2 s dip starts at 5.5 s (0.5 s lead, then a 2.5 s rep cycle each).
    assert (reps[1].start_t, reps[1].end_t) == pytest.approx((5.5, 7.5), abs=0.15)


def test_a_dip_that_never_leaves_the_rest_state_is_a_no_rep():
    reps, issues, steps = feed(ExerciseMachine(wide_rest_band()), rep_trace([80, 142, 80]))
    assert outcomes(reps) == [(True, None), (False, "depth"), (True, None)]
    assert [r.index for r in reps] == [1, 2, 3] and steps[-1].no_reps == 1
    assert reps[1].phases == {} and reps[1].score == 0.0
    assert (reps[1].start_t, reps[1].end_t) == pytest.approx((3.0, 5.0), abs=0.15)


@pytest.mark.parametrize("depth", [0.13, 0.17])
def test_a_dip_under_a_fifth_of_the_range_is_not_a_rep(depth):
    assert depth < PARTIAL_MIN_ROM
    reps, _, steps = feed(ExerciseMachine(wide_rest_band()), rep_trace([80, 175 - depth * 95, 80]))
    assert outcomes(reps) == [(True, None), (True, None)] and steps[-1].no_reps == 0


def _after_two_reps(tail: list[tuple[float, float]]):
    """Two full reps, then `tail` ((t from its start, knee_deg)) shifted to follow them."""
    head = rep_trace([80, 80])
    t0 = head[-1][0] + 1 / FPS
    return head + [(t0 + t, a) for t, a in tail]


def _dip(low: float, dip_s: float, hold_s: float = 1.0) -> list[tuple[float, float]]:
    """Standing, one raised-cosine dip to `low` lasting dip_s, standing again."""
    n, out = int(dip_s * FPS), []
    for i in range(int((hold_s * 2 + dip_s) * FPS)):
        k = i - int(hold_s * FPS)
        out.append((i / FPS, 175.0 - (175.0 - low) * (1 - np.cos(2 * np.pi * k / n)) / 2 if 0 <= k < n else 175.0))
    return out


@pytest.mark.parametrize("make", [wide_rest_band, definition], ids=["inside-rest", "leaving-rest"])
def test_sway_and_fidgets_are_not_reps(make):
    rng = np.random.default_rng(3)
    sway = [(i / FPS, 170 + 5 * np.sin(2 * np.pi * 0.4 * i / FPS) + rng.normal(0, 1.0)) for i in range(int(8 * FPS))]
    fidget = _dip(140, 0.35)  # a third of the range, but over in 0.35 s
    reps, _, steps = feed(ExerciseMachine(make()), _after_two_reps(sway + [(8 + t, a) for t, a in fidget]))
    assert outcomes(reps) == [(True, None)] * 2 and steps[-1].no_reps == 0


@pytest.mark.parametrize("walk_px", [0.0, 120.0])
def test_a_dip_while_walking_off_is_not_a_rep(walk_px):
    # The same 1.2 s dip to 140 deg; walking, the body ends up a step (120 px, about one torso length) away.
    machine = ExerciseMachine(wide_rest_band())
    trace = _after_two_reps(_dip(140, 1.2))
    walk_from, walk_s = trace[-1][0] - 3.2 + 1.0, 1.2  # the dip's span
    reps = []
    for t, angle in trace:
        pose = pose_at(angle, t)
        shift = walk_px * min(max((t - walk_from) / walk_s, 0.0), 1.0)
        pose = pose.replace(xy=pose.xy + np.float32([shift, 0.0]))
        reps += machine.update(pose, t).new_reps
    assert outcomes(reps) == [(True, None)] * 2 + ([] if walk_px else [(False, "depth")])


# (exercise, view, amplitude): partial reps going a third of the way or more by the rep signal (the renderer's
# amplitude is of the motion, which the signals follow unevenly) and stopping short of the partial line. The
# partial lines of most exercises sit at ~30-35% of the range (squats: the standing line, 28%), so a
# dip between a fifth and a third of the way is new; these exercises' lines leave the widest room.
QUARTER = [("push_ups", "side", 0.4), ("shoulder_press", "side", 0.3), ("sit_ups", "side", 0.33)]


@pytest.mark.parametrize("exercise,view,amp", QUARTER, ids=[f"{c[0]}-{c[1]}" for c in QUARTER])
def test_quarter_depth_reps_are_no_reps(exercise, view, amp):
    d = load_exercise(exercise)
    reps, _, final = run(d, track(exercise, 5, view, partial=(1, 3), partial_amp=amp, seed=5))
    assert outcomes(reps) == [(True, None), (False, d.rep.partial.id)] * 2 + [(True, None)]


def test_paired_sides_make_no_reps_of_dips_of_both_arms_once():
    # Quarter raises with both arms: each arm's dip watch finds its dip, and the pair is one no-rep of both arms.
    d = load_exercise("lateral_raises")
    assert d.pairs_sides
    reps, _, final = run(d, track("lateral_raises", 5, "front", partial=(1, 3), partial_amp=0.33, seed=5))
    assert outcomes(reps) == [(True, None), (False, d.rep.partial.id)] * 2 + [(True, None)]
    assert [r.side for r in reps] == ["both"] * 5 and final.no_reps == 2


@pytest.mark.parametrize("exercise,view", VIEWS)
def test_clean_sets_by_other_people_have_no_no_reps(exercise, view):
    # Guards the no-reps above against phantoms: people of other builds, styles and tempos.
    for seed in (11, 12):
        frames = varied_track(exercise, 5, view, np.random.default_rng(seed), 0.95)
        reps, _, final = run(load_exercise(exercise), frames)
        assert final.reps == 5 and final.no_reps == 0, outcomes(reps)


# (exercise, view, amplitude): partial reps that one of the two measures reads under a fifth of the range and the
# other over it. A height signal reads a curl or a squat shallower than the joint moved (the wrist's height barely
# changes over the first ~20 deg of a curl), so these are no-reps on the tempo metric, a joint angle; a press's
# wrist height moves before its angle around the shoulder, so the rep signal finds that one.
EITHER = [("bicep_curls", "front", 0.25), ("bicep_curls", "side", 0.25), ("squats", "side", 0.3),
          ("squats", "front", 0.35), ("shoulder_press", "front", 0.15)]


@pytest.mark.parametrize("exercise,view,amp", EITHER, ids=[f"{c[0]}-{c[1]}" for c in EITHER])
def test_a_partial_is_a_no_rep_when_the_rep_signal_or_the_tempo_metric_reads_it_deep_enough(exercise, view, amp):
    d = load_exercise(exercise)
    assert d.rep.tempo_for(view) is not None
    reps, _, final = run(d, track(exercise, 5, view, partial=(1, 3), partial_amp=amp, seed=5))
    # One no-rep for each partial, though both measures may see it.
    assert outcomes(reps) == [(True, None), (False, d.rep.partial.id)] * 2 + [(True, None)]
    assert final.reps == 3 and final.no_reps == 2


ONE_ARM = [("bicep_curls", "front", "one_arm"), ("bicep_curls", "front", "alternating"),
           ("bicep_curls", "side", "alternating"), ("shoulder_press", "front", "one_arm"),
           ("shoulder_press", "front", "alternating"), ("lateral_raises", "front", "one_arm")]


@pytest.mark.parametrize("exercise,view,variant", ONE_ARM, ids=["-".join(c) for c in ONE_ARM])
def test_the_idle_arm_makes_no_no_reps(exercise, view, variant):
    # The arm that waits (one-arm and alternating sets) sways a little on both measures as the other one works.
    for seed in (5, 6):
        reps, _, final = run(load_exercise(exercise), track(exercise, 4, view, variant=variant, seed=seed))
        assert final.no_reps == 0, outcomes(reps)


def test_frames_where_the_watched_metric_is_unknown_are_skipped():
    # A tempo metric can be unknown on a frame whose rep signal is measured; a dip carries on past such frames.
    watch = DipWatch(0.5, 10.0)
    frame = MetricFrame({}, None, 100.0)
    dip = [30 * np.sin(np.pi * i / 30) for i in range(31)]
    values = [0.0] * 30 + dip[:8] + [float("nan")] * 4 + dip[8:] + [0.0] * 10
    found = [d for i, v in enumerate(values) if (d := watch.step(i / FPS, (i / FPS, v), frame, 100.0, [], True))]
    assert len(found) == 1 and found[0].depth == pytest.approx(0.3, abs=0.02)

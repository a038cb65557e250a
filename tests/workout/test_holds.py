"""Holds in a workout: a plank between rep sets is recognised (the classifier's vote confirmed by the plank's own
definition: in position, still, side view, lying), reported from its start as a set of its own with its seconds, and
ended when the position is left; lying still is no plank. Also the named plank's holds as sets."""

from __future__ import annotations

import numpy as np
import pytest
from exercise.tracks import hold_track

from fitness.exercise import ExerciseMachine, load_exercise
from fitness.pose.types import Keypoint
from fitness.session.recorder import SessionRecorder
from fitness.workout.engine import COUNTING, HOLD_RECOGNISE_S, WorkoutMachine
from fitness.workout.motion import SETTLE_WINDOW_S
from fitness.workout.scores import NONE, ClassScores

from .sequences import FPS, library, workout

FRAME_S = 1.0 / FPS
# A hold's ends are found within a few frames (its end: the first frame out of position, a frame or two late as the
# next exercise's first poses lack the plank's keypoints); its seconds within that on either side.
END_TOLERANCE_S = 0.2


class SpanClassifier:
    """Says `probs` between start_t and end_t (a plank, as the trained classifier reads one), nothing elsewhere: the
    rep sets are recognised on their definitions' evidence alone."""

    def __init__(self, spans: list[tuple[float, float, dict[str, float]]]) -> None:
        self.labels = (*(d.name for d in library().exercises), *(d.name for d in library().holds), NONE)
        self.spans = spans

    def update(self, pose, t):
        probs = next((p for a, b, p in self.spans if a <= t <= b), {})
        return ClassScores(t, probs)

    def reset(self) -> None:
        pass


def span_of(frames, parts, k):
    """(start_t, end_t) of part k of `frames = workout(*parts)` (a sequence's prefix is built the same)."""
    start = len(workout(*parts[:k])) if k else 0
    end = len(workout(*parts[: k + 1]))
    return frames[start][1], frames[end - 1][1]


def run(frames, classifier, set_pause_s: float = 5.0, kind: type[WorkoutMachine] = WorkoutMachine):
    machine = kind(library(), classifier)
    recorder = SessionRecorder("workout", set_pause_s=set_pause_s)
    steps = []
    for pose, t in frames:
        steps.append(machine.update(pose, t))
        recorder.update(steps[-1])
    steps.append(machine.finish(frames[-1][1]))
    recorder.update(steps[-1])
    return machine, steps, recorder.finish(frames=len(frames), duration_s=frames[-1][1], fps=FPS)


class EveryHoldEveryFrame(WorkoutMachine):
    """The reference: hold shadows run on every frame."""

    def _hold_skips(self, hold) -> bool:
        return False


def test_a_hold_shadow_runs_only_while_voted_for_and_catches_up_with_the_same_hold():
    parts = (("set", "squats", 4, "side"), ("still", 4), ("hold", 15), ("set", "jumping_jacks", 3, "front"))
    frames = workout(*parts)
    start_t, end_t = span_of(frames, parts, 2)
    spans = [(start_t + 2.0, end_t, {"plank": 0.95, NONE: 0.05})]
    machine, steps, summary = run(frames, SpanClassifier(spans))
    _, slow_steps, slow_summary = run(frames, SpanClassifier(spans), kind=EveryHoldEveryFrame)
    assert [(s.t, s.exercise, s.reps, s.hold, s.hold_s) for s in steps] == \
           [(s.t, s.exercise, s.reps, s.hold, s.hold_s) for s in slow_steps]
    assert summary.to_dict()["sets"] == slow_summary.to_dict()["sets"]
    assert [(s.exercise, s.reps) for s in summary.sets] == [("squats", 4), ("plank", 0), ("jumping_jacks", 3)]
    # Neither voted for nor recognised during the jumping jacks: skipped since.
    assert machine.holds["plank"].fed_n < len(frames) - 3 * FPS
    before = WorkoutMachine(library(), SpanClassifier(spans))
    for pose, t in frames:
        if t >= start_t + 2.0:
            break
        before.update(pose, t)
    assert before.holds["plank"].fed_n == 0  # never voted for yet


def test_a_plank_between_rep_sets_is_its_own_set_from_its_start_with_its_seconds():
    parts = (("set", "squats", 4, "side"), ("still", 4), ("hold", 15), ("set", "jumping_jacks", 3, "front"))
    frames = workout(*parts)
    start_t, end_t = span_of(frames, parts, 2)
    machine, steps, summary = run(frames, SpanClassifier([(start_t + 2.0, end_t, {"plank": 0.95, NONE: 0.05})]))
    assert [(s.exercise, s.reps) for s in summary.sets] == [("squats", 4), ("plank", 0), ("jumping_jacks", 3)]
    plank = summary.sets[1]
    assert plank.start_t == pytest.approx(start_t, abs=END_TOLERANCE_S)
    assert plank.end_t == pytest.approx(end_t, abs=END_TOLERANCE_S)
    assert plank.hold_s == pytest.approx(15.0, abs=2 * END_TOLERANCE_S)
    # Recognised a few seconds in, counted from its start (retroactively), shown as the exercise counted.
    first = next(s for s in steps if s.hold is not None)
    assert first.t >= start_t + HOLD_RECOGNISE_S and first.hold.start_t == plank.start_t
    assert first.exercise == "plank" and first.hold_s == pytest.approx(first.t - start_t, abs=2 * END_TOLERANCE_S)
    assert sum(s.hold is not None and s.hold.done for s in steps) == 1
    # The JSON: the hold's seconds in the set's hold_s (the named plank's word), the rest before it from the squats.
    plank_json = summary.to_dict()["sets"][1]
    assert plank_json["hold_s"] == pytest.approx(plank.hold_s) and plank_json["reps"] == 0
    assert plank_json["rest_before_s"] == pytest.approx(plank.start_t - summary.sets[0].end_t)
    assert summary.to_dict()["sets"][0]["hold_s"] is None
    assert summary.reps == 7


def test_the_status_counts_the_plank_while_it_is_held():
    parts = (("still", 2), ("hold", 10), ("set", "squats", 3, "side"))
    frames = workout(*parts)
    start_t, end_t = span_of(frames, parts, 1)
    machine = WorkoutMachine(library(), SpanClassifier([(start_t + 2.0, end_t, {"plank": 0.9, NONE: 0.1})]))
    states = {}
    for pose, t in frames:
        machine.update(pose, t)
        if start_t + HOLD_RECOGNISE_S + 1 < t < end_t - END_TOLERANCE_S:
            states[machine.status.state, machine.status.exercise] = True
    assert list(states) == [(COUNTING, "plank")]


def test_lying_still_is_no_plank_and_the_plank_after_it_starts_when_it_starts():
    parts = (("set", "sit_ups", 3, "side"), ("still", 12), ("hold", 12), ("set", "squats", 3, "side"))
    frames = workout(*parts)
    lying = span_of(frames, parts, 1)
    start_t, end_t = span_of(frames, parts, 2)
    # Lying on the back is in the plank's band (shoulders and ankles level); the classifier reads no plank there.
    plank = ExerciseMachine(load_exercise("plank"))
    assert any(plank.update(p, t).phase == "holding" for p, t in frames if lying[0] + 1 < t < lying[1])
    classifier = SpanClassifier([(lying[0], lying[1], {"sit_ups": 0.5, NONE: 0.45, "plank": 0.05}),
                                 (start_t + 2.0, end_t, {"plank": 0.95, NONE: 0.05})])
    _, steps, summary = run(frames, classifier)
    holds = [s for s in summary.sets if s.hold_s is not None]
    assert [s.exercise for s in holds] == ["plank"]
    # Rolling over is instant here: the body counts as settled once the pose half a second back is the plank too.
    assert start_t <= holds[0].start_t <= start_t + SETTLE_WINDOW_S + END_TOLERANCE_S
    assert holds[0].hold_s == pytest.approx(end_t - holds[0].start_t, abs=2 * END_TOLERANCE_S)


def test_a_plank_straight_after_push_ups_starts_after_their_last_rep():
    # The top of a push-up is in the plank's band: the timer runs from the push-ups' start, the set must not.
    parts = (("set", "push_ups", 4, "side"), ("hold", 10))
    frames = workout(*parts)
    start_t, end_t = span_of(frames, parts, 1)
    _, steps, summary = run(frames, SpanClassifier([(start_t + 2.0, end_t, {"plank": 0.95, NONE: 0.05})]))
    assert [(s.exercise, s.reps) for s in summary.sets] == [("push_ups", 4), ("plank", 0)]
    pushups, plank = summary.sets
    assert plank.start_t >= pushups.end_t
    assert plank.start_t - pushups.end_t < 2.0
    assert plank.hold_s == pytest.approx(end_t - plank.start_t, abs=2 * END_TOLERANCE_S)


def test_without_the_classifier_no_hold_is_recognised():
    # The definitions alone cannot tell a plank from lying still.
    _, steps, summary = run(workout(("still", 2), ("hold", 10)), SpanClassifier([]))
    assert summary.sets == () and all(s.hold is None for s in steps)


def test_a_named_plank_reports_each_hold_as_a_set():
    machine = ExerciseMachine(load_exercise("plank"))
    recorder = SessionRecorder("plank", hold=True)
    frames = hold_track(8.0) + [(None, 9.0 + k * FRAME_S) for k in range(60)]
    second = hold_track(5.0, lead_s=0.0)
    frames += [(p.replace(t=p.t + 12.0) if p is not None else None, t + 12.0) for p, t in second]
    for pose, t in frames:
        recorder.update(machine.update(pose, t))
    recorder.update(machine.finish(frames[-1][1]))
    summary = recorder.finish(frames=len(frames), duration_s=frames[-1][1], fps=FPS)
    assert [(s.exercise, s.reps) for s in summary.sets] == [("plank", 0), ("plank", 0)]
    assert [s.hold_s for s in summary.sets] == pytest.approx([8.0, 5.0], abs=0.2)
    assert [s.hold_s for s in summary.sets] == pytest.approx([h.good_s for h in machine.holds])
    assert summary.hold_s == pytest.approx(max(s.hold_s for s in summary.sets))


def far_side_raised(frames, torso_lengths: float):
    """A lying body seen obliquely, as MoveNet reads it: its far side drawn `torso_lengths` torso lengths higher in
    the image than its near side, so its shoulders look as wide as a front view's."""
    far = (Keypoint.LEFT_SHOULDER, Keypoint.LEFT_ELBOW, Keypoint.LEFT_WRIST, Keypoint.LEFT_HIP, Keypoint.LEFT_KNEE,
           Keypoint.LEFT_ANKLE)
    out = []
    for pose, t in frames:
        if pose is None:
            out.append((pose, t))
            continue
        xy = pose.xy.copy()
        torso = float(np.linalg.norm(xy[[Keypoint.LEFT_SHOULDER, Keypoint.RIGHT_SHOULDER]].mean(axis=0)
                                     - xy[[Keypoint.LEFT_HIP, Keypoint.RIGHT_HIP]].mean(axis=0)))
        xy[list(far), 1] -= torso_lengths * torso
        out.append((pose.replace(xy=xy), t))
    return out


def test_a_plank_filmed_obliquely_and_read_as_front_is_recognised_when_the_classifier_says_plank():
    parts = (("still", 2), ("hold", 12), ("set", "squats", 3, "side"))
    frames = workout(*parts)
    start_t, end_t = span_of(frames, parts, 1)
    hold = [k for k, (_, t) in enumerate(frames) if start_t <= t <= end_t]
    frames[hold[0]:hold[-1] + 1] = far_side_raised(frames[hold[0]:hold[-1] + 1], 0.8)
    plank = ExerciseMachine(load_exercise("plank"))
    assert "front" in {plank.update(pose, t).view for pose, t in frames[hold[0]:hold[-1] + 1]}
    _, _, summary = run(frames, SpanClassifier([(start_t + 2.0, end_t, {"plank": 0.95, NONE: 0.05})]))
    assert [(s.exercise, s.reps) for s in summary.sets] == [("plank", 0), ("squats", 3)]


def test_a_pause_at_the_top_of_a_push_up_inside_its_set_is_no_plank():
    # The classifier reads the pause as a plank; the set of push-ups is still current, so no hold starts in it.
    parts = (("set", "push_ups", 3, "side"), ("still", 4), ("set", "push_ups", 3, "side"))
    frames = workout(*parts)
    start_t, end_t = span_of(frames, parts, 1)
    _, _, summary = run(frames, SpanClassifier([(start_t, end_t, {"plank": 0.95, NONE: 0.05})]), set_pause_s=20.0)
    assert [(s.exercise, s.reps) for s in summary.sets] == [("push_ups", 6)]

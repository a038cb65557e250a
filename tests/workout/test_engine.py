"""WorkoutMachine over scripted workouts, on the definitions' own evidence unless a fake classifier is given:
recognition, retroactive first reps, sets split at rests, absences and exercise changes, no reps while walking,
stretching or standing, a classifier's vote and a plan's expectation."""

from __future__ import annotations

from collections import Counter
from dataclasses import replace

import pytest
from exercise.tracks import track

from fitness.exercise import ExerciseMachine
from fitness.pose.types import Keypoint, Pose
from fitness.session.recorder import WORKOUT_SET_PAUSE_S, SessionRecorder
from fitness.workout.classifier import NoClassifier
from fitness.workout.engine import COUNTING, RESTING, WorkoutDefinition, WorkoutMachine
from fitness.workout.scores import NONE, ClassScores
from fitness.workout.shadow import RUN_GAP_S

from .sequences import arms_out_of_step, head_on_as_detected, library, move_to, shifted, still, turned_level, workout


class FakeClassifier:
    """Says `probs` from `from_t` on (not ready before); knows every shipped exercise (`labels`) unless told."""

    def __init__(self, probs: dict[str, float], from_t: float = 0.0, labels: tuple[str, ...] | None = None) -> None:
        self.labels = labels if labels is not None else (*(d.name for d in library().exercises), NONE)
        self.probs = probs
        self.from_t = from_t

    def update(self, pose, t):
        return ClassScores(t, self.probs if t >= self.from_t else {})

    def reset(self) -> None:
        pass


def run(frames, machine=None, set_pause_s: float = 20.0):
    machine = machine or WorkoutMachine(library(), NoClassifier())
    recorder = SessionRecorder("workout", set_pause_s=set_pause_s)
    steps = []
    for pose, t in frames:
        step = machine.update(pose, t)
        recorder.update(step)
        steps.append(step)
    last = machine.finish(frames[-1][1])
    recorder.update(last)
    steps.append(last)
    summary = recorder.finish(frames=len(frames), duration_s=frames[-1][1], fps=30.0)
    return machine, steps, summary


def counted(steps) -> Counter:
    return Counter(r.exercise for s in steps for r in s.new_reps if r.counted)


def test_a_set_is_recognised_and_its_first_reps_are_counted_retroactively():
    machine, steps, summary = run(workout(("still", 2), ("set", "squats", 5, "side")))
    assert counted(steps) == {"squats": 5}
    first = next(i for i, s in enumerate(steps) if s.new_reps)
    # Recognised on the second rep: the first two come out together, the first one ending well before.
    assert [r.index for r in steps[first].new_reps] == [1, 2]
    assert steps[first].new_reps[0].end_t < steps[first].t - 1.0
    assert steps[first].exercise == "squats" and machine.status.exercise == "squats"
    assert [(s.exercise, s.reps) for s in summary.sets] == [("squats", 5)]
    assert summary.reps == 5 and [r.index for r in summary.rep_details] == [1, 2, 3, 4, 5]


# Without a classifier, sit-ups and glute bridges (and side-on squats and lunges) are told apart only by their
# definitions' form checks: not among the pairs every definition tells apart (docs/workouts.md).
@pytest.mark.parametrize(("exercise", "view"), [("push_ups", "side"), ("jumping_jacks", "front"),
                                                ("bicep_curls", "front"), ("lateral_raises", "front"),
                                                ("glute_bridges", "side")])
def test_each_exercise_is_told_from_the_others(exercise, view):
    _, steps, _ = run(workout(("set", exercise, 4, view)))
    assert counted(steps) == {exercise: 4}


def test_a_change_of_exercise_starts_a_new_set_of_the_new_exercise():
    _, steps, summary = run(workout(("set", "squats", 4, "side"), ("still", 5), ("set", "push_ups", 3, "side"),
                                    ("still", 4), ("set", "jumping_jacks", 3, "front")))
    assert counted(steps) == {"squats": 4, "push_ups": 3, "jumping_jacks": 3}
    assert [(s.exercise, s.reps) for s in summary.sets] == [("squats", 4), ("push_ups", 3), ("jumping_jacks", 3)]
    assert [r.exercise for r in summary.rep_details] == ["squats"] * 4 + ["push_ups"] * 3 + ["jumping_jacks"] * 3
    assert [r.set_index for r in summary.rep_details] == [1] * 4 + [2] * 3 + [3] * 3


def test_a_rest_ends_a_set_and_the_next_set_of_the_same_exercise_keeps_all_its_reps():
    machine, steps, summary = run(workout(("set", "bicep_curls", 3, "front"), ("still", 30),
                                          ("set", "bicep_curls", 4, "front")))
    assert [(s.exercise, s.reps) for s in summary.sets] == [("bicep_curls", 3), ("bicep_curls", 4)]
    doc = summary.to_dict()["sets"]
    assert doc[0]["rest_before_s"] is None and doc[1]["rest_before_s"] > 25


def test_leaving_the_view_ends_a_set():
    _, _, summary = run(workout(("set", "squats", 3, "front"), ("away", 12), ("set", "squats", 3, "front")),
                        set_pause_s=60.0)
    assert [(s.exercise, s.reps) for s in summary.sets] == [("squats", 3), ("squats", 3)]


def test_no_reps_while_walking_stretching_or_standing_still():
    machine, steps, summary = run(workout(("still", 10), ("walk", 20), ("stretch", 12), ("still", 10)))
    assert counted(steps) == {} and summary.reps == 0 and summary.sets == ()


def test_walking_between_sets_adds_no_reps_and_no_set():
    _, steps, summary = run(workout(("set", "lateral_raises", 3, "front"), ("walk", 15), ("stretch", 10),
                                    ("set", "shoulder_press", 3, "front")))
    assert counted(steps) == {"lateral_raises": 3, "shoulder_press": 3}
    assert [s.exercise for s in summary.sets] == ["lateral_raises", "shoulder_press"]


def test_the_status_says_recognised_then_resting_with_a_rest_timer():
    frames = workout(("set", "squats", 3, "side"), ("still", 12))
    machine = WorkoutMachine(library(), NoClassifier())
    states = []
    for pose, t in frames:
        machine.update(pose, t)
        states.append(machine.status)
    assert COUNTING in {s.state for s in states}
    assert states[-1].state == RESTING and states[-1].rest_s == pytest.approx(12, abs=1.5)
    rests = [s.rest_s for s in states if s.rest_s is not None]
    assert rests == sorted(rests)  # counting up


def test_one_rep_opens_no_set_however_sure_the_classifier_is():
    # An arm circle in a stretch is one "lateral raise" the classifier may be sure of: a set needs its rep signal
    # to cycle twice.
    confident = WorkoutMachine(library(), FakeClassifier({"squats": 0.9, NONE: 0.1}))
    _, steps, summary = run(workout(("still", 2), ("set", "squats", 1, "side"), ("still", 6)), confident)
    assert counted(steps) == {} and summary.sets == ()


def test_a_classifier_sure_it_is_another_exercise_stops_the_counting():
    machine = WorkoutMachine(library(), FakeClassifier({"squats": 0.02, "push_ups": 0.95, NONE: 0.03}))
    _, steps, summary = run(workout(("set", "squats", 4, "side")), machine)
    assert counted(steps) == {} and summary.reps == 0


def test_an_exercise_the_classifier_does_not_know_is_weighed_by_its_none():
    machine = WorkoutMachine(library(), FakeClassifier({"push_ups": 0.1, NONE: 0.9}, labels=("push_ups", NONE)))
    _, steps, _ = run(workout(("set", "squats", 4, "side")), machine)
    assert counted(steps) == {"squats": 4}


def test_expect_favours_the_planned_exercise_between_two_that_explain_the_movement_alike():
    frames = workout(("set", "lunges", 4, "side"))
    plain = WorkoutMachine(library(), NoClassifier())
    planned = WorkoutMachine(library(), NoClassifier())
    planned.expect(["squats"])
    assert counted(run(frames, planned)[1]) == {"squats": 4}
    assert counted(run(frames, plain)[1]) == {"lunges": 4}


def test_expect_refuses_an_exercise_not_in_the_workout():
    with pytest.raises(ValueError, match="not exercises of this workout: curls"):
        WorkoutMachine(library(), NoClassifier()).expect(["curls"])


class ScriptedClassifier:
    """Says `probs_at(t)` (a function of time: an empty dict is not ready); knows every shipped exercise."""

    def __init__(self, probs_at) -> None:
        self.labels = (*(d.name for d in library().exercises), NONE)
        self.probs_at = probs_at

    def update(self, pose, t):
        return ClassScores(t, self.probs_at(t))

    def reset(self) -> None:
        pass


def test_a_moments_guess_after_a_run_the_classifier_calls_none_opens_no_set():
    # Two squat-like dips (picking something up) that the classifier calls none, but a moment's guess of squats
    # just when the engine decides: the vote over the reps counts, not the last moment's answer.
    frames = workout(("set", "squats", 2, "side"), ("still", 4))
    reps_end_t = frames[-1][1] - 4.0
    machine = WorkoutMachine(library(), ScriptedClassifier(
        lambda t: {"squats": 0.7, NONE: 0.3} if reps_end_t + 0.3 < t < reps_end_t + 1.5
        else {"squats": 0.02, NONE: 0.98}))
    _, steps, summary = run(frames, machine)
    assert counted(steps) == {} and summary.sets == ()


def test_leading_reps_the_classifier_gives_to_another_exercise_are_not_adopted():
    frames = workout(("set", "squats", 5, "side"))
    switch_t = frames[len(frames) * 2 // 5][1]  # after about two reps
    machine = WorkoutMachine(library(), ScriptedClassifier(
        lambda t: {"push_ups": 0.95, NONE: 0.05} if t < switch_t else {"squats": 0.95, NONE: 0.05}))
    _, steps, summary = run(frames, machine)
    reps = [r for s in steps for r in s.new_reps if r.counted]
    assert {r.exercise for r in reps} == {"squats"}
    assert 2 <= len(reps) <= 3 and min(r.start_t for r in reps) >= switch_t - 2.5


def test_a_set_the_classifier_finds_unfamiliar_is_counted_on_its_own_evidence_from_three_reps():
    none = {"squats": 0.02, "push_ups": 0.03, NONE: 0.95}
    _, steps, _ = run(workout(("set", "squats", 4, "side")), WorkoutMachine(library(), FakeClassifier(none)))
    assert counted(steps) == {"squats": 4}
    two = workout(("set", "squats", 2, "side"), ("still", 4))
    _, steps, _ = run(two, WorkoutMachine(library(), FakeClassifier(none)))
    assert counted(steps) == {}


def test_a_front_only_exercise_filmed_oblique_is_recognised_when_the_classifier_agrees():
    frames = [(p, t) for p, t in track("jumping_jacks", 5, "front", yaw_deg=40.0)]
    machine = WorkoutMachine(library(), FakeClassifier({"jumping_jacks": 0.9, NONE: 0.1}))
    _, steps, _ = run(frames, machine)
    assert counted(steps) == {"jumping_jacks": 5}


def rep_ends(frames, exercise: str) -> list[float]:
    """When each rep of `exercise` ends, counted on the definitions' evidence alone."""
    _, steps, _ = run(frames, WorkoutMachine(library(), NoClassifier()))
    return sorted(r.end_t for s in steps for r in s.new_reps if r.counted and r.exercise == exercise)


def test_reps_the_classifier_gives_to_another_exercise_are_not_the_current_sets():
    frames = workout(("set", "squats", 6, "side"))
    switch_t = rep_ends(frames, "squats")[2] + 0.1  # after the third rep: the classifier says push-ups
    machine = WorkoutMachine(library(), ScriptedClassifier(
        lambda t: {"squats": 0.95, NONE: 0.05} if t < switch_t else {"push_ups": 0.95, NONE: 0.05}))
    _, steps, _ = run(frames, machine)
    assert counted(steps) == {"squats": 3}


def test_a_rep_the_classifier_calls_none_after_a_set_it_recognised_is_not_counted():
    # Picking up the dumbbells after a set of squats dips like a squat; the classifier, sure of the set, says none.
    frames = workout(("set", "squats", 6, "side"))
    switch_t = rep_ends(frames, "squats")[4] + 0.1
    machine = WorkoutMachine(library(), ScriptedClassifier(
        lambda t: {"squats": 0.95, NONE: 0.05} if t < switch_t else {"squats": 0.02, NONE: 0.98}))
    _, steps, _ = run(frames, machine)
    assert counted(steps) == {"squats": 5}


def test_two_reps_the_classifier_calls_none_on_the_whole_open_no_set_even_if_it_gives_them_some_chance():
    # Picking up dumbbells twice: the classifier gives squats 0.25, "none" 0.75 over the dips.
    machine = WorkoutMachine(library(), FakeClassifier({"squats": 0.25, NONE: 0.75}))
    _, steps, summary = run(workout(("set", "squats", 2, "side"), ("still", 4)), machine)
    assert counted(steps) == {} and summary.sets == ()


def test_getting_up_from_a_lying_set_is_no_rep_of_it():
    # Lying down for glute bridges and standing up after them swing the hips like a bridge: not reps, the torso is
    # upright at one end of the movement.
    frames = workout(("still", 2), ("move", "glute_bridges", "side", 2.5), ("set", "glute_bridges", 4, "side"),
                     ("move", "squats", "side", 2.5), ("still", 4))
    _, steps, summary = run(frames, WorkoutMachine(library(), FakeClassifier({"glute_bridges": 0.9, NONE: 0.1})))
    assert counted(steps) == {"glute_bridges": 4}
    assert [s.reps for s in summary.sets] == [4]


def test_two_lying_sets_with_a_short_rest_standing_between_stay_two_sets():
    frames = workout(("set", "glute_bridges", 4, "side"), ("move", "squats", "side", 2.5), ("still", 3),
                     ("move", "glute_bridges", "side", 2.5), ("set", "glute_bridges", 3, "side"), ("still", 3))
    _, steps, summary = run(frames, WorkoutMachine(library(), NoClassifier()), set_pause_s=5.0)
    assert [(s.exercise, s.reps) for s in summary.sets] == [("glute_bridges", 4), ("glute_bridges", 3)]


def test_a_rep_inside_a_set_the_classifier_calls_none_is_counted_when_the_set_goes_on():
    frames = workout(("set", "squats", 6, "side"))
    ends = rep_ends(frames, "squats")
    doubt = (ends[2] + 0.1, ends[3] - 0.1)  # over the fourth rep only
    machine = WorkoutMachine(library(), ScriptedClassifier(
        lambda t: {"squats": 0.02, NONE: 0.98} if doubt[0] < t < doubt[1] else {"squats": 0.95, NONE: 0.05}))
    _, steps, summary = run(frames, machine)
    assert counted(steps) == {"squats": 6}
    assert [r.index for s in steps for r in s.new_reps] == [1, 2, 3, 4, 5, 6]


def test_a_lone_dip_a_pause_before_a_set_is_no_set_of_its_own():
    # Putting the dumbbells down dips like a squat; the set of squats follows after a pause longer than a set's.
    frames = workout(("set", "squats", 1, "side"), ("still", 5), ("set", "squats", 4, "side"))
    machine = ExerciseMachine(next(d for d in library().exercises if d.name == "squats"))
    ends = [r.end_t for pose, t in frames for r in machine.update(pose, t).new_reps]
    assert WORKOUT_SET_PAUSE_S < ends[1] - 2.0 - ends[0] < RUN_GAP_S  # a set's pause (reps 2 s), not a run's gap
    _, steps, summary = run(frames, WorkoutMachine(library(), NoClassifier()), set_pause_s=WORKOUT_SET_PAUSE_S)
    assert counted(steps) == {"squats": 4}
    assert [s.reps for s in summary.sets] == [4]


def test_push_ups_filmed_head_on_are_counted_though_their_torso_looks_upright():
    # MoveNet draws a head-on push-up's hips under the shoulders: the torso looks upright, a little longer than the
    # shoulders are wide (not end-on), but the legs are folded up to the hips, so its posture is not judged.
    frames = workout(("still", 2))
    frames += shifted(head_on_as_detected(workout(("set", "push_ups", 5, "front"))), frames[-1][1] + 1 / 30)
    _, steps, summary = run(frames, WorkoutMachine(library(), FakeClassifier({"push_ups": 0.95, NONE: 0.05})))
    assert counted(steps) == {"push_ups": 5}
    assert [(s.exercise, s.reps) for s in summary.sets] == [("push_ups", 5)]


def test_a_no_rep_a_sets_pause_after_the_set_opens_no_set_of_its_own():
    # Stretching with the arms overhead a few seconds after a set of jumping jacks, before the set has lapsed: the
    # jumping-jack machine reads a partial jack, a no-rep, which is the set's only if the set goes on.
    frames = workout(("set", "jumping_jacks", 4, "front"), ("still", 3.5))
    frames += shifted(track("jumping_jacks", 1, "front", partial=(0,)), frames[-1][1] + 1 / 30)
    frames += still(frames[-1][0], frames[-1][1] + 1 / 30, 6)
    _, steps, summary = run(frames, WorkoutMachine(library(), NoClassifier()), set_pause_s=WORKOUT_SET_PAUSE_S)
    assert [(s.exercise, s.reps, s.no_reps) for s in summary.sets] == [("jumping_jacks", 4, 0)]



def test_a_rep_out_of_posture_does_not_make_up_the_reps_a_set_needs():
    # Getting up after a set of push-ups and lying down again a moment later: a lunge machine reads both as reps,
    # and the classifier says lunges. Only the first ends in a lunge's posture: one rep, which opens no set.
    frames = workout(("set", "lunges", 1, "side"), ("still", 2))
    frames += turned_level(shifted(track("lunges", 1, "side"), frames[-1][1] + 1 / 30))
    frames += still(frames[-1][0], frames[-1][1] + 1 / 30, 5)
    machine = WorkoutMachine(library(), FakeClassifier({"lunges": 0.9, NONE: 0.1}))
    _, steps, summary = run(frames, machine, set_pause_s=WORKOUT_SET_PAUSE_S)
    assert counted(steps) == {} and summary.sets == ()


def reaches(rep_s: tuple[float, ...], exercise: str = "shoulder_press", view: str = "front"):
    """One rep of `exercise` per entry of `rep_s`, each that long, one after another: movement like the exercise's
    but with no tempo (side bends or reaching up overhead while stretching, read by a press machine as presses)."""
    frames = []
    for k, seconds in enumerate(rep_s):
        chunk = track(exercise, 1, view, rep_s=seconds, rest_s=0.3, seed=k)
        frames += shifted(chunk, frames[-1][1] + 1 / 30 if frames else 0.0)
    return frames + still(frames[-1][0], frames[-1][1] + 1 / 30, 4)


def test_movement_the_classifier_is_sure_is_no_exercise_opens_no_set_without_a_steady_tempo():
    sure_none = {"shoulder_press": 0.01, NONE: 0.97}
    frames = reaches((1.7, 1.6, 0.6))
    _, steps, _ = run(frames, WorkoutMachine(library(), NoClassifier()))
    assert counted(steps) == {"shoulder_press": 3}  # the definition alone counts them
    _, steps, summary = run(frames, WorkoutMachine(library(), FakeClassifier(sure_none)))
    assert counted(steps) == {} and summary.sets == ()


def test_a_steady_set_the_classifier_is_sure_is_no_exercise_is_still_counted_on_its_own_evidence():
    # An unfamiliar body or view may leave the classifier sure of "none": a steady set is the definition's word.
    sure_none = {"shoulder_press": 0.01, NONE: 0.97}
    _, steps, _ = run(reaches((1.6, 1.7, 1.5, 1.6)), WorkoutMachine(library(), FakeClassifier(sure_none)))
    assert counted(steps) == {"shoulder_press": 4}
    # Three steady reps are not enough against a sure "none" (one more than against an unsure one).
    _, steps, _ = run(reaches((1.6, 1.7, 1.5)), WorkoutMachine(library(), FakeClassifier(sure_none)))
    assert counted(steps) == {}


def test_getting_up_after_a_lying_set_and_lying_down_again_is_no_rep_of_it():
    # Standing up after sit-ups and lying down again a moment later: the sit-up machine reads it as one long sit-up
    # that starts and ends lying, but the body stood on its feet in between.
    frames = workout(("set", "sit_ups", 4, "side"), ("move", "squats", "side", 2.0), ("still", 1.5),
                     ("move", "sit_ups", "side", 2.0), ("still", 4))
    _, steps, summary = run(frames, WorkoutMachine(library(), FakeClassifier({"sit_ups": 0.9, NONE: 0.1})),
                            set_pause_s=WORKOUT_SET_PAUSE_S)
    assert counted(steps) == {"sit_ups": 4}
    assert [(s.exercise, s.reps) for s in summary.sets] == [("sit_ups", 4)]


def test_a_slow_no_rep_in_a_rest_does_not_join_two_sets_but_one_in_the_sets_tempo_is_the_sets():
    # Picking up the dumbbells between two sets of squats dips like a squat, slowly, not deep: the squat machine
    # reads a no-rep a moment after the set's last rep and just before the next set's first. It is out of the
    # set's tempo (over twice as long as its reps), so it is the rest's, and the rest ends the set. A shallow squat
    # inside the set, at its tempo, stays the set's no-rep.
    frames = shifted(track("squats", 5, "side", partial=(2,)), 0.0)
    frames += still(frames[-1][0], frames[-1][1] + 1 / 30, 1.0)
    frames += shifted(track("squats", 1, "side", partial=(0,), rep_s=5.5, rest_s=0.3), frames[-1][1] + 1 / 30)
    frames += shifted(workout(("set", "squats", 4, "side"), ("still", 3)), frames[-1][1] + 1 / 30)
    _, steps, summary = run(frames, WorkoutMachine(library(), NoClassifier()), set_pause_s=WORKOUT_SET_PAUSE_S)
    assert [(s.exercise, s.reps, s.no_reps) for s in summary.sets] == [("squats", 4, 1), ("squats", 4, 0)]


def test_a_set_whose_machine_reads_the_next_exercise_out_of_its_posture_lets_that_exercise_be_recognised():
    # A user's lying exercise counted by knee bends (the squat's rep signal, lying: the squat machine reads push-ups
    # so), then squats standing. Its machine, the current exercise's, counts the squats too, out of its posture: no
    # reps of it, so its set is over and the squats are recognised (as glute bridges' machine reads the curls that
    # follow them).
    squats = next(d for d in library().exercises if d.name == "squats")
    lying = replace(squats, name="lying_squats", posture="lying")
    workout_def = WorkoutDefinition([*(d for d in library().exercises if d.name != "push_ups"), lying])
    frames = workout(("set", "push_ups", 5, "side"), ("move", "squats", "side", 2.0), ("still", 0.5),
                     ("set", "squats", 5, "side"), ("still", 3))
    _, steps, summary = run(frames, WorkoutMachine(workout_def, NoClassifier()), set_pause_s=WORKOUT_SET_PAUSE_S)
    assert [(s.exercise, s.reps) for s in summary.sets] == [("lying_squats", 5), ("squats", 5)]



def farther(frames, scale: float):
    """`frames` seen from farther away: every pose shrunk by `scale` about the first pose's mid-ankle."""
    feet = frames[0][0].xy[[Keypoint.LEFT_ANKLE, Keypoint.RIGHT_ANKLE]].mean(axis=0)
    return [(Pose(feet + scale * (pose.xy - feet), pose.score, pose.t), t) for pose, t in frames]


def test_the_first_reps_of_a_set_done_farther_from_the_camera_after_a_short_rest_are_counted():
    # Lunges, then a step back and a short rest standing still, then squats: the squat machine's standing height,
    # learnt on the lunges, reads the person standing farther away as partway down. Standing still, it learns it again.
    lunges = track("lunges", 4, "side")
    squats = farther(track("squats", 5, "front", seed=1), 0.85)
    frames = list(lunges)
    frames += move_to(frames[-1][0], squats[0][0], frames[-1][1] + 1 / 30, 1.0)
    frames += still(squats[0][0], frames[-1][1] + 1 / 30, 3.5)
    frames += shifted(squats, frames[-1][1] + 1 / 30)
    _, _, summary = run(frames)
    assert [(s.exercise, s.reps) for s in summary.sets] == [("lunges", 4), ("squats", 5)]


def test_two_arms_reaching_up_one_after_the_other_are_one_movement_not_two_reps():
    # Stretching: a reach overhead, then a side bend reaching up with one arm and then the other. The press machine
    # counts each arm's reach of the bend, the two overlapping: three reps, which an unsure "none" would recognise.
    # Adopting them gives out one of the overlapping two: two reps, no set.
    frames = track("shoulder_press", 1, "front", rep_s=2.0, rest_s=1.0)
    bend = arms_out_of_step(track("shoulder_press", 1, "front", rep_s=1.6, rest_s=1.4, seed=1), 1.1)
    frames += shifted(bend, frames[-1][1] + 1 / 30)
    frames += still(frames[-1][0], frames[-1][1] + 1 / 30, 4)
    machine = WorkoutMachine(library(), FakeClassifier({"shoulder_press": 0.05, "bicep_curls": 0.15, NONE: 0.8}))
    _, steps, summary = run(frames, machine, set_pause_s=WORKOUT_SET_PAUSE_S)
    reps = [r for r in machine.shadows["shoulder_press"].reps if r.counted]
    assert len(reps) == 3 and reps[2].start_t < reps[1].end_t  # the bend's two reaches overlap
    assert counted(steps) == {} and summary.sets == ()


def test_a_flicker_of_the_rep_signal_at_the_end_of_a_set_is_no_rep_but_a_fast_rep_is():
    # A rep closed in a third of the set's rep time is the rep signal flickering (a leg misread for a moment), not
    # a rep; one in 0.4 of it is a fast rep.
    for rep_s, reps in ((0.6, 5), (0.8, 6)):
        frames = track("squats", 5, "side", rep_s=2.0, rest_s=0.6)
        frames += shifted(track("squats", 1, "side", rep_s=rep_s, rest_s=0.2, seed=1), frames[-1][1] + 1 / 30)
        frames += still(frames[-1][0], frames[-1][1] + 1 / 30, 4)
        _, steps, summary = run(frames, set_pause_s=WORKOUT_SET_PAUSE_S)
        assert counted(steps) == {"squats": reps}
        assert [(s.exercise, s.reps) for s in summary.sets] == [("squats", reps)]

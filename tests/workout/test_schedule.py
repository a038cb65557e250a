"""Shadow scheduling in the workout engine (fitness/workout/schedule.py): the shadows of exercises the classifier
rules out skip frames and catch up on them when their exercise becomes plausible, with the same reps, sets and
steps as a machine that runs every shadow on every frame."""

from __future__ import annotations

from fitness.workout.engine import MIN_CLASS_P, UNDECIDED_WAIT_S, WorkoutMachine
from fitness.workout.schedule import CATCH_UP_S, FrameBuffer
from fitness.workout.scores import NONE, ClassScores

from .sequences import FPS, library, workout
from .test_engine import counted, run


class ScriptedClassifier:
    """Says the probabilities of the last (from_t, probs) segment started by t; knows every shipped exercise."""

    def __init__(self, segments: list[tuple[float, dict[str, float]]]) -> None:
        self.labels = (*(d.name for d in library().exercises), NONE)
        self.segments = segments

    def update(self, pose, t):
        probs = {}
        for from_t, segment in self.segments:
            if t >= from_t:
                probs = segment
        return ClassScores(t, probs)

    def reset(self) -> None:
        pass


class EveryFrame(WorkoutMachine):
    """The reference: every shadow runs on every frame."""

    def _skips(self, shadow, t) -> bool:
        return False


def sure(name: str) -> dict[str, float]:
    """The classifier sure of `name` (NONE: of no exercise): every other exercise ruled out."""
    return {name: 0.9, **{d.name: 0.01 for d in library().exercises if d.name != name}, NONE: 0.01}


def same_runs(frames, segments):
    """Runs the scheduled machine and the reference on `frames`; returns the scheduled one's (machine, steps,
    summary) after checking that every step and the summary are the same."""
    fast = run(frames, WorkoutMachine(library(), ScriptedClassifier(segments)), set_pause_s=5.0)
    slow = run(frames, EveryFrame(library(), ScriptedClassifier(segments)), set_pause_s=5.0)
    assert [(s.t, s.exercise, s.reps, s.no_reps, s.new_reps) for s in fast[1]] == \
           [(s.t, s.exercise, s.reps, s.no_reps, s.new_reps) for s in slow[1]]
    assert fast[2].to_dict()["sets"] == slow[2].to_dict()["sets"]
    return fast


def test_ruled_out_shadows_skip_frames_and_the_first_reps_of_a_set_are_still_adopted():
    head = workout(("still", 2), ("set", "squats", 4, "side"), ("still", 6))
    frames = workout(("still", 2), ("set", "squats", 4, "side"), ("still", 6), ("set", "push_ups", 4, "side"))
    change_t = head[-1][1]
    # Not ready for the first 12 s (every shadow runs); then sure of squats; it comes round to push-ups only 1 s
    # into their set (their first rep is still voted push-ups over its span): the push-up shadow catches up on under
    # CATCH_UP_S of frames.
    segments = [(12.0, sure("squats")), (change_t + 1.0, sure("push_ups"))]
    assert change_t + 1.0 - 12.0 < CATCH_UP_S
    machine, steps, summary = same_runs(frames, segments)
    assert counted(steps) == {"squats": 4, "push_ups": 4}
    assert [(s.exercise, s.reps) for s in summary.sets] == [("squats", 4), ("push_ups", 4)]
    total = machine.frames.total_n
    assert machine.shadows["push_ups"].fed_n == total  # caught up
    # Ruled out since the classifier is ready: skipped every frame since.
    assert machine.shadows["lateral_raises"].fed_n == int(12.0 * FPS)
    assert MIN_CLASS_P > 0.01


def test_a_shadow_ruled_out_longer_than_the_buffer_starts_over_on_the_buffered_frames():
    head = workout(("still", CATCH_UP_S + 10))
    frames = workout(("still", CATCH_UP_S + 10), ("set", "squats", 5, "side"), ("still", 10),
                     ("set", "squats", 3, "side"))
    start_t = head[-1][1]
    segments = [(0.0, sure(NONE)), (start_t + 3.0, sure("squats"))]
    machine, steps, summary = same_runs(frames, segments)
    assert [(s.exercise, s.reps) for s in summary.sets] == [("squats", 5), ("squats", 3)]
    assert [r.index for r in summary.rep_details] == list(range(1, 9))


def test_the_classifier_not_ready_runs_every_shadow():
    frames = workout(("set", "bicep_curls", 3, "front"))
    machine, steps, _ = same_runs(frames, [])
    assert counted(steps) == {"bicep_curls": 3}
    assert all(shadow.fed_n == machine.frames.total_n for shadow in machine.shadows.values())


def test_shadows_wait_while_the_classifier_is_undecided_briefly_and_catch_up_when_it_lasts():
    frames = workout(("set", "squats", 5, "side"), ("still", 6), ("set", "squats", 3, "side"))
    set_end_t = workout(("set", "squats", 5, "side"))[-1][1]
    # Not ready for its first second, a flicker of "none" inside the first set, then "none" over the rest.
    segments = [(1.0, sure("squats")), (3.0, sure(NONE)), (3.0 + UNDECIDED_WAIT_S / 2, sure("squats")),
                (set_end_t + 1.0, sure(NONE))]
    assert 1.0 < UNDECIDED_WAIT_S and set_end_t + 1.0 + UNDECIDED_WAIT_S < frames[-1][1]
    machine, steps, summary = same_runs(frames, segments)
    assert [(s.exercise, s.reps) for s in summary.sets] == [("squats", 5), ("squats", 3)]
    total = machine.frames.total_n
    assert all(shadow.fed_n == total for shadow in machine.shadows.values())  # the rest's "none" lasted: caught up
    # Up to the rest, the other shadows never ran: the start and the flicker were too short to catch them up.
    short = WorkoutMachine(library(), ScriptedClassifier(segments))
    run([f for f in frames if f[1] <= set_end_t], short, set_pause_s=5.0)
    assert short.shadows["squats"].fed_n == short.frames.total_n
    assert all(shadow.fed_n == 0 for name, shadow in short.shadows.items() if name != "squats")


def test_the_frame_buffer_keeps_the_last_seconds_numbered_over_the_session():
    frames = FrameBuffer(keep_s=10.0)
    for n in range(100):
        frames.add(None, float(n))
    assert frames.total_n == 100
    assert frames.first_n == 89  # t 89 .. 99
    assert [t for _, t in frames.since(97)] == [97.0, 98.0, 99.0]
    assert [t for _, t in frames.since(89)][0] == 89.0
    frames.reset()
    assert frames.total_n == 0 and list(frames.since(0)) == []

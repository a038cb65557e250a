"""Sets of a workout in the recorder and the summary: a rep of another exercise starts a new set; reps keep their
exercise through the JSON."""

from __future__ import annotations

from fitness.exercise.events import MachineStep, RepEvent, Signals
from fitness.session.recorder import SessionRecorder, SetTracker
from fitness.session.summary import WorkoutSummary
from fitness.session.summary_schema import check_summary


def rep(index: int, start_t: float, exercise: str, counted: bool = True) -> RepEvent:
    return RepEvent(index=index, start_t=start_t, end_t=start_t + 2.0, counted=counted, exercise=exercise)


def test_a_rep_of_another_exercise_closes_the_set_even_without_a_pause():
    sets = SetTracker(set_pause_s=20.0)
    indices = [sets.add(rep(1, 0.0, "squats"), "squats"), sets.add(rep(2, 2.5, "squats"), "squats"),
               sets.add(rep(3, 5.0, "push_ups"), "push_ups"), sets.add(rep(4, 7.5, "squats"), "squats")]
    assert indices == [1, 1, 2, 3]
    assert [(s.exercise, s.reps) for s in sets.sets] == [("squats", 2), ("push_ups", 1), ("squats", 1)]


def test_the_recorder_puts_each_rep_in_a_set_of_its_own_exercise_and_the_json_keeps_it():
    recorder = SessionRecorder("workout", title="Workout")
    reps = [rep(1, 0.0, "squats"), rep(2, 2.5, "squats"), rep(3, 9.0, "push_ups", counted=False),
            rep(4, 11.5, "push_ups")]
    for r in reps:
        recorder.update(MachineStep(t=r.end_t, signals=Signals(r.end_t, {}, True), phase=None, reps=0, no_reps=0,
                                    new_reps=(r,), exercise=r.exercise))
    doc = recorder.finish(frames=400, duration_s=14.0, fps=30.0).to_dict()
    check_summary(doc)
    assert doc["exercise"] == "workout"
    assert [(s["exercise"], s["reps"], s["no_reps"]) for s in doc["sets"]] == [("squats", 2, 0), ("push_ups", 1, 1)]
    assert doc["sets"][1]["rest_before_s"] == 9.0 - 4.5
    assert [r["exercise"] for r in doc["sets"][1]["rep_details"]] == ["push_ups", "push_ups"]
    again = WorkoutSummary.from_dict(doc)
    assert [r.exercise for r in again.rep_details] == ["squats", "squats", "push_ups", "push_ups"]
    assert [s.exercise for s in again.sets] == ["squats", "push_ups"]

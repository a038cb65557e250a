"""Per-exercise trends from sets: weekly volume, best set, mean form score."""

from __future__ import annotations

import math

from fitness.session.exercise_trends import ExerciseSet, best_sets, plan_loads, week_of, weekly


def _set(session_id, day, exercise, reps, score_sum=0.0, scored=0, load_kg=None, index=1):
    return ExerciseSet(session_id, f"2024-05-{day:02d}T12:00:00", exercise, index, reps, 0, score_sum, scored, load_kg)


def test_weeks_group_sets_per_exercise_across_workouts():
    sets = [
        _set(1, 6, "squats", 10, 850.0, 10, load_kg=20.0),
        _set(1, 6, "squats", 8, 720.0, 8, load_kg=20.0, index=2),
        _set(2, 8, "squats", 12, 0.0, 0),
        _set(2, 8, "push_ups", 9, 450.0, 9, index=2),
        _set(3, 13, "squats", 5, 400.0, 5),
    ]
    by = {(w.exercise, w.week): w for w in weekly(sets)}
    week = by[("squats", "2024-W19")]
    assert (week.workouts, week.sets, week.reps, week.volume_kg, week.best_set) == (2, 3, 30, 360.0, 12)
    assert week.mean_score == (850.0 + 720.0) / 18  # the unscored set adds no score
    assert by[("push_ups", "2024-W19")].mean_score == 50.0
    assert by[("squats", "2024-W20")].reps == 5
    assert math.isnan(weekly([_set(1, 6, "lunges", 3)])[0].mean_score)


def test_the_best_set_is_the_most_reps_then_the_heavier():
    sets = [_set(1, 6, "squats", 10), _set(2, 7, "squats", 10, load_kg=12.0), _set(3, 8, "squats", 9, load_kg=40.0)]
    assert best_sets(sets)["squats"].session_id == 2


def test_plan_loads_map_each_set_to_its_blocks_load():
    plan = {"blocks": [{"load_kg": 12.5, "sets": [1, 2]}, {"load_kg": None, "sets": [3]}, {"load_kg": 4, "sets": [5]}]}
    assert plan_loads(plan) == {1: 12.5, 2: 12.5, 5: 4.0}
    assert plan_loads(None) == {}


def test_week_of_an_unreadable_time():
    assert week_of("not a date") == "?" and week_of("2024-01-01T00:00:00") == "2024-W01"

"""ExerciseMachine.restart: starts over like reset, but numbers and counts reps on after the last ones."""

from __future__ import annotations

import pytest

from fitness.exercise import ExerciseMachine, load_exercise

from .tracks import track


def reps_of(machine, frames, start_t=0.0):
    events = []
    for pose, t in frames:
        events.extend(machine.update(pose, start_t + t).new_reps)
    return events


def test_restart_numbers_reps_on_after_the_last_ones():
    machine = ExerciseMachine(load_exercise("squats"))
    frames = track("squats", 3, "side")
    first = reps_of(machine, frames)
    machine.restart()
    second = reps_of(machine, frames, start_t=frames[-1][1] + 1.0)
    fresh = reps_of(ExerciseMachine(load_exercise("squats")), frames)
    assert [r.index for r in first] == [1, 2, 3]
    assert [r.index for r in second] == [4, 5, 6]
    assert machine.reps == 6 and machine.last_rep_index == 6
    # Started over: the second pass counts as a fresh machine does.
    assert [r.counted for r in second] == [r.counted for r in fresh]
    assert [r.end_t - r.start_t for r in second] == pytest.approx([r.end_t - r.start_t for r in fresh], abs=0.01)

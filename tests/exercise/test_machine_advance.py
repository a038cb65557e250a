"""ExerciseMachine.advance: a frame without its MachineStep made, which `last_step` makes when asked, as `update`
would have (a workout's shadow machines ask for few of their steps)."""

from __future__ import annotations

import pytest

from fitness.exercise import ExerciseMachine, load_exercise

from .tracks import track


@pytest.mark.parametrize(("exercise", "view"), [("squats", "side"), ("bicep_curls", "side")])
def test_a_step_made_when_asked_is_the_step_update_makes(exercise, view):
    updated, advanced = ExerciseMachine(load_exercise(exercise)), ExerciseMachine(load_exercise(exercise))
    frames = track(exercise, 3, view)
    reps = []
    for k, (pose, t) in enumerate(frames):
        step = updated.update(pose, t)
        new = advanced.advance(pose, t)
        reps.extend(new)
        assert new == step.new_reps
        if k % 7 == 0:  # asked for now and then: what it says is that frame's step
            assert repr(advanced.last_step()) == repr(step)
    assert repr(advanced.finish(frames[-1][1])) == repr(updated.finish(frames[-1][1]))
    assert sum(r.counted for r in reps) == 3


def test_no_step_before_the_first_frame_nor_after_a_reset():
    machine = ExerciseMachine(load_exercise("squats"))
    assert machine.last_step() is None
    pose, t = track("squats", 1, "side")[0]
    machine.advance(pose, t)
    assert machine.last_step() is not None and machine.last_step() is machine.last_step()
    machine.reset()
    assert machine.last_step() is None

"""PlanMachine: the plan followed from a (scripted) workout engine's steps, and the plan stages of a session."""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest

from fitness.errors import UsageError
from fitness.exercise.events import HoldSpan, MachineStep, RepEvent, Signals
from fitness.plan import parse_plan
from fitness.plan.machine import PlanDefinition, PlanMachine, load_plan_workout
from fitness.session.recorder import SessionRecorder
from fitness.workout.engine import COUNTING, RESTING, WorkoutStatus

PLAN = """\
name: mini
rest_s: 30
blocks:
  - {exercise: squats, sets: 2, reps: 3, weight: 10 kg}
  - {exercise: push_ups, sets: 1, reps: 2}
  - {exercise: plank, hold_s: 20}
"""


def _rep(index: int, exercise: str, start_t: float) -> RepEvent:
    return RepEvent(index=index, start_t=start_t, end_t=start_t + 2.0, counted=True, phases={}, rom=(0.0, 1.0),
                    issues=(), score=90.0, exercise=exercise)


@dataclass
class ScriptedWorkout:
    """A stand-in engine: at each frame time, the reps it gives out and whether it shows a rest."""

    reps: dict[float, list[RepEvent]]
    resting_from: list[tuple[float, float]] = field(default_factory=list)  # (from, to) times it shows a rest
    holds: dict[float, HoldSpan] = field(default_factory=dict)  # the hold it reports at a frame time
    expected: list[tuple[str, ...]] = field(default_factory=list)
    t: float = 0.0

    def reset(self) -> None:
        pass

    @property
    def definition(self):
        return None

    @property
    def status(self) -> WorkoutStatus:
        resting = any(a <= self.t < b for a, b in self.resting_from)
        return WorkoutStatus(RESTING, rest_s=1.0) if resting else WorkoutStatus(COUNTING, "squats")

    def expect(self, names) -> None:
        self.expected.append(tuple(names))

    def update(self, pose, t: float) -> MachineStep:
        self.t = t
        new = tuple(self.reps.get(t, ()))
        hold = self.holds.get(t)
        return MachineStep(t=t, signals=Signals(t, {}, True), phase=None, reps=0, no_reps=0, new_reps=new,
                           exercise=new[-1].exercise if new else hold.exercise if hold else None, hold=hold,
                           hold_s=hold.good_s if hold else 0.0)

    def finish(self, t: float) -> MachineStep:
        return self.update(None, t)


def _machine(script: ScriptedWorkout) -> PlanMachine:
    definition = load_plan_workout(parse_plan(PLAN))
    return PlanMachine(definition, set_pause_s=20.0, workout=script)


def test_a_plan_followed_from_the_engines_reps_and_rests():
    reps = {2.0: [_rep(1, "squats", 0.0)], 4.0: [_rep(2, "squats", 2.0)], 6.0: [_rep(3, "squats", 4.0)],
            42.0: [_rep(4, "squats", 40.0)], 44.0: [_rep(5, "squats", 42.0)], 46.0: [_rep(6, "squats", 44.0)],
            72.0: [_rep(7, "push_ups", 70.0)], 74.0: [_rep(8, "push_ups", 72.0)]}
    script = ScriptedWorkout(reps, resting_from=[(10.0, 40.0), (50.0, 70.0), (78.0, 99.0)])
    machine = _machine(script)
    seen = {}
    for t in [float(x) for x in range(0, 90)]:
        machine.update(None, t)
        seen[t] = machine.plan_progress
    assert script.expected[0] == ("squats", "push_ups")
    p = seen[6.0]
    assert (p.block_index, p.set_number, p.done, p.target, p.target_met) == (0, 1, 3.0, 3.0, True)
    p = seen[9.0]
    assert (p.set_number, p.resting) == (1, False)  # no rest shown yet: the set may go on
    p = seen[12.0]
    assert (p.set_number, p.resting, p.rest_left_s) == (2, True, 30.0 - (12.0 - 6.0))
    assert seen[51.0].block_index == 0  # a moment of stillness is no rest yet
    p = seen[52.0]
    assert (p.block_index, p.set_number, p.next_block.exercise) == (1, 1, "plank")
    assert ("push_ups", "plank") in script.expected
    p = seen[80.0]
    assert p.block_index == 2 and p.block.exercise == "plank"
    assert script.expected[-1] == ("plank",)  # a hold next: the engine recognises it as it is held
    machine.finish(90.0)
    plan = machine.plan_result(tuple(machine.sets.sets))
    assert [b["done"] for b in plan["blocks"]] == [[3, 3], [2], []]
    assert plan["blocks"][0]["volume_kg"] == 60.0 and plan["volume_kg"] == 60.0 and not plan["complete"]


def test_a_set_going_on_after_a_pause_is_one_set_for_the_plan():
    reps = {2.0: [_rep(1, "squats", 0.0)], 4.0: [_rep(2, "squats", 2.0)], 14.0: [_rep(3, "squats", 12.0)]}
    script = ScriptedWorkout(reps, resting_from=[(8.0, 11.0)])
    machine = _machine(script)
    for t in range(0, 20):
        machine.update(None, float(t))
        if t == 9:
            assert machine.plan_progress.set_number == 1  # still for a second: not a rest yet
        if t == 10:
            assert machine.plan_progress.set_number == 2  # the pause looked like the rest
    p = machine.plan_progress
    assert (p.set_number, p.done, p.resting) == (1, 3.0, False)  # taken back: the same set went on
    machine.finish(20.0)
    assert [b["done"] for b in machine.plan_result(tuple(machine.sets.sets))["blocks"]][0] == [3]


def test_the_recorder_gives_a_plan_workout_its_kind_and_plan():
    script = ScriptedWorkout({2.0: [_rep(1, "squats", 0.0)], 4.0: [_rep(2, "push_ups", 2.0)]})
    machine = _machine(script)
    recorder = SessionRecorder("mini", kind="plan", plan_name="mini", plan_of=machine.plan_result)
    for t in range(0, 6):
        recorder.update(machine.update(None, float(t)))
    summary = recorder.finish(frames=6, duration_s=6.0, fps=1.0)
    assert summary.kind == "plan"
    assert [s.exercise for s in summary.sets] == ["squats", "push_ups"]
    assert [b["sets"] for b in summary.plan["blocks"]] == [[1], [2], []]


def test_a_hold_block_is_followed_and_done_when_its_seconds_are_held():
    reps = {2.0: [_rep(1, "squats", 0.0)], 4.0: [_rep(2, "squats", 2.0)], 6.0: [_rep(3, "squats", 4.0)],
            42.0: [_rep(4, "squats", 40.0)], 44.0: [_rep(5, "squats", 42.0)], 46.0: [_rep(6, "squats", 44.0)],
            72.0: [_rep(7, "push_ups", 70.0)], 74.0: [_rep(8, "push_ups", 72.0)]}
    # The engine recognises the plank 3 s in and reports it from its start (80 s) until it ends at 102 s.
    holds = {float(t): HoldSpan(80.0, float(t), float(t) - 80.0, float(t) - 80.0, exercise="plank")
             for t in range(83, 102)}
    holds[102.0] = HoldSpan(80.0, 101.5, 21.5, 21.5, done=True, exercise="plank")
    script = ScriptedWorkout(reps, resting_from=[(10.0, 40.0), (50.0, 70.0), (78.0, 80.0), (103.0, 120.0)],
                             holds=holds)
    machine = _machine(script)
    seen = {}
    for t in [float(x) for x in range(0, 110)]:
        machine.update(None, t)
        seen[t] = machine.plan_progress
    p = seen[90.0]
    assert (p.block.exercise, p.done, p.target, p.target_met) == ("plank", 10.0, 20.0, False)
    assert seen[101.0].target_met
    # The hold ended: its block is done at once (no set pause to wait for), and with it the plan.
    assert seen[102.0].block_index is None
    machine.finish(110.0)
    plan = machine.plan_result(tuple(machine.sets.sets))
    assert [b["done"] for b in plan["blocks"]] == [[3, 3], [2], [21.5]] and plan["complete"]


def test_a_plan_of_holds_alone_cannot_be_followed_yet():
    with pytest.raises(UsageError, match="no exercise counted in reps"):
        load_plan_workout(parse_plan("blocks:\n  - {exercise: plank, hold_s: 30}\n"))


def test_each_exercise_gets_its_first_blocks_settings():
    definition = load_plan_workout(parse_plan(
        "blocks:\n  - {exercise: squats, reps: 5, level: pro}\n  - {exercise: squats, reps: 5, set: {depth_pct: 90}}\n"
    ))
    assert isinstance(definition, PlanDefinition) and definition.name == "plan"
    [squats] = definition.exercises
    assert squats.level == "pro" and squats.params["depth_pct"] == 70.0


def test_the_real_workout_engine_drives_a_plan_machine():
    machine = PlanMachine(load_plan_workout(parse_plan(PLAN)), set_pause_s=20.0)
    assert machine.workout.expected == frozenset({"squats", "push_ups"})
    for t in range(5):
        step = machine.update(None, float(t))  # nobody in view: no reps, the plan waits at its first block
    assert step.reps == 0 and machine.plan_progress.block_index == 0
    machine.finish(5.0)
    assert machine.plan_result(())["blocks"][0]["done"] == []

"""PlanTracker: sequences of sets as a workout engine closes them, and what the tracker says after each."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from fitness.plan.model import Block, Load, Plan
from fitness.plan.tracker import BlockResult, PlanResult, PlanTracker, follow
from fitness.session.summary import SetSummary

SQUATS = Block("squats", "squats", sets=2, reps=10, rest_s=60.0, load=Load(20.0, "kg"))
PUSH_UPS = Block("push_ups", "push_ups", sets=1, reps=8, rest_s=30.0)
PLANK = Block("plank", "plank", sets=1, hold_s=30.0, rest_s=0.0)
PLAN = Plan("p", "P", (SQUATS, PUSH_UPS, PLANK))


def _set(index: int, exercise: str, reps: int, start_t: float, end_t: float) -> SetSummary:
    return SetSummary(index, start_t, end_t, reps, 0, exercise)


def test_a_workout_done_as_planned():
    tracker = PlanTracker(PLAN)
    p = tracker.progress(0.0)
    assert (p.block_index, p.set_number, p.target, p.done, p.resting, p.rest_left_s) == (0, 1, 10.0, 0.0, False, None)
    assert p.next_block is SQUATS and tracker.expected() == ("squats", "push_ups")

    tracker.current("squats", 9)
    assert not tracker.progress(20.0).target_met
    tracker.current("squats", 10)
    p = tracker.progress(25.0)
    assert p.target_met and not p.resting

    assert tracker.close_set(_set(1, "squats", 10, 0.0, 30.0)) == 0
    p = tracker.progress(40.0)
    assert (p.block_index, p.set_number, p.resting, p.rest_left_s) == (0, 2, True, 50.0)
    assert p.next_block is PUSH_UPS  # the second set is the block's last
    assert tracker.progress(200.0).rest_left_s == 0.0

    tracker.close_set(_set(2, "squats", 10, 100.0, 130.0))
    p = tracker.progress(130.0)
    assert (p.block_index, p.block, p.set_number, p.target, p.next_block) == (1, PUSH_UPS, 1, 8.0, PLANK)
    assert tracker.expected() == ("push_ups", "plank")

    tracker.close_set(_set(3, "push_ups", 8, 200.0, 220.0))
    assert tracker.progress(225.0).rest_left_s == 25.0  # the push-ups' own rest
    tracker.close_set(_set(4, "plank", 0, 260.0, 292.0))
    p = tracker.progress(300.0)
    assert p.finished and p.next_block is None and (p.sets_done, p.sets_planned) == (4, 4)
    assert tracker.expected() == ()

    result = tracker.result()
    assert result.complete and result.extra_sets == ()
    assert [b.done for b in result.blocks] == [(10.0, 10.0), (8.0,), (32.0,)]
    assert result.blocks[0].volume_kg == 400.0 and result.blocks[1].volume_kg is None
    assert result.volume_kg == 400.0


def test_recognising_the_next_exercise_moves_on_and_leaves_the_skipped_block_short():
    tracker = PlanTracker(PLAN)
    tracker.close_set(_set(1, "squats", 10, 0.0, 30.0))
    tracker.current("push_ups", 1)
    p = tracker.progress(45.0)
    assert (p.block_index, p.set_number, p.target, p.resting) == (1, 1, 8.0, False)
    tracker.close_set(_set(2, "push_ups", 6, 40.0, 60.0))
    result = tracker.result()
    assert result.blocks[0].done == (10.0,) and not result.blocks[0].complete
    assert result.blocks[1].done == (6.0,) and not result.blocks[1].complete  # short of its 8 reps
    assert tracker.progress(70.0).block_index == 2


def test_a_late_set_of_a_block_passed_over_still_counts_for_it():
    tracker = PlanTracker(PLAN)
    tracker.close_set(_set(1, "push_ups", 8, 0.0, 20.0))
    assert tracker.progress(20.0).block_index == 2  # moved past the squats, to the plank
    assert tracker.close_set(_set(2, "squats", 10, 30.0, 60.0)) == 0
    assert tracker.progress(61.0).block_index == 2


def test_an_exercise_not_in_the_plan_is_an_extra_set_and_unknown_sets_go_to_the_current_block():
    tracker = PlanTracker(PLAN)
    assert tracker.close_set(_set(1, "lunges", 12, 0.0, 30.0)) is None
    assert tracker.close_set(_set(2, "", 9, 40.0, 60.0)) == 0
    result = tracker.result()
    assert result.extra_sets == (1,) and result.blocks[0].set_indexes == (2,)
    tracker.current("bicep_curls", 3)
    assert tracker.progress(70.0).block_index == 0  # an exercise not in the plan moves nothing


def test_extra_sets_of_a_finished_block_do_not_count_twice():
    plan = Plan("p", "P", (Block("squats", "squats", sets=1, reps=5),))
    tracker = PlanTracker(plan)
    tracker.close_set(_set(1, "squats", 5, 0.0, 10.0))
    assert tracker.close_set(_set(2, "squats", 5, 20.0, 30.0)) is None
    assert tracker.result().blocks[0].done == (5.0,) and tracker.result().extra_sets == (2,)


def test_load_in_pounds_counts_volume_in_kilograms():
    plan = Plan("p", "P", (Block("bicep_curls", "bicep_curls", sets=1, reps=10, load=Load(10.0, "lb")),))
    result = follow(plan, [_set(1, "bicep_curls", 10, 0.0, 20.0)])
    assert result.volume_kg == pytest.approx(100 * 0.45359237)


_sets = st.lists(st.tuples(st.sampled_from(["squats", "push_ups", "plank", "lunges", ""]), st.integers(0, 15)),
                 max_size=12)


@given(_sets)
def test_every_set_counts_once_and_no_block_gets_more_than_its_sets(items):
    sets = [_set(i + 1, ex, reps, 10.0 * i, 10.0 * i + 5) for i, (ex, reps) in enumerate(items)]
    result = follow(PLAN, sets)
    counted = [i for b in result.blocks for i in b.set_indexes] + list(result.extra_sets)
    assert sorted(counted) == [s.index for s in sets]
    for block, planned in zip(result.blocks, PLAN.blocks):
        assert block.done_sets <= planned.sets
        assert all(sets[i - 1].exercise in (planned.exercise, "") for i in block.set_indexes)


@given(_sets)
def test_the_plan_object_round_trips_through_json(items):
    sets = [_set(i + 1, ex, reps, 10.0 * i, 10.0 * i + 5) for i, (ex, reps) in enumerate(items)]
    result = follow(PLAN, sets)
    again = PlanResult.from_dict(result.to_dict())
    assert again == result and again.to_dict() == result.to_dict()


def test_a_block_result_says_complete_only_when_each_set_met_its_target():
    block = BlockResult(0, "squats", 2, 10, None, None, (1, 2), (10.0, 9.0))
    assert not block.complete
    assert BlockResult(0, "squats", 2, 10, None, None, (1, 2), (10.0, 12.0)).complete


def test_a_set_that_goes_on_after_it_was_closed_is_taken_back_and_counted_once():
    tracker = PlanTracker(PLAN)
    tracker.open_set(_set(1, "squats", 6, 0.0, 20.0))
    p = tracker.progress(21.0)
    assert (p.set_number, p.done, p.resting) == (1, 6.0, False)
    tracker.close_set(_set(1, "squats", 6, 0.0, 20.0))  # a pause: looks like the rest
    assert tracker.progress(25.0).set_number == 2 and tracker.progress(25.0).resting
    tracker.open_set(_set(1, "squats", 8, 0.0, 30.0))  # more reps in the same set
    p = tracker.progress(31.0)
    assert (p.set_number, p.done, p.resting) == (1, 8.0, False)
    tracker.close_set(_set(1, "squats", 10, 0.0, 35.0))
    assert tracker.result().blocks[0].done == (10.0,)


def test_reopening_the_last_set_of_a_block_goes_back_to_that_block():
    tracker = PlanTracker(PLAN)
    tracker.close_set(_set(1, "squats", 10, 0.0, 30.0))
    tracker.close_set(_set(2, "squats", 10, 90.0, 120.0))
    assert tracker.progress(125.0).block_index == 1
    tracker.open_set(_set(2, "squats", 11, 90.0, 126.0))
    assert (tracker.progress(127.0).block_index, tracker.progress(127.0).set_number) == (0, 2)

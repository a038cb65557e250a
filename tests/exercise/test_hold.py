"""Hold timing on sequences: when a hold starts and ends, what counts as good time, which holds are kept."""

from __future__ import annotations

import pytest

from fitness.exercise.definition import HoldDef
from fitness.exercise.events import FormIssue
from fitness.exercise.hold import MAX_STEP_S, HoldTimer

DT = 1 / 32
WARNING = FormIssue("hip_sag", "Hips up", "warning", 0.0)
INFO = FormIssue("breathe", "Breathe", "info", 0.0)


def feed(timer: HoldTimer, pattern: list[tuple[bool, list[FormIssue]]], t0: float = 0.0) -> float:
    t = t0
    for in_position, active in pattern:
        timer.step(t, in_position, active)
        t += DT
    return t


def test_good_time_stops_while_a_warning_is_active_but_not_for_info():
    timer = HoldTimer(HoldDef("x", grace_s=1.0, min_s=1.0))
    t = feed(timer, [(True, [])] * 33 + [(True, [WARNING])] * 32 + [(True, [INFO])] * 32)
    assert timer.holding and timer.good_s == pytest.approx(64 * DT)
    timer.finish(t)
    (record,) = timer.holds
    assert record.total_s == pytest.approx(96 * DT) and record.good_s == pytest.approx(64 * DT)
    assert record.issues == ("hip_sag", "breathe") and record.score == pytest.approx(100 * 64 / 96)
    assert not timer.holding and timer.good_s == record.good_s


def test_a_hold_ends_where_the_position_was_lost_once_grace_s_is_over():
    timer = HoldTimer(HoldDef("x", grace_s=0.5, min_s=1.0))
    feed(timer, [(True, [])] * 64 + [(False, [])] * 16)
    assert timer.current is not None and not timer.holding and timer.holds == []  # within the grace
    feed(timer, [(False, [])] * 2, t0=80 * DT)
    (record,) = timer.holds
    assert record.start_t == 0.0 and record.end_t == 64 * DT


def test_back_in_position_within_grace_s_is_the_same_hold():
    timer = HoldTimer(HoldDef("x", grace_s=0.5, min_s=1.0))
    feed(timer, [(True, [])] * 40 + [(False, [])] * 8 + [(True, [])] * 40)
    timer.finish(88 * DT)
    assert len(timer.holds) == 1 and timer.holds[0].start_t == 0.0


def test_short_holds_are_dropped_and_long_frame_gaps_are_not_held_time():
    timer = HoldTimer(HoldDef("x", grace_s=0.1, min_s=2.0))
    feed(timer, [(True, [])] * 32 + [(False, [])] * 8)
    assert timer.holds == [] and timer.good_s == 0.0
    timer.step(10.0, True, [])
    timer.step(15.0, True, [])  # 5 s between two frames
    assert timer.good_s == MAX_STEP_S

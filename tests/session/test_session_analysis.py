"""Per-rep tempo and range of motion, session stats and trends against earlier sessions."""

from __future__ import annotations

import math
from dataclasses import replace

import pytest
from hypothesis import given
from hypothesis import strategies as st
from session_factories import rep, sample_summary

from fitness.exercise.events import RepEvent
from fitness.session.analysis import concentric_s, eccentric_s, rom_range, session_stats, trends, turnaround_t
from fitness.session.export import to_csv


def test_tempo_comes_from_the_phase_names_the_engine_uses():
    r = RepEvent(1, 0.0, 3.0, True, phases={"down_s": 1.2, "up_s": 0.9})
    assert (eccentric_s(r), concentric_s(r)) == (1.2, 0.9)
    assert math.isnan(eccentric_s(RepEvent(1, 0.0, 3.0, True)))


@given(start_t=st.floats(0, 1e4), out_s=st.floats(0, 30), at_s=st.floats(0, 30), back_s=st.floats(0, 30))
def test_the_turnaround_is_the_middle_of_the_middle_phase_whatever_its_names(start_t, out_s, at_s, back_s):
    end_t = start_t + out_s + at_s + back_s
    r = RepEvent(1, start_t, end_t, True, phases={"concentric_s": out_s, "top_s": at_s, "eccentric_s": back_s})
    assert turnaround_t(r) == pytest.approx(start_t + out_s + at_s / 2)
    assert start_t - 1e-6 <= turnaround_t(r) <= end_t + 1e-6


def test_a_rep_without_phases_turns_in_its_middle():
    assert turnaround_t(RepEvent(1, 2.0, 5.0, False, phases={})) == 3.5


def test_range_of_motion_is_max_minus_min():
    assert rom_range(rep(1, 0, 3)) == 80.0  # rom (90, 170)
    assert math.isnan(rom_range(RepEvent(1, 0.0, 3.0, True)))


def test_session_stats_use_counted_reps_for_range_and_all_reps_for_score():
    stats = session_stats(sample_summary())
    assert (stats.reps, stats.no_reps) == (6, 1)
    assert (
        stats.mean_rom == 80.0 and stats.mean_low == 90.0 and stats.mean_high == 170.0
    )  # the no-rep (125, 170) is left out
    assert stats.mean_score == pytest.approx((98 + 72 + 55 + 95 + 100 + 90 + 70) / 7)


def test_trends_compare_with_the_previous_session_and_the_mean_of_earlier_ones():
    now = sample_summary()
    fewer = replace(now, reps=4)
    more = replace(now, reps=8)
    by_metric = {t.metric: t for t in trends(now, [fewer, more])}
    reps = by_metric["reps"]
    assert (reps.current, reps.previous, reps.baseline, reps.change) == (6, 4, 6, 2)
    assert by_metric["range of motion, knee angle (°)"].change == 0.0


def test_range_of_motion_trends_skip_sessions_measured_on_another_signal():
    now = sample_summary()
    renamed = replace(
        now,
        reps=3,
        rep_details=tuple(replace(r, signal="hip_pct", rom=(50.0, 100.0)) for r in now.rep_details),
        trace={**now.trace, "signal": "hip_pct"},
    )
    by_metric = {t.metric: t for t in trends(now, [renamed, replace(now, reps=5)])}
    assert by_metric["reps"].previous == 3  # counts compare with every earlier session
    rom = by_metric["range of motion, knee angle (°)"]
    assert rom.previous == rom.current == 80.0 and rom.baseline == 80.0  # the hip_pct session is left out
    only_other = {t.metric: t for t in trends(now, [renamed])}
    assert math.isnan(only_other["lowest point, knee angle (°)"].previous)


def test_trends_without_earlier_sessions_are_nan():
    [first, *_] = trends(sample_summary(), [])
    assert first.current == 6 and math.isnan(first.previous) and math.isnan(first.baseline)


def test_csv_leaves_missing_numbers_empty():
    summary = replace(sample_summary(), rep_details=(RepEvent(1, 0.0, 2.0, False, score=math.nan, reason="depth"),))
    header, row = to_csv(summary).splitlines()
    cells = dict(zip(header.split(","), row.split(",")))
    assert cells["rom_min"] == cells["score"] == cells["eccentric_s"] == "" and cells["reason"] == "depth"

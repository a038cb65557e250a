"""SessionRecorder fed step sequences: set boundaries, counts, issue counting, hold time, trace, commits."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st
from session_factories import SIGNAL, issue, rep, squat_value, step

from fitness.errors import UsageError
from fitness.session.recorder import SessionRecorder, TraceBuffer
from fitness.session.store import HistoryStore


def feed(recorder: SessionRecorder, rep_spans, *, end_t=None, dt=0.5, away=(), issues_at=None):
    """Steps every dt seconds; a rep finishes at the step nearest its end; `away` = (t0, t1) out of frame."""
    issues_at = issues_at or {}
    pending = sorted(rep_spans, key=lambda r: r.end_t)
    end_t = end_t if end_t is not None else (pending[-1].end_t if pending else 0.0)
    for i in range(int(round(end_t / dt)) + 1):
        t = i * dt
        done = [r for r in pending if r.end_t <= t + 1e-9]
        pending = pending[len(done):]
        visible = not any(t0 <= t < t1 for t0, t1 in away)
        recorder.update(step(t, squat_value(t), visible=visible, reps=done, issues=issues_at.get(t, ())))
    assert not pending, "every rep must be fed"


def reps_at(*starts, length=3.0):
    return [rep(i, s, s + length) for i, s in enumerate(starts, start=1)]


def set_layout(recorder: SessionRecorder):
    return [(s.index, s.reps, s.no_reps) for s in recorder.sets], [r.set_index for r in recorder.reps]


def test_a_long_pause_between_reps_starts_a_new_set():
    rec = SessionRecorder("squats", signal=SIGNAL)
    feed(rec, reps_at(0, 3, 6, 30, 33))  # 21 s between the end of rep 3 (9 s) and the start of rep 4
    assert set_layout(rec) == ([(1, 3, 0), (2, 2, 0)], [1, 1, 1, 2, 2])
    assert (rec.sets[0].start_t, rec.sets[0].end_t, rec.sets[1].start_t, rec.sets[1].end_t) == (0, 9, 30, 36)


def test_each_set_in_the_json_names_its_exercise_rest_and_reps():
    rec = SessionRecorder("squats", signal=SIGNAL)
    feed(rec, reps_at(0, 3, 6, 30, 33))
    sets = rec.summary().to_dict()["sets"]
    assert [(s["exercise"], s["start_s"], s["end_s"], s["rest_before_s"], s["reps"]) for s in sets] == [
        ("squats", 0, 9, None, 3), ("squats", 30, 36, 21, 2)]
    assert [[r["index"] for r in s["rep_details"]] for s in sets] == [[1, 2, 3], [4, 5]]


def test_a_short_breather_stays_in_the_set():
    rec = SessionRecorder("squats", signal=SIGNAL)
    feed(rec, reps_at(0, 3, 6, 24, 27))  # 15 s < 20 s
    assert set_layout(rec) == ([(1, 5, 0)], [1] * 5)


@pytest.mark.parametrize("gap_s, sets", [(20.0, 1), (20.5, 2)])
def test_the_pause_must_be_longer_than_set_pause_s(gap_s, sets):
    rec = SessionRecorder("squats", signal=SIGNAL)
    feed(rec, reps_at(0, 3 + gap_s))
    assert len(rec.sets) == sets


def test_set_pause_s_is_configurable():
    rec = SessionRecorder("squats", signal=SIGNAL, set_pause_s=5.0)
    feed(rec, reps_at(0, 3, 12))  # 6 s pause
    assert set_layout(rec)[1] == [1, 1, 2]


def test_a_pause_without_steps_still_splits_sets():
    # e.g. a video whose frames stop coming for a while: only the rep times tell.
    rec = SessionRecorder("squats", signal=SIGNAL)
    first, second = reps_at(0, 40)
    rec.update(step(3.0, reps=[first]))
    rec.update(step(43.0, reps=[second]))
    assert set_layout(rec)[1] == [1, 2]


def test_leaving_the_frame_ends_the_set():
    rec = SessionRecorder("squats", signal=SIGNAL)
    feed(rec, reps_at(0, 3, 19), away=[(6.0, 17.0)])  # out of frame 11 s >= away_s 10, pause 13 s < 20
    assert set_layout(rec)[1] == [1, 1, 2]


def test_a_short_dropout_does_not_end_the_set():
    rec = SessionRecorder("squats", signal=SIGNAL)
    feed(rec, reps_at(0, 3, 6, 9), away=[(4.0, 7.0)])
    assert set_layout(rec)[1] == [1, 1, 1, 1]


def test_no_reps_are_counted_in_their_set_and_apart():
    rec = SessionRecorder("squats", signal=SIGNAL)
    spans = [rep(1, 0, 3), rep(2, 3, 6, counted=False), rep(3, 6, 9), rep(4, 40, 43, counted=False)]
    feed(rec, spans)
    assert (rec.counted, rec.no_reps) == (2, 2)
    assert set_layout(rec)[0] == [(1, 2, 1), (2, 0, 1)]


def test_reps_by_side_counts_counted_reps_per_side():
    rec = SessionRecorder("lunges", signal=SIGNAL)
    spans = [
        rep(1, 0, 2, side="left"),
        rep(2, 2, 4, side="right"),
        rep(3, 4, 6, side="left"),
        rep(4, 6, 8, counted=False, side="right"),
    ]
    feed(rec, spans)
    assert rec.reps_by_side == {"left": 2, "right": 1}


def test_an_issue_reported_live_and_on_its_rep_counts_once():
    rec = SessionRecorder("squats", signal=SIGNAL)
    spans = [rep(1, 0, 3, issues=["chest_up"]), rep(2, 3, 6, issues=["chest_up", "depth_check"])]
    # chest_up fires live during rep 1 (engine knows the rep index) and rep 2 (it does not).
    feed(rec, spans, issues_at={1.5: [issue("chest_up", 1.5, rep_index=1)], 4.5: [issue("chest_up", 4.5)]})
    assert rec.issues == {"chest_up": 2, "depth_check": 1}


def test_issues_outside_reps_count_too():
    rec = SessionRecorder("squats", signal=SIGNAL)
    feed(rec, [rep(1, 2, 5)], end_t=10, issues_at={0.5: [issue("knees_cave", 0.5)], 8.0: [issue("knees_cave", 8.0)]})
    assert rec.issues == {"knees_cave": 2}


def test_a_rule_firing_twice_in_one_rep_counts_twice():
    rec = SessionRecorder("squats", signal=SIGNAL)
    feed(
        rec,
        [rep(1, 0, 3, issues=["chest_up"])],
        issues_at={1.0: [issue("chest_up", 1.0)], 2.0: [issue("chest_up", 2.0)]},
    )
    assert rec.issues == {"chest_up": 2}


def test_hold_exercise_reports_hold_time_and_rep_exercise_does_not():
    hold = SessionRecorder("plank", signal="hip_deg")
    for i in range(21):
        hold.update(step(i * 0.5, hold_s=min(i * 0.5, 8.0)))
    assert hold.finish(frames=21, duration_s=10.0, fps=2.0).hold_s == 8.0
    reps = SessionRecorder("squats", signal=SIGNAL)
    feed(reps, reps_at(0, 3))
    assert reps.finish(frames=13, duration_s=6.0, fps=2.0).hold_s is None


def test_trace_is_downsampled_but_spans_the_whole_session():
    rec = SessionRecorder("squats", signal=SIGNAL, trace_points=100)
    feed(rec, reps_at(0, 3), end_t=600, dt=0.1)  # 6001 steps
    trace = rec.finish(frames=6001, duration_s=600, fps=10).trace
    assert trace["signal"] == SIGNAL
    assert 50 <= len(trace["t"]) <= 100 and len(trace["t"]) == len(trace["value"])
    assert trace["t"][0] == 0.0 and trace["t"][-1] == 600.0
    assert trace["value"][0] == pytest.approx(squat_value(0.0))


def test_trace_has_gaps_where_the_signal_is_missing():
    rec = SessionRecorder("squats", signal=SIGNAL)
    rec.update(step(0.0, 150.0))
    rec.update(step(0.5, visible=False))
    rec.update(step(1.0, 120.0))
    assert rec.summary().trace == {"signal": SIGNAL, "t": [0.0, 0.5, 1.0], "value": [150.0, None, 120.0]}
    assert SessionRecorder("squats").summary().trace == {}  # no signal name: no trace


@given(st.integers(2, 64), st.integers(0, 3000))
def test_trace_buffer_is_bounded_evenly_spaced_and_reaches_both_ends(max_points, n):
    buf = TraceBuffer(max_points)
    for i in range(n):
        buf.add(float(i), float(i))
    assert len(buf.t) < max_points
    trace = buf.to_dict("x")
    if not n:
        assert trace == {}
        return
    assert len(trace["t"]) <= max_points
    assert trace["t"][0] == 0.0 and trace["t"][-1] == n - 1
    assert {b - a for a, b in zip(buf.t, buf.t[1:])} <= {float(buf.stride)}  # evenly thinned
    assert n - 1 - buf.t[-1] < buf.stride


def test_session_row_exists_at_once_and_each_rep_is_committed_immediately(tmp_path):
    db = tmp_path / "h.sqlite3"
    with HistoryStore.open(db) as writer, HistoryStore.open(db) as reader:
        rec = SessionRecorder(
            "squats",
            title="Squat",
            source="camera:0",
            model="m",
            params={"depth_deg": 100},
            store=writer,
            signal=SIGNAL,
        )
        [info] = reader.list_sessions()
        assert (info.id, info.exercise, info.finished, info.reps) == (rec.session_id, "squats", False, 0)
        for k, r in enumerate(reps_at(0, 3, 6), start=1):
            rec.update(step(r.end_t, reps=[r]))
            assert reader.count_reps(rec.session_id) == k
            assert reader.list_sessions()[0].reps == k
        summary = rec.finish(frames=90, duration_s=9.0, fps=10.0, interrupted=True)
        stored = reader.get(rec.session_id)
        assert stored.to_dict() == summary.to_dict()
        assert stored.interrupted and reader.list_sessions()[0].finished


def test_without_a_store_nothing_is_written(_isolated_home):
    rec = SessionRecorder("squats", signal=SIGNAL)
    feed(rec, reps_at(0, 3))
    summary = rec.finish(frames=13, duration_s=6.0, fps=2.0)
    assert summary.id is None and summary.reps == 2
    assert not any(_isolated_home.iterdir())


def test_finish_twice_or_update_after_finish_is_a_bug():
    rec = SessionRecorder("squats")
    rec.finish(frames=0, duration_s=0.0, fps=math.nan)
    with pytest.raises(RuntimeError):
        rec.update(step(1.0))
    with pytest.raises(RuntimeError):
        rec.finish(frames=0, duration_s=0.0, fps=math.nan)


@pytest.mark.parametrize("kwargs", [{"set_pause_s": 0}, {"set_pause_s": -5}, {"away_s": 0}, {"set_pause_s": math.nan}])
def test_bad_pauses_are_usage_errors(kwargs):
    with pytest.raises(UsageError, match="> 0 seconds"):
        SessionRecorder("squats", **kwargs)


def test_summary_without_steps_is_empty_and_zero_length():
    summary = SessionRecorder("squats", started_at="2024-01-01T00:00:00+00:00").summary()
    assert (summary.reps, summary.no_reps, summary.duration_s, summary.sets, summary.started_at) == (
        0,
        0,
        0.0,
        (),
        "2024-01-01T00:00:00+00:00",
    )


def test_trace_buffer_needs_room_for_two_points():
    with pytest.raises(ValueError, match="at least 2"):
        TraceBuffer(1)

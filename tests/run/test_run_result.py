"""How a session ended and what it saw, as sequences: frame rate and duration from the frames' own times,
and the order in which a stop, a quit and a source's end decide `ended`."""

from __future__ import annotations

import math

import pytest

from fitness.errors import SourceError
from fitness.run.result import ENDED_BY_ERROR, ENDED_BY_INTERRUPT, ENDED_BY_USER, ENDED_NORMALLY, Ending, FrameTally


def tally(times, source_fps=float("nan"), seen=None) -> FrameTally:
    out = FrameTally()
    out.source_fps = source_fps
    for i, t in enumerate(times):
        out.add(t, True if seen is None else seen[i])
    return out


def test_a_video_at_its_nominal_rate_uses_the_containers_exact_rate():
    fps, duration_s = tally([i / 29.97 for i in range(300)], source_fps=29.97).rate()
    assert fps == 29.97 and duration_s == pytest.approx(300 / 29.97)


def test_a_camera_that_dropped_frames_is_timed_by_its_frames():
    times = [0.0, 0.1, 0.2, 0.5, 0.6]  # nominal 10 fps, two frames lost
    fps, duration_s = tally(times, source_fps=10.0).rate()
    assert fps == pytest.approx(4 / 0.6) and duration_s == pytest.approx(0.6 * 5 / 4)


@pytest.mark.parametrize(("times", "source_fps", "expected"), [
    ([], 30.0, (30.0, 0.0)),
    ([1.5], 30.0, (30.0, 1 / 30)),
    ([2.0, 2.0], 25.0, (25.0, 2 / 25)),  # no time passed: the nominal rate
])
def test_too_few_or_too_close_frames_fall_back_on_the_nominal_rate(times, source_fps, expected):
    assert tally(times, source_fps).rate() == pytest.approx(expected)


def test_without_a_nominal_rate_a_single_frame_lasts_nothing():
    fps, duration_s = tally([0.0]).rate()
    assert math.isnan(fps) and duration_s == 0.0


def test_frames_with_a_person_and_the_time_span_are_counted():
    t = tally([3.0, 3.1, 3.2], seen=[True, False, True])
    assert (t.frames, t.with_person, t.first_t, t.last_t) == (3, 2, 3.0, 3.2)


def test_a_source_that_runs_out_early_ends_the_session_with_its_reason_and_note():
    ending = Ending()
    ending.source_ended("truncated", "read 80 of 100 frames")
    assert (ending.ended, ending.source_notes, ending.interrupted) == ("truncated", ["read 80 of 100 frames"], True)


@pytest.mark.parametrize("reason", [None, "complete", "closed"])
def test_a_source_that_ran_to_its_end_ends_normally(reason):
    ending = Ending()
    ending.source_ended(reason, "detail")
    assert (ending.ended, ending.source_notes, ending.interrupted) == (ENDED_NORMALLY, [], False)


def test_the_first_cause_wins_and_a_quit_is_not_an_interruption():
    ending = Ending()
    ending.interrupt("SIGTERM")
    ending.source_ended("lost", "camera gone")
    ending.source_broke(SourceError("broken"))
    assert (ending.ended, ending.stopped_by, ending.stop_requested) == (ENDED_BY_INTERRUPT, "SIGTERM", True)
    assert ending.source_notes == [] and str(ending.source_error) == "broken"
    quit_ = Ending()
    quit_.quit()
    assert (quit_.ended, quit_.stop_requested, quit_.interrupted) == (ENDED_BY_USER, True, False)


def test_a_broken_source_keeps_its_first_error():
    ending = Ending()
    first, second = SourceError("first"), SourceError("second")
    ending.source_broke(first)
    ending.source_broke(second)
    assert ending.source_error is first and ending.ended == ENDED_BY_ERROR and ending.interrupted

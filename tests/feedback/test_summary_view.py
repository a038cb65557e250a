"""The end-of-session summary (`fitness run`): ranges that read well with negative values, no "-0", and no
terminal control codes from names."""

from __future__ import annotations

import io

from rich.console import Console

from fitness.exercise.events import RepEvent
from fitness.feedback.summary_view import SummaryView
from fitness.session.summary import WorkoutSummary


def render(renderable) -> str:
    console = Console(file=io.StringIO(), width=120, color_system=None, legacy_windows=False)
    console.print(renderable)
    return console.file.getvalue()


def curls(*reps: RepEvent, **fields) -> WorkoutSummary:
    return WorkoutSummary(
        exercise="bicep_curls", source="video:curls.mp4", model="m", started_at="2024-05-01T07:30:00+00:00",
        duration_s=12.0, frames=360, fps=30.0, reps=sum(r.counted for r in reps),
        no_reps=sum(not r.counted for r in reps), rep_details=reps, **fields,
    )


def test_a_curl_range_below_and_above_zero_reads_as_from_to():
    # curl_pct: the wrist's height above the elbow in % of the upper arm (-85 hanging, +50 at the top).
    rep = RepEvent(1, 0.0, 2.0, True, rom=(-70.2, 83.4), score=90.0, signal="curl_pct")
    screen = render(SummaryView(curls(rep)))
    assert "-70% to 83%" in screen and "-70%–83%" not in screen


def test_values_that_round_to_zero_print_without_a_minus():
    rep = RepEvent(1, 0.0, 2.0, True, rom=(-0.3, 40.0), score=90.0, signal="curl_pct")
    screen = render(SummaryView(curls(rep)))
    assert "0% to 40%" in screen and "-0" not in screen


def test_names_from_files_cannot_drive_the_terminal():
    rep = RepEvent(1, 0.0, 2.0, False, score=0.0, reason="range\x1b[2J", issues=("range\x1b[2J",), signal="curl_pct")
    screen = render(SummaryView(curls(rep, title="Curls\x1b[31m", issues={"range\x1b[2J": 1})))
    assert "\x1b" not in screen
    assert "Curls" in screen and "range[2J" in screen

"""The terminal dashboard, plain progress lines and the end summary, rendered into fixed-width consoles."""

from __future__ import annotations

import io

import pytest
from rich.console import Console
from ui_fixtures import LAST_REP, NO_REP, make_snapshot, make_step

from fitness.exercise.events import FormIssue, RepEvent, Signals
from fitness.feedback.dashboard import Dashboard, LiveDashboard, PlainProgress, big_number, format_tempo
from fitness.feedback.summary_view import SummaryView
from fitness.session.summary import SetSummary, WorkoutSummary


def render(renderable, width: int = 100) -> str:
    """What `renderable` shows in a 100-column console without colours."""
    console = Console(file=io.StringIO(), width=width, color_system=None, legacy_windows=False)
    console.print(renderable)
    return console.file.getvalue()


def test_big_number_draws_each_digit_in_three_rows():
    assert big_number(18).plain.splitlines() == ["      _ ", "  |  |_|", "  |  |_|"]


def test_dashboard_shows_what_the_athlete_needs():
    board = Dashboard()
    board.update(make_snapshot(last_rep=NO_REP))
    board.update(make_snapshot())
    screen = render(board)
    assert "Bodyweight squat" in screen
    assert " _|" in screen  # the big "3"
    assert "no-reps 1" in screen
    assert "at the bottom" in screen
    assert "knee" in screen and "98°" in screen and "knee_deg" not in screen
    assert "━" in screen and "80% of full range" in screen  # the range-of-motion bar and its fill, labelled
    assert "Keep your chest up" in screen
    assert "#4 counted · score 85 · tempo 1.1/0.3/0.8 s" in screen
    assert "depth ×1" in screen
    assert "29.7 fps · decode 1.2 · pose 21.5 · smooth 0.2 · engine 0.4 · draw 2.1 ms" in screen


def test_a_no_rep_reason_is_counted_once_however_many_frames_show_it():
    board = Dashboard()
    for _ in range(5):
        board.update(make_snapshot(last_rep=NO_REP))
    assert board.no_rep_reasons == {"depth": 1}


def test_setup_guidance_before_the_first_rep_and_nobody_in_view():
    fresh = make_step(reps=0, no_reps=0, phase=None, guidance="Turn sideways to the camera", active=())
    screen = render(Dashboard(make_snapshot(step=fresh, last_rep=None)))
    assert "Setup: Turn sideways to the camera" in screen
    nobody = make_step(reps=0, no_reps=0, phase=None, active=())
    screen = render(Dashboard(make_snapshot(step=nobody, last_rep=None, pose=None)))
    assert "Nobody in view" in screen


def test_notice_is_shown():
    screen = render(Dashboard(make_snapshot(notice="Two people in view: following the largest")))
    assert "Two people in view" in screen


def test_dashboard_before_any_snapshot():
    assert "Starting" in render(Dashboard())


def test_dashboard_shows_readable_metrics_and_hides_internal_ones():
    values = {"hip_px": 159.62, "hip_height_pct": 78.4, "knee_deg": 92.3, "left:knee_deg": 95.0, "knee_gap": 12.25}
    step = make_step(signals=Signals(1.0, values, True))
    screen = render(Dashboard(make_snapshot(step=step, main_signal="hip_height_pct")))
    words = " ".join(screen.split())
    assert "hip height 78%" in words and "knee 92°" in words and "L knee 95°" in words
    for hidden in ("hip_px", "159", "knee_gap", "12.25", "_pct", "_deg"):
        assert hidden not in screen


@pytest.mark.parametrize(("phase", "words"), [("eccentric", "going down"), ("concentric", "coming up"),
                                              ("bottom", "at the bottom"), (None, "getting ready")])
def test_dashboard_names_the_phase_in_plain_words(phase, words):
    screen = render(Dashboard(make_snapshot(step=make_step(phase=phase))))
    assert f"phase {words}" in " ".join(screen.split())
    if phase:
        assert phase not in screen.replace(words, "")


def test_the_final_dashboard_does_not_say_nobody_is_in_view():
    out = io.StringIO()
    ui = LiveDashboard(Console(file=out, width=100))  # not a terminal: rich prints only the final state
    ui.start()
    ui.update(make_snapshot(step=make_step(reps=5, active=()), pose=None, last_rep=None))
    assert "Nobody in view" in render(ui.dashboard)  # while the session runs
    ui.stop()
    final = out.getvalue()
    assert "Session ended" in final and "Nobody in view" not in final
    assert big_number(5).plain.splitlines()[1] in final


def test_live_dashboard_draws_into_its_console():
    out = io.StringIO()
    ui = LiveDashboard(Console(file=out, width=100, force_terminal=True), refresh_per_second=4)
    ui.start()
    ui.update(make_snapshot())
    ui.stop()  # stop() renders the final state
    assert "Bodyweight squat" in out.getvalue() and "Session ended" in out.getvalue()


def test_plain_progress_prints_events_once_without_escape_codes():
    out = io.StringIO()
    ui = PlainProgress(out, every_s=10.0)
    ui.start()
    first = make_step(t=0.0, reps=0, no_reps=0, phase=None, active=(), guidance="Step back")
    ui.update(make_snapshot(step=first, last_rep=None))
    for t in (7.2, 7.3, 7.4):
        ui.update(
            make_snapshot(
                step=make_step(t=t, reps=4, active=(FormIssue("chest_up", "Keep your chest up", "warning", t),))
            )
        )
    ui.update(
        make_snapshot(step=make_step(t=12.0, reps=4), last_rep=NO_REP.__class__(**{**NO_REP.__dict__, "index": 5}))
    )
    ui.stop()
    lines = out.getvalue().splitlines()
    assert lines == [
        "[    0.0s] reps 0, no-reps 0, getting ready, 29.7 fps (setup: Step back)",
        "[    7.2s] rep 4: score 85, tempo 1.1/0.3/0.8 s",
        "[    7.2s] cue: Keep your chest up",
        "[   12.0s] no-rep (depth)",
        "[   12.0s] reps 4, no-reps 1, at the bottom, 29.7 fps",
    ]
    assert "\x1b" not in out.getvalue()


def test_tempo_falls_back_to_duration():
    assert format_tempo(RepEvent(1, 2.0, 3.5, True)) == "1.5 s"


def test_summary_view_lists_reps_reasons_and_top_issues():
    summary = WorkoutSummary(
        exercise="squats", title="Bodyweight squat", source="video:squats.mp4", model="movenet-lightning/litert",
        started_at="2026-11-25T04:00:00Z", duration_s=30.0, frames=900, fps=30.0, reps=1, no_reps=1,
        rep_details=(NO_REP, LAST_REP), issues={"chest_up": 3, "depth": 1},
        sets=(SetSummary(1, 0.0, 30.0, 1, 1),), interrupted=True,
    )
    screen = render(SummaryView(summary))
    assert "Reps: 1" in screen
    assert "No-reps: 1 (depth ×1)" in screen
    assert "(ended early)" in screen
    assert "✗ depth" in screen and "✓" in screen
    assert "95° to 172°" in screen and "1.1/0.3/0.8 s" in screen
    issues = screen[screen.index("Top issues"):]
    assert issues.index("chest_up") < issues.index("depth")


def test_summary_view_of_an_empty_session():
    summary = WorkoutSummary(exercise="squats", source="camera:0", model="m", started_at="", duration_s=3.0,
                             frames=90, fps=30.0, reps=0, no_reps=0)
    screen = render(SummaryView(summary))
    assert "Reps: 0" in screen and "Top issues" not in screen


def test_plain_progress_restarts_its_status_clock_on_a_second_pass():
    out = io.StringIO()
    ui = PlainProgress(out, every_s=10.0)
    for t in (0.0, 5.0, 30.0, 0.0):
        ui.update(make_snapshot(step=make_step(t=t, active=()), last_rep=None))
    assert [line[:10] for line in out.getvalue().splitlines()] == ["[    0.0s]", "[   30.0s]", "[    0.0s]"]


def test_choose_ui_follows_the_terminal():
    from fitness.commands.run import choose_ui

    class Tty(io.StringIO):
        def isatty(self):
            return True

    assert isinstance(choose_ui(Tty()), LiveDashboard)
    assert isinstance(choose_ui(io.StringIO()), PlainProgress)


def test_names_from_files_are_shown_as_they_are_not_read_as_markup():
    rep = NO_REP.__class__(**{**NO_REP.__dict__, "reason": "[bold]deep[/x]", "issues": ("[/y]",)})
    summary = WorkoutSummary(exercise="squats", title="[/z] Squat", source="video:a.mp4", model="m", started_at="",
                             duration_s=3.0, frames=90, fps=30.0, reps=0, no_reps=1, rep_details=(rep,),
                             issues={"[/y]": 1})
    screen = render(SummaryView(summary), width=140)
    assert "✗ [bold]deep[/x]" in screen and screen.count("[/y]") == 2 and "[/z] Squat" in screen
    snap = make_snapshot()
    shown = render(Dashboard(make_snapshot(title="[/z] Squat", step=snap.step)), width=140)
    assert "fitness · [/z] Squat" in shown


@pytest.mark.parametrize(("limbs", "words"), [("alternating", "alternating"), ("left", "left only"),
                                              ("together", "both together")])
def test_dashboard_says_how_paired_limbs_work(limbs, words):
    step = make_step(reps_by_side={"left": 3, "right": 2}, limbs=limbs)
    screen = " ".join(render(Dashboard(make_snapshot(step=step))).split())
    assert f"limbs {words}" in screen and "sides left 3 right 2" in screen


def test_dashboard_says_nothing_of_limbs_for_exercises_that_do_not_pair_them():
    assert "limbs" not in render(Dashboard(make_snapshot(step=make_step())))


def test_several_people_get_a_row_each_left_to_right():
    from fitness.feedback.snapshot import PersonView

    views = (PersonView(2, "Ann", 3, 1, phase="bottom"), PersonView(1, "#1", 5))
    board = Dashboard(make_snapshot(people=views))
    rows = [line.split() for line in render(board).splitlines() if "Ann" in line or "#1" in line]
    assert [row[1:4] for row in rows] == [["Ann", "3", "1"], ["#1", "5", "0"]]

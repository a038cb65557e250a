"""Progress of the pose pass over a recording: the numbers, the terminal bar and the plain lines for pipes."""

from __future__ import annotations

import io

from hypothesis import given
from hypothesis import strategies as st
from rich.console import Console

from fitness.exercise.events import MachineStep, Signals
from fitness.feedback.dashboard import Dashboard, PlainProgress
from fitness.feedback.pass_progress import MIN_FRAMES_FOR_ETA, PassProgress, format_clock
from fitness.feedback.snapshot import Snapshot


def render(renderable, width: int = 100) -> str:
    console = Console(file=io.StringIO(), width=width, color_system=None, legacy_windows=False)
    console.print(renderable)
    return console.file.getvalue()


def pass_snapshot(progress: PassProgress, t: float) -> Snapshot:
    step = MachineStep(t=t, signals=Signals(t, {}, True), phase=None, reps=0, no_reps=0, guidance=progress.describe())
    return Snapshot(exercise="squats", title="Bodyweight squat", step=step, fps=120.0, pass_progress=progress)


@given(
    total=st.integers(MIN_FRAMES_FOR_ETA, 100_000),
    done_share=st.floats(0.0, 1.0),
    frame_s=st.floats(1e-4, 1.0),
)
def test_at_a_steady_speed_the_time_left_is_the_frames_left_at_that_speed(total, done_share, frame_s):
    done = max(MIN_FRAMES_FOR_ETA, int(done_share * total))
    progress = PassProgress(done, total, elapsed_s=done * frame_s)
    assert abs(progress.remaining_s - (total - done) * frame_s) <= 1e-6 * max(1.0, total * frame_s)
    assert 0.0 <= progress.fraction <= 1.0


def test_no_time_left_is_guessed_without_a_total_or_from_the_first_frames():
    assert PassProgress(500, None, 5.0).remaining_s is None
    assert PassProgress(MIN_FRAMES_FOR_ETA - 1, 600, 1.0).remaining_s is None
    assert PassProgress(700, 600, 7.0).fraction == 1.0  # a container that under-counts does not pass 100%


def test_clock_format():
    assert [format_clock(s) for s in (0.0, 0.2, 4.0, 65.0, 3725.0)] == ["0:00", "0:01", "0:04", "1:05", "1:02:05"]


def test_the_terminal_shows_a_bar_with_frames_percent_and_time_left():
    screen = render(Dashboard(pass_snapshot(PassProgress(100, 300, elapsed_s=2.0), t=3.3)))
    assert "Finding poses in the recording; counting follows" in screen
    assert "━" in screen
    assert "100 of 300 frames (33%), about 0:04 left" in screen
    assert "reps" not in screen  # no counter yet: counting follows the pass


def test_without_a_frame_count_the_terminal_counts_frames_up():
    screen = render(Dashboard(pass_snapshot(PassProgress(100, None, elapsed_s=2.0), t=3.3)))
    assert "frame 100" in screen and "left" not in screen


def test_piped_output_gets_a_line_per_tenth_not_per_frame():
    out = io.StringIO()
    ui = PlainProgress(out, every_s=10.0)
    total = 1000
    for done in range(1, total + 1):
        ui.update(pass_snapshot(PassProgress(done, total, elapsed_s=done * 0.01), t=done / 30))
    lines = out.getvalue().splitlines()
    assert len(lines) == 11
    assert lines[0].endswith("Finding poses in the recording (1000 frames); counting follows")
    assert lines[1].endswith("Finding poses in the recording: 100 of 1000 frames (10%), about 0:09 left")
    assert lines[-1].endswith("1000 of 1000 frames (100%), about 0:00 left")


def test_piped_output_without_a_frame_count_prints_every_few_seconds_of_video():
    out = io.StringIO()
    ui = PlainProgress(out, every_s=10.0)
    for done in range(1, 901):  # 30 s at 30 fps
        ui.update(pass_snapshot(PassProgress(done, None, elapsed_s=done * 0.01), t=(done - 1) / 30))
    lines = out.getvalue().splitlines()
    assert [line.split("] ")[1] for line in lines] == [
        "Finding poses in the recording; counting follows",
        "Finding poses in the recording: frame 301",
        "Finding poses in the recording: frame 601",
    ]

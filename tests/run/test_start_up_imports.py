"""Start-up (#20): `fitness run EXERCISE --video X --no-history` loads what a single exercise's run on a video file
needs, and not the parts of the other kinds of session."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

SAMPLE = Path(__file__).resolve().parents[2] / "sample_videos" / "squats_side.mp4"

# Loaded by the sessions that need them: the history (sqlite3), plans, workouts whose exercises are recognised,
# --people, drawing (a window, a saved video, the live view), cameras and image folders, model downloads.
LATER = (
    "sqlite3",
    "fitness.session.store",
    "fitness.plan",
    "fitness.workout.engine",
    "fitness.workout.classifier",
    "fitness.run.people",
    "fitness.feedback.overlay",
    "fitness.feedback.canvas",
    "fitness.feedback.thumbnail",
    "fitness.capture.camera",
    "fitness.capture.images",
    "fitness.capture.replay",
    "socket",
)


def test_a_single_exercise_run_on_a_video_without_history_loads_none_of_the_other_sessions_parts():
    code = (
        "import sys\n"
        "import fitness.cli, fitness.commands.run\n"
        "from fitness.pipeline import SessionConfig, load_definition\n"
        "from fitness.run.config import check_session_outputs\n"
        "from fitness.run.stages import frame_smoother, make_machine, open_source\n"
        f"config = SessionConfig(exercise='squats', source='video', path={str(SAMPLE)!r}, window=False,\n"
        "                       no_history=True)\n"
        "check_session_outputs(config)\n"
        "definition = load_definition(config)\n"
        "make_machine(config, definition), frame_smoother(config, definition)\n"
        "with open_source(config) as source:\n"
        "    next(iter(source))\n"
        f"later = {LATER!r}\n"
        "print(sorted(m for m in sys.modules if m in later or m.startswith(tuple(f'{p}.' for p in later))))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"

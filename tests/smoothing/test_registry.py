"""The smoothing modes by name: one registry that the command line reads without loading the filters."""

from __future__ import annotations

import subprocess
import sys

import pytest

from fitness.errors import UsageError
from fitness.smoothing import ALIASES, LIVE_MODES, OFFLINE, SMOOTHING_MODES, OneEuroSmoother, create_smoother


def test_the_command_line_reads_the_mode_names_without_numpy_or_scipy():
    code = "import sys, fitness.cli; print(sorted(m for m in ('numpy', 'scipy', 'cv2') if m in sys.modules))"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"


def test_live_is_another_name_for_one_euro_with_the_same_parameters():
    assert ALIASES == {"live": "oneeuro"}
    live, oneeuro = create_smoother("live", beta=2.5, hold_s=0.4), create_smoother("oneeuro", beta=2.5, hold_s=0.4)
    assert type(live) is type(oneeuro) is OneEuroSmoother
    assert (live.filter.beta, live.hold_s) == (oneeuro.filter.beta, oneeuro.hold_s) == (2.5, 0.4)


def test_every_live_mode_is_made_and_offline_is_not():
    assert set(LIVE_MODES) == set(SMOOTHING_MODES) - {OFFLINE}
    for mode in LIVE_MODES:
        smoother = create_smoother(mode)
        smoother.reset()
    with pytest.raises(UsageError, match="smooth_offline"):
        create_smoother(OFFLINE)



def test_a_plain_video_run_imports_no_voice_web_scipy_or_tensorflow():
    """What `fitness run --video` loads before its first frame: none of the optional parts."""
    optional = ("fitness.voice.", "fitness.web", "scipy", "tensorflow", "matplotlib")
    code = (f"import sys, fitness.commands.run, fitness.pipeline; "
            f"print(sorted(m for m in sys.modules if m.startswith({optional!r})))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "['fitness.voice.settings']"  # the defaults --help shows; nothing that speaks

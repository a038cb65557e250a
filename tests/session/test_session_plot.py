"""`fitness summary --plot`: a PNG of fixed size that matches a golden image within a stated tolerance.

Regenerate the golden image after an intended change of the chart (and look at it before committing):
    FITNESS_REGEN_GOLDEN=1 python -m pytest tests/session/test_session_plot.py
"""

from __future__ import annotations

import os
import struct
import time
from dataclasses import replace
from pathlib import Path

import matplotlib.image as mpimg
import numpy as np
import pytest
from session_factories import sample_summary

from fitness.errors import HistoryError
from fitness.session.plot import FIGURE_SIZE_PX, plot_summary, render_figure
from fitness.session.summary import WorkoutSummary

GOLDEN = Path(__file__).parent / "golden" / "summary_plot.png"
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
# The comparison averages 25x25-pixel blocks first (the 800x500 chart becomes 32x20), so glyph-level
# differences (font hinting, anti-aliasing, freetype versions) wash out while the data (curve, shaded reps,
# markers, bars) still counts. Measured on this chart: text without hinting and anti-aliasing differs by
# 0.19 levels, another font family by 0.10 (serif) to 0.38 (monospace); one rep's score 72 -> 95 without
# its issue marker differs by 0.82 levels.
BLOCK_PX = 25
TOLERANCE_LEVELS = 0.5  # mean absolute difference, in 8-bit levels (0-255) of RGB


@pytest.fixture(autouse=True)
def timezone(monkeypatch):
    """The title shows local time: pin it (UTC, unless a test sets another zone with set_zone)."""

    def set_zone(tz: str) -> None:
        monkeypatch.setenv("TZ", tz)
        time.tzset()

    set_zone("UTC")
    yield set_zone
    monkeypatch.undo()
    time.tzset()


def png_size(path: Path) -> tuple[int, int]:
    data = path.read_bytes()
    assert data[:8] == PNG_SIGNATURE, "not a PNG file"
    assert data[12:16] == b"IHDR"
    return struct.unpack(">II", data[16:24])


def block_difference(a: Path, b: Path) -> float:
    def blocks(img: np.ndarray) -> np.ndarray:
        h, w = img.shape[0] // BLOCK_PX * BLOCK_PX, img.shape[1] // BLOCK_PX * BLOCK_PX
        return img[:h, :w, :3].reshape(h // BLOCK_PX, BLOCK_PX, w // BLOCK_PX, BLOCK_PX, 3).mean(axis=(1, 3))

    return float(np.abs(blocks(mpimg.imread(a)) - blocks(mpimg.imread(b))).mean() * 255)


def test_plot_is_a_png_of_the_fixed_size(tmp_path):
    out = plot_summary(sample_summary(), tmp_path / "plot.png")
    assert out.exists()
    assert png_size(out) == FIGURE_SIZE_PX == (800, 500)
    assert mpimg.imread(out).shape[:2] == (500, 800)


def test_plot_matches_the_golden_image(tmp_path):
    out = plot_summary(sample_summary(), tmp_path / "plot.png")
    if os.environ.get("FITNESS_REGEN_GOLDEN") == "1":
        GOLDEN.parent.mkdir(exist_ok=True)
        GOLDEN.write_bytes(out.read_bytes())
        pytest.skip(f"regenerated {GOLDEN}")
    assert block_difference(out, GOLDEN) < TOLERANCE_LEVELS


def test_the_golden_comparison_notices_a_changed_rep(tmp_path):
    summary = sample_summary()
    reps = list(summary.rep_details)
    reps[1] = replace(reps[1], score=95.0, issues=())
    out = plot_summary(replace(summary, rep_details=tuple(reps)), tmp_path / "changed.png")
    assert block_difference(out, GOLDEN) > TOLERANCE_LEVELS


def test_a_session_without_reps_or_trace_still_plots(tmp_path):
    empty = WorkoutSummary("plank", "camera:0", "m", "2024-01-01T00:00:00+00:00", 30.0, 900, 30.0, 0, 0, hold_s=25.0)
    assert png_size(plot_summary(empty, tmp_path / "empty.png")) == FIGURE_SIZE_PX


def test_many_reps_plot_at_the_same_size(tmp_path):
    summary = sample_summary()
    many = tuple(replace(summary.rep_details[0], index=i, start_t=3.0 * i, end_t=3.0 * i + 3) for i in range(1, 121))
    assert png_size(plot_summary(replace(summary, rep_details=many), tmp_path / "many.png")) == FIGURE_SIZE_PX


def test_unwritable_output_is_a_history_error(tmp_path):
    with pytest.raises(HistoryError, match="cannot write .*No such file or directory"):
        plot_summary(sample_summary(), tmp_path / "no" / "such" / "dir" / "plot.png")


def test_the_title_is_the_exercise_and_the_local_date(timezone):
    timezone("CET-1CEST,M3.5.0,M10.5.0/3")  # Central European (summer) time, without needing tzdata
    fig = render_figure(sample_summary("2024-05-01T07:30:00+00:00"))
    assert fig._suptitle.get_text() == "Bodyweight squat (squats) · Wed 1 May 2024, 09:30 · 6 reps, 1 no-rep"


@pytest.mark.parametrize("signal, label", [("knee_deg", "knee angle (°)"), ("hip_height_pct", "hip height (%)")])
def test_the_signal_axis_is_labelled_in_words_and_units(signal, label):
    summary = sample_summary()
    fig = render_figure(replace(summary, trace={**summary.trace, "signal": signal}))
    top, bottom = fig.axes
    assert (top.get_ylabel(), top.get_xlabel(), bottom.get_ylabel()) == (label, "time (s)", "form score")


def markers(ax, marker: str) -> list[float]:
    """x positions of the single-point marker lines drawn with `marker`."""
    return [float(line.get_xdata()[0]) for line in ax.get_lines() if line.get_marker() == marker]


def test_a_no_rep_has_one_marker_and_shows_in_the_score_panel():
    summary = sample_summary()
    # As the engine reports it: a no-rep scores 0 and lists its reason among its issues.
    reps = tuple(replace(r, score=0.0, issues=("depth",)) if not r.counted else r for r in summary.rep_details)
    no_rep = next(r for r in reps if not r.counted)
    top, bottom = render_figure(replace(summary, rep_details=reps)).axes
    mid_t = (no_rep.start_t + no_rep.end_t) / 2
    assert markers(top, "x") == [mid_t]
    assert mid_t not in markers(top, "^")  # one marker, not x and ^
    assert markers(top, "^") == [(r.start_t + r.end_t) / 2 for r in reps if r.counted and r.issues]
    assert markers(bottom, "x") == [no_rep.index]  # the zero score is not an empty gap
    [x_line] = [line for line in bottom.get_lines() if line.get_marker() == "x"]
    assert 0 < x_line.get_ydata()[0] <= bottom.get_ylim()[1]


def test_a_plot_that_fails_half_way_leaves_the_old_file_whole(tmp_path, monkeypatch):
    from matplotlib.figure import Figure

    out = plot_summary(sample_summary(), tmp_path / "plot.png")
    before = out.read_bytes()

    def half_then_fail(self, fname, **kwargs):
        data = b"\x89PNG\r\n\x1a\n" + b"\0" * 100
        if hasattr(fname, "write"):
            fname.write(data)
        else:
            Path(fname).write_bytes(data)
        raise RuntimeError("renderer died")

    monkeypatch.setattr(Figure, "savefig", half_then_fail)
    with pytest.raises(RuntimeError):
        plot_summary(sample_summary(), out)
    assert out.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["plot.png"]

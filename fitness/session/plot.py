"""`fitness summary --plot`: the rep signal over time (reps shaded, no-reps and issues marked) and per-rep scores.

Drawn with matplotlib's Agg canvas directly (no pyplot state, no display needed). The figure size and dpi
are fixed, so the PNG is always FIGURE_SIZE_PX pixels. A no-rep is marked with one x in both panels (its
score is usually 0, which as a bar alone would be invisible); a counted rep with form issues gets a ^.
"""

from __future__ import annotations

import io
import math
from pathlib import Path

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.patches import Patch

from fitness.session.outputs import write_atomic
from fitness.session.summary import WorkoutSummary, local_time
from fitness.text import printable
from fitness.units import metric_label

FIGURE_SIZE_IN = (8.0, 5.0)
DPI = 100
FIGURE_SIZE_PX = (int(FIGURE_SIZE_IN[0] * DPI), int(FIGURE_SIZE_IN[1] * DPI))  # (width, height)
COUNTED_COLOR = "#2e7d32"
NO_REP_COLOR = "#c62828"
ISSUE_COLOR = "#ef6c00"
SIGNAL_COLOR = "#1565c0"
NO_REP_MARKER = "x"
ISSUE_MARKER = "^"
NO_REP_MARKER_SCORE = 8.0  # the x sits this far above a no-rep's score bar (scores are 0-100)


def plot_title(summary: WorkoutSummary) -> str:
    """"Bodyweight squat (squats) · Wed 1 May 2024, 07:30 · 6 reps, 1 no-rep" (local time)."""
    name = printable(summary.exercise)
    title = printable(summary.title)
    head = f"{title} ({name})" if title and title != name else name
    stamp = local_time(summary.started_at)
    when = f"{stamp:%a} {stamp.day} {stamp:%b %Y, %H:%M}" if stamp is not None else printable(summary.started_at)
    counts = f"{summary.reps} rep{'s' * (summary.reps != 1)}, {summary.no_reps} no-rep{'s' * (summary.no_reps != 1)}"
    return " · ".join(part for part in (head, when, counts) if part)


def render_figure(summary: WorkoutSummary) -> Figure:
    """The summary chart as a matplotlib Figure (not yet saved)."""
    fig = Figure(figsize=FIGURE_SIZE_IN, dpi=DPI)
    FigureCanvasAgg(fig)
    top, bottom = fig.subplots(2, 1, gridspec_kw={"height_ratios": [2, 1]})
    fig.suptitle(plot_title(summary), fontsize=10, x=0.08, ha="left")
    _draw_signal(top, summary)
    _draw_scores(bottom, summary)
    fig.subplots_adjust(left=0.08, right=0.98, top=0.88, bottom=0.1, hspace=0.45)
    return fig


def _draw_signal(ax, summary: WorkoutSummary) -> None:
    trace = summary.trace or {}
    t, values = trace.get("t", []), trace.get("value", [])
    if t:
        ax.plot(t, [math.nan if v is None else v for v in values], color=SIGNAL_COLOR, linewidth=1.2)
        ax.set_ylabel(metric_label(printable(str(trace.get("signal", "")))), fontsize=8)
    else:
        ax.text(0.5, 0.5, "no signal trace recorded", transform=ax.transAxes, ha="center", va="center", fontsize=9)
    marker_axis = ax.get_xaxis_transform()  # x in seconds, y in axis fractions (markers sit above the curve)
    for position, rep in enumerate(summary.rep_details):
        color = COUNTED_COLOR if rep.counted else NO_REP_COLOR
        # Alternating shade and a thin line at each start keep back-to-back reps apart.
        ax.axvspan(rep.start_t, rep.end_t, color=color, alpha=0.12 if position % 2 else 0.22, linewidth=0)
        ax.axvline(rep.start_t, color="#555555", linewidth=0.5, alpha=0.6)
        mid_t = (rep.start_t + rep.end_t) / 2
        # A no-rep's issues start with its reason: the x says it all.
        if not rep.counted:
            ax.plot([mid_t], [0.93], marker=NO_REP_MARKER, color=NO_REP_COLOR, markersize=8, transform=marker_axis)
        elif rep.issues:
            ax.plot([mid_t], [0.82], marker=ISSUE_MARKER, color=ISSUE_COLOR, markersize=7, transform=marker_axis)
    ends = [rep.end_t for rep in summary.rep_details] + list(t[-1:])
    starts = [rep.start_t for rep in summary.rep_details] + list(t[:1])
    if starts:
        ax.set_xlim(min(starts), max(ends) if max(ends) > min(starts) else min(starts) + 1.0)
    ax.set_xlabel("time (s)", fontsize=8)
    ax.tick_params(labelsize=7)
    ax.legend(
        handles=[
            Patch(color=COUNTED_COLOR, alpha=0.3, label="rep"),
            Patch(color=NO_REP_COLOR, alpha=0.3, label="no-rep (x)"),
            Patch(color=ISSUE_COLOR, label="form issue (^)"),
        ],
        loc="lower right",
        bbox_to_anchor=(1.0, 1.0),  # above the axes, so it never hides data
        ncol=3,
        fontsize=7,
        frameon=False,
    )


def _draw_scores(ax, summary: WorkoutSummary) -> None:
    reps = summary.rep_details
    scores = [0.0 if math.isnan(r.score) else r.score for r in reps]
    colors = [COUNTED_COLOR if r.counted else NO_REP_COLOR for r in reps]
    ax.bar([r.index for r in reps], scores, color=colors, width=0.7)
    for r, score in zip(reps, scores):
        if not r.counted:
            y = min(score, 100.0 - NO_REP_MARKER_SCORE) + NO_REP_MARKER_SCORE
            ax.plot([r.index], [y], marker=NO_REP_MARKER, color=NO_REP_COLOR, markersize=8)
    ax.set_ylim(0, 100)
    ax.set_ylabel("form score", fontsize=8)
    ax.set_xlabel("rep", fontsize=8)
    if reps:
        if len(reps) <= 40:  # beyond that the labels overlap; matplotlib's own ticks are better
            ax.set_xticks([r.index for r in reps])
        ax.set_xlim(min(r.index for r in reps) - 0.6, max(r.index for r in reps) + 0.6)
    ax.tick_params(labelsize=7)


def plot_summary(summary: WorkoutSummary, out: str | Path) -> Path:
    """Write the chart as a PNG of exactly FIGURE_SIZE_PX pixels (atomically); returns the path."""
    fig = render_figure(summary)
    png = io.BytesIO()
    # No bbox_inches="tight": it would change the pixel size with the content. No metadata: stable bytes.
    fig.savefig(png, format="png", dpi=DPI, metadata={"Software": None})
    return write_atomic(png.getvalue(), out)

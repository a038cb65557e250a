"""Readable names for metrics and phases, shared by the overlay and the dashboard."""

from __future__ import annotations

import pytest

from fitness.feedback.wording import metric_label, metric_text, phase_words


@pytest.mark.parametrize(
    ("name", "label"),
    [
        ("knee_deg", "knee"),
        ("hip_height_pct", "hip height"),
        ("left_elbow_deg", "L elbow"),
        ("right_knee_deg", "R knee"),
        ("left:knee_deg", "L knee"),  # a per-side track's copy of a metric
        ("other_knee_deg", "other knee"),
        ("hold_s", "hold"),
        ("hip_px", None),  # raw pixels
        ("knees_up_t", None),  # torso lengths: internal
        ("feet_ratio", None),
        ("knee_gap", None),
        ("_deg", None),
    ],
)
def test_metric_labels(name, label):
    assert metric_label(name) == label


def test_metric_text_joins_label_and_value_with_its_unit():
    assert metric_text("knee_deg", 91.6) == "knee 92°"
    assert metric_text("hip_height_pct", 78.4) == "hip height 78%"
    assert metric_text("hip_px", 159.62) is None


@pytest.mark.parametrize(
    ("phase", "words"),
    [("eccentric", "going down"), ("concentric", "coming up"), ("bottom", "at the bottom"), ("top", "at the top"),
     ("rack_pos", "at the shoulders"), ("opening", "opening"), ("my_state", "my state"), (None, "getting ready")],
)
def test_phase_words(phase, words):
    assert phase_words(phase) == words

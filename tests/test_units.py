"""fitness.units: readable metric labels and numbers that never print as "-0"."""

from __future__ import annotations

import math
import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from fitness.units import fixed, format_range, format_value, metric_label, signed, unit

NEGATIVE_ZERO = re.compile(r"^-0(\.0*)?\D*$")


@pytest.mark.parametrize(
    "name, label",
    [
        ("hip_height_pct", "hip height (%)"),
        ("knee_deg", "knee angle (°)"),
        ("hip_px", "hip (px)"),
        ("press_t", "press (torso lengths)"),
        ("wrist_gap_torso", "wrist gap (torso lengths)"),
        ("hold_s", "hold (s)"),
        ("feet_ratio", "feet ratio"),
        ("end_on", "end on"),
        ("", ""),
    ],
)
def test_metric_labels_read_as_words_with_units(name, label):
    assert metric_label(name) == label


def test_units_come_from_the_suffix_only():
    assert [unit(n) for n in ("curl_pct", "pct", "elbow_deg", "ratio")] == ["%", "", "°", ""]


@given(x=st.floats(-1.0, 1.0), digits=st.integers(0, 3), name=st.sampled_from(["a_pct", "a_deg", "a_s", "a_t", "a"]))
def test_nothing_prints_as_negative_zero(x, digits, name):
    for text in (fixed(x, digits), signed(x, digits), format_value(name, x)):
        assert not NEGATIVE_ZERO.match(text), text


@given(x=st.floats(-1e6, 1e6))
def test_fixed_is_the_rounded_value(x):
    assert float(fixed(x, 1)) == pytest.approx(x, abs=0.05 + 1e-9)


def test_values_and_ranges_with_units():
    assert format_value("curl_pct", -0.4) == "0%"
    assert format_value("knee_deg", 98.4) == "98°"
    assert format_value("hold_s", 1.25) == "1.2 s"
    assert format_value("knee_deg", math.nan) == "—"
    assert format_range("curl_pct", -70.2, 83.4) == "-70% to 83%"
    assert format_range("curl_pct", math.nan, math.nan, missing="-") == "-"
    assert signed(1.0) == "+1.0" and signed(-0.04) == "0.0" and signed(-2.0, 0) == "-2"

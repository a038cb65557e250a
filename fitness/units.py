"""Metric names and numbers as people read them: `hip_height_pct` -> "hip height (%)", 83.2 -> "83%".

A metric's unit is the suffix of its name (the naming rule of exercise files): _pct %, _deg °, _px px,
_s seconds, _t / _torso torso lengths. Numbers never print as "-0".
"""

from __future__ import annotations

import math

# suffix -> (unit as written after a number, unit in a label, digits)
_UNITS: dict[str, tuple[str, str, int]] = {
    "pct": ("%", "%", 0),
    "deg": ("°", "°", 0),
    "px": (" px", "px", 0),
    "s": (" s", "s", 1),
    "t": ("", "torso lengths", 2),
    "torso": ("", "torso lengths", 2),
}
_PLAIN = ("", "", 2)
MISSING = "—"


def _split(name: str) -> tuple[str, tuple[str, str, int]]:
    stem, _, suffix = name.rpartition("_")
    if stem and suffix in _UNITS:
        return stem, _UNITS[suffix]
    return name, _PLAIN


def unit(name: str) -> str:
    """The unit of a metric for labels ("%", "°", "torso lengths"; "" when the name has no unit suffix)."""
    return _split(name)[1][1]


def metric_label(name: str) -> str:
    """A readable axis or column label: hip_height_pct -> "hip height (%)", knee_deg -> "knee angle (°)"."""
    stem, (_, label_unit, _) = _split(name)
    words = stem.replace("_", " ").strip()
    if label_unit == "°" and not words.endswith("angle"):
        words += " angle"
    return f"{words} ({label_unit})" if label_unit else words


def fixed(x: float | None, digits: int = 1, missing: str = MISSING) -> str:
    """`x` with `digits` decimals; never "-0" (a value that rounds to zero prints as 0)."""
    if x is None or not math.isfinite(x):
        return missing
    text = f"{x:.{digits}f}"
    return f"{0.0:.{digits}f}" if float(text) == 0 else text


def signed(x: float | None, digits: int = 1, missing: str = MISSING) -> str:
    """A change: "+1.5", "-2.0", and "0.0" (no sign) for what rounds to zero."""
    text = fixed(x, digits, missing)
    return text if text == missing or float(text) <= 0 else "+" + text


def format_value(name: str, value: float | None, missing: str = MISSING) -> str:
    """A value of metric `name` with its unit: knee_deg 98.4 -> "98°", hip_height_pct -0.3 -> "0%"."""
    after, _, digits = _split(name)[1]
    text = fixed(value, digits, missing)
    return text if text == missing else text + after


def format_range(name: str, low: float | None, high: float | None, missing: str = MISSING) -> str:
    """Lowest to highest value of a metric, readable with negative numbers: "-70% to 83%"."""
    lo, hi = format_value(name, low, missing), format_value(name, high, missing)
    return missing if lo == missing and hi == missing else f"{lo} to {hi}"

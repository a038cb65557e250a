"""Missing numbers in JSON and SQLite: neither has NaN, so a missing number (NaN) is written as null and read
back as NaN. The one home of that rule for summaries, history rows and exported files."""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any


def nan_to_null(x: float | None) -> float | None:
    """None for a missing number (None or NaN), else the number as a float."""
    return None if x is None or math.isnan(x) else float(x)


def null_to_nan(x: float | None) -> float:
    """The inverse of `nan_to_null`: None becomes NaN."""
    return math.nan if x is None else float(x)


def json_safe(value: Any) -> Any:
    """`value` with every float that JSON cannot hold (NaN, +-inf) replaced by None, inside mappings and
    sequences too (they come back as dicts and lists)."""
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, Mapping):
        return {k: json_safe(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [json_safe(v) for v in value]
    return value

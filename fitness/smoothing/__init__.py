"""Keypoint smoothing: One Euro and fixed-lag live filters (timestamp aware) with shared confidence
handling, zero-lag offline smoothing, a pass-through baseline; the modes by name in `registry`.

The names below the registry's are imported on first use (module `__getattr__`), so the command line can
read the mode names without loading numpy and scipy and `fitness --help` stays fast.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from fitness.lazy import lazy_members
from fitness.smoothing.registry import ALIASES, LIVE_MODES, OFFLINE, SMOOTHING_MODES, create_smoother

if TYPE_CHECKING:
    from fitness.smoothing.fixed_lag import FixedLagFilter
    from fitness.smoothing.offline import smooth_offline
    from fitness.smoothing.one_euro import OneEuroFilter
    from fitness.smoothing.smoother import (
        ConfidenceSmoother,
        FixedLagSmoother,
        OneEuroSmoother,
        PassThroughSmoother,
        Smoother,
    )

# name -> the module that defines it
_LAZY = {
    "ConfidenceSmoother": "smoother",
    "FixedLagFilter": "fixed_lag",
    "FixedLagSmoother": "smoother",
    "OneEuroFilter": "one_euro",
    "OneEuroSmoother": "smoother",
    "PassThroughSmoother": "smoother",
    "Smoother": "smoother",
    "smooth_offline": "offline",
}

__all__ = [
    "ALIASES",
    "LIVE_MODES",
    "OFFLINE",
    "SMOOTHING_MODES",
    "ConfidenceSmoother",
    "FixedLagFilter",
    "FixedLagSmoother",
    "OneEuroFilter",
    "OneEuroSmoother",
    "PassThroughSmoother",
    "Smoother",
    "create_smoother",
    "smooth_offline",
]


__getattr__ = lazy_members(__name__, _LAZY)

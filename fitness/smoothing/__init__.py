"""Keypoint smoothing: One Euro and fixed-lag live filters (timestamp aware) with shared confidence
handling, zero-lag offline smoothing, a pass-through baseline."""

from fitness.smoothing.fixed_lag import FixedLagFilter
from fitness.smoothing.offline import smooth_offline
from fitness.smoothing.one_euro import OneEuroFilter
from fitness.smoothing.smoother import (
    ConfidenceSmoother,
    FixedLagSmoother,
    OneEuroSmoother,
    PassThroughSmoother,
    Smoother,
    create_smoother,
)

__all__ = [
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

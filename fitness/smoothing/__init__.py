"""Keypoint smoothing: the One Euro filter (timestamp aware), confidence handling, a pass-through baseline."""

from fitness.smoothing.offline import smooth_offline
from fitness.smoothing.one_euro import OneEuroFilter
from fitness.smoothing.smoother import OneEuroSmoother, PassThroughSmoother, Smoother, create_smoother

__all__ = [
    "OneEuroFilter",
    "OneEuroSmoother",
    "PassThroughSmoother",
    "Smoother",
    "create_smoother",
    "smooth_offline",
]

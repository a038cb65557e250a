"""The smoothing modes by name: the one list that `fitness run --smoothing`, the session config and
`create_smoother` read.

A live mode names a factory of a per-frame `Smoother`; "live", the camera default, is another name for
"oneeuro"; "offline" has no per-frame smoother (`smooth_offline` takes the whole recording at once).
This module imports neither numpy nor scipy (each factory imports its filter when called), so the command
line can list the names and `fitness --help` stays fast.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from fitness.errors import UsageError

if TYPE_CHECKING:
    from fitness.smoothing.smoother import Smoother

OFFLINE = "offline"
_CONFIDENCE_PARAMS = "min_score, hold_s, min_pose_score"


def _one_euro(**params: float) -> Smoother:
    from fitness.smoothing.smoother import OneEuroSmoother

    return OneEuroSmoother(**params)


def _fixed_lag(**params: float) -> Smoother:
    from fitness.smoothing.smoother import FixedLagSmoother

    return FixedLagSmoother(**params)


def _pass_through(**params: float) -> Smoother:
    from fitness.smoothing.smoother import PassThroughSmoother

    return PassThroughSmoother(**params)


# name -> (factory, its own parameters), in the order `fitness run --help` lists the modes; None: not per frame.
_FACTORIES: dict[str, tuple[Callable[..., Smoother], str] | None] = {
    "oneeuro": (_one_euro, "min_cutoff_hz, beta, d_cutoff_hz"),
    "fixedlag": (_fixed_lag, "window_s, lag_s, order"),
    OFFLINE: None,
    "none": (_pass_through, ""),
}
# Other names of a mode, kept for the command line: "live" is the default for cameras.
ALIASES = {"live": "oneeuro"}

SMOOTHING_MODES: tuple[str, ...] = (*ALIASES, *_FACTORIES)
LIVE_MODES: tuple[str, ...] = tuple(name for name in SMOOTHING_MODES if name != OFFLINE)


def create_smoother(kind: str = "live", **params: float) -> Smoother:
    """A smoother by name: "live" (the default for cameras: One Euro), "oneeuro", "fixedlag" (fixed-lag
    local polynomial) or "none" (pass-through).

    params go to the smoother's constructor (oneeuro: min_cutoff_hz, beta, d_cutoff_hz; fixedlag:
    window_s, lag_s, order; both: min_score, hold_s, min_pose_score).
    """
    if kind == OFFLINE:
        raise UsageError(
            'smoothing "offline" works on a whole recording, not frame by frame: call '
            f"fitness.smoothing.smooth_offline(poses), or pick a live smoother: {', '.join(LIVE_MODES)}"
        )
    entry = _FACTORIES.get(ALIASES.get(kind, kind))
    if entry is None:
        raise UsageError(f"unknown smoother {kind!r}; choose one of: {', '.join(LIVE_MODES)}")
    factory, own = entry
    if not own:
        if params:
            raise UsageError(f"smoother {kind!r} takes no parameters, got {sorted(params)}")
        return factory()
    try:
        return factory(**params)
    except TypeError as exc:
        raise UsageError(
            f"unknown parameter for smoother {kind!r} ({exc}); valid: {own}, {_CONFIDENCE_PARAMS}"
        ) from None

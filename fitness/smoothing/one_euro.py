"""The One Euro filter (Casiez, Roussel and Vogel, CHI 2012): an adaptive low-pass filter for live keypoints.

A first-order low-pass whose cutoff rises with the (smoothed) speed of the signal: still points are
smoothed hard (jitter disappears), fast points are hardly smoothed (little lag). This version is
vectorized over many points, uses the real time between samples (never an assumed fps), and measures
speed in a caller-given length unit (`scale`) so one set of parameters suits any resolution.
"""

from __future__ import annotations

import math

import numpy as np

from fitness.errors import InputError

# Defaults, for speeds in torso lengths per second: docs/smoothing.md ("Why torso lengths", and "Where the
# defaults come from" for the grid search that chose them and how MoveNet's own smoother compares).

# Cutoff (Hz) when the point is still. Lower = steadier still poses, but more lag when motion starts.
# Raise it if slow movements look sluggish; lower it if a standing pose still shimmers.
DEFAULT_MIN_CUTOFF_HZ = 0.5
# How fast the cutoff grows with speed (per torso length per second). Higher = less lag in fast
# movement, but more jitter passes while moving. Raise it when fast reps lag or look shallow; lower
# it when moving limbs look shaky.
DEFAULT_BETA = 1.75
# Cutoff (Hz) of the speed estimate itself. Lower makes the speed (and thus the adaptation) calmer but
# slower to react at the start of a movement.
DEFAULT_D_CUTOFF_HZ = 3.5

# Two samples closer than this are one repeated timestamp (a duplicated frame), not a real step.
MIN_DT_S = 1e-6


def checked_sample(
    name: str, x: np.ndarray, t: float, scale: float, last_shape: tuple[int, ...] | None
) -> np.ndarray:
    """x as float64 (N, D) after checking a point filter's arguments (`name` is the filter, for messages)."""
    x = np.asarray(x, dtype=np.float64)
    if x.ndim != 2:
        raise InputError(f"{name}.apply expects points of shape (N, D), got {x.shape}")
    if not math.isfinite(t):
        raise InputError(f"{name}.apply needs a finite time in seconds, got {t!r}")
    if not (math.isfinite(scale) and scale > 0):
        raise InputError(f"{name}.apply needs a finite scale > 0, got {scale!r}")
    if last_shape is not None and last_shape != x.shape:
        raise InputError(f"{name} got points of shape {x.shape} after {last_shape}; call reset() between tracks")
    return x


def time_step(t_last: float | None, t: float) -> str:
    """How a new time stamp relates to the last one: "next" (later, or the first), "repeat" (the same
    within MIN_DT_S: a duplicated frame) or "back" (earlier: a seek, a loop, a new clip)."""
    if t_last is None or t >= t_last + MIN_DT_S:
        return "next"
    return "back" if t < t_last - MIN_DT_S else "repeat"


def _alpha(cutoff_hz: np.ndarray | float, dt_s: np.ndarray | float) -> np.ndarray:
    """Smoothing factor of a first-order low-pass with the given cutoff for a step of dt seconds."""
    tau_s = 1.0 / (2.0 * math.pi * np.asarray(cutoff_hz, dtype=np.float64))
    return 1.0 / (1.0 + tau_s / dt_s)


class OneEuroFilter:
    """One Euro filter over an array of points, shape (N, D): N points with D coordinates each.

    All D coordinates of a point share one smoothing factor, computed from the point's speed vector
    length, so a filtered point is always a convex combination of that point's past inputs (it never
    leaves their convex hull) and the filter does not depend on the orientation of the axes.
    The speed is estimated from the new sample minus the last *filtered* position (the paper uses the
    last raw sample): half the jitter variance in the estimate, and the cutoff rises when the output
    falls behind. docs/smoothing.md gives the measurements behind both choices.

    NaN (or inf) input for a point means "no sample": that point keeps its state and its output is
    NaN. Each point remembers the time of its own last sample, so a point that comes back after a gap
    gets the right dt (call `reset(mask)` to start it afresh instead).

    Time: `t` must increase. A repeated time (dt < MIN_DT_S, e.g. a duplicated frame) returns the
    previous output unchanged and does not update the state; a time earlier than the last one (a
    seek, a looped video, a new clip) resets the filter and starts again from this sample.
    """

    def __init__(
        self,
        min_cutoff_hz: float = DEFAULT_MIN_CUTOFF_HZ,
        beta: float = DEFAULT_BETA,
        d_cutoff_hz: float = DEFAULT_D_CUTOFF_HZ,
    ) -> None:
        for name, value, low in (("min_cutoff_hz", min_cutoff_hz, 0.0), ("d_cutoff_hz", d_cutoff_hz, 0.0)):
            if not (math.isfinite(value) and value > low):
                raise InputError(f"OneEuroFilter {name} must be a finite number > 0, got {value!r}; try 1.0")
        if not (math.isfinite(beta) and beta >= 0):
            raise InputError(f"OneEuroFilter beta must be a finite number >= 0, got {beta!r}; try {DEFAULT_BETA}")
        self.min_cutoff_hz = float(min_cutoff_hz)
        self.beta = float(beta)
        self.d_cutoff_hz = float(d_cutoff_hz)
        self.reset()

    def reset(self, mask: np.ndarray | None = None) -> None:
        """Forget the history of all points, or only of the points where the (N,) bool `mask` is True."""
        if mask is None or self._x is None:
            self._x: np.ndarray | None = None  # filtered position (N, D)
            self._dx: np.ndarray | None = None  # filtered velocity (N, D), units per second
            self._t_point: np.ndarray | None = None  # time of each point's last sample (N,)
            self._t_last: float | None = None
            self._out: np.ndarray | None = None
            return
        mask = np.asarray(mask, dtype=bool)
        self._x[mask] = np.nan
        self._dx[mask] = 0.0
        self._t_point[mask] = np.nan

    def apply(self, x: np.ndarray, t: float, scale: float = 1.0) -> np.ndarray:
        """Filter one sample: x (N, D) at time t seconds; speed is measured in units of `scale` per second.

        Returns the filtered (N, D) float64 array (NaN where x is NaN).
        """
        x = checked_sample("OneEuroFilter", x, t, scale, None if self._x is None else self._x.shape)
        step = time_step(self._t_last, t)
        if step == "back":
            self.reset()
        elif step == "repeat":
            return self._out.copy()
        if self._x is None:
            self._x = np.full_like(x, np.nan)
            self._dx = np.zeros_like(x)
            self._t_point = np.full(x.shape[0], np.nan)

        has_sample = np.all(np.isfinite(x), axis=1)
        fresh = has_sample & ~np.isfinite(self._t_point)
        going = has_sample & ~fresh

        if going.any():
            dt = (t - self._t_point[going])[:, None]
            prev = self._x[going]
            speed_raw = (x[going] - prev) / dt
            dx = self._dx[going] + _alpha(self.d_cutoff_hz, dt) * (speed_raw - self._dx[going])
            speed = np.sqrt(np.add.reduce(dx * dx, axis=1, keepdims=True)) / scale  # linalg.norm's sum, less overhead
            a = _alpha(self.min_cutoff_hz + self.beta * speed, dt)
            self._x[going] = prev + a * (x[going] - prev)
            self._dx[going] = dx
        self._x[fresh] = x[fresh]
        self._dx[fresh] = 0.0
        self._t_point[has_sample] = t
        self._t_last = t

        out = np.where(has_sample[:, None], self._x, np.nan)
        self._out = out
        return out.copy()

"""A fixed-lag live filter: a local polynomial fitted to the last moments of each point, read a little in the past.

At every new sample each point's positions over the trailing `window_s` are fitted by least squares with a
polynomial in time (a causal Savitzky-Golay filter on the real timestamps), and the fit is read `lag_s`
before the newest sample. Reading inside the window rather than at its edge is what makes it quiet: the
middle of a fit averages many samples, its end is as noisy as a single one. The price is a fixed delay of
`lag_s`. Vectorized over many points; uneven frame times need no resampling because the fit uses the
times themselves.
"""

from __future__ import annotations

import math

import numpy as np

from fitness.errors import InputError
from fitness.smoothing.one_euro import MIN_DT_S, checked_sample, time_step

# Defaults, from the search in docs/smoothing.md ("The fixed-lag filter"): on the noisy 1 Hz squat at
# 30 fps (jitter 3% of the torso, seeds 0-5) the only grid point that also halves a held pose's error
# and keeps 90% of a 2 Hz rep's range; a longer window flattens 2 Hz reps, a shorter one is noisier.
# Trailing window of the fit (s). Longer = quieter, but a quick turn (a rep's bottom) gets rounded off.
DEFAULT_WINDOW_S = 0.5
# How far before the newest sample the fit is read (s): the filter's delay. Longer = quieter (the
# middle of the window is better determined than its end), but the output trails the body by this much.
DEFAULT_LAG_S = 0.067
# Degree of the polynomial. 3 follows a rep's turn with little rounding; 2 is quieter but flattens.
DEFAULT_ORDER = 3


class FixedLagFilter:
    """Fixed-lag local polynomial smoothing over an array of points, shape (N, D).

    Output at time t: for each point, the degree-`order` polynomial fitted by least squares to that
    point's samples within [t - window_s, t], evaluated at t - lag_s. Each coordinate is fitted on its
    own, with the same weights, so the result is linear in the input: scaling or rotating all points
    scales or rotates the output the same way (the `scale` argument of `apply` is accepted for the
    smoother interface and needs no use). The output time, and so the lag, is the same for every point.

    Few samples (the start of a track, a point back after a gap): the degree drops to (samples - 1)
    and the read-out time is clamped to the oldest sample, so a first sample comes back unchanged and
    nothing is extrapolated backwards; the full lag applies once the point's samples span it. The output
    stays within the range of the samples it was fitted to, widened by that range on each side (room for
    a turn between two samples): a few samples bunched in time make the fit ill-conditioned, and its
    read-out could otherwise swing far outside them.

    NaN (or inf) input for a point means "no sample": its output is NaN and its window keeps the
    samples it had. `reset(mask)` forgets chosen points.

    Time: `t` must increase. A repeated time (dt < MIN_DT_S) returns the previous output unchanged; a
    time earlier than the last one (a seek, a looped video, a new clip) resets the filter first.
    """

    def __init__(
        self, window_s: float = DEFAULT_WINDOW_S, lag_s: float = DEFAULT_LAG_S, order: int = DEFAULT_ORDER
    ) -> None:
        if not (math.isfinite(window_s) and window_s > 0):
            raise InputError(f"FixedLagFilter window_s must be a finite number > 0, got {window_s!r}; try 0.5")
        if not (math.isfinite(lag_s) and 0 <= lag_s < window_s):
            raise InputError(
                f"FixedLagFilter lag_s must be within [0, window_s={window_s}), got {lag_s!r}; try {DEFAULT_LAG_S}"
            )
        if isinstance(order, bool) or not isinstance(order, (int, np.integer)) or not 0 <= order <= 5:
            raise InputError(f"FixedLagFilter order must be an integer from 0 to 5, got {order!r}; try 3")
        self.window_s = float(window_s)
        self.lag_s = float(lag_s)
        self.order = int(order)
        self.reset()

    def reset(self, mask: np.ndarray | None = None) -> None:
        """Forget the history of all points, or only of the points where the (N,) bool `mask` is True."""
        if mask is None or not self._t:
            self._t: list[float] = []  # sample times within the window, oldest first
            self._x: list[np.ndarray] = []  # (N, D) samples at those times, NaN where a point had none
            self._shape: tuple[int, ...] | None = None
            self._t_last: float | None = None
            self._out: np.ndarray | None = None
            return
        mask = np.asarray(mask, dtype=bool)
        for x in self._x:
            x[mask] = np.nan

    def apply(self, x: np.ndarray, t: float, scale: float = 1.0) -> np.ndarray:
        """Filter one sample: x (N, D) at time t seconds. Returns the (N, D) float64 estimate at t - lag_s
        (NaN where x is NaN)."""
        x = checked_sample("FixedLagFilter", x, t, scale, self._shape)
        step = time_step(self._t_last, t)
        if step == "back":
            self.reset()
        elif step == "repeat":
            return self._out.copy()

        has_sample = np.all(np.isfinite(x), axis=1)
        self._shape = x.shape
        self._t.append(t)
        self._x.append(np.where(has_sample[:, None], x, np.nan))
        while self._t[0] < t - self.window_s - MIN_DT_S:
            del self._t[0], self._x[0]
        self._t_last = t

        out = self._fit(np.asarray(self._t), np.stack(self._x), t)
        out[~has_sample] = np.nan
        self._out = out
        return out.copy()

    def _fit(self, times: np.ndarray, xs: np.ndarray, t: float) -> np.ndarray:
        """Weighted least squares per point, all points at once: times (K,), xs (K, N, D) -> (N, D)."""
        valid = np.all(np.isfinite(xs), axis=2).T  # (N, K)
        count = valid.sum(axis=1)
        oldest = np.where(valid, times[None, :], np.inf).min(axis=1)
        t_eval = np.maximum(t - self.lag_s, np.where(count > 0, oldest, t))  # (N,)
        degree = np.clip(count - 1, 0, self.order)
        # Powers of (time - read-out time) in window units: the value at the read-out is coefficient 0.
        u = (times[None, :] - t_eval[:, None]) / self.window_s  # (N, K)
        powers = u[:, :, None] ** np.arange(self.order + 1)  # (N, K, P)
        used = (np.arange(self.order + 1)[None, :] <= degree[:, None]) & (count > 0)[:, None]  # (N, P)
        a = powers * valid[:, :, None] * used[:, None, :]
        normal = np.einsum("nkp,nkq->npq", a, a)
        # Unused powers get an identity row, so their coefficient is 0 and the system stays solvable.
        normal += np.eye(self.order + 1)[None] * (~used)[:, :, None]
        rhs = np.einsum("nkp,knd->npd", a, np.nan_to_num(xs))
        coef = np.linalg.solve(normal, rhs)  # (N, P, D)
        seen = np.isfinite(xs)
        lo, hi = np.where(seen, xs, np.inf).min(axis=0), np.where(seen, xs, -np.inf).max(axis=0)  # (N, D)
        with np.errstate(invalid="ignore"):  # points without samples (inf bounds) are set to NaN below
            out = np.clip(coef[:, 0, :], 2 * lo - hi, 2 * hi - lo)
        out[count == 0] = np.nan
        return out

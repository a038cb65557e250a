"""Savitzky-Golay smoothing in numpy: the values of a local least-squares polynomial fit.

Gives what `scipy.signal.savgol_filter(values, window, polyorder, axis=0, mode="interp")` gives (the tests
check it against scipy), without importing scipy, which took ~0.6 s of every `fitness run`'s start-up.
"""

from __future__ import annotations

import functools

import numpy as np


@functools.lru_cache(maxsize=64)
def fit_matrix(window: int, polyorder: int) -> np.ndarray:
    """(window, window) matrix H: H @ samples = the degree-`polyorder` least-squares fit at each sample. Computed
    once per window and order (a recording has a few), read-only."""
    half = window // 2
    # Positions scaled to [-1, 1] keep the Vandermonde matrix well conditioned; the fit does not change.
    x = (np.arange(window, dtype=np.float64) - half) / max(half, 1)
    vander = np.vander(x, polyorder + 1, increasing=True)
    fit = vander @ np.linalg.pinv(vander)
    fit.flags.writeable = False
    return fit


def savgol_smooth(values: np.ndarray, window: int, polyorder: int) -> np.ndarray:
    """Smooths `values` (n, ...) along axis 0: each sample becomes the centre of the polynomial fitted to the
    `window` samples around it; the first and last window//2 samples take the fit of the first and last
    whole window (scipy's mode="interp"). window: odd, polyorder < window <= n."""
    data = np.asarray(values, dtype=np.float64)
    n = data.shape[0]
    if window % 2 != 1 or not 0 <= polyorder < window <= n:
        raise ValueError(f"savgol_smooth needs an odd window with polyorder < window <= n, got {window}, "
                         f"{polyorder}, n={n}")
    half = window // 2
    fit = fit_matrix(window, polyorder)
    flat = data.reshape(n, -1)
    out = np.empty_like(flat)
    windows = np.lib.stride_tricks.sliding_window_view(flat, window, axis=0)  # (n - window + 1, k, window)
    out[half:n - half] = windows @ fit[half]
    out[:half] = fit[:half] @ flat[:window]
    out[n - half:] = fit[window - half:] @ flat[n - window:]
    return out.reshape(data.shape)

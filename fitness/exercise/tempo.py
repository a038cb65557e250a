"""Rep tempo: when the two movements of a rep (out to the turnaround, back to rest) start and end.

The rest and target lines of a rep cycle sit well inside the movement (a squat's standing line is ~40% of
the way down), so the frames between them miss the slow start and end of each movement. Here a rep's
(t, signal) samples, from a pre-roll at rest through the rep, are fitted by least squares with a smooth
out-and-back movement: the signal sits at a rest level, moves out to an extreme along `movement_shape`
(a bell-shaped velocity), may hold there, and moves back the same way. The rest level and the extreme are
fitted with the four times, so neither is a threshold and neither is one noisy sample. A rep closes as its
signal crosses the rest line, usually before the way back has ended: the fit uses what has been seen, and a
smooth movement's second half mirrors its first.

Minimum-jerk movements (how people move between two postures) and raised-cosine ones both have bell-shaped
velocities but differ in how slowly they start: within keypoint noise the two are told apart only by their
first and last few percent. The template is halfway between them, so either is timed to within ~4% of its
duration at each end (0.06 s at each end of a 1.6 s movement; a phase, between two ends, to ~8%).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

# The movement template: this share of minimum jerk, the rest raised cosine (see the module docstring).
MIN_JERK_SHARE = 0.5
# The initial guess extends the 10%-90% crossings of each movement by TAU / (1 - 2 TAU) of their interval on
# each side: the fraction of a bell-shaped movement's time spent below its 10% crossing (minimum jerk 0.247,
# raised cosine 0.205).
LOW, HIGH, TAU = 0.1, 0.9, 0.226
MIN_SAMPLES = 8  # fewer samples in a rep and its pre-roll: no timing
MIN_MOVE_S = 0.05  # the shortest movement the fit may settle on (below it a movement is a step, not a ramp)
FIT_STEPS = 40  # Levenberg-Marquardt iterations (it converges in ~5-15)
FIT_TOL_S = 1e-3  # ... stopping once no time moves by more than this


@dataclass(frozen=True)
class RepTiming:
    """A rep's movements: out from start_t to turn_start_t, at the turnaround until turn_end_t, back until end_t."""

    start_t: float
    turn_start_t: float
    turn_end_t: float
    end_t: float


def movement_shape(x: np.ndarray) -> np.ndarray:
    """Progress (0..1) of one movement at x (0..1 of its duration; clamped outside)."""
    x = np.clip(x, 0.0, 1.0)
    min_jerk = x * x * x * (10.0 - 15.0 * x + 6.0 * x * x)
    cosine = 0.5 - 0.5 * np.cos(np.pi * x)
    return MIN_JERK_SHARE * min_jerk + (1.0 - MIN_JERK_SHARE) * cosine


def out_and_back(times: np.ndarray, t: np.ndarray) -> np.ndarray:
    """0 at rest, 1 at the turnaround: out from times[0] over times[1] seconds, back from times[2] over times[3]."""
    s1, d1, s2, d2 = times
    return np.minimum(movement_shape((t - s1) / d1), 1.0 - movement_shape((t - s2) / d2))


def _residuals(times: np.ndarray, t: np.ndarray, v: np.ndarray) -> tuple[np.ndarray, float]:
    """(v minus the best rest + amplitude x out_and_back, the amplitude); NaN residuals when it is flat."""
    g = out_and_back(times, t)
    gc = g - g.mean()
    var = float(gc @ gc)
    if not var > 1e-12:
        return np.full_like(v, np.nan), math.nan
    amplitude = float(gc @ (v - v.mean())) / var
    return v - v.mean() - amplitude * gc, amplitude


def _time_beyond(p: np.ndarray, t: np.ndarray, level: float) -> float:
    """Seconds the linearly interpolated p spends above `level` between its first and last sample."""
    a, b, dt = p[:-1] - level, p[1:] - level, np.diff(t)
    both = (a >= 0) & (b >= 0)
    cross = (a >= 0) != (b >= 0)
    with np.errstate(divide="ignore", invalid="ignore"):
        frac = np.where(cross, np.where(b >= 0, b, a) / (np.abs(a) + np.abs(b)), 0.0)
    return float(dt[both].sum() + (dt * frac)[cross].sum())


def _first_guess(t: np.ndarray, p: np.ndarray, turn: int) -> np.ndarray | None:
    """(start, duration, start back, duration back) from crossing times: the way out's 10% and 90%, the way
    back's 90% and 50% (its 10% mirrored about its 50%). p: 0 at rest, 1 at the extreme (sample `turn`)."""
    if turn < 1 or turn >= len(t) - 1:
        return None
    out_p, out_t = p[: turn + 1], t[: turn + 1]
    back_p, back_t = p[turn:], t[turn:]
    t_low = out_t[-1] - _time_beyond(out_p, out_t, LOW)
    t_high = out_t[-1] - _time_beyond(out_p, out_t, HIGH)
    back_high = back_t[0] + _time_beyond(back_p, back_t, HIGH)
    back_mid = back_t[0] + _time_beyond(back_p, back_t, 0.5)
    span_out, span_back = t_high - t_low, 2.0 * (back_mid - back_high)
    if not (span_out > 0 and span_back > 0):
        return None
    k = TAU / (1.0 - 2.0 * TAU)
    return np.array([t_low - k * span_out, (1 + 2 * k) * span_out,
                     back_high - k * span_back, (1 + 2 * k) * span_back])


def _fit(times: np.ndarray, t: np.ndarray, v: np.ndarray) -> np.ndarray:
    """Levenberg-Marquardt on the four times from `times` (numeric derivatives; rest and amplitude solved
    exactly at each step)."""
    res, _ = _residuals(times, t, v)
    cost = float(res @ res)
    damping = 1e-3
    for _ in range(FIT_STEPS):
        jac = np.empty((len(t), 4))
        for j in range(4):
            nudged = times.copy()
            nudged[j] += 1e-4
            jac[:, j] = (_residuals(nudged, t, v)[0] - res) / 1e-4
        if not np.all(np.isfinite(jac)):
            break
        jtj, grad = jac.T @ jac, jac.T @ res
        for _ in range(8):
            step = np.linalg.solve(jtj + damping * np.diag(np.diag(jtj) + 1e-9), -grad)
            trial = times + step
            trial[1], trial[3] = max(trial[1], MIN_MOVE_S), max(trial[3], MIN_MOVE_S)
            trial_res, _ = _residuals(trial, t, v)
            trial_cost = float(trial_res @ trial_res)
            if trial_cost < cost:
                times, res, cost = trial, trial_res, trial_cost
                damping = max(damping / 3.0, 1e-7)
                break
            damping *= 4.0
        else:
            break
        if np.abs(step).max() < FIT_TOL_S:
            break
    return times


def _smoothed(v: np.ndarray) -> np.ndarray:
    """A centred 5-sample moving average (shorter at the ends): extremes that are not one noisy sample."""
    kernel = np.ones(5)
    return np.convolve(v, kernel, "same") / np.convolve(np.ones_like(v), kernel, "same")


def _timing(times: np.ndarray, first_t: float) -> RepTiming:
    s1, d1, s2, d2 = (float(x) for x in times)
    turn_start, turn_end = s1 + d1, s2
    if turn_end < turn_start:  # no hold: the two movements meet halfway between their estimates
        turn_start = turn_end = (turn_start + turn_end) / 2
    start = min(max(s1, first_t), turn_start)
    return RepTiming(start, turn_start, turn_end, max(s2 + d2, turn_end))


def time_movements(samples: Sequence[tuple[float, float]], left_t: float, toward: float) -> RepTiming | None:
    """The movements of one rep, from its (t, signal) samples in time order: a pre-roll at rest (before
    left_t, when it left rest), the way out, the turnaround and at least half the way back. toward: the sign
    of the way out (+1: the signal rises from rest). None when the samples do not show that (too few, no
    rest before it, not back past halfway, or no out-and-back fits)."""
    if len(samples) < MIN_SAMPLES:
        return None
    t_all, v_all = (np.asarray(col, dtype=float) for col in zip(*samples))
    pre = int(np.searchsorted(t_all, left_t))
    if pre < 2 or pre >= len(t_all) - 2 or not (np.all(np.isfinite(v_all)) and np.all(np.isfinite(t_all))):
        return None
    smooth = _smoothed(v_all)
    sign = 1.0 if toward > 0 else -1.0
    far = pre + int(np.argmax(sign * smooth[pre:]))  # where it turned
    first = int(np.argmin(sign * smooth[:pre]))  # the pre-roll's most rest-like moment ...
    beyond = sign * (smooth - (smooth[first] + smooth[far]) / 2) >= 0  # past halfway to where it turned
    out = pre
    while out > 0 and beyond[out - 1]:  # (a rest line past halfway: the way out began in the pre-roll)
        out -= 1
    before = np.nonzero(beyond[:out])[0]
    if len(before):  # ... after the last rep in it, if there is one
        first = int(before[-1]) + 1 + int(np.argmin(sign * smooth[before[-1] + 1: out]))
    elif out == 0:
        return None
    t, v, turn = t_all[first:], v_all[first:], far - first
    rest, extreme = float(smooth[first]), float(smooth[far])
    if not abs(extreme - rest) > 0:
        return None
    p = (v - rest) / (extreme - rest)
    if _smoothed(p)[-1] > 0.5:
        return None  # not back past halfway: the way back is not known yet
    guess = _first_guess(t, p, turn)
    if guess is None:
        return None
    times = _fit(guess, t, v)
    _, amplitude = _residuals(times, t, v)
    for candidate in (times, guess):
        fitted = candidate is times
        if fitted and not (amplitude * sign > 0.5 * abs(extreme - rest)):
            continue  # the fit lost the movement: keep the crossing-time guess
        timing = _timing(candidate, float(t[0]))
        last = float(t[-1])
        # Sane: it began before leaving rest, turned between the first and the last sample, and was past halfway
        # back by then, so what is left of the way back is shorter than what has been seen of it. (A fit that
        # lost the way out puts the turnaround before the samples and reads the whole rep as a long way back.)
        if (timing.start_t < left_t and t[turn] < timing.end_t <= 2 * last - timing.turn_end_t
                and float(t[0]) < timing.turn_start_t < last):
            return timing
    return None

"""Scoring the pipeline against rendered truth: rep counts, form faults, tempo, phantom reps and keypoint PCK.
Pure numpy.

PCK@0.2: a predicted keypoint is correct when it lies within 0.2 x the true torso length (mean of the
left and right shoulder-to-hip distances of the true keypoints, `fitness.geometry.torso_length`) of the
true position. A missing prediction (NaN) counts as a miss.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import astuple, dataclass

import numpy as np

from fitness.errors import InputError
from fitness.geometry import torso_length

PCK_THRESHOLD = 0.2
TEMPO_TOLERANCE_S = 0.15  # a rep's timing is right when start, end and each phase length are this close to the truth


def pck_hits(
    pred: np.ndarray, true: np.ndarray, mask: np.ndarray, threshold: float = PCK_THRESHOLD
) -> tuple[np.ndarray, np.ndarray]:
    """Per-keypoint (hits, counted) over frames.

    pred, true: (N, 17, 2) pixels (pred may hold NaN); mask: (N, 17) bool, which true keypoints to score.
    Frames whose true torso length is not positive are skipped.
    """
    pred, true = np.asarray(pred, float), np.asarray(true, float)
    mask = np.asarray(mask, bool)
    if pred.shape != true.shape or pred.ndim != 3 or pred.shape[1:] != (17, 2) or mask.shape != pred.shape[:2]:
        raise InputError(
            f"pck_hits expects (N, 17, 2) pred/true and (N, 17) mask, got {pred.shape}, {true.shape}, {mask.shape}"
        )
    hits = np.zeros(17, int)
    counted = np.zeros(17, int)
    for p, t, m in zip(pred, true, mask):
        scale = torso_length(t)
        if not np.isfinite(scale) or scale <= 0:
            continue
        err = np.hypot(*(p - t).T)
        ok = np.nan_to_num(err, nan=np.inf) < threshold * scale
        hits += ok & m
        counted += m
    return hits, counted


def pck(pred: np.ndarray, true: np.ndarray, mask: np.ndarray, threshold: float = PCK_THRESHOLD) -> float:
    """Fraction of scored keypoints within threshold x torso length; NaN when nothing was scored."""
    hits, counted = pck_hits(pred, true, mask, threshold)
    return float(hits.sum() / counted.sum()) if counted.sum() else float("nan")


@dataclass(frozen=True)
class CountScore:
    clips: int
    exact_rate: float
    mae: float
    off_by_one_rate: float  # |error| == 1
    within_one_rate: float  # |error| <= 1


def count_score(predicted: Sequence[int], true: Sequence[int]) -> CountScore:
    """Rep-count accuracy over clips."""
    if len(predicted) != len(true):
        raise InputError(f"count_score needs one prediction per clip: {len(predicted)} predictions, {len(true)} truths")
    if not true:
        return CountScore(0, float("nan"), float("nan"), float("nan"), float("nan"))
    err = np.abs(np.asarray(predicted, int) - np.asarray(true, int))
    return CountScore(
        len(err), float(np.mean(err == 0)), float(np.mean(err)), float(np.mean(err == 1)), float(np.mean(err <= 1))
    )


def match_reps(true_spans: Sequence[tuple[float, float]], pred_spans: Sequence[tuple[float, float]]) -> dict[int, int]:
    """Pairs truth reps with predicted reps by time overlap, greedily best first: {true index: pred index}."""
    pairs = []
    for i, (a0, a1) in enumerate(true_spans):
        for j, (b0, b1) in enumerate(pred_spans):
            overlap = min(a1, b1) - max(a0, b0)
            if overlap > 0:
                pairs.append((overlap / (max(a1, b1) - min(a0, b0)), i, j))
    out: dict[int, int] = {}
    used: set[int] = set()
    for _, i, j in sorted(pairs, reverse=True):
        if i not in out and j not in used:
            out[i] = j
            used.add(j)
    return out


@dataclass(frozen=True)
class FaultTally:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    def __add__(self, other: FaultTally) -> FaultTally:
        return FaultTally(self.tp + other.tp, self.fp + other.fp, self.fn + other.fn)

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else float("nan")

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else float("nan")


def fault_tally(
    true_faults: Sequence[Iterable[str]],
    pred_faults: Sequence[Iterable[str]],
    matches: dict[int, int],
    scored_ids: Iterable[str],
) -> FaultTally:
    """Counts fault ids per matched rep: a fault on a truth rep is found when its matched predicted rep
    carries it. Only `scored_ids` count (the exercise's injectable faults, not e.g. a no-rep's `depth`).
    Predicted reps with no truth partner contribute their faults as false positives."""
    scored = set(scored_ids)
    tp = fp = fn = 0
    for i, faults in enumerate(true_faults):
        t = set(faults) & scored
        p = set(pred_faults[matches[i]]) & scored if i in matches else set()
        tp += len(t & p)
        fn += len(t - p)
        fp += len(p - t)
    for j, faults in enumerate(pred_faults):
        if j not in matches.values():
            fp += len(set(faults) & scored)
    return FaultTally(tp, fp, fn)


@dataclass(frozen=True)
class TempoError:
    """Absolute timing errors (s) of one predicted rep against its truth rep: when it left rest and when it was
    back, and the length of each phase (out to the turnaround, at it, back to rest). NaN where the predicted rep
    has no phase times (a rep the engine inferred without seeing the turnaround)."""

    start_s: float
    end_s: float
    out_s: float
    target_s: float
    back_s: float

    @property
    def worst_s(self) -> float:
        """The largest of the five errors; infinite when one is missing (such a rep is never within tolerance)."""
        errors = astuple(self)
        return math.inf if any(math.isnan(e) for e in errors) else max(errors)

    def within(self, tolerance_s: float = TEMPO_TOLERANCE_S) -> bool:
        return self.worst_s <= tolerance_s


def tempo_error(
    true_times_s: tuple[float, float, float, float], pred_start_t: float, pred_end_t: float,
    pred_phases_s: Sequence[float],
) -> TempoError:
    """One matched rep's timing errors. true_times_s: (leaves rest, reaches the turnaround, leaves it, back at
    rest); pred_phases_s: the predicted rep's three phase lengths in the order (out, at target, back)."""
    start, turn, back, end = true_times_s
    pred = tuple(pred_phases_s) if len(pred_phases_s) == 3 else (math.nan,) * 3
    true = (turn - start, back - turn, end - back)
    out_err, target_err, back_err = (abs(p - t) for p, t in zip(pred, true))
    return TempoError(abs(pred_start_t - start), abs(pred_end_t - end), out_err, target_err, back_err)


def tempo_summary(errors: Iterable[TempoError], tolerance_s: float = TEMPO_TOLERANCE_S) -> tuple[int, float, float]:
    """(reps, share within tolerance, median of each rep's worst error in s); NaN share and median for no reps."""
    worst = [e.worst_s for e in errors]
    if not worst:
        return 0, math.nan, math.nan
    return len(worst), sum(w <= tolerance_s for w in worst) / len(worst), float(np.median(worst))


@dataclass(frozen=True)
class Phantoms:
    """Predicted events the truth has no place for."""

    no_reps: int = 0  # predicted no-reps matched to no truth partial rep (nothing, or a full rep)
    reps: int = 0  # counted predicted reps matched to no truth rep


def phantoms(true_partial: Sequence[bool], pred_counted: Sequence[bool], matches: Mapping[int, int]) -> Phantoms:
    """Phantom no-reps and reps of one clip, given the `match_reps` pairing {true index: pred index}."""
    partner = {j: i for i, j in matches.items()}
    no_reps = sum(1 for j, c in enumerate(pred_counted) if not c and not (j in partner and true_partial[partner[j]]))
    reps = sum(1 for j, c in enumerate(pred_counted) if c and j not in partner)
    return Phantoms(no_reps, reps)

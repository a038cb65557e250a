"""Scoring the pipeline against rendered truth: rep counts, form faults and keypoint PCK. Pure numpy.

PCK@0.2: a predicted keypoint is correct when it lies within 0.2 x the true torso length (mean of the
left and right shoulder-to-hip distances of the true keypoints, `fitness.geometry.torso_length`) of the
true position. A missing prediction (NaN) counts as a miss.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np

from fitness.errors import InputError
from fitness.geometry import torso_length

PCK_THRESHOLD = 0.2


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

"""The exercise classifier's trained weights: a one-hidden-layer network over standardised window features, and
how far from the trained exercises a window may lie before the answer becomes NONE; saved as a small .npz (no
pickles). numpy only."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import IO

import numpy as np

from fitness.errors import ModelError
from fitness.workout.scores import NONE

# Bump when the features or the file layout change: a file of another version is refused, not misread.
MODEL_VERSION = 2
# A window whose distance from every trained class is beyond this many times `familiar` is wholly unfamiliar.
UNFAMILIAR_FACTOR = 1.5


@dataclass(frozen=True)
class RecogniserModel:
    """labels: the classes, in output order (exercise names and NONE). mean/std: the training features' mean and
    spread (standardisation; a missing feature becomes the mean). w1 (F, H), b1 (H,), w2 (H, C), b2 (C,): the
    network. window_s: the window of motion it was trained on; ready_s: the shortest window it answers for.

    class_mean/class_std (M, F): the standardised features of each mode of each class (an exercise per view); a
    window's distance is the mean squared z-score from the nearest mode. Up to
    `familiar` (most training windows are nearer) the network's answer stands; beyond it, its probability moves
    to NONE (a movement unlike every exercise it knows, e.g. one written only in YAML), all of it at
    UNFAMILIAR_FACTOR times `familiar`.
    """

    labels: tuple[str, ...]
    mean: np.ndarray
    std: np.ndarray
    w1: np.ndarray
    b1: np.ndarray
    w2: np.ndarray
    b2: np.ndarray
    window_s: float
    ready_s: float
    class_mean: np.ndarray
    class_std: np.ndarray
    familiar: float

    def standardise(self, features: np.ndarray) -> np.ndarray:
        z = (np.asarray(features, dtype=np.float64) - self.mean) / self.std
        return np.where(np.isnan(z), 0.0, z)

    def distance(self, z: np.ndarray) -> np.ndarray:
        """(...,) the distance of standardised windows z (..., F) from the nearest mode of a class."""
        d = ((z[..., None, :] - self.class_mean) / self.class_std) ** 2
        return d.mean(axis=-1).min(axis=-1)

    def predict(self, features: np.ndarray, novelty: bool = True) -> np.ndarray:
        """Class probabilities (..., C) of window features (..., F); NaN features count as average. novelty: move
        the probability of unfamiliar windows to NONE (see the class docstring)."""
        z = self.standardise(features)
        hidden = np.maximum(z @ self.w1 + self.b1, 0.0)
        logits = hidden @ self.w2 + self.b2
        logits -= logits.max(axis=-1, keepdims=True)
        e = np.exp(logits)
        probs = e / e.sum(axis=-1, keepdims=True)
        if not novelty or NONE not in self.labels:
            return probs
        excess = (self.distance(z) / self.familiar - 1.0) / (UNFAMILIAR_FACTOR - 1.0)
        known = 1.0 - np.clip(excess, 0.0, 1.0)[..., None]
        probs = probs * known
        probs[..., self.labels.index(NONE)] += 1.0 - known[..., 0]
        return probs

    def save(self, path: str | Path | IO[bytes]) -> None:
        np.savez_compressed(
            path,
            version=np.array(MODEL_VERSION),
            labels=np.array(self.labels),
            mean=self.mean.astype(np.float32),
            std=self.std.astype(np.float32),
            w1=self.w1.astype(np.float32),
            b1=self.b1.astype(np.float32),
            w2=self.w2.astype(np.float32),
            b2=self.b2.astype(np.float32),
            window_s=np.array(self.window_s),
            ready_s=np.array(self.ready_s),
            class_mean=self.class_mean.astype(np.float32),
            class_std=self.class_std.astype(np.float32),
            familiar=np.array(self.familiar),
        )

    @classmethod
    def load(cls, path: str | Path | IO[bytes]) -> RecogniserModel:
        with np.load(path, allow_pickle=False) as data:
            version = int(data["version"]) if "version" in data else None
            if version != MODEL_VERSION:
                raise ModelError(
                    f"exercise classifier weights are version {version}, this fitness reads {MODEL_VERSION}"
                )
            names = ("mean", "std", "w1", "b1", "w2", "b2", "class_mean", "class_std")
            arrays = {k: data[k].astype(np.float64) for k in names}
            return cls(
                labels=tuple(str(s) for s in data["labels"]),
                window_s=float(data["window_s"]),
                ready_s=float(data["ready_s"]),
                familiar=float(data["familiar"]),
                **arrays,
            )

"""The exercise classifier's trained weights: a one-hidden-layer network over standardised window features,
saved as a small .npz (no pickles). numpy only."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import IO

import numpy as np

from fitness.errors import ModelError

# Bump when the features or the file layout change: a file of another version is refused, not misread.
MODEL_VERSION = 1


@dataclass(frozen=True)
class RecogniserModel:
    """labels: the classes, in output order (exercise names and NONE). mean/std: the training features' mean and
    spread (standardisation; a missing feature becomes the mean). w1 (F, H), b1 (H,), w2 (H, C), b2 (C,): the
    network. window_s: the window of motion it was trained on; ready_s: the shortest window it answers for."""

    labels: tuple[str, ...]
    mean: np.ndarray
    std: np.ndarray
    w1: np.ndarray
    b1: np.ndarray
    w2: np.ndarray
    b2: np.ndarray
    window_s: float
    ready_s: float

    def predict(self, features: np.ndarray) -> np.ndarray:
        """Class probabilities (..., C) of window features (..., F); NaN features count as average."""
        z = (np.asarray(features, dtype=np.float64) - self.mean) / self.std
        z = np.where(np.isnan(z), 0.0, z)
        hidden = np.maximum(z @ self.w1 + self.b1, 0.0)
        logits = hidden @ self.w2 + self.b2
        logits -= logits.max(axis=-1, keepdims=True)
        e = np.exp(logits)
        return e / e.sum(axis=-1, keepdims=True)

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
        )

    @classmethod
    def load(cls, path: str | Path | IO[bytes]) -> RecogniserModel:
        with np.load(path, allow_pickle=False) as data:
            version = int(data["version"]) if "version" in data else None
            if version != MODEL_VERSION:
                raise ModelError(
                    f"exercise classifier weights are version {version}, this fitness reads {MODEL_VERSION}"
                )
            arrays = {k: data[k].astype(np.float64) for k in ("mean", "std", "w1", "b1", "w2", "b2")}
            return cls(
                labels=tuple(str(s) for s in data["labels"]),
                window_s=float(data["window_s"]),
                ready_s=float(data["ready_s"]),
                **arrays,
            )

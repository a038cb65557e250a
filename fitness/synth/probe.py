"""A MoveNet single-pose pass over whole frames, for measuring keypoint accuracy on rendered frames.

It is the real estimator (`fitness.pose.estimator.SinglePoseEstimator`) without crop tracking and without a
pose-score cut: every frame is letterboxed whole and every keypoint is reported, so this measures what the
model sees in the whole frame. Input and output are the estimator's (`fitness.pose.preprocess`,
`Pose.from_movenet`).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from fitness import paths
from fitness.errors import ModelError
from fitness.models.cache import TFLITE
from fitness.pose.backends import LiteRTRunner
from fitness.pose.estimator import SinglePoseEstimator


def model_path(name: str = "lightning") -> Path:
    return paths.models_dir() / name / TFLITE


class MoveNetProbe:
    """Runs a MoveNet single-pose TFLite file on BGR frames; returns (17, 2) pixels and (17,) scores."""

    def __init__(self, tflite: str | Path | None = None, threads: int = 1) -> None:
        path = Path(tflite) if tflite else model_path("lightning")
        if not path.is_file():
            raise ModelError(f"no MoveNet model at {path}; run 'fitness models fetch lightning' first")
        self.estimator = SinglePoseEstimator(
            LiteRTRunner(path, threads), f"probe:{path.name}", crop_tracking=False, min_pose_score=0.0
        )

    def estimate(self, bgr: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        pose = self.estimator.estimate(bgr)
        assert pose is not None  # min_pose_score 0: every frame gives a pose
        return pose.xy, pose.score

"""Square crop regions in frame pixels, and MoveNet's single-pose crop tracking.

The model always sees a square region of the frame. The full-frame region is the frame letterboxed to a
square (padded equally on both sides); after a confident pose, the next frame's region is centred on the
hips and sized from the torso and body extents, so a small person is seen at a larger scale. When the torso
is not visible the region falls back to the full frame.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

# Keypoints scoring at least this are trusted to place the next crop (MoveNet's reference value).
MIN_CROP_KEYPOINT_SCORE = 0.2
# Half crop side as a multiple of the torso's and the body's largest reach from the hip centre. Raise them
# for more margin around fast movement; lower them for more pixels on the person.
TORSO_EXPANSION = 1.9
BODY_EXPANSION = 1.2
# Weight of the new crop against the previous one (1.0 = no smoothing); damps crop jitter frame to frame.
CROP_SMOOTHING_ALPHA = 0.9
# A crop smaller than this (pixels) is treated as a failed estimate: use the full frame.
MIN_CROP_SIDE_PX = 16.0

_HIPS = (11, 12)
_SHOULDERS = (5, 6)
_TORSO = (5, 6, 11, 12)


@dataclass(frozen=True)
class Crop:
    """A square region of the frame in pixels; it may extend past the frame edges (padding is black).

    Frame coordinates are continuous: pixel (i, j) covers [i, i+1) x [j, j+1).
    """

    x_min: float
    y_min: float
    size: float

    def __post_init__(self) -> None:
        if not (np.isfinite(self.x_min) and np.isfinite(self.y_min) and np.isfinite(self.size) and self.size > 0):
            raise ValueError(f"Crop needs finite corner and a positive size, got {self}")

    @classmethod
    def full_frame(cls, frame_size: tuple[int, int]) -> Crop:
        """The whole frame, letterboxed to a centred square. frame_size: (width, height)."""
        width, height = frame_size
        side = float(max(width, height))
        return cls((width - side) / 2.0, (height - side) / 2.0, side)

    def to_frame(self, xy_norm: np.ndarray) -> np.ndarray:
        """(..., 2) normalized (x, y) in the crop -> frame pixels."""
        return np.asarray(xy_norm, dtype=np.float64) * self.size + (self.x_min, self.y_min)

    def to_crop(self, xy_px: np.ndarray) -> np.ndarray:
        """(..., 2) frame pixels -> normalized (x, y) in the crop (inverse of to_frame)."""
        return (np.asarray(xy_px, dtype=np.float64) - (self.x_min, self.y_min)) / self.size


def torso_visible(scores: np.ndarray, min_score: float = MIN_CROP_KEYPOINT_SCORE) -> bool:
    """At least one hip and one shoulder are confident."""
    return bool(max(scores[i] for i in _HIPS) >= min_score and max(scores[i] for i in _SHOULDERS) >= min_score)


def next_crop(
    xy_px: np.ndarray, scores: np.ndarray, frame_size: tuple[int, int], min_score: float = MIN_CROP_KEYPOINT_SCORE
) -> Crop:
    """The crop for the next frame from this frame's keypoints (17, 2) pixels and scores (17,).

    Centred on the hip midpoint; half side = the largest of the torso reach x TORSO_EXPANSION and the
    confident body reach x BODY_EXPANSION, capped so the crop never needs more than the frame. Falls back to
    the full frame when the torso is not confidently visible or the crop would be as big as the frame.
    """
    width, height = frame_size
    xy = np.asarray(xy_px, dtype=np.float64)
    scores = np.asarray(scores, dtype=np.float64)
    if not torso_visible(scores, min_score) or not np.all(np.isfinite(xy[list(_TORSO)])):
        return Crop.full_frame(frame_size)
    center = xy[list(_HIPS)].mean(axis=0)
    torso_reach = np.abs(xy[list(_TORSO)] - center).max(axis=0)
    confident = (scores >= min_score) & np.all(np.isfinite(xy), axis=1)
    body_reach = np.abs(xy[confident] - center).max(axis=0) if confident.any() else np.zeros(2)
    half = max(TORSO_EXPANSION * torso_reach.max(), BODY_EXPANSION * body_reach.max())
    cx, cy = center
    half = min(half, max(cx, width - cx, cy, height - cy))
    if not np.isfinite(half) or 2 * half < MIN_CROP_SIDE_PX or half > max(width, height) / 2:
        return Crop.full_frame(frame_size)
    return Crop(cx - half, cy - half, 2 * half)


class CropTracker:
    """Where the single-pose model looks next: `crop(frame_size)`, then `update(...)` with its result.

    Starts (and restarts after `reset()` or a lost pose) on the full frame.
    """

    def __init__(self, smoothing_alpha: float = CROP_SMOOTHING_ALPHA, min_score: float = MIN_CROP_KEYPOINT_SCORE):
        if not 0.0 < smoothing_alpha <= 1.0:
            raise ValueError(f"smoothing_alpha must be in (0, 1], got {smoothing_alpha}")
        self.smoothing_alpha = smoothing_alpha
        self.min_score = min_score
        self._crop: Crop | None = None
        self._frame_size: tuple[int, int] | None = None

    def crop(self, frame_size: tuple[int, int]) -> Crop:
        if self._crop is None or frame_size != self._frame_size:
            return Crop.full_frame(frame_size)
        return self._crop

    def update(self, xy_px: np.ndarray | None, scores: np.ndarray | None, frame_size: tuple[int, int]) -> Crop:
        """Feed this frame's keypoints (None when the pose was lost); returns the next frame's crop."""
        if xy_px is None or scores is None:
            self.reset()
            return Crop.full_frame(frame_size)
        target = next_crop(xy_px, scores, frame_size, self.min_score)
        full = Crop.full_frame(frame_size)
        if target == full or self._crop is None or frame_size != self._frame_size:
            self._crop = None if target == full else target
        else:
            a = self.smoothing_alpha
            prev = self._crop
            self._crop = Crop(
                a * target.x_min + (1 - a) * prev.x_min,
                a * target.y_min + (1 - a) * prev.y_min,
                a * target.size + (1 - a) * prev.size,
            )
        self._frame_size = frame_size
        return self.crop(frame_size)

    def reset(self) -> None:
        self._crop = None
        self._frame_size = None

"""Key-frame thumbnails: a small JPEG of each rep at its turnaround, with the skeleton drawn.

`KeyFrames` keeps the recent frames, shrunk, with their poses (memory bounded: a frame per `KEEP_EVERY_S` over
the last `KEEP_S`); `thumbnail` picks the one nearest a rep's turnaround and draws the overlay's skeleton on it.
"""

from __future__ import annotations

import collections
from dataclasses import dataclass

import cv2
import numpy as np

from fitness.exercise.events import RepEvent
from fitness.feedback.canvas import render
from fitness.feedback.overlay import skeleton_items
from fitness.feedback.style import DEFAULT_STYLE
from fitness.pose.types import Pose
from fitness.session.analysis import turnaround_t

# Thumbnails are this wide (narrower frames are not enlarged); a rep-table row stays readable.
THUMB_WIDTH_PX = 200
# JPEG quality: ~5-10 kB per thumbnail.
JPEG_QUALITY = 80
# One kept frame per this many seconds is close enough to any turnaround.
KEEP_EVERY_S = 0.1
# Frame times closer than this are the same time (10 fps frame stamps do not differ by exactly 0.1 s in floats).
TIME_EPS_S = 1e-6
# Frames older than this are dropped: longer than the slowest rep's way to its turnaround.
KEEP_S = 15.0
# A kept frame farther than this from the turnaround (a gap in the video) makes no thumbnail.
MAX_OFFSET_S = 0.5
# The skeleton on a thumbnail is drawn this many times thicker than the overlay's scale rule gives at its size.
LINE_BOOST = 2.0


@dataclass(frozen=True)
class KeptFrame:
    """A shrunk frame (BGR uint8), its time and the pose drawn on the full frame, in the small frame's pixels."""

    t: float
    image: np.ndarray
    pose: Pose | None


def shrink(image: np.ndarray, width_px: int = THUMB_WIDTH_PX) -> tuple[np.ndarray, float]:
    """The frame at most `width_px` wide and the factor its pixels were scaled by."""
    height, width = image.shape[:2]
    if width <= width_px:
        return image.copy(), 1.0
    factor = width_px / width
    size = (width_px, max(1, round(height * factor)))
    return cv2.resize(image, size, interpolation=cv2.INTER_AREA), factor


def scaled_pose(pose: Pose | None, factor: float) -> Pose | None:
    return None if pose is None else pose.replace(xy=pose.xy * np.float32(factor))


def thumbnail_jpeg(frame: KeptFrame) -> bytes:
    """The kept frame with the skeleton drawn, as JPEG bytes."""
    image = frame.image.copy()
    if frame.pose is not None:
        height, width = image.shape[:2]
        render(image, skeleton_items(frame.pose, DEFAULT_STYLE, DEFAULT_STYLE.scale(width, height) * LINE_BOOST))
    ok, data = cv2.imencode(".jpg", image, [cv2.IMWRITE_JPEG_QUALITY, JPEG_QUALITY])
    if not ok:
        raise ValueError(f"could not encode a {image.shape} thumbnail as JPEG")
    return data.tobytes()


class KeyFrames:
    """Recent frames, shrunk, to make a thumbnail of each rep once it is finished."""

    def __init__(self, keep_every_s: float = KEEP_EVERY_S, keep_s: float = KEEP_S) -> None:
        self.keep_every_s = keep_every_s
        self.keep_s = keep_s
        self.frames: collections.deque[KeptFrame] = collections.deque()

    def add(self, t: float, image: np.ndarray, pose: Pose | None) -> None:
        """Keep this frame if the last kept one is `keep_every_s` old; drop those older than `keep_s`."""
        if self.frames and t - self.frames[-1].t < self.keep_every_s - TIME_EPS_S:
            return
        small, factor = shrink(image)
        if pose is not None and pose.frame_size is not None:  # found on the source's frame, not on this image
            factor = small.shape[1] / pose.frame_size[0]
        self.frames.append(KeptFrame(t, small, scaled_pose(pose, factor)))
        while self.frames and t - self.frames[0].t > self.keep_s:
            self.frames.popleft()

    def nearest(self, t: float) -> KeptFrame | None:
        best = min(self.frames, key=lambda f: abs(f.t - t), default=None)
        return best if best is not None and abs(best.t - t) <= MAX_OFFSET_S else None

    def thumbnail(self, rep: RepEvent) -> bytes | None:
        """The JPEG of `rep` at its turnaround; None when no kept frame is near it."""
        frame = self.nearest(turnaround_t(rep))
        return None if frame is None else thumbnail_jpeg(frame)

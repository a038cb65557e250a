"""Frame sources: camera or stream (threaded, newest frame wins), a video replayed as a camera (the same, on the
video's clock), video file (every frame), image folder.

The camera, the replayed camera and the image folder are imported on first use (module `__getattr__`): a run on a
video file loads neither.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from fitness.capture.frame import Frame
from fitness.capture.source import CLOSED, COMPLETE, LOST, TRUNCATED, FrameSource
from fitness.capture.transforms import FrameTransform
from fitness.capture.video import VideoSource
from fitness.lazy import lazy_members

if TYPE_CHECKING:
    from fitness.capture.camera import CameraSource
    from fitness.capture.images import ImageFolderSource
    from fitness.capture.replay import ReplayCamera

# name -> the module that defines it
_LAZY = {"CameraSource": "camera", "ImageFolderSource": "images", "ReplayCamera": "replay"}

__all__ = [
    "CLOSED",
    "COMPLETE",
    "LOST",
    "TRUNCATED",
    "CameraSource",
    "Frame",
    "FrameSource",
    "FrameTransform",
    "ImageFolderSource",
    "ReplayCamera",
    "VideoSource",
]


__getattr__ = lazy_members(__name__, _LAZY)

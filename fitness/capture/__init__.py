"""Frame sources: camera (threaded, newest frame wins), video file (every frame), image folder."""

from fitness.capture.camera import CameraSource
from fitness.capture.frame import Frame
from fitness.capture.images import ImageFolderSource
from fitness.capture.source import CLOSED, COMPLETE, LOST, TRUNCATED, FrameSource
from fitness.capture.transforms import FrameTransform
from fitness.capture.video import VideoSource

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
    "VideoSource",
]

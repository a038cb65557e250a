"""Frame sources: camera or stream (threaded, newest frame wins), a video replayed as a camera (the same, on the
video's clock), video file (every frame), image folder."""

from fitness.capture.camera import CameraSource
from fitness.capture.frame import Frame
from fitness.capture.images import ImageFolderSource
from fitness.capture.replay import ReplayCamera
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
    "ReplayCamera",
    "VideoSource",
]

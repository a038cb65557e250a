"""Frame sources: camera (threaded, newest frame wins), video file (every frame), image folder."""

from fitness.capture.frame import Frame

__all__ = ["Frame"]

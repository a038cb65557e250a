"""Reading a saved video back in tests."""

from __future__ import annotations

import cv2


def read_video(path) -> tuple[float, list]:
    """The video's frame rate and every frame it holds (BGR)."""
    cap = cv2.VideoCapture(str(path))
    fps, frames = cap.get(cv2.CAP_PROP_FPS), []
    while True:
        ok, image = cap.read()
        if not ok:
            break
        frames.append(image)
    cap.release()
    return fps, frames

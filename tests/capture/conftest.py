"""Tiny videos written with cv2 for the source tests: frame i is a flat image of gray level 10 * i (mod 250)."""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np
import pytest

SIZE = (64, 48)  # width, height


def write_video(path: Path, frames: int, fps: float = 10.0, fourcc: str = "mp4v") -> Path:
    writer = cv2.VideoWriter(str(path), cv2.VideoWriter_fourcc(*fourcc), fps, SIZE)
    assert writer.isOpened()
    for i in range(frames):
        writer.write(np.full((SIZE[1], SIZE[0], 3), (10 * i) % 250, np.uint8))
    writer.release()
    return path


@pytest.fixture
def make_video():
    """write_video(path, frames, fps=10.0, fourcc="mp4v") -> path"""
    return write_video


@pytest.fixture
def frame_size() -> tuple[int, int]:
    return SIZE


@pytest.fixture
def video_20(tmp_path) -> Path:
    return write_video(tmp_path / "clip.mp4", 20)

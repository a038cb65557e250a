"""The MPEG-4 writer through PyAV: what OpenCV reads back of its files, and where OpenCV's writer is used instead."""

from __future__ import annotations

from fractions import Fraction

import cv2
import numpy as np
import pytest

pytest.importorskip("av")

from video_files import read_video  # noqa: E402

from fitness.feedback.mpeg4_writer import Mpeg4Writer, frame_rate, video_writer  # noqa: E402
from fitness.feedback.recording import AnnotatedVideoWriter  # noqa: E402

MP4V = cv2.VideoWriter_fourcc(*"mp4v")


@pytest.mark.parametrize("fps", [30.0, 29.97, 12.5, 119.88])
def test_every_frame_comes_back_at_the_frame_rate_size_and_colours(tmp_path, fps):
    path = tmp_path / "out.mp4"
    writer = AnnotatedVideoWriter(path, fps=fps)
    colours = [(20 * i, 120, 240 - 20 * i) for i in range(9)]
    for colour in colours:
        writer.write(np.full((48, 64, 3), colour, np.uint8))
    writer.close()
    got_fps, frames = read_video(path)
    assert got_fps == pytest.approx(fps, rel=1e-4)
    assert len(frames) == len(colours) and all(f.shape == (48, 64, 3) for f in frames)
    for frame, colour in zip(frames, colours):
        assert np.abs(frame[24, 32].astype(int) - colour).max() <= 4


def test_mp4v_at_even_sides_in_an_mpeg4_container_goes_through_pyav(tmp_path):
    for name in ("a.mp4", "b.MOV", "c.mkv", "d.m4v"):
        writer = video_writer(str(tmp_path / name), MP4V, 30.0, (64, 48))
        assert isinstance(writer, Mpeg4Writer)
        writer.release()


@pytest.mark.parametrize("name, fourcc, size", [
    ("odd.mp4", MP4V, (63, 48)),  # 4:2:0 planes need even sides
    ("clip.avi", cv2.VideoWriter_fourcc(*"MJPG"), (64, 48)),
    ("clip.webm", MP4V, (64, 48)),  # a container MPEG-4 Part 2 does not go in: OpenCV refuses it
])
def test_other_videos_are_left_to_opencv(tmp_path, name, fourcc, size):
    writer = video_writer(str(tmp_path / name), fourcc, 30.0, size)
    assert isinstance(writer, cv2.VideoWriter)
    writer.release()


def test_an_odd_sized_mp4_is_still_written(tmp_path):
    path = tmp_path / "odd.mp4"
    writer = AnnotatedVideoWriter(path, fps=10)
    for _ in range(3):
        writer.write(np.zeros((47, 63, 3), np.uint8))
    writer.close()
    assert len(read_video(path)[1]) == 3


def test_frame_rates_get_a_time_base_mpeg4_can_store():
    assert frame_rate(30.0) == 30 and frame_rate(29.97) == Fraction(2997, 100)
    for fps in (23.976, 59.94, 119.88, 240.0, 1000.0):
        rate = frame_rate(fps)
        assert rate.numerator <= 65535 and float(rate) == pytest.approx(fps, rel=1e-4)


def test_a_file_that_cannot_be_created_falls_back_to_opencv_which_refuses_it(tmp_path):
    writer = video_writer(str(tmp_path / "missing" / "out.mp4"), MP4V, 30.0, (64, 48))
    assert isinstance(writer, cv2.VideoWriter) and not writer.isOpened()


def test_a_key_frame_every_two_seconds(tmp_path):
    av = pytest.importorskip("av")
    path = tmp_path / "out.mp4"
    writer = Mpeg4Writer(path, 30.0, (64, 48))
    ramp = np.linspace(0, 200, 64, dtype=np.float32)
    for i in range(150):  # 5 s of a slowly moving gradient (no scene change)
        writer.write(np.repeat(np.roll(ramp, i // 4)[None, :, None], 48, axis=0).repeat(3, axis=2).astype(np.uint8))
    writer.release()
    with av.open(str(path)) as container:
        keys = [i for i, packet in enumerate(container.demux(video=0)) if packet.size and packet.is_keyframe]
    assert keys == [0, 60, 120]

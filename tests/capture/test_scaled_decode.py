"""Large frames decoded by FFmpeg at the working size (PyAV) against OpenCV's decode-then-halve: the same frames,
times and sizes; OpenCV whenever PyAV is missing, cannot open the file, or the whole frame is kept."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import av
import numpy as np
import pytest

import fitness.capture.scaled_decode as scaled_decode
from fitness.capture import COMPLETE, TRUNCATED, FrameTransform, VideoSource

SIZE = (256, 144)  # width, height: halved twice to 64x36 with min_side_px=64
MIN_SIDE_PX = 64


def write_h264(path: Path, frames: int, fps: int = 10, rotation: int | None = None) -> Path:
    """H.264 (B-frames, like a phone's or x264's) where frame i is gray level 10 * i with a white top-left
    block; `rotation`: display-matrix rotation in degrees anticlockwise (a phone held upright)."""
    with av.open(str(path), "w") as container:
        stream = container.add_stream("libx264", rate=fps)
        stream.width, stream.height, stream.pix_fmt = SIZE[0], SIZE[1], "yuv420p"
        stream.options = {"crf": "18", "preset": "ultrafast", "bf": "2"}
        if rotation is not None:
            stream.set_display_rotation(rotation)
        for i in range(frames):
            image = np.full((SIZE[1], SIZE[0], 3), (10 * i) % 250, np.uint8)
            image[: SIZE[1] // 2, : SIZE[0] // 4] = 255
            for packet in stream.encode(av.VideoFrame.from_ndarray(image, format="bgr24")):
                container.mux(packet)
        for packet in stream.encode():
            container.mux(packet)
    return path


def opencv_only(path, times, fps):
    return None


def decode_both(path: Path, **kwargs) -> tuple[VideoSource, list, VideoSource, list]:
    with VideoSource(path, min_side_px=MIN_SIDE_PX, **kwargs) as scaled:
        scaled_frames = list(scaled)
    with VideoSource(path, min_side_px=MIN_SIDE_PX, scaled_factory=opencv_only, **kwargs) as opencv:
        opencv_frames = list(opencv)
    return scaled, scaled_frames, opencv, opencv_frames


def test_ffmpeg_decodes_large_frames_to_the_frames_times_and_sizes_opencv_gives(tmp_path):
    scaled, got, opencv, want = decode_both(write_h264(tmp_path / "clip.mp4", 24))
    assert (scaled.decoder, opencv.decoder) == ("ffmpeg-scaled", "opencv")
    assert [f.index for f in got] == [f.index for f in want] == list(range(24))
    assert [f.t for f in got] == pytest.approx([f.t for f in want], abs=1e-9)
    assert [f.t for f in got] == pytest.approx([i / 10 for i in range(24)], abs=1e-3)
    assert {f.image.shape for f in got} == {f.image.shape for f in want} == {(36, 64, 3)}
    assert {f.source_size for f in got} == {SIZE} and got[0].scale == want[0].scale == (4.0, 4.0)
    assert scaled.end_reason == opencv.end_reason == COMPLETE
    for a, b in zip(got, want):  # the same picture: deblocking and the scaling filter move a few gray levels
        assert np.abs(a.image.astype(int) - b.image.astype(int)).mean() < 3
        assert a.image[:8, :8].min() > 230 and abs(float(a.image[30:, 40:].mean()) - 10 * a.index % 250) < 4


def test_rotation_metadata_and_the_users_transform_turn_both_decodes_alike(tmp_path):
    path = write_h264(tmp_path / "upright.mp4", 6, rotation=90)
    transform = FrameTransform(mirror=True, rotate_deg=90)
    scaled, got, opencv, want = decode_both(path, transform=transform)
    assert scaled.decoder == "ffmpeg-scaled"
    assert got[0].image.shape == want[0].image.shape and got[0].source_size == want[0].source_size
    for a, b in zip(got, want):
        assert np.abs(a.image.astype(int) - b.image.astype(int)).mean() < 3  # the white block in the same corner


def test_a_sample_takes_the_same_frames_from_both_decoders(tmp_path):
    scaled, got, opencv, want = decode_both(write_h264(tmp_path / "clip.mp4", 23), every_s=0.5)
    assert scaled.decoder == "ffmpeg-scaled"
    assert [f.index for f in got] == [f.index for f in want] == [0, 5, 10, 15, 20]
    assert [f.t for f in got] == pytest.approx([f.t for f in want], abs=1e-9)


def test_without_pyav_opencv_decodes_and_halves_large_frames(tmp_path, monkeypatch):
    path = write_h264(tmp_path / "clip.mp4", 5)
    monkeypatch.setattr(scaled_decode, "pyav", lambda: None)
    with VideoSource(path, min_side_px=MIN_SIDE_PX) as src:
        frames = list(src)
    assert src.decoder == "opencv" and len(frames) == 5 and frames[0].image.shape == (36, 64, 3)


def test_kept_whole_frames_and_small_frames_are_decoded_by_opencv(tmp_path):
    path = write_h264(tmp_path / "clip.mp4", 3)
    with VideoSource(path, min_side_px=MIN_SIDE_PX, keep_full=True) as kept:
        assert kept.decoder == "opencv" and next(iter(kept)).full.shape == (SIZE[1], SIZE[0], 3)
    with VideoSource(path) as small:  # 256 px is not halved with the default working size
        assert small.decoder == "opencv"


def test_a_file_pyav_cannot_open_is_left_to_opencv(tmp_path):
    bad = tmp_path / "bad.mp4"
    bad.write_bytes(b"not a video" * 100)
    assert scaled_decode.open_scaled(bad, 2, 10.0) is None


def test_a_cut_off_stream_ends_as_truncated(tmp_path):
    # MPEG-TS has no index at the end: cut it short and both decoders stop early; the announced count says so.
    path = write_h264(tmp_path / "clip.ts", 40)
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    src = VideoSource(path, min_side_px=MIN_SIDE_PX, scaled_factory=scaled_decode.open_scaled)
    src.frame_count = 40  # a container that announced the whole clip
    with src:
        frames = list(src)
    assert src.decoder == "ffmpeg-scaled" and 0 < len(frames) < 40
    assert src.end_reason == TRUNCATED


def test_times_fall_back_to_index_over_fps_without_presentation_times():
    class Stream:
        start_time, time_base = 0, Fraction(1, 1000)

    class Frame:
        pts = None

    decoder = scaled_decode.ScaledDecoder.__new__(scaled_decode.ScaledDecoder)
    decoder._stream, decoder._fps = Stream(), 25.0
    assert [decoder._seconds(Frame(), i) for i in range(3)] == pytest.approx([0, 0.04, 0.08])


def test_opencv_decodes_no_frame_when_ffmpeg_does(tmp_path):
    import cv2

    reads = []

    class CountingCapture:  # OpenCV's reader, counting the frames it was asked for
        def __init__(self, path):
            self._cap = cv2.VideoCapture(path)

        def read(self):
            reads.append(1)
            return self._cap.read()

        def __getattr__(self, name):
            return getattr(self._cap, name)

    path = write_h264(tmp_path / "clip.mp4", 4)
    with VideoSource(path, min_side_px=MIN_SIDE_PX, capture_factory=CountingCapture) as src:
        assert len(list(src)) == 4
    assert src.decoder == "ffmpeg-scaled" and reads == []  # no whole frame is ever made


def test_a_video_of_ordinary_frames_never_loads_pyav():
    """PyAV is imported on the first large video only: a run on ordinary frames does not pay for it."""
    import subprocess
    import sys

    sample = Path(__file__).resolve().parents[2] / "sample_videos" / "squats_side.mp4"
    code = ("import sys; from fitness.capture import VideoSource\n"
            f"with VideoSource({str(sample)!r}) as source:\n"
            "    next(iter(source)); print(source.decoder, 'av' in sys.modules)")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.split() == ["opencv", "False"]

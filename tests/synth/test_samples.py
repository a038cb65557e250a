"""The committed sample videos: present, small, readable, and their truth agrees with the video."""

from __future__ import annotations

import json

import cv2
import pytest

SAMPLES = ("squats_side", "push_ups_side", "bicep_curls_side")


@pytest.mark.parametrize("name", SAMPLES)
def test_sample_video_and_truth(repo_root, name):
    video = repo_root / "sample_videos" / f"{name}.mp4"
    truth = json.loads((repo_root / "sample_videos" / f"{name}.truth.json").read_text())
    assert video.stat().st_size < 2_000_000
    assert truth["exercise"] == name.rsplit("_", 1)[0] and truth["view"] == "side"
    assert 5 <= truth["reps"] + truth["no_reps"] <= 8
    assert 10 <= truth["frames"] / truth["fps"] <= 22
    cap = cv2.VideoCapture(str(video))
    assert int(cap.get(cv2.CAP_PROP_FRAME_COUNT)) == truth["frames"]
    assert (int(cap.get(cv2.CAP_PROP_FRAME_WIDTH)), int(cap.get(cv2.CAP_PROP_FRAME_HEIGHT))) == tuple(truth["size"])

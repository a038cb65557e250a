"""End to end, model included: two rendered athletes side by side in one video (each clip's own truth gives
their count), `fitness run --people all --names ...` counts each of them, left to right."""

from __future__ import annotations

import json

import cv2
import numpy as np
import pytest

from fitness import cli
from fitness.synth import RenderSpec, render_video

pytestmark = [pytest.mark.slow, pytest.mark.model]


def side_by_side(left: str, right: str, out: str) -> None:
    """The two videos next to each other; the shorter one's last frame is held to the end of the longer."""
    caps = [cv2.VideoCapture(left), cv2.VideoCapture(right)]
    fps = caps[0].get(cv2.CAP_PROP_FPS)
    last: list[np.ndarray | None] = [None, None]
    writer = None
    while True:
        got = [cap.read() for cap in caps]
        if not any(ok for ok, _ in got):
            break
        last = [image if ok else held for (ok, image), held in zip(got, last)]
        frame = np.hstack(last)
        if writer is None:
            writer = cv2.VideoWriter(out, cv2.VideoWriter_fourcc(*"mp4v"), fps, (frame.shape[1], frame.shape[0]))
        writer.write(frame)
    writer.release()
    for cap in caps:
        cap.release()


def test_two_athletes_side_by_side_are_each_counted(tmp_path):
    counts = {}
    for side, reps, seed in (("left", 3, 100101), ("right", 5, 100102)):
        truth = render_video(RenderSpec("squats", reps, view="front", seed=seed), tmp_path / f"{side}.mp4")
        counts[side] = truth["reps"]
    side_by_side(str(tmp_path / "left.mp4"), str(tmp_path / "right.mp4"), str(tmp_path / "both.mp4"))
    out = tmp_path / "out.json"
    code = cli.app(["run", "squats", "--video", str(tmp_path / "both.mp4"), "--people", "all", "--names", "Ann,Ben",
                    "--no-window", "--no-history", "--json", str(out)])
    assert code == 0
    doc = json.loads(out.read_text())
    assert [(p["name"], p["reps"]) for p in doc["people"]] == [("Ann", counts["left"]), ("Ben", counts["right"])]
    assert len({p["id"] for p in doc["people"]}) == 2

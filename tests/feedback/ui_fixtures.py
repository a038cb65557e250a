"""Snapshots for the UI tests (fixtures re-exported by conftest.py; the golden check is in golden_check.py)."""

from __future__ import annotations

import numpy as np
import pytest

from fitness.exercise.events import FormIssue, MachineStep, RepEvent, Signals
from fitness.feedback.snapshot import Snapshot
from fitness.pose.types import Keypoint, Pose

K = Keypoint
# A person seen from the side in a half squat, in a 320x240 frame.
SIDE_POSE_XY = {
    K.NOSE: (172, 40), K.LEFT_EYE: (176, 36), K.RIGHT_EYE: (176, 36), K.LEFT_EAR: (166, 38), K.RIGHT_EAR: (166, 38),
    K.LEFT_SHOULDER: (160, 70), K.RIGHT_SHOULDER: (160, 70), K.LEFT_ELBOW: (180, 100), K.RIGHT_ELBOW: (180, 100),
    K.LEFT_WRIST: (205, 95), K.RIGHT_WRIST: (205, 95), K.LEFT_HIP: (140, 135), K.RIGHT_HIP: (140, 135),
    K.LEFT_KNEE: (185, 160), K.RIGHT_KNEE: (185, 160), K.LEFT_ANKLE: (170, 215), K.RIGHT_ANKLE: (170, 215),
}


def make_pose(scale: float = 1.0, scores=None, t: float = 1.0) -> Pose:
    xy = np.array([SIDE_POSE_XY[k] for k in Keypoint], np.float32) * scale
    score = np.full(17, 0.9, np.float32) if scores is None else np.asarray(scores, np.float32)
    return Pose(xy=xy, score=score, t=t)


def make_step(**changes) -> MachineStep:
    values = dict(
        t=1.0,
        signals=Signals(1.0, {"knee_deg": 98.0, "hip_deg": 85.0, "lean_deg": 30.0}, True),
        phase="bottom",
        reps=3,
        no_reps=1,
        progress=0.8,
    )
    values.update(changes)
    return MachineStep(**values)


CHEST_UP = FormIssue("chest_up", "Keep your chest up", "warning", 1.0, 4)
LAST_REP = RepEvent(
    index=4, start_t=5.0, end_t=7.2, counted=True,
    phases={"eccentric_s": 1.1, "bottom_s": 0.3, "concentric_s": 0.8},
    rom=(95.0, 172.0), issues=("chest_up",), score=85.0, signal="knee_deg",
)
NO_REP = RepEvent(
    index=2, start_t=2.0, end_t=3.5, counted=False, reason="depth", rom=(120.0, 171.0), score=40.0, signal="knee_deg"
)


def make_snapshot(pose_scale: float = 1.0, **changes) -> Snapshot:
    values = dict(
        exercise="squats",
        title="Bodyweight squat",
        step=make_step(active=(CHEST_UP,)),
        pose=make_pose(pose_scale),
        main_signal="knee_deg",
        angle_joints={"knee_deg": (int(K.LEFT_HIP), int(K.LEFT_KNEE), int(K.LEFT_ANKLE)),
                      "hip_deg": (int(K.LEFT_SHOULDER), int(K.LEFT_HIP), int(K.LEFT_KNEE))},
        set_index=1,
        last_rep=LAST_REP,
        fps=29.7,
        latency_ms={"decode": 1.2, "pose": 21.5, "smooth": 0.2, "engine": 0.4, "draw": 2.1},
    )
    values.update(changes)
    return Snapshot(**values)


def background(width: int, height: int) -> np.ndarray:
    """A mid-gray frame with a gentle gradient, so translucent panels are visible in the goldens."""
    ramp = np.linspace(60, 140, width, dtype=np.float32)
    img = np.repeat(ramp[None, :, None], height, axis=0).repeat(3, axis=2)
    return img.astype(np.uint8)


@pytest.fixture
def snapshot_factory():
    return make_snapshot

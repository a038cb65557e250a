"""The real MoveNet models (need `fitness models fetch all`) on a real photo: keypoints land on hand-marked
points, backends agree, crop tracking helps a small off-centre person, litert never imports TensorFlow."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from fitness.errors import InputError
from fitness.pose.estimator import create_estimator

pytestmark = pytest.mark.model

# A 512x600 portrait shipped with matplotlib (Grace Hopper, head and shoulders, facing the camera).
PHOTO = Path(__import__("matplotlib").get_data_path()) / "sample_data" / "grace_hopper.jpg"
# Hand-marked on the photo (pixels): nose tip, her left eye (image right), her right eye.
MARKED = {0: (265.0, 228.0), 1: (310.0, 190.0), 2: (221.0, 191.0)}
# 12 px is about 2% of the photo's height, roughly the eye-to-eyelid distance.
MARK_TOLERANCE_PX = 12.0


@pytest.fixture(scope="module")
def photo() -> np.ndarray:
    import cv2

    return cv2.imread(str(PHOTO))


@pytest.mark.parametrize("model", ["lightning", "thunder", "multipose"])
def test_keypoints_land_on_the_hand_marked_points(model, photo):
    pose = create_estimator(model, source="cache").estimate(photo)
    assert pose is not None and pose.frame_size == (512, 600)
    for kp, (x, y) in MARKED.items():
        assert np.hypot(*(pose.xy[kp] - (x, y))) < MARK_TOLERANCE_PX, (kp, pose.xy[kp])


@pytest.mark.parametrize("model", ["lightning", "thunder"])
def test_litert_and_tf_backends_agree(model, photo):
    pytest.importorskip("tensorflow")
    lite = create_estimator(model, backend="litert", source="cache", crop_tracking=False).estimate(photo)
    full = create_estimator(model, backend="tf", source="cache", crop_tracking=False).estimate(photo)
    assert full is not None and lite is not None
    # 1e-3 of the 600 px letterbox side, the same bound as the raw-output agreement test.
    np.testing.assert_allclose(lite.xy, full.xy, atol=0.6)
    np.testing.assert_allclose(lite.score, full.score, atol=1e-3)


@pytest.mark.parametrize("scale", [0.2, 0.3])
def test_crop_tracking_helps_a_small_off_centre_person(scale, photo):
    import cv2

    # Truth: Thunder on the full-size photo, carried into the canvas by the same scale and offset.
    reference = create_estimator("thunder", source="cache").estimate(photo)
    small = cv2.resize(photo, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)
    canvas = np.full((1080, 1920, 3), 90, np.uint8)
    ox, oy = 300, 600
    canvas[oy : oy + small.shape[0], ox : ox + small.shape[1]] = small
    truth = reference.xy * scale + (ox, oy)
    face_and_shoulders = list(range(7))

    def error_px(crop_tracking: bool) -> float:
        est = create_estimator("lightning", source="cache", crop_tracking=crop_tracking)
        pose = None
        for _ in range(4):  # the crop settles on the person within a few frames
            pose = est.estimate(canvas)
        if pose is None:
            return float("inf")
        return float(np.median(np.linalg.norm(pose.xy[face_and_shoulders] - truth[face_and_shoulders], axis=1)))

    tracked, untracked = error_px(True), error_px(False)
    assert tracked < 8.0, tracked
    assert tracked < 0.5 * untracked, (tracked, untracked)


def test_litert_estimation_never_imports_tensorflow_and_prints_nothing():
    code = (
        "import sys, numpy as np\n"
        "from fitness.pose.estimator import create_estimator\n"
        "est = create_estimator('lightning', source='cache')\n"
        "est.estimate(np.zeros((480, 640, 3), np.uint8))\n"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in ('tensorflow', 'tensorflow_hub', 'keras'))\n"
        "print(bad)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120, cwd=Path(__file__).parents[2]
    )
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "[]"
    assert out.stderr == ""  # e.g. no "Created TensorFlow Lite XNNPACK delegate" line from the native runtime


@pytest.mark.parametrize("bad", [np.zeros((0, 0, 3), np.uint8), np.zeros((480, 640), np.uint8), np.ones((4, 4, 3))])
def test_real_estimator_refuses_bad_frames(bad):
    with pytest.raises(InputError):
        create_estimator("lightning", source="cache").estimate(bad)


def test_an_empty_scene_has_nobody(photo):
    assert create_estimator("lightning", source="cache").estimate(np.zeros((480, 640, 3), np.uint8)) is None


def test_threads_must_be_positive():
    with pytest.raises(InputError):
        create_estimator("lightning", threads=0, source="cache")

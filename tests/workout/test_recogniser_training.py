"""Training: windows labelled by what was done when, and the training script rebuilds the same weights from the
same pose caches."""

from __future__ import annotations

import json
import subprocess
import sys

import numpy as np

from fitness.pose.types import Keypoint
from fitness.workout.model import RecogniserModel
from fitness.workout.scores import NONE
from fitness.workout.training import Clip, clip_from_files, still_clip, window_label

STANDING = np.array([
    [320, 80], [326, 74], [314, 74], [334, 78], [306, 78], [350, 120], [290, 120], [356, 180], [284, 180],
    [360, 235], [280, 235], [340, 230], [300, 230], [342, 320], [298, 320], [344, 410], [296, 410],
], dtype=np.float64)
FPS = 30.0
WRISTS = [Keypoint.LEFT_WRIST, Keypoint.RIGHT_WRIST]
UPPER = list(range(0, 13))  # head, arms and hips: what drops in a squat


def clip(active=((1.0, 5.0),), rest=NONE, n=180) -> Clip:
    xy = np.repeat(STANDING[None], n, axis=0)
    return Clip("c", "squats", xy, np.ones((n, 17)), np.arange(n) / FPS, active, rest)


def test_windows_in_the_reps_are_the_exercise_and_the_standing_lead_in_is_none():
    c = clip()
    assert window_label(c, 2.0, 4.0) == "squats"
    assert window_label(c, 1.4, 3.4) == "squats"  # 80% inside
    assert window_label(c, 0.2, 2.2) is None  # 40% lead-in: left out
    assert window_label(c, 5.0, 7.0) == NONE


def test_the_lead_in_of_a_floor_exercise_is_left_out():
    assert window_label(clip(rest=None), 5.5, 7.5) is None


def test_standing_still_is_played_from_the_lead_in():
    still = still_clip(clip(active=((1.0, 5.0),)))
    assert still is not None and still.label == NONE and not still.active
    assert still.t[-1] - still.t[0] >= 2.9
    assert still_clip(clip(active=((0.2, 5.0),))) is None  # no lead-in to speak of


def write_clip(folder, cache, name: str, exercise: str, seed: int, hz: float) -> None:
    """A rendered-clip stand-in: 1 s standing, then 4 s of the exercise, with the truth file beside it."""
    rng = np.random.default_rng(seed)
    t = np.arange(150) / FPS
    move = np.where(t >= 1.0, (1 - np.cos(2 * np.pi * hz * (t - 1.0))) / 2, 0.0)
    xy = np.repeat(STANDING[None], len(t), axis=0) + rng.normal(0, 1.5, (len(t), 17, 2))
    if exercise == "squats":
        xy[:, UPPER, 1] += 70 * move[:, None]
    else:
        xy[:, WRISTS, 1] -= 80 * move[:, None]
    np.savez(cache / f"{name}.npz", xy=xy.astype(np.float32), score=np.full((len(t), 17), 0.9, np.float32), t=t)
    reps = [{"start_s": 1.0 + i / hz, "end_s": 1.0 + (i + 1) / hz} for i in range(int(4 * hz))]
    truth = {"exercise": exercise, "view": "front", "fps": FPS, "seed": seed, "rep_list": reps,
             "keypoints": [STANDING.tolist()]}
    (folder / f"{name}.truth.json").write_text(json.dumps(truth))


def test_the_training_script_rebuilds_the_same_weights(tmp_path, repo_root):
    folder, cache = tmp_path / "clips", tmp_path / "cache"
    folder.mkdir()
    cache.mkdir()
    for i, seed in enumerate((1, 2, 3)):
        write_clip(folder, cache, f"squats_{seed}", "squats", seed, 0.5 + 0.1 * i)
        write_clip(folder, cache, f"bicep_curls_{seed}", "bicep_curls", seed, 0.5 + 0.1 * i)
    write_clip(folder, cache, "squats_93001", "squats", 93001, 0.5)  # held out: not read
    (folder / "squats_93001.truth.json").write_text("not json: reading it would fail")
    models = []
    for run in ("a", "b"):
        out = tmp_path / f"{run}.npz"
        subprocess.run(
            [sys.executable, str(repo_root / "scripts" / "train_recogniser.py"), "train", str(folder),
             "--cache", str(cache), "--out", str(out), "--epochs", "40", "--hidden", "6",
             "--exclude-seeds", "93000-95999"],
            check=True, capture_output=True, text=True,
        )
        models.append(RecogniserModel.load(out))
    a, b = models
    assert a.labels == b.labels == ("bicep_curls", NONE, "squats")
    for name in ("mean", "std", "w1", "b1", "w2", "b2"):
        assert np.array_equal(getattr(a, name), getattr(b, name)), name
    curl = clip_from_files(cache / "bicep_curls_1.npz", folder / "bicep_curls_1.truth.json")
    assert curl.active == ((1.0, 5.0),) and curl.rest_label == NONE


def test_an_end_on_plank_is_not_standing(tmp_path):
    """Filmed end-on, a plank's torso stands upright in the picture; its legs, running away from the camera, do
    not reach down: its lead-in is left out, not taught as standing still."""
    cache = tmp_path / "cache"
    cache.mkdir()
    write_clip(tmp_path, cache, "push_ups_front_7", "push_ups", 7, 0.5)
    truth = json.loads((tmp_path / "push_ups_front_7.truth.json").read_text())
    end_on = STANDING.copy()
    end_on[[Keypoint.LEFT_KNEE, Keypoint.RIGHT_KNEE], 1] = 225
    end_on[[Keypoint.LEFT_ANKLE, Keypoint.RIGHT_ANKLE], 1] = 220
    truth["keypoints"] = [end_on.tolist()]
    (tmp_path / "push_ups_front_7.truth.json").write_text(json.dumps(truth))
    clip = clip_from_files(cache / "push_ups_front_7.npz", tmp_path / "push_ups_front_7.truth.json")
    assert clip.rest_label is None

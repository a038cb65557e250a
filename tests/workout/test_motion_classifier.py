"""The live classifier: silent until it has seen enough of the movement, deterministic, starts over after a gap,
and the shipped weights load and know the library's exercises."""

from __future__ import annotations

import dataclasses
from collections import Counter

import numpy as np
import pytest

from fitness.exercise.loader import list_exercises
from fitness.pose.types import Keypoint, Pose
from fitness.workout.classifier import load_classifier, load_model
from fitness.workout.features import WINDOW_FEATURES
from fitness.workout.model import RecogniserModel
from fitness.workout.recogniser import MAX_GAP_S, MotionClassifier
from fitness.workout.scores import NONE, ExerciseClassifier

STANDING = np.array([
    [320, 80], [326, 74], [314, 74], [334, 78], [306, 78], [350, 120], [290, 120], [356, 180], [284, 180],
    [360, 235], [280, 235], [340, 230], [300, 230], [342, 320], [298, 320], [344, 410], [296, 410],
], dtype=np.float32)
FPS = 30.0


def curling(n: int, start_t: float = 0.0, hz: float = 0.5) -> list[tuple[Pose, float]]:
    """n frames of someone raising both wrists, hz times a second."""
    frames = []
    for i in range(n):
        t = start_t + i / FPS
        xy = STANDING.copy()
        xy[[Keypoint.LEFT_WRIST, Keypoint.RIGHT_WRIST], 1] -= 50 * (1 - np.cos(2 * np.pi * hz * t)) / 2
        frames.append((Pose(xy, np.full(17, 0.9, np.float32), t), t))
    return frames


def toy_model(labels=("squats", NONE), window_s=2.0, ready_s=1.5) -> RecogniserModel:
    rng = np.random.default_rng(1)
    f, h, c = len(WINDOW_FEATURES), 4, len(labels)
    return RecogniserModel(labels=tuple(labels), mean=np.zeros(f), std=np.ones(f), w1=rng.normal(size=(f, h)),
                           b1=np.zeros(h), w2=rng.normal(size=(h, c)), b2=np.zeros(c), window_s=window_s,
                           ready_s=ready_s, class_mean=np.zeros((c, f)), class_std=np.ones((c, f)), familiar=1e9)


def test_it_says_nothing_until_it_has_seen_ready_s_of_movement():
    classifier = MotionClassifier(toy_model())
    answers = [classifier.update(pose, t) for pose, t in curling(90)]
    first_ready = next(i for i, a in enumerate(answers) if a.ready)
    assert answers[first_ready].t == pytest.approx(1.5, abs=1 / FPS)
    assert all(a.ready for a in answers[first_ready:])
    assert sum(answers[-1].probs.values()) == pytest.approx(1.0)
    assert set(answers[-1].probs) == {"squats", NONE}


def test_the_same_poses_give_the_same_answers():
    frames = curling(120)
    a, b = MotionClassifier(load_model()), MotionClassifier(load_model())
    assert [a.update(p, t).probs for p, t in frames] == [b.update(p, t).probs for p, t in frames]


def test_reset_and_a_gap_in_time_start_over():
    classifier = MotionClassifier(toy_model())
    for pose, t in curling(60):
        classifier.update(pose, t)
    assert classifier.update(*curling(1, start_t=2.0)[0]).ready
    later = 2.0 + 2 * MAX_GAP_S
    assert not classifier.update(*curling(1, start_t=later)[0]).ready
    classifier.reset()
    assert not classifier.update(*curling(1, start_t=later + 1 / FPS)[0]).ready


def test_nobody_in_most_of_the_window_is_no_answer():
    classifier = MotionClassifier(toy_model())
    frames = curling(90)
    answers = [classifier.update(pose if i < 10 else None, t) for i, (pose, t) in enumerate(frames)]
    assert not answers[-1].ready


def test_the_shipped_weights_load_and_know_the_library():
    classifier: ExerciseClassifier = load_classifier()
    assert callable(classifier.update) and callable(classifier.reset)
    assert NONE in classifier.labels
    assert set(classifier.labels) - {NONE} <= {info.name for info in list_exercises() if info.builtin}
    assert len(classifier.labels) >= 5


def test_a_model_saved_and_loaded_answers_the_same(tmp_path):
    model = toy_model()
    model.save(tmp_path / "m.npz")
    again = RecogniserModel.load(tmp_path / "m.npz")
    x = np.random.default_rng(0).normal(size=(5, len(WINDOW_FEATURES)))
    assert again.labels == model.labels
    assert np.allclose(again.predict(x), model.predict(x), atol=1e-5)


def test_a_movement_unlike_every_trained_one_is_none():
    """An exercise the classifier was not trained on (one written only in YAML) must not pass for a known one."""
    model = dataclasses.replace(toy_model(), familiar=1.0)
    near = np.full(len(WINDOW_FEATURES), 0.5)
    far = np.full(len(WINDOW_FEATURES), 10.0)
    assert np.allclose(model.predict(near), model.predict(near, novelty=False))
    assert model.predict(far)[model.labels.index(NONE)] == pytest.approx(1.0)
    assert model.predict(far, novelty=False)[model.labels.index(NONE)] < 0.99


# The synthetic athlete's exact keypoints (tests/exercise/tracks), another path than the MoveNet poses it was
# trained on: each library exercise in one of its views.
TRACKS = [("squats", "side"), ("squats", "front"), ("push_ups", "side"), ("bicep_curls", "front"),
          ("shoulder_press", "front"), ("lunges", "side"), ("jumping_jacks", "front"), ("sit_ups", "side"),
          ("glute_bridges", "side"), ("lateral_raises", "front")]


@pytest.mark.parametrize(("exercise", "view"), TRACKS)
def test_the_shipped_classifier_recognises_the_synthetic_athlete(exercise, view):
    from exercise.tracks import track

    classifier = load_classifier()
    answers = [classifier.update(pose, t) for pose, t in track(exercise, 5, view, noise_px=1.5)]
    tops = Counter(a.top()[0] for a in answers if a.ready)
    assert tops.most_common(1)[0][0] == exercise
    assert tops[exercise] >= 0.8 * sum(tops.values())

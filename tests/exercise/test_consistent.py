"""Low-score keypoints used while they move consistently (fitness.exercise.consistent)."""

from __future__ import annotations

import math

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from fitness.exercise import ExerciseMachine, load_exercise
from fitness.exercise.consistent import CONSISTENT_S, JUMP_TORSOS_PER_S, LOW_SCORE, ConsistentKeypoints

TORSO_PX = 100.0
FPS = 30.0


def run(xy_per_frame, score: float, trusted: float = 0.3) -> list[bool]:
    """Whether keypoint 0 is usable on each frame (the other keypoints are missing)."""
    gate = ConsistentKeypoints(trusted)
    out = []
    for k, (x, y) in enumerate(xy_per_frame):
        xy = [(x, y)] + [(math.nan, math.nan)] * 16
        out.append(gate.usable(xy, [score] + [0.0] * 16, TORSO_PX, k / FPS)[0])
    return out


@given(st.floats(LOW_SCORE, 0.29), st.floats(-3.0, 3.0))
def test_a_steady_low_score_keypoint_is_used_after_it_has_been_consistent(score, speed_torsos_per_s):
    path = [(100 + speed_torsos_per_s * TORSO_PX * k / FPS, 200.0) for k in range(30)]
    usable = run(path, score)
    first = usable.index(True)
    assert all(usable[first:])
    assert math.isclose(first / FPS, CONSISTENT_S, abs_tol=1.01 / FPS)


@given(st.floats(LOW_SCORE, 0.29), st.integers(0, 2**32 - 1))
def test_a_keypoint_that_hops_between_places_is_never_used(score, seed):
    rng = np.random.default_rng(seed)
    jump_px = 1.5 * JUMP_TORSOS_PER_S * TORSO_PX / FPS
    path = [(100 + (k % 2) * jump_px * rng.uniform(1, 3), 200.0) for k in range(30)]
    assert not any(run(path, score))


def test_trusted_keypoints_are_always_used_and_too_low_ones_never():
    path = [(100.0 + 40 * (k % 2), 200.0) for k in range(10)]
    assert all(run(path, 0.5))
    assert not any(run([(100.0, 200.0)] * 30, LOW_SCORE / 2))


def test_a_gap_starts_the_wait_over():
    path = [(100.0, 200.0)] * 10 + [(math.nan, math.nan)] + [(100.0, 200.0)] * 10
    usable = run(path, 0.2)
    assert usable[9] and not usable[11]


def test_the_sides_of_a_pair_share_one_judge_of_low_score_keypoints():
    machine = ExerciseMachine(load_exercise("bicep_curls"))
    left, right = (tracker.metrics.consistent for tracker in machine.trackers)
    assert left is not None and left is right


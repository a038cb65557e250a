"""PeopleTracker over scenes of several people (tests/pose/crowd.py): ids stay through crossings, a hidden
second, stepping out and back; passers-by in the background get none."""

from __future__ import annotations

import numpy as np
import pytest
from crowd import Person, compose, ramp, scenes, score, two_athletes

from fitness.pose.people_tracker import CONFIRM_HITS, PeopleTracker, build_gap
from fitness.pose.types import Pose


def run(scene) -> list[list[int | None]]:
    tracker = PeopleTracker()
    return [[p.track_id for p in tracker.update(poses, t)] for t, poses in scene.frames]


@pytest.fixture(scope="module")
def all_scenes():
    return scenes(seed=11)


@pytest.mark.parametrize("name", ["side_by_side", "crossing", "crossing_twins", "occlusion", "step_out_and_back",
                                  "passer_by"])
def test_each_person_keeps_one_id_and_passers_by_get_none(all_scenes, name):
    scene = all_scenes[name]
    result = score(scene, run(scene))
    assert result.switches == 0
    assert all(len(ids) == 1 for ids in result.ids.values()), result.ids
    assert result.passer_by_frames == 0
    # Only the first frames (before an id is confirmed) go without one.
    assert result.unlabelled <= len(scene.people) * (CONFIRM_HITS + 2)


def test_the_two_people_get_different_ids(all_scenes):
    result = score(all_scenes["crossing"], run(all_scenes["crossing"]))
    (a,), (b,) = result.ids["A"], result.ids["B"]
    assert a != b


def test_someone_away_longer_than_reid_time_comes_back_with_a_new_id():
    a, b = two_athletes(5, reps=(8, 8))
    left = 320.0
    # Out from 3.5 s, back only at 11 s: longer than REID_S.
    out_x = lambda t: ramp(2.5, 3.5, left, -400)(t) if t < 6 else ramp(10.5, 11.5, -400, left)(t)  # noqa: E731
    scene = compose([Person("A", a, out_x), Person("B", b, lambda t: 960.0, scale=0.95)], seed=5)
    result = score(scene, run(scene))
    assert len(result.ids["A"]) == 2 and len(result.ids["B"]) == 1


def test_a_single_frame_ghost_gets_no_id():
    tracker = PeopleTracker()
    rng = np.random.default_rng(0)
    xy = rng.uniform(100, 300, (17, 2))
    out = tracker.update([Pose(xy, np.full(17, 0.9), 0.0)], 0.0)
    assert out[0].track_id is None


def test_builds_compare_only_the_ratios_both_have():
    a = np.array([1.0, np.nan, 0.5])
    b = np.array([1.2, 0.7, np.nan])
    assert build_gap(a, b) == pytest.approx(0.2)
    assert build_gap(a, np.full(3, np.nan)) == 0.0

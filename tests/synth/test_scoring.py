"""Scoring functions on hand-made inputs: PCK, count accuracy, rep matching, fault precision/recall."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from fitness.errors import InputError
from fitness.synth.scoring import FaultTally, count_score, fault_tally, match_reps, pck, pck_hits


def _true_pose() -> np.ndarray:
    """17 keypoints with both shoulder-hip distances exactly 100 px (so the PCK radius is 20 px)."""
    xy = np.tile(np.array([50.0, 50.0]), (17, 1))
    xy[5], xy[6] = (100.0, 100.0), (140.0, 100.0)  # shoulders
    xy[11], xy[12] = (100.0, 200.0), (140.0, 200.0)  # hips
    return xy


def test_pck_counts_within_a_fifth_of_the_torso():
    true = _true_pose()[None]
    pred = true.copy()
    pred[0, 0] += (19.9, 0)  # just inside 0.2 x 100 px
    pred[0, 1] += (0, 20.1)  # just outside
    pred[0, 2] = np.nan  # missing prediction: a miss
    mask = np.ones((1, 17), bool)
    hits, counted = pck_hits(pred, true, mask)
    assert counted.sum() == 17
    assert hits[0] == 1 and hits[1] == 0 and hits[2] == 0
    assert pck(pred, true, mask) == pytest.approx(15 / 17)


def test_pck_ignores_masked_keypoints_and_frames_without_a_torso():
    true = np.stack([_true_pose(), np.zeros((17, 2))])  # second frame: zero torso length
    pred = true + 1000.0
    mask = np.zeros((2, 17), bool)
    mask[0, 3] = True
    hits, counted = pck_hits(pred, true, mask | np.array([[False] * 17, [True] * 17]))
    assert counted.sum() == 1 and hits.sum() == 0
    assert np.isnan(pck(pred, true, np.zeros((2, 17), bool)))


def test_pck_rejects_wrong_shapes():
    with pytest.raises(InputError, match="17, 2"):
        pck_hits(np.zeros((1, 16, 2)), np.zeros((1, 16, 2)), np.ones((1, 16), bool))


@given(st.floats(0.1, 50.0), st.floats(-500, 500), st.floats(-500, 500))
def test_pck_is_invariant_to_scale_and_shift(scale, dx, dy):
    rng = np.random.default_rng(0)
    true = _true_pose()[None]
    pred = true + rng.normal(0, 15, true.shape)
    mask = np.ones((1, 17), bool)
    moved = lambda a: a * scale + np.array([dx, dy])  # noqa: E731
    assert pck(moved(pred), moved(true), mask) == pytest.approx(pck(pred, true, mask))


def test_count_score():
    s = count_score([5, 4, 6, 5, 8], [5, 5, 5, 5, 5])
    assert s.clips == 5
    assert s.exact_rate == pytest.approx(2 / 5)
    assert s.mae == pytest.approx((0 + 1 + 1 + 0 + 3) / 5)
    assert s.off_by_one_rate == pytest.approx(2 / 5)
    assert s.within_one_rate == pytest.approx(4 / 5)
    with pytest.raises(InputError, match="one prediction per clip"):
        count_score([1], [1, 2])
    assert np.isnan(count_score([], []).exact_rate)


def test_match_reps_pairs_by_overlap_and_leaves_extras_unmatched():
    true = [(0.0, 2.0), (3.0, 5.0), (6.0, 8.0)]
    pred = [(3.2, 5.1), (0.1, 1.9), (9.0, 10.0)]
    assert match_reps(true, pred) == {0: 1, 1: 0}


def test_fault_tally_precision_and_recall():
    true = [["chest_up"], [], ["chest_up", "knees_cave"]]
    pred = [["chest_up", "depth"], ["chest_up"], ["knees_cave"], ["chest_up"]]  # the last one has no truth partner
    matches = {0: 0, 1: 1, 2: 2}
    t = fault_tally(true, pred, matches, ("chest_up", "knees_cave"))
    # rep 0: tp; rep 1: fp; rep 2: knees_cave tp, chest_up fn; extra predicted rep: fp. "depth" is not scored.
    assert (t.tp, t.fp, t.fn) == (2, 2, 1)
    assert t.precision == pytest.approx(0.5) and t.recall == pytest.approx(2 / 3)
    assert np.isnan(FaultTally().precision) and np.isnan(FaultTally().recall)
    assert (t + t).tp == 4

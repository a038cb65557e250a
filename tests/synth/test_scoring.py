"""Scoring functions on hand-made inputs: PCK, count accuracy, rep matching, fault precision/recall, tempo and
phantom reps."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from fitness.errors import InputError
from fitness.synth.scoring import (
    TEMPO_TOLERANCE_S,
    FaultTally,
    Phantoms,
    count_score,
    fault_tally,
    match_reps,
    pck,
    pck_hits,
    phantoms,
    tempo_error,
    tempo_summary,
)


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


TRUE_TIMES = (10.0, 10.9, 11.1, 12.0)  # leaves rest, turns, leaves the turn, back: phases 0.9, 0.2, 0.9 s


def test_tempo_error_of_each_time_and_phase():
    e = tempo_error(TRUE_TIMES, 10.1, 11.95, (0.7, 0.3, 0.85))
    assert (e.start_s, e.end_s, e.out_s, e.target_s, e.back_s) == pytest.approx((0.1, 0.05, 0.2, 0.1, 0.05))
    assert e.worst_s == pytest.approx(0.2) and not e.within() and e.within(0.25)
    perfect = tempo_error(TRUE_TIMES, 10.0, 12.0, (0.9, 0.2, 0.9))
    assert perfect.worst_s == pytest.approx(0.0, abs=1e-9) and perfect.within()


def test_a_rep_without_three_phases_is_never_on_time():
    for phases in ((), (0.9, 1.1)):
        e = tempo_error(TRUE_TIMES, 10.0, 12.0, phases)
        assert e.start_s == 0.0 and np.isnan(e.out_s) and e.worst_s == np.inf and not e.within(100.0)


@given(st.floats(-0.5, 0.5), st.floats(-0.5, 0.5), st.floats(-100, 100))
def test_tempo_error_of_a_moved_rep(early_s, late_s, shift_s):
    """A prediction leaving rest `early_s` off and coming back `late_s` off, its phases matching those times:
    errors of |early_s| and |late_s| whatever the clock, within tolerance exactly when both are."""
    start, turn, back, end = (t + shift_s for t in TRUE_TIMES)
    pred_phases = (turn - (start + early_s), back - turn, end + late_s - back)
    e = tempo_error((start, turn, back, end), start + early_s, end + late_s, pred_phases)
    assert e.start_s == pytest.approx(abs(early_s), abs=1e-9) and e.end_s == pytest.approx(abs(late_s), abs=1e-9)
    assert e.target_s == pytest.approx(0.0, abs=1e-9)
    assert e.worst_s == pytest.approx(max(abs(early_s), abs(late_s)), abs=1e-9)
    if abs(abs(early_s) - TEMPO_TOLERANCE_S) > 1e-6 and abs(abs(late_s) - TEMPO_TOLERANCE_S) > 1e-6:
        assert e.within() == (max(abs(early_s), abs(late_s)) <= TEMPO_TOLERANCE_S)


def test_tempo_summary_share_and_median_of_the_worst():
    errors = [tempo_error(TRUE_TIMES, 10.0 + d, 12.0, (0.9 - d, 0.2, 0.9)) for d in (0.0, 0.1, 0.3)]
    errors.append(tempo_error(TRUE_TIMES, 10.0, 12.0, ()))  # no phases: worst is infinite
    reps, share, median = tempo_summary(errors)
    assert (reps, share) == (4, 0.5)
    assert median == pytest.approx((0.1 + 0.3) / 2)
    assert tempo_summary([])[0] == 0 and np.isnan(tempo_summary([])[1]) and np.isnan(tempo_summary([])[2])


def test_phantoms_are_no_reps_without_a_partial_partner_and_reps_without_any_partner():
    true_partial = [False, False, True]
    counted = [True, False, False, False, True, True]
    matches = {0: 0, 1: 2, 2: 3}  # pred 1 and 4, 5 have no partner; pred 2 (a no-rep) sits on a full rep
    assert phantoms(true_partial, counted, matches) == Phantoms(no_reps=2, reps=2)
    assert phantoms([], [False, True], {}) == Phantoms(1, 1)
    assert phantoms(true_partial, [True, True, False], {0: 0, 1: 1, 2: 2}) == Phantoms()

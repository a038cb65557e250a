"""Pairing the two sides' reps (fitness.exercise.limbs): overlap, waiting for a partner, and the limb mode."""

from __future__ import annotations

from dataclasses import replace

from hypothesis import given
from hypothesis import strategies as st

from fitness.exercise.limbs import (
    ALONG_S,
    NO_REP_WAIT_S,
    PAIR_WAIT_S,
    QUICK_TURN_S,
    SPLIT_GAP_S,
    TOGETHER_OVERLAP,
    JudgedRep,
    LimbPairing,
    merge,
    overlap_share,
)
from fitness.exercise.reps import ClosedRep, RepInProgress


def closed(start_t: float, end_t: float, counted: bool = True, phases: dict | None = None) -> ClosedRep:
    return ClosedRep(start_t, end_t, counted, phases or {}, (0.0, 1.0), None if counted else "partial", (), [])


def judged(side: str, start_t: float, end_t: float, counted: bool = True, seen: float = 0.8,
           issues: tuple[str, ...] = ()) -> JudgedRep:
    return JudgedRep(closed(start_t, end_t, counted, {"out_s": seen}), side, issues, 100.0, (), seen)


spans = st.tuples(st.floats(0, 100), st.floats(0.1, 10)).map(lambda p: (p[0], p[0] + p[1]))


@given(spans, spans)
def test_overlap_share_is_symmetric_and_a_share(a, b):
    x, y = closed(*a), closed(*b)
    share = overlap_share(x, y)
    assert share == overlap_share(y, x)
    assert 0.0 <= share <= 1.0
    assert overlap_share(x, x) == 1.0
    assert (share > 0) == (min(a[1], b[1]) > max(a[0], b[0]))


def test_reps_done_together_merge_into_one_rep_of_both_sides():
    pairing = LimbPairing()
    # The left rep closes while the right one, begun 0.1 s later, is still under way: it waits.
    out = pairing.step([judged("left", 1.0, 3.0, seen=0.9)], {"right": RepInProgress(start_t=1.1)}, 3.0)
    assert out == [] and pairing.mode is None
    out = pairing.step([judged("right", 1.1, 3.2, seen=0.4)], {"left": None}, 3.2)
    # Its times are the better-seen side's, as its phases are; it spans both sides' reps for later pairing.
    assert [(j.side, j.rep.start_t, j.rep.end_t, j.seen) for j in out] == [("both", 1.0, 3.0, 0.9)]
    assert out[0].rep.span == (1.0, 3.2)
    assert pairing.mode == "together"


def test_a_rep_without_a_partner_in_progress_is_final_at_once():
    pairing = LimbPairing()
    out = pairing.step([judged("left", 1.0, 3.0)], {"right": None}, 3.0)
    assert [j.side for j in out] == ["left"] and pairing.mode == "left"
    out = pairing.step([judged("right", 3.5, 5.5)], {"left": None}, 5.5)
    assert [j.side for j in out] == ["right"] and pairing.mode == "alternating"


def test_a_rep_in_progress_that_began_late_is_no_partner():
    # The right arm rises as the left comes back down: too late to overlap it by TOGETHER_OVERLAP.
    pairing = LimbPairing()
    late = 3.0 - TOGETHER_OVERLAP * 2.0 + 0.1
    out = pairing.step([judged("left", 1.0, 3.0)], {"right": RepInProgress(start_t=late)}, 3.0)
    assert [j.side for j in out] == ["left"]


def test_a_waiting_rep_is_final_once_the_other_side_gives_up_or_after_pair_wait_s():
    pairing = LimbPairing()
    assert pairing.step([judged("left", 1.0, 3.0)], {"right": RepInProgress(start_t=1.2)}, 3.0) == []
    out = pairing.step([], {"right": None}, 3.1)  # the right side's movement was a twitch
    assert [j.side for j in out] == ["left"]
    assert pairing.step([judged("left", 5.0, 7.0)], {"right": RepInProgress(start_t=5.2)}, 7.0) == []
    assert pairing.step([], {"right": RepInProgress(start_t=5.2)}, 7.0 + 0.9 * PAIR_WAIT_S) == []
    out = pairing.step([], {"right": RepInProgress(start_t=5.2)}, 7.0 + 1.1 * PAIR_WAIT_S)
    assert [j.side for j in out] == ["left"]


def test_a_no_rep_waits_for_the_other_sides_rep_under_way_and_is_absorbed_by_it():
    # Alternating curls: the idle left arm wobbles past its partial line early in the right arm's slow curl.
    pairing = LimbPairing()
    working = {"right": RepInProgress(start_t=1.0)}
    assert pairing.step([judged("left", 1.1, 1.8, counted=False)], working, 1.8) == []
    assert pairing.step([], working, 1.8 + 1.5 * PAIR_WAIT_S) == []  # still waiting, unlike a counted rep
    out = pairing.step([judged("right", 1.0, 4.0)], {"left": None}, 4.0)
    assert [(j.side, j.rep.counted) for j in out] == [("right", True)]
    # It waits NO_REP_WAIT_S at most: then it is a no-rep of its own.
    assert pairing.step([judged("left", 6.1, 6.8, counted=False)], {"right": RepInProgress(start_t=6.0)}, 6.8) == []
    out = pairing.step([], {"right": RepInProgress(start_t=6.0)}, 6.8 + 1.01 * NO_REP_WAIT_S)
    assert [(j.side, j.rep.counted) for j in out] == [("left", False)]


def test_a_no_rep_along_a_counted_rep_is_dropped():
    # The idle arm dips as the working arm finishes its curl (overlapping it too little to pair), or just before
    # the next curl begins: not an attempt of its own. A dip with rest around it is a no-rep.
    pairing = LimbPairing()
    assert [j.side for j in pairing.step([judged("right", 1.0, 3.0)], {"left": None}, 3.0)] == ["right"]
    assert pairing.step([judged("left", 2.9, 4.0, counted=False)], {"right": None}, 4.0) == []
    assert pairing.step([], {"right": None}, 4.0 + 1.01 * PAIR_WAIT_S) == []  # dropped, not given out
    assert pairing.step([judged("left", 6.0, 7.0, counted=False)], {"right": None}, 7.0) == []
    assert pairing.step([], {"right": RepInProgress(start_t=7.4)}, 7.0 + 1.01 * PAIR_WAIT_S) == []
    out = pairing.step([judged("right", 7.0 + ALONG_S / 2, 9.5)], {"left": None}, 9.5)
    assert [(j.side, j.rep.counted) for j in out] == [("right", True)]
    assert pairing.step([judged("left", 11.0, 12.0, counted=False)], {"right": None}, 12.0) == []
    out = pairing.step([], {"right": None}, 12.0 + 1.01 * PAIR_WAIT_S)
    assert [(j.side, j.rep.counted) for j in out] == [("left", False)]
    assert pairing.pending == []


def test_a_no_rep_just_before_a_rep_of_its_own_side_waits_for_it_and_is_dropped():
    # The right arm stalls part way up (MoveNet loses it for a moment), then curls on: the piece before the stall
    # closes as a no-rep, and the curl that follows within ALONG_S continues it (see `along`).
    pairing = LimbPairing()
    assert pairing.step([judged("right", 3.3, 4.2, counted=False)], {"left": None}, 4.2) == []
    going = {"left": None, "right": RepInProgress(start_t=4.4)}
    assert pairing.step([], going, 4.2 + 1.5 * PAIR_WAIT_S) == []  # waits for the right arm's rep under way
    out = pairing.step([judged("right", 4.2 + ALONG_S / 2, 6.5)], {"left": None}, 6.5)
    assert [(j.side, j.rep.counted) for j in out] == [("right", True)]
    assert pairing.pending == []


def test_reps_that_overlap_too_little_stay_apart():
    pairing = LimbPairing()
    a = judged("left", 1.0, 3.0)
    shift = (1.0 - TOGETHER_OVERLAP) * 2.0 + 0.2  # the right rep overlaps less than TOGETHER_OVERLAP
    assert pairing.step([a], {"right": RepInProgress(start_t=1.0 + shift - 0.5)}, 3.0) == []
    out = pairing.step([judged("right", 1.0 + shift, 3.0 + shift)], {}, 3.0 + shift)
    assert sorted(j.side for j in out) == ["left", "right"]


def test_flush_gives_out_waiting_reps_merged():
    pairing = LimbPairing()
    pairing.step([judged("right", 1.0, 3.0)], {"left": RepInProgress(start_t=1.1)}, 3.0)
    assert [j.side for j in pairing.flush()] == ["right"] and pairing.pending == []
    pairing.step([judged("right", 5.0, 7.0)], {"left": RepInProgress(start_t=5.1)}, 7.0)
    assert pairing.step([judged("left", 5.1, 7.2)], {"right": RepInProgress(start_t=6.0)}, 7.2) == []
    assert [j.side for j in pairing.flush()] == ["both"]


def test_a_merged_rep_counts_when_either_side_counted_it_and_takes_the_better_seen_counted_side():
    # Its side is that of the counted reps: a no-rep of the other arm moved along (alternating curls' idle arm).
    a = judged("left", 1.0, 3.0, counted=False, seen=0.9)
    b = judged("right", 1.1, 3.1, counted=True, seen=0.3, issues=("drift",))
    m = merge([a, b])
    assert m.rep.counted and m.side == "right" and m.issues == ("drift",) and m.rep.phases == {"out_s": 0.3}
    c = judged("left", 1.0, 3.0, counted=True, seen=0.9)
    assert merge([c, b]).rep.phases == {"out_s": 0.9}


def test_a_rep_closing_after_its_partners_were_given_out_is_a_duplicate():
    # The far arm never settled back to rest between the near arm's two curls: one long rep over both.
    pairing = LimbPairing()
    out = pairing.step([judged("right", 1.6, 3.6)], {"left": RepInProgress(start_t=1.65)}, 3.6)
    assert out == []
    out = pairing.step([], {"left": RepInProgress(start_t=1.65)}, 3.6 + 1.01 * PAIR_WAIT_S)  # waited: given alone
    assert [j.side for j in out] == ["right"]
    # The second curl waits: the long left rep under way overlaps it.
    assert pairing.step([judged("right", 4.7, 6.5)], {"left": RepInProgress(start_t=1.65)}, 6.5) == []
    # The long left rep duplicates the first curl, given out already: dropped; the second curl is final alone.
    out = pairing.step([judged("left", 1.65, 6.6)], {"right": None}, 6.6)
    assert [(j.side, j.rep.start_t) for j in out] == [("right", 4.7)]
    assert pairing.mode == "right"
    # A no-rep of one side does not swallow the other side's counted rep: the rep absorbs it.
    pairing.step([judged("left", 8.0, 10.0, counted=False)], {"right": None}, 10.0)
    out = pairing.step([judged("right", 8.1, 10.1)], {"left": None}, 10.1)
    assert [(j.side, j.rep.counted) for j in out] == [("right", True)]


def test_a_rep_overlapping_a_dropped_duplicate_is_a_duplicate_too():
    # A far arm splits a near-arm curl in two: its first piece is given out alone; the near arm's whole curl
    # duplicates it; the far arm's second piece duplicates that curl.
    pairing = LimbPairing()
    assert [j.side for j in pairing.step([judged("right", 8.1, 8.7)], {"left": None}, 8.7)] == ["right"]
    assert pairing.step([judged("left", 8.1, 9.8)], {"right": RepInProgress(start_t=8.8)}, 9.8) == []
    assert pairing.step([judged("right", 8.8, 9.8)], {"left": None}, 9.8) == []


def test_a_far_arm_rep_split_in_two_around_the_near_arm_rep_is_one_rep():
    pairing = LimbPairing()
    assert pairing.step([judged("right", 14.8, 15.5)], {"left": RepInProgress(start_t=14.8)}, 15.5) == []
    assert pairing.step([judged("right", 15.7, 16.3)], {"left": RepInProgress(start_t=14.8)}, 16.3) == []
    out = pairing.step([judged("left", 14.8, 16.4, seen=0.9)], {"right": None}, 16.4)
    assert [(j.side, j.rep.start_t, j.rep.end_t, j.seen) for j in out] == [("both", 14.8, 16.4, 0.9)]


def test_the_pieces_of_a_duplicate_closing_together_with_it_are_duplicates():
    pairing = LimbPairing()
    assert pairing.step([judged("right", 7.8, 8.7)], {"left": RepInProgress(start_t=7.8)}, 8.7) == []
    out = pairing.step([], {"left": RepInProgress(start_t=7.8)}, 8.7 + 1.01 * PAIR_WAIT_S)
    assert [j.side for j in out] == ["right"]
    # The near arm's whole curl and the far arm's second piece close on the same frame.
    assert pairing.step([judged("right", 8.7, 9.85), judged("left", 7.8, 9.9)], {}, 9.9) == []


def test_reps_pair_on_their_rep_signal_spans_not_on_their_tempo_times():
    # Reps timed on a tempo metric carry their rep signal's span too: the two arms' curls overlap there (one rep
    # with both arms), though their reported tempo times barely touch, so tempo timing never changes a count.
    left = replace(closed(0.0, 1.2), signal_span=(0.3, 2.0))
    right = replace(closed(1.1, 2.4), signal_span=(0.4, 2.1))
    [both] = LimbPairing().step([JudgedRep(left, "left", (), 100.0, ()), JudgedRep(right, "right", (), 100.0, ())],
                                {}, 3.5)
    assert both.side == "both" and (both.rep.start_t, both.rep.end_t) == (0.0, 1.2)
    assert both.rep.span == (0.3, 2.1)


def test_a_merged_rep_is_timed_as_its_better_seen_side_so_its_phases_add_up_to_its_duration():
    a = JudgedRep(closed(1.0, 3.0, phases={"out_s": 0.8, "top_s": 0.2, "back_s": 1.0}), "left", (), 100.0, (), 0.9)
    b = JudgedRep(closed(0.8, 3.4, phases={"out_s": 1.0, "top_s": 0.2, "back_s": 1.4}), "right", (), 100.0, (), 0.4)
    rep = merge([a, b]).rep
    assert (rep.start_t, rep.end_t, rep.span) == (1.0, 3.0, (0.8, 3.4))
    assert sum(rep.phases.values()) == rep.end_t - rep.start_t


def piece(side: str, start_t: float, end_t: float, out_s: float, back_s: float) -> JudgedRep:
    top_s = end_t - start_t - out_s - back_s
    return JudgedRep(closed(start_t, end_t, phases={"out_s": out_s, "top_s": top_s, "back_s": back_s}), side, (),
                     100.0, (), 0.4)


def test_a_rep_lost_for_a_moment_at_its_turnaround_is_one_rep():
    # Side-on, a far arm pressed overhead is read at the rack for a moment: its press closes as a rep that came
    # back at once, and a rep of the same arm goes out at once right after it. That is one press.
    pairing = LimbPairing()
    quick, slow = 0.9 * QUICK_TURN_S, 1.5 * QUICK_TURN_S
    assert [j.side for j in pairing.step([piece("left", 1.0, 2.2, 0.8, quick)], {"right": None}, 2.2)] == ["left"]
    assert pairing.step([piece("left", 2.2 + 0.5 * SPLIT_GAP_S, 3.7, quick, 0.8)], {"right": None}, 3.7) == []
    # The next press after a rest is a rep of its own, and so are reps back to back lowered under control.
    assert [j.side for j in pairing.step([piece("left", 4.2, 6.0, 0.8, slow)], {"right": None}, 6.0)] == ["left"]
    assert [j.side for j in pairing.step([piece("left", 6.1, 7.4, quick, 0.8)], {"right": None}, 7.4)] == ["left"]

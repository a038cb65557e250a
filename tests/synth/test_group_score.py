"""Scoring a several-people run against a group truth, on hand-made truths, summaries and tracks: matching by
tracks and by order, exact counts, id switches at a crossing, hidden frames and passers-by left out."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from fitness.errors import InputError
from fitness.synth.group_score import iou, read_tracks, score_group

FRAMES, FPS = 21, 10.0
HIDDEN = range(9, 12)  # athlete 1 passes behind athlete 2 here


def _box(x: float, w: float = 50.0, top: float = 100.0, h: float = 200.0) -> list[float]:
    return [x - w / 2, top, x + w / 2, top + h]


def _truth() -> dict:
    """Athlete 1 (farther) walks from x=100 to x=300 behind athlete 2, who walks from 300 to 100; a small
    passer-by crosses the background in frames 4-16."""
    people = []
    for pid, (x0, x1), reps in ((1, (100, 300), 5), (2, (300, 100), 4)):
        xs = [x0 + (x1 - x0) * f / (FRAMES - 1) for f in range(FRAMES)]
        shown = [0.1 if pid == 1 and f in HIDDEN else 1.0 for f in range(FRAMES)]
        people.append({"id": pid, "reps": reps, "no_reps": 1, "boxes": [_box(x) for x in xs],
                       "hips": [[x, 200.0] for x in xs], "shown": shown})
    passer = {"boxes": [_box(30 * f, 20, 60, 60) if 4 <= f <= 16 else None for f in range(FRAMES)],
              "shown": [1.0] * FRAMES}
    return {"fps": FPS, "frames": FRAMES, "hidden_share": 0.33, "people": people, "passers": [passer]}


def _tracks(truth: dict, ids: dict[int, object], swap_at: int | None = None) -> list:
    """Per-frame tracks that follow the athletes (truth index -> tracked id), the ids trading places from
    `swap_at` on; slightly off the true boxes, as a pose box is."""
    out = []
    for f in range(FRAMES):
        for k, p in enumerate(truth["people"]):
            tid = ids[1 - k] if swap_at is not None and f >= swap_at else ids[k]
            x0, y0, x1, y1 = p["boxes"][f]
            out.append([f / FPS, tid, [x0 + 3, y0 + 10, x1 - 2, y1 - 5]])
    return out


def _summary(*people: tuple[object, int, int, float, float]) -> dict:
    return {"reps": 0, "people": [{"id": i, "reps": r, "no_reps": n, "rep_details": [], "first_seen_s": a,
                                   "last_seen_s": b} for i, r, n, a, b in people]}


def test_tracks_that_follow_each_athlete_give_no_switch_and_exact_counts():
    truth = _truth()
    summary = _summary((7, 5, 1, 0.0, 2.0), (9, 4, 1, 0.0, 2.0))
    score = score_group(truth, summary, _tracks(truth, {0: 7, 1: 9}))
    assert score.matched_by == "tracks"
    assert [(p.truth_id, p.tracked_id) for p in score.people] == [(1, 7), (2, 9)]
    assert score.all_exact and all(p.exact_no_reps for p in score.people)
    assert score.id_switches == 0 and not score.swapped and score.extra_ids == ()


def test_ids_that_trade_places_at_the_crossing_are_switches():
    truth = _truth()
    summary = _summary((7, 5, 1, 0.0, 2.0), (9, 4, 1, 0.0, 2.0))
    score = score_group(truth, summary, _tracks(truth, {0: 7, 1: 9}, swap_at=14))
    assert [p.id_switches for p in score.people] == [1, 1] and score.swapped
    # Most frames still decide who is who; the counts are those of the ids matched that way.
    assert [(p.truth_id, p.tracked_id) for p in score.people] == [(1, 7), (2, 9)]


def test_a_box_kept_for_a_hidden_athlete_is_no_switch():
    truth = _truth()
    tracks = _tracks(truth, {0: 7, 1: 9})
    # While athlete 1 is hidden the tracker keeps its box on the one in front: two ids on one box.
    front = {round(t * FPS): box for t, tid, box in tracks if tid == 9}
    tracks = [[t, tid, front[round(t * FPS)] if tid == 7 and round(t * FPS) in HIDDEN else box]
              for t, tid, box in tracks]
    score = score_group(truth, _summary((7, 5, 1, 0.0, 2.0), (9, 4, 1, 0.0, 2.0)), tracks)
    assert score.id_switches == 0


def test_one_box_over_two_overlapping_athletes_stays_with_the_one_it_was_on():
    """MultiPose often gives one box while someone steps out from behind another: it overlaps the one stepping
    out more, but the id it carries was on the one in front and still overlaps them well (CLEAR MOT keeps it)."""
    front, back = [170.0, 100.0, 230.0, 300.0], [190.0, 120.0, 260.0, 280.0]
    merged = [185.0, 110.0, 250.0, 290.0]  # IoU 0.52 with the one in front, 0.72 with the one behind
    frames = 10
    truth = {"fps": FPS, "frames": frames, "hidden_share": 0.33, "passers": [], "people": [
        {"id": 1, "reps": 2, "no_reps": 0, "boxes": [front] * frames, "hips": [[200.0, 200.0]] * frames,
         "shown": [1.0] * frames},
        {"id": 2, "reps": 3, "no_reps": 0, "boxes": [back] * frames, "hips": [[225.0, 200.0]] * frames,
         "shown": [1.0 if f < 3 or f > 5 else 0.6 for f in range(frames)]}]}
    tracks = []
    for f in range(frames):
        if 3 <= f <= 5:
            tracks.append([f / FPS, 7, merged])  # one box for both, with the id of the one in front
        else:
            tracks += [[f / FPS, 7, front], [f / FPS, 9, back]]
    score = score_group(truth, _summary((7, 2, 0, 0.0, 1.0), (9, 3, 0, 0.0, 1.0)), tracks)
    assert [(p.tracked_id, p.id_switches) for p in score.people] == [(7, 0), (9, 0)]


def test_tracks_in_the_summary_and_as_objects():
    truth = _truth()
    tracks = [{"t": t, "id": i, "box": b} for t, i, b in _tracks(truth, {0: "a", 1: "b"})]
    summary = _summary(("a", 5, 1, 0.0, 2.0), ("b", 3, 1, 0.0, 2.0))
    summary["tracks"] = tracks
    score = score_group(truth, summary)
    assert score.matched_by == "tracks"
    assert [p.exact for p in score.people] == [True, False]
    assert not score.all_exact


def test_a_tracked_passer_by_is_named_and_its_counts_are_extra():
    truth = _truth()
    passer = [[f / FPS, 3, truth["passers"][0]["boxes"][f]] for f in range(4, 17)]
    summary = _summary((7, 5, 1, 0.0, 2.0), (3, 1, 0, 0.4, 1.6), (9, 4, 1, 0.0, 2.0))
    score = score_group(truth, summary, _tracks(truth, {0: 7, 1: 9}) + passer)
    assert score.passer_ids == (3,) and score.extra_ids == (3,) and score.extra_reps == 1
    assert score.all_exact


def test_without_tracks_people_are_matched_left_to_right_skipping_short_lived_extras():
    truth = _truth()
    truth["people"][1]["hips"] = [[400.0, 200.0]] * FRAMES  # athlete 2 is on the right on average
    summary = _summary((7, 5, 1, 0.0, 2.0), (3, 0, 0, 0.4, 0.9), (9, 4, 0, 0.0, 2.0))
    score = score_group(truth, summary)
    assert score.matched_by == "order"
    assert [(p.truth_id, p.tracked_id) for p in score.people] == [(1, 7), (2, 9)]
    assert score.extra_ids == (3,) and score.id_switches is None
    assert score.all_exact and [p.exact_no_reps for p in score.people] == [True, False]


def test_an_athlete_nobody_was_matched_to_is_not_exact():
    truth = _truth()
    score = score_group(truth, _summary((7, 5, 1, 0.0, 2.0)))
    assert [p.tracked_id for p in score.people].count(None) == 1
    assert not score.all_exact
    assert score.to_dict()["people"][0]["truth_id"] == 1


def test_inputs_that_are_not_a_group_run_are_one_line_errors():
    with pytest.raises(InputError, match="not a group render"):
        score_group({"reps": 3}, _summary())
    with pytest.raises(InputError, match="--people all"):
        score_group(_truth(), {"reps": 3})
    with pytest.raises(InputError, match=r"track item 1 is not \[t, id"):
        read_tracks([[0.0, 1, [0, 0, 1, 1]], [0.1, 1]])


boxes = st.tuples(st.floats(0, 100), st.floats(0, 100), st.floats(1, 50), st.floats(1, 50)).map(
    lambda b: (b[0], b[1], b[0] + b[2], b[1] + b[3]))


@given(boxes, boxes)
def test_iou_is_symmetric_bounded_and_one_on_itself(a, b):
    assert iou(a, b) == pytest.approx(iou(b, a))
    assert 0.0 <= iou(a, b) <= 1.0 + 1e-12
    assert iou(a, a) == pytest.approx(1.0)

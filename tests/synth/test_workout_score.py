"""Scoring a workout run's sets against the truth, on hand-made summaries: sequence, exact sets, labels, missed and
phantom sets, reps during rests; and `fitness eval`'s workout path with a stand-in pipeline."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from hypothesis import given
from hypothesis import strategies as st

from fitness.synth.workout_score import (
    HOLD_TOLERANCE_S,
    exercise_sequence,
    pair_sets,
    score_workout,
    summarize_workouts,
)


def _set(exercise: str, start: float, end: float, reps: int, rep_s: float = 2.0, t_keys: bool = True) -> dict:
    """A set as the summary (t_keys: reps' start_t/end_t) or the truth (start_s/end_s) writes it."""
    keys = ("start_t", "end_t") if t_keys else ("start_s", "end_s")
    details = [{keys[0]: start + i * rep_s, keys[1]: start + (i + 1) * rep_s, "counted": True} for i in range(reps)]
    return {"exercise": exercise, "start_s": start, "end_s": end, "reps": reps, "no_reps": 0, "rep_details": details}


TRUTH = {"sets": [_set("squats", 2, 12, 5, t_keys=False), _set("squats", 25, 35, 5, t_keys=False),
                  _set("push_ups", 50, 58, 4, t_keys=False), _set("bicep_curls", 75, 89, 7, t_keys=False)]}


def test_a_perfect_run():
    summary = {"sets": [_set("squats", 2.2, 12.1, 5), _set("squats", 25, 35, 5), _set("push_ups", 50.3, 57.8, 4),
                        _set("bicep_curls", 75, 89, 7)]}
    score = score_workout(summary, TRUTH)
    assert score.sequence_right and score.true_sequence == ("squats", "push_ups", "bicep_curls")
    assert (score.true_sets, score.sets_exact, score.sets_labelled, score.sets_missed) == (4, 4, 4, 0)
    assert (score.phantom_sets, score.rest_reps) == (0, 0)


def test_a_miscount_a_mislabel_a_missed_set_and_reps_in_a_rest():
    summary = {"sets": [
        _set("squats", 2, 12, 4),  # one rep short
        _set("lunges", 25, 35, 5),  # counted right, wrong exercise
        _set("squats", 40, 43, 2),  # walking in the rest counted as squats
        # push-ups missed
        _set("bicep_curls", 75, 89, 7),
    ]}
    score = score_workout(summary, TRUTH)
    assert not score.sequence_right
    assert score.pred_sequence == ("squats", "lunges", "squats", "bicep_curls")
    assert [(p.pred_index, p.exact, p.labelled) for p in score.pairs] == [
        (0, False, True), (1, False, False), (None, False, False), (3, True, True)]
    assert (score.sets_exact, score.sets_labelled, score.sets_missed) == (1, 2, 1)
    assert score.phantom_sets == 1 and score.rest_reps == 2
    row = summarize_workouts([score, None])
    assert (row.clips, row.errors, row.sets, row.sets_exact) == (2, 1, 4, 1)
    assert row.exact_rate == pytest.approx(0.25) and row.labelled_rate == pytest.approx(0.5)


def _hold(start: float, end: float, hold_s: float) -> dict:
    return {"exercise": "plank", "start_s": start, "end_s": end, "reps": 0, "no_reps": 0, "hold_s": hold_s,
            "rep_details": []}


def test_a_hold_set_is_paired_and_exact_when_its_seconds_are_close():
    truth = {"sets": [_set("squats", 2, 12, 5, t_keys=False), _hold(20, 40, 20.0)]}
    near = score_workout({"sets": [_set("squats", 2, 12, 5), _hold(19.5, 41, 20.0 + HOLD_TOLERANCE_S)]}, truth)
    assert near.sequence_right and (near.sets_exact, near.sets_missed, near.phantom_sets) == (2, 0, 0)
    assert (near.pairs[1].true_hold_s, near.pairs[1].pred_hold_s) == (20.0, 20.0 + HOLD_TOLERANCE_S)
    short = score_workout({"sets": [_set("squats", 2, 12, 5), _hold(25, 36, 11.0)]}, truth)
    assert (short.sets_exact, short.sets_labelled, short.sets_missed) == (1, 2, 0)
    missed = score_workout({"sets": [_set("squats", 2, 12, 5)]}, truth)
    assert missed.sets_missed == 1 and not missed.sequence_right


def test_a_set_split_in_two_pairs_one_half_and_leaves_a_phantom():
    summary = {"sets": [_set("squats", 2, 6, 2), _set("squats", 8, 12, 3)], "rep_details": []}
    score = score_workout(summary, {"sets": TRUTH["sets"][:1]})
    assert score.sets_exact == 0 and score.phantom_sets == 1 and score.rest_reps == 0
    assert score.sequence_right  # squats, then squats again, read as one run of squats


def test_non_exercise_truth_every_rep_is_a_rest_rep():
    summary = {"sets": [_set("squats", 3, 7, 2)]}
    score = score_workout(summary, {"sets": []})
    assert score.true_sets == 0 and score.phantom_sets == 1 and score.rest_reps == 2
    assert score_workout({"sets": []}, {"sets": []}).sequence_right
    # No-reps in a rest are not counted reps; sets of nothing but no-reps are still phantom sets.
    quiet = {"sets": [{**_set("squats", 3, 7, 0), "no_reps": 1,
                       "rep_details": [{"start_t": 3.0, "end_t": 5.0, "counted": False}]}]}
    score = score_workout(quiet, {"sets": []})
    assert score.rest_reps == 0 and score.phantom_sets == 1


def test_reps_without_sets_are_read_from_the_top_level_details():
    summary = {"sets": [], "rep_details": [{"start_t": 40.0, "end_t": 42.0, "counted": True}]}
    assert score_workout(summary, TRUTH).rest_reps == 1


def test_sequence_collapses_runs():
    assert exercise_sequence([{"exercise": e} for e in ("a", "a", "b", "a")]) == ("a", "b", "a")


spans = st.lists(st.tuples(st.floats(0, 100), st.floats(0.5, 20)), max_size=6).map(
    lambda xs: [{"start_s": a, "end_s": a + d} for a, d in sorted(xs)])


@given(spans, spans)
def test_pairing_keeps_order_and_pairs_only_overlapping_sets(true_sets, pred_sets):
    pairs = pair_sets(true_sets, pred_sets)
    items = sorted(pairs.items())
    assert all(j1 < j2 for (_, j1), (_, j2) in zip(items, items[1:]))
    for i, j in items:
        t, p = true_sets[i], pred_sets[j]
        assert min(t["end_s"], p["end_s"]) - max(t["start_s"], p["start_s"]) > -2.0  # within the slack


def test_evaluate_workouts_runs_auto_mode_and_scores(tmp_path):
    from fitness.session.summary import SetSummary, WorkoutSummary
    from fitness.synth.evaluate import AUTO_EXERCISE, evaluate_folder, evaluate_workouts
    from fitness.synth.workout import WorkoutSpec, parse_sequence
    from fitness.synth.workout_render import render_motion

    truth = render_motion(WorkoutSpec(blocks=parse_sequence("squats:2"), seed=1, fps=6, size=(96, 96)),
                          tmp_path / "w.mp4")
    render_motion(WorkoutSpec(activity="standing", seconds=2, seed=1, fps=6, size=(96, 96)), tmp_path / "s.mp4")
    s = truth["sets"][0]
    asked = []

    def analyze(path, exercise, **kw):
        asked.append(exercise)
        sets = (SetSummary(1, s["start_s"], s["end_s"], 2, 0, "squats"),) if path.endswith("w.mp4") else ()
        return SimpleNamespace(summary=WorkoutSummary("auto", path, "m", "", 1.0, 1, 6.0, 2, 0, sets=sets), poses=[])

    results = evaluate_workouts(tmp_path, analyze=analyze)
    assert asked == [AUTO_EXERCISE, AUTO_EXERCISE]
    by_name = {r.name: r for r in results}
    assert by_name["w.mp4"].score.sets_exact == 1 and by_name["w.mp4"].score.sequence_right
    assert by_name["s.mp4"].activity == "standing" and by_name["s.mp4"].score.true_sets == 0
    assert evaluate_folder(tmp_path, analyze=analyze) == []  # the per-exercise table leaves workouts out
    assert by_name["w.mp4"].to_dict()["kind"] == "workout"

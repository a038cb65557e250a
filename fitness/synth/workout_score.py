"""Scoring a whole-workout run against rendered truth: is the exercise sequence right, is each set counted
exactly and labelled with its exercise, are there sets or reps where the truth has a rest. Pure: it takes the
`sets` of a `fitness run --json` summary (a dict) and a workout truth dict (`fitness render workout`, or a
clip of non-exercise movement, whose truth has no sets).

Sets are paired in order by time: the pairing keeps both sequences' order and has the most overlap between
paired sets (each set's span from its first rep's start to its last rep's end, widened by SET_SLACK_S).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

SET_SLACK_S = 1.0  # a set's span is widened by this much each side when pairing (a one-rep set is short)
# A hold's set is exact when its hold_s is within this of the truth's: a render's athlete is in position 0.3-0.8 s
# before and after the hold its truth times (fitness.synth.workout), and getting into and out of it takes a moment.
HOLD_TOLERANCE_S = 2.0


@dataclass(frozen=True)
class SetPair:
    """A truth set and the predicted set paired with it (pred_index None: missed)."""

    true_index: int  # 0-based position in the truth's sets
    pred_index: int | None
    true_exercise: str
    pred_exercise: str | None
    true_reps: int
    pred_reps: int | None
    true_hold_s: float | None = None  # a hold's seconds (truth: as scripted; predicted: the set's hold_s)
    pred_hold_s: float | None = None

    @property
    def labelled(self) -> bool:
        return self.pred_exercise == self.true_exercise

    @property
    def exact(self) -> bool:
        """Right exercise and exactly the truth's count (a hold: its seconds within HOLD_TOLERANCE_S)."""
        if self.true_hold_s is not None:
            return (self.labelled and self.pred_hold_s is not None
                    and abs(self.pred_hold_s - self.true_hold_s) <= HOLD_TOLERANCE_S)
        return self.labelled and self.pred_reps == self.true_reps


@dataclass(frozen=True)
class WorkoutScore:
    """One workout clip scored.

    sequence_right: the exercises in order (a run of sets of one exercise read as one) are the truth's.
    phantom_sets: predicted sets paired with no truth set. rest_reps: counted predicted reps whose middle lies
    in no truth set's span (walking, stretching, picking up dumbbells, changing posture).
    """

    true_sequence: tuple[str, ...]
    pred_sequence: tuple[str, ...]
    pairs: tuple[SetPair, ...]
    phantom_sets: int
    rest_reps: int

    @property
    def sequence_right(self) -> bool:
        return self.true_sequence == self.pred_sequence

    @property
    def true_sets(self) -> int:
        return len(self.pairs)

    @property
    def sets_exact(self) -> int:
        return sum(p.exact for p in self.pairs)

    @property
    def sets_labelled(self) -> int:
        return sum(p.labelled for p in self.pairs)

    @property
    def sets_missed(self) -> int:
        return sum(p.pred_index is None for p in self.pairs)

    def to_dict(self) -> dict[str, Any]:
        return {
            "true_sequence": list(self.true_sequence), "pred_sequence": list(self.pred_sequence),
            "sequence_right": self.sequence_right, "true_sets": self.true_sets, "sets_exact": self.sets_exact,
            "sets_labelled": self.sets_labelled, "sets_missed": self.sets_missed,
            "phantom_sets": self.phantom_sets, "rest_reps": self.rest_reps,
            "pairs": [vars(p) for p in self.pairs],
        }


def exercise_sequence(sets: Sequence[Mapping[str, Any]]) -> tuple[str, ...]:
    """The exercises of `sets` in order, consecutive sets of one exercise once."""
    out: list[str] = []
    for s in sets:
        name = s.get("exercise") or ""
        if not out or out[-1] != name:
            out.append(name)
    return tuple(out)


def _span(s: Mapping[str, Any]) -> tuple[float, float]:
    return float(s["start_s"]) - SET_SLACK_S, float(s["end_s"]) + SET_SLACK_S


def pair_sets(true_sets: Sequence[Mapping[str, Any]], pred_sets: Sequence[Mapping[str, Any]]) -> dict[int, int]:
    """{truth index: predicted index}: order-keeping pairs of overlapping sets with the most total overlap."""
    n, m = len(true_sets), len(pred_sets)
    spans_t = [_span(s) for s in true_sets]
    spans_p = [_span(s) for s in pred_sets]

    def overlap(i: int, j: int) -> float:
        return min(spans_t[i][1], spans_p[j][1]) - max(spans_t[i][0], spans_p[j][0])

    # best[i][j]: most overlap pairing the first i truth sets with the first j predicted ones.
    best = [[0.0] * (m + 1) for _ in range(n + 1)]
    for i in range(1, n + 1):
        for j in range(1, m + 1):
            o = overlap(i - 1, j - 1)
            take = best[i - 1][j - 1] + o if o > 0 else -math.inf
            best[i][j] = max(best[i - 1][j], best[i][j - 1], take)
    pairs: dict[int, int] = {}
    i, j = n, m
    while i > 0 and j > 0:
        o = overlap(i - 1, j - 1)
        if o > 0 and best[i][j] == best[i - 1][j - 1] + o:
            pairs[i - 1] = j - 1
            i, j = i - 1, j - 1
        elif best[i][j] == best[i - 1][j]:
            i -= 1
        else:
            j -= 1
    return dict(sorted(pairs.items()))


def _pred_reps(summary: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    """The counted reps of a summary: from its sets' rep details, else its top-level rep details."""
    sets = summary.get("sets") or ()
    reps = [r for s in sets for r in s.get("rep_details", ())] or list(summary.get("rep_details", ()))
    return [r for r in reps if r.get("counted", True)]


def _hold_s(s: Mapping[str, Any]) -> float | None:
    return None if s.get("hold_s") is None else float(s["hold_s"])


def _rep_time(rep: Mapping[str, Any], key: str) -> float:
    """A rep's start or end: `start_t` in a summary, `start_s` in a truth."""
    return float(rep[f"{key}_t"] if f"{key}_t" in rep else rep[f"{key}_s"])


def score_workout(summary: Mapping[str, Any], truth: Mapping[str, Any]) -> WorkoutScore:
    """Scores a summary dict (`fitness run --json`: its `sets`, with `exercise`, `reps`, `start_s`, `end_s`,
    `rep_details`) against a workout or non-exercise truth dict (its `sets`, possibly none)."""
    true_sets = list(truth.get("sets") or ())
    pred_sets = [s for s in summary.get("sets") or ()
                 if int(s.get("reps", 0)) > 0 or s.get("rep_details") or s.get("hold_s") is not None]
    pairs = pair_sets(true_sets, pred_sets)
    scored = []
    for i, t in enumerate(true_sets):
        j = pairs.get(i)
        p = pred_sets[j] if j is not None else None
        scored.append(SetPair(i, j, t["exercise"], None if p is None else p.get("exercise") or "", int(t["reps"]),
                              None if p is None else int(p["reps"]), _hold_s(t), None if p is None else _hold_s(p)))
    spans = [(float(s["start_s"]) - SET_SLACK_S, float(s["end_s"]) + SET_SLACK_S) for s in true_sets]
    rest_reps = 0
    for rep in _pred_reps(summary):
        mid = (_rep_time(rep, "start") + _rep_time(rep, "end")) / 2
        rest_reps += not any(a <= mid <= b for a, b in spans)
    return WorkoutScore(exercise_sequence(true_sets), exercise_sequence(pred_sets), tuple(scored),
                        phantom_sets=len(pred_sets) - len(pairs), rest_reps=rest_reps)


@dataclass(frozen=True)
class WorkoutRow:
    """Totals over workout clips: the table of `fitness eval` for workouts."""

    clips: int
    sequence_right: int
    sets: int
    sets_exact: int
    sets_labelled: int
    sets_missed: int
    phantom_sets: int
    rest_reps: int
    errors: int = 0

    @property
    def exact_rate(self) -> float:
        return self.sets_exact / self.sets if self.sets else math.nan

    @property
    def labelled_rate(self) -> float:
        return self.sets_labelled / self.sets if self.sets else math.nan


def summarize_workouts(scores: Sequence[WorkoutScore | None]) -> WorkoutRow:
    """Totals over clips (None: a clip that failed to run)."""
    ok = [s for s in scores if s is not None]
    return WorkoutRow(
        clips=len(scores), sequence_right=sum(s.sequence_right for s in ok), sets=sum(s.true_sets for s in ok),
        sets_exact=sum(s.sets_exact for s in ok), sets_labelled=sum(s.sets_labelled for s in ok),
        sets_missed=sum(s.sets_missed for s in ok), phantom_sets=sum(s.phantom_sets for s in ok),
        rest_reps=sum(s.rest_reps for s in ok), errors=len(scores) - len(ok),
    )

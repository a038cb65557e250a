"""Trends per exercise across workouts, from sets (a workout of several exercises counts for each of them):
weekly volume, best set and average form score.

Volume is reps for bodyweight sets and reps x load (kg) for the sets a plan gave a load; both are kept.
Weeks are ISO weeks (Monday first) of the local start time of the workout.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from fitness.session.summary import local_time


@dataclass(frozen=True)
class ExerciseSet:
    """One stored set of one exercise, with what trends need. score_sum / scored: the form scores of its reps
    (scored = how many reps had one). load_kg: from the workout's plan, None without one."""

    session_id: int
    started_at: str
    exercise: str
    index: int
    reps: int
    no_reps: int
    score_sum: float
    scored: int
    load_kg: float | None = None

    @property
    def volume_kg(self) -> float:
        return self.reps * self.load_kg if self.load_kg is not None else 0.0


@dataclass(frozen=True)
class ExerciseWeek:
    """One exercise in one ISO week: `week` like "2024-W18"; workouts: how many sessions had sets of it;
    best_set: the most reps in one set; mean_score: over every scored rep (NaN without scores)."""

    exercise: str
    week: str
    workouts: int
    sets: int
    reps: int
    volume_kg: float
    best_set: int
    mean_score: float


def plan_loads(plan: Mapping[str, Any] | None) -> dict[int, float]:
    """set index -> load (kg) of the plan block each set counted for (sets without load are left out)."""
    loads: dict[int, float] = {}
    for block in (plan or {}).get("blocks", ()):
        if block.get("load_kg") is not None:
            for index in block.get("sets", ()):
                loads[int(index)] = float(block["load_kg"])
    return loads


def week_of(started_at: str) -> str:
    stamp = local_time(started_at)
    if stamp is None:
        return "?"
    year, week, _ = stamp.isocalendar()
    return f"{year}-W{week:02d}"


def weekly(sets: Iterable[ExerciseSet]) -> list[ExerciseWeek]:
    """The sets grouped by exercise and week: exercises by name, weeks oldest first."""
    groups: dict[tuple[str, str], list[ExerciseSet]] = {}
    for s in sets:
        groups.setdefault((s.exercise, week_of(s.started_at)), []).append(s)
    out = []
    for (exercise, week), group in sorted(groups.items()):
        scored = sum(s.scored for s in group)
        out.append(ExerciseWeek(
            exercise=exercise, week=week, workouts=len({s.session_id for s in group}), sets=len(group),
            reps=sum(s.reps for s in group), volume_kg=sum(s.volume_kg for s in group),
            best_set=max(s.reps for s in group),
            mean_score=sum(s.score_sum for s in group) / scored if scored else math.nan,
        ))
    return out


def best_sets(sets: Sequence[ExerciseSet]) -> dict[str, ExerciseSet]:
    """exercise -> its best set ever: the most reps (ties: the heavier, then the earlier)."""
    best: dict[str, ExerciseSet] = {}
    for s in sets:
        held = best.get(s.exercise)
        if held is None or (s.reps, s.load_kg or 0.0) > (held.reps, held.load_kg or 0.0):
            best[s.exercise] = s
    return best

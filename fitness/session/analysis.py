"""Numbers derived from a WorkoutSummary: per-rep tempo and range of motion, session stats, trends."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from fitness.exercise.events import RepEvent
from fitness.session.summary import WorkoutSummary
from fitness.units import metric_label

# Phase names the engine uses for the lowering / lifting part of a rep (first match wins).
ECCENTRIC_PHASES = ("eccentric_s", "down_s", "lowering_s")
CONCENTRIC_PHASES = ("concentric_s", "up_s", "lifting_s")
# Trends compare with the previous session and with the mean of this many earlier sessions.
TREND_SESSIONS = 5


def _phase(rep: RepEvent, names: Sequence[str]) -> float:
    for name in names:
        if name in rep.phases:
            return float(rep.phases[name])
    return math.nan


def eccentric_s(rep: RepEvent) -> float:
    return _phase(rep, ECCENTRIC_PHASES)


def concentric_s(rep: RepEvent) -> float:
    return _phase(rep, CONCENTRIC_PHASES)


def turnaround_t(rep: RepEvent) -> float:
    """When the rep turned: the middle of its middle phase (e.g. `bottom_s` of a squat), else of the whole rep.

    The engine reports three phases in order (going out, at the target, coming back) for a rep that reached its
    target; partial and inferred reps have none.
    """
    durations = list(rep.phases.values())
    if len(durations) == 3 and all(math.isfinite(d) and d >= 0 for d in durations):
        return rep.start_t + durations[0] + durations[1] / 2
    return (rep.start_t + rep.end_t) / 2


def rom_range(rep: RepEvent) -> float:
    """max - min of the rep signal over the rep (NaN when unknown)."""
    return rep.rom[1] - rep.rom[0]


def _mean(values: Sequence[float]) -> float:
    finite = [v for v in values if v is not None and math.isfinite(v)]
    return sum(finite) / len(finite) if finite else math.nan


@dataclass(frozen=True)
class SessionStats:
    """reps: counted; mean_score over all reps; ROM numbers over counted reps, in the rep signal's unit."""

    reps: int
    no_reps: int
    mean_score: float
    mean_rom: float
    mean_low: float
    mean_high: float


def session_stats(summary: WorkoutSummary) -> SessionStats:
    counted = [r for r in summary.rep_details if r.counted]
    return SessionStats(
        reps=summary.reps,
        no_reps=summary.no_reps,
        mean_score=_mean([r.score for r in summary.rep_details]),
        mean_rom=_mean([rom_range(r) for r in counted]),
        mean_low=_mean([r.rom[0] for r in counted]),
        mean_high=_mean([r.rom[1] for r in counted]),
    )


@dataclass(frozen=True)
class Trend:
    """One metric of this session against earlier sessions of the same exercise.

    previous: the session just before (NaN if none); baseline: mean over up to TREND_SESSIONS earlier ones.
    count: the metric counts things (reps), so current and previous are whole numbers.
    """

    metric: str
    current: float
    previous: float
    baseline: float
    count: bool = False

    @property
    def change(self) -> float:
        return self.current - self.previous


def rep_signal(summary: WorkoutSummary) -> str:
    """The metric a session's reps were measured on ("" when it did not record one)."""
    return next((r.signal for r in summary.rep_details if r.signal), "") or summary.trace.get("signal", "")


def trends(current: WorkoutSummary, earlier: Sequence[WorkoutSummary]) -> list[Trend]:
    """Reps, score and range of motion of `current` against `earlier` (newest first). Range-of-motion numbers
    are compared only with sessions measured on the same rep signal: a definition that changed its signal
    (e.g. squats from the hip-above-knee % to the hip-height %) has other units."""
    now = session_stats(current)
    before = [session_stats(s) for s in earlier]
    signal = rep_signal(current)
    same_signal = [b for s, b in zip(earlier, before) if rep_signal(s) == signal]
    unit = f", {metric_label(signal)}" if signal else ""
    # (name, value of a session's stats, counts whole things, the sessions it is compared with)
    metrics = [
        ("reps", lambda s: float(s.reps), True, before),
        ("no-reps", lambda s: float(s.no_reps), True, before),
        ("form score", lambda s: s.mean_score, False, before),
        (f"range of motion{unit}", lambda s: s.mean_rom, False, same_signal),
        (f"lowest point{unit}", lambda s: s.mean_low, False, same_signal),
        (f"highest point{unit}", lambda s: s.mean_high, False, same_signal),
    ]
    return [
        Trend(
            metric=name,
            current=get(now),
            previous=get(pool[0]) if pool else math.nan,
            baseline=_mean([get(s) for s in pool]),
            count=count,
        )
        for name, get, count, pool in metrics
    ]

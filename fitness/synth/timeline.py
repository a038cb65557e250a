"""When each rep happens: a seeded schedule of idle lead-in, reps with varied tempo and pauses, idle lead-out.

A rep moves a phase `u` from 0 (rest) to 1 (turnaround: squat bottom, curl top) and back, following a
minimum-jerk profile (how people move between two postures), with a hold at the turnaround.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np


@dataclass(frozen=True)
class Tempo:
    """Ranges (min, max) in seconds, drawn per rep."""

    down_s: tuple[float, float] = (0.9, 1.4)
    bottom_s: tuple[float, float] = (0.05, 0.35)
    up_s: tuple[float, float] = (0.8, 1.2)
    top_s: tuple[float, float] = (0.3, 0.9)
    lead_s: tuple[float, float] = (0.8, 1.5)
    tail_s: tuple[float, float] = (0.7, 1.3)
    long_pause_s: tuple[float, float] = (1.2, 2.0)
    long_pause_p: float = 0.15  # chance of a longer breather before a rep


@dataclass(frozen=True)
class RepPlan:
    """One scripted rep (1-based index) with times in seconds."""

    index: int
    start_s: float
    turn_s: float  # reaches the turnaround
    back_s: float  # leaves the turnaround
    end_s: float
    amplitude: float  # 1 = full range; partial reps are well below 1
    partial: bool
    faults: tuple[str, ...] = ()
    side: str | None = None
    jitter: tuple[float, ...] = field(default=(0.0, 0.0, 0.0), compare=False)  # per-rep variations in [-1, 1]


def min_jerk(x: float) -> float:
    x = min(max(x, 0.0), 1.0)
    return x * x * x * (10 - 15 * x + 6 * x * x)


def plan_reps(
    n: int,
    tempo: Tempo,
    rng: np.random.Generator,
    *,
    partial: frozenset[int] = frozenset(),
    faults: dict[int, tuple[str, ...]] | None = None,
    partial_amp: float = 0.45,
    sides: tuple[str | None, ...] = (None,),
) -> tuple[list[RepPlan], float]:
    """The reps of one clip and the clip's duration (s). Rep `i` gets side `sides[(i - 1) % len(sides)]`."""
    faults = faults or {}
    t = float(rng.uniform(*tempo.lead_s))
    plans: list[RepPlan] = []
    for i in range(1, n + 1):
        if i > 1:
            t += float(rng.uniform(*tempo.top_s))
            if rng.random() < tempo.long_pause_p:
                t += float(rng.uniform(*tempo.long_pause_s))
        is_partial = i in partial
        # Partial reps are also quicker, as people cut them short.
        speed = 0.75 if is_partial else 1.0
        down = float(rng.uniform(*tempo.down_s)) * speed
        hold = float(rng.uniform(*tempo.bottom_s))
        up = float(rng.uniform(*tempo.up_s)) * speed
        amp = partial_amp * float(rng.uniform(0.92, 1.05)) if is_partial else float(rng.uniform(0.96, 1.02))
        jitter = tuple(float(v) for v in rng.uniform(-1, 1, size=3))
        plans.append(
            RepPlan(i, t, t + down, t + down + hold, t + down + hold + up, amp, is_partial,
                    tuple(faults.get(i, ())), sides[(i - 1) % len(sides)], jitter)
        )
        t += down + hold + up
    t += float(rng.uniform(*tempo.tail_s))
    return plans, t


def phase_at(t: float, plans: list[RepPlan]) -> tuple[float, RepPlan | None]:
    """(u, rep) at time t: u in [0, 1] of the rep under way, or (0, None) at rest."""
    for rep in plans:
        if rep.start_s <= t <= rep.end_s:
            if t < rep.turn_s:
                return min_jerk((t - rep.start_s) / (rep.turn_s - rep.start_s)), rep
            if t <= rep.back_s:
                return 1.0, rep
            return 1.0 - min_jerk((t - rep.back_s) / (rep.end_s - rep.back_s)), rep
    return 0.0, None

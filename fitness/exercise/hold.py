"""Hold timing: how long a hold exercise's position was held, and how much of it in good form."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from fitness.exercise.definition import HoldDef
from fitness.exercise.events import FormIssue, HoldSpan

MAX_STEP_S = 0.5  # a longer gap between frames is not held time we saw


@dataclass(frozen=True)
class HoldRecord:
    """One finished hold: good_s seconds in good form out of total_s in position; score = 100 * good/total;
    issues: form rules that fired during it."""

    start_t: float
    end_t: float
    good_s: float
    total_s: float
    issues: tuple[str, ...]
    score: float


@dataclass
class _Hold:
    start_t: float
    last_t: float
    good_s: float = 0.0
    total_s: float = 0.0
    lost_since: float | None = None
    issues: dict[str, None] = field(default_factory=dict)


class HoldTimer:
    """Times the holds of one hold exercise.

    A hold starts on the first frame in position; time accrues while in position, and counts as good while
    no warning or error rule is active. Out of position for longer than `grace_s`, the hold ends (at the
    moment the position was lost); holds shorter than `min_s` are dropped.
    """

    def __init__(self, hold: HoldDef) -> None:
        self.definition = hold
        self.reset()

    def reset(self) -> None:
        self.current: _Hold | None = None
        self.last_good_s = 0.0
        self.holds: list[HoldRecord] = []
        self._ended: HoldRecord | None = None  # the hold that ended on the last step

    @property
    def holding(self) -> bool:
        """In position right now."""
        return self.current is not None and self.current.lost_since is None

    @property
    def good_s(self) -> float:
        """Good-form time of the hold in progress, else of the last finished one."""
        return self.current.good_s if self.current is not None else self.last_good_s

    def span(self) -> HoldSpan | None:
        """The hold in progress once it is min_s long, or the one that ended on the last step (done); else None."""
        if self._ended is not None:
            e = self._ended
            return HoldSpan(e.start_t, e.end_t, e.good_s, e.total_s, done=True)
        h = self.current
        if h is None or h.total_s < self.definition.min_s:
            return None
        return HoldSpan(h.start_t, h.last_t, h.good_s, h.total_s)

    def step(self, t: float, in_position: bool, active: Sequence[FormIssue]) -> None:
        """One frame: in position or not, with the form rules failing right now."""
        self._ended = None
        h = self.current
        if in_position:
            if h is None:
                self.current = _Hold(start_t=t, last_t=t)
                return
            dt = min(max(t - h.last_t, 0.0), MAX_STEP_S)
            h.total_s += dt
            if not any(a.severity != "info" for a in active):
                h.good_s += dt
            for a in active:
                h.issues.setdefault(a.rule_id, None)
            h.last_t = t
            h.lost_since = None
            return
        if h is not None:
            if h.lost_since is None:
                h.lost_since = t
            if t - h.lost_since > self.definition.grace_s:
                self._close(h.lost_since)

    def finish(self, t: float) -> None:
        """End of the session: closes the hold in progress (at the moment it was lost, if it was)."""
        self._ended = None
        if self.current is not None:
            self._close(self.current.lost_since if self.current.lost_since is not None else t)

    def _close(self, end_t: float) -> None:
        h, self.current = self.current, None
        if h is None or h.total_s < self.definition.min_s:
            return
        self.last_good_s = h.good_s
        score = 100.0 * h.good_s / h.total_s if h.total_s > 0 else 0.0
        self.holds.append(HoldRecord(h.start_t, end_t, h.good_s, h.total_s, tuple(h.issues), score))
        self._ended = self.holds[-1]

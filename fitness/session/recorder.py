"""SessionRecorder: turns the engine's MachineSteps into sets, counts and a WorkoutSummary, committing as it goes.

Every finished rep is committed to the history store at once (with the sets, issue counts and totals so
far), so a crash loses at most the rep in progress.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import replace
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from fitness.errors import UsageError
from fitness.exercise.events import FormIssue, HoldSpan, MachineStep, RepEvent, limb_sides
from fitness.jsonvalues import json_safe
from fitness.session.summary import SetSummary, WorkoutSummary

if TYPE_CHECKING:  # the caller opens the store: a run without history never loads it (nor sqlite3)
    from fitness.session.store import HistoryStore

# A pause between reps longer than this ends a set (rest between sets is usually 30 s or more,
# a breather inside a set rarely passes 10 s).
DEFAULT_SET_PAUSE_S = 20.0
# In a workout (exercises recognised, or a plan) the exercise changes after a rest, and people rest from a few
# seconds on: a pause this long ends the set there.
WORKOUT_SET_PAUSE_S = 5.0
# Out of frame this long ends the set too (short pose dropouts and occlusions must not split a set).
DEFAULT_AWAY_S = 10.0
# The plot trace keeps at most this many points (halved by dropping every other point when full).
DEFAULT_TRACE_POINTS = 2000
# Without reps (holds, long pauses), commit totals at least this often in session time.
DEFAULT_CHECKPOINT_S = 5.0


class TraceBuffer:
    """A bounded, evenly thinned record of (t, value): keeps every `stride`-th sample, doubling the stride
    whenever the buffer fills, so it always spans the whole session with at most `max_points` points
    (the latest sample is appended on export, so the trace reaches the end of the session)."""

    def __init__(self, max_points: int = DEFAULT_TRACE_POINTS) -> None:
        if max_points < 2:
            raise ValueError(f"max_points must be at least 2, got {max_points}")
        self.max_points = max_points
        self.reset()

    def reset(self) -> None:
        self.t: list[float] = []
        self.value: list[float | None] = []
        self.stride = 1
        self._seen = 0
        self._latest: tuple[float, float | None] | None = None

    def add(self, t: float, value: float | None) -> None:
        # A missing value is a gap (None) in the plot.
        sample = (float(t), json_safe(None if value is None else float(value)))
        self._latest = sample
        if self._seen % self.stride == 0:
            self.t.append(sample[0])
            self.value.append(sample[1])
            if len(self.t) >= self.max_points:
                self.t = self.t[::2]
                self.value = self.value[::2]
                self.stride *= 2
        self._seen += 1

    def to_dict(self, signal: str) -> dict[str, Any]:
        if not self.t:
            return {}
        t, value = list(self.t), list(self.value)
        if self._latest[0] != t[-1]:
            t.append(self._latest[0])
            value.append(self._latest[1])
        return {"signal": signal, "t": t, "value": value}


class SetTracker:
    """Sets from reps, holds and presence: a set starts with a rep; a pause longer than `set_pause_s` between reps,
    the athlete out of frame for `away_s`, or a rep of another exercise closes it, and the next rep opens the next
    set. A hold is a set of its own, open while it lasts (`hold`)."""

    def __init__(self, set_pause_s: float = DEFAULT_SET_PAUSE_S, away_s: float = DEFAULT_AWAY_S) -> None:
        if not set_pause_s > 0:
            raise UsageError(f"the set pause must be > 0 seconds, got {set_pause_s}; e.g. --set-pause-s 20")
        if not away_s > 0:
            raise UsageError(f"away_s must be > 0 seconds, got {away_s}")
        self.set_pause_s = float(set_pause_s)
        self.away_s = float(away_s)
        self.sets: list[SetSummary] = []
        self._open = False
        self._last_rep_end_t: float | None = None
        self._away_since_t: float | None = None

    @property
    def next_index(self) -> int:
        """The set the next rep goes into (1-based)."""
        return len(self.sets) + (0 if self._open else 1)

    def presence(self, t: float, visible: bool) -> None:
        if visible:
            self._away_since_t = None
        elif self._away_since_t is None:
            self._away_since_t = t
        # A pause is judged when the next rep arrives (its start_t is only known then), not here: a rep may be
        # in progress.
        if self._open and self._away_since_t is not None and t - self._away_since_t >= self.away_s:
            self._open = False

    @property
    def open(self) -> bool:
        """A set is open: the next rep of its exercise may join it (a hold's set: the hold goes on)."""
        return self._open

    def hold(self, span: HoldSpan, exercise: str = "") -> int:
        """Puts the hold `span` (of `exercise`) into its set, a set of its own: the hold's first report opens it (and
        closes the set open before), later reports of the same hold update it, its end closes it. Returns its index."""
        last = self.sets[-1] if self._open else None
        if last is None or last.hold_s is None or last.start_t != span.start_t or last.exercise != exercise:
            self.sets.append(SetSummary(len(self.sets) + 1, span.start_t, span.end_t, 0, 0, exercise, span.good_s))
        else:
            self.sets[-1] = replace(last, end_t=span.end_t, hold_s=span.good_s)
        self._open = not span.done
        self._last_rep_end_t = None
        return self.sets[-1].index

    def add(self, rep: RepEvent, exercise: str = "") -> int:
        """Puts `rep` (of `exercise`) into its set (a new one after a long pause) and returns that set's index."""
        if self._open and self._last_rep_end_t is not None and rep.start_t - self._last_rep_end_t > self.set_pause_s:
            self._open = False
        if self._open and (self.sets[-1].exercise != exercise or self.sets[-1].hold_s is not None):
            self._open = False  # a change of exercise, or a rep after a hold
        if not self._open:
            self.sets.append(SetSummary(len(self.sets) + 1, rep.start_t, rep.end_t, 0, 0, exercise))
            self._open = True
        current = self.sets[-1]
        self.sets[-1] = replace(
            current,
            end_t=rep.end_t,
            reps=current.reps + int(rep.counted),
            no_reps=current.no_reps + int(not rep.counted),
        )
        self._last_rep_end_t = rep.end_t
        return current.index


class SessionRecorder:
    """Fed one MachineStep per frame by the live pipeline (`update`), then `finish`ed once.

    Set rules: see `SetTracker`.
    Issue counts: each FormIssue counts once; a rep's issues add the rules that did not already fire as
    a FormIssue during that rep (rep checks), so one fault is not counted twice.
    store=None records in memory only (`fitness run --no-history`).
    """

    def __init__(
        self,
        exercise: str,
        *,
        title: str = "",
        source: str = "",
        model: str = "",
        params: Mapping[str, Any] | None = None,
        store: HistoryStore | None = None,
        set_pause_s: float = DEFAULT_SET_PAUSE_S,
        away_s: float = DEFAULT_AWAY_S,
        started_at: str | None = None,
        signal: str = "",
        hold: bool | None = None,
        trace_points: int = DEFAULT_TRACE_POINTS,
        checkpoint_s: float = DEFAULT_CHECKPOINT_S,
        kind: str = "single",
        plan_name: str | None = None,
        plan_of: Callable[[tuple[SetSummary, ...]], Mapping[str, Any]] | None = None,
    ) -> None:
        self._sets = SetTracker(set_pause_s, away_s)  # checks the set rules before a session begins in the store
        self.exercise = exercise
        self.title = title
        self.source = source
        self.model = model
        self.params = dict(params or {})
        self.store = store
        self.signal = signal
        self.hold = hold
        self.checkpoint_s = float(checkpoint_s)
        self.kind = kind
        self.plan_of = plan_of  # a plan workout: its sets -> the summary's planned vs done object
        # The wall clock is read only here, as a default for the record's date; logic uses step times.
        self.started_at = started_at or datetime.now(UTC).isoformat(timespec="seconds")
        self._trace = TraceBuffer(trace_points)
        self.session_id: int | None = None
        if store is not None:
            self.session_id = store.begin_session(
                exercise, started_at=self.started_at, title=title, source=source, model=model, params=self.params,
                kind=kind, plan_name=plan_name,
            )
        self._reset_counts()

    def _reset_counts(self) -> None:
        self.reps: list[RepEvent] = []
        self.issues: dict[str, int] = {}
        self._issue_times: dict[str, list[tuple[float, int | None]]] = {}
        self._first_t: float | None = None
        self._last_t: float | None = None
        self._last_saved_t: float | None = None
        self._hold_s = 0.0
        self._finished = False

    @property
    def counted(self) -> int:
        return sum(r.counted for r in self.reps)

    @property
    def no_reps(self) -> int:
        return sum(not r.counted for r in self.reps)

    @property
    def reps_by_side(self) -> dict[str, int]:
        sides: dict[str, int] = {}
        for r in self.reps:
            if r.counted:
                for side in limb_sides(r.side):
                    sides[side] = sides.get(side, 0) + 1
        return sides

    @property
    def sets(self) -> list[SetSummary]:
        return self._sets.sets

    @property
    def set_index(self) -> int:
        """The set the next rep goes into (1-based)."""
        return self._sets.next_index

    def update(self, step: MachineStep) -> None:
        """Take one engine step: trace the signal, track sets, count issues, commit finished reps."""
        if self._finished:
            raise RuntimeError("SessionRecorder.update() after finish(); create a new recorder per session")
        t = step.t
        if self._first_t is None:
            self._first_t = t
        self._last_t = t
        self._hold_s = max(self._hold_s, step.hold_s)
        if self.signal:
            self._trace.add(t, step.signals.values.get(self.signal))
        self._sets.presence(t, step.visible)
        for issue in step.new_issues:
            self._count_issue(issue)
        for rep in step.new_reps:
            self._add_rep(rep)
        if step.hold is not None:
            self._sets.hold(step.hold, step.hold.exercise or self.exercise)
        if self.store is not None:
            due = self._last_saved_t is None or t - self._last_saved_t >= self.checkpoint_s
            ended = step.hold is not None and step.hold.done
            if step.new_reps or step.new_issues or due or ended:
                self._save(step.new_reps, hold_set=step.hold is not None)

    def _count_issue(self, issue: FormIssue) -> None:
        self.issues[issue.rule_id] = self.issues.get(issue.rule_id, 0) + 1
        self._issue_times.setdefault(issue.rule_id, []).append((issue.t, issue.rep_index))

    def _already_counted(self, rule_id: str, rep: RepEvent) -> bool:
        return any(
            index == rep.index or (index is None and rep.start_t <= t <= rep.end_t)
            for t, index in self._issue_times.get(rule_id, ())
        )

    def _add_rep(self, rep: RepEvent) -> None:
        exercise = rep.exercise or self.exercise  # a workout's reps name their exercise
        rep = replace(rep, set_index=self._sets.add(rep, exercise), signal=rep.signal or self.signal)
        for rule_id in dict.fromkeys(rep.issues):
            if not self._already_counted(rule_id, rep):
                self.issues[rule_id] = self.issues.get(rule_id, 0) + 1
        self.reps.append(rep)

    def _is_hold(self) -> bool:
        return self.hold if self.hold is not None else (self._hold_s > 0 and not self.reps)

    def _duration_so_far(self) -> float:
        return 0.0 if self._first_t is None else max(0.0, self._last_t - self._first_t)

    def _save(self, new_reps: tuple[RepEvent, ...], hold_set: bool = False) -> None:
        fresh = self.reps[len(self.reps) - len(new_reps):] if new_reps else []
        first_set = fresh[0].set_index if fresh else len(self.sets) if hold_set else None
        self.store.save_progress(
            self.session_id,
            reps=fresh,
            sets=[s for s in self.sets if s.index >= first_set] if first_set is not None else (),
            issues=self.issues,
            totals={
                "reps": self.counted, "no_reps": self.no_reps, "reps_by_side": self.reps_by_side,
                "duration_s": self._duration_so_far(), "hold_s": self._hold_s if self._is_hold() else None,
                "trace": self._trace.to_dict(self.signal),
            },
        )
        self._last_saved_t = self._last_t

    def save_thumbnail(self, rep_index: int, jpeg: bytes) -> None:
        """Store the key-frame JPEG of a rep already recorded (nothing without a store)."""
        if self.store is not None:
            self.store.save_thumbnail(self.session_id, rep_index, jpeg)

    def summary(
        self, frames: int = 0, duration_s: float | None = None, fps: float = float("nan"), interrupted: bool = False
    ) -> WorkoutSummary:
        """The session so far as a WorkoutSummary (does not touch the store)."""
        return WorkoutSummary(
            id=self.session_id, exercise=self.exercise, title=self.title, source=self.source, model=self.model,
            started_at=self.started_at, duration_s=self._duration_so_far() if duration_s is None else float(duration_s),
            frames=int(frames), fps=float(fps), reps=self.counted, no_reps=self.no_reps, rep_details=tuple(self.reps),
            issues=dict(self.issues), sets=tuple(self.sets), hold_s=self._hold_s if self._is_hold() else None,
            reps_by_side=self.reps_by_side, params=dict(self.params), trace=self._trace.to_dict(self.signal),
            interrupted=bool(interrupted), kind=self.kind,
            plan=None if self.plan_of is None else dict(self.plan_of(tuple(self.sets))),
        )

    def finish(self, frames: int, duration_s: float, fps: float, interrupted: bool = False) -> WorkoutSummary:
        """End the session: the final summary, also written to the store and marked finished there."""
        if self._finished:
            raise RuntimeError("SessionRecorder.finish() called twice")
        result = self.summary(frames=frames, duration_s=duration_s, fps=fps, interrupted=interrupted)
        if self.store is not None:
            self.store.finish_session(self.session_id, result)
        self._finished = True
        return result

"""WorkoutSummary: one session as stored in history and written by `--json`.

The JSON keys `reps` and `rep_details[].counted` / `.issues` are a contract used by acceptance checks:
extend, never rename.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from fitness.exercise.events import RepEvent
from fitness.jsonvalues import nan_to_null, null_to_nan

SCHEMA_VERSION = 1
# What a session is: one named exercise, a workout whose exercises were recognised, or a workout following a plan.
WORKOUT_KINDS = ("single", "auto", "plan")


def local_time(started_at: str) -> datetime | None:
    """An ISO 8601 start time in this computer's time zone (a time without zone is taken as local already);
    None when it is not a date-time."""
    try:
        stamp = datetime.fromisoformat(started_at)
    except (TypeError, ValueError):
        return None
    return stamp.astimezone() if stamp.tzinfo is not None else stamp


@dataclass(frozen=True)
class SetSummary:
    """One set: reps of one exercise without a long rest between them, or one hold of a hold exercise.

    start_t / end_t: the first rep's start and the last rep's end (a hold's: when the position was taken and left), on
    the session clock (written also as start_s / end_s, the names of the workout contract). exercise: a library name
    ("" when not known, e.g. an old record). rest_before_s: from the previous set's end to this set's start (None for
    the first set). hold_s: a hold's seconds in good form, as the summary's top-level `hold_s` (None for reps).
    """

    index: int
    start_t: float
    end_t: float
    reps: int
    no_reps: int
    exercise: str = ""
    hold_s: float | None = None

    def to_dict(self, rep_details: tuple[RepEvent, ...] = (), previous_end_t: float | None = None) -> dict[str, Any]:
        """The set as JSON, with the per-rep details of `rep_details` that belong to it (by `set_index`), and
        `rest_before_s` from `previous_end_t`, the end of the set before (None for the first set)."""
        return {
            "index": self.index,
            "exercise": self.exercise,
            "start_t": self.start_t,
            "end_t": self.end_t,
            "start_s": self.start_t,
            "end_s": self.end_t,
            "rest_before_s": None if previous_end_t is None else max(0.0, self.start_t - previous_end_t),
            "reps": self.reps,
            "no_reps": self.no_reps,
            "hold_s": self.hold_s,
            "rep_details": [r.to_dict() for r in rep_details if r.set_index == self.index],
        }

    @classmethod
    def from_dict(cls, d: Mapping[str, Any], exercise: str = "") -> SetSummary:
        """exercise: for a set written without one (older files), the session's exercise."""
        hold_s = d.get("hold_s")
        return cls(int(d["index"]), float(d["start_t"]), float(d["end_t"]), int(d["reps"]), int(d["no_reps"]),
                   exercise=d.get("exercise") or exercise, hold_s=None if hold_s is None else float(hold_s))


@dataclass(frozen=True)
class WorkoutSummary:
    """A finished (or interrupted) session.

    started_at: ISO 8601 UTC wall-clock time the session started.
    duration_s / frames / fps: of the processed source.
    reps: counted reps; no_reps: reps that did not count (see rep_details[].reason).
    issues: rule id -> how many times it fired.
    hold_s: good-form hold time for hold exercises (None for rep exercises).
    trace: the rep signal over time for plots: {"signal": name, "t": [...], "value": [...]} (may be empty).
    interrupted: the session ended by Ctrl-C, a lost camera or a truncated video rather than normally.
    kind: one of WORKOUT_KINDS. plan: for a plan workout, the plan planned vs done (fitness.plan.tracker.PlanResult
    as JSON: name, title, blocks, extra_sets, complete, volume_kg), else None.
    group_id / person: the sessions of one run that followed several people share a group_id; person names whom
    this one followed (both None for a run of one person).
    """

    exercise: str
    source: str
    model: str
    started_at: str
    duration_s: float
    frames: int
    fps: float
    reps: int
    no_reps: int
    rep_details: tuple[RepEvent, ...] = ()
    issues: Mapping[str, int] = field(default_factory=dict)
    sets: tuple[SetSummary, ...] = ()
    title: str = ""
    hold_s: float | None = None
    reps_by_side: Mapping[str, int] = field(default_factory=dict)
    params: Mapping[str, float] = field(default_factory=dict)
    trace: Mapping[str, Any] = field(default_factory=dict)
    interrupted: bool = False
    id: int | None = None
    kind: str = "single"
    plan: Mapping[str, Any] | None = None
    group_id: int | None = None
    person: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "schema_version": SCHEMA_VERSION,
            "id": self.id,
            "exercise": self.exercise,
            "title": self.title,
            "source": self.source,
            "model": self.model,
            "started_at": self.started_at,
            "duration_s": self.duration_s,
            "frames": self.frames,
            "fps": nan_to_null(self.fps),
            "reps": self.reps,
            "no_reps": self.no_reps,
            "reps_by_side": dict(self.reps_by_side),
            "hold_s": self.hold_s,
            "rep_details": [r.to_dict() for r in self.rep_details],
            "issues": dict(self.issues),
            "sets": [
                s.to_dict(self.rep_details, self.sets[i - 1].end_t if i else None) for i, s in enumerate(self.sets)
            ],
            "params": dict(self.params),
            "trace": dict(self.trace),
            "interrupted": self.interrupted,
            "kind": self.kind,
            "plan": None if self.plan is None else dict(self.plan),
            "group_id": self.group_id,
            "person": self.person,
        }

    def to_json(self, indent: int | None = 2) -> str:
        return json.dumps(self.to_dict(), indent=indent, allow_nan=False)

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> WorkoutSummary:
        return cls(
            id=d.get("id"),
            exercise=d["exercise"],
            title=d.get("title", ""),
            source=d.get("source", ""),
            model=d.get("model", ""),
            started_at=d.get("started_at", ""),
            duration_s=float(d["duration_s"]),
            frames=int(d["frames"]),
            fps=null_to_nan(d.get("fps")),
            reps=int(d["reps"]),
            no_reps=int(d.get("no_reps", 0)),
            reps_by_side={k: int(v) for k, v in d.get("reps_by_side", {}).items()},
            hold_s=d.get("hold_s"),
            rep_details=tuple(RepEvent.from_dict(r) for r in d.get("rep_details", ())),
            issues={k: int(v) for k, v in d.get("issues", {}).items()},
            sets=tuple(SetSummary.from_dict(s, d["exercise"]) for s in d.get("sets", ())),
            params=dict(d.get("params", {})),
            trace=dict(d.get("trace", {})),
            interrupted=bool(d.get("interrupted", False)),
            kind=d.get("kind") or "single",
            plan=None if d.get("plan") is None else dict(d["plan"]),
            group_id=None if d.get("group_id") is None else int(d["group_id"]),
            person=d.get("person"),
        )

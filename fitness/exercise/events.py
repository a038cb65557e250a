"""What the exercise engine says: per-frame signals, finished reps, form issues, and its per-frame step."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from fitness.jsonvalues import nan_to_null, null_to_nan

SEVERITIES = ("info", "warning", "error")


def limb_sides(side: str | None) -> tuple[str, ...]:
    """The sides a rep's `side` says worked: ("left", "right") for "both", (side,) for one side, () for None."""
    if side == "both":
        return ("left", "right")
    return (side,) if side else ()


@dataclass(frozen=True)
class Signals:
    """The exercise's named metrics at time t (units in the names: knee_deg, wrist_gap_torso).

    values: metric name -> float, NaN where a keypoint it needs is missing.
    visible: every keypoint the exercise requires is visible this frame.
    """

    t: float
    values: Mapping[str, float]
    visible: bool


@dataclass(frozen=True)
class FormIssue:
    """A form rule that started failing (emitted once per failure, not every frame)."""

    rule_id: str
    message: str
    severity: str
    t: float
    rep_index: int | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "rule_id": self.rule_id,
            "message": self.message,
            "severity": self.severity,
            "t": self.t,
            "rep_index": self.rep_index,
        }

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> FormIssue:
        return cls(d["rule_id"], d["message"], d["severity"], float(d["t"]), d.get("rep_index"))


@dataclass(frozen=True)
class RepEvent:
    """One finished repetition, counted or not.

    index: 1-based over the session, counting no-reps too.
    phases: phase name -> seconds (e.g. eccentric_s, bottom_s, concentric_s).
    rom: (min, max) of the rep signal over the rep, in the signal's unit.
    issues: rule ids that fired during the rep (live rules and rep checks).
    score: form score 0-100.
    reason: why a rep was not counted (a rule id such as "depth"); None when counted.
    side: "left" / "right" for a rep of one side and "both" for one done with both (exercises that measure both
    sides: `side: both|alternating`, or `limbs: independent`), else None.
    """

    index: int
    start_t: float
    end_t: float
    counted: bool
    phases: Mapping[str, float] = field(default_factory=dict)
    rom: tuple[float, float] = (float("nan"), float("nan"))
    issues: tuple[str, ...] = ()
    score: float = 100.0
    reason: str | None = None
    side: str | None = None
    set_index: int = 1
    signal: str = ""
    exercise: str = ""
    # (start, end) of the movement on the rep signal where the rep was timed on a tempo metric (machines made with
    # `signal_spans`); not part of the event's record.
    span: tuple[float, float] | None = field(default=None, compare=False)

    @property
    def duration_s(self) -> float:
        return self.end_t - self.start_t

    @property
    def movement(self) -> tuple[float, float]:
        """(start, end) of the rep's movement on the rep signal (`span`, else its reported times)."""
        return self.span if self.span is not None else (self.start_t, self.end_t)

    def to_dict(self) -> dict[str, Any]:
        return {
            "index": self.index,
            "start_t": self.start_t,
            "end_t": self.end_t,
            "duration_s": self.duration_s,
            "counted": self.counted,
            "phases": {k: nan_to_null(v) for k, v in self.phases.items()},
            "rom": [nan_to_null(self.rom[0]), nan_to_null(self.rom[1])],
            "issues": list(self.issues),
            "score": nan_to_null(self.score),
            "reason": self.reason,
            "side": self.side,
            "set_index": self.set_index,
            "signal": self.signal,
            "exercise": self.exercise,
        }

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> RepEvent:
        return cls(
            index=int(d["index"]),
            start_t=float(d["start_t"]),
            end_t=float(d["end_t"]),
            counted=bool(d["counted"]),
            phases={k: null_to_nan(v) for k, v in d.get("phases", {}).items()},
            rom=(null_to_nan(d.get("rom", [None, None])[0]), null_to_nan(d.get("rom", [None, None])[1])),
            issues=tuple(d.get("issues", ())),
            score=null_to_nan(d.get("score")),
            reason=d.get("reason"),
            side=d.get("side"),
            set_index=int(d.get("set_index", 1)),
            signal=d.get("signal", ""),
            exercise=d.get("exercise") or "",
        )


@dataclass(frozen=True)
class HoldSpan:
    """A hold of a hold exercise, in progress (done False) or ended on this very step (done True): from start_t, the
    first moment in position, to end_t, the last frame in position (once done: when the position was lost); good_s
    of its total_s seconds in position were in good form (the summary's `hold_s`). exercise: the hold's exercise in a
    workout that recognises its exercises ("" for a session of one named exercise)."""

    start_t: float
    end_t: float
    good_s: float
    total_s: float
    done: bool = False
    exercise: str = ""


@dataclass(frozen=True)
class MachineStep:
    """The engine's answer to one pose: where the athlete is and what just happened.

    phase: the current state name (None before the first rest state is reached).
    new_reps / new_issues: events produced by this very update (usually empty).
    active: form rules failing right now (the cues a UI shows).
    guidance: a setup hint while the body is not usable ("Step back: ankles not visible").
    hold_s: time held in good form so far (hold exercises; 0 for rep exercises).
    hold: the hold in progress once it counts as one (held its definition's min_s), or the hold that ended on this
    step; a set of its own in the summary. None for rep exercises and between holds.
    progress: 0..1 position of the rep signal between rest and target (range-of-motion meter), NaN if unknown.
    reps_by_side: side -> counted reps that side took part in (exercises that measure both sides; a rep done with
    both counts for each).
    side: the body side measured ("left"/"right", "both"), None before the first pose; pass it to
    ExerciseDefinition.angle_joints. view: the camera view estimated from the body ("front"/"oblique"/"side"),
    or None.
    limbs: for paired sides, how the limbs work (fitness.exercise.limbs.LIMB_MODES: "together", "alternating",
    "left", "right"), None before their first rep or for other exercises.
    exercise: in a workout that recognises its exercises, the exercise being counted (None while none is); None
    for a session of one named exercise.
    """

    t: float
    signals: Signals
    phase: str | None
    reps: int
    no_reps: int
    new_reps: tuple[RepEvent, ...] = ()
    new_issues: tuple[FormIssue, ...] = ()
    active: tuple[FormIssue, ...] = ()
    visible: bool = True
    guidance: str | None = None
    hold_s: float = 0.0
    progress: float = float("nan")
    reps_by_side: Mapping[str, int] = field(default_factory=dict)
    side: str | None = None
    view: str | None = None
    limbs: str | None = None
    exercise: str | None = None
    hold: HoldSpan | None = None

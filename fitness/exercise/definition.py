"""Validated, frozen exercise definitions (what a YAML file says) and their per-side compiled programs."""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from fitness.exercise.consistent import LOW_SCORE
from fitness.pose.types import TRUSTED_KEYPOINT_SCORE, Keypoint

# auto: the better-seen side, or for limbs that work on their own both sides paired (fitness.exercise.limbs);
# both: both sides paired; alternating: each side's reps count on their own; left/right: that side only.
SIDE_CHOICES = ("auto", "left", "right", "both", "alternating")
# Whether the two sides can work on their own (curls, presses: one arm, alternating) or always move together.
LIMBS_CHOICES = ("together", "independent")
VIEW_CHOICES = ("side", "front", "oblique")  # the camera views the engine tells apart (geometry.side.ViewEstimator)
# How the body is oriented in a video the right way up: "standing" (upright) or "lying" (horizontal).
POSTURE_CHOICES = ("standing", "lying")
SEVERITY_PENALTY = {"info": 5.0, "warning": 15.0, "error": 30.0}  # form-score points lost per issue in a rep
# The min_dwell_s a state gets when its file gives none: a rep ends only on a real return to rest (3 frames at
# 30 fps), and a single glitched frame cannot reach any other state (2 frames at 30 fps).
REST_DWELL_S = 0.1
STATE_DWELL_S = 0.03


# The range of a param that does not declare one (`name: {value: v, min: a, max: b}`), by the unit its name ends
# in: every angle the language measures (angle(), incline()) lies in 0..180; percentages of a body length or of a
# person's own reference stay within 0..200; durations within 10 minutes (peak()'s longest span).
UNIT_RANGES = {"_deg": (0.0, 180.0), "_pct": (0.0, 200.0), "_s": (0.0, 600.0)}
PLAIN_RANGE_FACTOR = 100.0  # a param without a unit: the sign of its default, at most 100 x its size


def unit_range(name: str, default: float) -> tuple[float, float]:
    """The range a param gets from its name's unit (see UNIT_RANGES), or from its default when it has no unit:
    0..100 x default for a positive default, -100 x |default|..0 for a negative one, -100..100 for 0."""
    for suffix, bounds in UNIT_RANGES.items():
        if name.endswith(suffix):
            return bounds
    size = PLAIN_RANGE_FACTOR * abs(default) or PLAIN_RANGE_FACTOR
    if default > 0:
        return 0.0, size
    if default < 0:
        return -size, 0.0
    return -size, size


@dataclass(frozen=True)
class ParamDef:
    """A tunable number: its default (the file's value) and the range [low, high] that every value it is given
    (levels, `--set`) must stay in. The range is declared in the file or comes from `unit_range`."""

    name: str
    default: float
    low: float
    high: float

    def problem(self, value: float) -> str | None:
        """Why `value` cannot be this param's value (one phrase), or None when it can."""
        if math.isnan(value):
            return f"{self.name} must be a number between {self.low:g} and {self.high:g} (default {self.default:g})"
        if not self.low <= value <= self.high:
            return f"{self.name} must be between {self.low:g} and {self.high:g} (default {self.default:g})"
        return None


@dataclass(frozen=True)
class StateDef:
    """A state of the rep cycle: entered when `enter` holds for min_dwell_s, left when `exit` holds.

    exit None means "when enter is no longer true"; a separate exit gives hysteresis against noise.
    """

    name: str
    enter: str
    exit: str | None = None
    min_dwell_s: float | None = None  # None until the loader fills its default (REST_DWELL_S or STATE_DWELL_S)

    def with_default_dwell(self, is_rest: bool) -> StateDef:
        """This state with min_dwell_s set: its own, else REST_DWELL_S for the rest state, STATE_DWELL_S else."""
        if self.min_dwell_s is not None:
            return self
        return replace(self, min_dwell_s=REST_DWELL_S if is_rest else STATE_DWELL_S)


@dataclass(frozen=True)
class PartialDef:
    """A rep that left rest this far (`when` became true) but never reached the target: a no-rep `id`."""

    when: str
    id: str = "partial"
    message: str = "Partial rep: use the full range of motion"


@dataclass(frozen=True)
class RepDef:
    """The rep cycle: rest -> ... -> target -> ... -> rest counts one rep.

    phase_names: names of (rest->target, at target, target->rest), reported as `<name>_s` seconds.
    tempo: the metric the rep's movements are timed on (None: the signal); a joint angle, whose speed is
    bell-shaped, times a movement better than a height that barely changes near lockout. tempo_views: the
    tempo metric per camera view, when it depends on the view (`tempo` is then the first view's: the one used
    while the view is unknown or not one of the exercise's).
    """

    signal: str
    rest: str
    target: str
    states: tuple[StateDef, ...]
    min_rep_s: float = 0.4
    max_rep_s: float = 20.0
    partial: PartialDef | None = None
    phase_names: tuple[str, str, str] = ("out", "target", "back")
    tempo: str | None = None
    tempo_views: Mapping[str, str] = field(default_factory=dict)

    @property
    def tempo_metrics(self) -> tuple[str, ...]:
        """Every metric a rep may be timed on (tempo and tempo_views; empty when reps are timed on the signal)."""
        if self.tempo is None:
            return ()
        return tuple(dict.fromkeys((self.tempo, *self.tempo_views.values())))

    def tempo_for(self, view: str | None) -> str | None:
        """The tempo metric for a camera view (None: reps are timed on the signal)."""
        return self.tempo_views.get(view, self.tempo) if view is not None else self.tempo


@dataclass(frozen=True)
class HoldDef:
    """A hold exercise: time accumulates while `when` holds (in position) and no form rule fails.

    grace_s: how long the position may be lost before the hold ends; min_s: shorter holds are ignored.
    """

    when: str
    grace_s: float = 1.0
    min_s: float = 2.0


@dataclass(frozen=True)
class RuleDef:
    """A form rule. Live rules (`form:`) watch every frame; rep checks (`rep_checks:`) judge a finished rep.

    during: states in which a live rule is checked (empty: always). views: views it applies to (empty: all).
    hold_s: a live rule must be true this long before it fires; release_s: false this long before it clears.
    penalty: form-score points a rep loses when it carries this issue.
    """

    id: str
    when: str
    message: str
    severity: str = "warning"
    during: tuple[str, ...] = ()
    views: tuple[str, ...] = ()
    hold_s: float = 0.2
    release_s: float = 0.3
    penalty: float = SEVERITY_PENALTY[severity]


@dataclass(frozen=True)
class SideProgram:
    """A definition compiled for one body side: closures only, no parsing left for the frame loop.

    metrics: (name, fn(frame)) in definition order. required: keypoint indices that must be visible;
    view_required: the same for the camera views that need others (`view_requires`).
    moving: the keypoints the rep/hold conditions read (required, unless `requires:` lists others).
    enter/exit: per state in RepDef.states order (exit None = not enter). tests: rule id -> the rule's condition
    (fn(frame) for live rules, fn(rep frames) for rep checks).
    """

    side: str
    metrics: tuple[tuple[str, Callable[[Any], float]], ...]
    required: tuple[int, ...]
    view_required: Mapping[str, tuple[int, ...]] = field(default_factory=dict)
    enter: tuple[Callable[[Any], bool], ...] = ()
    exit: tuple[Callable[[Any], bool] | None, ...] = ()
    partial: Callable[[Any], bool] | None = None
    hold: Callable[[Any], bool] | None = None
    tests: Mapping[str, Callable[[Any], bool]] = field(default_factory=dict)
    angle_joints: Mapping[str, tuple[int, int, int]] = field(default_factory=dict)
    # The keypoints the rep (or hold) conditions read, through the metrics they use: the body parts whose movement
    # this exercise is about (a workout weighs how much of the body's movement an exercise explains).
    moving: frozenset[int] = frozenset()

    def required_in(self, view: str | None) -> tuple[int, ...]:
        """The keypoints that must be visible in this camera view (None: not known yet)."""
        return self.view_required.get(view, self.required) if view is not None else self.required


@dataclass(frozen=True)
class ExerciseDefinition:
    """One exercise, validated. params already include the chosen level and overrides; param_defs hold each
    param's default and allowed range.

    metrics: (name, expression) pairs in order. Exactly one of rep / hold is set.
    programs: side ("left"/"right") -> compiled program (both sides for side auto/both).
    """

    name: str
    title: str
    path: Path | None
    views: tuple[str, ...]
    side: str
    requires: tuple[str, ...]
    min_score: float
    params: Mapping[str, float]
    metrics: tuple[tuple[str, str], ...]
    rep: RepDef | None
    hold: HoldDef | None
    form: tuple[RuleDef, ...]
    rep_checks: tuple[RuleDef, ...]
    description: str = ""
    posture: str | None = None  # POSTURE_CHOICES, or None when the file does not say
    limbs: str = "together"  # LIMBS_CHOICES
    levels: Mapping[str, Mapping[str, float]] = field(default_factory=dict)
    level: str | None = None
    param_defs: Mapping[str, ParamDef] = field(default_factory=dict)
    programs: Mapping[str, SideProgram] = field(default_factory=dict, compare=False, repr=False)

    @property
    def rep_signal(self) -> str:
        """The metric that drives the rep cycle (for a hold: its first metric), shown as the range-of-motion bar."""
        if self.rep is not None:
            return self.rep.signal
        return self.metrics[0][0] if self.metrics else ""

    @property
    def measured_sides(self) -> tuple[str, ...]:
        """The sides measured at once: both for both/alternating and for side auto with independent limbs, else
        one (the fixed side, or "auto" for the better-seen one)."""
        if self.side in ("both", "alternating") or (self.side == "auto" and self.limbs == "independent"):
            return ("left", "right")
        return (self.side,)

    @property
    def pairs_sides(self) -> bool:
        """Whether reps the two sides do together count once (fitness.exercise.limbs)."""
        return len(self.measured_sides) == 2 and self.side != "alternating"

    @property
    def keep_score(self) -> float | None:
        """The score down to which the smoothers must keep keypoints for this engine, where it is below their own
        trusted default: paired sides also use consistent low-score keypoints (fitness.exercise.consistent), and a
        definition's own min_score below that default is its to use (else the smoother drops what it accepts);
        None for the others."""
        if self.pairs_sides:
            return min(LOW_SCORE, self.min_score)
        return self.min_score if self.min_score < TRUSTED_KEYPOINT_SCORE else None

    @property
    def is_hold(self) -> bool:
        return self.hold is not None

    def angle_joints(self, side: str | None) -> dict[str, tuple[Keypoint, Keypoint, Keypoint]]:
        """Metrics that are plain angle(a, b, c) of keypoints -> their joints on `side`, for drawing arcs.

        side: "left"/"right" (the side a machine uses, MachineStep.side), or "both" / None for both sides
        with keys "left:<metric>" and "right:<metric>" (for a fixed-side exercise, None gives its side).
        """
        if side in (None, "both") and self.side in ("left", "right"):
            side = self.side
        if side in ("left", "right"):
            program = self.programs.get(side) or next(iter(self.programs.values()))
            return {k: tuple(Keypoint(i) for i in v) for k, v in program.angle_joints.items()}  # type: ignore[misc]
        out: dict[str, tuple[Keypoint, Keypoint, Keypoint]] = {}
        for s, program in self.programs.items():
            for k, v in program.angle_joints.items():
                out[f"{s}:{k}"] = tuple(Keypoint(i) for i in v)  # type: ignore[assignment]
        return out

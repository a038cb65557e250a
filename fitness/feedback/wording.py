"""Words the UIs show for the engine's names: metrics ("knee_deg" -> "knee 92°") and phases ("eccentric" ->
"going down").

The engine and the JSON keep their names; only what the overlay and the dashboard display goes through here.
"""

from __future__ import annotations

import functools

from fitness.units import format_value, unit

# Units a person reads on a live screen; metrics in any other unit (pixels, torso lengths, none) are internal.
_READABLE_UNITS = ("°", "%", "s")
_SIDES = {"left": "L", "right": "R"}
# Phase and state names of the bundled exercises that are jargon or terse; others are shown with spaces for "_".
_PHASES = {
    "eccentric": "going down",
    "concentric": "coming up",
    "bottom": "at the bottom",
    "top": "at the top",
    "rack_pos": "at the shoulders",
    "down": "down",
    "up": "up",
    "holding": "holding",
}
NO_PHASE = "getting ready"
# How paired limbs work (MachineStep.limbs, fitness.exercise.limbs.LIMB_MODES).
_LIMBS = {"together": "both together", "alternating": "alternating", "left": "left only", "right": "right only"}


@functools.lru_cache(maxsize=256)
def metric_label(name: str) -> str | None:
    """A short readable name for a metric ("left_elbow_deg" -> "L elbow", "left:knee_deg" -> "L knee",
    "hip_height_pct" -> "hip height"), or None for internal metrics that a person cannot read (no unit, or pixels)."""
    side, _, base = name.rpartition(":")
    if unit(base) not in _READABLE_UNITS:
        return None
    words = [w for w in base.rpartition("_")[0].split("_") if w]
    if not words:
        return None
    if side:
        words.insert(0, side)
    if words[0] in _SIDES:
        words[0] = _SIDES[words[0]]
    return " ".join(words)


def metric_text(name: str, value: float) -> str | None:
    """ "knee 92°": the metric's label and value, or None for internal metrics."""
    label = metric_label(name)
    return None if label is None else f"{label} {format_value(name, value)}"


def phase_words(phase: str | None) -> str:
    """The phase in plain words ("eccentric" -> "going down"); "getting ready" before the first rest state."""
    if not phase:
        return NO_PHASE
    return _PHASES.get(phase, phase.replace("_", " "))


def longest_phase_words() -> str:
    """The longest text `phase_words` gives for the bundled exercises' phases (to size a stable panel)."""
    return max([*_PHASES.values(), NO_PHASE], key=len)


def limbs_words(mode: str | None) -> str | None:
    """How the limbs work in plain words ("left" -> "left only"), or None when the engine does not say."""
    return _LIMBS.get(mode, mode) if mode else None


# What a workout's engine is doing (fitness.workout.engine.STATES), while it counts no exercise.
_WORKOUT_STATES = {
    "recognising": "recognising...",
    "unknown": "moving, but not an exercise I know",
    "resting": "resting",
    "away": "nobody in view",
}


def rest_words(rest_s: float | None) -> str | None:
    """ "rest 1:05": the time since the last rep, counting up between sets; None when not resting."""
    if rest_s is None:
        return None
    minutes, seconds = divmod(int(rest_s), 60)
    return f"rest {minutes}:{seconds:02d}"


def workout_words(status) -> str:
    """What a workout is doing, in words: the exercise counted (its title), or "recognising..." / "moving, but not an
    exercise I know" / "resting"; plain ASCII, which the overlay's font can draw.
    status: a fitness.workout.engine.WorkoutStatus."""
    if status.exercise is not None:
        return status.title or status.exercise.replace("_", " ")
    words = _WORKOUT_STATES.get(status.state, status.state)
    if status.state == "recognising" and status.guess:
        words = f"recognising... {status.guess.replace('_', ' ')}?"
    return words


def set_words(set_index: int, status=None) -> str:
    """ "set 2" and, in a workout between sets, "  rest 0:35" (plain ASCII)."""
    rest = rest_words(status.rest_s) if status is not None else None
    return f"set {set_index}" + (f"  {rest}" if rest else "")

"""The live state the page shows (`GET /api/state`), from the session's latest snapshot."""

from __future__ import annotations

import math
from typing import Any

from fitness.feedback.plan_words import plan_rest_words, plan_status_words
from fitness.feedback.snapshot import NOBODY_MESSAGE, Snapshot
from fitness.feedback.wording import phase_words, workout_words
from fitness.plan.tracker import PlanProgress


def _number(x: float) -> float | None:
    return round(x, 3) if isinstance(x, int | float) and math.isfinite(x) else None


def live_state(snapshot: Snapshot | None, running: bool = True, ended: bool = False) -> dict[str, Any]:
    """reps, phase (plain words), exercise, cues (active form cues' messages), set, rest_s (seconds since a
    workout's last rep, between sets; else 0), and what the page shows beside them. In a workout, `title` is the
    exercise counted now or what the workout is doing ("recognising..."), and `workout` its state (else None).
    Before the first snapshot: zeros and "waiting".
    running: the session is under way; ended: it has stopped (neither: it is still starting)."""
    if snapshot is None:
        return {"running": running, "ended": ended, "exercise": "", "title": "", "reps": 0, "no_reps": 0,
                "phase": "waiting", "cues": [], "guidance": None, "set": 1, "rest_s": 0.0, "t": None,
                "progress": None, "hold_s": None, "last_score": None, "fps": None, "analysing": False,
                "workout": None, "plan": None}
    step = snapshot.step
    guidance = step.guidance or (None if step.visible or snapshot.pose is not None else NOBODY_MESSAGE)
    last = snapshot.last_rep
    workout = snapshot.workout
    return {
        "running": running,
        "ended": ended,
        "exercise": snapshot.exercise,
        "title": workout_words(workout) if workout is not None else snapshot.title or snapshot.exercise,
        "reps": int(step.reps),
        "no_reps": int(step.no_reps),
        "phase": phase_words(step.phase),
        "cues": list(dict.fromkeys(issue.message for issue in step.active)),
        "guidance": snapshot.notice or guidance,
        "set": int(snapshot.set_index),
        "rest_s": (_number(workout.rest_s) or 0.0) if workout is not None and workout.rest_s is not None else 0.0,
        "t": _number(step.t),
        "progress": _number(step.progress),
        "hold_s": _number(step.hold_s),
        "last_score": _number(last.score) if last is not None else None,
        "fps": _number(snapshot.fps),
        "analysing": snapshot.pass_progress is not None,
        "workout": workout.state if workout is not None else None,
        "plan": _plan(snapshot.plan) if snapshot.plan is not None else None,
    }


def _plan(progress: PlanProgress) -> dict[str, Any]:
    """A plan workout's state: the words the dashboard shows, and the numbers behind them."""
    return {
        "status": plan_status_words(progress),
        "rest": plan_rest_words(progress),
        "block": progress.block_index,
        "exercise": progress.block.exercise if progress.block is not None else None,
        "set": progress.set_number,
        "target": _number(progress.target),
        "done": _number(progress.done),
        "rest_left_s": _number(progress.rest_left_s) if progress.rest_left_s is not None else None,
        "next": progress.next_block.exercise if progress.next_block is not None else None,
        "sets_done": progress.sets_done,
        "sets_planned": progress.sets_planned,
    }

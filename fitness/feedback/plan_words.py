"""Words the UIs show for a workout plan: "push-ups x 10", "3 x 10 @ 12 kg", "next: plank 30 s".

The plan and its tracker keep names and numbers; only what people read goes through here.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the dashboard imports these words: a run without a plan loads no plan module
    from fitness.plan.model import Block
    from fitness.plan.tracker import PlanProgress


def exercise_words(name: str) -> str:
    """A library name as people write it: "push_ups" -> "push-ups", "glute_bridges" -> "glute bridges"."""
    return name.replace("_ups", "-ups").replace("_", " ")


def kg_words(kg: float) -> str:
    """A load or volume in kilograms, to 0.1 kg: "45.4 kg" (pounds are converted before, so they are not round)."""
    return f"{round(kg, 1):g} kg"


def _seconds(value: float) -> str:
    return f"{value:g} s"


def set_target_words(block: Block) -> str:
    """One set's target: "x 10" or "30 s"."""
    return _seconds(block.hold_s) if block.hold_s is not None else f"x {block.reps}"


def block_words(block: Block) -> str:
    """A block in one line: "squats 3 x 10 @ 12 kg", "plank 2 x 30 s"."""
    per_set = _seconds(block.hold_s) if block.hold_s is not None else str(block.reps)
    load = f" @ {block.load}" if block.load is not None else ""
    return f"{exercise_words(block.exercise)} {block.sets} x {per_set}{load}"


def next_words(block: Block | None) -> str:
    """ "next: push-ups x 10" for the set that follows, or "last set" when nothing does."""
    if block is None:
        return "last set"
    return f"next: {exercise_words(block.exercise)} {set_target_words(block)}"


def overrides_words(block: Block) -> str:
    """The block's level and `set:` overrides, as `fitness run` options would say them ("" for none)."""
    parts = [f"level {block.level}"] if block.level else []
    parts += [f"{key}={value:g}" for key, value in block.overrides.items()]
    return ", ".join(parts)


def _amount(block: Block, value: float) -> str:
    return f"{value:.0f} s" if block.is_hold else f"{value:.0f}"


def _clock(seconds: float) -> str:
    minutes, secs = divmod(int(math.ceil(seconds)), 60)
    return f"{minutes}:{secs:02d}"


def plan_status_words(progress: PlanProgress) -> str:
    """Where the plan stands: "squats · set 2 of 3 · 7 / 10", "… · target met: rest", "all done"."""
    block = progress.block
    if block is None:
        return f"all done · {progress.sets_done} of {progress.sets_planned} sets"
    head = f"{exercise_words(block.exercise)} · set {progress.set_number} of {block.sets}"
    load = f" @ {block.load}" if block.load is not None else ""
    done = f"{_amount(block, progress.done)} / {_amount(block, progress.target)}{load}"
    return f"{head} · {done}" + (" · target met: rest" if progress.target_met else "")


def plan_rest_words(progress: PlanProgress) -> str:
    """The rest countdown and what comes next: "rest 0:42 · next: push-ups x 10" ("" while a set goes on)."""
    coming = next_words(progress.next_block) if progress.block is not None else ""
    if progress.rest_left_s is None:
        return coming
    rest = "rest over" if progress.rest_left_s <= 0 else f"rest {_clock(progress.rest_left_s)}"
    return f"{rest} · {coming}" if coming else rest

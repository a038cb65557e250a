"""PlanTracker: follows a plan while a workout goes on, from the sets the engine closes (SetSummary) and the set in
progress; says which block and set is on, its target and progress, the rest countdown after a set, what comes
next and when to move on; at the end, done vs planned per block and the volume (reps x load).

It knows sets only as `fitness.session.summary.SetSummary`, so any engine that splits sets can drive it (a
recognising workout engine, or one named-exercise machine per block). A set of a hold exercise is its time held:
its SetSummary spans `end_t - start_t` seconds. Time is an argument (the session clock).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from fitness.plan.model import Block, Plan
from fitness.session.summary import SetSummary


@dataclass(frozen=True)
class PlanProgress:
    """Where the workout stands in the plan at one moment (what a dashboard shows).

    block_index: 0-based index of the current block (None once every block is done); set_number: 1-based number of
    the set being done (or next) in that block; target / done: reps (or seconds held) planned and done in it.
    target_met: the set in progress reached its target: time to stop and rest. rest_left_s: the countdown after the
    last closed set (None while a set goes on or before the first set; 0 when the rest is over). next_block: the
    block of the next set (the same block while it has sets left; None after the last set).
    """

    block_index: int | None
    block: Block | None
    set_number: int
    target: float
    done: float
    target_met: bool
    resting: bool
    rest_left_s: float | None
    next_block: Block | None
    sets_done: int
    sets_planned: int

    @property
    def finished(self) -> bool:
        return self.block_index is None


@dataclass(frozen=True)
class BlockResult:
    """One block, planned vs done. done: reps (or seconds held) of each of its sets, in order; volume_kg: reps x
    load over its sets (None for a block without load)."""

    index: int
    exercise: str
    planned_sets: int
    planned_reps: int | None
    planned_hold_s: float | None
    load_kg: float | None
    set_indexes: tuple[int, ...]
    done: tuple[float, ...]

    @property
    def done_sets(self) -> int:
        return len(self.done)

    @property
    def target(self) -> float:
        return float(self.planned_hold_s if self.planned_hold_s is not None else self.planned_reps or 0)

    @property
    def complete(self) -> bool:
        """Every planned set was done, each to its target."""
        return self.done_sets >= self.planned_sets and all(x >= self.target for x in self.done[: self.planned_sets])

    @property
    def volume_kg(self) -> float | None:
        if self.load_kg is None or self.planned_reps is None:
            return None
        return sum(self.done) * self.load_kg

    def to_dict(self) -> dict[str, Any]:
        return {
            "index": self.index,
            "exercise": self.exercise,
            "planned_sets": self.planned_sets,
            "planned_reps": self.planned_reps,
            "planned_hold_s": self.planned_hold_s,
            "load_kg": self.load_kg,
            "sets": list(self.set_indexes),
            "done": [int(x) if self.planned_reps is not None else x for x in self.done],
            "done_sets": self.done_sets,
            "complete": self.complete,
            "volume_kg": self.volume_kg,
        }

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> BlockResult:
        return cls(
            index=int(d["index"]), exercise=str(d["exercise"]), planned_sets=int(d["planned_sets"]),
            planned_reps=None if d.get("planned_reps") is None else int(d["planned_reps"]),
            planned_hold_s=None if d.get("planned_hold_s") is None else float(d["planned_hold_s"]),
            load_kg=None if d.get("load_kg") is None else float(d["load_kg"]),
            set_indexes=tuple(int(i) for i in d.get("sets", ())), done=tuple(float(x) for x in d.get("done", ())),
        )


@dataclass(frozen=True)
class PlanResult:
    """The plan at the end of a workout: each block planned vs done, the sets that fit no block (`extra_sets`, by
    set index) and the total volume (kg lifted: reps x load, over the loaded blocks)."""

    name: str
    title: str
    blocks: tuple[BlockResult, ...]
    extra_sets: tuple[int, ...] = ()

    @property
    def volume_kg(self) -> float:
        return sum(b.volume_kg or 0.0 for b in self.blocks)

    @property
    def complete(self) -> bool:
        return all(b.complete for b in self.blocks)

    def to_dict(self) -> dict[str, Any]:
        """The summary's `plan` object."""
        return {
            "name": self.name,
            "title": self.title,
            "blocks": [b.to_dict() for b in self.blocks],
            "extra_sets": list(self.extra_sets),
            "complete": self.complete,
            "volume_kg": self.volume_kg,
        }

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> PlanResult:
        return cls(name=str(d["name"]), title=str(d.get("title", "")),
                   blocks=tuple(BlockResult.from_dict(b) for b in d.get("blocks", ())),
                   extra_sets=tuple(int(i) for i in d.get("extra_sets", ())))


def set_amount(block: Block, s: SetSummary) -> float:
    """What a set did toward its block's target: counted reps, or seconds held for a hold (in good form, its hold_s,
    as a named hold counts them; a set without hold_s: its span)."""
    if not block.is_hold:
        return float(s.reps)
    return s.hold_s if s.hold_s is not None else max(0.0, s.end_t - s.start_t)


class PlanTracker:
    """Follows `plan` from closed sets (`close_set`) and the set in progress (`current`); read `progress(t)`.

    A closed set goes to the current block when it is of that exercise (or of no known exercise); a set of
    another exercise goes to the first unfinished block of that exercise from the current one on (the person moved
    on: the blocks passed over stay short), else to an unfinished earlier block of it, else it is an extra set.
    A block is finished when it has all its sets; the current block is the first unfinished one from where the
    workout stands.
    """

    def __init__(self, plan: Plan) -> None:
        self.plan = plan
        self._sets: list[list[SetSummary]] = [[] for _ in plan.blocks]
        self._extra: list[int] = []
        self._index: int | None = 0
        self._last_closed: tuple[int, float] | None = None  # (block index, end_t) of the last set closed
        self._live_exercise: str | None = None
        self._live_amount = 0.0

    # -- what the engine tells it --
    def current(self, exercise: str | None, amount: float) -> None:
        """The set in progress: its exercise (None or "" while not known) and reps (or seconds held) so far; 0
        between sets. A recognised exercise of a later block moves the workout on to that block."""
        self._live_exercise, self._live_amount = exercise or None, max(0.0, float(amount))
        if exercise and self._index is not None and self.plan.blocks[self._index].exercise != exercise:
            target = self._block_for(exercise)
            if target is not None and target > self._index:
                self._index = target

    def open_set(self, s: SetSummary) -> None:
        """The set in progress, as the engine has it so far (`current` with its exercise and amount). A set closed
        before and going on again (reps after a short rest) is taken back from its block until it closes again."""
        self._forget(s.index)
        block = self._index if self._index is not None else None
        amount = set_amount(self.plan.blocks[block], s) if block is not None else float(s.reps)
        self.current(s.exercise, amount)

    def _forget(self, index: int) -> None:
        if index in self._extra:
            self._extra.remove(index)
        for i, sets in enumerate(self._sets):
            if any(x.index == index for x in sets):
                self._sets[i] = [x for x in sets if x.index != index]
                if self._index is None or i < self._index:
                    self._index = self._first_unfinished(i)

    def close_set(self, s: SetSummary) -> int | None:
        """A set the engine closed; returns the index of the block it counted for (None: an extra set). A set
        closed again (with more reps, the same index) replaces what it counted before."""
        self._forget(s.index)
        self._live_exercise, self._live_amount = None, 0.0
        block = self._index if self._index is not None and not s.exercise else None
        if block is None and s.exercise:
            if self._index is not None and self.plan.blocks[self._index].exercise == s.exercise:
                block = self._index
            else:
                block = self._block_for(s.exercise)
        if block is None:
            self._extra.append(s.index)
            return None
        self._sets[block].append(s)
        self._last_closed = (block, s.end_t)
        if self._index is None or block >= self._index:
            self._index = self._first_unfinished(block)
        return block

    def _unfinished(self, i: int) -> bool:
        return len(self._sets[i]) < self.plan.blocks[i].sets

    def _first_unfinished(self, start: int) -> int | None:
        return next((i for i in range(start, len(self.plan.blocks)) if self._unfinished(i)), None)

    def _block_for(self, exercise: str) -> int | None:
        """The first unfinished block of `exercise` from the current one on, else the first unfinished one before."""
        start = self._index if self._index is not None else len(self.plan.blocks)
        order = [*range(start, len(self.plan.blocks)), *range(0, start)]
        return next((i for i in order if self.plan.blocks[i].exercise == exercise and self._unfinished(i)), None)

    # -- what it says --
    def expected(self) -> tuple[str, ...]:
        """The exercises to expect now, most likely first: the current block's, then the next block's (a
        recogniser may bias toward them)."""
        if self._index is None:
            return ()
        names = [self.plan.blocks[self._index].exercise]
        following = self._first_unfinished(self._index + 1)
        if following is not None:
            names.append(self.plan.blocks[following].exercise)
        return tuple(dict.fromkeys(names))

    @property
    def block_index(self) -> int | None:
        return self._index

    def progress(self, t: float) -> PlanProgress:
        blocks, i = self.plan.blocks, self._index
        sets_done = sum(len(s) for s in self._sets)
        in_set = self._live_amount > 0
        rest_left = None
        if not in_set and self._last_closed is not None:
            closed_block, end_t = self._last_closed
            rest_left = max(0.0, blocks[closed_block].rest_s - (t - end_t))
        if i is None:
            return PlanProgress(None, None, 0, 0.0, 0.0, False, rest_left is not None, rest_left, None, sets_done,
                                self.plan.total_sets)
        block = blocks[i]
        target = float(block.hold_s if block.hold_s is not None else block.reps or 0)
        set_number = len(self._sets[i]) + 1
        if set_number < block.sets:
            next_block: Block | None = block
        else:
            following = self._first_unfinished(i + 1)
            next_block = blocks[following] if following is not None else None
        return PlanProgress(
            block_index=i, block=block, set_number=set_number, target=target, done=self._live_amount,
            target_met=in_set and self._live_amount >= target, resting=rest_left is not None, rest_left_s=rest_left,
            next_block=next_block, sets_done=sets_done, sets_planned=self.plan.total_sets,
        )

    def result(self) -> PlanResult:
        return PlanResult(
            name=self.plan.name,
            title=self.plan.title,
            blocks=tuple(
                BlockResult(
                    index=i, exercise=b.exercise, planned_sets=b.sets, planned_reps=b.reps, planned_hold_s=b.hold_s,
                    load_kg=b.load.kg if b.load is not None else None,
                    set_indexes=tuple(s.index for s in self._sets[i]),
                    done=tuple(set_amount(b, s) for s in self._sets[i]),
                )
                for i, b in enumerate(self.plan.blocks)
            ),
            extra_sets=tuple(self._extra),
        )


def follow(plan: Plan, sets: Sequence[SetSummary]) -> PlanResult:
    """The plan result of a finished workout's sets, in order (as a tracker told them one by one)."""
    tracker = PlanTracker(plan)
    for s in sets:
        tracker.close_set(s)
    return tracker.result()

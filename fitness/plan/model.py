"""A validated workout plan: frozen blocks of sets (what a plan file says, checked by fitness.plan.loader)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType

KG_PER_LB = 0.45359237  # the international pound, exactly
LOAD_UNITS = ("kg", "lb")


@dataclass(frozen=True)
class Load:
    """The weight lifted in each rep of a block: `amount` in `unit` (kg or lb), as the plan wrote it."""

    amount: float
    unit: str

    @property
    def kg(self) -> float:
        return self.amount * KG_PER_LB if self.unit == "lb" else self.amount

    def __str__(self) -> str:
        return f"{self.amount:g} {self.unit}"


@dataclass(frozen=True)
class Block:
    """Sets of one exercise: `sets` sets of `reps` reps (a rep exercise) or of `hold_s` seconds (a hold), with
    `rest_s` seconds of rest after each set.

    exercise: the exercise's own name (as sets recognised in a workout name it); source: what the plan said (a
    library name or a YAML file, resolved against the plan's folder). level / overrides: as `fitness run --level
    / --set`, already checked against the exercise's levels and param ranges.
    """

    exercise: str
    source: str
    sets: int
    reps: int | None = None
    hold_s: float | None = None
    rest_s: float = 0.0
    level: str | None = None
    overrides: Mapping[str, float] = field(default_factory=lambda: MappingProxyType({}))
    load: Load | None = None
    path: Path | None = None  # the exercise's file (None for a block made in code)

    @property
    def is_hold(self) -> bool:
        return self.hold_s is not None


@dataclass(frozen=True)
class Plan:
    """A workout plan: its blocks in the order they are done."""

    name: str
    title: str
    blocks: tuple[Block, ...]
    description: str = ""
    path: Path | None = None

    @property
    def total_sets(self) -> int:
        return sum(b.sets for b in self.blocks)

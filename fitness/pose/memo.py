"""What a pure function derived from the last pose, kept for the next caller with the same pose: a workout runs one
exercise machine per exercise of its library on each pose, and each would derive the same numbers from it."""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

T = TypeVar("T")


class LastPoseMemo(Generic[T]):
    """`fn(xy, score, *args)` of the last (xy, score) arrays seen with each `args`: called again with the same array
    objects (by identity, held here so no other array can take their id) and equal args, it returns the value kept.
    `fn` must be pure and its value not changed by its callers; the arrays must not be changed in place (a Pose's
    are not)."""

    def __init__(self, fn: Callable[..., T]) -> None:
        self.fn = fn
        self._last: dict[tuple[Hashable, ...], tuple[object, object, T]] = {}  # args -> (xy, score, value)

    def __call__(self, xy: object, score: object, *args: Hashable) -> T:
        kept = self._last.get(args)
        if kept is not None and kept[0] is xy and kept[1] is score:
            return kept[2]
        value = self.fn(xy, score, *args)
        self._last[args] = (xy, score, value)
        return value

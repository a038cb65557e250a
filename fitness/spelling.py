"""Suggestions ("did you mean ...?") for every misspelt name in the project: the closest choice by edit distance.

The distance counts single-character insertions, deletions, substitutions and swaps of two neighbours
(optimal string alignment), case-insensitively, so `angel` is one step from `angle` and `Squat` one step
from `squats`. A choice is offered only when it is close enough for the word to be a typo of it.
"""

from __future__ import annotations

from collections.abc import Iterable


def edit_distance(a: str, b: str) -> int:
    """Insertions, deletions, substitutions and adjacent swaps turning `a` into `b` (each costs 1)."""
    if a == b:
        return 0
    before: list[int] | None = None
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i] + [0] * len(b)
        for j, cb in enumerate(b, 1):
            cost = 0 if ca == cb else 1
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if before is not None and i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                current[j] = min(current[j], before[j - 2] + 1)
        before, previous = previous, current
    return previous[-1]


def max_typo_distance(word: str) -> int:
    """How many edits still read as a typo of `word`: 1 for short words, about a third of longer ones."""
    return max(1, len(word) // 3)


def closest(word: str, choices: Iterable[str]) -> str | None:
    """The choice nearest to `word` (ties: the longer shared start, then the earlier choice), or None when no
    choice is within `max_typo_distance(word)`."""
    key = str(word).lower()
    best: tuple[int, int, int] | None = None
    found = None
    for index, choice in enumerate(dict.fromkeys(str(c) for c in choices)):
        other = choice.lower()
        distance = edit_distance(key, other)
        if distance > max_typo_distance(key) or distance >= max(len(key), len(other)):
            continue
        prefix = next((i for i, (x, y) in enumerate(zip(key, other)) if x != y), min(len(key), len(other)))
        rank = (distance, -prefix, index)
        if best is None or rank < best:
            best, found = rank, choice
    return found


def did_you_mean(word: str, choices: Iterable[str]) -> str | None:
    """The hint "did you mean 'x'?" for the closest choice, or None."""
    match = closest(word, choices)
    return f"did you mean '{match}'?" if match is not None else None

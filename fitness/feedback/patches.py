"""Drawing that repeats frame after frame, done once: a `Patch` is what some drawing does to any background, and
`PatchCache` keeps the patches of the texts on their panels (fitness.feedback.canvas) within a memory budget.

Translucent panels and anti-aliased text only mix each pixel with its background: a pixel drawn over background
value v comes out as v * a + b, with a and b fixed by the drawing. Drawing once on black (b) and once on white
(a = (white result - b) / 255) finds both; blending the patch onto a frame is then two array operations, however
many texts it holds (drawing a text with OpenCV costs ~25 us at 640x480, blending a whole counter panel ~16 us).
The blend rounds twice, so a pixel may differ from drawing it directly by a level (of 255).
"""

from __future__ import annotations

import collections
import threading
from collections.abc import Callable, Hashable
from dataclasses import dataclass

import cv2
import numpy as np

# Patches kept at most (LRU): ~250 of 640x480's angle labels and counter panels, or ~5 counter panels of 4K.
PATCH_CACHE_BYTES = 24 * 2**20


@dataclass(frozen=True)
class Patch:
    """What a drawing does to each pixel of a height x width x 3 region: v -> v * gain / 255 + offset."""

    gain: np.ndarray  # uint8, 255 where the background shows through unchanged
    offset: np.ndarray  # uint8

    @property
    def nbytes(self) -> int:
        return self.gain.nbytes + self.offset.nbytes

    def blend(self, region: np.ndarray, rows: slice = slice(None), cols: slice = slice(None)) -> None:
        """Applies the patch (its part [rows, cols], the same size as `region`) to `region`, in place."""
        gain, offset = self.gain[rows, cols], self.offset[rows, cols]
        cv2.add(cv2.multiply(region, gain, scale=1 / 255), offset, dst=region)


def patch_of(draw: Callable[[np.ndarray], None], height: int, width: int) -> Patch:
    """The patch of `draw` (which draws on a height x width x 3 uint8 image in place)."""
    black = np.zeros((height, width, 3), np.uint8)
    white = np.full((height, width, 3), 255, np.uint8)
    draw(black)
    draw(white)
    gain = cv2.subtract(white, black)
    for array in (gain, black):
        array.flags.writeable = False
    return Patch(gain, black)


class PatchCache:
    """Patches by key, the least recently used dropped beyond `budget_bytes`; safe to share between threads."""

    def __init__(self, budget_bytes: int = PATCH_CACHE_BYTES) -> None:
        self.budget_bytes = budget_bytes
        self._patches: collections.OrderedDict[Hashable, Patch] = collections.OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()

    def get(self, key: Hashable, make: Callable[[], Patch]) -> Patch:
        """The patch of `key`, made by `make()` when it is not kept."""
        with self._lock:
            patch = self._patches.get(key)
            if patch is not None:
                self._patches.move_to_end(key)
                return patch
        patch = make()
        if patch.nbytes > self.budget_bytes:
            return patch
        with self._lock:
            if key not in self._patches:
                self._patches[key] = patch
                self._bytes += patch.nbytes
            while self._bytes > self.budget_bytes:
                _, dropped = self._patches.popitem(last=False)
                self._bytes -= dropped.nbytes
        return patch

    def clear(self) -> None:
        with self._lock:
            self._patches.clear()
            self._bytes = 0

    def __len__(self) -> int:
        return len(self._patches)

"""Golden checks of the overlay that hold with any OpenCV build.

OpenCV 4 and 5 draw text with different glyphs (OpenCV 5's are about a fifth narrower and thinner), so a golden
test cannot compare text pixel by pixel. A golden is two files in tests/feedback/golden/:

- NAME.json, the layout: every item `overlay_items` returns (panels, rectangles, lines, circles, arcs, texts)
  with its kind, coordinates, colour, thickness and, for texts, the string, box, baseline and font scale. It
  must match EXACTLY: text boxes come from a fixed glyph-width table (fitness.feedback.canvas), not from the
  OpenCV build, so every coordinate is the same everywhere.
- NAME.png, the rendered frame. Outside the text boxes (each grown by TEXT_MASK_GROW_PX) it must match strictly:
  at most MAX_CHANGED_PIXELS pixels may differ by more than CHANGED_LEVELS gray levels (in any channel), and the
  mean absolute difference there must stay within MAX_MEAN_DIFF_LEVELS. OpenCV 4.10 and 5.1 draw these pixels
  identically; the slack is for other CPUs' anti-aliasing.
- Inside each text box, only tolerant properties: the ink (pixels pushed from the frame without text towards the
  text's colour, summed as coverage in pixels) is within a factor INK_RATIO of the golden's ink (OpenCV 4.10
  draws about 1.7 times the ink of 5.1 at 320x240), is at least MIN_INK_PX, and at least MIN_INK_PURITY of the
  pixels the text changed are blends of the frame and the text's colour (not some other colour).

After a deliberate change to the overlay, regenerate the goldens with
    FITNESS_REGEN_GOLDEN=1 python -m pytest tests/feedback -q
look at the new PNGs, and commit them with their JSON.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import cv2
import numpy as np
import pytest

from fitness.feedback import overlay
from fitness.feedback.canvas import Text, record, render
from fitness.feedback.snapshot import Snapshot

GOLDEN_DIR = Path(__file__).parent / "golden"

TEXT_MASK_GROW_PX = 1  # anti-aliasing may touch the pixel next to a text box
CHANGED_LEVELS = 16  # gray levels (0-255), per channel
MAX_CHANGED_PIXELS = 10
MAX_MEAN_DIFF_LEVELS = 0.2  # gray levels, averaged over the pixels outside text boxes and the 3 channels
INK_RATIO = 2.5  # allowed factor between the ink of a text and the golden's
MIN_INK_PX = 3.0  # pixels of full coverage
MIN_INK_PURITY = 0.9  # fraction of the pixels a text changed by more than CHANGED_LEVELS
_PURE_RESIDUAL = 0.35  # a pixel is a blend towards the text colour when the rest of its change is this small


def _records(items) -> list[dict]:
    return json.loads(json.dumps([record(item) for item in items]))


def text_mask(items, shape: tuple[int, int]) -> np.ndarray:
    """True inside every text box (grown by TEXT_MASK_GROW_PX)."""
    mask = np.zeros(shape, bool)
    g = TEXT_MASK_GROW_PX
    for item in items:
        if isinstance(item, Text):
            x0, y0, x1, y1 = item.box
            mask[max(0, y0 - g) : max(0, y1 + g), max(0, x0 - g) : max(0, x1 + g)] = True
    return mask


def layout_problems(want: list[dict], got: list[dict]) -> list[str]:
    if want == got:
        return []
    problems = [f"layout: {len(got)} items, golden has {len(want)}"] if len(want) != len(got) else []
    for i, (w, g) in enumerate(zip(want, got)):
        if w != g:
            problems.append(f"layout: item {i} is {g}, golden {w}")
    return problems[:6]


def pixel_problems(want: np.ndarray, got: np.ndarray, mask: np.ndarray) -> list[str]:
    diff = np.abs(want.astype(np.int16) - got.astype(np.int16))[~mask]
    changed = int(np.count_nonzero(diff.max(axis=1) > CHANGED_LEVELS))
    mean = float(diff.mean()) if diff.size else 0.0
    problems = []
    if changed > MAX_CHANGED_PIXELS:
        problems.append(f"pixels: {changed} pixels outside text differ by > {CHANGED_LEVELS} levels "
                        f"(max {MAX_CHANGED_PIXELS})")
    if mean > MAX_MEAN_DIFF_LEVELS:
        problems.append(f"pixels: mean abs difference outside text {mean:.3f} > {MAX_MEAN_DIFF_LEVELS} levels")
    return problems


def ink(image: np.ndarray, bare: np.ndarray, item: Text) -> tuple[float, float]:
    """(coverage in pixels, purity) of the text `item` in `image`, against `bare`, the frame without texts."""
    x0, y0, x1, y1 = item.box
    h, w = image.shape[:2]
    x0, y0, x1, y1 = max(0, x0), max(0, y0), min(w, x1), min(h, y1)
    seen = image[y0:y1, x0:x1].astype(np.float64) - bare[y0:y1, x0:x1]
    toward = np.asarray(item.color, np.float64) - bare[y0:y1, x0:x1]
    coverage = np.clip((seen * toward).sum(axis=2) / np.maximum((toward * toward).sum(axis=2), 1.0), 0.0, 1.0)
    residual = np.linalg.norm(seen - coverage[..., None] * toward, axis=2)
    size = np.linalg.norm(seen, axis=2)
    changed = np.abs(seen).max(axis=2) > CHANGED_LEVELS
    purity = float((residual[changed] < _PURE_RESIDUAL * size[changed]).mean()) if changed.any() else 0.0
    return float(coverage.sum()), purity


def text_problems(want: np.ndarray, got: np.ndarray, bare: np.ndarray, items) -> list[str]:
    problems = []
    for item in items:
        if not isinstance(item, Text):
            continue
        golden_ink, _ = ink(want, bare, item)
        now, purity = ink(got, bare, item)
        if now < MIN_INK_PX or not (golden_ink / INK_RATIO <= now <= golden_ink * INK_RATIO):
            problems.append(f"text {item.text!r}: ink {now:.1f} px, golden {golden_ink:.1f} px")
        if purity < MIN_INK_PURITY:
            problems.append(f"text {item.text!r}: only {purity:.0%} of its pixels have its colour {item.color}")
    return problems


def overlay_golden_problems(name: str, frame: np.ndarray, snapshot: Snapshot) -> list[str]:
    """What differs between the overlay of `snapshot` on `frame` and the golden NAME (empty when it matches)."""
    height, width = frame.shape[:2]
    items = overlay.overlay_items(snapshot, width, height)
    image = overlay.draw_overlay(frame, snapshot)
    png, layout = GOLDEN_DIR / f"{name}.png", GOLDEN_DIR / f"{name}.json"
    if os.environ.get("FITNESS_REGEN_GOLDEN") == "1":
        GOLDEN_DIR.mkdir(exist_ok=True)
        cv2.imwrite(str(png), image)
        lines = ",\n".join(json.dumps(r, ensure_ascii=False) for r in _records(items))
        layout.write_text(f"[\n{lines}\n]\n", encoding="utf-8")  # one item a line, for readable diffs
        pytest.skip(f"regenerated {png.name} and {layout.name}")
    assert png.exists() and layout.exists(), f"missing golden {name}; create it with FITNESS_REGEN_GOLDEN=1"
    want = cv2.imread(str(png), cv2.IMREAD_COLOR)
    assert want.shape == image.shape
    bare = frame.copy()
    render(bare, [item for item in items if not isinstance(item, Text)])
    problems = layout_problems(json.loads(layout.read_text(encoding="utf-8")), _records(items))
    problems += pixel_problems(want, image, text_mask(items, image.shape[:2]))
    problems += text_problems(want, image, bare.astype(np.float64), items)
    return problems


@pytest.fixture
def check_golden():
    def check(name: str, frame: np.ndarray, snapshot: Snapshot) -> None:
        problems = overlay_golden_problems(name, frame, snapshot)
        assert not problems, f"{name} differs from its golden:\n" + "\n".join(problems)

    return check

"""Drawing as data: typed items (panels, rectangles, lines, circles, arcs, text) and the one function that draws
them with OpenCV.

A layout is a list of items in pixel coordinates. Text boxes are sized from a fixed table of glyph widths, not
from cv2.getTextSize: OpenCV 4 and 5 draw FONT_HERSHEY_SIMPLEX with different glyphs (up to a quarter apart in
width and height), and a layout must not change with the OpenCV build. The table holds, per character, the wider
of the two renderings, so `render` fits the real glyphs inside their box at the nominal scale; it only shrinks
text that would not fit. A "°" in a text is drawn as a small ring (the Hershey fonts have no degree sign).
"""

from __future__ import annotations

import dataclasses
import functools
import math
from dataclasses import dataclass
from typing import Literal

import cv2
import numpy as np

from fitness.feedback.patches import PatchCache, patch_of
from fitness.feedback.style import Color

Point = tuple[int, int]
Box = tuple[int, int, int, int]  # x0, y0, x1, y1 in pixels; x1 and y1 exclusive

FONT = cv2.FONT_HERSHEY_SIMPLEX
DEGREE = "°"
# Advance width of each character from " " to "~", in pixels at font scale 1 (the wider of OpenCV 4 and 5).
_ADVANCE = (
    16, 10, 16, 22, 20, 24, 26, 8, 18, 18, 16, 26, 10, 26, 10, 22, 20, 20, 20, 20, 20, 20, 20, 20, 20, 20, 10, 10,
    24, 26, 24, 18, 29, 20, 21, 21, 21, 19, 18, 21, 22, 9, 19, 21, 17, 24, 22, 22, 21, 22, 21, 20, 17, 22, 19, 24,
    20, 19, 20, 14, 22, 14, 22, 22, 12, 19, 19, 18, 19, 18, 12, 19, 19, 8, 10, 17, 8, 30, 19, 19, 19, 19, 13, 17,
    12, 19, 16, 24, 17, 16, 17, 14, 8, 14, 24,
)
_DEGREE_ADVANCE = 12.0  # the ring and the gaps around it
_UNKNOWN_ADVANCE = 18.0  # OpenCV draws "?" for characters outside its font
# Height above and below the baseline, in pixels at font scale 1 (OpenCV 5: 27 and up to 7; OpenCV 4: 21 and 9).
ASCENT, DESCENT = 27.0, 9.0


@dataclass(frozen=True)
class Panel:
    """A translucent filled box (behind text, under the range-of-motion bar)."""

    box: Box
    color: Color
    alpha: float


@dataclass(frozen=True)
class Rect:
    """An opaque rectangle: filled when thickness is -1, else its outline inside the box."""

    box: Box
    color: Color
    thickness: int


@dataclass(frozen=True)
class Line:
    a: Point
    b: Point
    color: Color
    thickness: int


@dataclass(frozen=True)
class Circle:
    center: Point
    radius: int
    color: Color
    thickness: int = -1  # -1 fills


@dataclass(frozen=True)
class Arc:
    """Part of a circle from start_deg to end_deg (image coordinates: 0 points right, 90 down)."""

    center: Point
    radius: int
    start_deg: float
    end_deg: float
    color: Color
    thickness: int


@dataclass(frozen=True)
class Text:
    """One line of text inside `box`, its baseline at y = `baseline`, aligned left or centred in the box."""

    text: str
    box: Box
    baseline: int
    color: Color
    font_scale: float
    thickness: int
    align: Literal["left", "center"] = "left"


Item = Panel | Rect | Line | Circle | Arc | Text


def text_width(text: str, font_scale: float, thickness: int) -> int:
    """Width in pixels of the box that holds `text` at this scale, whatever the OpenCV build."""
    units = 0.0
    for ch in text:
        if ch == DEGREE:
            units += _DEGREE_ADVANCE
        elif " " <= ch <= "~":
            units += _ADVANCE[ord(ch) - 32]
        else:
            units += _UNKNOWN_ADVANCE
    return int(math.ceil(units * font_scale)) + thickness


def text_ascent(font_scale: float, thickness: int) -> int:
    return int(math.ceil(ASCENT * font_scale)) + thickness


def text_descent(font_scale: float, thickness: int) -> int:
    return int(math.ceil(DESCENT * font_scale)) + (thickness + 1) // 2


def text_item(
    text: str,
    at: tuple[float, float],
    font_scale: float,
    thickness: int,
    color: Color,
    *,
    anchor: Literal["top-left", "center"] = "top-left",
) -> Text:
    """A Text whose box's top-left corner (or centre) is at `at`."""
    w = text_width(text, font_scale, thickness)
    asc, desc = text_ascent(font_scale, thickness), text_descent(font_scale, thickness)
    x, y = float(at[0]), float(at[1])
    if anchor == "center":
        x, y = x - w / 2.0, y - (asc + desc) / 2.0
    x0, y0 = int(round(x)), int(round(y))
    align: Literal["left", "center"] = "center" if anchor == "center" else "left"
    return Text(text, (x0, y0, x0 + w, y0 + asc + desc), y0 + asc, color, font_scale, thickness, align)


def moved(item: Item, dx: int, dy: int) -> Item:
    """The same item shifted by (dx, dy) pixels."""
    if type(item) is Text:  # the common case (every label), without dataclasses.replace
        x0, y0, x1, y1 = item.box
        return Text(item.text, (x0 + dx, y0 + dy, x1 + dx, y1 + dy), item.baseline + dy, item.color, item.font_scale,
                    item.thickness, item.align)
    changes: dict[str, object] = {}
    for f in dataclasses.fields(item):
        value = getattr(item, f.name)
        if f.name == "box":
            changes["box"] = (value[0] + dx, value[1] + dy, value[2] + dx, value[3] + dy)
        elif f.name in ("a", "b", "center"):
            changes[f.name] = (value[0] + dx, value[1] + dy)
        elif f.name == "baseline":
            changes["baseline"] = value + dy
    return dataclasses.replace(item, **changes)


def record(item: Item) -> dict:
    """The item as plain JSON-ready data: {"kind": "Line", "a": [x, y], ...}."""
    data = {"kind": type(item).__name__}
    for f in dataclasses.fields(item):
        value = getattr(item, f.name)
        data[f.name] = list(value) if isinstance(value, tuple) else value
    return data


def render(img: np.ndarray, items: list[Item]) -> None:
    """Draw `items` in order onto `img` (H, W, 3 uint8 BGR), in place."""
    i, n = 0, len(items)
    while i < n:
        item = items[i]
        kind = type(item)
        if kind is Line:
            # The lines that follow in the same colour and thickness, in one call: polylines draws each two-point
            # line exactly as cv2.line does (both ends capped).
            j = i + 1
            while j < n and type(items[j]) is Line and items[j].color == item.color \
                    and items[j].thickness == item.thickness:
                j += 1
            ends = np.array([(line.a, line.b) for line in items[i:j]], np.int32)
            cv2.polylines(img, ends, False, item.color, item.thickness, cv2.LINE_AA)
            i = j
            continue
        if kind is Circle:
            cv2.circle(img, item.center, item.radius, item.color, item.thickness, cv2.LINE_AA)
        elif kind is Text:
            _text(img, item)
        elif kind is Panel:
            j = i + 1  # the texts on the panel are drawn with it, as one patch
            while j < n and type(items[j]) is Text and _holds(item.box, items[j].box):
                j += 1
            if j > i + 1:
                _panel_with_texts(img, item, items[i + 1 : j])
                i = j
                continue
            _panel(img, item)
        elif kind is Rect:
            x0, y0, x1, y1 = item.box
            cv2.rectangle(img, (x0, y0), (x1 - 1, y1 - 1), item.color, item.thickness)
        elif kind is Arc:
            r = (item.radius, item.radius)
            cv2.ellipse(img, item.center, r, 0.0, item.start_deg, item.end_deg, item.color, item.thickness, cv2.LINE_AA)
        else:
            raise TypeError(f"cannot draw {item!r}")
        i += 1


def _panel(img: np.ndarray, item: Panel) -> None:
    h, w = img.shape[:2]
    x0, y0, x1, y1 = item.box
    x0, x1 = max(0, x0), min(w, x1)
    y0, y1 = max(0, y0), min(h, y1)
    if x1 <= x0 or y1 <= y0:
        return
    roi = img[y0:y1, x0:x1]
    cv2.addWeighted(_filled(roi.shape, tuple(item.color)), item.alpha, roi, 1.0 - item.alpha, 0.0, dst=roi)


# The texts on their panels (the counter, the banner, each angle label) as they were drawn before.
PATCHES = PatchCache()


def _holds(panel: Box, box: Box) -> bool:
    """Whether `box` grown by a pixel (the anti-aliasing of its text) lies inside `panel`."""
    return panel[0] < box[0] and panel[1] < box[1] and box[2] < panel[2] and box[3] < panel[3]


def _panel_with_texts(img: np.ndarray, panel: Panel, texts: list[Text]) -> None:
    """The panel and the texts on it, as a patch drawn once for their look (the same texts at the same places in
    the panel) and blended on every frame that shows them."""
    h, w = img.shape[:2]
    px0, py0, px1, py1 = panel.box
    x0, x1, y0, y1 = max(0, px0), min(w, px1), max(0, py0), min(h, py1)
    if x1 <= x0 or y1 <= y0:
        return
    draw_panel, draw_text = _panel, _text  # part of the key: what they draw is what the patch holds
    key = (px1 - px0, py1 - py0, panel.color, panel.alpha, draw_panel, draw_text,
           *[(t.text, t.box[0] - px0, t.box[1] - py0, t.box[2] - px0, t.box[3] - py0, t.baseline - py0, t.color,
              t.font_scale, t.thickness, t.align) for t in texts])

    def draw(image: np.ndarray) -> None:
        draw_panel(image, Panel((0, 0, px1 - px0, py1 - py0), panel.color, panel.alpha))
        for text in texts:
            draw_text(image, moved(text, -px0, -py0))

    patch = PATCHES.get(key, lambda: patch_of(draw, py1 - py0, px1 - px0))
    patch.blend(img[y0:y1, x0:x1], slice(y0 - py0, y1 - py0), slice(x0 - px0, x1 - px0))


@functools.lru_cache(maxsize=32)
def _filled(shape: tuple[int, ...], color: Color) -> np.ndarray:
    """A read-only block of `shape` in `color` (a frame's panels have the same size frame after frame)."""
    block = np.empty(shape, np.uint8)
    block[:] = color
    block.flags.writeable = False
    return block


@functools.lru_cache(maxsize=4096)
def _glyphs_width(text: str, font_scale: float, thickness: int) -> int:
    """Width of `text` as this OpenCV draws it (the same few texts come back frame after frame)."""
    return cv2.getTextSize(text, FONT, font_scale, thickness)[0][0]


@functools.lru_cache(maxsize=256)
def _glyphs_height(font_scale: float, thickness: int) -> int:
    return cv2.getTextSize("0", FONT, font_scale, thickness)[0][1]


def _measure(parts: list[str], font_scale: float, thickness: int) -> tuple[int, int, int]:
    """Width of the drawn text (rings included), its height above the baseline, and the ring radius."""
    height = _glyphs_height(font_scale, thickness)
    ring = max(1, int(round(height * 0.14)))
    width = sum(_glyphs_width(p, font_scale, thickness) for p in parts if p)
    width += (len(parts) - 1) * _ring_advance(ring, thickness)
    return width, height, ring


def _ring_stroke(thickness: int) -> int:
    return max(1, thickness // 2 + 1)


def _ring_advance(ring: int, thickness: int) -> int:
    """Room taken by a degree ring of radius `ring`: a gap, the ring, its stroke."""
    return max(1, ring // 2) + 2 * ring + _ring_stroke(thickness)


def fitted_scale(item: Text) -> float:
    """The font scale `render` draws `item` with: its own, unless this OpenCV's glyphs would not fit the box."""
    return _fitted_scale(item.text, item.font_scale, item.thickness, item.box[2] - item.box[0],
                         item.baseline - item.box[1])


@functools.lru_cache(maxsize=4096)
def _fitted_scale(text: str, font_scale: float, thickness: int, room_w: int, room_h: int) -> float:
    parts = text.split(DEGREE)
    scale = font_scale
    for _ in range(8):  # glyph sizes are not quite proportional to the scale: shrink until it fits
        width, height, _ = _measure(parts, scale, thickness)
        if width <= room_w and height <= room_h:
            break
        scale *= 0.98 * min(room_w / max(1, width), room_h / max(1, height))
    return scale


# How a text is drawn: its font scale, then in drawing order each run of glyphs as (part, x, 0, 0, 0) and each
# degree ring as ("", x, y, radius, stroke), from the left of its box and its baseline.
TextPlan = tuple[float, tuple[tuple[str, int, int, int, int], ...]]


@functools.lru_cache(maxsize=4096)
def _text_plan(text: str, font_scale: float, thickness: int, room_w: int, room_h: int, align: str) -> TextPlan:
    """Where `_text` puts the glyphs and rings of a text (the same few texts come back frame after frame)."""
    parts = text.split(DEGREE)
    scale = _fitted_scale(text, font_scale, thickness, room_w, room_h)
    width, height, ring = _measure(parts, scale, thickness)
    x = (room_w - width) // 2 if align == "center" else 0
    ops: list[tuple[str, int, int, int, int]] = []
    for i, part in enumerate(parts):
        if part:
            ops.append((part, x, 0, 0, 0))
            x += _glyphs_width(part, scale, thickness)
        if i < len(parts) - 1:
            ops.append(("", x + max(1, ring // 2) + ring, ring - height, ring, _ring_stroke(thickness)))
            x += _ring_advance(ring, thickness)
    return scale, tuple(ops)


def _text(img: np.ndarray, item: Text) -> None:
    x0, y0, x1, _ = item.box
    base = item.baseline
    scale, ops = _text_plan(item.text, item.font_scale, item.thickness, x1 - x0, base - y0, item.align)
    for part, x, y, ring, stroke in ops:
        if part:
            cv2.putText(img, part, (x0 + x, base), FONT, scale, item.color, item.thickness, cv2.LINE_AA)
        else:
            cv2.circle(img, (x0 + x, base + y), ring, item.color, stroke, cv2.LINE_AA)

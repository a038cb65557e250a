"""The on-frame overlay: skeleton, joint-angle arcs, rep counter, phase, cue banner, range-of-motion bar.

`overlay_items` lays a Snapshot out as drawing items (fitness.feedback.canvas); `draw_overlay` draws them on a
copy of the frame. Only canvas.render rasterises, with OpenCV.
"""

from __future__ import annotations

import array
import dataclasses
import functools
import math

import numpy as np

from fitness.feedback.canvas import (
    Arc,
    Box,
    Circle,
    Item,
    Line,
    Panel,
    Rect,
    Text,
    moved,
    render,
    text_item,
    text_width,
)
from fitness.feedback.plan_words import plan_rest_words, plan_status_words
from fitness.feedback.snapshot import NOBODY_MESSAGE, PersonView, Snapshot
from fitness.feedback.style import DEFAULT_STYLE, OverlayStyle
from fitness.feedback.wording import longest_phase_words, metric_text, phase_words, set_words, workout_words
from fitness.pose.types import SKELETON, Pose
from fitness.units import format_value

# Bones in a fixed order, so drawing (and golden images) never depend on set iteration order.
_BONES = sorted((int(a), int(b)) for a, b in SKELETON)
MAX_CUES = 2


def draw_overlay(image: np.ndarray, snapshot: Snapshot, style: OverlayStyle = DEFAULT_STYLE) -> np.ndarray:
    """An annotated copy of `image` (H, W, 3 uint8 BGR) showing `snapshot`; a pose found on a frame of another
    size (a reduced working image, the source's whole frame) is drawn where it is on this one."""
    return draw_overlay_on(image.copy(), snapshot, style)


def draw_overlay_on(image: np.ndarray, snapshot: Snapshot, style: OverlayStyle = DEFAULT_STYLE) -> np.ndarray:
    """`draw_overlay` drawn on `image` itself (which it returns), for an image nothing else reads afterwards."""
    height, width = image.shape[:2]
    render(image, overlay_items(fitted(snapshot, width, height), width, height, style))
    return image


def fitted(snapshot: Snapshot, width: int, height: int) -> Snapshot:
    """`snapshot` with its pose in the pixels of a width x height image of the same frame."""
    pose = snapshot.pose
    if pose is None or pose.frame_size is None or tuple(pose.frame_size) == (width, height):
        return snapshot
    scale = np.array([width / pose.frame_size[0], height / pose.frame_size[1]], np.float32)
    return dataclasses.replace(snapshot, pose=pose.replace(xy=pose.xy * scale, frame_size=(width, height)))


def overlay_items(snapshot: Snapshot, width: int, height: int, style: OverlayStyle = DEFAULT_STYLE) -> list[Item]:
    """What the overlay draws on a width x height frame, in drawing order."""
    s = style.scale(width, height)
    hud = counter_items(snapshot, style, s)
    hud += rom_bar_items(snapshot.step.progress, width, height, style, s)
    hud += banner_items(banner_lines(snapshot), width, height, style, s)
    if snapshot.people:  # several people counted: each in their colour, with name and count over the head
        return [item for view in snapshot.people for item in person_items(view, style, s)] + hud
    if snapshot.pose is None:
        return hud
    panels = [item.box for item in hud if isinstance(item, Panel)]
    return skeleton_items(snapshot.pose, style, s) + angle_items(snapshot, style, s, width, height, panels) + hud


def banner_lines(snapshot: Snapshot) -> list[tuple[str, str]]:
    """(text, severity) lines for the bottom banner: active cues, else setup guidance (or that nobody is in
    view), then a notice."""
    step = snapshot.step
    lines = [(cue.message, cue.severity) for cue in step.active[:MAX_CUES]]
    if not lines and step.guidance:
        lines.append((step.guidance, "info"))
    elif not lines and snapshot.pose is None:
        lines.append((NOBODY_MESSAGE, "info"))
    if snapshot.notice:
        lines.append((snapshot.notice, "info"))
    if snapshot.plan is not None:  # a plan workout: where it stands, then the rest countdown and what comes next
        rest = plan_rest_words(snapshot.plan)
        lines += [(plan_status_words(snapshot.plan), "info")] + ([(rest, "info")] if rest else [])
    return lines


def _px(v: float, s: float) -> int:
    return max(1, int(round(v * s)))


def _font(style: OverlayStyle, s: float, scale: float) -> tuple[float, int]:
    """cv2 font scale and stroke thickness for text `scale` times the style's size."""
    return round(style.font_scale * scale * s, 4), _px(1.6 * scale, s)


def _dashed(p: np.ndarray, q: np.ndarray, color, thickness: int, dash: float) -> list[Item]:
    length = float(np.hypot(*(q - p)))
    n = max(1, int(length // dash))
    starts = range(0, n, 2)
    # Each dash's ends as p + (q - p) * fraction, in the pose's float32 as one point at a time would be.
    fractions = np.array([[i / n, min(i + 1, n) / n] for i in starts], np.float32)[:, :, None]
    ends = np.rint(p + (q - p) * fractions).astype(np.int64).tolist()
    return [Line(tuple(a), tuple(b), color, thickness) for a, b in ends]


def skeleton_items(pose: Pose, style: OverlayStyle, s: float) -> list[Item]:
    """Bones and joints; unsure keypoints dashed and dim, unknown ones (NaN or very low score) left out."""
    min_score, faint_score = _float32(style.min_score), _float32(style.faint_score)
    sure: list[bool] = []
    shown: list[bool] = []
    pts: list[tuple[int, int]] = []  # each shown joint rounded to whole pixels (half to even)
    for (x, y), score in zip(pose.xy.tolist(), pose.score.tolist()):
        finite = math.isfinite(x) and math.isfinite(y)
        sure.append(finite and score >= min_score)
        shown.append(finite and score >= faint_score)
        pts.append((round(x), round(y)) if shown[-1] else (0, 0))
    thick = _px(style.line_px, s)
    items: list[Item] = []
    for a, b in _BONES:
        if not (shown[a] and shown[b]):
            continue
        if sure[a] and sure[b]:
            items.append(Line(pts[a], pts[b], style.bone, thick))
        else:
            items += _dashed(pose.xy[a], pose.xy[b], style.faint, max(1, thick // 2), style.dash_px * s)
    radius_sure, radius_faint = _px(style.point_px, s), _px(style.point_px * 0.6, s)
    for i, joint in enumerate(shown):
        if joint:
            items.append(Circle(pts[i], radius_sure if sure[i] else radius_faint,
                                style.joint if sure[i] else style.faint))
    return items


@functools.lru_cache(maxsize=64)
def _float32(threshold: float) -> float:
    """`threshold` rounded to float32: comparing the pose's float32 scores with it in Python gives what numpy
    gives comparing the array with the Python float (in float32)."""
    return float(np.float32(threshold))


def person_items(view: PersonView, style: OverlayStyle, s: float) -> list[Item]:
    """One of several people: their skeleton in their colour, and "name count" on a panel above the head."""
    if view.pose is None:
        return []
    color = style.person_color(view.track_id)
    items = skeleton_items(view.pose, dataclasses.replace(style, bone=color), s)
    shown = np.all(np.isfinite(view.pose.xy), axis=1) & (view.pose.score >= style.faint_score)
    if not shown.any():
        return items
    xy = view.pose.xy[shown]
    m = _px(style.margin_px, s)
    label = f"{view.label}  {view.reps}"
    text = text_item(label, (0, 0), *_font(style, s, 1.1), color)
    w, h = text.box[2] - text.box[0], text.box[3] - text.box[1]
    x = int(round(float(np.mean(xy[:, 0])) - w / 2))
    y = max(0, int(round(float(np.min(xy[:, 1])))) - h - 2 * m)
    panel = Panel((x - m // 2, y - m // 4, x + w + m // 2, y + h + m // 4), style.panel, style.panel_alpha)
    return items + [panel, moved(text, x - text.box[0], y - text.box[1])]


def _shift(box: Box, dx: int, dy: int) -> Box:
    return box[0] + dx, box[1] + dy, box[2] + dx, box[3] + dy


def place_box(box: Box, taken: list[Box], width: int, height: int) -> tuple[int, int]:
    """(dx, dy) that moves `box` inside the frame and off every box in `taken`, by little.

    Tries offsets on a grid of a quarter of the box's width by half its height, ring by ring around the start,
    nearest first within a ring; when no place in the frame is free, only keeps the box inside the frame."""
    x0, y0, x1, y1 = box
    bw, bh = x1 - x0, y1 - y0
    cx = min(max(0, x0), max(0, width - bw)) - x0  # the nearest position inside the frame
    cy = min(max(0, y0), max(0, height - bh)) - y0
    step_x, step_y = max(1, bw // 4), max(1, bh // 2)
    rings = max(width // step_x, height // step_y) + 1
    sx0, sy0, sx1, sy1 = x0 + cx, y0 + cy, x1 + cx, y1 + cy  # the box at the nearest position inside
    for r in range(rings):
        for i, j in _ring(step_x, step_y, r):
            ox, oy = i * step_x, j * step_y
            a0, b0, a1, b1 = sx0 + ox, sy0 + oy, sx1 + ox, sy1 + oy
            if a0 < 0 or b0 < 0 or a1 > width or b1 > height:
                continue
            for t in taken:
                if a0 < t[2] and t[0] < a1 and b0 < t[3] and t[1] < b1:
                    break
            else:
                return cx + ox, cy + oy
    return cx, cy


@functools.lru_cache(maxsize=1024)
def _ring(step_x: int, step_y: int, r: int) -> tuple[tuple[int, int], ...]:
    """The grid offsets r steps out (the square ring around the start), nearest first, then by row and column
    (labels are placed within the first few rings, at the same few sizes frame after frame)."""
    if r == 0:
        return ((0, 0),)
    ring = [(i, j) for j in (-r, r) for i in range(-r, r + 1)] + [(i, j) for i in (-r, r) for j in range(1 - r, r)]
    ring.sort(key=lambda o: (math.hypot(o[0] * step_x, o[1] * step_y), abs(o[1]), o[1], o[0]))
    return tuple(ring)


def angle_items(snapshot: Snapshot, style: OverlayStyle, s: float, width: int, height: int,
                taken: list[Box] | None = None) -> list[Item]:
    """Each angle metric as an arc at its middle joint, labelled "knee 92°" on a panel. Labels are placed in
    name order, each moved off the earlier ones and off the boxes in `taken` (the counter, bar and banner)."""
    pose = snapshot.pose
    assert pose is not None
    values = snapshot.step.signals.values
    taken = list(taken or [])
    arcs: list[Item] = []
    labels: list[Item] = []
    font_scale, thick = _font(style, s, 0.9)
    pad, gap = _px(2, s), _px(3, s)
    joints = sorted(snapshot.angle_joints.items())
    if not joints:
        return []
    # Every angle's arms from its middle joint, subtracted in the pose's float32 (as numpy subtracts them: the
    # exact difference of two float32 values, rounded to float32); whether its points are known and sure enough.
    xy, scores = pose.xy.tolist(), pose.score.tolist()
    faint_score = _float32(style.faint_score)
    arms_flat: list[float] = []
    centres: list[tuple[float, float]] = []
    usable: list[bool] = []
    for _, (a, b, c) in joints:
        (xa, ya), (xb, yb), (xc, yc) = xy[a], xy[b], xy[c]
        arms_flat += (xa - xb, ya - yb, xc - xb, yc - yb)
        centres.append((xb, yb))
        usable.append(all(map(math.isfinite, (xa, ya, xb, yb, xc, yc)))
                      and scores[a] >= faint_score and scores[b] >= faint_score and scores[c] >= faint_score)
    flat = array.array("f", arms_flat).tolist()
    arms = [((flat[i], flat[i + 1]), (flat[i + 2], flat[i + 3])) for i in range(0, len(flat), 4)]
    radius, arc_px = _px(style.arc_radius_px, s), _px(2, s)
    for (name, _), ((ax, ay), (cx, cy)), (bx, by), ok in zip(joints, arms, centres, usable):
        value = values.get(name, float("nan"))
        if not (ok and math.isfinite(value)):
            continue
        start = math.degrees(math.atan2(ay, ax))
        end = math.degrees(math.atan2(cy, cx))
        sweep = (end - start + 540.0) % 360.0 - 180.0  # the short way round, in (-180, 180]
        arcs.append(Arc((int(round(bx)), int(round(by))), radius, round(start, 2), round(start + sweep, 2), style.arc,
                        arc_px))
        # The label sits just outside the arc, on the far side of the angle's bisector.
        mid = math.radians(start + sweep / 2.0)
        ux, uy = -math.cos(mid), -math.sin(mid)
        item = _centred_text(metric_text(name, value) or format_value(name, value), font_scale, thick, style.arc)
        x0, y0, x1, y1 = item.box
        half_w, half_h = (x1 - x0) / 2 + pad, (y1 - y0) / 2 + pad
        reach = radius * 1.2 + abs(ux) * half_w + abs(uy) * half_h
        ox, oy = int(round(bx + ux * reach)), int(round(by + uy * reach))
        panel = (x0 + ox - pad, y0 + oy - pad, x1 + ox + pad, y1 + oy + pad)
        dx, dy = place_box(panel, taken, width, height)
        px0, py0, px1, py1 = _shift(panel, dx, dy)
        taken.append((px0 - gap, py0 - gap, px1 + gap, py1 + gap))  # later labels keep a small gap from this one
        labels += [Panel((px0, py0, px1, py1), style.panel, style.panel_alpha), moved(item, ox + dx, oy + dy)]
    return arcs + labels


@functools.lru_cache(maxsize=1024)
def _centred_text(text: str, font_scale: float, thickness: int, color: tuple[int, int, int]) -> Text:
    """An angle label's text centred on (0, 0) (the same few values come back frame after frame)."""
    return text_item(text, (0.0, 0.0), font_scale, thickness, color, anchor="center")


def counter_items(snapshot: Snapshot, style: OverlayStyle, s: float) -> list[Item]:
    """Top-left: the rep count (or held seconds) big, then the phase in words, then set and no-reps; on a panel
    at least as wide as the longest phase words, so it does not jump as the phase changes."""
    step = snapshot.step
    big = f"{step.hold_s:.0f}s" if step.hold_s > 0 else f"{step.reps}"
    small = set_words(snapshot.set_index, snapshot.workout)
    if step.no_reps:
        small += f"  no-reps {step.no_reps}"
    workout = workout_words(snapshot.workout) if snapshot.workout is not None else None
    return list(_counter_layout(big, phase_words(step.phase), small, workout, style, s))


@functools.lru_cache(maxsize=256)
def _counter_layout(big: str, phase: str, small: str, workout: str | None, style: OverlayStyle,
                    s: float) -> tuple[Item, ...]:
    """The counter's items for these words (they change a few times a rep, not every frame)."""
    m = _px(style.margin_px, s)
    small_font = _font(style, s, 0.9)
    big_item = text_item(big, (m, m // 2), *_font(style, s, 2.4), style.text)
    phase_item = text_item(phase, (m, big_item.box[3]), *small_font, style.text)
    set_item = text_item(small, (m, phase_item.box[3]), *small_font, style.text)
    items = [big_item, phase_item, set_item]
    if workout is not None:  # a workout: the exercise counted now, or that none is
        items.append(text_item(workout, (m, set_item.box[3]), *small_font, style.text))
    right = max(item.box[2] for item in items)
    right = max(right, m + text_width(longest_phase_words(), *small_font)) + m
    panel = Panel((0, 0, right, items[-1].box[3] + m // 2), style.panel, style.panel_alpha)
    return (panel, *items)


def rom_bar_items(progress: float, width: int, height: int, style: OverlayStyle, s: float) -> list[Item]:
    """Right edge: a vertical range-of-motion meter, 0 at rest (bottom) to 1 at the rep's target (top)."""
    if not math.isfinite(progress):
        return []
    m, bw = _px(style.margin_px, s), _px(style.bar_width_px, s)
    x0, x1 = width - m - bw, width - m
    y0, y1 = int(height * 0.2), int(height * 0.7)
    items: list[Item] = [Panel((x0, y0, x1, y1), style.panel, style.panel_alpha)]
    fill = min(1.0, max(0.0, progress))
    top = int(round(y1 - (y1 - y0) * fill))
    if top < y1:
        items.append(Rect((x0, top, x1, y1), style.bar_fill, -1))
    items.append(Rect((x0, y0, x1, y1), style.text, _px(1, s)))
    return items


def banner_items(lines: list[tuple[str, str]], width: int, height: int, style: OverlayStyle, s: float) -> list[Item]:
    """Bottom: one line per cue, coloured by severity, on a band across the frame."""
    return list(_banner_layout(tuple(lines), width, height, style, s)) if lines else []


@functools.lru_cache(maxsize=256)
def _banner_layout(lines: tuple[tuple[str, str], ...], width: int, height: int, style: OverlayStyle,
                   s: float) -> tuple[Item, ...]:
    """The banner's items for these lines (the same cue stays up for many frames)."""
    m = _px(style.margin_px, s)
    font_scale, thick = _font(style, s, 1.0)
    texts: list[Text] = []
    y = 0
    for text, severity in lines:
        item = text_item(text, (m, y), font_scale, thick, style.severity_color(severity))
        texts.append(item)
        y = item.box[3]
    top = height - y - m
    return (Panel((0, top - m // 2, width, height), style.panel, style.panel_alpha), *[moved(t, 0, top) for t in texts])

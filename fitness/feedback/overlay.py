"""The on-frame overlay: skeleton, joint-angle arcs, rep counter, phase, cue banner, range-of-motion bar.

The only module that draws with OpenCV. It reads a Snapshot and returns an annotated copy of the frame.
"""

from __future__ import annotations

import math

import cv2
import numpy as np

from fitness.feedback.snapshot import NOBODY_MESSAGE, Snapshot
from fitness.feedback.style import DEFAULT_STYLE, Color, OverlayStyle
from fitness.pose.types import SKELETON, Pose

_FONT = cv2.FONT_HERSHEY_SIMPLEX
# Bones in a fixed order, so drawing (and golden images) never depend on set iteration order.
_BONES = sorted((int(a), int(b)) for a, b in SKELETON)
MAX_CUES = 2


def draw_overlay(image: np.ndarray, snapshot: Snapshot, style: OverlayStyle = DEFAULT_STYLE) -> np.ndarray:
    """An annotated copy of `image` (H, W, 3 uint8 BGR) showing `snapshot`."""
    out = image.copy()
    height, width = out.shape[:2]
    s = style.scale(width, height)
    if snapshot.pose is not None:
        draw_skeleton(out, snapshot.pose, style, s)
        draw_angles(out, snapshot, style, s)
    _draw_counter(out, snapshot, style, s)
    _draw_rom_bar(out, snapshot.step.progress, style, s)
    _draw_banner(out, banner_lines(snapshot), style, s)
    return out


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
    return lines


def _px(v: float, s: float) -> int:
    return max(1, int(round(v * s)))


def _pt(xy: np.ndarray) -> tuple[int, int]:
    return int(round(float(xy[0]))), int(round(float(xy[1])))


def _dashed_line(img: np.ndarray, p: np.ndarray, q: np.ndarray, color: Color, thickness: int, dash: float) -> None:
    length = float(np.hypot(*(q - p)))
    n = max(1, int(length // dash))
    for i in range(0, n, 2):
        a = p + (q - p) * (i / n)
        b = p + (q - p) * (min(i + 1, n) / n)
        cv2.line(img, _pt(a), _pt(b), color, thickness, cv2.LINE_AA)


def draw_skeleton(img: np.ndarray, pose: Pose, style: OverlayStyle, s: float) -> None:
    """Bones and joints; unsure keypoints dashed and dim, unknown ones (NaN or very low score) skipped."""
    finite = np.all(np.isfinite(pose.xy), axis=1)
    sure = finite & (pose.score >= style.min_score)
    shown = finite & (pose.score >= style.faint_score)
    thick = _px(style.line_px, s)
    for a, b in _BONES:
        if not (shown[a] and shown[b]):
            continue
        if sure[a] and sure[b]:
            cv2.line(img, _pt(pose.xy[a]), _pt(pose.xy[b]), style.bone, thick, cv2.LINE_AA)
        else:
            _dashed_line(img, pose.xy[a], pose.xy[b], style.faint, max(1, thick // 2), style.dash_px * s)
    for i in np.flatnonzero(shown):
        color = style.joint if sure[i] else style.faint
        radius = _px(style.point_px, s) if sure[i] else _px(style.point_px * 0.6, s)
        cv2.circle(img, _pt(pose.xy[i]), radius, color, -1, cv2.LINE_AA)


def draw_angles(img: np.ndarray, snapshot: Snapshot, style: OverlayStyle, s: float) -> None:
    """Each angle metric as an arc at its middle joint with its value in degrees."""
    pose = snapshot.pose
    values = snapshot.step.signals.values
    for name, (a, b, c) in sorted(snapshot.angle_joints.items()):
        value = values.get(name, float("nan"))
        pa, pb, pc = pose.xy[a], pose.xy[b], pose.xy[c]
        if not (math.isfinite(value) and np.all(np.isfinite([pa, pb, pc]))):
            continue
        if min(pose.score[a], pose.score[b], pose.score[c]) < style.faint_score:
            continue
        start = math.degrees(math.atan2(pa[1] - pb[1], pa[0] - pb[0]))
        end = math.degrees(math.atan2(pc[1] - pb[1], pc[0] - pb[0]))
        sweep = (end - start + 540.0) % 360.0 - 180.0  # the short way round, in (-180, 180]
        radius = _px(style.arc_radius_px, s)
        cv2.ellipse(img, _pt(pb), (radius, radius), 0.0, start, start + sweep, style.arc, _px(2, s), cv2.LINE_AA)
        # The label sits outside the arc, on the far side of the angle's bisector.
        mid = math.radians(start + sweep / 2.0)
        label_at = pb - np.array([math.cos(mid), math.sin(mid)]) * radius * 1.6
        _text(img, f"{value:.0f}", label_at, style, s, scale=0.9, color=style.arc, center=True, boxed=True)


def _text(
    img: np.ndarray,
    text: str,
    at: np.ndarray | tuple[float, float],
    style: OverlayStyle,
    s: float,
    *,
    scale: float = 1.0,
    color: Color | None = None,
    center: bool = False,
    boxed: bool = False,
) -> tuple[int, int]:
    """Text with its baseline starting at `at` (or centred on it); `boxed` puts a panel behind it. Returns its size."""
    font_scale = style.font_scale * scale * s
    thick = _px(1.6 * scale, s)
    (w, h), base = cv2.getTextSize(text, _FONT, font_scale, thick)
    x, y = float(at[0]), float(at[1])
    if center:
        x, y = x - w / 2.0, y + h / 2.0
    org = (int(round(x)), int(round(y)))
    if boxed:
        pad = _px(3, s)
        _panel(img, org[0] - pad, org[1] - h - pad, org[0] + w + pad, org[1] + base + pad, style)
    cv2.putText(img, text, org, _FONT, font_scale, color or style.text, thick, cv2.LINE_AA)
    return w, h


def _panel(img: np.ndarray, x0: int, y0: int, x1: int, y1: int, style: OverlayStyle) -> None:
    """A translucent dark box behind text."""
    h, w = img.shape[:2]
    x0, x1 = max(0, x0), min(w, x1)
    y0, y1 = max(0, y0), min(h, y1)
    if x1 <= x0 or y1 <= y0:
        return
    roi = img[y0:y1, x0:x1]
    box = np.empty_like(roi)
    box[:] = style.panel
    cv2.addWeighted(box, style.panel_alpha, roi, 1.0 - style.panel_alpha, 0.0, dst=roi)


def _draw_counter(img: np.ndarray, snapshot: Snapshot, style: OverlayStyle, s: float) -> None:
    """Top-left: the rep count (big), then set and phase."""
    step = snapshot.step
    m = _px(style.margin_px, s)
    big = f"{step.reps}"
    if step.hold_s > 0:
        big = f"{step.hold_s:.0f}s"
    small = f"set {snapshot.set_index}  {step.phase or '-'}"
    if step.no_reps:
        small += f"  no-rep {step.no_reps}"
    big_scale, small_scale = 2.4, 0.9
    (bw, bh), _ = cv2.getTextSize(big, _FONT, style.font_scale * big_scale * s, _px(1.6 * big_scale, s))
    (sw, sh), _ = cv2.getTextSize(small, _FONT, style.font_scale * small_scale * s, _px(1.6 * small_scale, s))
    _panel(img, 0, 0, max(bw, sw) + 3 * m, bh + sh + 4 * m, style)
    _text(img, big, (m, m + bh), style, s, scale=big_scale)
    _text(img, small, (m, 2 * m + bh + sh), style, s, scale=small_scale)


def _draw_rom_bar(img: np.ndarray, progress: float, style: OverlayStyle, s: float) -> None:
    """Right edge: a vertical range-of-motion meter, 0 at rest (bottom) to 1 at the rep's target (top)."""
    if not math.isfinite(progress):
        return
    h, w = img.shape[:2]
    m, bw = _px(style.margin_px, s), _px(style.bar_width_px, s)
    x0, x1 = w - m - bw, w - m
    y0, y1 = int(h * 0.2), int(h * 0.7)
    _panel(img, x0, y0, x1, y1, style)
    fill = min(1.0, max(0.0, progress))
    top = int(round(y1 - (y1 - y0) * fill))
    if top < y1:
        cv2.rectangle(img, (x0, top), (x1 - 1, y1 - 1), style.bar_fill, -1)
    cv2.rectangle(img, (x0, y0), (x1 - 1, y1 - 1), style.text, _px(1, s))


def _draw_banner(img: np.ndarray, lines: list[tuple[str, str]], style: OverlayStyle, s: float) -> None:
    """Bottom: one line per cue, coloured by severity, on a band across the frame."""
    if not lines:
        return
    h, w = img.shape[:2]
    m = _px(style.margin_px, s)
    (_, line_h), _ = cv2.getTextSize("Ag", _FONT, style.font_scale * s, _px(1.6, s))
    step_h = line_h + m
    _panel(img, 0, h - step_h * len(lines) - m, w, h, style)
    for i, (text, severity) in enumerate(lines):
        y = h - m - step_h * (len(lines) - 1 - i)
        _text(img, text, (m, y), style, s, color=style.severity_color(severity))

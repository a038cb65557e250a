"""OverlayStyle: sizes, colours and thresholds of the on-frame overlay, in one small dataclass.

Sizes are given for a frame whose short side is `reference_px` pixels and scale with the frame, so
the overlay reads the same at 480p and 4K.
"""

from __future__ import annotations

from dataclasses import dataclass

from fitness.pose.types import TRUSTED_KEYPOINT_SCORE

Color = tuple[int, int, int]  # BGR, OpenCV's order


@dataclass(frozen=True)
class OverlayStyle:
    reference_px: int = 480
    line_px: float = 3.0
    point_px: float = 4.0
    arc_radius_px: float = 22.0
    font_scale: float = 0.7  # cv2 Hershey scale at the reference size; ~15 px capital height
    margin_px: float = 10.0
    bar_width_px: float = 14.0
    # Keypoints at or above min_score are drawn solid; between faint_score and min_score dashed and dim
    # (the model is unsure, the user should see that); below faint_score, or NaN, not at all.
    min_score: float = TRUSTED_KEYPOINT_SCORE
    faint_score: float = 0.1
    dash_px: float = 8.0
    bone: Color = (80, 220, 80)
    joint: Color = (255, 255, 255)
    faint: Color = (150, 150, 150)
    arc: Color = (0, 200, 255)
    text: Color = (255, 255, 255)
    panel: Color = (32, 32, 32)
    panel_alpha: float = 0.6
    info: Color = (255, 200, 80)
    warning: Color = (0, 200, 255)
    error: Color = (60, 60, 255)
    bar_fill: Color = (80, 220, 80)
    # With several people counted, each one's skeleton and label in their own colour (by track id, in turn).
    people: tuple[Color, ...] = ((80, 220, 80), (255, 160, 60), (60, 120, 255), (220, 80, 220), (60, 220, 255),
                                 (255, 255, 120))

    def person_color(self, track_id: int) -> Color:
        return self.people[(track_id - 1) % len(self.people)]

    def scale(self, width: int, height: int) -> float:
        """Factor from reference sizes to this frame's pixels."""
        return max(0.25, min(width, height) / self.reference_px)

    def severity_color(self, severity: str) -> Color:
        return {"info": self.info, "warning": self.warning, "error": self.error}.get(severity, self.warning)


DEFAULT_STYLE = OverlayStyle()

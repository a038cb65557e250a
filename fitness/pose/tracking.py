"""Stable ids for MultiPose people across frames (greedy IoU matching of boxes) and picking whom to follow."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from fitness.errors import UsageError
from fitness.pose.types import Pose

# Boxes overlapping at least this much (intersection over union) are the same person.
MIN_IOU = 0.3
# A person unseen this long loses their id; long enough to bridge a missed detection or two.
MAX_UNSEEN_S = 1.0
PERSON_CHOICES = ("largest", "center")

Box = tuple[float, float, float, float]


def iou(a: Box, b: Box) -> float:
    """Intersection over union of two (x_min, y_min, x_max, y_max) boxes; 0 for empty boxes."""
    iw = max(0.0, min(a[2], b[2]) - max(a[0], b[0]))
    ih = max(0.0, min(a[3], b[3]) - max(a[1], b[1]))
    inter = iw * ih
    union = (a[2] - a[0]) * (a[3] - a[1]) + (b[2] - b[0]) * (b[3] - b[1]) - inter
    return inter / union if union > 0 else 0.0


def pose_box(pose: Pose) -> Box:
    """The pose's box, or the extent of its finite keypoints when the model gave none."""
    if pose.box is not None:
        return pose.box
    xy = pose.xy[np.all(np.isfinite(pose.xy), axis=1)]
    if xy.size == 0:
        return (0.0, 0.0, 0.0, 0.0)
    return (float(xy[:, 0].min()), float(xy[:, 1].min()), float(xy[:, 0].max()), float(xy[:, 1].max()))


class IoUTracker:
    """Gives each person a track_id that stays the same while their box keeps overlapping."""

    def __init__(self, min_iou: float = MIN_IOU, max_unseen_s: float = MAX_UNSEEN_S) -> None:
        self.min_iou = min_iou
        self.max_unseen_s = max_unseen_s
        self.reset()

    def reset(self) -> None:
        self._tracks: dict[int, tuple[Box, float]] = {}
        self._next_id = 1

    def update(self, poses: Sequence[Pose], t: float) -> list[Pose]:
        """The same poses with track_id set; ids of people unseen for max_unseen_s are forgotten."""
        self._tracks = {k: v for k, v in self._tracks.items() if t - v[1] <= self.max_unseen_s and t >= v[1]}
        boxes = [pose_box(p) for p in poses]
        pairs = sorted(
            (
                (iou(box, track_box), i, track_id)
                for i, box in enumerate(boxes)
                for track_id, (track_box, _) in self._tracks.items()
            ),
            reverse=True,
        )
        assigned: dict[int, int] = {}
        taken: set[int] = set()
        for overlap, i, track_id in pairs:
            if overlap < self.min_iou:
                break
            if i in assigned or track_id in taken:
                continue
            assigned[i] = track_id
            taken.add(track_id)
        out = []
        for i, (pose, box) in enumerate(zip(poses, boxes)):
            if i not in assigned:
                assigned[i] = self._next_id
                self._next_id += 1
            self._tracks[assigned[i]] = (box, t)
            out.append(pose.replace(track_id=assigned[i]))
        return out


def parse_person(person: str | int) -> str | int:
    """'largest', 'center' or a track id (int); UsageError otherwise."""
    if isinstance(person, int) or (isinstance(person, str) and person.isdigit()):
        return int(person)
    if person in PERSON_CHOICES:
        return person
    raise UsageError(f"--person must be largest, center or a person id number, got {person!r}")


def select_person(poses: Sequence[Pose], person: str | int, frame_size: tuple[int, int]) -> Pose | None:
    """The pose an exercise follows: the largest box, the box nearest the frame centre, or a track id."""
    if not poses:
        return None
    choice = parse_person(person)
    if isinstance(choice, int):
        return next((p for p in poses if p.track_id == choice), None)
    boxes = [pose_box(p) for p in poses]
    if choice == "largest":
        areas = [(b[2] - b[0]) * (b[3] - b[1]) for b in boxes]
        return poses[int(np.argmax(areas))]
    cx, cy = frame_size[0] / 2.0, frame_size[1] / 2.0
    dists = [np.hypot((b[0] + b[2]) / 2 - cx, (b[1] + b[3]) / 2 - cy) for b in boxes]
    return poses[int(np.argmin(dists))]

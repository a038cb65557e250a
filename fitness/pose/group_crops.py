"""A second look at small people: MultiPose sees the whole frame at 256 px, so a person a few dozen pixels tall
in its input is found but placed roughly. `CropRefiner` runs single-pose Lightning on a square crop around each
such person (MoveNet's crop tracking, `fitness.pose.crop.next_crop`, placed from their previous refined pose or
their MultiPose one, else their box) and keeps the crop's pose when it is sure of someone where MultiPose found
them. Measured on rendered groups (benchmarks/eval_people_crops.py): for people under ~70 px in MultiPose's input
the crop is more accurate; for bigger ones MultiPose alone is as good or better, and cheaper. A known person
MultiPose is unsure of (a weak pose, kept because it continues their track:
`fitness.pose.people_tracker.KNOWN_MIN_SCORE`) gets a crop too, whatever their size."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from fitness.pose.backends import Runner
from fitness.pose.crop import Crop, next_crop
from fitness.pose.preprocess import crop_to_input
from fitness.pose.tracking import pose_box
from fitness.pose.types import Pose

# A person shorter than this in MultiPose's input (pixels) gets a Lightning crop of their own.
SMALL_IN_INPUT_PX = 72
# A crop's pose stands when its mean keypoint score is at least this (Lightning on someone it sees: 0.4-0.7)...
CROP_MIN_SCORE = 0.3
# ... and its shoulders and hips are within this share of the person's height of MultiPose's (the same person).
CROP_TORSO_GAP = 0.25
# A crop placed from a person's box alone is this much bigger than the box's longer side.
BOX_MARGIN = 1.25
_TORSO = [5, 6, 11, 12]  # shoulders and hips (COCO order)


def box_crop(box: tuple[float, float, float, float], frame_size: tuple[int, int]) -> Crop:
    """A square crop around a person's box, BOX_MARGIN wider than its longer side (the full frame if that is
    as big)."""
    half = BOX_MARGIN * max(box[2] - box[0], box[3] - box[1]) / 2
    if 2 * half >= max(frame_size):
        return Crop.full_frame(frame_size)
    return Crop((box[0] + box[2]) / 2 - half, (box[1] + box[3]) / 2 - half, 2 * half)


class CropRefiner:
    """Refines the small people of each frame (`refine`); remembers each track's last refined pose."""

    def __init__(self, runner: Runner, multipose_input_px: int, small_px: float = SMALL_IN_INPUT_PX,
                 weak_score: float = 0.0) -> None:
        """weak_score: people MultiPose scores below this (the estimator's threshold for a new person) get a crop
        whatever their size."""
        self.runner = runner
        self.weak_score = weak_score
        self.multipose_input_px = multipose_input_px
        self.small_px = small_px
        self.reset()

    def reset(self) -> None:
        self._last: dict[int, Pose] = {}

    def small(self, pose: Pose, frame_size: tuple[int, int]) -> bool:
        box = pose_box(pose)
        return (box[3] - box[1]) * self.multipose_input_px / max(frame_size) < self.small_px

    @staticmethod
    def agrees(seen: Pose, pose: Pose) -> bool:
        """The crop's pose is sure of someone (CROP_MIN_SCORE) and their torso is where MultiPose put it (the two
        models' keypoint scores are not on one scale: a crop that reads a small arm right scores lower)."""
        if float(np.mean(seen.score)) < CROP_MIN_SCORE:
            return False
        box = pose_box(pose)
        gap_px = float(np.median(np.hypot(*(seen.xy[_TORSO] - pose.xy[_TORSO]).T)))
        return gap_px <= CROP_TORSO_GAP * max(box[3] - box[1], 1.0)

    def refine(self, image: np.ndarray, poses: Sequence[Pose]) -> list[Pose]:
        """A `shared` pose (it may hold someone else's keypoints too) keeps MultiPose's: single-pose Lightning,
        shown both people in a crop, may take the other's limbs (the legs of someone walking behind)."""
        size = (int(image.shape[1]), int(image.shape[0]))
        out = []
        for pose in poses:
            if pose.shared and pose.track_id is not None:
                self._last.pop(pose.track_id, None)
            if pose.track_id is None or pose.shared or not (
                    self.small(pose, size) or pose.pose_score < self.weak_score):
                out.append(pose)
                continue
            guide = self._last.get(pose.track_id, pose)
            crop = next_crop(guide.xy, guide.score, size)
            if crop == Crop.full_frame(size):
                crop = next_crop(pose.xy, pose.score, size)
            if crop == Crop.full_frame(size):
                crop = box_crop(pose_box(pose), size)  # keypoints too unsure to place it: the box
            raw = self.runner.run(crop_to_input(image, crop, self.runner.input_size))
            seen = Pose.from_movenet(raw.reshape(-1, 3)[:17], crop, size, pose.t)
            if not self.agrees(seen, pose):
                out.append(pose)  # the crop missed them (moved, hidden, someone else): MultiPose's pose stands
                self._last.pop(pose.track_id, None)
                continue
            # The crop's confidence stands for the pose (a weak MultiPose score would have the smoother drop it).
            refined = pose.replace(xy=seen.xy, score=seen.score,
                                   pose_score=max(pose.pose_score, float(np.mean(seen.score))))
            self._last[pose.track_id] = refined
            out.append(refined)
        return out

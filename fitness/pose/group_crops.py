"""A second look at small people: MultiPose sees the whole frame at 256 px, so a person a few dozen pixels tall
in its input is found but placed roughly. `CropRefiner` runs single-pose Lightning on a square crop around each
such person (MoveNet's crop tracking, `fitness.pose.crop.next_crop`, placed from their previous refined pose or
their MultiPose one) and keeps the better-scored pose. Measured on rendered groups (benchmarks/
eval_people_crops.py): for people under ~70 px in MultiPose's input the crop is more accurate; for bigger ones
MultiPose alone is as good or better, and cheaper."""

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


class CropRefiner:
    """Refines the small people of each frame (`refine`); remembers each track's last refined pose."""

    def __init__(self, runner: Runner, multipose_input_px: int, small_px: float = SMALL_IN_INPUT_PX) -> None:
        self.runner = runner
        self.multipose_input_px = multipose_input_px
        self.small_px = small_px
        self.reset()

    def reset(self) -> None:
        self._last: dict[int, Pose] = {}

    def small(self, pose: Pose, frame_size: tuple[int, int]) -> bool:
        box = pose_box(pose)
        return (box[3] - box[1]) * self.multipose_input_px / max(frame_size) < self.small_px

    def refine(self, image: np.ndarray, poses: Sequence[Pose]) -> list[Pose]:
        size = (int(image.shape[1]), int(image.shape[0]))
        out = []
        for pose in poses:
            if pose.track_id is None or not self.small(pose, size):
                out.append(pose)
                continue
            guide = self._last.get(pose.track_id, pose)
            crop = next_crop(guide.xy, guide.score, size)
            if crop == Crop.full_frame(size):
                crop = next_crop(pose.xy, pose.score, size)
            raw = self.runner.run(crop_to_input(image, crop, self.runner.input_size))
            seen = Pose.from_movenet(raw.reshape(-1, 3)[:17], crop, size, pose.t)
            if float(np.mean(seen.score)) < float(np.mean(pose.score)):
                out.append(pose)  # the crop missed them (moved, hidden): MultiPose's pose stands
                self._last.pop(pose.track_id, None)
                continue
            refined = pose.replace(xy=seen.xy, score=seen.score)
            self._last[pose.track_id] = refined
            out.append(refined)
        return out

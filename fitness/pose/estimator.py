"""Frames in, `Pose`s out: the PoseEstimator protocol, MoveNet single-pose and MultiPose estimators, and
`ScriptedEstimator` (returns given poses) for testing later stages without a model."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Protocol, runtime_checkable

import numpy as np

from fitness.capture.frame import Frame
from fitness.errors import InputError
from fitness.pose.backends import BACKEND_FILES, Runner, make_runner
from fitness.pose.crop import Crop, CropTracker
from fitness.pose.group_crops import CropRefiner
from fitness.pose.people_tracker import KNOWN_MIN_SCORE, PeopleTracker
from fitness.pose.preprocess import as_image, crop_to_input
from fitness.pose.torso_colour import torso_colour
from fitness.pose.tracking import IoUTracker, parse_person, select_person
from fitness.pose.types import Pose

# Below this pose score nobody is reported (and single-pose crop tracking restarts on the full frame).
# MoveNet's pose score is the mean of keypoint scores >= 0.2; an empty scene scores about 0.0-0.2.
MIN_POSE_SCORE = 0.25
# MultiPose boxes scoring less are not people (TF.js pose-detection's default minPoseScore).
MIN_MULTIPOSE_SCORE = 0.25


@runtime_checkable
class PoseEstimator(Protocol):
    name: str

    def estimate(self, frame: Frame | np.ndarray) -> Pose | None:
        """The followed person's pose in frame pixels, or None when nobody is detected."""

    def estimate_all(self, frame: Frame | np.ndarray) -> list[Pose]:
        """Every detected person (at most one for single-pose models)."""

    def reset(self) -> None:
        """Forget tracking state (crop region, person ids), e.g. between videos."""


def in_source_pixels(pose: Pose, frame: Frame | np.ndarray) -> Pose:
    """`pose`, found on the frame's (possibly reduced) image, in the pixels of the source's own frame."""
    if not isinstance(frame, Frame) or frame.source_size is None:
        return pose
    sx, sy = frame.scale
    box = None if pose.box is None else (pose.box[0] * sx, pose.box[1] * sy, pose.box[2] * sx, pose.box[3] * sy)
    return pose.replace(xy=pose.xy * np.array([sx, sy], np.float32), box=box, frame_size=frame.source_size)


class SinglePoseEstimator:
    """MoveNet Lightning/Thunder with crop tracking (set crop_tracking=False to always letterbox the frame)."""

    def __init__(
        self, runner: Runner, name: str, crop_tracking: bool = True, min_pose_score: float = MIN_POSE_SCORE
    ) -> None:
        self.runner = runner
        self.name = name
        self.crop_tracking = crop_tracking
        self.min_pose_score = min_pose_score
        self.tracker = CropTracker()
        self.last_crop: Crop | None = None

    def estimate(self, frame: Frame | np.ndarray) -> Pose | None:
        image, t = as_image(frame)
        size = (int(image.shape[1]), int(image.shape[0]))
        crop = self.tracker.crop(size) if self.crop_tracking else Crop.full_frame(size)
        self.last_crop = crop
        raw = self.runner.run(crop_to_input(image, crop, self.runner.input_size))
        pose = Pose.from_movenet(raw.reshape(-1, 3)[:17], crop, size, t)
        if pose.pose_score < self.min_pose_score:
            self.tracker.update(None, None, size)
            return None
        self.tracker.update(pose.xy, pose.score, size)  # the crop is tracked on the image the model reads
        return in_source_pixels(pose, frame)

    def estimate_all(self, frame: Frame | np.ndarray) -> list[Pose]:
        pose = self.estimate(frame)
        return [] if pose is None else [pose]

    def reset(self) -> None:
        self.tracker.reset()
        self.last_crop = None


class MultiPoseEstimator:
    """MoveNet MultiPose on the letterboxed frame: up to 6 people with boxes, scores and stable track ids."""

    def __init__(
        self, runner: Runner, name: str, person: str | int = "largest", min_pose_score: float = MIN_MULTIPOSE_SCORE,
        tracker: IoUTracker | PeopleTracker | None = None, refiner: CropRefiner | None = None,
    ) -> None:
        """tracker: gives the people their ids; IoUTracker by default, PeopleTracker when several are counted.
        refiner: a second look at the small people through single-pose crops (None: MultiPose's poses)."""
        self.runner = runner
        self.name = name
        self.person = parse_person(person)
        self.min_pose_score = min_pose_score
        self.tracker = tracker or IoUTracker()
        self.refiner = refiner

    def estimate_all(self, frame: Frame | np.ndarray) -> list[Pose]:
        image, t = as_image(frame)
        size = (int(image.shape[1]), int(image.shape[0]))
        crop = Crop.full_frame(size)
        raw = self.runner.run(crop_to_input(image, crop, self.runner.input_size))
        rows = np.asarray(raw, dtype=np.float32).reshape(-1, raw.shape[-1])
        poses = [Pose.from_movenet(row, crop, size, t) for row in rows]
        # PeopleTracker sorts weak poses itself: they may continue someone it knows (KNOWN_MIN_SCORE); it tells
        # people apart by the colour of their clothes too.
        people = isinstance(self.tracker, PeopleTracker)
        floor = KNOWN_MIN_SCORE if people and self.tracker.new_min_score > KNOWN_MIN_SCORE else self.min_pose_score
        found = [p.replace(colour=torso_colour(image, p)) if people else p for p in poses if p.pose_score >= floor]
        tracked = self.tracker.update([in_source_pixels(p, frame) for p in found], t)
        return tracked if self.refiner is None else self.refiner.refine(image, tracked)

    def estimate(self, frame: Frame | np.ndarray) -> Pose | None:
        image, _ = as_image(frame)
        size = frame.size if isinstance(frame, Frame) else (int(image.shape[1]), int(image.shape[0]))
        return select_person(self.estimate_all(frame), self.person, size)

    def reset(self) -> None:
        self.tracker.reset()
        if self.refiner is not None:
            self.refiner.reset()


class ScriptedEstimator:
    """Returns the given poses (or None) in order, one per call, then None; the frame only supplies t."""

    def __init__(self, poses: Iterable[Pose | None], name: str = "scripted") -> None:
        self._poses: Sequence[Pose | None] = list(poses)
        self._next = 0
        self.name = name

    def estimate(self, frame: Frame | np.ndarray) -> Pose | None:
        _, t = as_image(frame)
        if self._next >= len(self._poses):
            return None
        pose = self._poses[self._next]
        self._next += 1
        if pose is not None and isinstance(frame, Frame):
            pose = pose.replace(t=t)
        return pose

    def estimate_all(self, frame: Frame | np.ndarray) -> list[Pose]:
        pose = self.estimate(frame)
        return [] if pose is None else [pose]

    def reset(self) -> None:
        """Scripted poses have no tracking state; the script keeps its place."""


def create_estimator(
    model: str = "lightning",
    backend: str = "litert",
    threads: int = 2,
    source: str = "auto",
    person: str | int = "largest",
    crop_tracking: bool = True,
    progress: bool = False,
    people: bool = False,
) -> PoseEstimator:
    """A ready estimator; fetches and converts the model on first use (see `fitness.models.ensure_model`).
    people: several people are counted; MultiPose ids then come from `PeopleTracker` (through crossings), and the
    small people get a second look through Lightning crops (`CropRefiner`)."""
    from fitness.models import ensure_model

    if int(threads) < 1:
        raise InputError(f"threads must be at least 1, got {threads}")
    parse_person(person)
    files = ensure_model(model, source=source, progress=progress, verify=BACKEND_FILES.get(backend, ()))
    runner = make_runner(backend, files.tflite_path, files.saved_model_dir, threads)
    name = f"movenet-{files.name}/{backend}"
    if files.multipose:
        if not people:
            return MultiPoseEstimator(runner, name, person=person)
        small = ensure_model("lightning", source=source, progress=progress)
        small_runner = make_runner(backend, small.tflite_path, small.saved_model_dir, threads)
        refiner = CropRefiner(small_runner, runner.input_size, weak_score=MIN_MULTIPOSE_SCORE)
        return MultiPoseEstimator(runner, name, person=person, tracker=PeopleTracker(MIN_MULTIPOSE_SCORE),
                                  refiner=refiner)
    return SinglePoseEstimator(runner, name, crop_tracking=crop_tracking)

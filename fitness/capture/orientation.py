"""Is a recording sideways? A phone held sideways films a standing person lying along the frame.

For an exercise done standing (`posture: standing` in its file), a few frames from the first seconds are
searched for the person as they are and turned a quarter either way; the turn under which the person stands
upright (ankles below shoulders) in most frames, with MoveNet at least about as sure of the keypoints, is the
one that stands the video up.
Exercises done lying (push-ups, plank, sit-ups, glute bridges) have a horizontal body in a video the right
way up, so they are never turned, nor are exercises whose file does not say.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from fitness.capture.frame import Frame, video_fps
from fitness.capture.source import FrameSource
from fitness.capture.transforms import FrameTransform
from fitness.errors import FitnessError
from fitness.pose.types import TRUSTED_KEYPOINT_SCORE, Keypoint, Pose

# Clockwise turns tried; 180 is left out (cameras and containers record upside-down video very rarely).
CANDIDATE_TURNS_DEG = (0, 90, 270)
SAMPLE_SECONDS = 5.0
SAMPLE_FRAMES = 8
# Upright: the line from the ankles (or hips) up to the shoulders within this of straight up. A deep squat
# or a lunge leans the torso ~45 deg but keeps the shoulders well above the ankles.
UPRIGHT_MAX_DEG = 45.0
# A turn wins when the person is upright in more than this share of the sampled frames (and as-is is not) ...
UPRIGHT_SHARE = 0.5
# ... and its mean keypoint score is at most this much below the frames as they are.
SCORE_MARGIN = 0.05

_SHOULDERS = (Keypoint.LEFT_SHOULDER, Keypoint.RIGHT_SHOULDER)
_ANKLES = (Keypoint.LEFT_ANKLE, Keypoint.RIGHT_ANKLE)
_HIPS = (Keypoint.LEFT_HIP, Keypoint.RIGHT_HIP)


def _centre(pose: Pose, points: tuple[Keypoint, ...]) -> np.ndarray | None:
    seen = [pose.xy[int(k)] for k in points if pose.score[int(k)] >= TRUSTED_KEYPOINT_SCORE]
    seen = [xy for xy in seen if np.all(np.isfinite(xy))]
    return np.mean(seen, axis=0) if seen else None


def tilt_deg(pose: Pose) -> float | None:
    """Degrees between the body's axis (ankles, else hips, up to the shoulders) and straight up in the image:
    0 standing, 90 lying, 180 upside down; None when those keypoints are not seen."""
    top = _centre(pose, _SHOULDERS)
    bottom = _centre(pose, _ANKLES)
    if bottom is None:
        bottom = _centre(pose, _HIPS)
    if top is None or bottom is None:
        return None
    dx, dy = (top - bottom).astype(float)
    if math.hypot(dx, dy) < 1.0:
        return None
    return math.degrees(math.atan2(abs(dx), -dy))  # image y grows downwards


@dataclass(frozen=True)
class TurnEvidence:
    """What the person looked like with the frames turned `turn_deg` clockwise: in how many of the sampled
    frames they were found upright, and MoveNet's mean keypoint score (0 for a frame without a person)."""

    turn_deg: int
    frames: int
    upright_frames: int
    mean_score: float

    @classmethod
    def of(cls, turn_deg: int, poses: Sequence[Pose | None]) -> TurnEvidence:
        upright = 0
        scores = []
        for pose in poses:
            scores.append(0.0 if pose is None else float(np.mean(pose.score)))
            tilt = None if pose is None else tilt_deg(pose)
            upright += int(tilt is not None and tilt <= UPRIGHT_MAX_DEG)
        return cls(turn_deg, len(poses), upright, float(np.mean(scores)) if scores else 0.0)

    @property
    def mostly_upright(self) -> bool:
        return self.frames > 0 and self.upright_frames > UPRIGHT_SHARE * self.frames


def choose_turn(evidence: Sequence[TurnEvidence]) -> int:
    """The clockwise turn that stands the person up, or 0 when the frames look right (or nothing is sure)."""
    as_is = next((e for e in evidence if e.turn_deg == 0), None)
    if as_is is None or as_is.mostly_upright:
        return 0
    floor = as_is.mean_score - SCORE_MARGIN
    better = [e for e in evidence if e.turn_deg != 0 and e.mostly_upright and e.mean_score >= floor]
    if not better:
        return 0
    # An upside-down person is often still found "upright" (MoveNet swaps the labels) but with low scores.
    return max(better, key=lambda e: e.mean_score).turn_deg


def sample_frames(source: FrameSource, seconds: float = SAMPLE_SECONDS, count: int = SAMPLE_FRAMES) -> list[Frame]:
    """About `count` frames spread over the first `seconds` of a source (fewer when it is shorter): those whose
    index is a multiple of round(seconds x fps / count), which is what a source opened with
    `sample_every_s(seconds, count)` delivers alone."""
    fps = video_fps(source.fps)
    every = max(1, round(seconds * fps / count))
    frames = []
    for frame in source:
        if frame.t > seconds or len(frames) >= count:
            break
        if frame.index % every == 0:
            frames.append(frame)
    return frames


def sample_every_s(seconds: float = SAMPLE_SECONDS, count: int = SAMPLE_FRAMES) -> float:
    """The time between the frames `sample_frames` picks (a video source may skip the rest)."""
    return seconds / count


def detect_turn(open_source: Callable[[], FrameSource], estimate: Callable[[Frame], Pose | None]) -> int:
    """The clockwise turn (0, 90 or 270) under which the person in the first seconds stands upright.

    open_source opens the recording as it is; estimate finds the person in one frame without tracking state.
    A recording that cannot be read here gives 0: the session reports that itself.
    """
    try:
        with open_source() as source:
            frames = sample_frames(source)
    except FitnessError:
        return 0
    evidence = []
    for turn in CANDIDATE_TURNS_DEG:  # 0 first
        transform = FrameTransform(rotate_deg=turn)
        turned = [Frame(transform.apply(frame.image), frame.t, frame.index, frame.grabbed_at_s) for frame in frames]
        evidence.append(TurnEvidence.of(turn, [estimate(frame) for frame in turned]))
        if turn == 0 and evidence[0].mostly_upright:
            break  # the usual case: the video is the right way up, no need to try turns
    return choose_turn(evidence)


def turned_note(turn_deg: int) -> str:
    return f"the video looks rotated: turned it {turn_deg} deg clockwise (pass --rotate 0 to keep it as it is)"

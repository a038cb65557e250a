"""The live exercise classifier: poses in, one frame at a time; class probabilities over the last window out.

It keeps the poses of the last `window_s` seconds, and every CLASSIFY_EVERY_S turns the new ones into frame
features (in one batch), the window into window features and those into probabilities with the trained network.
Between two classifications it repeats the last answer at the new time. It says nothing (empty probabilities)
until it has seen `ready_s` seconds of movement with a pose in most frames, and starts over after a gap in time.
"""

from __future__ import annotations

from collections import deque

import numpy as np

from fitness.pose.types import NUM_KEYPOINTS, Pose
from fitness.workout.features import FRAME_FEATURES, frame_features, running_median_update, window_features
from fitness.workout.model import RecogniserModel
from fitness.workout.scores import ClassScores

# How often the window is classified again; in between the last answer stands (batching keeps numpy's per-call
# cost per frame low; the answer is at most this much behind).
CLASSIFY_EVERY_S = 0.2
# At least this share of the window's frames must have a pose for an answer (else nobody is there to classify).
MIN_POSE_SHARE = 0.5
# A pause in the frames' times longer than this starts the window over (time jumped: a new recording, a stall).
MAX_GAP_S = 0.5

_NO_POSE = np.full(len(FRAME_FEATURES), np.nan)


class MotionClassifier:
    """Meets `fitness.workout.scores.ExerciseClassifier` with a trained `RecogniserModel`."""

    def __init__(self, model: RecogniserModel) -> None:
        self.model = model
        self.labels: tuple[str, ...] = model.labels
        self.reset()

    def reset(self) -> None:
        self._t: deque[float] = deque()
        self._rows: deque[np.ndarray] = deque()
        # The window's rows and their running median at the last classification, and how many of its first rows left
        # since.
        self._stacked = np.empty((0, len(FRAME_FEATURES)))
        self._medians = np.empty((0, len(FRAME_FEATURES)))
        self._medians_left = 0
        self._pending: list[tuple[int, np.ndarray, np.ndarray]] = []  # (position, xy, score) not yet featurised
        self._start_t: float | None = None
        self._last_classified_t = -np.inf
        self._probs: dict[str, float] = {}

    def update(self, pose: Pose | None, t: float) -> ClassScores:
        if self._t and not (0.0 <= t - self._t[-1] <= MAX_GAP_S):
            self.reset()
        if self._start_t is None:
            self._start_t = t
        self._t.append(t)
        if pose is None:
            self._rows.append(_NO_POSE)
        else:
            self._rows.append(_NO_POSE)  # replaced when featurised
            self._pending.append((len(self._rows) - 1, pose.xy, pose.score))
        while self._t[0] <= t - self.model.window_s:
            self._t.popleft()
            self._rows.popleft()
            self._medians_left += 1
            self._pending = [(i - 1, xy, s) for i, xy, s in self._pending if i > 0]
        if t - self._start_t < self.model.ready_s:
            return ClassScores(t)
        if t - self._last_classified_t >= CLASSIFY_EVERY_S:
            self._classify()
            self._last_classified_t = t
        return ClassScores(t, self._probs)

    def _classify(self) -> None:
        if self._pending:
            index = [i for i, _, _ in self._pending]
            xy = np.stack([p for _, p, _ in self._pending]).reshape(-1, NUM_KEYPOINTS, 2)
            score = np.stack([s for _, _, s in self._pending])
            for i, row in zip(index, frame_features(xy, score)):
                self._rows[i] = row
            self._pending = []
        # The rows kept from the last classification's array, then the new ones (copied once, not the whole window).
        kept = self._stacked[self._medians_left:]
        new = [self._rows[i] for i in range(len(kept), len(self._rows))]
        rows = np.concatenate([kept, np.stack(new)]) if new else kept
        # Only the rows near the window's ends are filtered again: the others' neighbours are as they were.
        medians = running_median_update(rows, self._medians[self._medians_left:])
        self._stacked, self._medians, self._medians_left = rows, medians, 0
        seen = ~np.isnan(rows).all(axis=1)
        if seen.mean() < MIN_POSE_SHARE:
            self._probs = {}
            return
        probs = self.model.predict(window_features(rows, np.fromiter(self._t, float, len(self._t)), medians))
        self._probs = {label: float(p) for label, p in zip(self.labels, probs)}

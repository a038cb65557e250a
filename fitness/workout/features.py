"""The exercise classifier's features: a normalised embedding of each pose, then statistics of it over a window.

`frame_features` turns poses into numbers that do not depend on where the body is in the picture (centred on the
hips), how big it is (divided by a torso-sized scale) or which way it is mirrored: every left/right pair of
keypoints enters as a symmetric pair of numbers (mean and absolute difference, or smaller and larger), and x only
as its distance from the hips' vertical line. So a person seen from their left or right side, or mirrored, gives
the same features. Body orientation (standing, lying, plank) enters through the segments' inclines from the
vertical and the body's extent; keypoints below the trusted score are missing (NaN), never zero.

`window_features` describes a window of those rows: their mean, spread and range (which joints move, how the
body is oriented), the share of frames with a pose, and the dominant rate of movement.

Both take arrays (one row per frame), so training computes each clip's rows at once with exactly the code the
live classifier runs one frame at a time. numpy only.
"""

from __future__ import annotations

import numpy as np

from fitness.geometry.angles import angle, incline
from fitness.pose.types import TRUSTED_KEYPOINT_SCORE, Keypoint

K = Keypoint
# Left/right keypoint pairs, by body part.
PAIRS: dict[str, tuple[int, int]] = {
    "shoulder": (K.LEFT_SHOULDER, K.RIGHT_SHOULDER),
    "elbow": (K.LEFT_ELBOW, K.RIGHT_ELBOW),
    "wrist": (K.LEFT_WRIST, K.RIGHT_WRIST),
    "hip": (K.LEFT_HIP, K.RIGHT_HIP),
    "knee": (K.LEFT_KNEE, K.RIGHT_KNEE),
    "ankle": (K.LEFT_ANKLE, K.RIGHT_ANKLE),
}
# Joint angles (the middle keypoint's, per side): the named part and its two neighbours.
ANGLES: dict[str, tuple[str, str, str]] = {
    "elbow": ("shoulder", "elbow", "wrist"),
    "shoulder": ("hip", "shoulder", "elbow"),
    "hip": ("shoulder", "hip", "knee"),
    "knee": ("hip", "knee", "ankle"),
}
# Limb segments measured by their incline from the vertical (per side).
SEGMENTS: dict[str, tuple[str, str]] = {
    "upper_arm": ("shoulder", "elbow"),
    "forearm": ("elbow", "wrist"),
    "thigh": ("hip", "knee"),
    "shin": ("knee", "ankle"),
}
# The keypoints the features read (the face only through the nose).
BODY_KEYPOINTS = (int(K.NOSE), *(i for pair in PAIRS.values() for i in pair))
# The largest distance of a keypoint from the hips, over this, stands in for the torso length when that is
# foreshortened (end-on views): standing, the farthest keypoint is ~1.7-2.3 torsos from the hips.
EXTENT_TORSOS = 2.5
# Each feature is first filtered by a running median over this many frames: MoveNet's one-frame slips (a foot
# jumping, left and right swapping in a side view) would otherwise pass for movement.
MEDIAN_FRAMES = 5
# Hysteresis of the movement-rate count: a swing counts when it leaves mean +- this share of the signal's range.
SWING_SHARE = 0.25
MIN_SWING_RANGE = 1e-6  # a signal moving less than this (torso lengths, degrees' share) is still: no swings


def _frame_feature_names() -> tuple[str, ...]:
    names = ["nose_x", "nose_y"]
    for part in PAIRS:
        names += [f"{part}_y_mean", f"{part}_y_diff", f"{part}_x_mean", f"{part}_x_diff"]
    for part in ANGLES:
        names += [f"{part}_deg_min", f"{part}_deg_max"]
    names.append("torso_incline")
    for seg in SEGMENTS:
        names += [f"{seg}_incline_min", f"{seg}_incline_max"]
    names += ["extent_x", "extent_y", "wrist_gap", "knee_gap", "ankle_gap", "shoulder_width", "seen_share"]
    return tuple(names)


FRAME_FEATURES: tuple[str, ...] = _frame_feature_names()
# Over a window: each frame feature's mean, standard deviation and range, then the share of frames with a pose
# and the dominant movement rate in Hz.
WINDOW_FEATURES: tuple[str, ...] = (
    *(f"{n}_mean" for n in FRAME_FEATURES),
    *(f"{n}_std" for n in FRAME_FEATURES),
    *(f"{n}_range" for n in FRAME_FEATURES),
    "pose_share",
    "rate_hz",
)
# The frame features whose swings give the movement rate: heights of the moving parts and joint angles.
_RATE_COLUMNS = np.array(
    [FRAME_FEATURES.index(f"{p}_y_mean") for p in ("wrist", "elbow", "shoulder", "knee", "ankle")]
    + [FRAME_FEATURES.index(f"{a}_deg_{m}") for a in ANGLES for m in ("min", "max")]
)


def _side_mean(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """The mean of two sides' values; the one side's value when the other is NaN."""
    return np.where(np.isnan(a), b, np.where(np.isnan(b), a, (a + b) / 2))


_LEFT = np.array([left for left, _ in PAIRS.values()])
_RIGHT = np.array([right for _, right in PAIRS.values()])
_PART = {part: i for i, part in enumerate(PAIRS)}
_ANGLE_PARTS = np.array([[_PART[p] for p in triple] for triple in ANGLES.values()]).T  # (3, angles)
_SEGMENT_PARTS = np.array([[_PART[p] for p in pair] for pair in SEGMENTS.values()]).T  # (2, segments)
_GAP_PARTS = np.array([_PART[p] for p in ("wrist", "knee", "ankle", "shoulder")])


def _min_max(per_side: np.ndarray) -> np.ndarray:
    """(N, 2, k) values of the two sides -> (N, 2k): each one's smaller then larger (NaN: the other side's)."""
    low, high = np.fmin(per_side[:, 0], per_side[:, 1]), np.fmax(per_side[:, 0], per_side[:, 1])
    return np.stack([low, high], axis=2).reshape(len(per_side), -1)


def frame_features(xy: np.ndarray, score: np.ndarray, min_score: float = TRUSTED_KEYPOINT_SCORE) -> np.ndarray:
    """(N, len(FRAME_FEATURES)) features of N poses: xy (N, 17, 2) or (17, 2), score (N, 17) or (17,).

    Keypoints scored below min_score or with NaN positions are missing; a feature that needs a missing keypoint
    is NaN (a pair's mean falls back to the side that is seen). A pose without hips and shoulders is all NaN.
    """
    xy = np.asarray(xy, dtype=np.float64).reshape(-1, 17, 2)
    score = np.asarray(score, dtype=np.float64).reshape(-1, 17)
    n = len(xy)
    seen = (score >= min_score) & np.isfinite(xy).all(axis=-1)
    pts = np.where(seen[..., None], xy, np.nan)
    sides = np.stack([pts[:, _LEFT], pts[:, _RIGHT]], axis=1)  # (N, 2 sides, parts, 2)
    mids = _side_mean(sides[:, 0], sides[:, 1])  # (N, parts, 2)
    hip_mid, shoulder_mid = mids[:, _PART["hip"]], mids[:, _PART["shoulder"]]

    centre = np.where(np.isnan(hip_mid), shoulder_mid, hip_mid)
    torso_sides = np.hypot(*(sides[:, :, _PART["shoulder"]] - sides[:, :, _PART["hip"]]).transpose(2, 0, 1))
    torso = _side_mean(torso_sides[:, 0], torso_sides[:, 1])
    torso = np.where(np.isnan(torso), np.hypot(*(shoulder_mid - hip_mid).T), torso)
    body = pts[:, BODY_KEYPOINTS]
    reach = np.fmax.reduce(np.hypot(*(body - centre[:, None]).transpose(2, 0, 1)), axis=1)
    scale = np.fmax(torso, reach / EXTENT_TORSOS)
    scale = np.where(scale > 0, scale, np.nan)

    rel = (pts - centre[:, None]) / scale[:, None, None]
    ax, y = np.abs(rel[..., 0]), rel[..., 1]
    yl, yr, xl, xr = y[:, _LEFT], y[:, _RIGHT], ax[:, _LEFT], ax[:, _RIGHT]
    pairs = np.stack([_side_mean(yl, yr), np.abs(yl - yr), _side_mean(xl, xr), np.abs(xl - xr)], axis=2)
    a, b, c = (sides[:, :, i] for i in _ANGLE_PARTS)
    angles = np.asarray(angle(a, b, c)).reshape(n, 2, -1) / 180.0
    top, bottom = (sides[:, :, i] for i in _SEGMENT_PARTS)
    inclines = np.asarray(incline(top, bottom)).reshape(n, 2, -1) / 180.0
    torso_incline = np.asarray(incline(hip_mid, shoulder_mid)).reshape(n, 1) / 180.0
    body_rel = rel[:, BODY_KEYPOINTS]
    extent = np.fmax.reduce(body_rel, axis=1) - np.fmin.reduce(body_rel, axis=1)  # (N, 2)
    gaps = np.hypot(*(rel[:, _LEFT[_GAP_PARTS]] - rel[:, _RIGHT[_GAP_PARTS]]).transpose(2, 0, 1))
    out = np.concatenate([
        np.stack([ax[:, K.NOSE], y[:, K.NOSE]], axis=1),
        pairs.reshape(n, -1),
        _min_max(angles),
        torso_incline,
        _min_max(inclines),
        extent,
        gaps,
        seen[:, BODY_KEYPOINTS].mean(axis=1, keepdims=True),
    ], axis=1)
    out[np.isnan(centre).any(axis=1) | np.isnan(scale)] = np.nan
    return out


def _swing_count(signal: np.ndarray) -> int:
    """How many times the signal (no NaN) swings across its mean, with hysteresis (SWING_SHARE of its range)."""
    span = signal.max() - signal.min()
    if span < MIN_SWING_RANGE:  # rounding, not movement
        return 0
    band = SWING_SHARE * span
    mid = signal.mean()
    state = 0
    swings = -1
    for v in signal:
        s = 1 if v > mid + band else -1 if v < mid - band else 0
        if s and s != state:
            state = s
            swings += 1
    return max(swings, 0)


def running_median(rows: np.ndarray, frames: int = MEDIAN_FRAMES) -> np.ndarray:
    """Each column's running median over `frames` rows centred on each row (fewer at the ends), NaN ignored
    (the lower median of the values seen; NaN where none is)."""
    n = len(rows)
    if n < frames:
        return rows
    half = frames // 2
    padded = np.concatenate([np.full((half, rows.shape[1]), np.nan), rows, np.full((half, rows.shape[1]), np.nan)])
    stacked = np.sort(np.lib.stride_tricks.sliding_window_view(padded, frames, axis=0), axis=-1)  # NaN sort last
    count = (~np.isnan(stacked)).sum(axis=-1)
    middle = np.take_along_axis(stacked, np.maximum(count - 1, 0)[..., None] // 2, axis=-1)[..., 0]
    return np.where(count > 0, middle, np.nan)


def _running_median_at(rows: np.ndarray, at: np.ndarray, frames: int = MEDIAN_FRAMES) -> np.ndarray:
    """`running_median(rows)[at]` (len(rows) >= frames), filtering only those rows."""
    half = frames // 2
    padded = np.concatenate([np.full((half, rows.shape[1]), np.nan), rows, np.full((half, rows.shape[1]), np.nan)])
    stacked = np.sort(padded[at[:, None] + np.arange(frames)], axis=1)  # (rows at, frames, columns); NaN sort last
    count = (~np.isnan(stacked)).sum(axis=1)
    middle = np.take_along_axis(stacked, (np.maximum(count - 1, 0) // 2)[:, None], axis=1)[:, 0]
    return np.where(count > 0, middle, np.nan)


def running_median_update(rows: np.ndarray, kept: np.ndarray, frames: int = MEDIAN_FRAMES) -> np.ndarray:
    """`running_median(rows)` given `kept`, the running median of a window that `rows` continues: its first
    len(kept) rows were that window's rows, some of its first rows dropped and new rows added at the end since.
    Only the rows near either end of the window are filtered again (a row's median reads its neighbours only)."""
    n, k, half = len(rows), len(kept), frames // 2
    if n < frames or k < frames:
        return running_median(rows, frames)
    tail_from = max(k - half, half)  # the rows that had fewer than `half` later neighbours, and the new ones
    # The first rows (their earlier neighbours are gone) and those from tail_from on, in one go.
    ends = _running_median_at(rows, np.r_[0:half, tail_from:n], frames)
    return np.concatenate([ends[:half], kept[half:tail_from], ends[half:]])


def window_features(rows: np.ndarray, t: np.ndarray, medians: np.ndarray | None = None) -> np.ndarray:
    """(len(WINDOW_FEATURES),) statistics of a window of frame-feature rows (W, F) stamped t (W,) seconds,
    after a running median (MEDIAN_FRAMES; `medians`: that median when known).

    NaN where a feature was never seen in the window (the classifier fills it with the training mean).
    """
    t = np.asarray(t, dtype=np.float64)
    raw = np.asarray(rows, dtype=np.float64)
    pose_share = float((~np.isnan(raw).all(axis=1)).mean()) if len(raw) else 0.0
    rows = running_median(raw) if medians is None else medians
    known = ~np.isnan(rows)
    count = known.sum(axis=0)
    some = count > 0
    safe = np.where(known, rows, 0.0)
    mean = np.where(some, safe.sum(axis=0) / np.maximum(count, 1), np.nan)
    dev = np.where(known, rows - mean, 0.0)
    std = np.where(some, np.sqrt((dev * dev).sum(axis=0) / np.maximum(count, 1)), np.nan)
    spread = np.fmax.reduce(rows, axis=0) - np.fmin.reduce(rows, axis=0)

    rate_hz = 0.0
    duration = float(t[-1] - t[0]) if len(t) > 1 else 0.0
    candidates = [c for c in _RATE_COLUMNS if count[c] >= 3]
    if candidates and duration > 0:
        col = max(candidates, key=lambda c: spread[c])
        signal = rows[known[:, col], col]
        rate_hz = _swing_count(signal) / 2.0 / duration
    return np.concatenate([mean, std, spread, [pose_share, rate_hz]])

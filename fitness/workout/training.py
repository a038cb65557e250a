"""Training the exercise classifier from labelled pose recordings (scripts/train_recogniser.py drives it).

A `Clip` is a recording's poses with what was done when: the exercise's active span (first rep's start to the last
rep's end, or the hold) and what the rest of it counts as. Windows are cut every `step_s`, each `window_s` long
(and also `ready_s` long, the shortest the live classifier answers for), and labelled:
- mostly (ACTIVE_SHARE) inside the active span: the exercise;
- wholly outside it: `rest_label` (NONE when the clip starts standing: that lead-in is someone standing still;
  None when it starts on the floor, in the exercise's own start position: such windows are left out);
- otherwise (half in, half out) left out.
The network is trained with full-batch Adam, class-balanced, from a fixed seed: the same data give the same
weights. numpy only.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np

from fitness.workout.features import FRAME_FEATURES, WINDOW_FEATURES, frame_features, window_features
from fitness.workout.model import RecogniserModel
from fitness.workout.scores import NONE

FRAME_FEATURE_INDEX = {name: i for i, name in enumerate(FRAME_FEATURES)}
# The live classifier's window and the shortest window it answers for, in seconds.
WINDOW_S = 2.0
READY_S = 1.5
# A window is labelled with the exercise when at least this share of it lies in the active span.
ACTIVE_SHARE = 0.75
# Windows are cut this often along a clip.
STEP_S = 0.4
# Windows nearer their own class than this share of the training windows are familiar (RecogniserModel.familiar).
FAMILIAR_SHARE = 0.95
# The smallest spread of a feature within a class, in standardised units (a constant feature is not a wall).
MIN_CLASS_STD = 0.1


@dataclass(frozen=True)
class Clip:
    """xy (N, 17, 2), score (N, 17), t (N,): the poses (NaN rows where nobody was seen). label: the exercise (or
    NONE for a clip of no exercise). active: (start_s, end_s) spans of the exercise. rest_label: what windows
    outside them are (NONE or None: left out). group: what the clip shares with others for evaluation (view)."""

    name: str
    label: str
    xy: np.ndarray
    score: np.ndarray
    t: np.ndarray
    active: tuple[tuple[float, float], ...]
    rest_label: str | None
    view: str = ""


@dataclass(frozen=True)
class WindowSet:
    """X (n, len(WINDOW_FEATURES)) window features; y: their labels; clip: the index of each one's clip; end_t:
    when each window ends."""

    X: np.ndarray
    y: tuple[str, ...]
    clip: np.ndarray
    end_t: np.ndarray


def window_label(clip: Clip, start_t: float, end_t: float) -> str | None:
    """The label of the window [start_t, end_t] of a clip (None: left out of training)."""
    inside = sum(max(0.0, min(end_t, b) - max(start_t, a)) for a, b in clip.active)
    if inside >= ACTIVE_SHARE * (end_t - start_t):
        return clip.label
    return clip.rest_label if inside == 0 else None


def clip_windows(
    clip: Clip,
    lengths_s: Sequence[float] = (READY_S, WINDOW_S),
    step_s: float = STEP_S,
) -> tuple[np.ndarray, list[str], np.ndarray]:
    """The labelled windows of one clip: features (n, F), labels, end times."""
    rows = frame_features(clip.xy, clip.score)
    t = clip.t
    X, y, ends = [], [], []
    longest = max(lengths_s)
    for end in np.arange(t[0] + longest, t[-1] + 1e-9, step_s):
        for length in lengths_s:
            label = window_label(clip, end - length, end)
            if label is None:
                continue
            sel = (t > end - length) & (t <= end + 1e-9)
            if sel.sum() < 3 or (~np.isnan(rows[sel]).all(axis=1)).mean() < 0.5:
                continue
            X.append(window_features(rows[sel], t[sel]))
            y.append(label)
            ends.append(end)
    width = len(WINDOW_FEATURES)
    return np.array(X).reshape(-1, width), y, np.array(ends)


def build_windows(clips: Sequence[Clip], **kwargs) -> WindowSet:
    parts = [clip_windows(c, **kwargs) for c in clips]
    X = np.concatenate([p[0] for p in parts]) if parts else np.zeros((0, len(WINDOW_FEATURES)))
    y = tuple(label for p in parts for label in p[1])
    clip = np.concatenate([np.full(len(p[1]), i) for i, p in enumerate(parts)]) if parts else np.zeros(0, int)
    end_t = np.concatenate([p[2] for p in parts]) if parts else np.zeros(0)
    return WindowSet(X, y, clip, end_t)


def still_clip(clip: Clip, length_s: float = 3.0, min_lead_s: float = 0.4) -> Clip | None:
    """Someone standing still, from a clip's lead-in (before its first active span) played forwards and
    backwards to `length_s`; None when the clip does not start standing or its lead-in is shorter than
    min_lead_s."""
    if clip.rest_label != NONE or not clip.active:
        return None
    lead = np.flatnonzero(clip.t < clip.active[0][0] - 0.1)
    if len(lead) < 3 or clip.t[lead[-1]] - clip.t[0] < min_lead_s:
        return None
    fps = (len(lead) - 1) / (clip.t[lead[-1]] - clip.t[0])
    cycle = np.concatenate([lead, lead[-2:0:-1]])
    n = int(round(length_s * fps))
    idx = np.resize(cycle, n)
    t = clip.t[0] + np.arange(n) / fps
    return replace(clip, name=clip.name + ":still", label=NONE, xy=clip.xy[idx], score=clip.score[idx], t=t,
                   active=(), rest_label=NONE)


def occluded_clip(clip: Clip, rng: np.random.Generator, drop_share: float = 0.1) -> Clip:
    """The clip with keypoints missing: one body keypoint hidden throughout, others at random in drop_share of
    the frames (robustness to occlusion and low scores)."""
    score = clip.score.copy()
    score[:, rng.integers(5, 17)] = 0.0
    score[rng.random(score.shape) < drop_share] = 0.0
    return replace(clip, name=clip.name + ":occluded", score=score)


def _standardiser(X: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    known = ~np.isnan(X)
    count = np.maximum(known.sum(axis=0), 1)
    mean = np.where(known, X, 0.0).sum(axis=0) / count
    var = (np.where(known, X - mean, 0.0) ** 2).sum(axis=0) / count
    return mean, np.maximum(np.sqrt(var), 1e-3)


def train_model(
    X: np.ndarray,
    y: Sequence[str],
    labels: Iterable[str] | None = None,
    hidden: int = 32,
    epochs: int = 400,
    learning_rate: float = 0.01,
    l2: float = 1e-3,
    seed: int = 0,
    window_s: float = WINDOW_S,
    ready_s: float = READY_S,
    modes: Sequence[str] | None = None,
) -> RecogniserModel:
    """A one-hidden-layer ReLU network fitted to window features X (n, F) and labels y by full-batch Adam on the
    class-balanced cross-entropy plus l2 * |weights|^2, from seed. Deterministic for the same inputs.

    modes: per window, which mode of its class it shows (e.g. the label and the view: an exercise filmed end-on
    looks nothing like it does from the side); the familiarity statistics are kept per mode (default: per label).
    """
    labels = tuple(sorted(set(y))) if labels is None else tuple(labels)
    index = {label: i for i, label in enumerate(labels)}
    target = np.array([index[label] for label in y])
    mean, std = _standardiser(X)
    Z = (X - mean) / std
    Z = np.where(np.isnan(Z), 0.0, Z)
    n, f = Z.shape
    c = len(labels)
    counts = np.bincount(target, minlength=c).astype(float)
    sample_w = (n / (c * np.maximum(counts, 1)))[target] / n
    onehot = np.eye(c)[target]

    rng = np.random.default_rng(seed)
    params = [
        rng.normal(0, np.sqrt(2 / f), (f, hidden)),
        np.zeros(hidden),
        rng.normal(0, np.sqrt(1 / hidden), (hidden, c)),
        np.zeros(c),
    ]
    m = [np.zeros_like(p) for p in params]
    v = [np.zeros_like(p) for p in params]
    beta1, beta2, eps = 0.9, 0.999, 1e-8
    for step in range(1, epochs + 1):
        w1, b1, w2, b2 = params
        pre = Z @ w1 + b1
        h = np.maximum(pre, 0.0)
        logits = h @ w2 + b2
        logits -= logits.max(axis=1, keepdims=True)
        p = np.exp(logits)
        p /= p.sum(axis=1, keepdims=True)
        d_logits = (p - onehot) * sample_w[:, None]
        g_w2 = h.T @ d_logits + 2 * l2 * w2
        g_b2 = d_logits.sum(axis=0)
        d_h = (d_logits @ w2.T) * (pre > 0)
        g_w1 = Z.T @ d_h + 2 * l2 * w1
        g_b1 = d_h.sum(axis=0)
        for i, g in enumerate((g_w1, g_b1, g_w2, g_b2)):
            m[i] = beta1 * m[i] + (1 - beta1) * g
            v[i] = beta2 * v[i] + (1 - beta2) * g * g
            m_hat = m[i] / (1 - beta1**step)
            v_hat = v[i] / (1 - beta2**step)
            params[i] = params[i] - learning_rate * m_hat / (np.sqrt(v_hat) + eps)
    w1, b1, w2, b2 = params
    mode = np.array(list(y) if modes is None else list(modes))
    names = sorted(set(mode.tolist()))
    class_mean = np.array([Z[mode == m].mean(axis=0) for m in names])
    class_std = np.array([Z[mode == m].std(axis=0) for m in names])
    model = RecogniserModel(labels=labels, mean=mean, std=std, w1=w1, b1=b1, w2=w2, b2=b2, window_s=window_s,
                            ready_s=ready_s, class_mean=class_mean, class_std=np.maximum(class_std, MIN_CLASS_STD),
                            familiar=1.0)
    distances = np.concatenate([model.distance(Z[i : i + 2048]) for i in range(0, n, 2048)])
    familiar = float(np.quantile(distances, FAMILIAR_SHARE))
    return replace(model, familiar=familiar)


def _starts_standing(truth: dict) -> bool:
    """Whether the rendered person stands at the start: the torso within 30 degrees of upright in the picture and
    the ankles more than a torso below the hips (filmed end-on, a plank's torso is upright in the picture too,
    but its legs run away from the camera)."""
    first = np.asarray(truth["keypoints"][0], dtype=np.float64)
    row = frame_features(first, np.ones(len(first)))[0]
    upright = row[FRAME_FEATURE_INDEX["torso_incline"]] < 30 / 180
    return bool(upright and row[FRAME_FEATURE_INDEX["ankle_y_mean"]] > 1.0)


def clip_from_files(cache_path: str | Path, truth_path: str | Path) -> Clip:
    """A clip from a pose cache (npz of xy (N, 17, 2), score (N, 17), t (N,), NaN where no pose) and the truth
    file `fitness render` wrote beside its video (exercise, fps, rep_list with start_s/end_s or frames). A truth
    whose exercise is NONE (or missing), or without reps, is a clip of no exercise throughout."""
    truth = json.loads(Path(truth_path).read_text())
    with np.load(cache_path, allow_pickle=False) as data:
        xy, score, t = data["xy"].astype(np.float64), data["score"].astype(np.float64), data["t"].astype(np.float64)
    fps = float(truth.get("fps", 30.0))
    t = np.where(np.isnan(t), np.arange(len(t)) / fps, t)
    label = truth.get("exercise") or NONE
    reps = truth.get("rep_list") or []
    if label == NONE or not reps:
        active: tuple[tuple[float, float], ...] = ()
        label, rest = NONE, NONE
    else:
        start_s = reps[0]["start_s"] if "start_s" in reps[0] else reps[0]["start_frame"] / fps
        end_s = reps[-1]["end_s"] if "end_s" in reps[-1] else reps[-1]["end_frame"] / fps
        active = ((float(start_s), float(end_s)),)
        rest = NONE if _starts_standing(truth) else None
    return Clip(name=Path(cache_path).stem, label=label, xy=xy, score=score, t=t, active=active, rest_label=rest,
                view=str(truth.get("view", "")))

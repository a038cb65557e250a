"""End-to-end accuracy over a folder of rendered clips: the pipeline's counts, faults, tempo, phantom reps and
keypoints vs truth. The scored clip and the table's rows live in `fitness.synth.results` (re-exported here).

The keypoint-only mode (`probe_pck`) needs just the MoveNet TFLite file, not the pipeline.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import cv2
import numpy as np

from fitness.errors import SourceError
from fitness.exercise import load_exercise
from fitness.pipeline import VideoResult, analyze_video
from fitness.synth.motion import SCRIPTS
from fitness.synth.probe import MoveNetProbe, model_path
from fitness.synth.results import ZERO17, ClipResult, GroupRow, summarize
from fitness.synth.scoring import TempoError, fault_tally, match_reps, pck_hits, phantoms, tempo_error
from fitness.synth.workout_score import WorkoutScore, score_workout

__all__ = [
    "ClipResult", "GroupRow", "WorkoutResult", "detectable_faults", "evaluate_folder", "evaluate_workouts",
    "find_clips", "is_workout_truth", "load_truth", "poses_to_arrays", "probe_pck", "score_clip", "summarize",
]
AUTO_EXERCISE = "auto"  # the exercise name of a run that recognises the exercise itself (`fitness run auto`)
TEMPO_KEYS = ("start_s", "turn_s", "back_s", "end_s")  # a truth rep's times: leaves rest, turns, leaves the turn, back


def detectable_faults(exercise: str, view: str) -> tuple[str, ...]:
    """The renderer's fault ids for `exercise` whose form rule runs in `view` (a rule may be limited to
    some views, e.g. knee cave needs a front view): the faults worth injecting into a clip of that view."""
    definition = load_exercise(exercise)
    views = {rule.id: rule.views for rule in (*definition.form, *definition.rep_checks)}
    return tuple(f for f in SCRIPTS[exercise].faults if not views.get(f) or view in views[f])


def load_truth(path: str | Path) -> dict:
    path = Path(path)
    try:
        truth = json.loads(path.read_text())
    except (OSError, ValueError) as exc:
        raise SourceError(f"cannot read truth file '{path}': {exc}") from exc
    missing = [k for k in ("exercise", "view", "fps", "reps", "rep_list", "keypoints", "visible") if k not in truth]
    if missing:
        raise SourceError(f"truth file '{path}' lacks {', '.join(missing)}; re-render it with 'fitness render'")
    return truth


def is_workout_truth(truth: dict) -> bool:
    """A truth of a whole workout or of movement that is not an exercise (`fitness render workout|walking|...`)."""
    return "sets" in truth


@dataclass(frozen=True)
class WorkoutResult:
    """One workout (or non-exercise) clip run in auto mode and scored; score None when the run failed."""

    name: str
    activity: str
    score: WorkoutScore | None = None
    error: str | None = None

    def to_dict(self) -> dict:
        return {"kind": "workout", "name": self.name, "activity": self.activity, "error": self.error,
                **(self.score.to_dict() if self.score is not None else {})}


def find_clips(folder: str | Path) -> list[tuple[Path, Path]]:
    """(video, truth) pairs in a folder: every NAME.mp4 with a NAME.truth.json beside it."""
    folder = Path(folder)
    if not folder.is_dir():
        raise SourceError(f"'{folder}' is not a folder; expected a folder of NAME.mp4 + NAME.truth.json files")
    pairs = [(v, v.with_name(v.stem + ".truth.json")) for v in sorted(folder.glob("*.mp4"))]
    pairs = [(v, t) for v, t in pairs if t.is_file()]
    if not pairs:
        raise SourceError(f"no NAME.mp4 with a NAME.truth.json in '{folder}'; make some with 'fitness render'")
    return pairs


def poses_to_arrays(poses: Sequence[object | None], frames: int) -> np.ndarray:
    """(frames, 17, 2) predicted pixels from a list of Pose | None (missing frames and keypoints are NaN)."""
    out = np.full((frames, 17, 2), np.nan)
    for i, pose in enumerate(poses[:frames]):
        if pose is not None:
            out[i] = np.asarray(pose.xy, float)  # type: ignore[attr-defined]
    return out


def score_clip(name: str, truth: dict, summary: object | None, pred_xy: np.ndarray | None) -> ClipResult:
    """Scores one clip: `summary` is a WorkoutSummary (or None for keypoints only), `pred_xy` (frames, 17, 2)."""
    exercise, variant = truth["exercise"], truth.get("variant") or ""
    hits, counted = ZERO17.copy(), ZERO17.copy()
    if pred_xy is not None:
        true_xy = np.asarray(truth["keypoints"], float)
        n = min(len(true_xy), len(pred_xy))
        hits, counted = pck_hits(pred_xy[:n], true_xy[:n], np.asarray(truth["visible"], bool)[:n])
    if summary is None:
        return ClipResult(name, exercise, truth["view"], truth["reps"], pck_hits=hits, pck_counted=counted,
                          variant=variant)
    scored = SCRIPTS[exercise].faults if exercise in SCRIPTS else ()
    rep_list = truth["rep_list"]
    true_faults = [r["faults"] for r in rep_list]
    details = list(summary.rep_details)  # type: ignore[attr-defined]
    if "hold_s" in truth:
        # A hold has no reps: its one scripted hold is judged by the faults the whole session flagged.
        pred_faults: list = [tuple(summary.issues)]  # type: ignore[attr-defined]
        matches = {0: 0} if true_faults else {}
        rep_matches: dict[int, int] = {}  # no truth rep for a predicted rep to match
    else:
        fps = float(truth["fps"])
        true_spans = [(r["start_frame"] / fps, r["end_frame"] / fps) for r in rep_list]
        pred_faults = [d.issues for d in details]
        matches = rep_matches = match_reps(true_spans, [(d.start_t, d.end_t) for d in details])
    tally = fault_tally(true_faults, pred_faults, matches, scored)
    partial = [i for i, r in enumerate(rep_list) if r["partial"]]
    flagged = sum(1 for i in partial if i in matches and not details[matches[i]].counted)
    ghosts = phantoms([r["partial"] for r in rep_list], [d.counted for d in details], rep_matches)
    return ClipResult(name, exercise, truth["view"], truth["reps"], int(summary.reps), tally,  # type: ignore[attr-defined]
                      partials=len(partial), partials_flagged=flagged, pck_hits=hits, pck_counted=counted,
                      variant=variant, tempo=_tempo(rep_list, details, rep_matches),
                      phantom_no_reps=ghosts.no_reps, phantom_reps=ghosts.reps)


def _tempo(rep_list: list[dict], details: list, matches: dict[int, int]) -> tuple[TempoError, ...]:
    """Timing errors of the truth full reps (with tempo times) matched to a counted predicted rep, in truth order."""
    out = []
    for i, rep in enumerate(rep_list):
        if rep["partial"] or i not in matches or not all(k in rep for k in TEMPO_KEYS):
            continue
        pred = details[matches[i]]
        if pred.counted:
            times = tuple(float(rep[k]) for k in TEMPO_KEYS)
            out.append(tempo_error(times, pred.start_t, pred.end_t, list(pred.phases.values())))  # type: ignore[arg-type]
    return tuple(out)


def probe_pck(video: str | Path, truth: dict, probe, stride: int = 1) -> tuple[np.ndarray, np.ndarray]:
    """(hits, counted) per keypoint of a MoveNet probe (full-frame, no tracking) on every `stride`-th frame."""
    cap = cv2.VideoCapture(str(video))
    if not cap.isOpened():
        raise SourceError(f"cannot open video '{video}'")
    true_xy = np.asarray(truth["keypoints"], float)
    vis = np.asarray(truth["visible"], bool)
    hits, counted = ZERO17.copy(), ZERO17.copy()
    i = 0
    try:
        while i < len(true_xy):
            ok, img = cap.read()
            if not ok:
                break
            if i % stride == 0:
                xy, _ = probe.estimate(img)
                h, c = pck_hits(xy[None], true_xy[i: i + 1], vis[i: i + 1])
                hits, counted = hits + h, counted + c
            i += 1
    finally:
        cap.release()
    return hits, counted


def evaluate_folder(
    folder: str | Path,
    model: str = "lightning",
    *,
    keypoints_only: bool = False,
    smoothing: str = "offline",
    progress: Callable[[int, int, str], None] | None = None,
    analyze: Callable[..., VideoResult] = analyze_video,
) -> list[ClipResult]:
    """Runs every clip of `folder` through the pipeline (`analyze`, or only the MoveNet probe) and scores it."""
    pairs = find_clips(folder)
    truths = [load_truth(t) for _, t in pairs]  # a broken truth file stops us before any slow work
    kept = [(p, t) for p, t in zip(pairs, truths) if not is_workout_truth(t)]  # workouts: `evaluate_workouts`
    pairs, truths = [p for p, _ in kept], [t for _, t in kept]
    probe = MoveNetProbe(model if model.endswith(".tflite") else model_path(model)) if keypoints_only else None
    results = []
    for k, ((video, _), truth) in enumerate(zip(pairs, truths)):
        if progress:
            progress(k, len(pairs), video.name)
        try:
            if probe is not None:
                h, c = probe_pck(video, truth, probe)
                results.append(ClipResult(video.name, truth["exercise"], truth["view"], truth["reps"],
                                          pck_hits=h, pck_counted=c, variant=truth.get("variant") or ""))
            else:
                res = analyze(str(video), truth["exercise"], model=model, smoothing=smoothing)
                pred = poses_to_arrays(res.poses, int(truth["frames"]))
                results.append(score_clip(video.name, truth, res.summary, pred))
        except Exception as exc:  # one broken clip must not hide the others' numbers
            results.append(
                ClipResult(
                    video.name, truth["exercise"], truth["view"], truth["reps"], error=f"{type(exc).__name__}: {exc}",
                    variant=truth.get("variant") or "",
                )
            )
    if progress:
        progress(len(pairs), len(pairs), "")
    return results


def evaluate_workouts(
    folder: str | Path,
    model: str = "lightning",
    *,
    smoothing: str = "offline",
    progress: Callable[[int, int, str], None] | None = None,
    analyze: Callable[..., VideoResult] = analyze_video,
    only: str | None = None,
) -> list[WorkoutResult]:
    """Runs every workout and non-exercise clip of `folder` (only those whose names contain `only`, if given) in
    auto mode (the exercise recognised, not named) and scores its sets against the truth
    (`fitness.synth.workout_score`)."""
    pairs = [(v, t) for v, t in find_clips(folder) if only is None or only in v.name]
    truths = [load_truth(t) for _, t in pairs]
    kept = [(v, t) for (v, _), t in zip(pairs, truths) if is_workout_truth(t)]
    results = []
    for k, (video, truth) in enumerate(kept):
        if progress:
            progress(k, len(kept), video.name)
        activity = truth.get("activity") or "workout"
        try:
            res = analyze(str(video), AUTO_EXERCISE, model=model, smoothing=smoothing)
            results.append(WorkoutResult(video.name, activity, score_workout(res.summary.to_dict(), truth)))
        except Exception as exc:  # one broken clip must not hide the others' numbers
            results.append(WorkoutResult(video.name, activity, error=f"{type(exc).__name__}: {exc}"))
    if progress and kept:
        progress(len(kept), len(kept), "")
    return results

"""Several people on rendered group clips (`fitness render EXERCISE --people N [--cross] [--passer]`): MultiPose
runs once per clip (its detections cached), then each tracker gives ids and the per-person engines count.

Per clip and tracker: id swaps in the truth-matched tracks (a truth person whose matched id changes, or one id
on two people), ids per person, a passer-by given an id, and whether every person's count is exact.

    python benchmarks/eval_people.py DIR [--cache DIR] [--trackers people,iou,norfair] [--refine]
"""

from __future__ import annotations

import argparse
import json
import pickle
import sys
from collections.abc import Iterator
from pathlib import Path

import numpy as np

from fitness.capture.source import BaseSource
from fitness.exercise import load_exercise
from fitness.pipeline import run_session
from fitness.pose.estimator import MIN_MULTIPOSE_SCORE
from fitness.pose.people_tracker import PeopleTracker
from fitness.pose.tracking import IoUTracker, pose_box
from fitness.pose.types import Pose
from fitness.run.config import SessionConfig
from fitness.run.stages import create_stages

# A detection whose hips are further than this (share of the person's height) from a person's is not them.
MATCH_HIP_GAP = 0.15
# Added to the pairing cost per share of a person hidden (a tie goes to the one in view).
HIDDEN_PENALTY = 0.05


def detections(video: Path, cache: Path, refine: bool = False) -> list[list[Pose]]:
    """MultiPose's people in every frame (ids dropped: each tracker gives its own), cached as a pickle beside the
    other clips' ones. refine: as `fitness run --people` sees them, small people refined by Lightning crops."""
    cache.mkdir(parents=True, exist_ok=True)
    path = cache / f"{video.stem}.multipose{'-refined' if refine else ''}.pkl"
    if path.exists():
        return pickle.loads(path.read_bytes())
    from fitness.capture import FrameTransform, VideoSource
    from fitness.pose.estimator import create_estimator

    est = create_estimator("multipose", people=refine)
    if not refine:
        est.tracker = _NoTracker()
    out = [[p.replace(track_id=None) for p in est.estimate_all(frame)]
           for frame in VideoSource(str(video), FrameTransform(False, 0))]
    path.write_bytes(pickle.dumps(out))
    return out


class _NoTracker:
    def update(self, poses, t):
        return list(poses)

    def reset(self) -> None:
        pass


class Blank(BaseSource):
    """Tiny frames at the clip's rate: the engines need only the times (the poses are replayed)."""

    def __init__(self, n: int, fps: float) -> None:
        super().__init__()
        self.n, self.fps, self.label = n, fps, "replay"

    def _frames(self) -> Iterator[tuple[np.ndarray, float, int]]:
        for i in range(self.n):
            yield np.zeros((8, 8, 3), np.uint8), i / self.fps, i


class Replay:
    """The cached detections, tracked by `tracker`, as the session's estimator; keeps what it gave out."""

    name = "movenet-multipose/replayed"

    def __init__(self, frames: list[list[Pose]], tracker) -> None:
        self.frames, self.tracker, self.i, self.given = frames, tracker, 0, []

    def estimate_all(self, frame) -> list[Pose]:
        poses = self.frames[self.i] if self.i < len(self.frames) else []
        self.i += 1
        out = self.tracker.update([p.replace(t=frame.t) for p in poses], frame.t)
        self.given.append(out)
        return out

    def estimate(self, frame):
        raise AssertionError("a --people session asks for everyone")

    def reset(self) -> None:
        pass


class NorfairIds:
    """norfair-enough as a drop-in tracker (keypoints, re-identification by size and place); ids from 1."""

    def __init__(self) -> None:
        import logging

        from norfair import Tracker

        logging.getLogger("norfair").setLevel(logging.ERROR)

        def reid(new, old) -> float:
            a, b = new.last_detection.points, old.last_detection.points
            ha, hb = np.ptp(a[:, 1]), np.ptp(b[:, 1])
            return abs(np.log(max(ha, 1) / max(hb, 1))) + abs(a[:, 0].mean() - b[:, 0].mean()) / max(ha, hb, 1)

        self.tracker = Tracker(distance_function="mean_euclidean", distance_threshold=150, hit_counter_max=30,
                               initialization_delay=2, reid_distance_function=reid, reid_distance_threshold=0.5,
                               reid_hit_counter_max=180)
        self.frame = 0

    def update(self, poses, t):
        from norfair import Detection

        heights = [pose_box(p)[3] - pose_box(p)[1] for p in poses]
        keep = [k for k, h in enumerate(heights) if h >= 0.55 * max(heights, default=0)]
        dets = [Detection(np.nan_to_num(poses[k].xy), scores=poses[k].score, data=(self.frame, k)) for k in keep]
        ids: dict[int, int] = {}
        for o in self.tracker.update(dets):
            if o.last_detection is not None and o.last_detection.data[0] == self.frame:
                ids[o.last_detection.data[1]] = o.id
        self.frame += 1
        return [p.replace(track_id=ids.get(k)) for k, p in enumerate(poses)]


# "people" as `fitness run --people` makes it: weak poses (kept in the refined detections) continue known people only.
TRACKERS = {"people": lambda: PeopleTracker(MIN_MULTIPOSE_SCORE), "iou": IoUTracker, "norfair": NorfairIds}


def _hips(pose: Pose) -> np.ndarray:
    return np.nanmean(pose.xy[[11, 12]], axis=0)


def _gap(pose: Pose, person: dict, i: int) -> float:
    """Median distance of the pose's keypoints from the person's true ones in view (hips when none are),
    over their height."""
    height = person["boxes"][i][3] - person["boxes"][i][1]
    if "keypoints" in person and "visible" in person:
        kp, vis = np.asarray(person["keypoints"][i], float), np.asarray(person["visible"][i], bool)
        if vis.any():
            return float(np.nanmedian(np.hypot(*(pose.xy[vis] - kp[vis]).T))) / height
    return float(np.hypot(*(_hips(pose) - np.asarray(person["hips"][i])))) / height


def truth_matches(truth: dict, given: list[list[Pose]]) -> tuple[dict[int, dict[int, int]], int, int]:
    """Per truth person, the ids their detections got (id -> frames); id swaps; frames a passer-by had an id.
    Each frame, detections are paired with the people in view by their keypoints (one assignment; a pair further
    apart than MATCH_HIP_GAP of the person's height is no pair), so two overlapping boxes are told apart."""
    from scipy.optimize import linear_sum_assignment

    people = truth["people"]
    passers = truth.get("passers", [])
    got: dict[int, dict[int, int]] = {p["id"]: {} for p in people}
    last: dict[int, int] = {}
    swaps = passer_frames = 0
    for i, poses in enumerate(given):
        tracked = [p for p in poses if p.track_id is not None]
        shown = [p for p in people if p["shown"][i] > 0.5] + [q for q in passers if q["boxes"][i] is not None]
        if not tracked or not shown:
            continue
        # Two people's hips can be a few pixels apart while one hides the other: the median distance of all the
        # keypoints in view tells them apart, and a tie goes to the one in view.
        cost = np.array([[_gap(d, p, i) + HIDDEN_PENALTY * (1.0 - p.get("shown", [1.0] * (i + 1))[i]) for p in shown]
                         for d in tracked])
        cost = np.where(np.isfinite(cost), cost, 1e6)
        for r, c in zip(*linear_sum_assignment(cost)):
            if cost[r, c] > MATCH_HIP_GAP:
                continue
            who, tid = shown[c], tracked[r].track_id
            if who in passers:
                passer_frames += 1
                continue
            got[who["id"]][tid] = got[who["id"]].get(tid, 0) + 1
            if who["id"] in last and last[who["id"]] != tid:
                swaps += 1
            last[who["id"]] = tid
    owners: dict[int, int] = {}
    for ids in got.values():
        for tid in ids:
            owners[tid] = owners.get(tid, 0) + 1
    return got, swaps + sum(n - 1 for n in owners.values()), passer_frames


def evaluate(video: Path, cache: Path, tracker_name: str, refine: bool = False) -> dict:
    truth = json.loads(video.with_suffix(".truth.json").read_text())
    frames = detections(video, cache, refine)
    replay = Replay(frames, TRACKERS[tracker_name]())
    config = SessionConfig(exercise=truth["exercise"], source="video", path=str(video), model="multipose",
                           window=False, no_history=True, people="all")
    stages = create_stages(config, load_exercise(truth["exercise"]), "replay", estimator=replay)
    result = run_session(config, None, stages=stages, source_factory=lambda: Blank(len(frames), truth["fps"]))
    got, swaps, passer_frames = truth_matches(truth, replay.given)
    counted = {p.id: p.summary.reps for p in result.people}
    exact = []
    for p in truth["people"]:
        main = max(got[p["id"]], key=got[p["id"]].get) if got[p["id"]] else None
        exact.append(main is not None and counted.get(main) == p["reps"])
    return {"clip": video.stem, "tracker": tracker_name, "swaps": swaps,
            "ids": [len(got[p["id"]]) for p in truth["people"]], "passer_frames": passer_frames,
            "truth": [p["reps"] for p in truth["people"]], "counted": [p.summary.reps for p in result.people],
            "exact": all(exact), "extra_people": len(result.people) - len(truth["people"])}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path)
    parser.add_argument("--cache", type=Path, default=None, help="where MultiPose's detections are kept")
    parser.add_argument("--trackers", default="people,iou")
    parser.add_argument("--refine", action="store_true", help="small people refined by Lightning crops, as --people")
    args = parser.parse_args()
    cache = args.cache or args.folder / ".multipose"
    clips = sorted(v for v in args.folder.glob("*.mp4") if v.with_suffix(".truth.json").exists())
    names = args.trackers.split(",")
    print(f"{'clip':32} {'tracker':8} {'swaps':>5} {'ids':>9} {'passer':>6}  truth -> counted")
    totals = {n: [0, 0, 0] for n in names}
    for video in clips:
        if "people" not in json.loads(video.with_suffix(".truth.json").read_text()):
            continue
        for name in names:
            r = evaluate(video, cache, name, args.refine)
            t = totals[name]
            t[0] += 1
            t[1] += r["exact"]
            t[2] += r["swaps"] == 0
            print(f"{r['clip']:32} {name:8} {r['swaps']:5d} {'/'.join(map(str, r['ids'])):>9} {r['passer_frames']:6d}"
                  f"  {r['truth']} -> {r['counted']}{'' if r['exact'] else '  MISS'}", flush=True)
    for name, (n, exact, clean) in totals.items():
        print(f"{name}: every person counted exactly on {exact}/{n} clips, no id swap on {clean}/{n}")


if __name__ == "__main__":
    sys.exit(main())

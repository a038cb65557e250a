"""MultiPose alone vs MultiPose + a Lightning crop per person, on rendered group clips: keypoint accuracy
against the truth (PCK: share of the visible keypoints within PCK_SHARE of the person's height) and time per frame.

Each frame MultiPose finds the people (PeopleTracker gives the ids); the crop variant then runs Lightning on a
square crop around each person, placed from that person's previous Lightning pose (MoveNet's crop tracking,
fitness.pose.crop.next_crop), from their MultiPose pose when there is none.

    python benchmarks/eval_people_crops.py DIR [--frames 300]
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

import numpy as np

from fitness.capture import FrameTransform, VideoSource
from fitness.pose.crop import Crop, next_crop
from fitness.pose.estimator import create_estimator
from fitness.pose.people_tracker import PeopleTracker
from fitness.pose.preprocess import crop_to_input
from fitness.pose.types import Pose

# A keypoint within this share of the person's height of the truth is right.
PCK_SHARE = 0.05
# A pose whose hips are further than this share of a person's height from theirs is not them.
MATCH_HIP_GAP = 0.15


def _hips(xy: np.ndarray) -> np.ndarray:
    return np.nanmean(np.asarray(xy, float)[[11, 12]], axis=0)


def pck(poses: list[Pose], truth: dict, i: int) -> tuple[int, int]:
    """(right, visible) keypoints of the people in view at frame i, each matched to the nearest pose by hips."""
    right = total = 0
    for p in truth["people"]:
        if p["shown"][i] < 0.5:
            continue
        height = p["boxes"][i][3] - p["boxes"][i][1]
        kp = np.asarray(p["keypoints"][i], float)
        vis = np.asarray(p["visible"][i], bool)
        total += int(vis.sum())
        near = [q for q in poses if np.hypot(*(_hips(q.xy) - np.asarray(p["hips"][i]))) < MATCH_HIP_GAP * height]
        if not near:
            continue
        q = min(near, key=lambda q: np.hypot(*(_hips(q.xy) - np.asarray(p["hips"][i]))))
        err = np.hypot(*(q.xy - kp).T)
        right += int(((err < PCK_SHARE * height) & vis).sum())
    return right, total


def evaluate(video: Path, frames: int, multipose, lightning) -> dict:
    truth = json.loads(video.with_suffix(".truth.json").read_text())
    tracker = PeopleTracker()
    multipose.tracker = tracker
    last: dict[int, Pose] = {}
    score = {"multipose": [0, 0], "crops": [0, 0]}
    spent = {"multipose": 0.0, "crops": 0.0}
    people = 0
    for i, frame in enumerate(VideoSource(str(video), FrameTransform(False, 0))):
        if i >= frames:
            break
        t0 = time.perf_counter()
        found = multipose.estimate_all(frame)
        t1 = time.perf_counter()
        size = (frame.image.shape[1], frame.image.shape[0])
        cropped = []
        for pose in found:
            guide = last.get(pose.track_id, pose) if pose.track_id is not None else pose
            crop = next_crop(guide.xy, guide.score, size)
            if crop == Crop.full_frame(size):
                crop = next_crop(pose.xy, pose.score, size)
            raw = lightning.runner.run(crop_to_input(frame.image, crop, lightning.runner.input_size))
            refined = Pose.from_movenet(raw.reshape(-1, 3)[:17], crop, size, frame.t).replace(track_id=pose.track_id)
            cropped.append(refined)
            if pose.track_id is not None:
                last[pose.track_id] = refined
        t2 = time.perf_counter()
        spent["multipose"] += t1 - t0
        spent["crops"] += t2 - t1
        people += len(found)
        for name, poses in (("multipose", found), ("crops", cropped)):
            r, n = pck(poses, truth, i)
            score[name][0] += r
            score[name][1] += n
    n = min(frames, truth["frames"])
    return {"clip": video.stem, "people": people / n,
            "pck_multipose": score["multipose"][0] / max(score["multipose"][1], 1),
            "pck_crops": score["crops"][0] / max(score["crops"][1], 1),
            "ms_multipose": 1000 * spent["multipose"] / n, "ms_crops": 1000 * spent["crops"] / n}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path)
    parser.add_argument("--frames", type=int, default=300)
    args = parser.parse_args()
    multipose = create_estimator("multipose", people=True)
    lightning = create_estimator("lightning")
    clips = sorted(v for v in args.folder.glob("*.mp4") if v.with_suffix(".truth.json").exists())
    print(f"{'clip':32} {'people':>6} {'PCK multipose':>13} {'PCK +crops':>10} {'ms multipose':>12} {'ms crops':>8}")
    for video in clips:
        if "people" not in json.loads(video.with_suffix(".truth.json").read_text()):
            continue
        r = evaluate(video, args.frames, multipose, lightning)
        print(f"{r['clip']:32} {r['people']:6.1f} {r['pck_multipose']:13.3f} {r['pck_crops']:10.3f} "
              f"{r['ms_multipose']:12.1f} {r['ms_crops']:8.1f}", flush=True)


if __name__ == "__main__":
    main()

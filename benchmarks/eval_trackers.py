"""Person trackers on scenes of several people (tests/pose/crowd.py): crossings, an occlusion, stepping out
and back, a passer-by. Per tracker and scene: id switches, ids per person, frames without an id, frames a
passer-by got an id, and the time per frame. The libraries are measured when installed (norfair-enough,
supervision's ByteTrack); they are not dependencies of fitness.

    python benchmarks/eval_trackers.py [--seeds 3]
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

from pose.crowd import FPS, Scene, scenes, score  # noqa: E402

from fitness.pose.people_tracker import BACKGROUND_SIZE_FRACTION, PeopleTracker  # noqa: E402
from fitness.pose.tracking import IoUTracker, pose_box  # noqa: E402


class Ours:
    name = "people_tracker"

    def __init__(self, tracker) -> None:
        self.tracker = tracker

    def run(self, scene: Scene) -> list[list[int | None]]:
        return [[p.track_id for p in self.tracker.update(poses, t)] for t, poses in scene.frames]


def foreground(poses: list) -> list[int]:
    """The detections at least BACKGROUND_SIZE_FRACTION of the tallest box (the libraries' own trackers have no
    such filter; the same one as PeopleTracker's, on box heights, so that passers-by are compared fairly)."""
    heights = [pose_box(p)[3] - pose_box(p)[1] for p in poses]
    top = max(heights, default=0.0)
    return [k for k, h in enumerate(heights) if h >= BACKGROUND_SIZE_FRACTION * top]


class Norfair:
    """norfair-enough: keypoints as points, Kalman filter per point, re-identification by box size and place."""

    name = "norfair-enough"

    def run(self, scene: Scene) -> list[list[int | None]]:
        import logging

        from norfair import Detection, Tracker

        logging.getLogger("norfair").setLevel(logging.ERROR)  # its advice to vectorise a scalar distance

        def reid(new, old) -> float:  # box height ratio and centre gap, relative to height
            a, b = new.last_detection.points, old.last_detection.points
            ha, hb = np.ptp(a[:, 1]), np.ptp(b[:, 1])
            return abs(np.log(max(ha, 1) / max(hb, 1))) + abs(a[:, 0].mean() - b[:, 0].mean()) / max(ha, hb, 1)

        tracker = Tracker(distance_function="mean_euclidean", distance_threshold=120, hit_counter_max=int(FPS),
                          initialization_delay=2, reid_distance_function=reid, reid_distance_threshold=0.5,
                          reid_hit_counter_max=int(6 * FPS))
        out = []
        for i, (_, poses) in enumerate(scene.frames):
            dets = [Detection(np.nan_to_num(poses[k].xy), scores=poses[k].score, data=(i, k))
                    for k in foreground(poses)]
            objs = tracker.update(dets)
            got: list[int | None] = [None] * len(poses)
            for o in objs:  # the object's last detection is a copy: its data says which frame and detection
                if o.last_detection is not None and o.last_detection.data[0] == i:
                    got[o.last_detection.data[1]] = o.id
            out.append(got)
        return out


class ByteTrack:
    """supervision's ByteTrack on the people's boxes."""

    name = "supervision ByteTrack"

    def run(self, scene: Scene) -> list[list[int | None]]:
        import supervision as sv

        tracker = sv.ByteTrack(frame_rate=int(FPS), lost_track_buffer=int(6 * FPS))
        out = []
        for _, poses in scene.frames:
            keep = foreground(poses)
            if not keep:
                tracker.update_with_detections(sv.Detections.empty())
                out.append([None] * len(poses))
                continue
            boxes = np.array([pose_box(poses[k]) for k in keep], dtype=np.float32)
            dets = sv.Detections(xyxy=boxes, confidence=np.full(len(keep), 0.9, np.float32),
                                 class_id=np.zeros(len(keep), int), data={"k": np.array(keep)})
            res = tracker.update_with_detections(dets)
            got: list[int | None] = [None] * len(poses)
            for k, tid in zip(res.data.get("k", []), res.tracker_id):
                got[int(k)] = int(tid)
            out.append(got)
        return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=3)
    args = parser.parse_args()
    trackers = [lambda: Ours(PeopleTracker()), lambda: IoU()]
    for lib, factory in (("norfair", Norfair), ("supervision", ByteTrack)):
        try:
            __import__(lib)
            trackers.append(factory)
        except ImportError:
            print(f"({lib} not installed: not measured)")
    all_scenes = [(f"{name}#{s}", sc) for s in range(args.seeds) for name, sc in scenes(100 + s).items()]
    print(f"{'tracker':24} {'scene':22} {'switches':>8} {'ids/person':>10} {'no id':>6} {'passer':>6}")
    for make in trackers:
        clean = total_frames = 0
        spent = 0.0
        for label, sc in all_scenes:
            tracker = make()
            t0 = time.perf_counter()
            labelled = tracker.run(sc)
            spent += time.perf_counter() - t0
            total_frames += len(sc.frames)
            r = score(sc, labelled)
            clean += r.clean
            per = "/".join(str(len(v)) for v in r.ids.values())
            print(f"{tracker.name:24} {label:22} {r.switches:8d} {per:>10} {r.unlabelled:6d} {r.passer_by_frames:6d}")
        print(f"{tracker.name:24} clean scenes {clean}/{len(all_scenes)}, {1000 * spent / total_frames:.2f} ms/frame\n")


class IoU(Ours):
    name = "iou (before)"

    def __init__(self) -> None:
        super().__init__(IoUTracker())


if __name__ == "__main__":
    main()

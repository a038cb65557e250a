"""Exercise engine speed: microseconds per `ExerciseMachine.update` for every shipped exercise, as a table; then
the workout engine's (`WorkoutMachine.update`: one shadow machine per rep exercise of the library, the body-motion
evidence and the shipped classifier) on a squat set, in CPU time (medians of interleaved repeats): as it runs
(shadows of exercises the classifier rules out skip frames, fitness/workout/schedule.py) and with every shadow run
on every frame.

Run: python benchmarks/bench_engine.py  (uses the synthetic athlete's keypoint tracks of tests/exercise; no model).
Budget: < 300 us per frame for one exercise (the engine must stay a small fraction of a 33 ms frame); the workout
engine with every shadow running costs about the sum of its shadow machines.
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from exercise.tracks import hold_track, track  # noqa: E402

from fitness.exercise import ExerciseMachine, load_exercise  # noqa: E402
from fitness.workout.engine import WorkoutMachine  # noqa: E402
from fitness.workout.library import load_workout  # noqa: E402

VIEWS = {"squats": "side", "push_ups": "side", "bicep_curls": "side", "lunges": "side", "jumping_jacks": "front",
         "shoulder_press": "front", "sit_ups": "side", "glute_bridges": "side", "lateral_raises": "front"}


REPEATS = 5  # interleaved runs of each workout engine (the median counts)


def bench(name: str, frames) -> tuple[float, float]:
    d = load_exercise(name)
    best = float("inf")
    for _ in range(3):
        m = ExerciseMachine(d)
        start = time.perf_counter()
        for pose, t in frames:
            m.update(pose, t)
        best = min(best, time.perf_counter() - start)
    t0 = time.perf_counter()
    for _ in range(20):
        load_exercise(name)
    return best / len(frames) * 1e6, (time.perf_counter() - t0) / 20 * 1e3


def main() -> None:
    print(f"{'exercise':16} {'frames':>7} {'us/update':>10} {'load ms':>8}")
    for name, view in VIEWS.items():
        frames = track(name, 10, view)
        us, load_ms = bench(name, frames)
        print(f"{name:16} {len(frames):7d} {us:10.1f} {load_ms:8.1f}")
    frames = [(p, t) for p, t in hold_track(30.0)]
    us, load_ms = bench("plank", frames)
    print(f"{'plank':16} {len(frames):7d} {us:10.1f} {load_ms:8.1f}")
    workout = load_workout()
    frames = track("squats", 10, "side")
    cpu_s: dict[type, list[float]] = {WorkoutMachine: [], EveryShadowEveryFrame: []}
    for _ in range(REPEATS):
        for kind, seconds in cpu_s.items():
            m = kind(workout)
            start = time.process_time()
            for pose, t in frames:
                m.update(pose, t)
            seconds.append(time.process_time() - start)
    shadows = len(m.shadows)
    for name, kind in (("workout", WorkoutMachine), ("  every shadow", EveryShadowEveryFrame)):
        us = statistics.median(cpu_s[kind]) / len(frames) * 1e6
        print(f"{name:16} {len(frames):7d} {us:10.1f}   ({shadows} shadow machines; CPU time)")


class EveryShadowEveryFrame(WorkoutMachine):
    """The workout engine as it was: every shadow runs on every frame."""

    def _skips(self, shadow, t) -> bool:
        return False

    def _hold_skips(self, hold) -> bool:
        return False


if __name__ == "__main__":
    main()

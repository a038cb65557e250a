"""Local worker processes: every job's outcome comes back, a crashed worker costs only its video."""

from __future__ import annotations

import os

from batch_stand_ins import work_or_crash

from fitness.batch.local import LocalPool
from fitness.batch.worker import AnalyzeOptions, Job, Outcome


def test_a_crashed_worker_records_an_error_for_its_video_and_the_rest_go_on():
    jobs = [Job(name, "squats") for name in ("a.mp4", "crash.mp4", "b.mp4", "c.mp4", "d.mp4")]
    outcomes = []
    LocalPool(2, AnalyzeOptions(), work=work_or_crash, preload=()).run(jobs, outcomes.append, lambda: False)
    by_video = {o.video: o for o in outcomes}
    assert sorted(by_video) == sorted(j.video for j in jobs) and len(outcomes) == len(jobs)
    assert by_video["crash.mp4"].error == "the worker analysing this video crashed (exit code 3)"
    assert all(by_video[v].error is None for v in ("a.mp4", "b.mp4", "c.mp4", "d.mp4"))
    # One process per worker, each kept for the videos after its first (the model loads once per worker).
    assert len({o.frames for o in outcomes if o.error is None}) <= 3
    assert os.getpid() not in {o.frames for o in outcomes}


def test_a_stop_returns_without_waiting_for_the_remaining_videos():
    jobs = [Job(f"v{i}.mp4", "squats") for i in range(6)]
    outcomes: list[Outcome] = []
    pool = LocalPool(1, AnalyzeOptions(), work=work_or_crash, preload=())
    pool.run(jobs, outcomes.append, lambda: len(outcomes) >= 2)
    assert [o.video for o in outcomes] == ["v0.mp4", "v1.mp4"]

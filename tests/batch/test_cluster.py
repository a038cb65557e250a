"""Ray tasks on the session's local Ray: a task whose worker process dies costs only its video."""

from __future__ import annotations

import pytest
from batch_stand_ins import work_or_crash

from fitness.batch.cluster import RayPool
from fitness.batch.worker import AnalyzeOptions, Job

pytestmark = pytest.mark.slow  # starts Ray (several seconds)


def test_a_crashed_ray_worker_records_an_error_for_its_video_and_the_rest_go_on(ray_cluster):
    jobs = [Job(name, "squats") for name in ("a.mp4", "crash.mp4", "b.mp4", "c.mp4")]
    outcomes = []
    pool = RayPool(None, 2, AnalyzeOptions(), work=work_or_crash)
    pool.connect()
    pool.run(jobs, outcomes.append, lambda: False)
    by_video = {o.video: o for o in outcomes}
    assert sorted(by_video) == sorted(j.video for j in jobs) and len(outcomes) == len(jobs)
    assert by_video["crash.mp4"].error.startswith("the Ray task analysing this video failed: ")
    assert all(by_video[v].error is None for v in ("a.mp4", "b.mp4", "c.mp4"))

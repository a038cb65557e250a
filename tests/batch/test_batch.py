"""A whole batch with stand-in workers (no model): what results.jsonl, summary.csv and results.parquet hold,
resuming, --force / --retry-failed, a stop by SIGTERM, --db and the names of annotated videos."""

from __future__ import annotations

import csv
import json
import os
import signal
from pathlib import Path

import pytest
from batch_stand_ins import StandInPool, fake_summary

from fitness.batch.batch import BatchConfig, run_batch
from fitness.batch.progress import PlainBatchProgress
from fitness.batch.worker import Job


@pytest.fixture
def clips(tmp_path):
    folder = tmp_path / "clips"
    folder.mkdir()
    for name, size in (("a.mp4", 2), ("b.mp4", 3), ("broken.mp4", 1)):
        (folder / name).write_bytes(b"x" * size)
    return folder


def _batch(clips, pool, **options):
    config = BatchConfig(inputs=(str(clips),), out_dir=clips.parent / "out", exercise="squats", **options)
    return run_batch(config, PlainBatchProgress(open(os.devnull, "w")), pool=pool)


def _lines(clips):
    return [json.loads(line) for line in (clips.parent / "out" / "results.jsonl").read_text().splitlines()]


def test_each_video_is_one_line_with_the_run_summary_or_its_error(clips):
    report = _batch(clips, StandInPool())
    lines = {Path(r["video"]).name: r for r in _lines(clips)}
    assert sorted(lines) == ["a.mp4", "b.mp4", "broken.mp4"]
    b = lines["b.mp4"]
    expected = fake_summary(Job(str(clips / "b.mp4"), "squats")).to_dict()
    assert {k: b[k] for k in expected} == expected  # the very summary `fitness run --json` writes
    assert b["video"] == str(clips / "b.mp4") and b["exercise"] == "squats" and b["reps"] == 3
    assert lines["broken.mp4"]["error"] == "cannot read video: damaged"
    assert report.failures == ((str(clips / "broken.mp4"), "cannot read video: damaged"),)
    with open(clips.parent / "out" / "summary.csv") as f:
        rows = {Path(r["video"]).name: r for r in csv.DictReader(f)}
    assert rows["b.mp4"]["reps"] == "3" and rows["b.mp4"]["issues"] == "chest_up=2" and rows["b.mp4"]["status"] == "ok"
    assert rows["broken.mp4"]["status"] == "failed" and rows["broken.mp4"]["error"] == "cannot read video: damaged"


def test_a_rerun_skips_finished_videos_until_one_changes_or_force(clips):
    _batch(clips, StandInPool())
    again = StandInPool()
    report = _batch(clips, again)
    assert again.ran == [] and report.skipped == 3 and report.analysed == 0
    assert len(report.failures) == 1  # the earlier failure still counts for the exit code

    (clips / "a.mp4").write_bytes(b"x" * 5)  # a new version of a.mp4
    changed = StandInPool()
    _batch(clips, changed)
    assert changed.ran == ["a.mp4"]

    retried = StandInPool()
    _batch(clips, retried, retry_failed=True)
    assert retried.ran == ["broken.mp4"]

    forced = StandInPool()
    _batch(clips, forced, force=True)
    assert sorted(forced.ran) == ["a.mp4", "b.mp4", "broken.mp4"]
    lines = _lines(clips)
    assert sorted(Path(r["video"]).name for r in lines) == ["a.mp4", "b.mp4", "broken.mp4"]  # one line each
    assert {Path(r["video"]).name: r.get("reps") for r in lines}["a.mp4"] == 5


def test_sigterm_stops_the_batch_with_every_finished_video_saved(clips):
    before = signal.getsignal(signal.SIGTERM)
    report = _batch(clips, StandInPool(stop_after=1))
    assert report.stopped_by == "SIGTERM" and report.analysed == 1
    assert [Path(r["video"]).name for r in _lines(clips)] == ["a.mp4"]
    assert signal.getsignal(signal.SIGTERM) is before  # the handler of before the batch is back
    rest = StandInPool()
    _batch(clips, rest)
    assert rest.ran == ["b.mp4", "broken.mp4"]


def test_parquet_has_a_row_per_video_with_its_reps(clips):
    pq = pytest.importorskip("pyarrow.parquet")
    report = _batch(clips, StandInPool(), parquet=True)
    table = pq.read_table(report.tables[-1]).to_pylist()
    rows = {Path(r["video"]).name: r for r in table}
    assert [rep["index"] for rep in rows["b.mp4"]["rep_details"]] == [1, 2, 3]
    assert rows["b.mp4"]["rep_details"][1]["issues"] == ["chest_up"]
    assert rows["broken.mp4"]["error"] == "cannot read video: damaged" and rows["broken.mp4"]["rep_details"] == []
    assert json.loads(rows["a.mp4"]["summary_json"])["reps"] == 2


def test_db_puts_every_analysed_video_in_the_history(clips, tmp_path):
    from fitness.session.store import HistoryStore

    db = tmp_path / "h.sqlite3"
    (clips / "more").mkdir()
    (clips / "more" / "a.mp4").write_bytes(b"xx")  # the same name and summary as a.mp4, started the same second
    _batch(clips, StandInPool(), db=str(db))
    ids = {r["video"]: r.get("id") for r in _lines(clips)}
    with HistoryStore.open(db) as store:
        assert store.get(ids[str(clips / "b.mp4")]).reps == 3
        assert store.get(ids[str(clips / "a.mp4")]).reps == store.get(ids[str(clips / "more" / "a.mp4")]).reps == 2
        assert store.count_sessions() == 3


def test_annotated_videos_get_their_input_name_or_a_hash_when_two_inputs_share_it(tmp_path):
    from fitness.batch.batch import annotated_paths
    from fitness.batch.inputs import VideoInput

    videos = [VideoInput(str(tmp_path / d / name), "squats") for d, name in (("x", "a.mp4"), ("y", "a.mov"),
                                                                             ("x", "b.mp4"))]
    paths = annotated_paths(videos, tmp_path / "out")
    names = [Path(paths[v]).name for v in videos]
    assert names[2] == "b.mp4" and len(set(names)) == 3
    assert all(n.startswith("a-") and n.endswith(".mp4") for n in names[:2])
    assert {Path(p).parent for p in paths.values()} == {tmp_path / "out" / "videos"}

"""results.jsonl: whole lines only, one per video after compacting, and keys that notice a changed file."""

from __future__ import annotations

import json
import os

from hypothesis import given
from hypothesis import strategies as st

from fitness.batch.results import ResultsLog, ResumeKey, latest_records


def _record(video: str, exercise: str = "squats", **extra):
    return {"video": video, "exercise": exercise, "key": ResumeKey(video, 1, 2, exercise).to_dict(), **extra}


def test_appended_lines_are_read_back_in_order(tmp_path):
    log = ResultsLog(tmp_path)
    for name in ("a", "b"):
        log.append(_record(name, reps=1))
    log.close()
    assert [r["video"] for r in ResultsLog(tmp_path).load()] == ["a", "b"]


def test_a_torn_last_line_is_dropped_and_the_file_repaired_before_the_next_append(tmp_path):
    log = ResultsLog(tmp_path)
    log.append(_record("a"))
    log.close()
    with open(log.path, "a") as f:
        f.write('{"video": "b", "exer')  # killed in the middle of a write
    again = ResultsLog(tmp_path)
    records = again.load()
    assert [r["video"] for r in records] == ["a"] and again.needs_compact
    again.compact(records)
    again.append(_record("c"))
    again.close()
    assert [json.loads(line)["video"] for line in log.path.read_text().splitlines()] == ["a", "c"]


def test_the_key_changes_when_the_file_does(tmp_path):
    clip = tmp_path / "a.mp4"
    clip.write_bytes(b"12345")
    first = ResumeKey.of(str(clip), "squats")
    assert ResumeKey.of(str(clip), "squats") == first
    assert ResumeKey.of(str(clip), "lunges") != first
    os.utime(clip, ns=(first.mtime_ns, first.mtime_ns + 1_000_000_000))
    assert ResumeKey.of(str(clip), "squats") != first
    assert ResumeKey.of(str(tmp_path / "gone.mp4"), "squats") == ResumeKey(str(tmp_path / "gone.mp4"), None, None,
                                                                           "squats")


@given(st.lists(st.tuples(st.sampled_from("abc"), st.integers(0, 9)), max_size=12))
def test_latest_records_keeps_the_last_line_of_each_video(lines):
    records = [_record(video, reps=reps) for video, reps in lines]
    latest = latest_records(records)
    expected = {video: reps for video, reps in lines}
    assert {r["video"]: r["reps"] for r in latest} == expected
    assert len(latest) == len(expected)

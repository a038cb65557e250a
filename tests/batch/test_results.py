"""results.jsonl: whole lines only, one per video after compacting, and keys that notice a changed file."""

from __future__ import annotations

import json
import os

from hypothesis import given
from hypothesis import strategies as st

from fitness.batch.results import _TORN, Done, ResultsLog, ResumeKey, last_lines


def _record(video: str, exercise: str = "squats", size: int = 1, **extra):
    return {"video": video, "exercise": exercise, "key": ResumeKey(video, size, 2, exercise).to_dict(), **extra}


def _videos(log):
    return [r["video"] for r in log.records()]


def test_added_lines_are_read_back_in_order_with_what_each_video_ended_with(tmp_path):
    log = ResultsLog(tmp_path)
    log.add(_record("a", reps=1))
    log.add(_record("b", error="cannot read video"))
    log.close()
    again = ResultsLog(tmp_path)
    assert again.load() == {("a", "squats"): Done(ResumeKey("a", 1, 2, "squats"), None),
                            ("b", "squats"): Done(ResumeKey("b", 1, 2, "squats"), "cannot read video")}
    assert _videos(again) == ["a", "b"] and not again.needs_compact


def test_a_torn_last_line_is_dropped_by_compacting_before_the_next_append(tmp_path):
    log = ResultsLog(tmp_path)
    log.add(_record("a"))
    log.close()
    with open(log.path, "a") as f:
        f.write('{"video": "b", "exer')  # killed in the middle of a write
    again = ResultsLog(tmp_path)
    assert list(again.load()) == [("a", "squats")] and again.needs_compact
    again.compact()
    again.add(_record("c"))
    again.close()
    assert [json.loads(line)["video"] for line in log.path.read_text().splitlines()] == ["a", "c"]


def test_compacting_keeps_the_last_line_of_each_video_even_of_an_older_version(tmp_path):
    log = ResultsLog(tmp_path)
    for record in (_record("a", reps=1), _record("b"), _record("a", size=5, reps=2)):
        log.add(record)
    assert log.needs_compact
    log.compact()
    assert [(r["video"], r.get("reps")) for r in log.records()] == [("b", None), ("a", 2)]


def test_the_key_changes_when_the_file_does(tmp_path):
    clip = tmp_path / "a.mp4"
    clip.write_bytes(b"12345")
    first = ResumeKey.of(str(clip), "squats")
    assert ResumeKey.of(str(clip), "squats") == first
    assert ResumeKey.of(str(clip), "lunges") != first
    os.utime(clip, ns=(first.mtime_ns, first.mtime_ns + 1_000_000_000))
    assert ResumeKey.of(str(clip), "squats") != first
    gone = str(tmp_path / "gone.mp4")
    assert ResumeKey.of(gone, "squats") == ResumeKey(gone, None, None, "squats")


@given(st.lists(st.one_of(st.sampled_from("abc"), st.none(), st.just(_TORN)), max_size=12))
def test_last_lines_keeps_the_last_line_of_each_video_and_lines_naming_none(videos):
    keep = last_lines(videos)
    for i, video in enumerate(videos):
        later = video in videos[i + 1:]
        assert (i in keep) == (video is None or (video is not _TORN and not later))

"""Which videos a batch takes: files, folders searched recursively (never the output folder) and manifests."""

from __future__ import annotations

import pytest

from fitness.batch.inputs import VideoInput, expand_inputs
from fitness.errors import UsageError


def _touch(path):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"x")
    return path


def test_folders_are_searched_recursively_for_videos_but_not_the_output_folder(tmp_path):
    a = _touch(tmp_path / "clips" / "a.mp4")
    b = _touch(tmp_path / "clips" / "deep" / "b.MOV")
    _touch(tmp_path / "clips" / "notes.txt")
    _touch(tmp_path / "clips" / "out" / "videos" / "a.mp4")  # an annotated video of an earlier run
    got = expand_inputs([str(tmp_path / "clips")], "squats", tmp_path / "clips" / "out")
    assert got == [VideoInput(str(a), "squats"), VideoInput(str(b), "squats")]


def test_a_manifest_gives_paths_relative_to_itself_and_an_exercise_per_row(tmp_path):
    _touch(tmp_path / "m" / "a.mp4")
    _touch(tmp_path / "b.mp4")
    manifest = tmp_path / "m" / "list.csv"
    manifest.write_text(f"video,exercise\na.mp4,push_ups\n{tmp_path / 'b.mp4'},\n\n")
    got = expand_inputs([str(manifest)], "squats", tmp_path / "out")
    assert got == [VideoInput(str(tmp_path / "m" / "a.mp4"), "push_ups"), VideoInput(str(tmp_path / "b.mp4"), "squats")]


def test_a_video_named_twice_is_analysed_once(tmp_path):
    a = str(_touch(tmp_path / "a.mp4"))
    assert expand_inputs([a, a], "squats", tmp_path / "out") == [VideoInput(a, "squats")]


@pytest.mark.parametrize(("exercise", "content", "message"), [
    (None, None, "no exercise for"),
    ("auto", None, "--exercise auto (recognising the exercise from the video) is not available yet"),
    ("squats", "path,exercise\na.mp4,squats\n", "has no 'video' column"),
])
def test_inputs_that_cannot_be_analysed_are_one_usage_error(tmp_path, exercise, content, message):
    _touch(tmp_path / "a.mp4")
    item = tmp_path / "a.mp4"
    if content is not None:
        item = tmp_path / "list.csv"
        item.write_text(content)
    with pytest.raises(UsageError, match=message.replace("(", r"\(").replace(")", r"\)")):
        expand_inputs([str(item)], exercise, tmp_path / "out")


def test_a_missing_input_is_a_usage_error(tmp_path):
    with pytest.raises(UsageError, match="does not exist"):
        expand_inputs([str(tmp_path / "nope")], "squats", tmp_path / "out")

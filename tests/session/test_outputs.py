"""Session outputs: refused when they would destroy an input or cannot be written; written atomically with
normal permissions."""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

import pytest
from session_factories import sample_summary

from fitness import paths
from fitness.errors import HistoryError, UsageError
from fitness.session.export import write_json, write_text
from fitness.session.outputs import Protected, check_outputs, is_inside, same_file, session_inputs


def inputs(tmp_path: Path, **changes) -> list[Protected]:
    values = dict(source="video", input_path=str(tmp_path / "clip.mp4"), exercise="squats", model="lightning", db=None)
    values.update(changes)
    return session_inputs(**values)


@pytest.fixture
def clip(tmp_path) -> Path:
    path = tmp_path / "clip.mp4"
    path.write_bytes(b"the user's only recording")
    return path


def refused(outputs: dict, protected, match: str) -> str:
    with pytest.raises(UsageError, match=match) as info:
        check_outputs(outputs, protected)
    message = str(info.value)
    assert "\n" not in message
    return message


def test_an_output_that_is_the_input_video_is_refused_however_it_is_spelt(tmp_path, clip, monkeypatch):
    monkeypatch.chdir(tmp_path)
    link = tmp_path / "link.mp4"
    link.symlink_to(clip)
    hard = tmp_path / "hard.mp4"
    os.link(clip, hard)
    (tmp_path / "sub").mkdir()
    for spelling in ("clip.mp4", "./clip.mp4", str(clip), "sub/../clip.mp4", str(link), str(hard)):
        for option in ("--json", "--save-video"):
            refused({option: spelling}, inputs(tmp_path, input_path="clip.mp4"), "is the input video")
    check_outputs({"--json": "clip.json", "--save-video": "clip.avi"}, inputs(tmp_path))  # beside it is fine


def test_an_output_that_is_the_history_database_is_refused(tmp_path):
    default = paths.history_db()  # under this test's FITNESS_HOME
    default.parent.mkdir(parents=True, exist_ok=True)
    mine = tmp_path / "mine.sqlite3"
    refused({"--json": str(default)}, inputs(tmp_path), "is the history database")
    refused({"--json": str(mine)}, inputs(tmp_path, db=str(mine)), "is the history database")
    refused({"--save-video": f"{mine}-wal"}, inputs(tmp_path, db=str(mine)), "is a file of the history database")
    refused({"--json": str(default)}, inputs(tmp_path, db=str(mine)), "is the history database")  # both count


def test_an_output_inside_the_model_cache_or_a_model_folder_is_refused(tmp_path, monkeypatch):
    monkeypatch.setenv("FITNESS_CACHE", str(tmp_path / "cache"))
    models = paths.models_dir() / "lightning"
    models.mkdir(parents=True)
    refused({"--json": str(models / "manifest.json")}, inputs(tmp_path), "is inside the model cache")
    refused({"--json": str(paths.models_dir() / "new.json")}, inputs(tmp_path), "is inside the model cache")
    local = tmp_path / "my_model"
    local.mkdir()
    refused({"--json": str(local / "x.json")}, inputs(tmp_path, model=str(local)), "is inside the model")


def test_an_output_inside_the_image_folder_or_onto_the_exercise_file_is_refused(tmp_path):
    frames = tmp_path / "frames"
    frames.mkdir()
    refused({"--json": str(frames / "out.json")}, inputs(tmp_path, source="images", input_path=str(frames)),
            "is inside the input image folder")
    exercise = tmp_path / "mine.yaml"
    exercise.write_text("name: mine\n")
    refused({"--json": str(exercise)}, inputs(tmp_path, exercise=str(exercise)), "is the exercise file")


def test_json_and_video_on_the_same_file_are_refused(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    refused({"--json": "out.mp4", "--save-video": "./out.mp4"}, inputs(tmp_path), "name the same file")


def test_outputs_that_cannot_be_written_are_refused_up_front(tmp_path):
    (tmp_path / "folder").mkdir()
    refused({"--json": str(tmp_path / "folder")}, [], "is a folder")
    refused({"--json": str(tmp_path / "no" / "out.json")}, [], "does not exist")
    (tmp_path / "file").write_text("x")
    refused({"--json": str(tmp_path / "file" / "out.json")}, [], "is not a folder")
    refused({"--json": "/dev/null"}, [], "not a regular file")
    refused({"--json": " "}, [], "needs a file name")


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root may write anywhere")
def test_an_output_in_a_read_only_folder_is_refused_up_front(tmp_path):
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o500)
    try:
        refused({"--json": str(locked / "out.json")}, [], "permission denied")
    finally:
        locked.chmod(0o700)


def test_same_file_and_is_inside():
    assert same_file("a/../b", "b") and not same_file("a", "b")
    assert is_inside("/x/y/z.json", "/x") and is_inside("/x", "/x") and not is_inside("/xy/z", "/x")


# --- the atomic writer ---


@pytest.fixture
def summary():
    return sample_summary()


def test_json_is_written_whole_with_normal_permissions(tmp_path, summary):
    old = os.umask(0o022)
    try:
        target = write_json(summary, tmp_path / "s.json")
    finally:
        os.umask(old)
    assert json.loads(target.read_text())["reps"] == summary.reps
    assert stat.S_IMODE(target.stat().st_mode) == 0o644
    assert os.listdir(tmp_path) == ["s.json"]


def test_a_failed_write_keeps_the_old_file_and_leaves_no_temp_file(tmp_path):
    target = tmp_path / "s.json"
    target.write_text('{"old": true}\n')
    with pytest.raises(UnicodeEncodeError):
        write_text("half \ud800 written", target)  # fails while writing
    assert target.read_text() == '{"old": true}\n'
    assert os.listdir(tmp_path) == ["s.json"]
    with pytest.raises(HistoryError, match="cannot write"):
        write_text("{}", tmp_path / "nope" / "s.json")


def test_writing_through_a_symlink_keeps_the_link(tmp_path, summary):
    real = tmp_path / "real.json"
    real.write_text("{}")
    link = tmp_path / "link.json"
    link.symlink_to(real)
    write_json(summary, link)
    assert link.is_symlink() and json.loads(real.read_text())["reps"] == summary.reps

"""`fitness analyze` on the command line, with stand-in workers: exit codes and the failed videos' error lines."""

from __future__ import annotations

import pytest
from batch_stand_ins import StandInPool

from fitness import cli


@pytest.fixture
def clips(tmp_path):
    folder = tmp_path / "clips"
    folder.mkdir()
    for name, size in (("a.mp4", 2), ("broken.mp4", 1)):
        (folder / name).write_bytes(b"x" * size)
    return folder


def test_fitness_analyze_exit_codes_and_error_lines(clips, monkeypatch, capsys):
    monkeypatch.setattr("fitness.batch.batch.make_pool", lambda config, workers: StandInPool())
    argv = ["analyze", str(clips), "--out", str(clips.parent / "out"), "--exercise", "squats"]
    assert cli.app(argv) == 1
    err = capsys.readouterr().err.splitlines()
    assert err == [f"fitness: error: {clips / 'broken.mp4'}: cannot read video: damaged"]
    (clips / "broken.mp4").unlink()
    assert cli.app([*argv[:2], str(clips / "a.mp4"), *argv[2:]]) == 0
    assert cli.app([*argv[:-1], "auto"]) == 2
    assert "--exercise auto" in capsys.readouterr().err

"""`fitness run --people` and `--names`: bad values are one-line usage errors (exit 2) before anything loads."""

from __future__ import annotations

import pytest

from fitness import cli


@pytest.mark.parametrize(("extra", "message"), [
    (["--people", "seven"], "--people must be all or a number from 1 to 6, got 'seven'"),
    (["--people", "0"], "--people must be all or a number from 1 to 6, got '0'"),
    (["--names", "Ann,Ben"], "--names needs --people (all, or how many people to count)"),
    (["--people", "all", "--names", "Ann,,Ben"], "--names expects names separated by commas (e.g. --names Ann,Ben), "
                                                 "got 'Ann,,Ben'"),
    (["--people", "all", "--names", "Ann,Ann"], "--names has a name twice: 'Ann,Ann'"),
    (["--people", "1", "--names", "Ann,Ben"], "--names gives 2 names for --people 1"),
    (["--people", "all", "--model", "thunder"], "--people finds people with the multipose model; leave out --model "
                                                "or pass --model multipose"),
])
def test_bad_people_options_are_one_line_usage_errors(tmp_path, capsys, extra, message):
    video = tmp_path / "in.mp4"
    video.write_bytes(b"")
    code = cli.app(["run", "squats", "--video", str(video), "--no-window", *extra])
    err = capsys.readouterr().err
    assert code == 2
    assert err.strip() == f"fitness: error: {message}"

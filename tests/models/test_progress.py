"""Fetch progress reporting: the silent reporter keeps notes; the rich one prints steps and notes on stderr."""

from __future__ import annotations

import pytest

from fitness.models.progress import RichReporter, SilentReporter, make_reporter


def test_make_reporter_picks_by_flag_or_passes_a_reporter_through():
    assert isinstance(make_reporter(False), SilentReporter)
    assert isinstance(make_reporter(True), RichReporter)
    mine = SilentReporter()
    assert make_reporter(mine) is mine


def test_rich_reporter_shows_steps_failures_and_notes_on_stderr(capsys):
    reporter = RichReporter()
    with reporter.step("convert [lightning]"):
        pass
    with pytest.raises(RuntimeError), reporter.step("download thunder"):
        raise RuntimeError("offline")
    reporter.note("TF Hub: thunder: [offline]")
    captured = capsys.readouterr()
    assert captured.out == ""
    assert "convert [lightning]" in captured.err
    assert "download thunder (failed)" in captured.err
    assert "TF Hub: thunder: [offline]" in captured.err  # printed literally, not as rich markup

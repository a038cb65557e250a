"""SessionConfig: which pause ends a set, by the kind of session."""

from __future__ import annotations

import pytest

from fitness.errors import UsageError
from fitness.run.config import SessionConfig
from fitness.session.recorder import DEFAULT_SET_PAUSE_S, WORKOUT_SET_PAUSE_S


def config(**kw) -> SessionConfig:
    return SessionConfig(**{"exercise": "squats", "source": "video", "path": "x.mp4", **kw})


@pytest.mark.parametrize(("kw", "pause_s"), [
    ({}, DEFAULT_SET_PAUSE_S),
    ({"exercise": "auto"}, WORKOUT_SET_PAUSE_S),
    ({"exercise": ""}, WORKOUT_SET_PAUSE_S),
    ({"plan": "legs"}, WORKOUT_SET_PAUSE_S),
    ({"exercise": "auto", "set_pause_s": 12.0}, 12.0),
    ({"set_pause_s": 3.0}, 3.0),
])
def test_a_workout_ends_sets_at_shorter_rests_unless_told(kw, pause_s):
    assert config(**kw).set_pause == pause_s


def test_a_workout_pause_is_shorter_than_one_exercises():
    assert WORKOUT_SET_PAUSE_S < DEFAULT_SET_PAUSE_S


@pytest.mark.parametrize("bad", [0.0, -1.0])
def test_a_pause_must_be_positive(bad):
    with pytest.raises(UsageError, match="--set-pause-s"):
        config(set_pause_s=bad)

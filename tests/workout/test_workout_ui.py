"""The workout's status in the UIs: the exercise counted (or recognising / not an exercise it knows), the set and
a rest timer counting up between sets, in the dashboard, the overlay and the browser's live state."""

from __future__ import annotations

from feedback.ui_fixtures import make_snapshot
from rich.console import Console

from fitness.feedback.canvas import Text
from fitness.feedback.dashboard import Dashboard
from fitness.feedback.overlay import overlay_items
from fitness.feedback.wording import rest_words, workout_words
from fitness.web.state import live_state
from fitness.workout.engine import COUNTING, RECOGNISING, RESTING, UNKNOWN, WorkoutStatus

RESTING_AFTER_SQUATS = WorkoutStatus(RESTING, rest_s=65.4)


def test_the_words_for_each_state():
    assert workout_words(WorkoutStatus(COUNTING, "squats", "Bodyweight squat")) == "Bodyweight squat"
    assert workout_words(WorkoutStatus(RECOGNISING)) == "recognising..."
    assert workout_words(WorkoutStatus(RECOGNISING, guess="push_ups")) == "recognising... push ups?"
    assert workout_words(WorkoutStatus(UNKNOWN)) == "moving, but not an exercise I know"
    assert rest_words(65.4) == "rest 1:05" and rest_words(None) is None


def _dashboard_text(snapshot) -> str:
    console = Console(width=120, record=True)
    view = Dashboard()
    view.update(snapshot)
    console.print(view)
    return console.export_text()


def test_the_dashboard_shows_the_exercise_the_set_and_the_rest_timer():
    text = _dashboard_text(make_snapshot(set_index=2, workout=WorkoutStatus(UNKNOWN, rest_s=65.4)))
    assert "moving, but not an exercise I know" in text and "2  rest 1:05" in text
    assert "exercise" not in _dashboard_text(make_snapshot())  # a session of one exercise shows no workout row


def test_the_overlay_shows_the_set_with_the_rest_timer_and_the_status():
    texts = [i.text for i in overlay_items(make_snapshot(set_index=3, workout=RESTING_AFTER_SQUATS), 640, 480)
             if isinstance(i, Text)]
    assert "set 3  rest 1:05  no-reps 1" in texts and "resting" in texts


def test_the_live_state_has_the_rest_time_and_what_the_workout_does():
    state = live_state(make_snapshot(set_index=2, workout=WorkoutStatus(RECOGNISING, rest_s=12.0)))
    assert state["title"] == "recognising..." and state["rest_s"] == 12.0 and state["workout"] == RECOGNISING
    plain = live_state(make_snapshot())
    assert plain["title"] == "Bodyweight squat" and plain["rest_s"] == 0.0 and plain["workout"] is None

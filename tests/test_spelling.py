"""Did-you-mean suggestions rank by edit distance: a typo finds the word it is one slip away from."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from fitness.exercise.expr import FUNCTIONS, keypoint_names
from fitness.exercise.loader import TOP_KEYS
from fitness.spelling import closest, did_you_mean, edit_distance

EXERCISES = ("bicep_curls", "glute_bridges", "jumping_jacks", "lateral_raises", "lunges", "plank", "push_ups",
             "shoulder_press", "sit_ups", "squats")


@pytest.mark.parametrize(
    "word,choices,expected",
    [
        ("angel", FUNCTIONS, "angle"),  # a swap: difflib ranked 'range' first
        ("incline", FUNCTIONS, "incline"),
        ("distnace", FUNCTIONS, "distance"),
        ("mena", FUNCTIONS, "mean"),
        ("squads", EXERCISES, "squats"),
        ("Squat", EXERCISES, "squats"),
        ("pushups", EXERCISES, "push_ups"),
        ("lunge", EXERCISES, "lunges"),
        ("ankel", keypoint_names(), "ankle"),
        ("sholder", keypoint_names(), "shoulder"),
        ("veiws", TOP_KEYS, "views"),
        ("rep_check", TOP_KEYS, "rep_checks"),
        ("dept_pct", ("stand_pct", "depth_pct", "partial_pct", "depth_deg"), "depth_pct"),
    ],
)
def test_typos_find_the_intended_word(word, choices, expected):
    assert closest(word, choices) == expected
    assert did_you_mean(word, choices) == f"did you mean '{expected}'?"


@pytest.mark.parametrize("word,choices", [("xyz", FUNCTIONS), ("jump", EXERCISES), ("a", ("b", "c")), ("", ("x",))])
def test_nothing_close_enough_gives_no_suggestion(word, choices):
    assert closest(word, choices) is None and did_you_mean(word, choices) is None


def test_ties_prefer_the_longer_shared_start_then_the_first_choice():
    assert closest("knee_dep", ("knee_deg", "knee_dev")) == "knee_deg"
    assert closest("sit_upz", ("sit_ups", "sit_upx")) == "sit_ups"
    assert closest("ab", ("abc", "abd")) == "abc"


def test_edit_distance_counts_each_kind_of_slip_once():
    assert edit_distance("angle", "angle") == 0
    assert edit_distance("angel", "angle") == 1  # swap
    assert edit_distance("angle", "angles") == 1  # insertion
    assert edit_distance("angle", "ange") == 1  # deletion
    assert edit_distance("angle", "ankle") == 1  # substitution
    assert edit_distance("", "abc") == 3
    assert edit_distance("kitten", "sitting") == 3


words = st.text(alphabet="abcde_", max_size=10)


@given(words, words)
def test_edit_distance_is_symmetric_and_bounded_by_the_lengths(a, b):
    d = edit_distance(a, b)
    assert d == edit_distance(b, a)
    assert abs(len(a) - len(b)) <= d <= max(len(a), len(b))
    assert (d == 0) == (a == b)


@given(words.filter(lambda w: len(w) >= 2), st.data())
def test_one_slip_is_distance_one(word, data):
    i = data.draw(st.integers(0, len(word) - 1))
    ch = data.draw(st.sampled_from("xyz"))
    assert edit_distance(word, word[:i] + ch + word[i:]) == 1
    assert edit_distance(word, word[:i] + word[i + 1:]) == 1
    if i + 1 < len(word) and word[i] != word[i + 1]:
        assert edit_distance(word, word[:i] + word[i + 1] + word[i] + word[i + 2:]) == 1

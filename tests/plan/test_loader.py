"""Plan files: the shipped plans load; every mistake is one line with file:line:col, the field and a hint."""

from __future__ import annotations

import textwrap

import pytest

from fitness.errors import DefinitionError
from fitness.plan import find_plan, list_plans, load_plan, parse_plan
from fitness.plan.loader import DEFAULT_REST_S, builtin_plans_dir
from fitness.plan.model import KG_PER_LB, Load

GOOD = """\
name: mine
title: My plan
rest_s: 45
blocks:
  - exercise: squats
    sets: 3
    reps: 10
    level: beginner
    set: {depth_pct: 80}
    weight: 12 kg
  - exercise: plank
    sets: 2
    hold_s: 30
    rest_s: 20
"""


def _error(text: str, **kwargs) -> str:
    with pytest.raises(DefinitionError) as info:
        parse_plan(textwrap.dedent(text), file="p.yaml", **kwargs)
    return str(info.value)


def test_a_plan_reads_into_blocks():
    plan = parse_plan(GOOD, file="p.yaml")
    assert (plan.name, plan.title, plan.total_sets) == ("mine", "My plan", 5)
    squats, plank = plan.blocks
    assert (squats.exercise, squats.sets, squats.reps, squats.hold_s, squats.rest_s) == ("squats", 3, 10, None, 45.0)
    assert squats.level == "beginner" and dict(squats.overrides) == {"depth_pct": 80.0}
    assert squats.load == Load(12.0, "kg") and not squats.is_hold
    assert (plank.hold_s, plank.reps, plank.rest_s, plank.load, plank.is_hold) == (30.0, None, 20.0, None, True)


def test_defaults_one_set_the_default_rest_and_the_name_from_the_file(tmp_path):
    path = tmp_path / "quick.yaml"
    path.write_text("blocks:\n  - {exercise: lunges, reps: 8}\n")
    plan = load_plan(path)
    assert plan.name == "quick" and plan.title == "Quick"
    assert (plan.blocks[0].sets, plan.blocks[0].rest_s) == (1, DEFAULT_REST_S)


def test_pounds_convert_to_kilograms_for_volume():
    plan = parse_plan("blocks:\n  - {exercise: bicep_curls, reps: 8, weight: 20 lb}\n")
    assert plan.blocks[0].load == Load(20.0, "lb")
    assert plan.blocks[0].load.kg == pytest.approx(20 * KG_PER_LB)
    assert str(plan.blocks[0].load) == "20 lb"


def test_the_shipped_plans_load_and_are_found_by_name():
    infos, problems = list_plans()
    assert problems == []
    assert {i.name for i in infos} >= {"beginner_full_body", "upper_body", "legs"}
    for info in infos:
        assert info.builtin and find_plan(info.name) == info.path
        assert load_plan(info.name).blocks


def test_a_users_plan_hides_a_shipped_one_of_the_same_name(_isolated_home):
    folder = _isolated_home / "plans"
    folder.mkdir()
    (folder / "legs.yaml").write_text("title: My legs\nblocks:\n  - {exercise: squats, reps: 5}\n")
    assert load_plan("legs").title == "My legs"
    assert (builtin_plans_dir() / "legs.yaml").is_file()


def test_an_exercise_file_is_found_beside_the_plan(tmp_path, repo_root):
    (tmp_path / "my_squat.yaml").write_text((repo_root / "exercises" / "squats.yaml").read_text()
                                            .replace("name: squats", "name: my_squat"))
    plan_file = tmp_path / "p.yaml"
    plan_file.write_text("blocks:\n  - {exercise: my_squat.yaml, reps: 5}\n")
    block = load_plan(plan_file).blocks[0]
    assert (block.exercise, block.source) == ("my_squat", "my_squat.yaml")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("blocks:\n  - {exercise: squats, reps: 10}\nblokcs: []\n",
         "p.yaml:3:1: blokcs: unknown key 'blokcs' (allowed here: name, title, description, rest_s, blocks) — "
         "did you mean 'blocks'?"),
        ("blocks:\n  - exercise: squats\n    reps: 10\n    rest: 30\n",
         "p.yaml:4:5: blocks[0].rest: unknown key 'rest' (allowed here: exercise, sets, reps, hold_s, rest_s, level, "
         "set, weight) — did you mean 'rest_s'? (in seconds)"),
        ("blocks:\n  - exercise: squat\n    reps: 10\n",
         "p.yaml:2:15: blocks[0].exercise: unknown exercise 'squat'; see 'fitness exercises list' — "
         "did you mean 'squats'?"),
        ("blocks:\n  - exercise: squats\n    reps: 0\n",
         "p.yaml:3:11: blocks[0].reps: expected a number between 1 and 200, got 0"),
        ("blocks:\n  - exercise: squats\n    reps: 7.5\n",
         "p.yaml:3:11: blocks[0].reps: expected a whole number, got 7.5"),
        ("blocks:\n  - exercise: squats\n    sets: 30\n    reps: 5\n",
         "p.yaml:3:11: blocks[0].sets: expected a number between 1 and 20, got 30"),
        ("blocks:\n  - exercise: squats\n",
         "p.yaml:2:5: blocks[0].reps: the required key 'reps' is missing"),
        ("blocks:\n  - exercise: plank\n    reps: 10\n",
         "p.yaml:3:11: blocks[0].reps: plank is a hold: give hold_s (seconds per set), not reps"),
        ("blocks:\n  - exercise: squats\n    hold_s: 10\n",
         "p.yaml:3:13: blocks[0].hold_s: squats counts reps: give reps, not hold_s"),
        ("blocks:\n  - exercise: plank\n    hold_s: 900\n",
         "p.yaml:3:13: blocks[0].hold_s: expected a number between 1 and 600, got 900"),
        ("blocks:\n  - exercise: squats\n    reps: 5\n    rest_s: -1\n",
         "p.yaml:4:13: blocks[0].rest_s: expected a number between 0 and 600, got -1"),
        ("blocks:\n  - exercise: squats\n    reps: 5\n    level: beginer\n",
         "p.yaml:4:12: blocks[0].level: unknown level 'beginer' (levels of squats: beginner, pro) — "
         "did you mean 'beginner'?"),
        ("blocks:\n  - exercise: squats\n    reps: 5\n    set: {dept_pct: 80}\n",
         "p.yaml:4:11: blocks[0].set.dept_pct: unknown param 'dept_pct' (params of squats: stand_pct, depth_pct, "
         "partial_pct, chest_lean_deg, knee_track, depth_deg) — did you mean 'depth_pct'?"),
        ("blocks:\n  - exercise: squats\n    reps: 5\n    set: {depth_pct: 20}\n",
         "p.yaml:4:22: blocks[0].set.depth_pct: depth_pct must be between 40 and 100 (default 78)"),
        ("blocks:\n  - exercise: squats\n    reps: 5\n    set: 3\n",
         "p.yaml:4:10: blocks[0].set: expected a mapping of param names to numbers (the number of sets is 'sets'), "
         "got the number 3"),
        ("blocks:\n  - exercise: squats\n    reps: 5\n    weight: 12\n",
         "p.yaml:4:13: blocks[0].weight: give the unit too, e.g. '12 kg' or '12 lb'"),
        ("blocks:\n  - exercise: squats\n    reps: 5\n    weight: 12 lbs\n",
         "p.yaml:4:13: blocks[0].weight: unknown unit 'lbs' (expected kg or lb) — did you mean 'lb'?"),
        ("blocks:\n  - exercise: squats\n    reps: 5\n    weight: 0 kg\n",
         "p.yaml:4:13: blocks[0].weight: expected a weight above 0 and at most 500 kg, got 0 kg (leave weight out "
         "for bodyweight)"),
        ("blocks:\n  - exercise: squats\n    reps: 5\n    weight: heavy\n",
         "p.yaml:4:13: blocks[0].weight: expected a weight like '12 kg' or '25 lb', got the text 'heavy'"),
        ("blocks: []\n", "p.yaml:1:9: blocks: list at least one block (- exercise: squats, sets: 3, reps: 10)"),
        ("blocks: squats\n", "p.yaml:1:9: blocks: expected a list of blocks (- exercise: ...), got the text 'squats'"),
        ("title: x\n", "p.yaml:1:1: blocks: the required key 'blocks' is missing"),
        ("name: My Plan\nblocks:\n  - {exercise: squats, reps: 5}\n",
         "p.yaml:1:7: name: a plan name is lowercase letters, digits and _ (at most 40), got the text 'My Plan'"),
        ("blocks:\n  - exercise: ./missing.yaml\n    reps: 5\n",
         "p.yaml:2:15: blocks[0].exercise: no exercise file at './missing.yaml' (relative paths start at the plan's "
         "folder)"),
        ("blocks:\n  - squats\n", "p.yaml:2:5: blocks[0]: expected a mapping of keys to values, got the text 'squats'"),
        ("blocks:\n  - {exercise: squats, reps: 5\n", "p.yaml:3:1: this is not valid YAML"),
    ],
)
def test_every_mistake_is_one_line_with_its_position_and_a_hint(text, expected):
    assert _error(text).startswith(expected)


def test_a_broken_exercise_file_named_by_a_plan_says_both_places(tmp_path):
    (tmp_path / "bad.yaml").write_text("name: bad\nrep: 3\n")
    plan_file = tmp_path / "p.yaml"
    plan_file.write_text("blocks:\n  - {exercise: bad.yaml, reps: 5}\n")
    with pytest.raises(DefinitionError) as info:
        load_plan(plan_file)
    message = str(info.value)
    assert message.startswith(f"{plan_file}:2:16: blocks[0].exercise: exercise 'bad.yaml' does not load: ")
    assert f"{tmp_path / 'bad.yaml'}:" in message


def test_an_unknown_plan_name_suggests_the_nearest():
    with pytest.raises(DefinitionError, match="unknown plan 'leggs' .*did you mean 'legs'"):
        find_plan("leggs")
    with pytest.raises(DefinitionError, match="no plan file at 'nowhere/x.yaml'"):
        find_plan("nowhere/x.yaml")

"""`fitness plans list | show | validate` through the real CLI entry point."""

from __future__ import annotations

from fitness import cli
from fitness.feedback.plan_words import block_words, exercise_words, next_words, set_target_words
from fitness.plan import load_plan


def test_list_shows_the_shipped_plans(capsys):
    assert cli.app(["plans", "list"]) == 0
    out = capsys.readouterr().out
    for name in ("beginner_full_body", "upper_body", "legs"):
        assert name in out


def test_list_reports_a_broken_user_plan_on_one_line(capsys, _isolated_home):
    (_isolated_home / "plans").mkdir()
    (_isolated_home / "plans" / "mine.yaml").write_text("blocks:\n  - {exercise: squats, reps: 5, sets: 0}\n")
    assert cli.app(["plans", "list"]) == 1
    out, err = capsys.readouterr()
    assert "legs" in out
    assert err.splitlines() == [f"fitness: error: {_isolated_home}/plans/mine.yaml:2:39: blocks[0].sets: expected a "
                                "number between 1 and 20, got 0"]


def test_show_prints_the_blocks(capsys):
    assert cli.app(["plans", "show", "upper_body"]) == 0
    out = capsys.readouterr().out
    for text in ("bicep curls", "shoulder press", "8 kg", "75 s", "12 reps"):
        assert text in out


def test_show_unknown_is_one_line_with_a_suggestion(capsys):
    assert cli.app(["plans", "show", "leggs"]) == 1
    err = capsys.readouterr().err
    assert "did you mean 'legs'?" in err and err.count("\n") == 1


def test_validate_one_line_per_file_and_exit_code(tmp_path, capsys):
    good, bad = tmp_path / "good.yaml", tmp_path / "bad.yaml"
    good.write_text("blocks:\n  - {exercise: squats, reps: 5}\n")
    bad.write_text("blocks:\n  - {exercise: squats, reps: 5, wieght: 10 kg}\n")
    assert cli.app(["plans", "validate", str(good)]) == 0
    assert cli.app(["plans", "validate", str(good), str(bad)]) == 1
    lines = capsys.readouterr().out.splitlines()
    assert lines[-2] == f"{good}: ok"
    assert lines[-1].startswith(f"{bad}:2:33: blocks[0].wieght: unknown key") and "did you mean 'weight'?" in lines[-1]


def test_plan_words():
    plan = load_plan("upper_body")
    assert exercise_words("push_ups") == "push-ups" and exercise_words("glute_bridges") == "glute bridges"
    assert block_words(plan.blocks[0]) == "bicep curls 3 x 12 @ 8 kg"
    assert next_words(plan.blocks[3]) == "next: push-ups x 10" and next_words(None) == "last set"
    plank = load_plan("beginner_full_body").blocks[3]
    assert set_target_words(plank) == "30 s" and block_words(plank) == "plank 2 x 30 s"


def test_workout_check_shows_the_plan_without_a_camera(capsys):
    assert cli.app(["workout", "upper_body", "--check"]) == 0
    out = capsys.readouterr().out
    assert "bicep curls" in out and out.rstrip().endswith("upper_body.yaml: ok")


def test_workout_without_a_source_is_one_line(capsys):
    assert cli.app(["workout", "legs"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "needs --camera N, --video FILE or --images DIR" in err


def test_workout_with_a_bad_plan_says_where_before_any_video_is_opened(tmp_path, capsys):
    plan = tmp_path / "p.yaml"
    plan.write_text("blocks:\n  - {exercise: squats, reps: 5, rest_s: 6000}\n")
    assert cli.app(["workout", str(plan), "--video", str(tmp_path / "missing.mp4")]) == 1
    assert capsys.readouterr().err.startswith(f"fitness: error: {plan}:2:41: blocks[0].rest_s: expected a number")


def test_plan_lines_say_planned_vs_done_and_volume():
    from fitness.commands.workout import plan_lines

    plan = {"name": "legs", "title": "Legs", "blocks": [
        {"index": 0, "exercise": "squats", "planned_sets": 2, "planned_reps": 10, "load_kg": 16.0, "sets": [1, 2],
         "done": [10, 8]},
        {"index": 1, "exercise": "plank", "planned_sets": 1, "planned_hold_s": 30.0, "sets": [], "done": []},
    ], "extra_sets": [3]}
    assert plan_lines(plan) == [
        "Plan Legs: not all done",
        "  1. squats 2 x 10: done 10/8, 288 kg (short)",
        "  2. plank 1 x 30 s: done none (short)",
        "  sets outside the plan: 3",
        "Volume: 288 kg",
    ]


def test_loads_in_pounds_print_to_a_tenth_of_a_kilogram():
    from fitness.commands.workout import plan_lines

    plan = {"name": "p", "blocks": [{"index": 0, "exercise": "squats", "planned_sets": 1, "planned_reps": 6,
                                     "load_kg": 9.0718474, "sets": [1], "done": [5]}]}
    assert plan_lines(plan)[1:] == ["  1. squats 1 x 6: done 5, 45.4 kg (short)", "Volume: 45.4 kg"]

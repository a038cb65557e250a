"""`fitness exercises list | show | validate` through the real CLI entry point."""

from __future__ import annotations

from exercise.test_loader import GOOD

from fitness import cli


def test_list_shows_the_library(capsys):
    assert cli.app(["exercises", "list"]) == 0
    out = capsys.readouterr().out
    assert "squats" in out and "Plank" in out


def test_show_prints_params_metrics_and_rules(capsys):
    assert cli.app(["exercises", "show", "push_ups"]) == 0
    out = capsys.readouterr().out
    for text in ("elbow_deg", "depth_deg", "hip_sag", "hips_high"):
        assert text in out


def test_show_unknown_is_one_line_error(capsys):
    assert cli.app(["exercises", "show", "squat"]) == 1
    err = capsys.readouterr().err
    assert "did you mean 'squats'?" in err and err.count("\n") == 1


def test_validate_one_line_per_file_and_exit_code(tmp_path, capsys, repo_root):
    good = tmp_path / "good.yaml"
    good.write_text(GOOD)
    bad = tmp_path / "bad.yaml"
    bad.write_text(GOOD.replace("views:", "veiws:"))
    assert cli.app(["exercises", "validate", str(good), str(repo_root / "exercises" / "squats.yaml")]) == 0
    assert cli.app(["exercises", "validate", str(good), str(bad)]) == 1
    lines = capsys.readouterr().out.splitlines()
    assert lines[-2] == f"{good}: ok"
    assert lines[-1].startswith(f"{bad}:2:1: veiws: unknown key") and "did you mean 'views'?" in lines[-1]


def test_list_with_an_extra_dir(tmp_path, capsys):
    (tmp_path / "mini.yaml").write_text(GOOD)
    assert cli.app(["exercises", "list", "--exercises-dir", str(tmp_path)]) == 0
    assert "mini" in capsys.readouterr().out


def test_list_reports_each_bad_file_on_one_line_and_still_lists_the_good_ones(tmp_path, capsys):
    (tmp_path / "mini.yaml").write_text(GOOD)
    (tmp_path / "big.yaml").write_text(GOOD.replace("top_deg: 160", "top_deg: " + "9" * 400))
    (tmp_path / "huge.yaml").write_text(GOOD.replace("top_deg: 160", "top_deg: " + "9" * 5000))
    (tmp_path / "broken.yaml").write_text("name: [")
    (tmp_path / "squats.yaml").write_text(GOOD.replace("veiws", "views").replace("views:", "veiws:"))
    assert cli.app(["exercises", "list", "--exercises-dir", str(tmp_path)]) == 1
    out, err = capsys.readouterr()
    assert "mini" in out and "Plank" in out
    assert "Bodyweight squat" not in out  # the broken squats.yaml there is what 'run squats' would load
    lines = err.splitlines()
    assert len(lines) == 4
    for name, problem in (("big", "number too large"), ("huge", "number too large"), ("broken", "not valid YAML"),
                          ("squats", "unknown key 'veiws'")):
        line = next(ln for ln in lines if f"{tmp_path / name}.yaml:" in ln)
        assert line.startswith("fitness: error: ") and problem in line


def test_a_good_exercise_beside_bad_files_still_shows_and_runs(tmp_path, capsys):
    (tmp_path / "mini.yaml").write_text(GOOD)
    (tmp_path / "big.yaml").write_text(GOOD.replace("top_deg: 160", "top_deg: " + "9" * 400))
    assert cli.app(["exercises", "show", "mini", "--exercises-dir", str(tmp_path)]) == 0
    assert "knee_deg" in capsys.readouterr().out
    # run loads the exercise before it opens the source: a missing video is the only complaint
    argv = ["run", "mini", "--video", str(tmp_path / "none.mp4"), "--no-window", "--exercises-dir", str(tmp_path)]
    assert cli.app(argv) == 1
    err = capsys.readouterr().err
    assert "video file not found" in err and "big.yaml" not in err


def test_an_unknown_exercise_reads_as_one_plain_line(capsys):
    assert cli.app(["exercises", "show", "squads"]) == 1
    assert capsys.readouterr().err == (
        "fitness: error: unknown exercise 'squads': did you mean 'squats'? (see 'fitness exercises list')\n"
    )


def test_set_outside_the_range_is_refused_before_the_session(tmp_path, capsys):
    video = str(tmp_path / "none.mp4")
    assert cli.app(["run", "squats", "--video", video, "--no-window", "--set", "depth_pct=-500"]) == 1
    expected = "fitness: error: --set depth_pct=-500: depth_pct must be between 40 and 100 (default 78)\n"
    assert capsys.readouterr().err == expected
    for value in ("1e308", "nan", "inf", "-inf"):
        assert cli.app(["run", "squats", "--video", video, "--no-window", "--set", f"depth_pct={value}"]) == 1
        assert "depth_pct must be" in capsys.readouterr().err


def test_show_prints_file_text_without_control_characters_or_markup(capsys):
    import dataclasses
    import io

    from rich.console import Console

    from fitness.commands.exercises import describe_definition
    from fitness.exercise import parse_exercise

    d = parse_exercise(GOOD, file="x.yaml")
    rule = dataclasses.replace(d.form[0], message="\x1b[2J\x1b[31mKeep [/x] it [bold]up")
    d = dataclasses.replace(d, title="Mini\x1b]0;pwned\x07", description="a\x1b[31m\nb", form=(rule,))
    buffer = io.StringIO()
    console = Console(file=buffer, width=200, force_terminal=False)
    for table in describe_definition(d):
        console.print(table)
    out = buffer.getvalue()
    assert "\x1b" not in out and "\x07" not in out
    assert "Keep [/x] it [bold]up" in out and "Mini]0;pwned" in out


def test_validate_refuses_a_message_with_escape_codes(tmp_path, capsys):
    bad = tmp_path / "bad.yaml"
    bad.write_text(GOOD.replace("message: Not that deep", 'message: "\\e[2J\\e[31mNot that deep"'))
    assert cli.app(["exercises", "validate", str(bad)]) == 1
    out = capsys.readouterr().out
    assert out.startswith(f"{bad}:18:14: the text contains control characters (\\x1b)")
    assert "\x1b" not in out and out.count("\n") == 1

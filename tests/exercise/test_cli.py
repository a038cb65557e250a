"""`fitness exercises list | show | validate` through the real CLI entry point."""

from __future__ import annotations

from fitness import cli

from .test_loader import GOOD


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

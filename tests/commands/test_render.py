"""`fitness render` and `fitness eval` from the command line."""

from __future__ import annotations

import json
import subprocess
import sys

import cv2
import numpy as np
import pytest

from fitness.commands.render import parse_faults, parse_reps, parse_size
from fitness.errors import UsageError


def run_cli(*argv: str, cwd=None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "fitness", *argv], capture_output=True, text=True, timeout=120, cwd=cwd
    )


def test_render_writes_video_and_truth(tmp_path, repo_root):
    out = tmp_path / "sq.mp4"
    res = run_cli("render", "squats", "--reps", "2", "--out", str(out), "--fault", "chest_up:1", "--partial", "2",
                  "--seed", "4", "--size", "320x240", "--fps", "24", cwd=repo_root)
    assert res.returncode == 0, res.stderr
    truth = json.loads((tmp_path / "sq.truth.json").read_text())
    assert truth["reps"] == 1 and truth["no_reps"] == 1 and truth["fps"] == 24
    assert truth["rep_list"][0]["faults"] == ["chest_up"]
    cap = cv2.VideoCapture(str(out))
    ok, frame = cap.read()
    assert ok and frame.shape == (240, 320, 3)


def test_render_a_variant_from_a_camera_height(tmp_path, repo_root):
    out = tmp_path / "curl.mp4"
    res = run_cli("render", "bicep_curls", "--reps", "2", "--variant", "alternating", "--camera-height", "0.4",
                  "--out", str(out), "--size", "128x96", "--fps", "10", cwd=repo_root)
    assert res.returncode == 0, res.stderr
    truth = json.loads((tmp_path / "curl.truth.json").read_text())
    assert truth["variant"] == "alternating" and [r["side"] for r in truth["rep_list"]] == ["left", "right"]
    assert truth["camera_height_m"] == 0.4
    assert "alternating" in res.stderr


@pytest.mark.parametrize(
    "argv,message",
    [
        (("render", "squatz", "--reps", "2"), "expected one of squats"),
        (("render", "squats", "--reps", "2", "--view", "top"), "expected one of side, front, oblique"),
        (("render", "squats", "--reps", "2", "--fault", "nope:1"), "expected one of chest_up, knees_cave"),
        (("render", "squats", "--reps", "2", "--size", "big"), "WIDTHxHEIGHT"),
        (("render", "bicep_curls", "--reps", "2", "--variant", "hop"), "expected one of simultaneous, alternating"),
        (("render", "squats", "--reps", "2", "--camera-height", "3"), "camera height must be between 0.05 and 2.0 m"),
    ],
)
def test_render_errors_are_one_line(tmp_path, repo_root, argv, message):
    res = run_cli(*argv, "--out", str(tmp_path / "x.mp4"), cwd=repo_root)
    assert res.returncode == 2
    assert message in res.stderr and "Traceback" not in res.stderr
    assert len(res.stderr.strip().splitlines()) == 1


@pytest.mark.parametrize(
    "argv,message",
    [
        (("render", "walkin", "--seconds", "5"), "did you mean 'walking'?"),
        (("render", "walking"), "walking needs --seconds"),
        (("render", "squats"), "squats needs --reps"),
        (("render", "walking", "--seconds", "5", "--reps", "3"), "--reps does not apply to walking"),
        (("render", "squats", "--reps", "3", "--seconds", "5"), "--seconds does not apply to squats"),
        (("render", "workout"), "workout needs --sequence"),
        (("render", "workout", "--sequence", "squats:5,pushups:8"), "did you mean 'push_ups'?"),
        (("render", "workout", "--sequence", "squats:5x"), "EXERCISE[/VARIANT][@VIEW]:REPS[xSETS]"),
        (("render", "workout", "--sequence", "squats@top:5"), "not 'top'"),
        (("render", "workout", "--sequence", "squats:5", "--rest-s", "soon"), "--rest-s expects seconds"),
        (("render", "workout", "--sequence", "squats:5", "--view", "side"), "--view does not apply to workout"),
    ],
)
def test_workout_and_activity_errors_are_one_line(tmp_path, repo_root, argv, message):
    res = run_cli(*argv, "--out", str(tmp_path / "x.mp4"), cwd=repo_root)
    assert res.returncode == 2, res.stderr
    assert message in res.stderr and "Traceback" not in res.stderr
    assert len(res.stderr.strip().splitlines()) == 1


def test_render_lists_the_activities_and_workout(repo_root):
    res = run_cli("render", "--help", cwd=repo_root)
    text = " ".join(res.stdout.split())
    assert all(name in text for name in ("standing", "walking", "stretching", "pick_up", "workout", "--sequence"))


def test_render_walking_and_a_workout(tmp_path, repo_root):
    res = run_cli("render", "walking", "--seconds", "3", "--view", "front", "--seed", "3", "--out",
                  str(tmp_path / "walk.mp4"), "--size", "96x96", "--fps", "6", cwd=repo_root)
    assert res.returncode == 0, res.stderr
    truth = json.loads((tmp_path / "walk.truth.json").read_text())
    assert truth["exercise"] is None and truth["activity"] == "walking" and truth["reps"] == 0
    assert truth["view"] == "front" and truth["frames"] == 18
    res = run_cli("render", "workout", "--sequence", "squats@side:1,bicep_curls:1x2", "--rest-s", "2-3", "--out",
                  str(tmp_path / "w.mp4"), "--size", "96x96", "--fps", "5", cwd=repo_root)
    assert res.returncode == 0, res.stderr
    truth = json.loads((tmp_path / "w.truth.json").read_text())
    assert [(s["exercise"], s["reps"]) for s in truth["sets"]] == [("squats", 1), ("bicep_curls", 1),
                                                                    ("bicep_curls", 1)]
    assert truth["views"][0] == "side" and "3 sets, 3 reps" in res.stderr


def test_eval_of_a_folder_without_clips_is_one_line(tmp_path, repo_root):
    res = run_cli("eval", str(tmp_path), cwd=repo_root)
    assert res.returncode == 1 and "no NAME.mp4" in res.stderr


def test_eval_checks_its_json_output_before_evaluating(tmp_path, repo_root):
    res = run_cli("eval", str(tmp_path), "--json", str(tmp_path / "missing" / "out.json"), cwd=repo_root)
    assert res.returncode == 2 and "folder" in res.stderr and "does not exist" in res.stderr
    truth = tmp_path / "a.truth.json"
    truth.write_text("{}")
    res = run_cli("eval", str(tmp_path), "--json", str(truth), cwd=repo_root)
    assert res.returncode == 2 and "is a clip or truth file" in res.stderr  # refused before any clip is read
    assert truth.read_text() == "{}"


def test_option_parsers():
    assert parse_faults("chest_up:2, knees_cave:2,chest_up:4") == {2: ["chest_up", "knees_cave"], 4: ["chest_up"]}
    assert parse_faults("") == {}
    assert parse_reps("1, 3") == [1, 3] and parse_reps("") == []
    assert parse_size("320X240") == (320, 240)
    for bad in ("chest_up", "chest_up:x", ":2"):
        with pytest.raises(UsageError, match="ID:REP"):
            parse_faults(bad)
    with pytest.raises(UsageError, match="rep numbers"):
        parse_reps("two")


def test_eval_table_has_variant_tempo_and_phantom_columns():
    from rich.console import Console

    from fitness.commands.render import EVAL_PIPED_WIDTH, print_eval_table
    from fitness.synth.results import ClipResult
    from fitness.synth.scoring import tempo_error

    on_time = tempo_error((0.0, 0.9, 1.1, 2.0), 0.0, 2.0, (0.9, 0.2, 0.9))
    clips = [ClipResult("a.mp4", "lunges", "side", 4, 4, variant="alternating", tempo=(on_time,), phantom_no_reps=1,
                        phantom_reps=0),
             ClipResult("b.mp4", "lunges", "side", 4, pck_hits=np.ones(17, int), pck_counted=np.ones(17, int))]
    console = Console(record=True, width=EVAL_PIPED_WIDTH)
    print_eval_table(console, clips, "t")
    lines = console.export_text().splitlines()
    top, rule = (next(i for i, line in enumerate(lines) if line.startswith(c)) for c in "┏┡")
    split = lambda line: [c.strip() for c in line.split("│" if "│" in line else "┃")[1:-1]]  # noqa: E731
    columns = [" ".join(filter(None, parts)) for parts in zip(*(split(line) for line in lines[top + 1: rule]))]
    rows = {tuple(split(line)[:3]): dict(zip(columns, split(line))) for line in lines[rule + 1:] if "│" in line}
    assert columns[2] == "variant"
    alternating = rows[("lunges", "side", "alternating")]
    assert (alternating["tempo"], alternating["tempo err"]) == ("100%", "0.00")
    assert (alternating["phantom NR"], alternating["phantom reps"]) == ("1", "0")
    assert rows[("lunges", "side", "")]["phantom NR"] == "-"  # keypoints only: not scored

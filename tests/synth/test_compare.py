"""Several evaluated sets side by side: the mean and the worst set per exercise, view and variant."""

from __future__ import annotations

import json
import math
import subprocess
import sys

import pytest

from fitness.errors import SourceError
from fitness.synth.compare import HEADERS, compare_sets, markdown_table, spread
from fitness.synth.results import ClipResult, load_results
from fitness.synth.scoring import tempo_error

ON_TIME = tempo_error((0.0, 0.9, 1.1, 2.0), 0.0, 2.0, (0.9, 0.2, 0.9))
LATE = tempo_error((0.0, 0.9, 1.1, 2.0), 0.5, 2.0, (0.4, 0.2, 0.9))


def _clip(exercise="squats", view="side", variant="", true_reps=5, pred_reps=5, partials=0, flagged=0, tempo=()):
    return ClipResult(f"{exercise}.mp4", exercise, view, true_reps, pred_reps, partials=partials,
                      partials_flagged=flagged, variant=variant, tempo=tuple(tempo), phantom_no_reps=0, phantom_reps=0)


def test_spread_ignores_sets_without_a_value():
    assert spread([0.5, math.nan, 1.0]) == spread([1.0, 0.5])
    assert (spread([0.5, 1.0]).mean, spread([0.5, 1.0]).worst, spread([0.5, 1.0]).sets) == (0.75, 0.5, 2)
    empty = spread([math.nan])
    assert math.isnan(empty.mean) and math.isnan(empty.worst) and empty.sets == 0


def test_mean_and_worst_set_per_exercise_view_and_variant():
    good = [_clip(partials=2, flagged=2, tempo=[ON_TIME, ON_TIME]), _clip(variant="one_arm", tempo=[ON_TIME])]
    bad = [_clip(pred_reps=4, partials=2, flagged=1, tempo=[ON_TIME, LATE]), _clip(pred_reps=5),
           _clip("lunges", variant="alternating", pred_reps=6)]
    rows = compare_sets([good, bad])
    assert [(r.exercise, r.variant, r.sets, r.clips) for r in rows] == [
        ("lunges", "alternating", 1, 1), ("squats", "", 2, 3), ("squats", "one_arm", 1, 1), ("all", "", 2, 5),
    ]
    lunges, squats, one_arm, total = rows
    assert (lunges.rates["exact_rate"].mean, lunges.rates["exact_rate"].worst) == (0.0, 0.0)
    assert (squats.rates["exact_rate"].mean, squats.rates["exact_rate"].worst) == (0.75, 0.5)  # sets: 1/1, 1/2
    assert (squats.rates["no_rep_recall"].mean, squats.rates["no_rep_recall"].worst) == (0.75, 0.5)
    assert (squats.rates["tempo_share"].mean, squats.rates["tempo_share"].worst) == (0.75, 0.5)
    assert one_arm.rates["no_rep_recall"].sets == 0  # no partial reps: nothing to measure
    assert total.rates["exact_rate"].worst == pytest.approx(1 / 3)  # the bad set: 1 of 3 clips exact
    assert total.rates["exact_rate"].mean == pytest.approx(2 / 3)


def test_markdown_table():
    text = markdown_table(compare_sets([[_clip(partials=1, flagged=1, tempo=[ON_TIME])], [_clip(pred_reps=4)]]))
    lines = text.splitlines()
    assert lines[0] == "| " + " | ".join(HEADERS) + " |"
    assert lines[1].count("---") == len(HEADERS)
    assert lines[2] == "| squats | side |  | 2 | 2 | 50% | 0% | 100% | 100% | 100% | 100% |"
    assert lines[3].startswith("| all |  |  | 2 | 2 |") and len(lines) == 4


def test_results_read_back_from_eval_json(tmp_path):
    path = tmp_path / "set.json"
    clips = [_clip(tempo=[LATE]), _clip("lunges", variant="alternating")]
    path.write_text(json.dumps([c.to_dict() for c in clips]))
    assert [c.to_dict() for c in load_results(path)] == [c.to_dict() for c in clips]
    (tmp_path / "bad.json").write_text('{"name": 1}')
    with pytest.raises(SourceError, match="fitness eval --json"):
        load_results(tmp_path / "bad.json")


def test_the_compare_script_prints_markdown(tmp_path, repo_root):
    paths = []
    for k, clips in enumerate(([_clip()], [_clip(pred_reps=3)])):
        paths.append(tmp_path / f"set{k}.json")
        paths[-1].write_text(json.dumps([c.to_dict() for c in clips]))
    argv = [sys.executable, str(repo_root / "benchmarks" / "eval_compare.py"), *map(str, paths)]
    res = subprocess.run([*argv, "--markdown"], capture_output=True, text=True, timeout=120)
    assert res.returncode == 0, res.stderr
    assert res.stdout == markdown_table(compare_sets([[_clip()], [_clip(pred_reps=3)]]))
    res = subprocess.run(argv, capture_output=True, text=True, timeout=120)
    assert res.returncode == 0 and "exact worst" in res.stdout and "set1.json" in res.stdout
    res = subprocess.run([*argv[:2], str(tmp_path / "nope.json")], capture_output=True, text=True, timeout=120)
    assert res.returncode == 1 and "cannot read eval results" in res.stderr

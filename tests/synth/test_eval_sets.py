"""The evaluation sets of benchmarks/eval_counts.py: the default set stays as measured, the hard set covers
every exercise, view and variant with varied cameras, frame rates, blur and shake, and `fitness eval`'s table
takes its clips."""

from __future__ import annotations

import dataclasses
import importlib.util
import io
import json
from types import SimpleNamespace

import numpy as np
import pytest
from rich.console import Console

from fitness.commands.render import print_eval_table
from fitness.pose.types import Pose
from fitness.synth import render_video
from fitness.synth.evaluate import evaluate_folder
from fitness.synth.motion import SCRIPTS
from fitness.synth.render import FLOOR_EXERCISES


@pytest.fixture(scope="module")
def eval_counts(request):
    path = request.config.rootpath / "benchmarks" / "eval_counts.py"
    spec = importlib.util.spec_from_file_location("eval_counts", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_default_set_is_the_one_measured_in_the_docs(eval_counts):
    """104 clips, seeds 1000-1103, every exercise and view as before end-on push-ups, default variants and
    seeded cameras (the figures in docs/synth.md were measured on it)."""
    specs = eval_counts.clip_specs(8)
    assert len(specs) == 104 and sorted(s.seed for s in specs.values()) == list(range(1000, 1104))
    assert all(s.variant is None and s.camera_height_m is None and s.fps == 30.0 for s in specs.values())
    assert ("push_ups", "front") not in {(s.exercise, s.view) for s in specs.values()}


def test_the_oblique_set_films_every_exercise_and_variant_at_an_angle(eval_counts):
    specs = eval_counts.oblique_clip_specs(4)
    combos = {(e, var) for e, s in SCRIPTS.items() for var in (s.variants or (None,))}
    assert len(specs) == 4 * len(combos) and {(s.exercise, s.variant) for s in specs.values()} == combos
    assert sorted(s.seed for s in specs.values()) == list(range(100000, 100000 + len(specs)))
    assert {s.view for s in specs.values()} == {"oblique"}
    reps = [s for s in specs.values() if not SCRIPTS[s.exercise].hold]
    assert sum(bool(s.partial) for s in reps) == len(reps) // 2
    assert sum(bool(s.faults) for s in reps) == 3 * len(reps) // 4


def test_the_hard_set_covers_every_exercise_view_and_variant(eval_counts):
    specs = eval_counts.hard_clip_specs(4)
    combos = {(e, v, var) for e, s in SCRIPTS.items() for v in s.views for var in (s.variants or (None,))}
    assert len(specs) == 4 * len(combos)
    assert {(s.exercise, s.view_name, s.variant) for s in specs.values()} == combos
    for name, s in specs.items():
        assert name == "_".join([s.exercise, s.view_name, *([s.variant] if s.variant else []), str(s.seed)])
        low, high = eval_counts.HARD_FLOOR_HEIGHT_M if s.exercise in FLOOR_EXERCISES else eval_counts.HARD_HEIGHT_M
        assert low <= s.camera_height_m <= high
        assert s.partial in ([], [s.reps])
    clips = list(specs.values())
    assert {s.fps for s in clips} == set(eval_counts.HARD_FPS)
    for share in (np.mean([s.blur_sigma > 0 for s in clips]), np.mean([s.shake_px > 0 for s in clips]),
                  np.mean([bool(s.partial) for s in clips]), np.mean([bool(s.faults) for s in clips])):
        assert 0.15 < share < 0.75
    heights = [s.camera_height_m for s in clips if s.exercise not in FLOOR_EXERCISES]
    assert min(heights) < 0.5 and max(heights) > 1.4  # from near the floor to above head height
    seeds = {s.seed for s in clips}
    assert len(seeds) == len(clips) and not seeds & (set(range(0, 1104)) | set(range(7000, 7100)))


def test_the_eval_table_takes_the_hard_sets_clips(eval_counts, tmp_path):
    specs = eval_counts.hard_clip_specs(1)
    for exercise, view, variant in (("bicep_curls", "side", "alternating"), ("push_ups", "front", None),
                                    ("lunges", "side", "one_leg")):
        [name] = [n for n, s in specs.items() if (s.exercise, s.view, s.variant) == (exercise, view, variant)]
        spec = dataclasses.replace(specs[name], reps=2, partial=[2], faults={}, size=(128, 96), fps=10.0)
        render_video(spec, tmp_path / f"{name}.mp4")

    def analyze_video(path, exercise, model, smoothing):  # answers from the truth file
        truth = json.loads((tmp_path / path.replace(".mp4", ".truth.json")).read_text())
        fps = truth["fps"]
        reps = [SimpleNamespace(start_t=r["start_frame"] / fps, end_t=r["end_frame"] / fps, issues=(), phases={},
                                counted=not r["partial"]) for r in truth["rep_list"]]
        poses = [Pose(np.array(kp), np.ones(17), i / fps) for i, kp in enumerate(truth["keypoints"])]
        return SimpleNamespace(summary=SimpleNamespace(reps=truth["reps"], rep_details=reps), poses=poses)

    results = evaluate_folder(tmp_path, analyze=analyze_video)
    assert [r.error for r in results] == [None] * 3 and all(r.pred_reps == r.true_reps == 1 for r in results)
    out = io.StringIO()
    print_eval_table(Console(file=out, width=160), results, "hard")
    assert "bicep_curls" in out.getvalue() and "push_ups" in out.getvalue()


def test_a_rerun_with_the_cache_replays_the_model_outputs_and_writes_the_same_json(eval_counts, tmp_path):
    # Real Lightning on one tiny clip: the first run fills the clip's cache, the second reads it and adds nothing.
    specs = eval_counts.clip_specs(1)
    name, spec = next((n, s) for n, s in specs.items() if s.exercise == "squats")
    clips, cache = tmp_path / "clips", tmp_path / "model"
    render_video(dataclasses.replace(spec, reps=2, partial=[], faults={}, size=(160, 120), fps=10.0),
                 clips / f"{name}.mp4")
    first, second = tmp_path / "first.json", tmp_path / "second.json"
    assert eval_counts.main(["--dir", str(clips), "--cache", str(cache), "--json", str(first)]) == 0
    [outputs] = cache.glob("*.outputs.pkl")
    assert outputs.name == f"{name}.outputs.pkl"
    filled = outputs.read_bytes()
    assert eval_counts.main(["--dir", str(clips), "--cache", str(cache), "--json", str(second)]) == 0
    assert outputs.read_bytes() == filled  # nothing new to keep: every output came from the cache
    [result] = json.loads(first.read_text())
    assert result["name"] == f"{name}.mp4" and result["true_reps"] == 2 and result["error"] is None
    assert json.loads(second.read_text()) == [result]

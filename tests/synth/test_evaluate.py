"""Evaluation plumbing: a clip is scored against its truth, and a folder runs through the pipeline API
(`fitness.pipeline.analyze_video`'s signature), here a stand-in that answers from the truth file."""

from __future__ import annotations

import json
from types import SimpleNamespace

import numpy as np
import pytest

from fitness.errors import SourceError
from fitness.pose.types import Pose
from fitness.synth import RenderSpec, render_video
from fitness.synth.evaluate import evaluate_folder, score_clip, summarize


def _truth(reps=3, faults=None):
    faults = faults or {}
    return {
        "exercise": "squats", "view": "side", "fps": 10.0, "frames": 10 * reps * 2, "reps": reps, "no_reps": 0,
        "rep_list": [{"index": i + 1, "start_frame": 20 * i, "end_frame": 20 * i + 15, "partial": False,
                      "faults": faults.get(i + 1, []), "side": None} for i in range(reps)],
        "keypoints": [], "visible": [],
    }


def _rep(start_t, end_t, issues=()):
    return SimpleNamespace(start_t=start_t, end_t=end_t, issues=tuple(issues))


def test_score_clip_counts_and_faults():
    truth = _truth(3, {2: ["chest_up"]})
    summary = SimpleNamespace(
        reps=3, rep_details=[_rep(0.1, 1.4), _rep(2.0, 3.5, ["chest_up"]), _rep(4.1, 5.4, ["knees_cave"])]
    )
    r = score_clip("a.mp4", truth, summary, None)
    assert (r.true_reps, r.pred_reps) == (3, 3)
    assert (r.faults.tp, r.faults.fp, r.faults.fn) == (1, 1, 0)
    rows = summarize([r, score_clip("b.mp4", truth, SimpleNamespace(reps=2, rep_details=[]), None)])
    squats, total = rows
    assert squats.clips == 2 and squats.exact_rate == 0.5 and squats.mae == 0.5 and squats.off_by_one_rate == 0.5
    assert squats.fault_precision == 0.5 and squats.fault_recall == 0.5
    assert total.exercise == "all"


def test_partial_reps_count_as_flagged_only_when_reported_as_no_reps():
    truth = _truth(3)
    truth["rep_list"][1]["partial"] = truth["rep_list"][2]["partial"] = True
    no_rep = SimpleNamespace(start_t=2.0, end_t=3.5, issues=("depth",), counted=False)
    counted_partial = SimpleNamespace(start_t=4.1, end_t=5.4, issues=(), counted=True)
    reps = [SimpleNamespace(**vars(_rep(0.1, 1.4)), counted=True), no_rep, counted_partial]
    r = score_clip("a.mp4", truth, SimpleNamespace(reps=2, rep_details=reps), None)
    assert (r.partials, r.partials_flagged) == (2, 1)
    unseen = score_clip("b.mp4", truth, SimpleNamespace(reps=1, rep_details=reps[:1]), None)
    assert (unseen.partials, unseen.partials_flagged) == (2, 0)
    assert summarize([r, unseen])[0].no_rep_recall == 0.25


def test_score_clip_judges_a_hold_by_the_sessions_faults():
    truth = {**_truth(1, {1: ["hip_sag"]}), "exercise": "plank", "reps": 0, "hold_s": 9.0}
    sagging = score_clip("p.mp4", truth, SimpleNamespace(reps=0, rep_details=[], issues={"hip_sag": 1}), None)
    assert (sagging.faults.tp, sagging.faults.fp, sagging.faults.fn) == (1, 0, 0)
    piked = score_clip("q.mp4", truth, SimpleNamespace(reps=0, rep_details=[], issues={"hips_high": 2}), None)
    assert (piked.faults.tp, piked.faults.fp, piked.faults.fn) == (0, 1, 1)


def test_folder_through_a_stand_in_pipeline(tmp_path):
    render_video(RenderSpec("squats", 2, seed=5, size=(320, 240), faults={1: ["chest_up"]}), tmp_path / "a.mp4")
    truth = json.loads((tmp_path / "a.truth.json").read_text())

    def analyze_video(path, exercise, model, smoothing):
        t = json.loads((tmp_path / "a.truth.json").read_text())
        fps = t["fps"]
        reps = [_rep(r["start_frame"] / fps, r["end_frame"] / fps, r["faults"]) for r in t["rep_list"]]
        poses = [Pose(np.array(kp), np.ones(17), i / fps) for i, kp in enumerate(t["keypoints"])]
        poses[0] = None  # nobody found in one frame: its keypoints count as misses
        return SimpleNamespace(summary=SimpleNamespace(reps=t["reps"], rep_details=reps), poses=poses)

    [res] = evaluate_folder(tmp_path, analyze=analyze_video)
    assert res.error is None and res.pred_reps == res.true_reps == 2
    assert res.faults.tp == 1 and res.faults.fp == 0 and res.faults.fn == 0
    visible_first = int(np.sum(truth["visible"][0]))
    assert res.pck_counted.sum() - res.pck_hits.sum() == visible_first


def test_a_failing_clip_is_reported_not_fatal(tmp_path):
    render_video(RenderSpec("squats", 1, seed=5, size=(320, 240)), tmp_path / "a.mp4")

    def analyze_video(*args, **kwargs):
        raise RuntimeError("boom")

    [res] = evaluate_folder(tmp_path, analyze=analyze_video)
    assert res.error == "RuntimeError: boom"
    assert summarize([res])[0].errors == 1


def test_a_missing_folder_or_truth_is_a_clear_error(tmp_path):
    render_video(RenderSpec("squats", 1, seed=5, size=(320, 240)), tmp_path / "a.mp4")
    with pytest.raises(SourceError, match="not a folder"):
        evaluate_folder(tmp_path / "nope")
    (tmp_path / "a.truth.json").write_text("{}")
    with pytest.raises(SourceError, match="lacks"):  # before any clip runs
        evaluate_folder(tmp_path, analyze=lambda *args, **kwargs: pytest.fail("a clip ran"))


def test_detectable_faults_follow_the_rules_views():
    from fitness.synth.evaluate import detectable_faults

    assert detectable_faults("squats", "side") == ("chest_up",)
    assert detectable_faults("squats", "front") == ("knees_cave",)
    assert detectable_faults("bicep_curls", "front") == ()
    assert set(detectable_faults("push_ups", "side")) == {"hip_sag", "hips_high"}

"""Evaluation plumbing: a clip is scored against its truth, and a folder runs through the pipeline API
(`fitness.pipeline.analyze_video`'s signature), here a stand-in that answers from the truth file."""

from __future__ import annotations

import json
from types import SimpleNamespace

import numpy as np
import pytest

from fitness.errors import SourceError
from fitness.exercise.events import RepEvent
from fitness.pose.types import Pose
from fitness.synth import RenderSpec, render_video
from fitness.synth.evaluate import ClipResult, evaluate_folder, score_clip, summarize
from fitness.synth.scoring import TEMPO_TOLERANCE_S


def _truth(reps=3, faults=None):
    faults = faults or {}
    return {
        "exercise": "squats", "view": "side", "fps": 10.0, "frames": 10 * reps * 2, "reps": reps, "no_reps": 0,
        "rep_list": [{"index": i + 1, "start_frame": 20 * i, "end_frame": 20 * i + 15, "partial": False,
                      "faults": faults.get(i + 1, []), "side": None} for i in range(reps)],
        "keypoints": [], "visible": [],
    }


def _rep(start_t, end_t, issues=(), counted=True, phases=None):
    return RepEvent(0, start_t, end_t, counted, phases=phases or {}, issues=tuple(issues))


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
    no_rep = _rep(2.0, 3.5, ["depth"], counted=False)
    counted_partial = _rep(4.1, 5.4)
    reps = [_rep(0.1, 1.4), no_rep, counted_partial]
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


def _timed(truth, out_s=0.6, turn_s=0.2):
    """The truth with tempo times: each rep turns `out_s` after leaving rest and stays `turn_s` at the turn."""
    for r in truth["rep_list"]:
        start, end = r["start_frame"] / truth["fps"], r["end_frame"] / truth["fps"]
        r.update(start_s=start, turn_s=start + out_s, back_s=start + out_s + turn_s, end_s=end)
    return truth


def _phases(out_s, turn_s, back_s):
    return {"eccentric_s": out_s, "bottom_s": turn_s, "concentric_s": back_s}  # named as an exercise may name them


def test_tempo_is_scored_on_full_reps_matched_to_counted_reps():
    truth = _timed(_truth(4))  # reps at 0-1.5, 2-3.5, 4-5.5, 6-7.5 s: out 0.6, at the turn 0.2, back 0.7
    truth["rep_list"][3]["partial"] = True
    reps = [
        _rep(0.0, 1.5, phases=_phases(0.6, 0.2, 0.7)),  # on time
        _rep(2.1, 3.5, phases=_phases(0.3, 0.4, 0.7)),  # late start, a short way out, a long turn
        _rep(4.0, 5.5, counted=False),  # a full rep read as a no-rep: a count error, no tempo
        _rep(6.0, 7.5, phases=_phases(0.6, 0.2, 0.7)),  # a counted partial rep: no tempo either
    ]
    r = score_clip("a.mp4", truth, SimpleNamespace(reps=3, rep_details=reps), None)
    assert len(r.tempo) == 2
    assert r.tempo[0].worst_s == pytest.approx(0.0, abs=1e-9) and r.tempo[0].within()
    late = r.tempo[1]
    assert (late.start_s, late.end_s, late.out_s, late.target_s, late.back_s) == pytest.approx((0.1, 0, 0.3, 0.2, 0))
    assert not late.within()
    row = summarize([r])[0]
    assert row.tempo_reps == 2 and row.tempo_share == 0.5
    assert row.tempo_worst_median_s == pytest.approx(0.15)
    assert [e["out_s"] for e in r.to_dict()["tempo_errors"]] == pytest.approx([0.0, 0.3])


def test_tempo_tolerance_is_inclusive_and_a_rep_without_phases_is_outside_it():
    truth = _timed(_truth(2))
    edge = TEMPO_TOLERANCE_S - 1e-9
    reps = [_rep(edge, 1.5, phases=_phases(0.6 - edge, 0.2, 0.7)), _rep(2.0, 3.5)]  # the second: inferred, no phases
    r = score_clip("a.mp4", truth, SimpleNamespace(reps=2, rep_details=reps), None)
    assert r.tempo[0].within() and not r.tempo[1].within()
    assert r.to_dict()["tempo_errors"][1]["out_s"] is None  # JSON has no NaN
    assert summarize([r])[0].tempo_share == 0.5


def test_a_truth_without_tempo_times_still_evaluates():
    r = score_clip("a.mp4", _truth(2), SimpleNamespace(reps=2, rep_details=[_rep(0.0, 1.5), _rep(2.0, 3.5)]), None)
    assert r.tempo == () and r.to_dict()["tempo_errors"] == []
    row = summarize([r])[0]
    assert row.exact_rate == 1.0 and row.tempo_reps == 0 and np.isnan(row.tempo_share)


def test_phantom_no_reps_and_reps():
    truth = _truth(3)  # reps at 0-1.5, 2-3.5, 4-5.5 s; the last one partial
    truth["rep_list"][2]["partial"] = True
    reps = [
        _rep(0.1, 1.4),  # a rep
        _rep(1.55, 1.95, counted=False),  # a no-rep between reps: phantom
        _rep(2.0, 3.5, counted=False),  # a full rep read as a no-rep: phantom
        _rep(4.1, 5.4, counted=False),  # the partial rep, flagged: right
        _rep(6.0, 7.0),  # a rep after the set: phantom
    ]
    r = score_clip("a.mp4", truth, SimpleNamespace(reps=2, rep_details=reps), None)
    assert (r.phantom_no_reps, r.phantom_reps) == (2, 1)
    clean = score_clip("b.mp4", truth, SimpleNamespace(reps=2, rep_details=[reps[0], _rep(2.0, 3.4), reps[3]]), None)
    assert (clean.phantom_no_reps, clean.phantom_reps) == (0, 0)
    row = summarize([r, clean])[0]
    assert (row.phantom_no_reps, row.phantom_reps) == (2, 1)
    assert {"phantom_no_reps": 2, "phantom_reps": 1}.items() <= r.to_dict().items()


def test_a_hold_has_no_truth_rep_for_a_predicted_rep():
    truth = {**_truth(1), "exercise": "plank", "reps": 0, "hold_s": 9.0}
    r = score_clip("p.mp4", truth, SimpleNamespace(reps=1, rep_details=[_rep(0.0, 1.5)], issues={}), None)
    assert (r.phantom_no_reps, r.phantom_reps) == (0, 1) and r.tempo == ()


def test_rows_are_per_exercise_view_and_variant():
    reps = SimpleNamespace(reps=2, rep_details=[_rep(0.0, 1.5), _rep(2.0, 3.5)])
    results = [
        score_clip("a.mp4", {**_truth(2), "variant": "alternating"}, reps, None),
        score_clip("b.mp4", _truth(2), reps, None),  # rendered before variants
        score_clip("c.mp4", {**_truth(3), "variant": "simultaneous"}, reps, None),
    ]
    rows = summarize(results)
    assert [(r.exercise, r.view, r.variant, r.clips) for r in rows] == [
        ("squats", "side", "", 1), ("squats", "side", "alternating", 1), ("squats", "side", "simultaneous", 1),
        ("all", "", "", 3),
    ]
    assert [r.exact_rate for r in rows] == [1.0, 1.0, 0.0, pytest.approx(2 / 3)]
    assert results[0].to_dict()["variant"] == "alternating" and results[1].to_dict()["variant"] == ""


def test_json_keeps_the_old_keys_and_reads_back():
    truth = _timed({**_truth(3), "variant": "one_arm", "reps": 2, "no_reps": 1})
    truth["rep_list"][2]["partial"] = True
    summary = SimpleNamespace(reps=2, rep_details=[_rep(0.05, 1.6, phases=_phases(0.55, 0.2, 0.8)), _rep(2.0, 3.5),
                                                   _rep(4.0, 5.5, counted=False), _rep(6.0, 6.5, counted=False)])
    pose = np.tile([[100.0, 100.0]], (17, 1))
    pose[11:13] += (0.0, 80.0)  # the hips below the shoulders: a torso to scale PCK by
    truth.update(keypoints=[pose.tolist()] * 2, visible=[[True] * 17] * 2)
    r = score_clip("a.mp4", truth, summary, np.stack([pose, np.full((17, 2), np.nan)]))
    d = json.loads(json.dumps(r.to_dict()))
    assert (d["pck_hits"], d["pck_counted"]) == (17, 34)
    old_keys = {"name", "exercise", "view", "true_reps", "pred_reps", "fault_tp", "fault_fp", "fault_fn", "partials",
                "partials_flagged", "pck_hits", "pck_counted", "error"}
    assert old_keys < d.keys()
    back = ClipResult.from_dict(d)
    assert back.to_dict() == d
    assert repr(summarize([back])) == repr(summarize([r]))  # repr: NaN == NaN
    assert summarize([back])[0].tempo_share == 0.5
    old = ClipResult.from_dict({k: d[k] for k in old_keys})  # a file written before these keys
    assert (old.variant, old.tempo, old.phantom_reps) == ("", (), None)
    row = summarize([old])[0]
    assert row.phantom_reps is None and row.exact_rate == 1.0 and np.isnan(row.tempo_share)

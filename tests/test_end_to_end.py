"""End to end, model included: every shipped exercise, rendered by the synthetic athlete with exact truth,
goes through the real pipeline (MoveNet Lightning on LiteRT, smoothing, engine, recorder).

Each clip has varied tempo (the renderer's seeded timeline), one injected form fault and, for rep
exercises, one partial rep. The pipeline must count exactly (the partial rep never counts), flag the fault
on the rep that has it and flag no fault on clean reps. Seeds here are not used by the accuracy evaluation
(`benchmarks/eval_counts.py`).

Not asserted here: that the partial rep comes out as a no-rep with its reason. A dip of a quarter of the
person's range of motion does (fitness/exercise/dips.py), but the renderer's glute-bridge partials go only ~15%
of the range, and before the first counted rep only the exercise's partial line makes no-reps.
"""

from __future__ import annotations

import pytest

from fitness.exercise import list_exercises
from fitness.synth import RenderSpec, render_video
from fitness.synth.evaluate import detectable_faults
from fitness.synth.motion import SCRIPTS
from fitness.synth.scoring import match_reps

pytestmark = [pytest.mark.slow, pytest.mark.model]

REPS = 5
FAULT_REP = 2
PARTIAL_REP = 4
# A hold's good-form time may differ from the truth by the engine's entry/exit grace and smoothing lag.
HOLD_TOLERANCE_S = 1.0


def _cases() -> list[tuple[str, str, str | None, int]]:
    """(exercise, view, fault id or None, seed): every view of every exercise, cycling through the fault
    ids that view can show."""
    cases = []
    for i, (name, script) in enumerate(sorted(SCRIPTS.items())):
        for j, view in enumerate(script.views):
            faults = detectable_faults(name, view)
            cases.append((name, view, faults[(i + j) % len(faults)] if faults else None, 7000 + 10 * i + j))
    return cases


CASES = _cases()


def _oblique_cases() -> list[tuple[str, str, str | None, int]]:
    """(exercise, "oblique", fault id or None, seed): every exercise that lists the oblique view, filmed turned
    35-55 deg, with a fault judged at that angle."""
    cases = []
    for i, info in enumerate(sorted(list_exercises(), key=lambda info: info.name)):
        if info.builtin and "oblique" in info.views and not SCRIPTS[info.name].hold:
            faults = detectable_faults(info.name, "oblique")
            cases.append((info.name, "oblique", faults[0] if faults else None, 7150 + i))
    return cases


OBLIQUE_CASES = _oblique_cases()


def test_every_shipped_exercise_has_a_motion_script():
    shipped = {info.name for info in list_exercises() if info.builtin}
    assert shipped == set(SCRIPTS)


def _analyze(tmp_path, spec: RenderSpec):
    from fitness.pipeline import analyze_video

    clip = tmp_path / f"{spec.exercise}_{spec.view}.mp4"
    truth = render_video(spec, out=clip)
    return truth, analyze_video(str(clip), spec.exercise, model="lightning").summary


@pytest.mark.parametrize("exercise,view,fault,seed", [c for c in CASES if not SCRIPTS[c[0]].hold] + OBLIQUE_CASES)
def test_rendered_reps_are_counted_and_judged(tmp_path, exercise, view, fault, seed):
    faults = {FAULT_REP: [fault]} if fault else {}
    spec = RenderSpec(exercise, REPS, view=view, faults=faults, partial=[PARTIAL_REP], seed=seed)
    truth, summary = _analyze(tmp_path, spec)
    got = [(r.index, r.counted, r.reason, r.issues) for r in summary.rep_details]
    assert summary.reps == truth["reps"], got

    fps = truth["fps"]
    true_spans = [(r["start_frame"] / fps, r["end_frame"] / fps) for r in truth["rep_list"]]
    matches = match_reps(true_spans, [(r.start_t, r.end_t) for r in summary.rep_details])
    scored = set(SCRIPTS[exercise].faults)
    for i, true_rep in enumerate(truth["rep_list"]):
        if true_rep["partial"]:
            assert i not in matches or not summary.rep_details[matches[i]].counted, got
            continue
        assert i in matches, f"truth rep {true_rep['index']} has no detected rep: {got}"
        rep = summary.rep_details[matches[i]]
        assert rep.counted, got
        flagged = set(rep.issues) & scored
        assert flagged == set(true_rep["faults"]), f"rep {true_rep['index']}: truth {true_rep['faults']}, got {got}"


@pytest.mark.parametrize("exercise,view,fault,seed", [c for c in CASES if SCRIPTS[c[0]].hold])
def test_rendered_holds_are_timed_and_judged(tmp_path, exercise, view, fault, seed):
    hold_s = 6
    clean_truth, clean = _analyze(tmp_path, RenderSpec(exercise, hold_s, view=view, seed=seed))
    assert clean.hold_s == pytest.approx(clean_truth["hold_s"], abs=HOLD_TOLERANCE_S)
    assert not set(clean.issues) & set(SCRIPTS[exercise].faults), clean.issues

    _, faulty = _analyze(tmp_path, RenderSpec(exercise, hold_s, view=view, faults={1: [fault]}, seed=seed + 1))
    assert fault in faulty.issues


# Curls as people do them: both arms, alternating, or one arm, from the side and the front.
PAIRED_CASES = [(view, variant, 7100 + 10 * i + j) for i, view in enumerate(("front", "side"))
                for j, variant in enumerate(("simultaneous", "alternating", "one_arm"))]


# Side-on, the far arm may curl hidden behind the torso (this seed; 4 other alternating clips were counted
# exactly): MoveNet then reads its wrist as hanging throughout, and its curls are not seen.
FAR_ARM_HIDDEN = pytest.mark.xfail(strict=True, reason="the far arm curls behind the torso: MoveNet reads it hanging")


@pytest.mark.parametrize("view,variant,seed", [
    pytest.param(*case, marks=FAR_ARM_HIDDEN) if case[:2] == ("side", "alternating") else case for case in PAIRED_CASES
])
def test_rendered_curls_are_counted_as_a_coach_would(tmp_path, view, variant, seed):
    truth, summary = _analyze(tmp_path, RenderSpec("bicep_curls", REPS, view=view, variant=variant, seed=seed))
    assert summary.reps == truth["reps"] == REPS
    if view == "front":
        # Side-on MoveNet may take one arm for the other; facing the camera each rep's arm is known.
        worked: dict[str, int] = {}
        for rep in truth["rep_list"]:
            for side in ("left", "right") if rep["side"] is None else (rep["side"],):
                worked[side] = worked.get(side, 0) + 1
        assert dict(summary.reps_by_side) == worked

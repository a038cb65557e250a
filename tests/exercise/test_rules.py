"""Form rules as classes: a live cue's timing (hold, release, dropouts, the rep it marks), a rep check's views
and errors, the score, and the registry the machine builds its rules from."""

from __future__ import annotations

import pytest

from fitness.exercise import ExerciseMachine
from fitness.exercise.definition import RuleDef
from fitness.exercise.expr import MetricFrame, RepFrames
from fitness.exercise.reps import RepInProgress
from fitness.exercise.rules import (
    RULE_GAP_S,
    RULE_TYPES,
    FrameContext,
    LiveRule,
    RepCheck,
    RepContext,
    build_rules,
    form_score,
)

from .test_machine import definition, feed, rep_trace

DT = 1 / 32  # frame times exact in binary, so "hold_s later" is an exact frame


def live(**kw) -> LiveRule:
    rule = RuleDef("lean", "bad > 0", "Chest up", **{"hold_s": 6 * DT, "release_s": 9 * DT, **kw})
    return LiveRule(rule, {"left": lambda f: f.metrics["bad"] > 0, "right": lambda f: False})


def at(t: float, bad: bool, side: str = "left", phase: str | None = "bottom", view: str | None = "side",
       rep: RepInProgress | None = None) -> FrameContext:
    return FrameContext(MetricFrame({"bad": float(bad)}, None, 100.0), side, t, phase, view, rep, 7 if rep else None)


def run(rule: LiveRule, pattern: list[bool], **kw) -> list[tuple[float, bool, bool]]:
    """(t, a new issue, active) per frame of a failing/passing pattern."""
    out = []
    for i, bad in enumerate(pattern):
        new = rule.on_frame(at(i * DT, bad, **kw))
        out.append((i * DT, new is not None, rule.active is not None))
    return out


def test_a_live_rule_cues_once_after_hold_s_and_clears_after_release_s():
    frames = run(live(), [True] * 12 + [False] * 12 + [True] * 7)
    new = [i for i, (_, fired, _) in enumerate(frames) if fired]
    assert new == [6, 30]  # hold_s (6 frames) into each failure
    active = [a for _, _, a in frames]
    assert active[:6] == [False] * 6 and all(active[6:12])
    # still active for release_s (9 frames) after it stops failing, then cleared
    assert all(active[12:20]) and not any(active[21:30])


def test_a_live_rule_watches_only_its_states_views_and_side():
    assert not any(fired for _, fired, _ in run(live(during=("top",)), [True] * 20, phase="bottom"))
    assert any(fired for _, fired, _ in run(live(during=("top",)), [True] * 20, phase="top"))
    assert not any(fired for _, fired, _ in run(live(views=("front",)), [True] * 20, view="side"))
    assert not any(fired for _, fired, _ in run(live(), [True] * 20, side="right"))


@pytest.mark.parametrize("gap_s,fires_at", [(RULE_GAP_S - 0.05, 6), (RULE_GAP_S + 0.05, 9)])
def test_the_hold_timer_survives_short_gaps_only(gap_s, fires_at):
    rule = live()
    for i in range(3):
        assert rule.on_frame(at(i * DT, True)) is None
    rule.on_gap(gap_s)
    fired = next(i for i in range(3, 30) if rule.on_frame(at(i * DT, True)) is not None)
    assert fired == fires_at  # a long gap restarts the hold at frame 3


def test_a_live_rule_marks_the_rep_it_held_for_hold_s_within():
    rule = live()
    rep = RepInProgress(start_t=10 * DT)
    for i in range(15):  # failing since frame 0, but the rep started at frame 10
        rule.on_frame(at(i * DT, True, rep=rep if i >= 10 else None))
    assert rep.issues == {}
    rule.on_frame(at(16 * DT, True, rep=rep))
    assert list(rep.issues) == ["lean"]
    assert rule.active.rep_index is None  # it fired before the rep began


def test_a_rep_check_runs_in_its_views_and_treats_errors_as_passing():
    rule = RuleDef("range", "x", "More range", views=("side",))

    def broken(rep):
        raise ZeroDivisionError

    check = RepCheck(rule, {"left": lambda rep: rep.duration > 1, "right": broken})
    long_rep = RepFrames([MetricFrame({}, None, 1.0)], 2.0)
    assert check.on_rep(RepContext(long_rep, "left", "side")) is True
    assert check.on_rep(RepContext(long_rep, "left", "front")) is False
    assert check.on_rep(RepContext(long_rep, "right", "side")) is False
    assert check.on_frame(at(0.0, True)) is None and check.active is None


def test_form_score_sums_penalties_and_stops_at_zero():
    rules = [LiveRule(RuleDef(f"r{i}", "x", "m", penalty=p), {}) for i, p in enumerate((15.0, 30.0, 70.0))]
    assert form_score(["r0"], rules) == 85.0
    assert form_score(["r0", "r1", "unknown"], rules) == 55.0
    assert form_score(["r0", "r1", "r2"], rules) == 0.0


def test_build_rules_makes_one_rule_per_definition_rule_with_its_own_conditions():
    d = definition()
    rules = build_rules(d)
    assert [(type(r), r.definition.id) for r in rules] == [(LiveRule, "lean"), (RepCheck, "slow_bottom")]
    for r in rules:
        assert set(r.tests) == {"left"} and r.tests["left"] is d.programs["left"].tests[r.definition.id]
    assert build_rules(d)[0] is not rules[0]  # fresh state for each tracker


def test_the_machine_runs_the_rule_types_registered_for_each_section(monkeypatch):
    judged = []

    class Recording(RepCheck):
        def on_rep(self, rep: RepContext) -> bool:
            judged.append((self.definition.id, rep.rep.duration))
            return True

    monkeypatch.setitem(RULE_TYPES, "rep_checks", Recording)
    reps, issues, _ = feed(ExerciseMachine(definition()), rep_trace([80, 80]))
    # `duration` is the rep's duration_s: its 2 s dip, from the start to the end of the movement.
    assert [rule for rule, _ in judged] == ["slow_bottom", "slow_bottom"]
    assert [duration for _, duration in judged] == pytest.approx([2.0, 2.0], abs=0.15)
    assert [duration for _, duration in judged] == [r.duration_s for r in reps]
    assert [r.issues for r in reps] == [("slow_bottom",)] * 2 and [r.score for r in reps] == [85.0, 85.0]

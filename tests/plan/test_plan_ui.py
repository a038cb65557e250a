"""A plan workout in the UIs: target, progress, rest countdown and next, in the dashboard, the plain progress lines,
the overlay's banner and the browser's live state."""

from __future__ import annotations

import io
import re

from feedback.ui_fixtures import make_snapshot, make_step
from rich.console import Console

from fitness.feedback.canvas import Text
from fitness.feedback.dashboard import Dashboard, PlainProgress
from fitness.feedback.overlay import overlay_items
from fitness.feedback.plan_words import plan_rest_words, plan_status_words
from fitness.plan.model import Block, Load, Plan
from fitness.plan.tracker import PlanTracker
from fitness.session.summary import SetSummary
from fitness.web.state import live_state

PLAN = Plan("legs", "Legs", (Block("squats", "squats", sets=2, reps=10, rest_s=60.0, load=Load(16.0, "kg")),
                             Block("push_ups", "push_ups", sets=1, reps=8),
                             Block("plank", "plank", sets=1, hold_s=30.0)))


def _progress(closed=(), live=None, t=0.0):
    tracker = PlanTracker(PLAN)
    for s in closed:
        tracker.close_set(s)
    if live is not None:
        tracker.open_set(live)
    return tracker.progress(t)


def test_the_words_for_a_set_going_on_a_rest_and_the_end():
    going = _progress(live=SetSummary(1, 0.0, 20.0, 7, 0, "squats"), t=21.0)
    assert plan_status_words(going) == "squats · set 1 of 2 · 7 / 10 @ 16 kg"
    assert plan_rest_words(going) == "next: squats x 10"
    met = _progress(live=SetSummary(1, 0.0, 30.0, 10, 0, "squats"), t=31.0)
    assert plan_status_words(met).endswith("10 / 10 @ 16 kg · target met: rest")
    resting = _progress(closed=[SetSummary(1, 0.0, 30.0, 10, 0, "squats"), SetSummary(2, 90.0, 120.0, 10, 0,
                                                                                      "squats")], t=138.5)
    assert plan_status_words(resting) == "push-ups · set 1 of 1 · 0 / 8"
    assert plan_rest_words(resting) == "rest 0:42 · next: plank 30 s"
    over = _progress(closed=[SetSummary(1, 0.0, 30.0, 10, 0, "squats")], t=200.0)
    assert plan_rest_words(over) == "rest over · next: push-ups x 8"
    done = _progress(closed=[SetSummary(i, 10.0 * i, 10.0 * i + 5, 10, 0, ex) for i, ex in
                             [(1, "squats"), (2, "squats"), (3, "push_ups"), (4, "plank")]], t=100.0)
    assert plan_status_words(done) == "all done · 4 of 4 sets"


def test_the_dashboard_shows_the_plan_rows():
    console = Console(width=120, record=True)
    view = Dashboard()
    view.update(make_snapshot(plan=_progress(closed=[SetSummary(1, 0.0, 30.0, 10, 0, "squats")], t=48.0)))
    console.print(view)
    text = console.export_text()
    assert re.search(r"plan +squats · set 2 of 2 · 0 / 10 @ 16 kg", text)
    assert "rest 0:42 · next: push-ups x 8" in text


def test_plain_progress_says_when_the_plan_moves_on():
    out = io.StringIO()
    ui = PlainProgress(out, every_s=1000.0)
    ui.update(make_snapshot(step=make_step(t=1.0), plan=_progress(t=1.0)))
    ui.update(make_snapshot(step=make_step(t=2.0), plan=_progress(t=2.0)))
    ui.update(make_snapshot(step=make_step(t=31.0), plan=_progress(closed=[SetSummary(1, 0.0, 30.0, 10, 0,
                                                                                      "squats")], t=31.0)))
    lines = out.getvalue().splitlines()
    assert sum("plan:" in line for line in lines) == 2  # the first status line, then the move to set 2
    assert lines[-1].endswith("plan: squats · set 2 of 2 · 0 / 10 @ 16 kg")


def test_the_overlay_banner_and_the_live_state_show_the_plan():
    snapshot = make_snapshot(plan=_progress(closed=[SetSummary(1, 0.0, 30.0, 10, 0, "squats")], t=48.0))
    texts = [i.text for i in overlay_items(snapshot, 640, 480) if isinstance(i, Text)]
    assert "squats · set 2 of 2 · 0 / 10 @ 16 kg" in texts and "rest 0:42 · next: push-ups x 8" in texts
    state = live_state(snapshot)["plan"]
    assert (state["exercise"], state["set"], state["target"], state["rest_left_s"], state["next"]) == (
        "squats", 2, 10.0, 42.0, "push_ups")
    assert state["rest"] == "rest 0:42 · next: push-ups x 8"
    assert live_state(make_snapshot())["plan"] is None and live_state(None)["plan"] is None

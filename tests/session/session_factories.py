"""Builders of engine events and summaries for the session tests (steps, reps, a sample workout, hypothesis)."""

from __future__ import annotations

import math
from dataclasses import replace
from datetime import UTC

from hypothesis import strategies as st

from fitness.exercise.events import FormIssue, MachineStep, RepEvent, Signals
from fitness.session.summary import WORKOUT_KINDS, SetSummary, WorkoutSummary

SIGNAL = "knee_deg"


def rep(
    index: int, start_t: float, end_t: float, counted: bool = True, issues=(), score: float = 100.0, side=None
) -> RepEvent:
    return RepEvent(
        index=index,
        start_t=start_t,
        end_t=end_t,
        counted=counted,
        phases={
            "eccentric_s": (end_t - start_t) * 0.45,
            "bottom_s": (end_t - start_t) * 0.1,
            "concentric_s": (end_t - start_t) * 0.45,
        },
        rom=(90.0 if counted else 125.0, 170.0),
        issues=tuple(issues),
        score=score,
        reason=None if counted else "depth",
        side=side,
    )


def step(
    t: float, value: float = 170.0, *, visible: bool = True, reps=(), issues=(), hold_s: float = 0.0
) -> MachineStep:
    return MachineStep(
        t=t,
        signals=Signals(t, {SIGNAL: value if visible else math.nan}, visible),
        phase="top",
        reps=0,
        no_reps=0,
        new_reps=tuple(reps),
        new_issues=tuple(issues),
        visible=visible,
        hold_s=hold_s,
    )


def issue(rule_id: str, t: float, rep_index: int | None = None) -> FormIssue:
    return FormIssue(rule_id, f"fix {rule_id}", "warning", t, rep_index)


def squat_value(t: float, period_s: float = 3.0) -> float:
    """A knee angle going 170 -> 90 -> 170 once per period (the shape the plot shows)."""
    return 130.0 + 40.0 * math.cos(2 * math.pi * t / period_s)


def sample_summary(started_at: str = "2024-05-01T07:30:00+00:00", exercise: str = "squats") -> WorkoutSummary:
    """Two sets of squats (3 s reps, 25 s rest between sets), one no-rep, one chest_up fault, a full trace.

    Fixed numbers so the plot golden image and the CLI output are reproducible.
    """
    reps = []
    plan = [  # (set, start_t, counted, issues, score)
        (1, 0.0, True, (), 98.0),
        (1, 3.0, True, ("chest_up",), 72.0),
        (1, 6.0, False, (), 55.0),
        (1, 9.0, True, (), 95.0),
        (2, 37.0, True, (), 100.0),
        (2, 40.0, True, (), 90.0),
        (2, 43.0, True, ("chest_up",), 70.0),
    ]
    for i, (set_index, start, counted, issues, score) in enumerate(plan, start=1):
        r = rep(i, start, start + 3.0, counted, issues, score)
        reps.append(replace(r, set_index=set_index, signal=SIGNAL))
    fps = 10.0
    times = [i / fps for i in range(int(47 * fps))]
    def knee(t: float) -> float | None:
        if 20.0 <= t < 24.0:
            return None  # out of frame for 4 s between the sets
        for r in reps:
            if r.start_t <= t < r.end_t:
                depth = 80.0 if r.counted else 45.0
                return round(170.0 - depth * math.sin(math.pi * (t - r.start_t) / 3.0), 3)
        return 170.0

    values = [knee(t) for t in times]
    return WorkoutSummary(
        exercise=exercise,
        title="Bodyweight squat",
        source="video:squats.mp4",
        model="movenet-lightning/litert",
        started_at=started_at,
        duration_s=47.0,
        frames=len(times),
        fps=fps,
        reps=6,
        no_reps=1,
        rep_details=tuple(reps),
        issues={"chest_up": 2},
        sets=(SetSummary(1, 0.0, 12.0, 3, 1, exercise), SetSummary(2, 37.0, 46.0, 3, 0, exercise)),
        params={"top_deg": 160.0, "depth_deg": 100.0},
        trace={"signal": SIGNAL, "t": times, "value": values},
    )


# -- hypothesis --------------------------------------------------------------------------------------
# Everything a real export can hold: printable names, times >= 0, scores 0-100, ISO dates, unique indices.
_text = st.text(st.characters(blacklist_categories=("Cs", "Cc")), max_size=12)
_name = _text.filter(bool)
_finite = st.floats(min_value=-1e6, max_value=1e6, allow_nan=False, allow_infinity=False)
_seconds = st.floats(min_value=0, max_value=1e6, allow_nan=False, allow_infinity=False)
_maybe_nan = st.one_of(_finite, st.just(math.nan))
_maybe_seconds = st.one_of(_seconds, st.just(math.nan))
_dates = st.datetimes(timezones=st.just(UTC)).map(lambda d: d.isoformat(timespec="seconds"))


@st.composite
def rep_events(draw, index: int) -> RepEvent:
    start = draw(_seconds)
    rom = sorted([draw(_finite), draw(_finite)])
    return RepEvent(
        index=index,
        start_t=start,
        end_t=start + draw(st.floats(0, 100)),
        counted=draw(st.booleans()),
        phases=draw(st.dictionaries(_name, _maybe_seconds, max_size=3)),
        rom=draw(st.sampled_from([tuple(rom), (math.nan, math.nan), (rom[0], math.nan)])),
        issues=tuple(draw(st.lists(_name, max_size=3))),
        score=draw(st.one_of(st.floats(0, 100), st.just(math.nan))),
        reason=draw(st.none() | _text),
        side=draw(st.sampled_from([None, "left", "right"])),
        set_index=draw(st.integers(1, 5)),
        exercise=draw(st.sampled_from(["", "squats", "push_ups"])),
        signal=draw(_text),
    )


@st.composite
def plan_objects(draw) -> dict:
    """A `plan` object as fitness.plan.tracker.PlanResult.to_dict writes it."""
    blocks = []
    for i in range(draw(st.integers(1, 3))):
        hold = draw(st.booleans())
        done = draw(st.lists(st.floats(0, 600) if hold else st.integers(0, 50), max_size=3))
        load = None if hold else draw(st.none() | st.floats(0.5, 200))
        blocks.append({
            "index": i, "exercise": draw(_name), "planned_sets": draw(st.integers(1, 5)),
            "planned_reps": None if hold else draw(st.integers(1, 30)),
            "planned_hold_s": draw(st.floats(1, 600)) if hold else None, "load_kg": load,
            "sets": list(range(1, len(done) + 1)), "done": done, "done_sets": len(done),
            "complete": draw(st.booleans()), "volume_kg": None if load is None else sum(done) * load,
        })
    return {"name": draw(_name), "title": draw(_text), "blocks": blocks,
            "extra_sets": draw(st.lists(st.integers(1, 9), max_size=2)), "complete": draw(st.booleans()),
            "volume_kg": sum(b["volume_kg"] or 0.0 for b in blocks)}


@st.composite
def workout_summaries(draw) -> WorkoutSummary:
    n_reps = draw(st.integers(0, 6))
    n_trace = draw(st.integers(0, 20))
    ints = st.integers(0, 2**40)
    set_starts = [draw(_seconds) for _ in range(draw(st.integers(0, 3)))]
    exercise = draw(_name)
    return WorkoutSummary(
        exercise=exercise,
        title=draw(_text),
        source=draw(_text),
        model=draw(_text),
        started_at=draw(_dates),
        duration_s=draw(st.floats(0, 1e5)),
        frames=draw(ints),
        fps=draw(st.one_of(st.floats(0, 240), st.just(math.nan))),
        reps=draw(ints),
        no_reps=draw(ints),
        rep_details=tuple(draw(rep_events(i)) for i in range(1, n_reps + 1)),
        issues=draw(st.dictionaries(_name, st.integers(0, 1000), max_size=4)),
        sets=tuple(
            SetSummary(i, start, start + draw(_seconds), draw(st.integers(0, 50)), draw(st.integers(0, 50)),
                       draw(st.sampled_from([exercise, "push_ups", "plank"])))
            for i, start in enumerate(set_starts, start=1)
        ),
        hold_s=draw(st.none() | st.floats(0, 1e4)),
        reps_by_side=draw(st.dictionaries(st.sampled_from(["left", "right"]), st.integers(0, 100))),
        params=draw(st.dictionaries(_name, _finite, max_size=4)),
        trace=(
            {
                "signal": draw(_text),
                "t": [float(i) for i in range(n_trace)],
                "value": draw(st.lists(st.none() | _finite, min_size=n_trace, max_size=n_trace)),
            }
            if n_trace
            else {}
        ),
        interrupted=draw(st.booleans()),
        kind=draw(st.sampled_from(WORKOUT_KINDS)),
        plan=draw(st.none() | plan_objects()),
        group_id=draw(st.none() | st.integers(1, 2**40)),
        person=draw(st.none() | _name),
    )


def record(summary: WorkoutSummary) -> dict:
    """What 'identical records' means: the JSON form, without the store-assigned id."""
    d = summary.to_dict()
    d.pop("id")
    return d


def plan_workout(started_at: str = "2024-05-06T07:30:00+00:00", **fields) -> WorkoutSummary:
    """A plan workout: squats then push-ups, the plan loading the squats with 12.5 kg (`fields`: more of the
    summary's, e.g. group_id and person)."""
    sets = (SetSummary(1, 0.0, 12.0, 3, 1, "squats"), SetSummary(2, 37.0, 46.0, 3, 0, "push_ups"))
    plan = {"name": "legs", "title": "Legs", "blocks": [
        {"index": 0, "exercise": "squats", "planned_sets": 1, "planned_reps": 3, "planned_hold_s": None,
         "load_kg": 12.5, "sets": [1], "done": [3], "done_sets": 1, "complete": True, "volume_kg": 37.5},
        {"index": 1, "exercise": "push_ups", "planned_sets": 2, "planned_reps": 5, "planned_hold_s": None,
         "load_kg": None, "sets": [2], "done": [3], "done_sets": 1, "complete": False, "volume_kg": None},
    ], "extra_sets": [], "complete": False, "volume_kg": 37.5}
    return replace(sample_summary(started_at, "legs"), sets=sets, kind="plan", plan=plan, **fields)

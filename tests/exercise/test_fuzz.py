"""Hypothesis throws random YAML and random expressions at the loader: only DefinitionError may come out."""

from __future__ import annotations

import math
import os

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fitness.errors import DefinitionError
from fitness.exercise import parse_exercise

from .test_loader import GOOD

# FUZZ_EXAMPLES=5000 for a longer hunt; the default keeps the suite fast.
SETTINGS = settings(
    max_examples=int(os.environ.get("FUZZ_EXAMPLES", "150")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)

scalars = st.one_of(
    st.none(), st.booleans(), st.integers(-(10**6), 10**6), st.floats(allow_nan=True), st.text(max_size=30)
)
values = st.recursive(
    scalars,
    lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=12), inner, max_size=4)),
    max_leaves=20,
)
KEYS = [
    "name",
    "title",
    "views",
    "side",
    "requires",
    "min_score",
    "params",
    "levels",
    "metrics",
    "rep",
    "hold",
    "form",
    "rep_checks",
    "bogus",
]
TOKENS = [
    "knee_deg",
    "top_deg",
    "depth_deg",
    "knee",
    "hip",
    "ankle",
    "torso",
    "knee.x",
    "hip.score",
    "angle(",
    "incline(",
    "distance(",
    "mid(",
    "min(",
    "max(",
    "abs(",
    "range(",
    "mean(",
    ")",
    ",",
    "+",
    "-",
    "*",
    "/",
    "**",
    "<",
    ">",
    "==",
    "and",
    "or",
    "not",
    "1",
    "2.5",
    "1e9",
    "(",
    "[",
    "]",
    ".__class__",
    "lambda",
    ":",
    "if",
    "else",
    "'s'",
    "_",
    "x",
]


def accepts_or_definition_error(text: str, **kw) -> None:
    try:
        parse_exercise(text, file="fuzz.yaml", **kw)
    except DefinitionError:
        pass


@SETTINGS
@given(st.text(max_size=300))
def test_random_text(text):
    accepts_or_definition_error(text)


@SETTINGS
@given(st.dictionaries(st.sampled_from(KEYS), values, max_size=8))
def test_random_structures(doc):
    accepts_or_definition_error(yaml.safe_dump(doc))


@SETTINGS
@given(st.lists(st.sampled_from(TOKENS), min_size=1, max_size=14).map(" ".join))
def test_random_expressions_in_every_expression_slot(expr):
    quoted = yaml.safe_dump(expr, default_style='"').strip()
    for old in ("angle(hip, knee, ankle)", "knee_deg > top_deg", "knee_deg < 40"):
        accepts_or_definition_error(GOOD.replace(old, quoted))


@SETTINGS
@given(
    st.dictionaries(
        st.sampled_from(["top_deg", "depth_deg", "x"]), st.one_of(st.floats(), st.text(max_size=5)), max_size=2
    ),
    st.one_of(st.none(), st.sampled_from(["easy", "hard"])),
)
def test_random_overrides_and_levels(overrides, level):
    accepts_or_definition_error(GOOD, overrides=overrides, level=level)


@SETTINGS
@given(st.lists(st.tuples(st.integers(0, GOOD.count("\n")), st.text(max_size=8)), max_size=4))
def test_random_edits_of_a_good_file(edits):
    lines = GOOD.splitlines()
    for line, text in edits:
        lines.insert(min(line, len(lines)), text)
    accepts_or_definition_error("\n".join(lines))


coordinate = st.one_of(st.floats(-1e6, 1e6), st.just(float("nan")), st.just(float("inf")), st.just(-1e30))
MACHINES = {}
RULE_IDS: dict[str, set[str]] = {}


@SETTINGS
@given(
    st.sampled_from(["squats", "push_ups", "lunges", "jumping_jacks", "shoulder_press", "plank"]),
    st.lists(
        st.tuples(
            st.lists(coordinate, min_size=34, max_size=34),
            st.lists(st.floats(0, 1), min_size=17, max_size=17),
            st.one_of(st.floats(-10, 1e4), st.just(float("nan"))),
            st.booleans(),
        ),
        min_size=1,
        max_size=20,
    ),
)
def test_the_machine_never_raises_on_strange_poses_or_times(name, frames):
    import numpy as np

    from fitness.exercise import ExerciseMachine, load_exercise
    from fitness.pose.types import Pose

    if name not in MACHINES:
        d = MACHINES[name] = load_exercise(name)
        partial = {d.rep.partial.id} if d.rep and d.rep.partial else set()
        RULE_IDS[name] = {r.id for r in (*d.form, *d.rep_checks)} | partial
    machine = ExerciseMachine(MACHINES[name])
    reps = no_reps = 0
    last_t, last_index = -math.inf, 0
    steps = []
    for xy, score, t, present in frames:
        pose = Pose(np.array(xy, dtype=np.float64).reshape(17, 2), np.array(score), t) if present else None
        steps.append(machine.update(pose, t))
    steps.append(machine.finish(1e5))
    for step in steps:
        # The clock never runs backwards, and the totals are exactly the reps and no-reps reported one by one.
        assert step.t >= last_t and not math.isnan(step.t)
        last_t = step.t
        for rep in step.new_reps:
            assert rep.index == last_index + 1 and rep.start_t <= rep.end_t <= step.t
            last_index = rep.index
            reps += rep.counted
            no_reps += not rep.counted
        assert (step.reps, step.no_reps) == (reps, no_reps)
        assert step.visible == step.signals.visible and (step.guidance is None or step.guidance.strip())
        assert all(issue.rule_id in RULE_IDS[name] for issue in (*step.active, *step.new_issues))


def _tree(loader, text: str):
    """parse_yaml's Node tree with `loader` as its composer (or the DefinitionError's message and position)."""
    import fitness.exercise.yamlsrc as yamlsrc

    saved = yamlsrc._FAST_LOADER
    yamlsrc._FAST_LOADER = loader
    try:
        return yamlsrc.parse_yaml(text, "x.yaml")
    except DefinitionError as exc:
        return (exc.message, exc.line, exc.column)
    finally:
        yamlsrc._FAST_LOADER = saved


def test_every_built_in_exercise_reads_the_same_with_libyaml_as_with_pure_python():
    from importlib.resources import files

    texts = [f.read_text() for f in files("fitness._exercises").iterdir() if f.name.endswith(".yaml")]
    assert len(texts) >= 10 and getattr(yaml, "CSafeLoader", None) is not None
    for text in texts:
        assert _tree(yaml.CSafeLoader, text) == _tree(None, text)


@SETTINGS
@given(st.dictionaries(st.sampled_from(KEYS), values, max_size=8), st.sampled_from(["block", "flow", "cut"]))
def test_random_documents_read_the_same_with_libyaml_as_with_pure_python(doc, style):
    text = yaml.safe_dump(doc, default_flow_style=style == "flow", allow_unicode=True)
    if style == "cut":
        text = text[: len(text) // 2]  # often invalid YAML: the messages must not change either
    assert _tree(yaml.CSafeLoader, text) == _tree(None, text)

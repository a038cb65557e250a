"""Importing a summary file: every problem is one line with the JSON path, and nothing is stored unless the
whole document is valid."""

from __future__ import annotations

import json
import math
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from session_factories import sample_summary

from fitness.errors import HistoryError
from fitness.session import summary_schema
from fitness.session.store import HistoryStore, summary_from_json  # the entry point `history import` has always used
from fitness.session.summary_schema import read_summary_file


def exported() -> dict:
    return json.loads(sample_summary().to_json())


def changed(**edits) -> str:
    """The sample export with `path=value` edits; paths use '__' for nesting and digits for list items."""
    doc = exported()
    for path, value in edits.items():
        *parents, last = [int(p) if p.isdigit() else p for p in path.split("__")]
        target = doc
        for part in parents:
            target = target[part]
        target[last] = value
    return json.dumps(doc)


BAD_DOCUMENTS = {
    "deep nesting": (
        "[" * 100_000 + "]" * 100_000,
        "x.json: nested too deeply to be a workout summary; " + summary_schema.EXPECTED,
    ),
    "400-digit integer": (
        changed(duration_s=10**399),
        "x.json: duration_s: must be between 0 and 1e+09, got a 400-digit number",
    ),
    "400-digit count": (
        changed(frames=10**399),
        "x.json: frames: must be between 0 and 9007199254740991, got a 400-digit number",
    ),
    "5000-digit integer": (
        '{"frames": 1' + "0" * 5000 + "}",
        "x.json is not readable JSON (a number has too many digits); " + summary_schema.EXPECTED,
    ),
    "NaN duration": (changed(duration_s=math.nan), "x.json: duration_s: expected a number of seconds, got NaN"),
    "Infinity score": (
        changed(rep_details__2__score=math.inf),
        "x.json: rep_details[2].score: expected a number or null, got Infinity",
    ),
    "1e999": (
        changed(duration_s=1.0).replace('"duration_s": 1.0', '"duration_s": 1e999'),
        "x.json: duration_s: must be between 0 and 1e+09, got inf",
    ),
    "duplicate rep index": (changed(rep_details__3__index=2), "x.json: rep_details[3].index: duplicate rep index 2"),
    "duplicate set index": (changed(sets__1__index=1), "x.json: sets[1].index: duplicate set index 1"),
    "not a date": (
        changed(started_at="not a date"),
        'x.json: started_at: expected an ISO 8601 date-time like 2024-05-31T07:30:00+00:00, got a string "not a date"',
    ),
    "negative reps": (changed(reps=-3), "x.json: reps: must be between 0 and 9007199254740991, got -3"),
    "negative set reps": (
        changed(sets__0__no_reps=-1),
        "x.json: sets[0].no_reps: must be between 0 and 9007199254740991, got -1",
    ),
    "escape codes in the name": (
        changed(exercise="squats\x1b[2J\x1b[31m"),
        "x.json: exercise: contains control characters (\\x1b), which would garble a terminal",
    ),
    "escape codes in a rule id": (
        changed(issues={"chest\x9b_up": 2}),
        'x.json: issues["chest\\u009b_up"]: contains control characters (\\x9b), which would garble a terminal',
    ),
    "newline in a title": (
        changed(title="a\nb"),
        "x.json: title: contains control characters (\\n), which would garble a terminal",
    ),
    "lone surrogate": (changed(model="\ud800"), "x.json: model: contains a lone UTF-16 surrogate (not valid Unicode)"),
    "very long name": (
        changed(exercise="s" * 5000),
        "x.json: exercise: is 5000 characters long; at most 100 are allowed",
    ),
    "empty name": (changed(exercise=""), "x.json: exercise: must not be empty"),
    "score above 100": (
        changed(rep_details__0__score=120),
        "x.json: rep_details[0].score: must be between 0 and 100, got 120",
    ),
    "negative phase": (
        changed(rep_details__1__phases={"eccentric_s": -1.0}),
        "x.json: rep_details[1].phases.eccentric_s: must be between 0 and 1e+09, got -1.0",
    ),
    "rep ends before it starts": (
        changed(rep_details__0__end_t=0.0, rep_details__0__start_t=2.0),
        "x.json: rep_details[0].end_t: the rep ends (0 s) before it starts (2 s)",
    ),
    "reversed range of motion": (
        changed(rep_details__0__rom=[170, 90]),
        "x.json: rep_details[0].rom: lowest 170 is above highest 90",
    ),
    "counted as a string": (
        changed(rep_details__0__counted="yes"),
        'x.json: rep_details[0].counted: expected true or false, got a string "yes"',
    ),
    "missing rep key": (
        json.dumps({**exported(), "rep_details": [{"index": 1, "start_t": 0, "end_t": 1}]}),
        "x.json: rep_details[0].counted: missing key (every summary has it)",
    ),
    "hold as text": (
        changed(hold_s="long"),
        'x.json: hold_s: expected a number of seconds or null, got a string "long"',
    ),
    "trace lengths differ": (changed(trace__value=[1.0]), "x.json: trace.value: has 1 values for 470 times"),
    "nested junk in the trace": (
        changed(trace__extra=[[[]]]),
        "x.json: trace.extra: unexpected key in the trace (it holds signal, t and value)",
    ),
    "parameter not a number": (changed(params__top_deg=[1]), "x.json: params.top_deg: expected a number, got an array"),
    "newer schema": (
        changed(schema_version=2),
        "x.json: schema_version: summary schema_version 2, this fitness reads 1 to 1; upgrade fitness",
    ),
    "unknown kind": (
        changed(kind="circuit"), "x.json: kind: expected one of single, auto, plan, got a string \"circuit\""
    ),
    "plan without blocks": (changed(plan={"name": "legs"}), "x.json: plan.blocks: missing key (every summary has it)"),
    "plan block done as text": (
        changed(plan={"name": "legs", "blocks": [{"index": 0, "exercise": "squats", "planned_sets": 3,
                                                  "planned_reps": 10, "done": ["ten"]}]}),
        "x.json: plan.blocks[0].done[0]: expected a whole number, got a string \"ten\"",
    ),
    "negative load": (
        changed(plan={"name": "legs", "blocks": [{"index": 0, "exercise": "squats", "planned_sets": 3,
                                                  "load_kg": -5}]}),
        "x.json: plan.blocks[0].load_kg: must be between 0 and 1e+06, got -5",
    ),
    "group id zero": (changed(group_id=0), "x.json: group_id: must be between 1 and 9007199254740991, got 0"),
    "duplicate person": (
        changed(people=[{"id": 2, "reps": 3}, {"id": 2, "reps": 1}]), "x.json: people[1].id: duplicate person id 2"
    ),
    "person last seen before first": (
        changed(people=[{"id": 1, "reps": 3, "first_seen_s": 5.0, "last_seen_s": 1.0}]),
        "x.json: people[0].last_seen_s: last seen (1 s) before first seen (5 s)",
    ),
    "person without reps": (changed(people=[{"id": 1}]), "x.json: people[0].reps: missing key (every summary has it)"),
    "track row without its box": (
        changed(tracks=[[0.0, 1, [1, 2, 3, 4]], [0.033, 1]]),
        "x.json: tracks[1]: expected [t_s, id, [x0, y0, x1, y1]], got an array of 2",
    ),
    "track box turned inside out": (
        changed(tracks=[[0.5, 1, [300, 20, 100, 400]]]),
        "x.json: tracks[0][2]: the box's far corner (100, 400) is left of or above its near one (300, 20)",
    ),
    "track id as text": (
        changed(tracks=[[0.5, "a", [1, 2, 3, 4]]]), 'x.json: tracks[0][1]: expected a whole number, got a string "a"'
    ),
    "NaN in a track box": (
        changed(tracks=[[0.5, 1, [1, math.nan, 3, 4]]]), "x.json: tracks[0][2][1]: expected a number, got NaN"
    ),
}


@pytest.mark.parametrize("text, message", BAD_DOCUMENTS.values(), ids=BAD_DOCUMENTS.keys())
def test_each_problem_is_one_line_with_its_path(text, message):
    with pytest.raises(HistoryError) as err:
        summary_from_json(text, source="x.json")
    assert str(err.value) == message
    assert "\n" not in str(err.value) and "\x1b" not in str(err.value)


def test_a_valid_export_passes_and_unknown_keys_are_ignored():
    doc = {
        **exported(),
        "comment": "from a newer fitness",
        "rep_details": [{**r, "tempo": [1, 2]} for r in exported()["rep_details"]],
    }
    summary = summary_from_json(json.dumps(doc), "x.json")
    assert summary.reps == 6 and len(summary.rep_details) == 7


def test_a_people_run_passes_with_everyone_and_their_tracks():
    rep = exported()["rep_details"][0]
    doc = {
        **exported(),
        "people": [{"id": 2, "name": "Ann", "reps": 1, "no_reps": 0, "rep_details": [rep], "first_seen_s": 0.0,
                    "last_seen_s": 9.5},
                   {"id": 1, "name": None, "reps": 0, "no_reps": 0, "rep_details": [], "first_seen_s": 0.5,
                    "last_seen_s": 9.5}],
        "tracks": [[0.0, 2, [10.5, 20.0, 110.0, 400.1]], [0.033, 2, [11, 20, 111, 400]], [0.5, 1, [-3.5, 0, 0, 10]]],
    }
    summary = summary_from_json(json.dumps(doc), "x.json")
    assert summary.reps == 6  # the top level is the followed person's, as in any summary


@pytest.mark.parametrize(
    "text, message", [BAD_DOCUMENTS[k] for k in ("NaN duration", "duplicate rep index", "deep nesting")]
)
def test_the_cli_import_stores_nothing_from_a_bad_file(capsys, tmp_path, text, message):
    from fitness.cli import app

    file = tmp_path / "x.json"
    file.write_text(text)
    db = tmp_path / "h.sqlite3"
    assert app(["history", "import", str(file), "--db", str(db)]) == 1
    err = capsys.readouterr().err
    assert err == f"fitness: error: {str(file)}{message.removeprefix('x.json')}\n"
    if db.exists():
        with HistoryStore.open(db) as store:
            assert store.count_sessions() == 0


def test_files_larger_than_the_limit_are_refused_before_parsing(capsys, tmp_path, monkeypatch):
    from fitness.cli import app

    monkeypatch.setattr(summary_schema, "MAX_FILE_BYTES", 2000)
    file = tmp_path / "big.json"
    file.write_text(json.dumps({**exported(), "trace": {}, "rep_details": []}) + " " * 2000)
    assert app(["history", "import", str(file), "--db", str(tmp_path / "h.sqlite3")]) == 1
    assert capsys.readouterr().err == (
        f"fitness: error: {file} is larger than 2000 bytes, far more than any workout summary; "
        f"{summary_schema.EXPECTED}\n"
    )
    file.write_text(" " * 1999)
    with pytest.raises(HistoryError, match="not valid JSON"):
        read_summary_file(file)


def test_a_file_that_is_not_utf8_is_one_line(tmp_path):
    file = tmp_path / "latin1.json"
    file.write_bytes(b'{"exercise": "sq\xfcats"}')
    with pytest.raises(HistoryError, match="is not UTF-8 text"):
        read_summary_file(file)


# Any JSON value (NaN, huge numbers, deep structures, odd text) put anywhere in a valid export.
_json = st.recursive(
    st.none() | st.booleans() | st.integers(-(10**400), 10**400) | st.floats() | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3),
    max_leaves=8,
)


def _paths(doc) -> list[tuple]:
    out: list[tuple] = []
    for key, value in doc.items():
        out.append((key,))
        if key in ("rep_details", "sets") and value:
            out += [(key, 0, k) for k in value[0]] + [(key, 0)]
        if isinstance(value, dict):
            out += [(key, k) for k in value]
    return out


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_any_value_anywhere_is_refused_in_one_line_or_imports_cleanly(data):
    doc = exported()
    path = data.draw(st.sampled_from(_paths(doc)))
    target = doc
    for part in path[:-1]:
        target = target[part]
    target[path[-1]] = data.draw(_json)
    try:
        summary = summary_from_json(json.dumps(doc), "x.json")
    except HistoryError as exc:
        assert "\n" not in str(exc) and str(exc).startswith("x.json")
        return
    with tempfile.TemporaryDirectory() as tmp, HistoryStore.open(Path(tmp) / "h.sqlite3") as store:
        stored = store.import_summary(summary)
        assert store.get(stored.id).reps == summary.reps

"""Param ranges: declared in the file ({value, min, max}) or implied by the name's unit; levels are checked at
load and `--set` values against the same range (ParamDef, the one home of a param's range)."""

from __future__ import annotations

import math
import textwrap

import pytest
from hypothesis import given
from hypothesis import strategies as st

from fitness.errors import DefinitionError
from fitness.exercise import load_exercise, parse_exercise
from fitness.exercise.definition import UNIT_RANGES, ParamDef, unit_range
from fitness.exercise.loader import builtin_dir

from .test_loader import GOOD, error_of

RANGED = GOOD.replace("  depth_deg: 100", "  depth_deg: {value: 100, min: 60, max: 130}")


def test_a_declared_range_and_the_plain_form_both_load():
    d = parse_exercise(RANGED, file="x.yaml")
    assert d.params == {"top_deg": 160, "depth_deg": 100}
    assert d.param_defs["depth_deg"] == ParamDef("depth_deg", 100, 60, 130)
    assert d.param_defs["top_deg"] == ParamDef("top_deg", 160, *UNIT_RANGES["_deg"])
    block = GOOD.replace("  depth_deg: 100", "  depth_deg:\n    value: 100\n    max: 130")
    assert parse_exercise(block).param_defs["depth_deg"] == ParamDef("depth_deg", 100, 0, 130)


@pytest.mark.parametrize(
    "old,new,expected,line,column",
    [
        ("min: 60", "min: 110", "the value 100 is outside 110..130", 5, 22),
        ("max: 130", "max: 50", "the range of depth_deg is empty", 5, 41),
        ("min: 60, max: 130", "mn: 60", "unknown key 'mn'", 5, 27),
        ("value: 100, ", "", "the required key 'value' is missing", 5, 14),
        ("value: 100", "value: deep", "expected a number", 5, 22),
        ("  depth_deg: {value: 100, min: 60, max: 130}", "  depth_deg: 200", "outside 0..180", 5, 14),
        ("  easy: {depth_deg: 110}", "  easy: {depth_deg: 140}", "depth_deg must be between 60 and 130", 7, 21),
    ],
)
def test_range_mistakes_point_at_themselves(old, new, expected, line, column):
    assert old in RANGED
    e = error_of(RANGED.replace(old, new))
    assert expected in e.message, e.message
    assert (e.line, e.column) == (line, column)


def test_a_unit_range_that_does_not_fit_says_how_to_declare_one():
    e = error_of(GOOD.replace("  top_deg: 160", "  top_deg: 160\n  lift_pct: -60"))
    assert str(e) == (
        "x.yaml:5:13: params.lift_pct: the value -60 is outside 0..200; that is the range of its unit (lift_pct's "
        "name ends in _pct): declare its own, e.g. lift_pct: {value: -60, min: LOWEST, max: HIGHEST}"
    )


@pytest.mark.parametrize(
    "value,expected",
    [
        (-500.0, "--set depth_pct=-500: depth_pct must be between 40 and 100 (default 78)"),
        (1e308, "--set depth_pct=1e+308: depth_pct must be between 40 and 100 (default 78)"),
        (math.nan, "--set depth_pct=nan: depth_pct must be a number between 40 and 100 (default 78)"),
        (math.inf, "--set depth_pct=inf: depth_pct must be between 40 and 100 (default 78)"),
        (-math.inf, "--set depth_pct=-inf: depth_pct must be between 40 and 100 (default 78)"),
        ("deep", "--set depth_pct=deep: expected a number"),
        ("nan", "--set depth_pct=nan: depth_pct must be a number between 40 and 100 (default 78)"),
        (-(10**400), "--set depth_pct=-1000000000000000000...(402 characters): depth_pct must be between 40 and 100 "
                     "(default 78)"),
        (10**5000, "--set depth_pct=(a number too long to show): depth_pct must be between 40 and 100 (default 78)"),
    ],
    ids=["-500", "1e308", "nan", "inf", "-inf", "text", "nan-text", "400-digits", "5000-digits"],
)
def test_set_values_outside_the_declared_range_are_refused(value, expected):
    with pytest.raises(DefinitionError) as info:
        load_exercise("squats", overrides={"depth_pct": value})
    assert str(info.value) == expected


def test_set_values_outside_a_unit_range_are_refused_and_inside_accepted():
    with pytest.raises(DefinitionError) as info:
        load_exercise("squats", overrides={"chest_lean_deg": 270.0})
    assert str(info.value) == "--set chest_lean_deg=270: chest_lean_deg must be between 0 and 180 (default 45)"
    assert load_exercise("squats", overrides={"depth_pct": 40, "chest_lean_deg": 180}).params["depth_pct"] == 40
    assert load_exercise("squats", level="pro", overrides={"depth_pct": 100}).params["depth_pct"] == 100


def test_an_unknown_set_name_suggests_the_param():
    with pytest.raises(DefinitionError) as info:
        load_exercise("squats", overrides={"dept_pct": 70.0})
    assert str(info.value) == (
        "--set dept_pct=70: unknown param 'dept_pct' (params of squats: stand_pct, depth_pct, partial_pct, "
        "chest_lean_deg, knee_track, depth_deg) — did you mean 'depth_pct'?"
    )


@pytest.mark.parametrize("path", sorted(builtin_dir().glob("*.yaml")), ids=lambda p: p.stem)
def test_every_shipped_param_level_and_default_lies_in_its_range(path):
    d = load_exercise(path)
    assert d.param_defs.keys() == d.params.keys()
    for name, p in d.param_defs.items():
        assert p.low < p.high and p.problem(p.default) is None
        assert all(p.problem(values[name]) is None for values in d.levels.values() if name in values)
    for level in d.levels:
        load_exercise(path, level=level)


def test_a_level_outside_the_range_is_refused_even_when_not_chosen():
    text = (builtin_dir() / "squats.yaml").read_text().replace("pro: {depth_pct: 70", "pro: {depth_pct: 30")
    with pytest.raises(DefinitionError) as info:
        parse_exercise(text, file="squats.yaml", level="beginner")
    assert info.value.field == "levels.pro.depth_pct"
    assert info.value.message == "depth_pct must be between 40 and 100 (default 78), got 30"


@pytest.mark.parametrize("suffix,bounds", list(UNIT_RANGES.items()))
def test_unit_suffixes_give_their_range(suffix, bounds):
    assert unit_range(f"knee{suffix}", 1.0) == bounds
    assert unit_range(f"knee{suffix}", -5.0) == bounds


@given(st.floats(-1e12, 1e12, allow_nan=False))
def test_a_param_without_a_unit_keeps_its_sign_and_its_default_in_range(default):
    low, high = unit_range("sag", default)
    assert low <= default <= high and low < high
    assert (low >= 0) if default > 0 else (high <= 0) if default < 0 else (low < 0 < high)


def test_a_plain_param_gets_a_hundred_times_its_default():
    text = textwrap.dedent(GOOD).replace("  top_deg: 160", "  top_deg: 160\n  sag: 0.13")
    assert parse_exercise(text).param_defs["sag"] == ParamDef("sag", 0.13, 0.0, 13.0)
    with pytest.raises(DefinitionError, match="sag must be between 0 and 13"):
        parse_exercise(text, overrides={"sag": -0.5})

"""The loader: every mistake is a DefinitionError with file, line, column, field and a suggestion; levels and
overrides; the search order of folders."""

from __future__ import annotations

import dataclasses
import textwrap

import pytest

from fitness import paths
from fitness.errors import DefinitionError
from fitness.exercise import list_exercises, load_exercise, parse_exercise
from fitness.exercise.consistent import LOW_SCORE

GOOD = """\
name: mini
views: [side]
params:
  top_deg: 160
  depth_deg: 100
levels:
  easy: {depth_deg: 110}
metrics:
  knee_deg: angle(hip, knee, ankle)
rep:
  signal: knee_deg
  states:
    top: knee_deg > top_deg
    bottom: knee_deg < depth_deg
form:
  - id: deep
    when: knee_deg < 40
    message: Not that deep
"""


def error_of(text: str, **kw) -> DefinitionError:
    with pytest.raises(DefinitionError) as info:
        parse_exercise(textwrap.dedent(text), file="x.yaml", **kw)
    return info.value


def test_good_definition_loads_frozen():
    d = parse_exercise(GOOD, file="x.yaml")
    assert d.name == "mini" and d.rep.rest == "top" and d.rep.target == "bottom" and d.side == "auto"
    assert d.requires == ("ankle", "hip", "knee")
    with pytest.raises(dataclasses.FrozenInstanceError):
        d.name = "other"  # type: ignore[misc]
    with pytest.raises(TypeError):
        d.params["top_deg"] = 1  # type: ignore[index]


def test_unknown_key_points_at_it_and_suggests():
    e = error_of(GOOD.replace("views:", "veiws:"))
    assert (e.file, e.line, e.column, e.field) == ("x.yaml", 2, 1, "veiws")
    assert e.suggestion == "did you mean 'views'?"
    assert "x.yaml:2:1: veiws: unknown key 'veiws'" in str(e)


def test_unknown_metric_in_an_expression_suggests_the_close_name():
    e = error_of(GOOD.replace("bottom: knee_deg < depth_deg", "bottom: kne_deg < depth_deg"))
    assert e.line == 14 and e.column == 13 and e.field == "rep.states.bottom"
    assert "unknown name 'kne_deg'" in e.message and e.suggestion == "did you mean 'knee_deg'?"


def test_expression_column_points_inside_the_expression():
    e = error_of(GOOD.replace("knee_deg: angle(hip, knee, ankle)", "knee_deg: angle(hip, knee, ankel)"))
    assert (e.line, e.column) == (9, 30) and e.suggestion == "did you mean 'ankle'?"


@pytest.mark.parametrize(
    "old,new,expected",
    [
        ("  top_deg: 160", "  top_deg: high", "expected a number"),
        ("views: [side]", "views: [top]", "unknown name 'top'"),
        ("    message: Not that deep", "    message: [1]", "expected text"),
        ("  signal: knee_deg", "  signal: knee", "unknown metric 'knee'"),
        ("    top: knee_deg > top_deg", "    top: knee_deg + top_deg", "expected a condition"),
        ("  knee_deg: angle(hip, knee, ankle)", "  knee_deg: hip", "expected a number"),
        ("  knee_deg: angle(hip, knee, ankle)", "  knee_deg: angle(hip, knee)", "takes 3 keypoints"),
        ("    top: knee_deg > top_deg", "    top: knee_deg > 200", "unreachable"),
        ("    bottom: knee_deg < depth_deg", "    bottom: knee_deg < 170", "at the same time"),
        ("  easy: {depth_deg: 110}", "  easy: {dept_deg: 110}", "unknown param 'dept_deg'"),
        ("rep:\n", "hold: {when: knee_deg > 1}\nrep:\n", "exactly one of"),
        ("  - id: deep", "  - id: deep\n    during: [botom]", "unknown name 'botom'"),
        ("  top_deg: 160", "  top_deg: 160\n  top_deg: 150", "duplicate key"),
        ("  depth_deg: 100", "  depth_deg: &d 100\n  other: *d", "anchors and aliases"),
        ("name: mini", "name: 'Mini Squat'", "expected a exercise name"),
        ("  knee_deg: angle(hip, knee, ankle)", "  angle: angle(hip, knee, ankle)", "built-in name"),
        ("views: [side]", "views: [side]\n? [a, b]\n: x", "a key must be a plain name"),
    ],
)
def test_mistakes_are_definition_errors_with_a_position(old, new, expected):
    assert old in GOOD
    e = error_of(GOOD.replace(old, new))
    assert expected in str(e)
    assert e.file == "x.yaml" and e.line is not None


def test_unreachable_target_and_cycle_checks_need_only_the_signal():
    # A condition reading another metric cannot be judged statically: accepted.
    text = GOOD.replace(
        "  knee_deg: angle(hip, knee, ankle)",
        "  knee_deg: angle(hip, knee, ankle)\n  hip_deg: angle(shoulder, hip, knee)",
    )
    text = text.replace("bottom: knee_deg < depth_deg", "bottom: knee_deg < depth_deg and hip_deg < 90")
    assert parse_exercise(text, file="x.yaml").rep.target == "bottom"


def test_exit_condition_overlapping_enter_is_an_error():
    e = error_of(
        GOOD.replace("    top: knee_deg > top_deg", "    top: {enter: knee_deg > top_deg, exit: knee_deg < 170}")
    )
    assert "flicker" in e.message and e.field == "rep.states.top.exit"


def test_yaml_syntax_error_has_a_line():
    e = error_of("name: x\nviews: [side\nmetrics: {}\n")
    assert "not valid YAML" in e.message and e.line is not None


@pytest.mark.parametrize("text,says,field", [
    ("", "the file is empty", None),
    ("just text", "expected a mapping of keys to values, got the text 'just text'", None),
    ("[1, 2]", "expected a mapping of keys to values, got a list", None),
    ("name: x", "expected 'metrics:'", "metrics"),
])
def test_empty_or_non_mapping_files(text, says, field):
    e = error_of(text)
    assert says in e.message and e.field == field and e.file == "x.yaml"


def test_levels_and_overrides_change_params():
    assert parse_exercise(GOOD, level="easy").params["depth_deg"] == 110
    d = parse_exercise(GOOD, level="easy", overrides={"depth_deg": "95", "top_deg": 150})
    assert d.params == {"top_deg": 150, "depth_deg": 95} and d.level == "easy"


def test_unknown_override_or_level_suggests():
    e = error_of(GOOD, overrides={"dept_deg": 90})
    assert "unknown param 'dept_deg'" in e.message and e.suggestion == "did you mean 'depth_deg'?"
    e = error_of(GOOD, level="eazy")
    assert "unknown level" in e.message and e.suggestion == "did you mean 'easy'?"
    e = error_of(GOOD, overrides={"depth_deg": "deep"})
    assert "expected a number" in e.message


def test_override_that_breaks_the_cycle_is_caught():
    e = error_of(GOOD, overrides={"depth_deg": 170})
    assert "at the same time" in e.message


def test_search_order_explicit_path_extra_dirs_user_dir_builtin(tmp_path):
    extra = tmp_path / "extra"
    extra.mkdir()
    (extra / "squats.yaml").write_text(GOOD.replace("name: mini", "name: squats\ntitle: Extra squats"))
    assert load_exercise("squats", extra_dirs=[extra]).title == "Extra squats"
    assert load_exercise("squats").title == "Bodyweight squat"
    user = paths.user_exercises_dir()
    user.mkdir(parents=True)
    (user / "squats.yaml").write_text(GOOD.replace("name: mini", "name: squats\ntitle: User squats"))
    (user / "mini.yaml").write_text(GOOD)
    (user / "broken.yaml").write_text("name: [")
    assert load_exercise("squats").title == "User squats"
    assert load_exercise("squats", extra_dirs=[extra]).title == "Extra squats"
    assert load_exercise(str(extra / "squats.yaml")).title == "Extra squats"
    names = [i.name for i in list_exercises()]
    assert "mini" in names and "broken" not in names and names == sorted(names)


def test_unknown_exercise_name_suggests_without_a_location_prefix():
    with pytest.raises(DefinitionError) as info:
        load_exercise("squads")
    assert str(info.value) == "unknown exercise 'squads': did you mean 'squats'? (see 'fitness exercises list')"
    with pytest.raises(DefinitionError) as info:
        load_exercise("xyzzy")
    assert str(info.value).startswith("unknown exercise 'xyzzy' (known: bicep_curls, ")
    with pytest.raises(DefinitionError) as info:
        load_exercise("nowhere/x.yaml")
    assert str(info.value) == "no exercise file at 'nowhere/x.yaml': check the path"


def test_errors_of_text_without_a_file_name_no_placeholder_file():
    with pytest.raises(DefinitionError) as info:
        parse_exercise(GOOD.replace("views:", "veiws:"))
    assert str(info.value).startswith("line 2:1: veiws: unknown key 'veiws'")
    with pytest.raises(DefinitionError) as info:
        parse_exercise(GOOD, level="eazy")
    assert str(info.value) == "--level eazy: unknown level 'eazy' (levels of mini: easy) — did you mean 'easy'?"


def test_unknown_function_suggests_by_edit_distance():
    e = error_of(GOOD.replace("angle(hip, knee, ankle)", "angel(hip, knee, ankle)"))
    assert "unknown function 'angel'" in e.message and e.suggestion == "did you mean 'angle'?"
    assert (e.line, e.column) == (9, 13)


BIG = "9" * 400
HUGE = "9" * 5000


@pytest.mark.parametrize(
    "old,new,line,column",
    [
        ("  top_deg: 160", f"  top_deg: {BIG}", 4, 12),
        ("  top_deg: 160", f"  top_deg: {HUGE}", 4, 12),
        ("  top_deg: 160", f"  top_deg: -{BIG}", 4, 12),
        ("  top_deg: 160", f"  top_deg: {{value: 160, max: {BIG}}}", 4, 30),
        ("  top_deg: 160", "  top_deg: 1.0e+400", 4, 12),
        ("  easy: {depth_deg: 110}", f"  easy: {{depth_deg: {BIG}}}", 7, 21),
        ("views: [side]", f"views: [side]\nmin_score: {HUGE}", 3, 12),
        ("    top: knee_deg > top_deg", f"    top: {{enter: knee_deg > top_deg, min_dwell_s: {BIG}}}", 13, 51),
        ("    when: knee_deg < 40", f"    when: {BIG}", 17, 11),
        ("  knee_deg: angle(hip, knee, ankle)", f"  knee_deg: {HUGE}", 9, 13),
        ("  top_deg: 160", f"  top_deg: 160\n  {BIG}: 1", 5, 3),
        # numbers inside expressions
        ("    when: knee_deg < 40", f"    when: knee_deg < {'9' * 380}", 17, 22),
        ("    when: knee_deg < 40", "    when: knee_deg < 1e400", 17, 22),
        ("  knee_deg: angle(hip, knee, ankle)", "  knee_deg: angle(hip, knee, ankle) * 1e13", 9, 39),
        ("    bottom: knee_deg < depth_deg", "    bottom: knee_deg < -99999999999999999", 14, 25),
    ],
)
def test_numbers_too_large_are_errors_at_their_position(old, new, line, column):
    assert old in GOOD
    e = error_of(GOOD.replace(old, new))
    assert "number too large" in e.message and "(at most 1e12)" in e.message
    assert (e.file, e.line, e.column) == ("x.yaml", line, column)
    assert len(str(e)) < 600


def test_an_impossible_date_is_a_definition_error():
    e = error_of(GOOD.replace("views: [side]", "views: [side]\ntitle: 2024-13-45"))
    assert "cannot read this value" in e.message and (e.line, e.column) == (3, 8)


@pytest.mark.parametrize(
    "old,new,line,column",
    [
        ("    message: Not that deep", '    message: "\\e[2J\\e[31mNot that deep"', 18, 14),
        ("    message: Not that deep", '    message: "Not\\x9b1m deep"', 18, 14),
        ("views: [side]", 'views: [side]\ntitle: "Squat\\x07"', 3, 8),
        ("views: [side]", 'views: [side]\ndescription: "a\\rb"', 3, 14),
        ("  top_deg: 160", '  top_deg: 160\n  "dep\\x1bth": 1', 5, 3),
        ("  - id: deep", '  - id: "de\\x1bep"', 16, 9),
        ("  signal: knee_deg", '  signal: knee_deg\n  partial: {when: knee_deg < 150, message: "\\e[2J"}', 12, 44),
    ],
)
def test_control_characters_in_any_text_are_refused_at_their_position(old, new, line, column):
    assert old in GOOD
    e = error_of(GOOD.replace(old, new))
    assert "control characters" in e.message
    assert (e.file, e.line, e.column) == ("x.yaml", line, column)
    assert "\x1b" not in str(e) and "\x9b" not in str(e) and "\x07" not in str(e)


def test_multi_line_descriptions_and_tabs_stay_allowed():
    d = parse_exercise(GOOD.replace("views: [side]", "views: [side]\ndescription: |\n  Stand tall.\n  Sit back.\n"))
    assert d.description == "Stand tall.\nSit back.\n"


def test_angle_joints_for_drawing():
    from fitness.pose.types import Keypoint

    d = parse_exercise(GOOD, file="x.yaml")
    assert d.angle_joints("right") == {"knee_deg": (Keypoint.RIGHT_HIP, Keypoint.RIGHT_KNEE, Keypoint.RIGHT_ANKLE)}
    assert set(d.angle_joints("both")) == {"left:knee_deg", "right:knee_deg"}


def test_the_worked_example_in_the_readme_validates(repo_root, tmp_path):
    text = (repo_root / "exercises" / "README.md").read_text()
    block = text.split("<!-- example: front_raises.yaml -->")[1].split("```yaml")[1].split("```")[0]
    path = tmp_path / "front_raises.yaml"
    path.write_text(block)
    d = load_exercise(path, level="beginner")
    assert (
        d.name == "front_raises"
        and d.params["up_deg"] == 65
        and [r.id for r in d.form] == ["body_swing", "bent_elbows"]
    )
    assert load_exercise("front_raises", extra_dirs=[tmp_path]).rep.partial.id == "height"



def test_posture_says_how_the_body_lies_in_an_upright_video():
    assert parse_exercise(GOOD).posture is None
    assert parse_exercise(GOOD.replace("views: [side]", "views: [side]\nposture: lying")).posture == "lying"
    err = error_of(GOOD.replace("views: [side]", "views: [side]\nposture: standin"))
    assert (err.line, err.field) == (3, "posture")
    assert "did you mean 'standing'" in str(err)


def test_every_shipped_exercise_says_its_posture():
    postures = {info.name: load_exercise(info.name).posture for info in list_exercises()}
    assert set(postures.values()) == {"standing", "lying"}, postures
    assert postures["squats"] == "standing" and postures["push_ups"] == "lying"


@pytest.mark.parametrize(("side", "limbs", "measured", "pairs"), [
    ("auto", None, ("auto",), False), ("auto", "together", ("auto",), False),
    ("auto", "independent", ("left", "right"), True), ("both", None, ("left", "right"), True),
    ("alternating", None, ("left", "right"), False), ("left", "independent", ("left",), False),
])
def test_side_and_limbs_say_which_sides_are_measured_and_paired(side, limbs, measured, pairs):
    text = GOOD.replace("views: [side]", f"views: [side]\nside: {side}" + (f"\nlimbs: {limbs}" if limbs else ""))
    d = parse_exercise(text, file="x.yaml")
    assert (d.side, d.limbs, d.measured_sides, d.pairs_sides) == (side, limbs or "together", measured, pairs)
    # Paired sides may count on consistent low-score keypoints; the smoothers keep those for them.
    assert d.keep_score == (LOW_SCORE if pairs else None)


def test_an_unknown_limbs_value_lists_the_choices():
    e = error_of(GOOD.replace("views: [side]", "views: [side]\nlimbs: separate"))
    assert e.field == "limbs" and "together" in str(e) and "independent" in str(e)


def test_the_tempo_metric_must_be_a_metric():
    text = GOOD.replace("  signal: knee_deg", "  signal: knee_deg\n  tempo: knee_dg")
    e = error_of(text)
    assert e.field == "rep.tempo" and "unknown metric 'knee_dg'" in e.message
    assert e.suggestion == "did you mean 'knee_deg'?"
    assert parse_exercise(GOOD.replace("  signal: knee_deg", "  signal: knee_deg\n  tempo: knee_deg"),
                          file="x.yaml").rep.tempo == "knee_deg"


def test_view_requires_replaces_requires_in_that_view():
    d = parse_exercise(GOOD.replace("views: [side]", "views: [side, front]\nview_requires: {front: [knee]}"),
                       file="x.yaml")
    program = d.programs["left"]
    assert program.required_in("front") == (13,)  # left knee
    assert program.required_in("side") == program.required_in(None) == (11, 13, 15)


@pytest.mark.parametrize(
    "block,message",
    [("view_requires: {frnt: [knee]}", "unknown key 'frnt'"),
     ("view_requires: {side: [kne]}", "unknown name 'kne'"),
     ("view_requires: [knee]", "expected a mapping")],
)
def test_view_requires_mistakes_are_pointed_at(block, message):
    e = error_of(GOOD.replace("views: [side]", "views: [side]\n" + block))
    assert message in str(e) and e.line == 3 and e.field.startswith("view_requires")


def test_a_tempo_metric_per_view_names_every_view_and_only_them():
    hip = "  knee_deg: angle(hip, knee, ankle)\n  hip_deg: angle(shoulder, hip, knee)"
    two = GOOD.replace("views: [side]", "views: [side, front]").replace("  knee_deg: angle(hip, knee, ankle)", hip)
    tempo = "  signal: knee_deg\n  tempo: {front: hip_deg, side: knee_deg}"
    d = parse_exercise(two.replace("  signal: knee_deg", tempo), file="x.yaml")
    # The first view's metric (the recommended view) is the tempo while the view is unknown or another one.
    assert (d.rep.tempo, dict(d.rep.tempo_views)) == ("knee_deg", {"front": "hip_deg", "side": "knee_deg"})
    assert d.rep.tempo_metrics == ("knee_deg", "hip_deg")
    assert [d.rep.tempo_for(v) for v in ("side", "front", None)] == ["knee_deg", "hip_deg", "knee_deg"]
    e = error_of(two.replace("  signal: knee_deg", "  signal: knee_deg\n  tempo: {side: knee_deg}"))
    assert e.field == "rep.tempo" and "missing: front" in e.message
    e = error_of(two.replace("  signal: knee_deg", "  signal: knee_deg\n  tempo: {side: knee_deg, front: hip_dg}"))
    assert e.field == "rep.tempo.front" and e.suggestion == "did you mean 'hip_deg'?"
    e = error_of(GOOD.replace("  signal: knee_deg", "  signal: knee_deg\n  tempo: {side: knee_deg, font: knee_deg}"))
    assert e.field == "rep.tempo.font" and "not one of this exercise's views (side)" in e.message


def test_the_smoothers_keep_keypoints_down_to_a_definitions_own_min_score():
    """A definition that accepts keypoints from 0.2 (jumping jacks: hands against the thighs read 0.2-0.3) gets
    them: the smoothers, which drop what scores under 0.3 by default, keep them for it."""
    d = parse_exercise(GOOD.replace("views: [side]", "views: [side]\nmin_score: 0.2"), file="x.yaml")
    assert not d.pairs_sides and d.keep_score == pytest.approx(0.2)
    assert parse_exercise(GOOD, file="x.yaml").keep_score is None  # the default (0.3) needs nothing kept
    assert load_exercise("jumping_jacks").keep_score == pytest.approx(0.2)

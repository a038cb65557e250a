from fitness.errors import DefinitionError, FitnessError, UsageError


def test_definition_error_names_file_line_column_field_and_suggestion():
    err = DefinitionError(
        "unknown metric 'kne_deg'",
        file="squats.yaml",
        line=12,
        column=9,
        field="rep.signal",
        suggestion="did you mean 'knee_deg'?",
    )
    assert str(err) == "squats.yaml:12:9: rep.signal: unknown metric 'kne_deg' — did you mean 'knee_deg'?"
    assert isinstance(err, FitnessError) and err.exit_code == 1


def test_usage_error_exit_code_is_2():
    assert UsageError("x").exit_code == 2


def test_definition_error_without_a_file_has_no_placeholder_location():
    assert str(DefinitionError("unknown exercise 'squads'")) == "unknown exercise 'squads'"
    assert str(DefinitionError("bad", line=3, column=5, field="rep")) == "line 3:5: rep: bad"
    assert str(DefinitionError("bad", field="params")) == "params: bad"


def test_definition_error_text_has_no_control_characters():
    err = DefinitionError("unknown key '\x1b[2J'", file="x\x1b[31m.yaml", line=1, column=1,
                          suggestion="did you mean '\x9b'?")
    assert str(err) == "x[31m.yaml:1:1: unknown key '[2J' — did you mean ''?"

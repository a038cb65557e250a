from fitness.errors import DefinitionError, FitnessError, UsageError


def test_definition_error_names_file_line_column_field_and_suggestion():
    err = DefinitionError(
        "unknown metric 'kne_deg'", file="squats.yaml", line=12, column=9, field="rep.signal", suggestion="did you mean 'knee_deg'?"
    )
    assert str(err) == "squats.yaml:12:9: rep.signal: unknown metric 'kne_deg' — did you mean 'knee_deg'?"
    assert isinstance(err, FitnessError) and err.exit_code == 1


def test_usage_error_exit_code_is_2():
    assert UsageError("x").exit_code == 2

"""Control characters from user text never reach the terminal."""

from hypothesis import given
from hypothesis import strategies as st

from fitness.text import control_chars, printable


def test_escape_sequences_are_removed_and_named():
    text = "Keep \x1b[2J\x1b[31mchest up\x9b1m"
    assert printable(text) == "Keep [2J[31mchest up1m"
    assert control_chars(text) == ["\\x1b", "\\x9b"]


def test_newlines_survive_only_where_multiline_text_is_allowed():
    assert printable("a\nb\tc") == "abc"
    assert printable("a\nb\tc", multiline=True) == "a\nb\tc"
    assert control_chars("a\nb", multiline=True) == []
    assert control_chars("a\nb") == ["\\n"]


@given(st.text())
def test_printable_text_has_no_control_characters_and_keeps_the_rest(text):
    clean = printable(text)
    assert control_chars(clean) == []
    assert all(ch in text for ch in clean)
    assert printable(clean) == clean

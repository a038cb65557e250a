"""Missing numbers in JSON and SQLite: NaN goes out as null and comes back as NaN; nothing JSON cannot hold
gets through."""

from __future__ import annotations

import json
import math

from hypothesis import given
from hypothesis import strategies as st

from fitness.jsonvalues import json_safe, nan_to_null, null_to_nan

numbers = st.floats(allow_nan=True, allow_infinity=False) | st.integers(-(10**9), 10**9)


@given(numbers)
def test_a_number_goes_out_and_comes_back(x):
    out = nan_to_null(x)
    back = null_to_nan(out)
    if isinstance(x, float) and math.isnan(x):
        assert out is None and math.isnan(back)
    else:
        assert out == x and isinstance(out, float) and back == x


def test_none_is_missing_too():
    assert nan_to_null(None) is None


values = st.recursive(
    st.none() | st.booleans() | st.text(max_size=5) | st.integers() | st.floats(allow_nan=True, allow_infinity=True),
    lambda inner: st.lists(inner, max_size=4) | st.tuples(inner, inner)
    | st.dictionaries(st.text(max_size=5), inner, max_size=4),
    max_leaves=20,
)


@given(values)
def test_json_safe_values_can_be_written_as_strict_json_and_keep_every_finite_value(value):
    safe = json_safe(value)
    text = json.dumps(safe, allow_nan=False)  # raises on NaN or infinity
    assert json.loads(text) == safe

    def same(a, b):
        if isinstance(a, float) and not math.isfinite(a):
            return b is None
        if isinstance(a, dict):
            return a.keys() == b.keys() and all(same(a[k], b[k]) for k in a)
        if isinstance(a, (list, tuple)):
            return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b, strict=True))
        return a == b and type(a) is type(b)

    assert same(value, safe)

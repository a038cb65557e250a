"""savgol_smooth (numpy) gives what scipy.signal.savgol_filter(..., axis=0, mode="interp") gives."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from fitness.smoothing.savgol import fit_matrix, savgol_smooth

scipy_signal = pytest.importorskip("scipy.signal")


@st.composite
def filter_cases(draw):
    """(values (n, k), window, polyorder) within savgol's domain: odd window, polyorder < window <= n."""
    polyorder = draw(st.integers(0, 5))
    window = draw(st.integers(polyorder + 1, 41).map(lambda w: w if w % 2 else w + 1))
    n = draw(st.integers(window, 120))
    k = draw(st.integers(1, 3))
    values = draw(arrays(np.float64, (n, k), elements=st.floats(-5000, 5000, allow_nan=False, allow_subnormal=False)))
    return values, window, polyorder


@settings(max_examples=300, deadline=None)
@given(filter_cases())
def test_same_result_as_scipy(case):
    values, window, polyorder = case
    ours = savgol_smooth(values, window, polyorder)
    theirs = scipy_signal.savgol_filter(values, window, polyorder, axis=0, mode="interp")
    scale = max(1.0, float(np.abs(values).max()))
    np.testing.assert_allclose(ours, theirs, rtol=0, atol=1e-9 * scale)


@settings(max_examples=100, deadline=None)
@given(st.integers(0, 5), st.integers(0, 20))
def test_the_fit_keeps_polynomials_up_to_its_degree(polyorder, half):
    window = 2 * half + 1
    if polyorder >= window:
        return
    x = np.arange(window, dtype=np.float64)
    poly = np.polynomial.Polynomial(np.arange(1.0, polyorder + 2))(x)
    np.testing.assert_allclose(fit_matrix(window, polyorder) @ poly, poly, rtol=1e-9, atol=1e-9 * np.abs(poly).max())


def test_other_shapes_come_back_with_their_shape():
    values = np.random.default_rng(3).normal(size=(30, 17, 2))
    out = savgol_smooth(values, 9, 3)
    assert out.shape == values.shape
    np.testing.assert_allclose(out, scipy_signal.savgol_filter(values, 9, 3, axis=0, mode="interp"), atol=1e-9)


@pytest.mark.parametrize("window, polyorder, n", [(4, 2, 10), (5, 5, 10), (7, 3, 6)])
def test_outside_its_domain_it_refuses(window, polyorder, n):
    with pytest.raises(ValueError):
        savgol_smooth(np.zeros((n, 2)), window, polyorder)


def test_offline_smoothing_does_not_import_scipy():
    code = "import sys, fitness.smoothing.offline, fitness.run.stages; print('scipy' in sys.modules)"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "False"

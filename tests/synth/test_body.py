"""Kinematic helpers: limbs keep their lengths, hinges bend by the asked angle, bad bodies are refused."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from fitness.errors import InputError
from fitness.synth.body import BodyParams, F, L, U, bend, joint_angle, two_link, unit

vec = st.tuples(st.floats(-1, 1), st.floats(-1, 1), st.floats(-1, 1)).map(np.array)


@given(vec, st.floats(0.3, 0.5), st.floats(0.3, 0.5), st.floats(0.2, 0.95))
def test_two_link_keeps_segment_lengths(direction, l1, l2, reach):
    if np.linalg.norm(direction) < 1e-3:
        return
    root = np.zeros(3)
    end = unit(direction) * (l1 + l2) * reach
    mid, end2 = two_link(root, end, l1, l2, F + 0.3 * U)
    assert np.linalg.norm(mid - root) == pytest.approx(l1, abs=1e-6)
    assert np.linalg.norm(end2 - mid) == pytest.approx(l2, abs=1e-6)


def test_two_link_straightens_when_out_of_reach():
    mid, end = two_link(np.zeros(3), np.array([0.0, -2.0, 0.0]), 0.4, 0.4, F)
    assert end[1] == pytest.approx(-0.8, abs=1e-4)
    assert joint_angle(np.zeros(3), mid, end) == pytest.approx(180.0, abs=0.5)


@given(st.floats(0, 170))
def test_bend_flexes_by_the_asked_angle(flex):
    upper = -U
    fore = bend(upper, flex, F)
    # the joint angle is 180 - flexion
    assert joint_angle(np.zeros(3) + U, np.zeros(3), fore) == pytest.approx(180.0 - flex, abs=1e-6)


def test_body_params_refuse_a_child_or_a_giant():
    with pytest.raises(InputError, match="height_m"):
        BodyParams(height_m=1.0)
    with pytest.raises(InputError, match="build"):
        BodyParams(build=3.0)


def test_adult_proportions():
    b = BodyParams(height_m=1.8)
    assert b.standing_hip_h / b.height_m == pytest.approx(0.536, abs=0.02)  # hip joint ~ 0.53 H
    assert (b.standing_hip_h + b.torso) / b.height_m == pytest.approx(0.82, abs=0.02)  # shoulder ~ 0.82 H
    assert L[2] == 1.0

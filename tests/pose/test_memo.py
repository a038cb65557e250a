"""LastPoseMemo: a pose's derived values are made once for every machine that reads the same pose."""

import numpy as np

from fitness.pose.memo import LastPoseMemo
from fitness.pose.types import Pose


def _pose(seed: int) -> Pose:
    rng = np.random.default_rng(seed)
    return Pose(rng.uniform(0, 100, (17, 2)), rng.uniform(0, 1, 17), 0.0)


def test_the_same_pose_is_derived_once_per_args_and_a_new_pose_again():
    calls = []

    def derive(xy, score, min_score):
        calls.append(min_score)
        return float(np.sum(score >= min_score))

    memo = LastPoseMemo(derive)
    first, second = _pose(1), _pose(2)
    assert memo(first.xy, first.score, 0.3) == memo(first.xy, first.score, 0.3)
    assert calls == [0.3]
    memo(first.xy, first.score, 0.2)  # other args: their own value, the first one kept
    memo(first.xy, first.score, 0.3)
    assert calls == [0.3, 0.2]
    assert memo(second.xy, second.score, 0.3) == derive(second.xy, second.score, 0.3)
    assert calls[:3] == [0.3, 0.2, 0.3]


def test_equal_arrays_of_another_pose_are_derived_again():
    calls = []
    memo = LastPoseMemo(lambda xy, score: calls.append(1) or xy.sum())
    pose = _pose(3)
    memo(pose.xy, pose.score)
    memo(pose.xy.copy(), pose.score.copy())  # equal values, other arrays: not known to be the same pose
    assert len(calls) == 2

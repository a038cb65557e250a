"""MultiPose person ids (IoU tracker over frame sequences) and `--person` selection."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from fitness.errors import UsageError
from fitness.pose.tracking import IoUTracker, iou, parse_person, select_person
from fitness.pose.types import Pose


def person(box, t=0.0) -> Pose:
    x0, y0, x1, y1 = box
    xy = np.column_stack([np.linspace(x0, x1, 17), np.linspace(y0, y1, 17)])
    return Pose(xy=xy, score=np.full(17, 0.8), t=t, box=tuple(float(v) for v in box))


boxes = st.tuples(st.floats(0, 100), st.floats(0, 100), st.floats(1, 100), st.floats(1, 100)).map(
    lambda b: (b[0], b[1], b[0] + b[2], b[1] + b[3])
)


@given(boxes, boxes)
def test_iou_is_symmetric_and_bounded(a, b):
    assert iou(a, b) == pytest.approx(iou(b, a))
    assert 0.0 <= iou(a, b) <= 1.0 + 1e-9
    assert iou(a, a) == pytest.approx(1.0)


def test_ids_follow_people_who_move_a_little_each_frame():
    tracker = IoUTracker()
    a, b = [10.0, 10.0, 60.0, 110.0], [200.0, 10.0, 250.0, 110.0]
    for i in range(20):
        t = i / 30
        frame = [person(b, t), person(a, t)] if i % 2 else [person(a, t), person(b, t)]  # order varies
        ids = {p.box[0]: p.track_id for p in tracker.update(frame, t)}
        # The person who started on the left keeps id 1, the other id 2, whatever the output order.
        assert ids == {a[0]: 1, b[0]: 2}
        a = [a[0] + 2, a[1], a[2] + 2, a[3]]
        b = [b[0] - 2, b[1], b[2] - 2, b[3]]


def test_a_new_person_gets_a_new_id_and_a_long_gone_one_is_forgotten():
    tracker = IoUTracker(max_unseen_s=0.5)
    a = (10.0, 10.0, 60.0, 110.0)
    assert tracker.update([person(a)], 0.0)[0].track_id == 1
    assert tracker.update([], 0.2) == []
    assert tracker.update([person(a)], 0.4)[0].track_id == 1  # back within 0.5 s
    assert tracker.update([person(a)], 1.5)[0].track_id == 2  # gone for > 0.5 s
    far = (300.0, 10.0, 350.0, 110.0)
    assert [p.track_id for p in tracker.update([person(a), person(far)], 1.6)] == [2, 3]
    tracker.reset()
    assert tracker.update([person(far)], 2.0)[0].track_id == 1


def test_select_largest_center_or_id():
    small_center = person((300, 220, 340, 260)).replace(track_id=7)
    big_corner = person((0, 0, 200, 300)).replace(track_id=3)
    poses = [small_center, big_corner]
    assert select_person(poses, "largest", (640, 480)) is big_corner
    assert select_person(poses, "center", (640, 480)) is small_center
    assert select_person(poses, "3", (640, 480)) is big_corner
    assert select_person(poses, 9, (640, 480)) is None
    assert select_person([], "largest", (640, 480)) is None


@pytest.mark.parametrize("bad", ["biggest", "", "-1", "1.5"])
def test_bad_person_choices_are_usage_errors(bad):
    with pytest.raises(UsageError, match="largest, center"):
        parse_person(bad)

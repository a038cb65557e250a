"""Group renders (several athletes in one frame): the spec's checks, the plan (bodies, depths, tempos, the swap,
the passer-by) and the truth of a small rendered clip checked against itself (counts, one body per id, hidden
frames really hidden behind someone nearer)."""

from __future__ import annotations

import numpy as np
import pytest

from fitness.errors import UsageError
from fitness.synth.group import HIDDEN_SHOWN_SHARE, GroupSpec, group_truth_of, plan_group, render_group_frames

SMALL = (480, 270)


@pytest.mark.parametrize(
    "kwargs,message",
    [
        (dict(exercise="squats", reps=(3,)), "2 to 4 athletes"),
        (dict(exercise="squats", reps=(3, 3, 3, 3, 3)), "2 to 4 athletes"),
        (dict(exercise="squats", reps=(3, 4), partial=[5]), "partial rep 5 is outside 1..4"),
        (dict(exercise="squats", reps=(3, 0)), "reps must be between 1 and 200"),
        (dict(exercise="push_ups", reps=(3, 4), view="front"), "side or oblique view, not 'front'"),
        (dict(exercise="push_ups", reps=(3, 4), cross=True), "--cross needs a standing exercise"),
        (dict(exercise="squats", reps=(3, 4), faults={1: ["nope"]}), "unknown fault 'nope'"),
    ],
)
def test_spec_errors(kwargs, message):
    with pytest.raises(UsageError, match=message):
        GroupSpec(**kwargs)


def test_faults_and_partial_reps_go_to_every_athlete_whose_set_has_the_rep():
    spec = GroupSpec("squats", (2, 4, 3), partial=[3], faults={4: ["chest_up"]})
    assert [s.partial for s in map(spec.athlete_spec, range(3))] == [[], [3], [3]]
    assert [s.faults for s in map(spec.athlete_spec, range(3))] == [{}, {4: ["chest_up"]}, {}]


def test_the_plan_differs_per_athlete_and_follows_the_seed():
    spec = GroupSpec("squats", (4, 6, 5), seed=3, size=SMALL, fps=10)
    clip = plan_group(spec)
    again = plan_group(spec)
    assert all(np.array_equal(a.skeletons[-1]["pelvis"], b.skeletons[-1]["pelvis"])
               for a, b in zip(clip.athletes, again.athletes))
    athletes = clip.athletes
    assert [a.id for a in athletes] == [1, 2, 3]
    assert len({round(a.body.height_m, 3) for a in athletes}) == 3  # different bodies
    assert len({round(a.plans[0].start_s, 2) for a in athletes}) == 3  # they don't start together
    down = [np.mean([p.turn_s - p.start_s for p in a.plans]) for a in athletes]
    assert max(down) > min(down) * 1.03  # nor share a tempo
    depths = [a.place_m[1] for a in athletes]
    assert np.ptp(depths) >= 1.0
    # The counts go to the athletes left to right, as --reps gives them.
    assert [len(a.plans) for a in athletes] == [4, 6, 5]
    # Farther is smaller: image height per metre of body falls with depth.
    px_per_m = [a.cameras[0].scale * a.cameras[0].distance_m / (a.cameras[0].distance_m - a.place_m[1])
                for a in athletes]
    assert np.argsort(px_per_m).tolist() == np.argsort(depths).tolist()


def test_the_swap_moves_the_pair_between_reps():
    clip = plan_group(GroupSpec("squats", (4, 5, 3), seed=5, size=SMALL, fps=10, cross=True))
    walkers = [a for a in clip.athletes if a.walk is not None]
    assert len(walkers) == 2
    for a in walkers:
        w = a.walk
        assert w.to_m[1] == w.from_m[1]  # each keeps their depth lane
        assert all(p.end_s <= w.start_s or p.start_s >= w.end_s for p in a.plans)  # no rep while walking
        assert any(p.end_s <= w.start_s for p in a.plans) and any(p.start_s >= w.end_s for p in a.plans)
    a, b = walkers
    assert np.sign(a.walk.from_m[0] - b.walk.from_m[0]) != np.sign(a.walk.to_m[0] - b.walk.to_m[0])
    assert abs(a.place_m[1] - b.place_m[1]) >= 0.8


@pytest.fixture(scope="module")
def rendered():
    spec = GroupSpec("squats", (2, 3, 2), partial=[2], seed=11, size=SMALL, fps=8, cross=True, passer=True)
    clip = plan_group(spec)
    frames = list(render_group_frames(clip))
    return spec, clip, frames, group_truth_of(clip, [f for _, f in frames])


@pytest.mark.slow
def test_group_truth_is_consistent(rendered):
    spec, clip, frames, truth = rendered
    assert len(frames) == truth["frames"] == clip.frames
    assert frames[0][0].shape == (SMALL[1], SMALL[0], 3)
    people = truth["people"]
    assert [p["id"] for p in people] == [1, 2, 3]
    for p, reps in zip(people, spec.reps):
        assert p["reps"] == reps - (2 <= reps) and p["no_reps"] == int(2 <= reps)
        assert len(p["rep_list"]) == reps
        assert p["no_reps"] == sum(r["partial"] for r in p["rep_list"])
        for key in ("boxes", "hips", "shown", "keypoints", "visible"):
            assert len(p[key]) == truth["frames"]
        assert all(b is not None for b in p["boxes"])  # athletes stay in the frame
    # Ids left to right at the start; the swapping pair's order flips by the end.
    first = [p["hips"][0][0] for p in people]
    last = [p["hips"][-1][0] for p in people]
    assert first == sorted(first) and last != sorted(last)
    # The top level describes the largest athlete.
    followed = next(p for p in people if p["id"] == truth["followed"])
    assert truth["reps"] == followed["reps"] and truth["keypoints"] == followed["keypoints"]


@pytest.mark.slow
def test_one_body_per_id(rendered):
    _, _, frames, truth = rendered
    # Each athlete's box holds their own hip centre, and no two athletes share a box away from the swap.
    for p in truth["people"]:
        for box, hip in zip(p["boxes"], p["hips"]):
            assert box[0] <= hip[0] <= box[2] and box[1] <= hip[1] <= box[3]
    walking = {f for p in truth["people"] if p["walk"]
               for f in range(int(p["walk"]["start_s"] * truth["fps"]), int(p["walk"]["end_s"] * truth["fps"]) + 2)}
    for f in set(range(truth["frames"])) - walking:
        boxes = [p["boxes"][f] for p in truth["people"]]
        hips = [p["hips"][f][0] for p in truth["people"]]
        for i, b in enumerate(boxes):
            assert sum(b[0] <= x <= b[2] for x in hips) == 1, (f, i)


def _covered(box: list, by: list) -> float:
    """The share of `box` inside the box `by`."""
    w, h = min(box[2], by[2]) - max(box[0], by[0]), min(box[3], by[3]) - max(box[1], by[1])
    return max(w, 0) * max(h, 0) / ((box[2] - box[0]) * (box[3] - box[1]))


@pytest.mark.slow
def test_hidden_frames_are_hidden_behind_someone_nearer(rendered):
    _, _, _, truth = rendered
    people = truth["people"]
    hidden = [p for p in people if p["hidden_frames"]]
    assert hidden, "the swap hides one of the pair for a while"
    for p in hidden:
        assert len(p["hidden_frames"]) >= 3
        for f in p["hidden_frames"]:
            assert p["shown"][f] < HIDDEN_SHOWN_SHARE
            assert sum(p["visible"][f]) <= 5  # of 17 keypoints
            assert any(q["depth_m"] > p["depth_m"] and _covered(p["boxes"][f], q["boxes"][f]) > 0.5
                       for q in people if q is not p)
        shown = [f for f in range(truth["frames"]) if f not in set(p["hidden_frames"])]
        assert np.median([sum(p["visible"][f]) for f in shown]) >= 8


@pytest.mark.slow
def test_the_passer_by_is_small_and_only_passes_through(rendered):
    _, _, _, truth = rendered
    (passer,) = truth["passers"]
    boxes = passer["boxes"]
    inside = [f for f, b in enumerate(boxes) if b is not None]
    assert inside
    assert boxes[0] is None or boxes[-1] is None  # walks in from outside the frame or out of it
    assert inside == list(range(inside[0], inside[-1] + 1))  # one pass
    passer_h = np.median([boxes[f][3] - boxes[f][1] for f in inside])
    for p in truth["people"]:
        assert passer_h < 0.8 * np.median([b[3] - b[1] for b in p["boxes"]])
    assert all(p["id"] != 0 for p in truth["people"])


def test_the_same_seed_draws_the_same_frames():
    spec = GroupSpec("bicep_curls", (2, 3), seed=9, size=(192, 108), fps=5, passer=True, shake_px=2.0)
    first = [next(iter(render_group_frames(plan_group(spec)))) for _ in range(2)]
    (img1, people1), (img2, people2) = first
    assert np.array_equal(img1, img2)
    assert [p.box for p in people1] == [p.box for p in people2]
    other = next(iter(render_group_frames(plan_group(GroupSpec("bicep_curls", (2, 3), seed=10, size=(192, 108),
                                                                fps=5)))))
    assert not np.array_equal(img1, other[0])


def test_a_group_hold_times_each_athlete():
    spec = GroupSpec("plank", (6, 9), seed=4, size=(192, 108), fps=5)
    clip = plan_group(spec)
    truth = group_truth_of(clip, [f for _, f in render_group_frames(clip)])
    assert [(p["reps"], p["no_reps"], p["hold_s"]) for p in truth["people"]] == [(0, 0, 6.0), (0, 0, 9.0)]
    assert truth["hold_s"] in (6.0, 9.0) and truth["reps"] == 0

"""PeopleTracker over scenes of several people (tests/pose/crowd.py): ids stay through crossings, a hidden
second, stepping out and back; passers-by in the background get none."""

from __future__ import annotations

import numpy as np
import pytest
from crowd import Person, compose, ramp, scenes, score, two_athletes

from fitness.pose.people_tracker import (
    CONFIRM_HITS,
    FOOT_MIN_SCORE,
    REID_S,
    STAY_CONFIRM_S,
    WEAK_CONFIRM_S,
    PeopleTracker,
    build_gap,
    measure,
)
from fitness.pose.types import Pose


def run(scene) -> list[list[int | None]]:
    tracker = PeopleTracker()
    return [[p.track_id for p in tracker.update(poses, t)] for t, poses in scene.frames]


@pytest.fixture(scope="module")
def all_scenes():
    return scenes(seed=11)


@pytest.mark.parametrize("name", ["side_by_side", "crossing", "crossing_twins", "occlusion", "step_out_and_back",
                                  "passer_by"])
def test_each_person_keeps_one_id_and_passers_by_get_none(all_scenes, name):
    scene = all_scenes[name]
    result = score(scene, run(scene))
    assert result.switches == 0
    assert all(len(ids) == 1 for ids in result.ids.values()), result.ids
    assert result.passer_by_frames == 0
    # Only the first frames (before an id is confirmed) go without one.
    assert result.unlabelled <= len(scene.people) * (CONFIRM_HITS + 2)


def test_the_two_people_get_different_ids(all_scenes):
    result = score(all_scenes["crossing"], run(all_scenes["crossing"]))
    (a,), (b,) = result.ids["A"], result.ids["B"]
    assert a != b


def test_someone_away_longer_than_reid_time_comes_back_with_a_new_id():
    a, b = two_athletes(5, reps=(8, 8))
    left = 320.0
    # Out from 3.5 s, back only at 11 s: longer than REID_S.
    out_x = lambda t: ramp(2.5, 3.5, left, -400)(t) if t < 6 else ramp(10.5, 11.5, -400, left)(t)  # noqa: E731
    scene = compose([Person("A", a, out_x), Person("B", b, lambda t: 960.0, scale=0.95)], seed=5)
    result = score(scene, run(scene))
    assert len(result.ids["A"]) == 2 and len(result.ids["B"]) == 1


def test_a_single_frame_ghost_gets_no_id():
    tracker = PeopleTracker()
    rng = np.random.default_rng(0)
    xy = rng.uniform(100, 300, (17, 2))
    out = tracker.update([Pose(xy, np.full(17, 0.9), 0.0)], 0.0)
    assert out[0].track_id is None


def test_builds_compare_only_the_ratios_both_have():
    a = np.array([1.0, np.nan, 0.5])
    b = np.array([1.2, 0.7, np.nan])
    assert build_gap(a, b) == pytest.approx(0.2)
    assert build_gap(a, np.full(3, np.nan)) == 0.0


def standing(x: float, score: float, height_px: float = 300.0, feet_y: float = 450.0, half_width: float = 20.0) -> Pose:
    """A standing person of the given height with their feet at feet_y, centred at x, every keypoint at `score`;
    left and right keypoints half_width apart from the middle (small: side-on, as when walking)."""
    y = feet_y - height_px + np.linspace(0.0, height_px, 17)
    xy = np.column_stack([np.full(17, x), y])
    xy[[5, 6], 1], xy[[11, 12], 1], xy[[15, 16], 1] = feet_y - 0.8 * height_px, feet_y - 0.5 * height_px, feet_y
    xy[[5, 7, 9, 11, 13, 15], 0] -= half_width
    xy[[6, 8, 10, 12, 14, 16], 0] += half_width
    return Pose(xy, np.full(17, score), 0.0)


def confirmed_at(x: float) -> tuple[PeopleTracker, object, float]:
    """A tracker (weak detections from 0.25 start nobody) that has confirmed one person standing at x; the time now."""
    tracker = PeopleTracker(new_min_score=0.25)
    t = 0.0
    for _ in range(CONFIRM_HITS + 2):
        (known,) = tracker.update([standing(x, 0.6)], t)
        t += 1 / 30
    return tracker, known, t


def test_a_known_person_scored_weakly_keeps_their_id_and_a_weak_newcomer_is_left_out():
    tracker, known, t = confirmed_at(300.0)
    assert known.track_id is not None
    for _ in range(20):  # MultiPose unsure of them for a while; a weak stranger far off on the right
        out = tracker.update([standing(302.0, 0.15), standing(900.0, 0.15)], t)
        assert [p.track_id for p in out] == [known.track_id]
        assert out[0].xy[0, 0] == np.float32(302.0)
        t += 1 / 30
    assert [p.track_id for p in tracker.update([standing(300.0, 0.6)], t)] == [known.track_id]


def test_a_confident_detection_of_someone_wins_over_a_weak_one_at_the_same_place():
    tracker, known, t = confirmed_at(300.0)
    out = tracker.update([standing(301.0, 0.12), standing(303.0, 0.6)], t)
    assert [(p.track_id, p.pose_score > 0.5) for p in out] == [(known.track_id, True)]


def test_someone_multipose_only_ever_scores_weakly_gets_an_id_once_they_stay():
    tracker = PeopleTracker(new_min_score=0.25)
    frames = int(WEAK_CONFIRM_S * 30) + 3
    ids = [[p.track_id for p in tracker.update([standing(300.0, 0.6), standing(900.0, 0.15)], k / 30)]
           for k in range(frames)]
    assert len(ids[CONFIRM_HITS + 1]) == 1  # the weak one not yet
    first, second = ids[-1]
    assert first is not None and second is not None and first != second


def test_a_weak_duplicate_of_a_confident_detection_never_becomes_a_person():
    tracker = PeopleTracker(new_min_score=0.25)
    for k in range(int(2 * WEAK_CONFIRM_S * 30)):
        out = tracker.update([standing(300.0, 0.6), standing(312.0, 0.15, height_px=290.0)], k / 30)
    assert [p.pose_score for p in out] == [np.float32(0.6)]


def small_scene(x_of_t, seconds: float) -> list[list[int | None]]:
    """A big person at x 300 and a small one (0.35 of their size) at x_of_t(t): the ids each frame."""
    tracker = PeopleTracker(new_min_score=0.25)
    return [[p.track_id for p in tracker.update([standing(300.0, 0.6, height_px=400.0),
                                                  standing(x_of_t(k / 30), 0.6, height_px=140.0)], k / 30)]
            for k in range(int(seconds * 30))]


def test_someone_much_smaller_gets_an_id_once_they_have_stayed_in_one_spot_and_a_walker_never_does():
    ids = small_scene(lambda t: 900.0 + 3.0 * np.sin(3 * t), STAY_CONFIRM_S + 0.5)
    assert ids[int(STAY_CONFIRM_S * 30) - 3][1] is None
    assert ids[-1][1] is not None and ids[-1][0] is not None and ids[-1][0] != ids[-1][1]
    walker = small_scene(lambda t: 1200.0 - 150.0 * t, 2 * STAY_CONFIRM_S)  # across the background
    assert all(frame[1] is None for frame in walker)


def test_a_box_that_may_be_two_people_teaches_no_size_so_two_who_trade_places_keep_their_ids():
    """A (bigger) walks slowly towards B; for a second MultiPose gives one box for both (between them in place and
    size), then A stands on B's spot with B hidden behind, then B walks off the other way. Had B's track learnt the
    merged box's size it would take A's detection and A's track B's: a lasting swap."""
    tracker = PeopleTracker()
    a_big, b_small = 400.0, 320.0  # heights: torsos 120 and 96 px

    def frame(t: float) -> list[Pose]:
        if t < 1.0:
            return [standing(700.0 - 100.0 * t, 0.6, a_big), standing(400.0, 0.6, b_small)]
        if t < 2.0:
            return [standing(440.0, 0.6, (a_big + b_small) / 2)]  # one box for both
        if t < 3.0:
            return [standing(420.0, 0.6, a_big)]  # B hidden behind A
        return [standing(420.0, 0.6, a_big), standing(420.0 + 240.0 * (t - 3.0), 0.6, b_small)]

    ids = [[p.track_id for p in tracker.update(frame(k / 30), k / 30)] for k in range(150)]
    a_id, b_id = ids[20]
    assert a_id != b_id
    assert ids[-1] == [a_id, b_id]


def test_two_alike_in_size_who_trade_places_keep_their_ids_by_the_height_of_their_feet():
    """A, nearer the camera (feet lower), walks in front of B and stops on B's spot; B, hidden behind A, then walks
    off from behind, scored weakly at first. Their sizes are alike, and B walking side-on looks less like B standing
    than A does: only where their feet are tells them apart. While their boxes overlap, B's detections lean towards
    A (keypoints of both) and must teach B's track nothing."""
    tracker = PeopleTracker(new_min_score=0.25)
    near_feet, far_feet = 480.0, 440.0

    def frame(t: float) -> list[Pose]:
        a_x = max(700.0 - 150.0 * t, 400.0)
        a = standing(a_x, 0.6, 300.0, near_feet, 20.0 if a_x == 400.0 else 3.0)
        if t < 1.4:
            return [a, standing(400.0, 0.6, 285.0, far_feet)]
        if t < 1.8:  # overlapping: B's pose half on A
            return [a, standing(400.0 + 0.8 * (a_x - 400.0), 0.6, 292.0, (near_feet + far_feet) / 2)]
        if t < 4.0:
            return [a]  # B hidden behind A
        b = standing(440.0 + 150.0 * (t - 4.0), 0.6, 285.0, far_feet, 3.0)
        return [a, b.replace(pose_score=0.15) if t < 4.5 else b]  # MultiPose unsure of the whole, not the joints

    ids = [[p.track_id for p in tracker.update(frame(k / 30), k / 30)] for k in range(180)]
    a_id, b_id = ids[20]
    assert a_id is not None and b_id is not None and a_id != b_id
    assert ids[-1] == [a_id, b_id]


def test_the_feet_place_someone_only_when_both_are_on_the_ground():
    assert measure(standing(300.0, 0.6, feet_y=470.0)).foot_y_px == pytest.approx(470.0)
    stride = standing(300.0, 0.6, feet_y=470.0)
    stride.xy[15, 1] -= 40.0  # one foot in the air
    assert measure(stride).foot_y_px is None
    unsure = standing(300.0, 0.6, feet_y=470.0)
    unsure.score[16] = FOOT_MIN_SCORE / 2
    assert measure(unsure).foot_y_px is None


def test_someone_whose_shoulders_and_hips_multipose_is_unsure_of_keeps_their_one_id():
    """Side-on in a lunge, a person's torso is short for their box (0.18 of its height, not the 0.3 of someone
    facing the camera), and for a second at a time MultiPose is unsure of their shoulders and hips (no torso to
    measure). Their size must then be judged by their box against their box, not a torso guessed from the box:
    else the guess (1.7 times their torso) is someone else, who gets a second id, and the two ids flicker."""
    tracker = PeopleTracker(new_min_score=0.25)

    def lunging(t: float) -> Pose:
        pose = standing(700.0 + 2.0 * np.sin(3 * t), 0.5, height_px=250.0, feet_y=500.0).replace(pose_score=0.18)
        pose.xy[[11, 12], 1] = pose.xy[[5, 6], 1] + 0.18 * 250.0
        if t % 3.0 < 1.5:  # from 1.5 s on, shoulders and hips unsure for 1.5 s of every 3
            return pose
        pose.score[[5, 6, 11, 12]] = 0.1
        return pose

    ids = [[p.track_id for p in tracker.update([lunging(k / 30)], k / 30)] for k in range(300)]
    given = {i for frame in ids[int(WEAK_CONFIRM_S * 30) + 3:] for i in frame}
    assert len(given) == 1 and None not in given


def test_a_box_between_two_people_does_not_hand_the_one_behind_to_the_one_in_front():
    """B stands at x 392; A, taller and nearer, stands just right of B at 446. MultiPose loses A for a few frames,
    gives one box between the two for a frame (it moves A's track towards B), then only B's, a little wider and
    its torso read longer (A's keypoints mixed in): B's torso now reads about as A's, but B's box is still much
    shorter than A's. B keeps B's id."""

    def person(x: float, height_px: float, torso_px: float, feet_y: float) -> Pose:
        pose = standing(x, 0.6, height_px, feet_y)
        pose.xy[[11, 12], 1] = pose.xy[[5, 6], 1] + torso_px
        return pose

    def uneven(pose: Pose) -> Pose:  # the ankles of two people: no foot line
        pose.xy[15, 1] -= 30.0
        return pose

    tracker = PeopleTracker(new_min_score=0.25)

    def frame(k: int) -> list[Pose]:
        a, b = person(446.0, 225.0, 59.0, 472.0), person(392.0, 174.0, 50.0, 450.0)
        if k < 30:
            return [a, b]
        if k < 34:
            return [b]  # A missed
        if k == 34:
            return [uneven(person(430.0, 209.0, 55.0, 465.0))]  # one box between them
        return [uneven(person(409.0, 189.0, 55.0, 462.0))]  # B, with some of A

    ids = [[p.track_id for p in tracker.update(frame(k), k / 30)] for k in range(45)]
    a_id, b_id = ids[10]
    assert a_id != b_id
    assert all(frame_ids == [b_id] for frame_ids in ids[36:])


def with_relabels(tracker: PeopleTracker, frames: list[tuple[float, list[Pose]]]) -> list[list[int | None]]:
    """Each frame's ids as the tracker gave them, with its later swaps (`relabels`) applied to the frames before."""
    out = [(t, [p.track_id for p in poses]) for t, poses in frames]
    for r in tracker.relabels:
        for t, ids in out:
            if r.t_s <= t < r.until_s:
                ids[:] = [r.b if i == r.a else r.a if i == r.b else i for i in ids]
    return [ids for _, ids in out]


def test_two_who_come_apart_after_one_box_for_both_get_back_their_own_ids():
    """B, smaller and further back, walks behind A and stands there (then one box for both: B unseen). A walks off
    to the right; while their boxes still overlap MultiPose reads the one on B's spot with A's size and the other
    with B's, so the nearest pairing hands A's id to B (and the old tracker kept it so). Once apart, each reads
    their own size and feet again: the ids are swapped back, from when both were seen again."""
    tracker = PeopleTracker(new_min_score=0.25)
    a_size, b_size = (280.0, 445.0, 40.0), (250.0, 425.0, 40.0)
    frames, truth = [], []
    for k in range(165):
        t = k / 30
        b_x = 900.0 - 300.0 * min(max(t - 1.0, 0.0), 1.0)
        a_x = 620.0 + 200.0 * max(t - 3.2, 0.0)
        if t < 2.5:
            poses, who = [standing(600.0, 0.6, *a_size), standing(b_x, 0.6, *b_size)], ["A", "B"]
        elif t < 3.2:
            poses, who = [standing(600.0, 0.6, *a_size)], ["A"]  # B behind A: one box
        elif t < 3.5:
            poses, who = [standing(600.0, 0.6, *a_size), standing(a_x, 0.6, *b_size)], ["B", "A"]  # misread
        else:
            poses, who = [standing(600.0, 0.6, *b_size), standing(a_x, 0.6, *a_size)], ["B", "A"]
        frames.append((t, tracker.update(poses, t)))
        truth.append(who)
    ids = with_relabels(tracker, frames)
    a_id, b_id = ids[30]
    assert a_id != b_id and None not in (a_id, b_id)
    for k, (who, got) in enumerate(zip(truth, ids)):
        if 30 <= k < 96 or k >= 105:  # all but the frames the two boxes still overlap
            assert got == [a_id if w == "A" else b_id for w in who], k


def test_two_alike_in_size_who_come_apart_are_not_swapped():
    """The same, but A and B are alike in size and depth: nothing says the nearest pairing is wrong, so no swap."""
    tracker = PeopleTracker(new_min_score=0.25)
    for k in range(165):
        t = k / 30
        b_x = 900.0 - 300.0 * min(max(t - 1.0, 0.0), 1.0)
        a_x = 660.0 + 200.0 * max(t - 3.2, 0.0)
        poses = ([standing(600.0, 0.6), standing(b_x, 0.6)] if t < 2.5 else [standing(600.0, 0.6)] if t < 3.2
                 else [standing(600.0, 0.6), standing(a_x, 0.6)])
        tracker.update(poses, t)
    assert tracker.relabels == []


def test_someone_lunging_in_place_missed_as_they_step_back_keeps_their_id():
    """A lunge's hips go forward and back fast (here 480 px/s, 5 torso lengths a second); MultiPose misses the
    person for 1.4 s from the moment they are back: they come back where they stand, not where that speed would have
    taken them."""
    tracker = PeopleTracker(new_min_score=0.25)

    def lunger_x(t: float) -> float:  # standing at 640, a lunge to 520 and back every 2 s (0.25 s each way)
        phase = t % 2.0
        return 640.0 - 120.0 * min(phase / 0.25, 1.0, max(0.0, (1.0 - phase) / 0.25))

    ids = []
    for k in range(int(6.6 * 30)):
        t = k / 30
        poses = [standing(250.0, 0.6, height_px=320.0)]
        if not 5.0 <= t < 6.4:
            poses.append(standing(lunger_x(t), 0.6))
        ids.append({p.xy[0, 0] > 400: p.track_id for p in tracker.update(poses, t)})
    before = ids[int(4.9 * 30)][True]
    assert before is not None
    assert ids[-1][True] == before


def test_someone_whose_torso_multipose_reads_at_two_lengths_keeps_their_one_id():
    """MultiPose puts some people's shoulders at their chest in some frames: their torso reads about half its length
    there. Someone first seen so (the track learns the short torso), then read long and short by turns, is still
    one person where they stand: the long reads continue them (their box is where theirs was), never a second id."""
    tracker = PeopleTracker(new_min_score=0.25)

    def read(k: int) -> Pose:
        pose = standing(500.0 + 2.0 * np.sin(k / 5), 0.5, height_px=240.0, feet_y=500.0)
        short = k < 60 or (k // 3) % 2 == 0
        pose.xy[[5, 6], 1] = pose.xy[[11, 12], 1] - (40.0 if short else 70.0)
        return pose

    ids = [[p.track_id for p in tracker.update([read(k)], k / 30)] for k in range(240)]
    given = {i for frame in ids[CONFIRM_HITS + 2:] for i in frame}
    assert len(given) == 1 and None not in given


def test_a_misread_detection_only_one_track_can_take_does_not_push_its_own_detection_onto_someone_else():
    """B (smaller, further back) stands at x 1060; A walks in front of B and stops there, hiding B. B walks out to
    the left, seen weakly and with a torso read as long as A's: too long for B's track, so only A's track can take
    that detection. Matching every detection would then hand A's own detection (still on A's spot, within reach of
    B's unseen track) to B's track and A's id to B. A keeps A's id; B's detection is left over rather than taking it."""
    tracker = PeopleTracker(new_min_score=0.25)

    def a_at(t: float) -> Pose:
        return standing(800.0 + 250.0 * min(max(t - 1.0, 0.0), 1.0), 0.5, height_px=215.0, feet_y=505.0)

    def b_at(x: float, score: float, height_px: float = 160.0) -> Pose:
        return standing(x, score, height_px=height_px, feet_y=473.0)

    a_ids = []
    for k in range(150):
        t = k / 30
        if t < 1.5:  # both seen; A walking in
            poses = [a_at(t), b_at(1060.0, 0.5)]
        elif t < 4.0:  # B hidden behind A
            poses = [a_at(t)]
        else:  # B walks out to the left, read with a torso as long as A's (MultiPose unsure of them)
            poses = [a_at(t), b_at(1000.0 - 60.0 * (t - 4.0), 0.14, height_px=240.0)]
        out = tracker.update(poses, t)
        a_ids.append(out[0].track_id)
    assert a_ids[30] is not None
    assert all(i == a_ids[30] for i in a_ids[30:]), a_ids[110:]


def test_someone_walking_behind_others_for_two_seconds_comes_out_with_their_own_id():
    """W walks left at 240 px/s (2.7 torso lengths a second); A stands at x 300. Both are missed for 2 s (W behind
    others, A hidden by them), and W comes out just past where A stood, where 2 s of their walk takes them: W's id,
    not A's, however close to where A was last seen."""
    tracker = PeopleTracker(new_min_score=0.25)
    speed, hidden_s, fps = 240.0, 2.0, 30
    for k in range(fps):  # a second seen: W's velocity learned
        a, w = tracker.update([standing(300.0, 0.6), standing(1000.0 - speed * k / fps, 0.6)], k / fps)
    t_out = (fps - 1) / fps + hidden_s
    x_out = 1000.0 - speed * t_out
    assert 270.0 < x_out < 300.0  # just past A's spot
    (out,) = tracker.update([standing(x_out, 0.6)], t_out)
    assert out.track_id == w.track_id != a.track_id


def test_a_pose_that_may_hold_someone_else_is_shared():
    """Two people side by side share nothing; when their boxes overlap (arms out) both are shared; when one is hidden
    behind the other (one box, the other predicted there), the one seen is shared until the hidden one is forgotten."""
    tracker = PeopleTracker(new_min_score=0.25)
    t = 0.0

    def step(poses: list[Pose]) -> dict[int | None, bool]:
        nonlocal t
        out = tracker.update(poses, t)
        t += 1 / 30
        return {p.track_id: p.shared for p in out}

    for _ in range(CONFIRM_HITS + 2):
        seen = step([standing(300.0, 0.6), standing(380.0, 0.6, height_px=250.0, feet_y=430.0)])
    a, b = seen
    assert None not in seen and seen == {a: False, b: False}
    assert step([standing(300.0, 0.6, half_width=60.0),
                 standing(380.0, 0.6, height_px=250.0, feet_y=430.0, half_width=60.0)]) == {a: True, b: True}
    assert step([standing(300.0, 0.6)]) == {a: True}  # b hidden behind a, predicted where they were
    for _ in range(int(REID_S * 30) + 2):
        shared = step([standing(300.0, 0.6)])
    assert shared == {a: False}  # the hidden one forgotten


def test_frames_of_a_flicker_go_to_the_person_whose_box_it_was():
    """A and B (smaller, further back) stand apart, then B is unseen for a second. For four frames MultiPose finds
    only B, on A's spot, and misses A: nearest in place, A's id goes on B's box. When both are found again, B's own
    box is where those four were: they were B's, and are relabelled so (`relabels`), while A keeps every frame of
    their own."""
    tracker = PeopleTracker(new_min_score=0.25)
    a_size, b_size = (300.0, 445.0), (250.0, 425.0)
    frames, truth = [], []
    for k in range(75):
        t = k / 30
        if t < 1.0:
            poses, who = [standing(600.0, 0.6, *a_size), standing(700.0, 0.6, *b_size)], ["A", "B"]
        elif t < 2.0:
            poses, who = [standing(600.0, 0.6, *a_size)], ["A"]
        elif k < 64:
            poses, who = [standing(605.0, 0.6, *b_size)], ["B"]
        else:
            poses, who = [standing(600.0, 0.6, *a_size), standing(605.0, 0.6, *b_size)], ["A", "B"]
        frames.append((t, tracker.update(poses, t)))
        truth.append(who)
    a_id, b_id = frames[10][1][0].track_id, frames[10][1][1].track_id
    assert a_id != b_id and None not in (a_id, b_id)
    assert [p.track_id for _, poses in frames[60:64] for p in poses] == [a_id] * 4  # as the frames were given
    ids = with_relabels(tracker, frames)
    for k, (who, got) in enumerate(zip(truth, ids)):
        if k >= 10:
            assert got == [a_id if w == "A" else b_id for w in who], k


def test_a_frame_in_which_someone_hidden_stood_in_for_the_one_in_front_goes_to_the_one_in_front():
    """A stands at x 600; B, smaller and further back, at 640 until B is hidden behind A for a second. For one frame
    MultiPose's box on A's spot reads B's size (one box over both) and misses A: B's id goes on it. A's boxes just
    before and just after fit it, and B was unseen for longer than the frames kept: that frame is relabelled A's."""
    tracker = PeopleTracker(new_min_score=0.25)
    a_size, b_size = (300.0, 445.0), (250.0, 425.0)
    frames = []
    for k in range(75):
        t = k / 30
        if t < 1.0:
            poses = [standing(600.0, 0.6, *a_size), standing(640.0, 0.6, *b_size)]
        elif k == 60:
            poses = [standing(600.0, 0.6, *b_size)]  # the stand-in
        else:
            poses = [standing(600.0, 0.6, *a_size)]
        frames.append((t, tracker.update(poses, t)))
    a_id, b_id = frames[10][1][0].track_id, frames[10][1][1].track_id
    assert a_id != b_id and None not in (a_id, b_id)
    assert [p.track_id for p in frames[60][1]] == [b_id]  # as the frame was given
    ids = with_relabels(tracker, frames)
    assert all(got == [a_id] for got in ids[30:])


def test_the_poses_someone_small_was_seen_in_before_their_id_are_handed_on_with_it():
    tracker = PeopleTracker(new_min_score=0.25)
    for k in range(int((STAY_CONFIRM_S + 0.5) * 30)):
        out = tracker.update([standing(300.0, 0.6, height_px=400.0),
                              standing(900.0 + 3.0 * np.sin(k / 10), 0.6, height_px=140.0)], k / 30)
    small_id = out[1].track_id
    # Every frame before the id, from the first, at its own time and place (not the larger one's first frames).
    (small,) = (b.poses for b in tracker.backfills)
    assert {p.track_id for p in small} == {small_id}
    assert [p.t for p in small] == [k / 30 for k in range(len(small))]
    assert all(p.xy[0, 0] > 800 for p in small)
    assert len(small) >= STAY_CONFIRM_S * 30 - 1


@pytest.mark.parametrize("coloured", [True, False])
def test_two_alike_in_size_who_come_apart_get_back_their_ids_by_the_colour_of_their_clothes(coloured):
    """A and B are alike in size and depth; B walks behind A (one box for both, A's), then the one left standing on
    the spot is B and A walks off. Where one wears red and the other blue, the ids are swapped back; without
    colours nothing says the nearest pairing is wrong."""
    red, blue = ((0.15, 0.15, 80.0), (0.6, 0.25, 90.0)) if coloured else (None, None)
    tracker = PeopleTracker(new_min_score=0.25)
    frames, truth = [], []
    for k in range(165):
        t = k / 30
        b_x = 900.0 - 300.0 * min(max(t - 1.0, 0.0), 1.0)
        a_x = 660.0 + 200.0 * max(t - 3.2, 0.0)
        a, b = standing(600.0, 0.6).replace(colour=red), standing(b_x, 0.6).replace(colour=blue)
        if t < 2.5:
            poses, who = [a, b], ["A", "B"]
        elif t < 3.2:
            poses, who = [a], ["A"]
        else:
            poses, who = [standing(600.0, 0.6).replace(colour=blue), standing(a_x, 0.6).replace(colour=red)], ["B", "A"]
        frames.append((t, tracker.update(poses, t)))
        truth.append(who)
    ids = with_relabels(tracker, frames)
    a_id, b_id = ids[30]
    right = [got == [a_id if w == "A" else b_id for w in who] for who, got in zip(truth, ids)]
    assert all(right[30:75])  # apart, and A alone
    assert all(r == coloured for r in right[110:])

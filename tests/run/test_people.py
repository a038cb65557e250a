"""Counting several people at once: each tracked person's own engine (fitness/run/people.py), live and offline,
and `fitness run --people` through the session loop down to the JSON's `people`."""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence

import numpy as np
import pytest
from exercise.tracks import track

from fitness.capture.source import BaseSource
from fitness.exercise import load_exercise
from fitness.pipeline import run_session
from fitness.pose.people_tracker import measure
from fitness.pose.types import Pose
from fitness.run.config import SessionConfig
from fitness.run.people import (
    ON_FEET_S,
    OWN_FEET_TORSOS,
    PASSING_S,
    PLANTED_S,
    People,
    _Seen,
    make_engine_factory,
)
from fitness.run.stages import create_stages
from fitness.smoothing.offline import smooth_offline
from fitness.smoothing.registry import create_smoother

PERSON_KEYS = {"id", "name", "reps", "no_reps", "rep_details", "first_seen_s", "last_seen_s"}
FPS = 30.0


def placed(frames: list[tuple[Pose, float]], x: float, scale: float, track_id: int) -> list[Pose]:
    """A 640 x 480 track moved to centre x in a 1280 wide frame, scaled about the feet, with its id."""
    return [p.replace(xy=(p.xy - (320.0, 480.0)) * scale + (x, 480.0), track_id=track_id, frame_size=(1280, 480))
            for p, _ in frames]


@pytest.fixture(scope="module")
def crowd() -> list[list[Pose]]:
    """Per frame: A (3 squats, id 2, left, smaller) and B (5 squats, id 1, right, larger)."""
    a = placed(track("squats", 3, "front", seed=1), 320.0, 0.9, track_id=2)
    b = placed(track("squats", 5, "front", seed=2), 960.0, 1.0, track_id=1)
    n = max(len(a), len(b))
    stand = lambda ps, i: ps[min(i, len(ps) - 1)]  # noqa: E731  the one done first stands still at the end
    return [[stand(b, i), stand(a, i)] for i in range(n)]


def engines():
    squats = load_exercise("squats")
    return make_engine_factory(squats, lambda: create_smoother("none"), source="test", model="m", set_pause_s=20.0)


def count(crowd, people: People, offline: bool):
    for i, poses in enumerate(crowd):
        people.see(i / FPS, [p.replace(t=i / FPS) for p in poses])
        if not offline:
            people.advance(i)
    if offline:
        people.smooth(smooth_offline)
        for i in range(len(crowd)):
            people.advance(i)
    n = len(crowd)
    return people.finish((n - 1) / FPS, frames=n, duration_s=n / FPS, fps=FPS, interrupted=False)


def torso_px(pose: Pose) -> float:
    """Shoulders' midpoint to hips' midpoint, as the tracker and `People` measure it."""
    torso = measure(pose).torso_px
    assert torso is not None
    return torso


def walked_off(poses: list[Pose], set_off: int, speeds: Sequence[float]) -> list[list[Pose]]:
    """Frames: `poses` up to `set_off`, then that pose carried sideways at `speeds` (torso lengths a second, one a
    frame; negative: to the left), then the first pose standing there for 2 s."""
    shifts = np.cumsum(speeds) * torso_px(poses[0]) / FPS
    walk = [poses[set_off].replace(xy=poses[set_off].xy + (x, 0.0)) for x in shifts]
    there = (walk[-1].xy[:, 0].mean() - poses[0].xy[:, 0].mean(), 0.0)
    stand = [poses[0].replace(xy=poses[0].xy + there)] * int(2 * FPS)
    return [[p] for p in poses[:set_off + 1] + walk + stand]


@pytest.mark.parametrize("offline", [False, True])
def test_each_person_is_counted_on_their_own_left_to_right(crowd, offline):
    results = count(crowd, People(engines()), offline)
    assert [(r.id, r.summary.reps) for r in results] == [(2, 3), (1, 5)]
    assert results[0].first_seen_s == 0.0 and results[0].last_seen_s == pytest.approx((len(crowd) - 1) / FPS)
    assert set(results[0].to_dict()) == PERSON_KEYS
    assert [r["index"] for r in results[1].to_dict()["rep_details"]] == [1, 2, 3, 4, 5]


def test_names_go_left_to_right_and_a_limit_keeps_the_largest(crowd):
    named = count(crowd, People(engines(), names=("Ann", "Ben")), offline=True)
    assert [(r.name, r.summary.reps) for r in named] == [("Ann", 3), ("Ben", 5)]
    largest = count(crowd, People(engines(), limit=1), offline=True)
    assert [(r.id, r.summary.reps) for r in largest] == [(1, 5)]


def test_someone_passing_through_without_exercising_is_not_counted(crowd):
    walker = Pose(np.column_stack([np.full(17, 700.0), np.linspace(200, 400, 17)]), np.full(17, 0.9), 0.0,
                  track_id=7)
    passing = int(0.5 * PASSING_S * FPS)
    frames = [poses + ([walker.replace(xy=walker.xy + (i, 0))] if i < passing else []) for i, poses in
              enumerate(crowd)]
    results = count(frames, People(engines()), offline=False)
    assert [r.id for r in results] == [2, 1]


def test_views_show_each_person_with_their_count(crowd):
    people = People(engines(), names=("Ann",))
    for i, poses in enumerate(crowd):
        people.see(i / FPS, [p.replace(t=i / FPS) for p in poses])
        people.advance(i)
    views = people.views(len(crowd) - 1)
    assert [(v.label, v.reps) for v in views] == [("Ann", 3), ("#1", 5)]
    assert all(v.pose is not None for v in views)


class Blank(BaseSource):
    def __init__(self, n: int) -> None:
        super().__init__()
        self.n, self.fps, self.label = n, FPS, "fake:blank"

    def _frames(self) -> Iterator[tuple[np.ndarray, float, int]]:
        for i in range(self.n):
            yield np.full((480, 1280, 3), 90, np.uint8), i / FPS, i


class CrowdEstimator:
    """MultiPose stand-in: the scripted people of each frame, stamped with the frame's time."""

    name = "crowd"

    def __init__(self, frames: list[list[Pose]]) -> None:
        self.frames, self.i = frames, 0

    def estimate_all(self, frame) -> list[Pose]:
        poses = self.frames[self.i] if self.i < len(self.frames) else []
        self.i += 1
        return [p.replace(t=frame.t) for p in poses]

    def estimate(self, frame):
        raise AssertionError("a multi-person session asks for everyone")

    def reset(self) -> None:
        pass


@pytest.mark.parametrize("smoothing", [None, "live"])
def test_a_people_session_writes_everyone_left_to_right_and_keeps_the_largest_on_top(tmp_path, crowd, smoothing):
    out = tmp_path / "out.json"
    config = SessionConfig(exercise="squats", source="video", path="x.mp4", model="multipose", window=False,
                           no_history=True, json_path=str(out), people="all", names=("Ann", "Ben"),
                           smoothing=smoothing)
    definition = load_exercise("squats")
    stages = create_stages(config, definition, "fake", estimator=CrowdEstimator(crowd))
    result = run_session(config, None, stages=stages, source_factory=lambda: Blank(len(crowd)))
    doc = json.loads(out.read_text())
    assert [(p["name"], p["id"], p["reps"]) for p in doc["people"]] == [("Ann", 2, 3), ("Ben", 1, 5)]
    assert all(set(p) == PERSON_KEYS for p in doc["people"])
    assert doc["reps"] == 5  # the top level: the largest person, as without --people
    assert [p.summary.reps for p in result.people] == [3, 5]


def test_the_json_says_where_each_tracked_person_was_in_each_frame_one_row_a_line(tmp_path, crowd):
    from fitness.pose.tracking import pose_box
    from fitness.session.summary_schema import check_summary

    out = tmp_path / "out.json"
    config = SessionConfig(exercise="squats", source="video", path="x.mp4", model="multipose", window=False,
                           no_history=True, json_path=str(out), people="all")
    stages = create_stages(config, load_exercise("squats"), "fake", estimator=CrowdEstimator(crowd))
    run_session(config, None, stages=stages, source_factory=lambda: Blank(len(crowd)))
    text = out.read_text()
    doc = json.loads(text)
    check_summary(doc)
    assert list(doc)[-1] == "tracks" and len(doc["tracks"]) == 2 * len(crowd)
    assert len(text[text.index('"tracks": [') :].splitlines()) == len(doc["tracks"]) + 3  # a row a line
    for i, poses in enumerate(crowd):
        rows = doc["tracks"][2 * i : 2 * i + 2]
        assert [r[0] for r in rows] == [round(i / FPS, 3)] * 2
        assert sorted((r[1], r[2]) for r in rows) == sorted(
            (p.track_id, [round(v, 1) for v in pose_box(p)]) for p in poses)


def test_without_people_the_json_has_no_people_key(tmp_path, crowd):
    out = tmp_path / "out.json"
    config = SessionConfig(exercise="squats", source="video", path="x.mp4", model="multipose", window=False,
                           no_history=True, json_path=str(out))
    stages = create_stages(config, load_exercise("squats"), "fake", estimator=CrowdEstimator(crowd))
    run_session(config, None, stages=stages, source_factory=lambda: Blank(len(crowd)))
    assert not {"people", "tracks"} & set(json.loads(out.read_text()))


def test_history_keeps_one_session_per_person_linked_as_one_group(tmp_path, crowd):
    from fitness.session.store import HistoryStore

    db = tmp_path / "history.db"
    config = SessionConfig(exercise="squats", source="video", path="x.mp4", model="multipose", window=False,
                           db=str(db), people="all", names=("Ann", "Ben"))
    stages = create_stages(config, load_exercise("squats"), "fake", estimator=CrowdEstimator(crowd))
    result = run_session(config, None, stages=stages, source_factory=lambda: Blank(len(crowd)))
    with HistoryStore.open(db) as store:
        sessions = [store.get(row.id) for row in store.list_sessions()]
    assert sorted((s.person, s.reps) for s in sessions) == [("Ann", 3), ("Ben", 5)]
    assert {s.group_id for s in sessions} == {result.summary.id}
    assert len({s.started_at for s in sessions}) == 1
    assert result.summary.person == "Ben"  # the followed (largest) person's session leads the group


def test_reps_done_while_walking_across_are_not_counted():
    """Four squats, the middle two while moving sideways at a walk (two torso lengths a second): two count."""
    still, walking = placed(track("squats", 4, "front", seed=3), 320.0, 1.0, track_id=1), []
    n = len(still)
    a, b = int(n * 0.3), int(n * 0.72)  # the second and third reps (of four evenly spaced)
    torso = torso_px(still[0])
    for i, pose in enumerate(still):
        shift = 2.0 * torso * (min(max(i, a), b) - a) / FPS
        walking.append([pose.replace(xy=pose.xy + (shift, 0.0))])
    assert [r.summary.reps for r in count([[p] for p in still], People(engines()), offline=True)] == [4]
    assert [r.summary.reps for r in count(walking, People(engines()), offline=True)] == [2]


def test_live_only_the_last_seconds_of_poses_are_kept(crowd):
    from fitness.run.people import LIVE_MEMORY_S

    people = People(engines())
    results = count(crowd, people, offline=False)
    assert [r.summary.reps for r in results] == [3, 5]
    assert all(len(s.poses) <= LIVE_MEMORY_S * FPS + 1 for s in people.seen.values())
    assert len(crowd) > 3 * LIVE_MEMORY_S * FPS


def test_a_swap_the_tracker_finds_later_gives_each_person_back_their_frames(crowd):
    """The tracker handed each one's id to the other for a stretch, then found the swap (`Relabel`): offline, each
    is counted on their own frames, and the per-frame tracks carry the right ids."""
    from fitness.pose.people_tracker import Relabel

    n = len(crowd)
    a, b = n // 3, 2 * n // 3
    swapped = [[p.replace(track_id=3 - p.track_id) for p in poses] if a <= i < b else poses
               for i, poses in enumerate(crowd)]
    relabels: list[Relabel] = []
    people = People(engines(), relabels=relabels)
    for i, poses in enumerate(swapped):
        if i == b:
            relabels.append(Relabel(a / FPS, b / FPS, 1, 2))
        people.see(i / FPS, [p.replace(t=i / FPS) for p in poses])
    people.smooth(smooth_offline)
    for i in range(n):
        people.advance(i)
    results = people.finish((n - 1) / FPS, frames=n, duration_s=n / FPS, fps=FPS, interrupted=False)
    assert [(r.id, r.summary.reps) for r in results] == [(2, 3), (1, 5)]
    left = {tid for _, tid, box in people.tracks() if box[0] < 640}
    assert left == {2}


def passer_in_place(poses: list[Pose], start: int, frames: int, scale: float) -> list[list[Pose]]:
    """Per frame the person's pose, but from `start` for `frames` frames a standing passer-by's behind them (smaller,
    feet higher in the frame: further back) with their id, as when MultiPose finds only the one behind."""
    behind = poses[0].replace(xy=(poses[0].xy - (320.0, 480.0)) * scale + (320.0, 440.0))
    return [[behind.replace(t=p.t) if start <= i < start + frames else p] for i, p in enumerate(poses)]


@pytest.mark.parametrize("offline", [False, True])
def test_a_smaller_passer_by_taking_someones_place_for_a_moment_gives_no_rep(offline):
    """Standing between squats, the person's pose is a passer-by's behind them for 0.4 s (torso a third shorter):
    not a squat; those frames count as unseen."""
    poses = placed(track("squats", 3, "front", seed=4), 320.0, 1.0, track_id=1)
    start = len(poses) + int(0.5 * FPS)  # standing still after the last rep
    poses += [poses[-1]] * int(2.0 * FPS)
    crowd = passer_in_place(poses, start, int(0.4 * FPS), scale=0.65)
    assert [r.summary.reps for r in count(crowd, People(engines()), offline)] == [3]


def test_a_torso_that_stays_at_its_new_length_is_taken_again():
    """Someone who steps closer (torso 40% longer from one frame on) is unseen only for TORSO_REGATE_S, then
    followed at their new size: their later squats count."""
    from fitness.run.people import TORSO_REGATE_S

    first = placed(track("squats", 2, "front", seed=5), 320.0, 1.0, track_id=1)
    closer = placed(track("squats", 2, "front", seed=6), 320.0, 1.4, track_id=1)
    people = People(engines())
    results = count([[p] for p in [*first, *closer]], people, offline=True)
    assert [r.summary.reps for r in results] == [4]
    assert len(people.seen[1].dropped) <= TORSO_REGATE_S * FPS + 1


@pytest.mark.parametrize("offline", [False, True])
def test_a_lunge_steps_forward_and_back_and_is_no_walk(offline):
    """A lunge's hips go forward at a walk's speed and come back: alone in a group run, every frame of a set of
    lunges reaches their machine, so their reps (times and range) are what the single-person engine gives."""
    lunges = load_exercise("lunges")
    poses = placed(track("lunges", 4, "side", seed=5, rep_s=2.8, rest_s=0.4), 640.0, 1.0, track_id=1)
    people = People(make_engine_factory(lunges, lambda: create_smoother("none"), source="test", model="m",
                                        set_pause_s=20.0))
    (result,) = count([[p] for p in poses], people, offline=offline)
    alone = make_engine_factory(lunges, lambda: create_smoother("none"), source="test", model="m",
                                set_pause_s=20.0)(1)
    series = smooth_offline(list(poses)) if offline else list(poses)
    for i, pose in enumerate(series):
        alone.recorder.update(alone.machine.update(pose.replace(t=i / FPS), i / FPS))
    n = len(poses)
    alone.recorder.update(alone.machine.finish((n - 1) / FPS))
    single = alone.recorder.finish(frames=n, duration_s=n / FPS, fps=FPS, interrupted=False)
    assert result.summary.reps == single.reps == 4
    timing = lambda s: [(r.start_t, r.end_t, r.rom) for r in s.rep_details]  # noqa: E731
    assert timing(result.summary) == timing(single)
    assert not any(people.seen[1].walking(i, people.times, centred=offline) for i in range(n))


def test_a_rep_begun_as_someone_sets_off_walking_is_no_rep():
    """One lunge, then the knees bend to about 125 deg as they turn to go (not the 110 of a lunge), and they walk
    off three torso lengths that way and stand: one rep, and the bend they set off in is no rep nor no-rep."""
    lunges = load_exercise("lunges")
    poses = placed(track("lunges", 2, "side", seed=5, rep_s=2.8, rest_s=0.4), 640.0, 1.0, track_id=1)

    def bend(p: Pose) -> float:
        u, v = p.xy[11] - p.xy[13], p.xy[15] - p.xy[13]
        return float(np.degrees(np.arccos(np.dot(u, v) / np.linalg.norm(u) / np.linalg.norm(v))))

    second = next(i for i in range(len(poses) // 2, len(poses)) if bend(poses[i]) < 170)
    set_off = next(i for i in range(second, len(poses)) if bend(poses[i]) < 125)
    frames = walked_off(poses, set_off, [0.0] + [-1.5] * (int(2 * FPS) - 1))
    people = People(make_engine_factory(lunges, lambda: create_smoother("none"), source="test", model="m",
                                        set_pause_s=20.0))
    (result,) = count(frames, people, offline=True)
    assert (result.summary.reps, result.summary.no_reps) == (1, 0)


def hip_height_pct(poses: list[Pose]) -> np.ndarray:
    """Each pose's hips over its ankles, in % of the highest (squats' rep signal, unsmoothed)."""
    hip_px = np.array([p.xy[[15, 16], 1].mean() - p.xy[[11, 12], 1].mean() for p in poses])
    return 100.0 * hip_px / hip_px.max()


@pytest.mark.parametrize(("set_off_pct", "reps"), [(76.0, 1), (95.0, 2)])
def test_a_squat_someone_walks_off_from_counts_only_on_its_way_back(set_off_pct, reps):
    """One squat, then a second from which they walk off, three torso lengths sideways, and stand; the walk starts
    slowly (its first half second at 0.3 torso lengths a second), so it is seen as one only once under way. Going
    down to 76 % (under the 78 % depth line) as they set off is a turn to go, no rep nor no-rep; setting off once
    back up (95 %) leaves the rep done."""
    poses = placed(track("squats", 2, "front", seed=4), 640.0, 1.0, track_id=1)
    pct = hip_height_pct(poses)
    bottom = len(poses) // 2 + int(np.argmin(pct[len(poses) // 2:]))  # the second squat's
    if set_off_pct < 78.0:
        set_off = next(i for i in range(bottom, -1, -1) if pct[i] > set_off_pct) + 1
    else:
        set_off = next(i for i in range(bottom, len(poses)) if pct[i] > set_off_pct)
    frames = walked_off(poses, set_off, [0.3 if k < FPS / 2 else 1.5 for k in range(int(2.5 * FPS))])
    (result,) = count(frames, People(engines()), offline=True)
    assert (result.summary.reps, result.summary.no_reps) == (reps, 0)


@pytest.mark.parametrize("offline", [False, True])
@pytest.mark.parametrize(("feet_px", "reps"), [(20.0, 2), (-40.0, 3)])
def test_a_squat_read_while_someone_walks_past_in_front_is_no_rep(offline, feet_px, reps):
    """Two squats, then a third while someone walks past at a slow walk. In front (feet lower in the frame: nearer),
    the walker's limbs are in the squatter's pose for as long as their boxes overlap: what it reads then is no rep.
    Behind (feet higher), they hide nothing: the squat counts (the poses here are not `shared`: the tracker would
    mark them so where the boxes overlap, and the legs would then be unseen). The walker is counted for nothing."""
    squats = placed(track("squats", 2, "front", seed=7), 640.0, 1.0, track_id=1)
    stand = squats[0]
    one = placed(track("squats", 1, "front", seed=8, rep_s=1.6), 640.0, 1.0, track_id=1)
    down = [i for i, p in enumerate(one) if p.xy[11:13, 1].mean() > stand.xy[11:13, 1].mean() + 5.0]
    third = one[down[0] - 3:down[-1] + 4]  # the squat itself, without the standing before and after
    torso = torso_px(stand)
    speed_px = 0.7 * torso  # a slow walk: 0.7 torso lengths a second
    width = float(np.ptp(stand.xy[:, 0]))
    across_s = 2 * width / speed_px  # from touching the squatter's box on one side to leaving it on the other
    start = len(squats) + int(FPS)
    walk_frames = int((1280.0 + 2 * width) / speed_px * FPS)
    meet = start + int((640.0 - width) / speed_px * FPS)  # the walker's box reaches the squatter's
    assert len(third) / FPS < across_s - 0.4
    first = meet + int((across_s * FPS - len(third)) / 2)
    walker = stand.replace(xy=stand.xy + (0.0, feet_px), track_id=2)
    frames = []
    for i in range(start + walk_frames):
        here = [squats[i] if i < len(squats) else third[i - first] if first <= i < first + len(third) else stand]
        if i >= start:
            x = -width + speed_px * (i - start) / FPS
            here.append(walker.replace(xy=walker.xy + (x - 640.0, 0.0)))
        frames.append(here)
    alone = [[p for p in poses if p.track_id == 1] for poses in frames]
    assert [r.summary.reps for r in count(alone, People(engines()), offline)] == [3]
    assert [(r.id, r.summary.reps) for r in count(frames, People(engines()), offline)] == [(1, reps)]


def traded(pose: Pose) -> Pose:
    """The pose with its knees' and ankles' left and right labels traded (as MoveNet does side-on now and then)."""
    order = np.arange(17)
    order[[13, 14, 15, 16]] = [14, 13, 16, 15]
    return pose.replace(xy=pose.xy[order], score=pose.score[order])


def test_lunges_whose_leg_labels_trade_from_frame_to_frame_are_counted_offline():
    """Side-on, MoveNet trades the two legs' labels in a frame here and there, most while they are apart. Each
    person's legs keep their labels (`LegLabels`), so the set counts as it does with none traded. (On these clean
    synthetic legs the old code counted them too; the labels' own tests are in tests/pose/test_leg_labels.py.)"""
    lunges = load_exercise("lunges")
    poses = placed(track("lunges", 4, "side", seed=5, rep_s=2.8, rest_s=0.4), 640.0, 1.0, track_id=1)
    rng = np.random.default_rng(3)
    mixed = [traded(p) if rng.random() < 0.4 else p for p in poses]
    people = People(make_engine_factory(lunges, lambda: create_smoother("none"), source="test", model="m",
                                        set_pause_s=20.0))
    (result,) = count([[p] for p in mixed], people, offline=True)
    assert result.summary.reps == 4 and result.summary.no_reps == 0


@pytest.mark.parametrize("offline", [False, True])
def test_ankles_of_someone_walking_behind_in_a_shared_pose_give_no_rep(offline):
    """Standing after three squats, the person's ankles are read for 0.6 s on the feet of someone walking behind them
    (higher in the frame: the hips then read 70% of the way up), as MoveNet does, surely scored. The tracker marks
    those poses shared (one box may hold both): their legs are not the person's, and no squat is read. The same
    poses, not shared, read as a squat."""
    poses = placed(track("squats", 3, "front", seed=4), 320.0, 1.0, track_id=1)
    start = len(poses) + int(0.5 * FPS)
    poses += [poses[-1]] * int(2.0 * FPS)
    stand = poses[-1]
    legs = stand.xy[[15, 16], 1].mean() - stand.xy[[11, 12], 1].mean()
    misread = stand.xy.copy()
    misread[[13, 14], 1] -= 0.3 * legs / 2  # the knees between
    misread[[15, 16], 1] -= 0.3 * legs
    for shared, reps in ((False, 4), (True, 3)):
        frames = [[p.replace(xy=misread, shared=shared) if start <= i < start + int(0.6 * FPS) else p]
                  for i, p in enumerate(poses)]
        assert [r.summary.reps for r in count(frames, People(engines()), offline)] == [reps], shared


@pytest.mark.parametrize("offline", [False, True])
def test_a_squat_done_wholly_in_shared_poses_counts_when_the_feet_stay_on_the_persons_own(offline):
    """Someone walks behind a squatter through their whole fourth squat: every pose of it is shared, but MoveNet
    reads the squatter's own legs, their ankles planted where they were. Those legs are kept and the squat counts;
    with the ankles read on the walker's feet instead (higher in the frame), it does not."""
    poses = placed(track("squats", 4, "front", seed=4), 320.0, 1.0, track_id=1)
    reps = [r for r in count([[p] for p in poses], People(engines()), offline)]
    assert [r.summary.reps for r in reps] == [4]
    last = reps[0].summary.rep_details[-1]
    start, end = int((last.start_t - 0.3) * FPS), int((last.end_t + 0.3) * FPS)
    legs = poses[0].xy[[15, 16], 1].mean() - poses[0].xy[[11, 12], 1].mean()
    for feet_up, counted in ((0.0, 4), (0.3 * legs, 3)):
        frames = []
        for i, p in enumerate(poses):
            if start <= i < end:
                xy = p.xy.copy()
                xy[[15, 16], 1] -= feet_up
                p = p.replace(xy=xy, shared=True)
            frames.append([p])
        assert [r.summary.reps for r in count(frames, People(engines()), offline)] == [counted], feet_up


def test_a_shared_pose_keeps_its_legs_only_on_feet_planted_and_read_there_for_a_while():
    """The legs of a shared pose are the person's only when both ankles are on the feet their own poses have kept in
    one place for PLANTED_S (not on feet just arrived, nor further than OWN_FEET_TORSOS), in every pose of the last
    ON_FEET_S. Kept, the ankles are put back on the planted feet, in the pose's own labels."""
    stand = placed(track("squats", 1, "front", seed=4), 320.0, 1.0, track_id=1)[0]
    seen = _Seen(first_t=0.0, last_t=0.0, torso_px=100.0)
    feet = stand.xy[[15, 16]].astype(np.float64)
    near, far = 0.8 * OWN_FEET_TORSOS * seen.torso_px, 1.3 * OWN_FEET_TORSOS * seen.torso_px

    def at(k: int, shift=(0.0, 0.0), xy=None) -> Pose:
        xy = (stand.xy if xy is None else xy).copy()
        xy[[15, 16]] += shift
        return stand.replace(t=k / FPS, xy=xy, shared=True)

    for k in range(11):  # walks in (40 px a frame), stands from frame 10
        seen.note_feet(at(k, (40.0 * (10 - k), 0.0)))
    assert seen.own_legs(at(11)) is None  # planted only a third of a second
    k = 12
    for k in range(12, 12 + int(PLANTED_S * FPS) + 1):
        seen.note_feet(at(k, ((-1.0) ** k * 2.0, 0.0)))  # its own poses, read within 2 px
    kept = seen.own_legs(at(k + 1, (0.0, -near)))  # straight after its own poses on the feet
    assert kept is not None and np.abs(kept.xy[[15, 16]] - feet).max() < 2.0
    assert np.array_equal(kept.xy[:15], stand.xy[:15])
    assert seen.own_legs(at(k + 2, (0.0, -far))) is None  # read on the feet of someone walking behind
    n = round(ON_FEET_S * FPS)
    again = [seen.own_legs(at(k + 3 + j)) is not None for j in range(n + 3)]
    assert not any(again[: n - 1]) and all(again[n + 1:])  # back on the feet: kept once so for ON_FEET_S
    traded = stand.xy.copy()
    traded[[15, 16]] = traded[[16, 15]]
    kept = seen.own_legs(at(k + n + 6, xy=traded))
    assert kept is not None and np.abs(kept.xy[[15, 16]] - feet[::-1]).max() < 2.0


@pytest.mark.parametrize("backfilled", [True, False])
def test_someone_small_who_had_to_stay_first_is_counted_from_when_they_were_first_seen(backfilled):
    """Beside a larger person, one a third their size (the smaller of two videos put side by side) gets an id only
    once they have stayed STAY_CONFIRM_S, in the middle of their first squat; in a recording that squat counts too."""
    from fitness.pose.people_tracker import STAY_CONFIRM_S, PeopleTracker

    big = placed(track("squats", 3, "front", seed=5), 320.0, 1.0, track_id=None)
    small = placed(track("squats", 3, "front", seed=6), 960.0, 0.35, track_id=None)
    tracker = PeopleTracker()
    people = People(engines(), relabels=tracker.relabels, backfills=tracker.backfills if backfilled else None)
    n = min(len(big), len(small))
    for i in range(n):
        people.see(i / FPS, tracker.update([big[i].replace(t=i / FPS), small[i].replace(t=i / FPS)], i / FPS))
    people.smooth(smooth_offline)
    for i in range(n):
        people.advance(i)
    results = people.finish((n - 1) / FPS, frames=n, duration_s=n / FPS, fps=FPS, interrupted=False)
    right = results[-1]
    assert right.last_seen_s > STAY_CONFIRM_S
    if backfilled:
        assert (right.first_seen_s, right.summary.reps) == (0.0, 3)
    else:  # the first squat was half over when they got their id
        assert right.first_seen_s >= STAY_CONFIRM_S and right.summary.reps < 3

"""Counting several people at once (`fitness run --people`): each tracked person (`Pose.track_id`, from
`fitness.pose.people_tracker`) gets their own smoother, exercise machine and recorder, so each learns their own
standing height, side and view. `People` fans each frame's poses out to them, live (frame by frame) or offline
(poses first, each person's series smoothed at once, then the engines), and says at the end who was counted,
left to right."""

from __future__ import annotations

import bisect
import dataclasses
from array import array
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from fitness.exercise import ExerciseMachine
from fitness.exercise.events import MachineStep
from fitness.feedback.snapshot import PersonView
from fitness.pose.leg_labels import LegLabels
from fitness.pose.people_tracker import Backfill, Relabel, measure
from fitness.pose.tracking import iou, pose_box
from fitness.pose.types import Keypoint, Pose
from fitness.session.recorder import SessionRecorder
from fitness.session.summary import WorkoutSummary
from fitness.smoothing.smoother import Smoother

# When nobody did a rep, the people in view at least this long are still listed (with none).
PASSING_S = 5.0
# Someone whose hips go sideways faster than this (torso lengths a second, over WALKING_WINDOW_S) is walking
# (across the room, past the others), not exercising: their machine waits meanwhile. A slow walk is about one
# torso length a second.
WALKING_TORSOS_PER_S = 0.5
WALKING_WINDOW_S = 1.0
# ... when they also get somewhere: their hips' sideways range over WALK_SPAN_S around the frame (live: before
# it) is more than WALK_SPAN_TORSOS. A lunge's hips go forward as fast as a walk's (about 0.8 torso lengths in
# half a second) and come back: they stay within about a torso length of where the person stands, while a walk
# to another spot covers two torso lengths in two seconds.
WALK_SPAN_TORSOS = 1.5
WALK_SPAN_S = 4.0
# A rep that began at most this long before a walk is seen, and is still at its target then, was the walk's start:
# turning to go can bend the knees as far as a squat's bottom (the walk is seen up to ~0.5 s after it starts).
SET_OFF_S = 1.0
# Someone walking past in front of a person (their box's bottom, the feet, lower in the frame: nearer) mixes their
# limbs into that person's pose (a stride reads as wide feet, swinging arms as raised ones): while the boxes of the
# two overlap more than this (IoU), the person's machine waits too. One walking past behind leaves the person's arms
# and torso as they are; only the legs may be read on the walker's (see _LEG_KEYPOINTS).
PASSED_IOU = 0.05
# The knees and ankles: in a pose that may hold someone else's keypoints too (`Pose.shared`: a box over two people,
# or overlapping another), MoveNet puts them on the other person's legs as surely as on the person's own.
_LEG_KEYPOINTS = [Keypoint.LEFT_KNEE, Keypoint.RIGHT_KNEE, Keypoint.LEFT_ANKLE, Keypoint.RIGHT_ANKLE]
_ANKLES = [Keypoint.LEFT_ANKLE, Keypoint.RIGHT_ANKLE]
# ... unless both ankles are on the person's feet, planted: within OWN_FEET_TORSOS torso lengths (either label) of
# where their own poses (not shared) have put them for PLANTED_S or more, and so in every pose of the last ON_FEET_S
# (poses at most ON_FEET_GAP_S apart): a match now and then among reads elsewhere is someone else's body mixed in.
# Feet planted through a squat stay within a tenth, while the feet of someone walking behind are higher in the frame.
# Those legs are the person's and are kept, the ankles put back on the planted feet (FEET_AVERAGING: each own pose's
# share in where they are), so that a read creeping toward the other's feet does not read as a dip.
OWN_FEET_TORSOS = 0.15
PLANTED_S = 0.5
ON_FEET_S = 0.2
ON_FEET_GAP_S = 0.1
FEET_AVERAGING = 0.2
FEET_SCORE = 0.3  # an ankle below this score places no foot
# Live, each person's poses are kept this long (the walk check looks back WALK_SPAN_S).
LIVE_MEMORY_S = WALK_SPAN_S
# A person's torso (shoulders to hips: steady through squats and bends) does not change length by more than this
# (log ratio, about 22%) from one pose to the next, plus TORSO_DRIFT_PER_S per second between them. A pose that
# does is someone else's (a passer-by behind them, whose detection took their place): it is dropped, as unseen.
TORSO_JUMP = 0.2
TORSO_DRIFT_PER_S = 0.3
# ... for at most this long: a torso that stays at the new length is theirs (turned, bent or closer).
TORSO_REGATE_S = 0.5
# The JSON's per-frame `tracks`: times to the millisecond, boxes to a tenth of a pixel (about 40 bytes a row).
TRACK_T_DECIMALS = 3
TRACK_BOX_DECIMALS = 1


@dataclass
class PersonEngine:
    """One person's stages: smoother, machine and recorder (what `Stages` is for the followed person)."""

    smoother: Smoother
    machine: Any
    recorder: Any


@dataclass
class _Seen:
    """What is known of one track: its poses by frame index, when and where it was seen, how big it was."""

    first_t: float
    last_t: float
    first_index: int = 0
    seen_frames: int = 0
    poses: dict[int, Pose] = field(default_factory=dict)
    x_sum: float = 0.0
    heights: dict[int, float] = field(default_factory=dict)  # box height by frame index
    engine: PersonEngine | None = None
    last_step: MachineStep | None = None
    smoothed: dict[int, Pose | None] | None = None
    hips_x: dict[int, float] = field(default_factory=dict)
    torso_px: float = 0.0
    torso_ref: tuple[float, float] | None = None  # (t, torso length in px) of the last pose taken that measured it
    dropped: dict[int, Pose] = field(default_factory=dict)  # poses not taken (`takes`), by frame index
    walked: bool = False  # the last frame the engine was given was a walk's
    legs: LegLabels = field(default_factory=LegLabels)  # their knees and ankles kept apart from frame to frame
    feet: np.ndarray | None = None  # (2, 2) where their own poses (not shared) put both ankles lately
    feet_since_t: float = 0.0  # ... planted there (within OWN_FEET_TORSOS) since
    on_feet_since_t: float = np.inf  # every pose since has had both ankles on the planted feet (_on_feet)
    on_feet_last_t: float = -np.inf

    def own_legs(self, pose: Pose) -> Pose | None:
        """A shared pose with its knees and ankles kept, when they are this person's (both ankles on their planted
        feet, and so for ON_FEET_S), its ankles put back on those feet. Else None."""
        if self.feet is None or pose.t - self.feet_since_t < PLANTED_S:
            return None
        ankles = self._ankles(pose)
        traded = None if ankles is None else self._feet_traded(ankles)
        self._on_feet(pose.t, traded is not None)
        if traded is None or pose.t - self.on_feet_since_t < ON_FEET_S:
            return None
        xy = pose.xy.copy()
        xy[_ANKLES] = self.feet[::-1] if traded else self.feet
        return pose.replace(xy=xy)

    def note_feet(self, pose: Pose) -> None:
        """Follows where the feet of the person's own (not shared) poses are planted (averaged over the frames they
        stay there, so that the feet put back are not one read's noise), and since when."""
        ankles = self._ankles(pose)
        if ankles is None:
            return
        traded = self._feet_traded(ankles)
        self._on_feet(pose.t, traded is not None)
        if traded is None:
            self.feet, self.feet_since_t = ankles, pose.t
        else:
            self.feet += FEET_AVERAGING * ((ankles[::-1] if traded else ankles) - self.feet)

    def _on_feet(self, t: float, on: bool) -> None:
        """Follows since when each of the person's poses (at most ON_FEET_GAP_S apart) has had both ankles on the
        planted feet."""
        if not on:
            self.on_feet_since_t, self.on_feet_last_t = np.inf, -np.inf
            return
        if t - self.on_feet_last_t > ON_FEET_GAP_S:
            self.on_feet_since_t = t
        self.on_feet_last_t = t

    def _feet_traded(self, ankles: np.ndarray) -> bool | None:
        """Whether both ankles are within OWN_FEET_TORSOS of the planted feet with their labels as kept (False) or
        traded (True); None when neither."""
        if self.feet is None or self.torso_px <= 0:
            return None
        for traded, feet in ((False, self.feet), (True, self.feet[::-1])):
            if np.linalg.norm(ankles - feet, axis=1).max() <= OWN_FEET_TORSOS * self.torso_px:
                return traded
        return None

    @staticmethod
    def _ankles(pose: Pose) -> np.ndarray | None:
        ankles = pose.xy[_ANKLES].astype(np.float64)
        return ankles if np.all(pose.score[_ANKLES] >= FEET_SCORE) and np.isfinite(ankles).all() else None

    def takes(self, torso_px: float | None, t: float) -> bool:
        """Whether a pose whose torso measures torso_px at t is this person's (no jump in torso length)."""
        if torso_px is None or self.torso_ref is None:
            return True
        ref_t, ref_px = self.torso_ref
        gap_s = t - ref_t
        jump = abs(float(np.log(torso_px / ref_px)))
        return gap_s >= TORSO_REGATE_S or jump <= TORSO_JUMP + TORSO_DRIFT_PER_S * gap_s

    def walking(self, index: int, times: Sequence[float], centred: bool) -> bool:
        """Moving sideways at walking speed at frame `index` (over the WALKING_WINDOW_S before it, or, centred, a
        recording whose later frames are known, the one around it) on the way somewhere (WALK_SPAN_TORSOS)."""
        if index not in self.hips_x or self.torso_px <= 0:
            return False
        a, b = self._window(index, times, WALKING_WINDOW_S, centred)
        first = next((k for k in range(a, b + 1) if k in self.hips_x), None)
        last = next((k for k in range(b, a - 1, -1) if k in self.hips_x), None)
        if first is None or last is None or times[last] <= times[first]:
            return False
        speed = abs(self.hips_x[last] - self.hips_x[first]) / (times[last] - times[first])
        if speed <= WALKING_TORSOS_PER_S * self.torso_px:
            return False
        a, b = self._window(index, times, WALK_SPAN_S, centred)
        xs = [self.hips_x[k] for k in range(a, b + 1) if k in self.hips_x]
        return max(xs) - min(xs) > WALK_SPAN_TORSOS * self.torso_px

    @staticmethod
    def _window(index: int, times: Sequence[float], window_s: float, centred: bool) -> tuple[int, int]:
        """The first and last frame index of the window_s before frame `index` or (centred) around it."""
        half = window_s / 2 if centred else window_s
        a = b = index
        while a > 0 and times[index] - times[a - 1] <= half:
            a -= 1
        while centred and b + 1 < len(times) and times[b + 1] - times[index] <= half:
            b += 1
        return a, b

    @property
    def mean_x(self) -> float:
        return self.x_sum / max(self.seen_frames, 1)

    def forget_before(self, t: float, times: Sequence[float]) -> None:
        """Live, only the last few seconds are needed (the walk check): older poses go (a long session's memory)."""
        for kept in (self.poses, self.hips_x, self.dropped):
            while kept and times[next(iter(kept))] < t:
                del kept[next(iter(kept))]

    @property
    def size(self) -> float:
        return float(np.median(list(self.heights.values()))) if self.heights else 0.0


@dataclass(frozen=True)
class PersonResult:
    """One counted person: their track id, name (None unless --names), summary and when they were in view."""

    id: int
    name: str | None
    summary: WorkoutSummary
    first_seen_s: float
    last_seen_s: float

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "name": self.name,
            "reps": self.summary.reps,
            "no_reps": self.summary.no_reps,
            "rep_details": [r.to_dict() for r in self.summary.rep_details],
            "first_seen_s": round(self.first_seen_s, 3),
            "last_seen_s": round(self.last_seen_s, 3),
        }


def make_engine_factory(
    definition, frame_smoother: Callable[[], Smoother], *, source: str, model: str, set_pause_s: float,
    make_machine: Callable[[], Any] | None = None,
) -> Callable[[int], PersonEngine]:
    """Builds each person's engine: the session's smoother kind, its machine (make_machine; default the exercise's
    ExerciseMachine), an in-memory recorder (the history gets each person's summary at the end)."""

    def make(track_id: int) -> PersonEngine:
        recorder = SessionRecorder(
            exercise=definition.name, title=definition.title, source=source, model=model, params=definition.params,
            store=None, set_pause_s=set_pause_s, signal=definition.rep_signal or "", hold=definition.is_hold,
        )
        machine = make_machine() if make_machine is not None else ExerciseMachine(definition)
        return PersonEngine(frame_smoother(), machine, recorder)

    return make


class People:
    """One engine per tracked person.

    `see(t, poses)` once per frame in order (returns the frame's index); live, `advance(index)` right after;
    offline, `smooth(fn)` after the first pass, then `advance(index)` per frame in the second. `views()` is what
    the overlay and dashboard show; `finish()` the people counted, left to right.
    """

    def __init__(self, make_engine: Callable[[int], PersonEngine], *, limit: int | None = None,
                 names: Sequence[str] = (), relabels: Sequence[Relabel] | None = None,
                 backfills: Sequence[Backfill] | None = None) -> None:
        """relabels: the tracker's swaps and flickers found after the fact (`PeopleTracker.relabels`, growing); each is
        applied to the frames already seen when `see` next runs. backfills: likewise its people's poses from before
        their ids (`PeopleTracker.backfills`)."""
        self.make_engine = make_engine
        self.relabels = relabels
        self._relabelled = 0
        self.backfills = backfills
        self._backfilled = 0
        self.limit = limit
        self.names = tuple(names)
        self.times: list[float] = []
        self.seen: dict[int, _Seen] = {}
        self.followed_frames: dict[int, int] = {}  # track id -> frames the session's followed person was them
        self._track_rows = array("d")  # t, id, x0, y0, x1, y1 per tracked person per frame (compact for long runs)

    @property
    def followed_id(self) -> int | None:
        """The track the followed person (the JSON's top level) was most often."""
        return max(self.followed_frames, key=self.followed_frames.get) if self.followed_frames else None

    def see(self, t: float, poses: Sequence[Pose], followed: Pose | None = None) -> int:
        """This frame's people (those without a track id are not counted); followed: the session's own pick."""
        while self.relabels is not None and self._relabelled < len(self.relabels):
            self._relabel(self.relabels[self._relabelled])
            self._relabelled += 1
        for b in self.backfills[self._backfilled:] if self.backfills is not None else ():
            self._backfill(b)
            self._backfilled += 1
        index = len(self.times)
        self.times.append(t)
        if followed is not None and followed.track_id is not None:
            self.followed_frames[followed.track_id] = self.followed_frames.get(followed.track_id, 0) + 1
        for pose in poses:
            if pose.track_id is not None:
                self._take(pose, index)
        return index

    def _take(self, pose: Pose, index: int) -> None:
        """One pose of a tracked person, in frame `index`: theirs unless their torso jumped (`_Seen.takes`); its legs
        kept only when they are the person's own (`_Seen.own_legs`)."""
        t = self.times[index]
        s = self.seen.get(pose.track_id)
        if s is None:
            s = self.seen[pose.track_id] = _Seen(first_t=t, last_t=t, first_index=index)
        box = pose_box(pose)
        self._track_rows.extend((t, pose.track_id, *box))
        m = measure(pose)
        if not s.takes(m.torso_px, t):
            s.dropped[index] = pose  # someone else's pose in their place: unseen this frame
            return
        s.last_t = t
        s.seen_frames += 1
        if not pose.shared:
            s.note_feet(pose)
        elif (own := s.own_legs(pose)) is not None:
            pose = own
        else:  # someone else's legs may be in it (one walking behind)
            score = pose.score.copy()
            score[_LEG_KEYPOINTS] = 0.0
            pose = pose.replace(score=score)
        pose = s.legs.apply(pose)
        s.poses[index] = pose
        s.x_sum += (box[0] + box[2]) / 2.0
        s.heights[index] = box[3] - box[1]
        s.hips_x[index] = float(m.center[0])
        if m.torso_px is not None:  # steady through squats and bends: the person's scale
            s.torso_ref = (t, m.torso_px)
            s.torso_px = m.torso_px if s.torso_px <= 0 else 0.9 * s.torso_px + 0.1 * m.torso_px

    def _backfill(self, b: Backfill) -> None:
        """A person's poses from before they got their id (someone small who had to stay first), taken as theirs in
        the frames they were seen in. Offline their engine starts from the first; live it has begun already."""
        for pose in b.poses:
            index = bisect.bisect_left(self.times, pose.t)
            if index < len(self.times) and self.times[index] == pose.t:
                self._take(pose, index)

    def _relabel(self, r: Relabel) -> None:
        """The frames from r.t_s until r.until_s change hands between ids r.a and r.b (a swap the tracker found
        after a crossing): their poses, positions and sizes, and the per-frame tracks. Live, an engine has already
        seen those frames; offline (a recording) the engines run after, on the right person."""
        a, b = self.seen.get(r.a), self.seen.get(r.b)
        if a is None or b is None:
            return
        frames = [k for k, t in enumerate(self.times) if r.t_s <= t < r.until_s]
        for k in frames:
            pa, pb = a.poses.pop(k, None), b.poses.pop(k, None)
            da, db = a.dropped.pop(k, None), b.dropped.pop(k, None)
            ha, hb = a.hips_x.pop(k, None), b.hips_x.pop(k, None)
            for s, pose, hips, other in ((a, db if pb is None else pb, hb, pa), (b, da if pa is None else pa, ha, pb)):
                s.heights.pop(k, None)
                if other is not None:
                    box = pose_box(other)
                    s.x_sum -= (box[0] + box[2]) / 2.0
                    s.seen_frames -= 1
                if pose is None:
                    continue
                box = pose_box(pose)
                s.poses[k] = pose.replace(track_id=r.a if s is a else r.b)
                s.x_sum += (box[0] + box[2]) / 2.0
                s.seen_frames += 1
                s.heights[k] = box[3] - box[1]
                if hips is not None:
                    s.hips_x[k] = hips
                if k < s.first_index:
                    s.first_index, s.first_t = k, self.times[k]
        a.torso_ref = b.torso_ref = None  # the torso lengths last taken may have been the other's
        rows = self._track_rows
        for k in range(0, len(rows), 6):
            if r.t_s <= rows[k] < r.until_s and rows[k + 1] in (r.a, r.b):
                rows[k + 1] = r.b if rows[k + 1] == r.a else r.a

    def tracks(self) -> list[list]:
        """Every tracked person in every frame, in frame order: `[t_s, id, [x0, y0, x1, y1]]`, the box of their
        pose as found (source pixels), rounded. Ids not among the people counted are passers-by or fragments."""
        rows = self._track_rows
        in_order = sorted(range(0, len(rows), 6), key=rows.__getitem__)  # backfilled rows came later
        return [[round(rows[k], TRACK_T_DECIMALS), int(rows[k + 1]),
                 [round(v, TRACK_BOX_DECIMALS) for v in rows[k + 2:k + 6]]] for k in in_order]

    def smooth(self, smooth_offline: Callable[[list[Pose | None]], list[Pose | None]]) -> None:
        """Each person's poses smoothed as one recording, from their first frame to their last."""
        for s in self.seen.values():
            first, last = min(s.poses), max(s.poses)
            series = smooth_offline([s.poses.get(i) for i in range(first, last + 1)])
            s.smoothed = {first + k: p for k, p in enumerate(series)}

    def advance(self, index: int) -> None:
        """Every person's engine one frame on (those not in the frame see nobody)."""
        t = self.times[index]
        here = {track_id: s for track_id, s in self.seen.items() if index >= s.first_index}
        poses = {track_id: s.smoothed.get(index) if s.smoothed is not None else s.poses.get(index)
                 for track_id, s in here.items()}
        walkers = {track_id for track_id, s in here.items()
                   if poses[track_id] is not None and s.walking(index, self.times, centred=s.smoothed is not None)}
        walker_boxes = [pose_box(here[w].poses[index]) for w in walkers if index in here[w].poses]
        for track_id, s in here.items():
            if s.engine is None:
                s.engine = self.make_engine(track_id)
            pose = poses[track_id]
            if track_id in walkers:
                if not s.walked and isinstance(s.engine.machine, ExerciseMachine):
                    # A rep begun as they set off (their turn, first step) is no rep.
                    s.engine.machine.drop_rep(begun_after_t=t - SET_OFF_S)
                s.walked = True
                continue  # the machine waits: a walk is neither a rep nor leaving
            s.walked = False
            if pose is not None and index in s.poses and self._passed_in_front(pose_box(s.poses[index]), walker_boxes):
                continue  # someone walking past in front: their limbs are in this pose; the machine waits
            if pose is not None:
                pose = s.engine.smoother.apply(pose)
            step = s.engine.machine.update(pose, t)
            s.engine.recorder.update(step)
            s.last_step = step
            if s.smoothed is None:
                s.forget_before(t - LIVE_MEMORY_S, self.times)

    @staticmethod
    def _passed_in_front(box: tuple[float, float, float, float], walker_boxes: Sequence) -> bool:
        """Whether one of the walkers' boxes overlaps this box (PASSED_IOU) with its feet lower (nearer)."""
        return any(other[3] > box[3] and iou(box, other) > PASSED_IOU for other in walker_boxes)

    def _counted(self, now_t: float | None = None) -> list[tuple[int, _Seen]]:
        """The people counted, left to right, at most `limit` (the largest): while the session runs (now_t) all,
        at the end those who did a rep or no-rep (a passer-by did none); when nobody did, those who stayed."""
        people = [(track_id, s) for track_id, s in self.seen.items()]
        if now_t is None:
            did = [(i, s) for i, s in people if s.last_step is not None and (s.last_step.reps or s.last_step.no_reps)]
            people = did or [(i, s) for i, s in people if s.last_t - s.first_t >= PASSING_S]
        if self.limit is not None:
            people = sorted(people, key=lambda p: -p[1].size)[: self.limit]
        return sorted(people, key=lambda p: p[1].mean_x)

    def _name(self, position: int) -> str | None:
        return self.names[position] if position < len(self.names) else None

    def views(self, index: int) -> tuple[PersonView, ...]:
        """Who is in frame `index`: id, name or id, count, smoothed pose, for the overlay and dashboard."""
        out = []
        for position, (track_id, s) in enumerate(self._counted(self.times[index])):
            if s.last_step is None:
                continue
            pose = s.smoothed.get(index) if s.smoothed is not None else s.poses.get(index)
            name = self._name(position)
            out.append(PersonView(track_id=track_id, label=name or f"#{track_id}", reps=s.last_step.reps,
                                  no_reps=s.last_step.no_reps, pose=pose, phase=s.last_step.phase))
        return tuple(out)

    def finish(self, t: float, *, frames: int, duration_s: float, fps: float,
               interrupted: bool) -> tuple[PersonResult, ...]:
        """Every engine finished; the people counted, left to right, with their names."""
        for s in self.seen.values():
            if s.engine is not None:
                last = s.engine.machine.finish(t)
                s.engine.recorder.update(last)
                s.last_step = last
        results = []
        for position, (track_id, s) in enumerate(self._counted()):
            if s.engine is None:
                continue
            summary = s.engine.recorder.finish(frames=frames, duration_s=duration_s, fps=fps, interrupted=interrupted)
            results.append(PersonResult(track_id, self._name(position), summary, s.first_t, s.last_t))
        return tuple(results)


def record_group(store, followed: WorkoutSummary, people: Sequence[PersonResult],
                 followed_id: int | None) -> WorkoutSummary:
    """History keeps one session per person, linked as one group: the followed person's session (already
    recorded, `followed`) becomes the group's first and its id the group id; everyone else's summary is added
    with the same start, group and their name (or "#id"). Returns the followed summary with its group."""
    if followed.id is None:
        return followed
    label = next((p.name or f"#{p.id}" for p in people if p.id == followed_id), None)
    store.save_progress(followed.id, totals={"group_id": followed.id, "person": label})
    for p in people:
        if p.id == followed_id:
            continue
        store.import_summary(dataclasses.replace(p.summary, started_at=followed.started_at, group_id=followed.id,
                                                 person=p.name or f"#{p.id}"))
    return dataclasses.replace(followed, group_id=followed.id, person=label)

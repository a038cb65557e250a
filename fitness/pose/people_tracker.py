"""Stable ids for several people (MultiPose) through crossings, short occlusions and stepping out and back.

Each track keeps where the person is (box centre and a velocity), how big (torso length in pixels, steady through
squats and bends, unlike the box), their build (limb lengths over torso length) and the colour of their clothes over
the torso. Each frame, detections are matched to tracks by one assignment (Hungarian) over a cost of distance (to the
predicted or last-seen position), size, build, colour and the feet's height in the frame (a level camera puts someone
nearer lower), gated so that nobody jumps; a detection may be left over (LEAVE_COST) rather than push a track's own
detection onto someone else. A person hidden by another keeps moving along their velocity, so two people who cross
come out of it with their own ids; someone unseen for up to `REID_S` is recognised again by size, build and colour
near where they were last seen. People much smaller than the group get an id only once they have stayed in one spot
for a while (someone exercising further back, not a passer-by in the background), and an id is given only after a
few detections, so a one-frame ghost never gets one. A weak detection (below `new_min_score`: MultiPose unsure, as
it can be of someone large and near, or small and far) continues someone known; on its own it makes someone new only
when it stays (WEAK_CONFIRM_S), and never when it overlaps a confident detection (a duplicate).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from fitness.pose.torso_colour import colour_gap
from fitness.pose.tracking import Box, iou, pose_box
from fitness.pose.types import Keypoint, Pose

# Keypoints at least this confident measure a person's size and build.
BUILD_MIN_SCORE = 0.3
# A detection whose torso is shorter than this fraction of the largest person's is background (a passer-by).
BACKGROUND_SIZE_FRACTION = 0.55
# ... unless it stays: down to this fraction, someone who keeps to one spot (within STAY_TORSOS of where they were
# first seen) for STAY_CONFIRM_S gets an id (exercising further back, or filmed smaller: two videos side by side);
# a passer-by walking through the background never does.
STAY_SIZE_FRACTION = 0.25
STAY_CONFIRM_S = 2.0
STAY_TORSOS = 1.0
# Detections in a row before a track gets an id (a one-frame ghost never does).
CONFIRM_HITS = 3
# A tentative track not seen again for this long is dropped.
TENTATIVE_GAP_S = 0.3
# Someone small who had to stay (STAY_CONFIRM_S) gets, with their id, their confident poses of at most this long
# before it (`PeopleTracker.backfills`): a recording's count begins where they were first seen. Others' first frames
# are not handed on: a second of weak poses (WEAK_CONFIRM_S) misleads their machine more than it gives.
BACKFILL_S = 2 * STAY_CONFIRM_S
# A person unseen this long is forgotten; within it they are recognised again (stepping out and back).
REID_S = 6.0
# How far (in torso lengths) a detection may be from the track's predicted position: at once, plus per second
# unseen (someone who stepped out comes back where they left, give or take a step or two).
GATE_TORSOS = 1.2
GATE_GROWTH_TORSOS_PER_S = 1.5
# The prediction follows the velocity for at most this long of a gap (then the person is assumed to stop): as long
# as someone walking takes to pass behind one or two others.
PREDICT_MAX_S = 2.0
# Fastest believable sideways speed, torso lengths per second (a brisk walk).
MAX_SPEED_TORSOS_PER_S = 6.0
# Torso lengths of a track and a detection differing by more than this ratio are different people.
MAX_SIZE_RATIO = 1.45
# Weight of each cost part: distance (torso lengths), size (log ratio) and build (mean absolute ratio gap).
SIZE_WEIGHT = 2.0
BUILD_WEIGHT = 3.0
# Weight of the box heights' log ratio: with the torso, a second measure of size (two people whose torsos MultiPose
# reads alike, one box between them for a frame, differ in height).
BOX_WEIGHT = 1.0
# Weight of the gap between the feet's heights in the frame (torso lengths): a level camera puts someone nearer
# lower, so two people alike in size but at different depths (one walking onto the other's spot) differ there.
FOOT_WEIGHT = 2.0
# Weight of the gap between the colours of their clothes over the torso (`torso_colour.colour_gap`: about 0.5 between
# a red and a blue shirt, under 0.1 for one shirt's shading).
COLOUR_WEIGHT = 2.0
# Ankles this confident place the feet (MultiPose scores the ankles of someone walking side-on 0.2-0.3).
FOOT_MIN_SCORE = 0.2
# Both feet on the ground: ankles this close in height (torso lengths). A stride or a lunge gives no foot line
# (a foot in the air, or one further forward, reads nearer or further than the person stands).
FEET_LEVEL_TORSOS = 0.15
# Builds this far apart (mean absolute gap of the ratios) are never the same person.
MAX_BUILD_GAP = 0.35
# Unseen this long, the build weighs fully in the matching (before, it counts in proportion).
REID_AFTER_S = 0.5
# Weakly scored detections count from this pose score up (below the estimator's threshold for a new person,
# MultiPose scores some people 0.1-0.25: a large, near one in some frames, a small, far one throughout).
KNOWN_MIN_SCORE = 0.1
# A track of weak detections alone gets an id once seen this long without a break of TENTATIVE_GAP_S.
WEAK_CONFIRM_S = 1.0
# A weak detection whose box overlaps a confident one's this much (IoU) is a duplicate of that person.
DUPLICATE_IOU = 0.3
# Added to a weak detection's matching cost: a confident detection of the same person is preferred.
WEAK_PENALTY = 0.5
# A detection this close (torso lengths) to where someone unseen is predicted may be both of them (one box for
# two people overlapping): it moves its track but does not teach it a size or build.
OVERLAP_TORSOS = 1.0
# A detection whose box overlaps another's by more than this (IoU) may hold keypoints of both: it moves its track
# but teaches it no size, build or feet.
CROWDED_IOU = 0.0
# A detection no one can take (its torso read too unlike anyone's) whose box overlaps this much (IoU) the last box of a
# confirmed person unseen in this frame, and seen at most SAME_SPOT_GAP_S before, is that person read differently
# (MultiPose puts some people's shoulders at their chest in some frames: the torso then reads half its length); boxes
# overlapping this much are alike in size, which two people at different depths are not.
SAME_SPOT_IOU = 0.5
SAME_SPOT_GAP_S = 0.3
# The matching's price of leaving a detection over (cost units: 3.5 torso lengths of distance): a detection that fits
# a person worse than this is not matched to them at the price of handing their own detection to someone else (one
# walking out from behind another, their torso misread as long as the other's).
LEAVE_COST = 3.5
# A torso is about this share of a standing body's box (a guess, for a detection whose torso is unsure).
TORSO_OF_BOX = 0.3
# Exponential averaging weight of a new measurement of velocity, size and build.
EMA_ALPHA = 0.2
# Two people become entangled when one box may hold both (an unseen one is predicted near the other's detection) or
# their boxes overlap this much (IoU): where each box is then says nothing of who is who.
ENTANGLE_IOU = 0.3
# Once apart again (their boxes overlap at most this much, IoU), who is who is judged by size, feet and colour alone,
# over SWAP_CHECK_S of frames: what each track learned of them before they met (frozen meanwhile).
APART_IOU = 0.05
SWAP_CHECK_S = 0.5
# The ids are swapped when the swapped pairing explains those frames better by at least this much a frame (cost
# units: about a 10% size gap, or the feet 0.15 torso lengths apart); two alike in size are never swapped.
SWAP_MARGIN = 0.3
# A flicker: for a few frames (at most FLICKER_S) a person's id is on a box that is not theirs, most often as someone
# comes out from behind them (MultiPose finds the one coming out and misses the other, or drops the other's weaker
# detection). Those frames were someone else's, unseen meanwhile, when the last box fits theirs in the frame after
# (or, if the person's box jumped as the flicker began, the first fits theirs just before) with IoU FLICKER_FIT_IOU or
# more, better by FLICKER_MARGIN than the person's own boxes around fit: relabelled once it is over (`relabels`).
FLICKER_S = 0.34
FLICKER_FIT_IOU = 0.5
FLICKER_MARGIN = 0.2

_SEGMENTS = (  # (a, b) keypoint pairs whose lengths, over the torso's, describe a build
    (Keypoint.LEFT_SHOULDER, Keypoint.RIGHT_SHOULDER),
    (Keypoint.LEFT_HIP, Keypoint.RIGHT_HIP),
    (Keypoint.LEFT_SHOULDER, Keypoint.LEFT_ELBOW),
    (Keypoint.RIGHT_SHOULDER, Keypoint.RIGHT_ELBOW),
    (Keypoint.LEFT_KNEE, Keypoint.LEFT_ANKLE),
    (Keypoint.RIGHT_KNEE, Keypoint.RIGHT_ANKLE),
)


@dataclass(frozen=True)
class Measure:
    """What one detection says about a person: centre (px), torso length (px, None unseen), build ratios."""

    center: np.ndarray
    torso_px: float | None
    box_h_px: float
    build: np.ndarray  # (len(_SEGMENTS),), NaN where not seen
    frame_size: tuple[int, int] | None = None
    foot_y_px: float | None = None  # height of the ankles, both on the ground (the person's depth)
    box: tuple[float, float, float, float] | None = None
    colour: tuple[float, float, float] | None = None  # of the clothes over the torso (fitness.pose.torso_colour)


def measure(pose: Pose) -> Measure:
    box = pose_box(pose)
    center = np.array([(box[0] + box[2]) / 2.0, (box[1] + box[3]) / 2.0])
    ok = pose.visible(BUILD_MIN_SCORE)
    xy = pose.xy.astype(np.float64)

    def mid(a: int, b: int) -> np.ndarray | None:
        pts = [xy[i] for i in (a, b) if ok[i]]
        return np.mean(pts, axis=0) if pts else None

    shoulders, hips = mid(Keypoint.LEFT_SHOULDER, Keypoint.RIGHT_SHOULDER), mid(Keypoint.LEFT_HIP, Keypoint.RIGHT_HIP)
    torso = float(np.linalg.norm(shoulders - hips)) if shoulders is not None and hips is not None else None
    if torso is not None and torso < 1.0:
        torso = None
    build = np.full(len(_SEGMENTS), np.nan)
    if torso is not None:
        for k, (a, b) in enumerate(_SEGMENTS):
            if ok[a] and ok[b]:
                build[k] = float(np.linalg.norm(xy[a] - xy[b])) / torso
    ankles = [float(xy[k][1]) for k in (Keypoint.LEFT_ANKLE, Keypoint.RIGHT_ANKLE)
              if pose.score[k] >= FOOT_MIN_SCORE and np.isfinite(xy[k][1])]
    level = len(ankles) == 2 and torso is not None and abs(ankles[0] - ankles[1]) <= FEET_LEVEL_TORSOS * torso
    return Measure(center=center, torso_px=torso, box_h_px=float(box[3] - box[1]), build=build,
                   frame_size=pose.frame_size, foot_y_px=float(np.mean(ankles)) if level else None,
                   box=tuple(float(v) for v in box), colour=pose.colour)


def _averaged(old, new):
    """A running average's next value (EMA_ALPHA), or `new` when there is none yet (old None)."""
    return new if old is None else (1 - EMA_ALPHA) * old + EMA_ALPHA * new


@dataclass
class Track:
    """One person as the tracker knows them; `track_id` is None until confirmed."""

    center: np.ndarray
    torso_px: float  # from the keypoints once measured; before, a guess from the box
    build: np.ndarray
    first_t: float
    last_t: float
    box_h_px: float = 0.0
    torso_seen: bool = False  # torso_px measured from the keypoints at least once
    velocity: np.ndarray = field(default_factory=lambda: np.zeros(2))
    hits: int = 1
    sure_hits: int = 1  # detections at or above the tracker's new_min_score
    track_id: int | None = None
    small: bool = False  # first seen much smaller than the group (must stay to get an id)
    first_center: np.ndarray | None = None
    foot_y_px: float | None = None
    box: tuple[float, float, float, float] | None = None  # the last detection's
    tentative: list[Pose] = field(default_factory=list)  # while small and without an id: see BACKFILL_S
    colour: np.ndarray | None = None  # of their clothes over the torso, averaged

    def predicted(self, t: float, frame_size: tuple[int, int] | None = None) -> np.ndarray:
        """Where the person is expected at t: moving on for at most PREDICT_MAX_S, and never out of the frame
        (someone who walked out comes back in at its edge)."""
        at = self.center + self.velocity * min(max(t - self.last_t, 0.0), PREDICT_MAX_S)
        if frame_size is not None:
            at = np.clip(at, 0.0, frame_size)
        return at

    def size_ratio(self, m: Measure) -> float:
        """How much bigger the detection is than the person: torso against torso when both were measured, else box
        height against box height (a torso guessed from a box is off by half for someone side-on, whose torso is
        short for their height)."""
        if m.torso_px is not None and self.torso_seen:
            return m.torso_px / self.torso_px
        return m.box_h_px / self.box_h_px if self.box_h_px > 0 and m.box_h_px > 0 else np.inf

    def absorb(self, m: Measure, t: float, sure: bool = True, learn: bool = True) -> None:
        """Moves the track to the detection; learn: also its size and build (not while it may be two people)."""
        dt = t - self.last_t
        if dt > 0:
            step = (m.center - self.center) / dt
            limit = MAX_SPEED_TORSOS_PER_S * self.torso_px
            step = np.clip(step, -limit, limit)
            # After a long gap the step says little about the speed: start again from it, damped.
            a = EMA_ALPHA if dt < PREDICT_MAX_S else 0.0
            self.velocity = (1 - a) * self.velocity + a * step if a else np.zeros(2)
        self.center = m.center
        self.box = m.box
        self.last_t = t
        self.hits += 1
        self.sure_hits += sure
        if not learn:
            return
        self.box_h_px = _averaged(self.box_h_px, m.box_h_px)
        if m.torso_px is not None:
            self.torso_px = _averaged(self.torso_px if self.torso_seen else None, m.torso_px)
            self.torso_seen = True
        elif not self.torso_seen:
            self.torso_px = _averaged(self.torso_px, TORSO_OF_BOX * m.box_h_px)
        if m.foot_y_px is not None:
            self.foot_y_px = _averaged(self.foot_y_px, m.foot_y_px)
        if m.colour is not None:
            self.colour = _averaged(self.colour, np.array(m.colour))
        seen = np.isfinite(m.build)
        fresh = seen & ~np.isfinite(self.build)
        self.build[fresh] = m.build[fresh]
        both = seen & ~fresh
        self.build[both] = _averaged(self.build[both], m.build[both])

    def confirmed_at(self, t: float) -> bool:
        """Enough to give an id: CONFIRM_HITS confident detections, or weak ones for WEAK_CONFIRM_S; someone
        small only once they have stayed in one spot for STAY_CONFIRM_S."""
        if self.small:
            start = self.first_center if self.first_center is not None else self.center
            moved = float(np.hypot(*(self.center - start)))
            return t - self.first_t >= STAY_CONFIRM_S and moved <= STAY_TORSOS * self.torso_px
        return self.hits >= CONFIRM_HITS and (self.sure_hits >= CONFIRM_HITS or t - self.first_t >= WEAK_CONFIRM_S)


def appearance(track: Track, m: Measure) -> float:
    """How unlike the person the detection is in size (torso, box height), depth (the feet's height) and clothes (the
    torso's colour), whatever where it is: the matching cost's part that a box holding two people does not move."""
    ratio = track.size_ratio(m)
    if not np.isfinite(ratio) or ratio <= 0:
        return np.inf
    scale = track.torso_px * max(1.0, ratio)
    feet = 0.0 if m.foot_y_px is None or track.foot_y_px is None else abs(m.foot_y_px - track.foot_y_px) / scale
    box = 0.0  # the box's height as well as the torso's, when both were measured (else the ratio is the box's)
    if m.torso_px is not None and track.torso_seen and track.box_h_px > 0 and m.box_h_px > 0:
        box = abs(float(np.log(m.box_h_px / track.box_h_px)))
    colour = 0.0 if m.colour is None or track.colour is None else colour_gap(track.colour, m.colour)
    return SIZE_WEIGHT * abs(float(np.log(ratio))) + BOX_WEIGHT * box + FOOT_WEIGHT * feet + COLOUR_WEIGHT * colour


@dataclass
class Entanglement:
    """Two confirmed people whose boxes met (one hidden behind the other, or overlapping): once apart, `gains`
    collects per frame how much better swapping their ids explains their detections' size, feet and colour."""

    a: Track
    b: Track
    split_t: float | None = None  # first frame of the current stretch both are seen, since they last met
    apart_t: float | None = None  # first frame of the current stretch apart (both seen)
    gains: list[float] = field(default_factory=list)
    last_t: float = 0.0  # last frame they were entangled


@dataclass(frozen=True)
class Relabel:
    """From `t_s` until (not including) `until_s`, the poses given id `a` were person `b`'s and the reverse (a swap
    found after a crossing, or a flicker's frames; from `until_s` on the ids are right)."""

    t_s: float
    until_s: float
    a: int
    b: int


@dataclass(frozen=True)
class Backfill:
    """The poses a person was seen in before they got their id (given it here), oldest first."""

    poses: tuple[Pose, ...]


def _distance(a: np.ndarray, b: np.ndarray, scale: float) -> float:
    """How far apart two points are in units of scale, up and down (what exercising does) weighed half."""
    d = np.abs(a - b) / scale
    return float(np.hypot(d[0], 0.5 * d[1]))


def build_gap(a: np.ndarray, b: np.ndarray) -> float:
    """Mean absolute difference of the ratios both builds have (0 when they share none)."""
    both = np.isfinite(a) & np.isfinite(b)
    return float(np.mean(np.abs(a[both] - b[both]))) if both.any() else 0.0


class PeopleTracker:
    """Gives each person a `track_id` that survives crossings, short occlusions and stepping out and back.

    `update(poses, t)` returns every pose, those of confirmed people with their id, the rest (background,
    not yet confirmed) with track_id None; a weak pose (pose_score below `new_min_score`) only with an id, else
    it is left out. A pose is `shared` when its box overlaps another detection's (CROWDED_IOU) or someone unseen is
    predicted there (OVERLAP_TORSOS): it may hold keypoints of both.
    """

    def __init__(self, new_min_score: float = 0.0) -> None:
        self.new_min_score = new_min_score
        # Every swap found, and every person's poses from before their id, in order (kept through resets: a reader
        # keeps its place in them).
        self.relabels: list[Relabel] = []
        self.backfills: list[Backfill] = []
        self.reset()

    def reset(self) -> None:
        self.tracks: list[Track] = []
        self._next_id = 1
        self._entangled: list[Entanglement] = []
        self._recent: list[tuple[float, dict[int, Box]]] = []  # the last frames' boxes by id (FLICKER_S and more)

    def _size(self, m: Measure) -> float:
        """The detection's torso length, or a guess from its box (TORSO_OF_BOX)."""
        return m.torso_px if m.torso_px is not None else TORSO_OF_BOX * m.box_h_px

    def _cost(self, track: Track, m: Measure, t: float) -> float:
        gap_s = max(t - track.last_t, 0.0)
        ratio = track.size_ratio(m)
        if not 1 / MAX_SIZE_RATIO <= ratio <= MAX_SIZE_RATIO:
            return np.inf
        scale = track.torso_px * max(1.0, ratio)
        # Where they were last seen counts as much as where their velocity takes them: someone exercising in place
        # (a lunge's hips, a box widened by a neighbour) leaves a velocity that says nothing of where they are.
        dist = min(_distance(m.center, at, scale) for at in (track.predicted(t, m.frame_size), track.center))
        if dist > GATE_TORSOS + GATE_GROWTH_TORSOS_PER_S * gap_s:
            return np.inf
        # Frame to frame, where someone is and how big (near or far) say who they are; the build, noisy while
        # people overlap, counts as much only once the person has been out of sight for a while (re-identification).
        weight = min(1.0, gap_s / REID_AFTER_S)
        gap = build_gap(track.build, m.build)
        if weight >= 1.0 and gap > MAX_BUILD_GAP:
            return np.inf
        return dist + appearance(track, m) + weight * BUILD_WEIGHT * gap

    def update(self, poses: Sequence[Pose], t: float) -> list[Pose]:
        self.tracks = [
            tr for tr in self.tracks
            if t >= tr.last_t and t - tr.last_t <= (REID_S if tr.track_id is not None else TENTATIVE_GAP_S)
        ]
        alive = {id(tr) for tr in self.tracks}
        self._entangled = [e for e in self._entangled if id(e.a) in alive and id(e.b) in alive
                           and t - e.last_t <= REID_S]
        measures = [measure(p) for p in poses]
        sizes = [self._size(m) for m in measures]
        weak = [p.pose_score < self.new_min_score for p in poses]
        boxes = [pose_box(p) for p in poses]
        duplicate = [w and any(not weak[j] and iou(boxes[i], boxes[j]) >= DUPLICATE_IOU for j in range(len(poses)))
                     for i, w in enumerate(weak)]
        largest = max([*(s for s, w in zip(sizes, weak) if not w),
                       *(tr.torso_px for tr in self.tracks if tr.track_id is not None and
                         t - tr.last_t < PREDICT_MAX_S)], default=0.0)
        foreground = [i for i, s in enumerate(sizes)
                      if s > 0 and s >= STAY_SIZE_FRACTION * largest and not duplicate[i]]
        ids: dict[int, int | None] = {}
        shared: set[int] = set()  # detections that may hold keypoints of someone else too
        unconfirmed: dict[int, Track] = {}  # detections of tracks without an id yet
        if foreground and self.tracks:
            cost = np.array([[self._cost(tr, measures[i], t) for tr in self.tracks] for i in foreground])
            # Confirmed tracks first: a tentative one wins only where no confirmed one can take the detection;
            # a confident detection before a weak one.
            penalty = np.array([0.0 if tr.track_id is not None else 0.5 for tr in self.tracks])
            penalty = penalty[None, :] + np.array([WEAK_PENALTY if weak[i] else 0.0 for i in foreground])[:, None]
            big = 1e6
            finite = np.where(np.isfinite(cost), cost + penalty, big)
            from scipy.optimize import linear_sum_assignment  # only runs that track people pay its import

            # Each detection may also be left over, at LEAVE_COST (or, when no track fits it that well, a little
            # more than the track it fits best): one that fits a track badly does not push that track's own
            # detection onto someone else, and one on its own is never left over.
            best = finite.min(axis=1)
            leave = np.full((len(foreground), len(foreground)), big)
            np.fill_diagonal(leave, np.where(best < big, np.maximum(best + 1e-3, LEAVE_COST), big))
            rows, cols = linear_sum_assignment(np.hstack([finite, leave]))
            keep = cols < len(self.tracks)
            rows, cols = rows[keep], cols[keep]
            pairs = [(r, c) for r, c in zip(rows, cols) if finite[r, c] < big]
            pairs += self._same_spot(pairs, [boxes[i] for i in foreground], t)
            matched = {c for _, c in pairs}
            unseen = [tr for c, tr in enumerate(self.tracks) if c not in matched and tr.track_id is not None]
            seen_at = {id(self.tracks[c]): foreground[r] for r, c in pairs if self.tracks[c].track_id is not None}
            for r, c in pairs:
                i, tr = foreground[r], self.tracks[c]
                m = measures[i]
                near = [h for h in unseen if np.hypot(*(h.predicted(t, m.frame_size) - m.center))
                        <= OVERLAP_TORSOS * max(h.torso_px, sizes[i])]
                if tr.track_id is not None:
                    for other in near:
                        self._entangle(tr, other, t)
                    for other in self.tracks:
                        j = seen_at.get(id(other))
                        if other is not tr and j is not None and iou(boxes[i], boxes[j]) >= ENTANGLE_IOU:
                            self._entangle(tr, other, t)
                crowded = any(j != i and iou(boxes[i], boxes[j]) > CROWDED_IOU for j in foreground)
                held = any(tr is e.a or tr is e.b for e in self._entangled)  # its size is on trial: frozen
                tr.absorb(m, t, sure=not weak[i], learn=not near and not crowded and not held)
                if tr.track_id is None and tr.confirmed_at(t):
                    tr.track_id, self._next_id = self._next_id, self._next_id + 1
                    if tr.tentative:
                        self.backfills.append(Backfill(tuple(p.replace(track_id=tr.track_id) for p in tr.tentative)))
                    tr.tentative = []
                elif tr.track_id is None:
                    unconfirmed[i] = tr
                if near or crowded:
                    shared.add(i)
            self._check_swaps(seen_at, measures, boxes, t)
            for r, c in pairs:
                ids[foreground[r]] = self.tracks[c].track_id
        for i in foreground:
            if i not in ids:
                m = measures[i]
                self.tracks.append(Track(center=m.center, torso_px=sizes[i], build=m.build.copy(), first_t=t,
                                         last_t=t, box_h_px=m.box_h_px, torso_seen=m.torso_px is not None,
                                         sure_hits=int(not weak[i]),
                                         small=sizes[i] < BACKGROUND_SIZE_FRACTION * largest,
                                         first_center=m.center.copy(), foot_y_px=m.foot_y_px, box=m.box,
                                         colour=None if m.colour is None else np.array(m.colour)))
                ids[i] = None
                unconfirmed[i] = self.tracks[-1]
        self._recent = [r for r in self._recent if t - r[0] <= 2 * FLICKER_S]
        self._recent.append((t, {tid: boxes[i] for i, tid in ids.items() if tid is not None}))
        self._end_flicker()
        self._end_stand_in()
        out = [p.replace(track_id=ids.get(i), shared=i in shared) for i, p in enumerate(poses)]
        for i, tr in unconfirmed.items():
            if tr.small and not weak[i]:
                tr.tentative = [p for p in tr.tentative if t - p.t < BACKFILL_S] + [out[i].replace(t=t)]
        return [p for i, p in enumerate(out) if not weak[i] or ids.get(i) is not None]

    def _end_flicker(self) -> None:
        """Relabels the frames of a flicker (FLICKER_S) that ended with the frame just seen, if there was one."""
        frames = self._recent
        if len(frames) < 3:
            return
        now_t, now = frames[-1]
        unseen = {y for _, f in frames for y in f} - set(frames[-2][1])  # whose the flicker's boxes may have been
        if not unseen:
            return
        for x, last in frames[-2][1].items():
            for start in range(len(frames) - 2, 0, -1):  # the flicker: frames[start:-1]
                first, before = frames[start][1].get(x), frames[start - 1][1].get(x)
                if frames[-2][0] - frames[start][0] > FLICKER_S or first is None or before is None:
                    break
                stayed = iou(first, before)
                own = max(stayed, iou(last, now[x]) if x in now else 0.0)
                jumped = stayed < FLICKER_FIT_IOU  # x's box left x's place as the flicker began
                for y in unseen:
                    came = frames[start - 1][1].get(y)  # y's box just before: a place x's box may have jumped to
                    if any(y in f for _, f in frames[start:-1]) or (came is not None and not jumped):
                        continue
                    fit = max(iou(last, now[y]) if y in now else 0.0, iou(first, came) if came is not None else 0.0)
                    if fit >= FLICKER_FIT_IOU and fit >= own + FLICKER_MARGIN:
                        self._relabel_recent(Relabel(frames[start][0], now_t, x, y))
                        return

    def _end_stand_in(self) -> None:
        """Relabels the frames of a stand-in that ended with the frame just seen: an id unseen now and in the frames
        kept before (2 * FLICKER_S) on a box for at most FLICKER_S, while the person whose box it fits just before and
        now (FLICKER_FIT_IOU) was unseen (MultiPose's one box over two: the one in front, tracked as the one hidden
        behind them)."""
        frames = self._recent
        if len(frames) < 3:
            return
        now_t, now = frames[-1]
        for x, last in frames[-2][1].items():
            start = len(frames) - 2  # the stand-in: frames[start:-1]
            while start > 1 and x in frames[start - 1][1] and frames[-2][0] - frames[start - 1][0] <= FLICKER_S:
                start -= 1
            if x in now or any(x in f for _, f in frames[:start]):
                continue
            first = frames[start][1][x]
            for y, came in frames[start - 1][1].items():
                if y in now and not any(y in f for _, f in frames[start:-1]) \
                        and min(iou(first, came), iou(last, now[y])) >= FLICKER_FIT_IOU:
                    self._relabel_recent(Relabel(frames[start][0], now_t, x, y))
                    return

    def _relabel_recent(self, r: Relabel) -> None:
        """Records a relabel and applies it to the last frames' boxes."""
        self.relabels.append(r)
        for t, boxes in self._recent:
            if r.t_s <= t < r.until_s:
                a, b = boxes.pop(r.a, None), boxes.pop(r.b, None)
                if a is not None:
                    boxes[r.b] = a
                if b is not None:
                    boxes[r.a] = b

    def _same_spot(self, pairs: list[tuple[int, int]], boxes: list, t: float) -> list[tuple[int, int]]:
        """(detection row, track column) pairs for the detections left over whose box is on the spot of a confirmed
        person left unseen (SAME_SPOT_IOU, SAME_SPOT_GAP_S): the best overlaps first, one to one."""
        rows = {r for r, _ in pairs}
        cols = {c for _, c in pairs}
        options = sorted(((iou(boxes[r], tr.box), r, c) for r in range(len(boxes)) if r not in rows
                          for c, tr in enumerate(self.tracks)
                          if c not in cols and tr.track_id is not None and tr.box is not None
                          and 0.0 < t - tr.last_t <= SAME_SPOT_GAP_S), reverse=True)
        out: list[tuple[int, int]] = []
        for overlap, r, c in options:
            if overlap >= SAME_SPOT_IOU and r not in rows and c not in cols:
                out.append((r, c))
                rows.add(r)
                cols.add(c)
        return out

    def _entangle(self, a: Track, b: Track, t: float) -> None:
        """a and b may be in one box now: who is who is judged again once they are apart."""
        for e in self._entangled:
            if {id(e.a), id(e.b)} == {id(a), id(b)}:
                e.split_t, e.apart_t, e.gains, e.last_t = None, None, [], t
                return
        self._entangled.append(Entanglement(a, b, last_t=t))

    def _check_swaps(self, seen_at: dict[int, int], measures: list[Measure], boxes: list, t: float) -> None:
        """Entangled pairs seen apart for SWAP_CHECK_S are judged by size, feet and colour (what each learned before
        they met): when the swapped pairing is better by SWAP_MARGIN a frame, their ids are swapped, back to when both
        were seen again (`relabels`)."""
        done = []
        for e in self._entangled:
            i, j = seen_at.get(id(e.a)), seen_at.get(id(e.b))
            if i is None or j is None or e.last_t == t:
                if e.last_t != t:  # one of them unseen: who is who is unknown until both are seen again
                    e.split_t, e.apart_t, e.gains = None, None, []
                continue
            if e.split_t is None:
                e.split_t = t
            if iou(boxes[i], boxes[j]) > APART_IOU:
                e.apart_t, e.gains = None, []
                continue
            if e.apart_t is None:
                e.apart_t = t
            kept = appearance(e.a, measures[i]) + appearance(e.b, measures[j])
            swapped = appearance(e.a, measures[j]) + appearance(e.b, measures[i])
            if np.isfinite(kept) and np.isfinite(swapped):
                e.gains.append(kept - swapped)
            if t - e.apart_t < SWAP_CHECK_S:
                continue
            done.append(e)
            if e.gains and float(np.mean(e.gains)) >= SWAP_MARGIN and e.a.track_id is not None \
                    and e.b.track_id is not None:
                self._relabel_recent(Relabel(e.split_t, t, e.a.track_id, e.b.track_id))
                e.a.track_id, e.b.track_id = e.b.track_id, e.a.track_id
        self._entangled = [e for e in self._entangled if all(e is not d for d in done)]

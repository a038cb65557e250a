"""Scoring a several-people run against a group truth (group.py): which tracked person is which athlete, is
each athlete's count exact, and (given per-frame tracks) do the ids switch. Pure numpy and scipy.

Inputs:
- truth: the group truth dict: `people` (id, reps, no_reps, per-frame `boxes` and `shown`), `passers`, `fps`.
- summary: a `fitness run --people all --json` summary; its `people` entries have `id`, `reps`, `no_reps`,
  `first_seen_s`, `last_seen_s`, ordered left to right by mean position.
- tracks (optional): where each tracked person was in each frame, `[t_s, id, [x0, y0, x1, y1]]` items (or
  `{"t": t_s, "id": id, "box": [...]}` objects), from the summary's `tracks` key or a separate file.

With tracks, each frame's tracked boxes are matched to the truth's boxes (Hungarian on IoU), and each tracked
id becomes the athlete it overlapped most often (one to one). Without, the summary's people are aligned to the
athletes in their left-to-right order (by mean hip position over the clip), leaving out the shortest-lived
extras (passers-by, fragments).
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np
from scipy.optimize import linear_sum_assignment

from fitness.errors import InputError
from fitness.pose.tracking import Box, iou

MIN_IOU = 0.3  # a tracked box is on an athlete in a frame when they overlap at least this much (IoU)


@dataclass(frozen=True)
class TrackPoint:
    """One tracked person in one frame."""

    t_s: float
    id: Hashable
    box: Box


@dataclass(frozen=True)
class PersonScore:
    """One truth athlete and the tracked person matched to them (None: nobody)."""

    truth_id: int
    reps: int
    no_reps: int
    tracked_id: Hashable | None
    tracked_reps: int | None
    tracked_no_reps: int | None
    id_switches: int | None  # times the tracked id on this athlete changed (None without tracks)

    @property
    def exact(self) -> bool:
        """The rep count is exactly right."""
        return self.tracked_reps == self.reps

    @property
    def exact_no_reps(self) -> bool:
        return self.tracked_no_reps == self.no_reps


@dataclass(frozen=True)
class GroupScore:
    people: tuple[PersonScore, ...]
    extra_ids: tuple[Hashable, ...]  # tracked people matched to no athlete
    extra_reps: int  # reps counted for them (a passer-by or a fragment counted as exercising)
    passer_ids: tuple[Hashable, ...]  # tracked people that were on a passer-by most often (needs tracks)
    matched_by: str  # "tracks" or "order"

    @property
    def all_exact(self) -> bool:
        return all(p.exact for p in self.people)

    @property
    def id_switches(self) -> int | None:
        switches = [p.id_switches for p in self.people]
        return None if None in switches else sum(switches)  # type: ignore[arg-type]

    @property
    def swapped(self) -> bool:
        """Some athlete's tracked id changed (a swap or a new id), as far as the tracks tell."""
        return bool(self.id_switches)

    def to_dict(self) -> dict:
        return {
            "all_exact": self.all_exact,
            "id_switches": self.id_switches,
            "matched_by": self.matched_by,
            "extra_ids": list(self.extra_ids),
            "extra_reps": self.extra_reps,
            "passer_ids": list(self.passer_ids),
            "people": [{"truth_id": p.truth_id, "reps": p.reps, "no_reps": p.no_reps, "tracked_id": p.tracked_id,
                        "tracked_reps": p.tracked_reps, "tracked_no_reps": p.tracked_no_reps, "exact": p.exact,
                        "id_switches": p.id_switches} for p in self.people],
        }


def read_tracks(items: Iterable) -> list[TrackPoint]:
    """Track points from `[t, id, [x0, y0, x1, y1]]` lists or `{"t", "id", "box"}` objects."""
    out = []
    for k, item in enumerate(items):
        try:
            if isinstance(item, Mapping):
                t, pid, box = item["t"], item["id"], item["box"]
            else:
                t, pid, box = item
            x0, y0, x1, y1 = (float(v) for v in box)
            out.append(TrackPoint(float(t), pid, (x0, y0, x1, y1)))
        except (KeyError, TypeError, ValueError) as e:
            raise InputError(f"track item {k} is not [t, id, [x0, y0, x1, y1]] or {{t, id, box}}: {item!r}") from e
    return out


def frame_matches(truth: Mapping, tracks: Sequence[TrackPoint]) -> dict[int, list[tuple[Hashable, int]]]:
    """frame -> [(tracked id, truth index)]: each frame's tracked boxes matched one to one to the boxes of the
    athletes (truth indices 0..n-1) and passers-by (n..) not hidden there, Hungarian on IoU, pairs below
    MIN_IOU dropped. As CLEAR MOT scoring does, a body keeps the id last matched to it while that id's box still
    overlaps it by MIN_IOU: one box over two overlapping people (MultiPose often gives one while someone steps out
    from behind another) stays with the person it was on, and only the others are assigned anew."""
    fps = float(truth["fps"])
    bodies = [*truth["people"], *truth.get("passers", [])]
    frames = int(truth["frames"])
    by_frame: dict[int, list[TrackPoint]] = {}
    for tp in tracks:
        f = int(round(tp.t_s * fps))
        if 0 <= f < frames:
            by_frame.setdefault(f, []).append(tp)
    hidden_share = float(truth.get("hidden_share", 0.0))
    out = {}
    last: dict[int, Hashable] = {}  # truth index -> the tracked id last matched to it
    for f, points in sorted(by_frame.items()):
        # A hidden body is left out: whichever box a tracker keeps for it there is a guess, not a match.
        boxes = [b["boxes"][f] if b["shown"][f] >= hidden_share else None for b in bodies]
        overlap = np.array([[iou(tp.box, bx) if bx else 0.0 for bx in boxes] for tp in points])
        held = sorted(((overlap[r, c], r, c) for r, tp in enumerate(points) for c in range(len(bodies))
                       if tp.id == last.get(c) and overlap[r, c] >= MIN_IOU), reverse=True)
        pairs: list[tuple[int, int]] = []
        for _, r, c in held:
            if all(r != a and c != b for a, b in pairs):
                pairs.append((r, c))
        free_rows = [r for r in range(len(points)) if all(r != a for a, _ in pairs)]
        free_cols = [c for c in range(len(bodies)) if all(c != b for _, b in pairs)]
        if free_rows and free_cols:
            rows, cols = linear_sum_assignment(-overlap[np.ix_(free_rows, free_cols)])
            pairs += [(free_rows[r], free_cols[c]) for r, c in zip(rows, cols)]
        out[f] = [(points[r].id, c) for r, c in sorted(pairs) if overlap[r, c] >= MIN_IOU]
        last.update({c: tid for tid, c in out[f]})
    return out


def _by_tracks(truth: Mapping, tracks: Sequence[TrackPoint]) -> tuple[dict[int, Hashable], list[int], set]:
    """(truth index -> tracked id, switches per athlete, ids mostly on a passer-by)."""
    n = len(truth["people"])
    matches = frame_matches(truth, tracks)
    ids = sorted({tid for pairs in matches.values() for tid, _ in pairs}, key=str)
    col = {tid: j for j, tid in enumerate(ids)}
    votes = np.zeros((n + len(truth.get("passers", [])), len(ids)))
    for pairs in matches.values():
        for tid, k in pairs:
            votes[k, col[tid]] += 1
    rows, cols = linear_sum_assignment(-votes)
    chosen = {int(r): ids[c] for r, c in zip(rows, cols) if votes[r, c] > 0}
    assigned = {r: tid for r, tid in chosen.items() if r < n}
    passers = {tid for r, tid in chosen.items() if r >= n}
    switches = []
    for k in range(n):
        seq = [tid for _, pairs in sorted(matches.items()) for tid, j in pairs if j == k]
        switches.append(sum(a != b for a, b in zip(seq, seq[1:])))
    return assigned, switches, passers


def _truth_order(truth: Mapping) -> list[int]:
    """Truth indices of the athletes left to right by mean hip x over the frames they show in."""
    means = []
    for p in truth["people"]:
        xs = [h[0] for h, b in zip(p["hips"], p["boxes"]) if b is not None]
        means.append(float(np.mean(xs)) if xs else 0.0)
    return list(np.argsort(means, kind="stable"))


def _by_order(truth: Mapping, summary_people: Sequence[Mapping]) -> dict[int, int]:
    """truth index -> summary index: an order-keeping alignment (both left to right) that keeps the
    longest-seen summary people, skipping extras; athletes left over get nobody."""
    order = _truth_order(truth)
    seen = [max(float(p.get("last_seen_s", 0.0)) - float(p.get("first_seen_s", 0.0)), 0.0) + 1e-3
            for p in summary_people]
    n, m = len(order), len(seen)
    best = np.full((n + 1, m + 1), -np.inf)
    best[0, :] = 0.0
    for i in range(1, n + 1):
        best[i, 0] = 0.0
        for j in range(1, m + 1):
            best[i, j] = max(best[i - 1, j], best[i, j - 1], best[i - 1, j - 1] + seen[j - 1])
    pairs: dict[int, int] = {}
    i, j = n, m
    while i > 0 and j > 0:
        if best[i, j] == best[i - 1, j - 1] + seen[j - 1]:
            pairs[order[i - 1]] = j - 1
            i, j = i - 1, j - 1
        elif best[i, j] == best[i, j - 1]:
            j -= 1
        else:
            i -= 1
    return pairs


def score_group(truth: Mapping, summary: Mapping, tracks: Iterable | None = None) -> GroupScore:
    """Scores a run's `people` (and its per-frame tracks, given or in the summary's `tracks`) against a truth."""
    if "people" not in truth:
        raise InputError("the truth has no 'people': it is not a group render (fitness render --people N)")
    if "people" not in summary:
        raise InputError("the summary has no 'people': run with --people all")
    found = list(summary["people"])
    by_id = {p["id"]: p for p in found}
    if tracks is None and summary.get("tracks") is not None:
        tracks = summary["tracks"]
    switches: list[int | None] = [None] * len(truth["people"])
    passers: set = set()
    if tracks is not None:
        assigned, per_athlete, passers = _by_tracks(truth, read_tracks(tracks))
        switches = list(per_athlete)
        matched_by = "tracks"
    else:
        assigned = {k: found[j]["id"] for k, j in _by_order(truth, found).items()}
        matched_by = "order"
    people = []
    for k, t in enumerate(truth["people"]):
        tid = assigned.get(k)
        got = by_id.get(tid) if tid is not None else None
        people.append(PersonScore(int(t["id"]), int(t["reps"]), int(t["no_reps"]), tid,
                                  None if got is None else int(got["reps"]),
                                  None if got is None else int(got["no_reps"]), switches[k]))
    used = set(assigned.values())
    extra = tuple(p["id"] for p in found if p["id"] not in used)
    return GroupScore(tuple(people), extra, sum(int(by_id[i]["reps"]) for i in extra),
                      tuple(sorted(passers, key=str)), matched_by)

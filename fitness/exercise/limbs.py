"""Pairing the two sides' reps of an exercise whose limbs can work on their own (curls, lateral raises).

Each side counts its own reps. A rep of one side that overlaps a rep of the other side by at least
TOGETHER_OVERLAP of the shorter one is one rep done with both limbs: it counts once, as side "both". A rep with no
partner counts on its own, so alternating curls count each arm's curl and one-arm work counts the working arm.

A closed rep waits while the other side has a rep in progress that overlaps it by TOGETHER_OVERLAP already, at
most PAIR_WAIT_S after it ended (a no-rep NO_REP_WAIT_S: the idle arm of alternating curls wobbles through its
partial line early in the working arm's curl, and that curl absorbs it once it closes; a no-rep also waits for a
rep of its own side under way, which continues it when it began within ALONG_S); reps linked by such
overlaps (a far arm's rep split in two around the near arm's one) count as one. A rep that closes after its
partner was given out (a far arm that never settled back to rest between two reps of the near arm) is a
duplicate and is dropped, and so is the second piece of a split
rep that pairs with such a duplicate (`LimbPairing._duplicate`). A rep of one side that went out at once right after
a counted rep of that side came back at once (`QUICK_TURN_S`, within `SPLIT_GAP_S`) continues it: a far arm lost
for a moment at its turnaround (a press overhead read at the rack) is one rep, and the second piece is dropped.

Overlaps compare the reps' movements of the rep signal (`ClosedRep.span`), also when their reported times come
from a `tempo` metric: which reps pair does not depend on how their tempo is timed.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace

from fitness.exercise.definition import RuleDef
from fitness.exercise.reps import ClosedRep, RepInProgress

# Two reps of opposite sides are one rep with both limbs when they overlap by this share of the shorter one.
# Together, people keep their arms within ~0.2 s of each other (overlap >= 0.85); a seesaw alternation, one arm
# rising as the other lowers, overlaps by about half.
TOGETHER_OVERLAP = 0.4
# A rep waits for its partner at most this long past its end (arms together finish within ~0.3 s; a far arm
# seen with low confidence may lag by up to a second).
PAIR_WAIT_S = 1.0
# A no-rep waits this long past its end for the other side's rep under way that overlaps it (a slow curl lasts
# up to ~4 s, and the idle arm's wobble may come early in it).
NO_REP_WAIT_S = 5.0
# A no-rep that overlaps a counted rep, or comes this close to one (rep boundaries are timed within ~0.15 s), is a
# limb moving along with that rep (the idle arm of alternating curls swaying as the working arm curls, both arms
# settling between reps), not an attempt of its own: it is dropped.
ALONG_S = 0.15
RECENT_REPS = 4  # the limb mode is read from this many latest reps, and late duplicates are sought among them
# A rep that starts within this of the end of a rep of its side continues it (a rep split by a keypoint glitch);
# between two real reps people rest longer.
SPLIT_GAP_S = 0.3
# A rep is lowered from its turnaround to rest in more than this (a controlled way back takes ~0.6 s or more):
# a counted rep whose way back took less, followed within SPLIT_GAP_S by a rep of its side whose way out took
# less too, is one rep that MoveNet lost for a moment at its turnaround (a far arm overhead read at the rack).
QUICK_TURN_S = 0.4
# The limb modes MachineStep.limbs reports: both together, one side after the other, or one side only.
LIMB_MODES = ("together", "alternating", "left", "right")


@dataclass(frozen=True)
class JudgedRep:
    """A closed rep with its form verdict, before the machine gives it its session-wide index.

    side: "left"/"right" (one side's tracker), "both" (a pair merged here), or None (a single tracker).
    seen: how well the side was seen (mean keypoint score), to pick the better of a pair.
    """

    rep: ClosedRep
    side: str | None
    issues: tuple[str, ...]
    score: float
    failed_checks: tuple[RuleDef, ...]
    seen: float = 0.0


def overlap_share(a: ClosedRep, b: ClosedRep) -> float:
    """The time both reps' movements of the rep signal (`ClosedRep.span`) share, as a share of the shorter one
    (0 when apart)."""
    (a_start, a_end), (b_start, b_end) = a.span, b.span
    shared = min(a_end, b_end) - max(a_start, b_start)
    shorter = min(a_end - a_start, b_end - b_start)
    return max(shared, 0.0) / shorter if shorter > 0 else 0.0


def merge(reps: list[JudgedRep]) -> JudgedRep:
    """One rep made of reps that overlap across the sides: counted when any counted it; side "both" when both sides
    are among those counted (a no-rep of the other limb moved along: the idle arm of alternating curls), or among
    all of them when none counted; the times, phases, range and form verdict of the best-seen rep among those
    counted (its phases add up to its duration), and as its `span` the span of all, which later reps are paired
    against."""
    if len(reps) == 1:
        return reps[0]
    counted = [j for j in reps if j.rep.counted] or reps
    best = max(counted, key=lambda j: j.seen)
    spans = [j.rep.span for j in reps]
    span = replace(best.rep, signal_span=(min(a for a, _ in spans), max(b for _, b in spans)))
    sides = {j.side for j in counted}
    return replace(best, rep=span, side="both" if len(sides) > 1 else best.side)


def along(j: JudgedRep, counted: list[JudgedRep]) -> bool:
    """Whether j is a no-rep that overlaps, or comes within ALONG_S of, a counted rep."""
    start, end = j.rep.span
    return not j.rep.counted and any(
        g.rep.span[0] - ALONG_S < end and start < g.rep.span[1] + ALONG_S for g in counted)


def clusters(reps: list[JudgedRep]) -> list[list[JudgedRep]]:
    """The reps grouped by overlap across the sides (TOGETHER_OVERLAP), transitively: a far arm's rep split in two
    pieces around the near arm's one rep is one group."""
    groups: list[list[JudgedRep]] = []
    for j in sorted(reps, key=lambda j: j.rep.span[0]):
        linked = [g for g in groups if any(k.side != j.side and overlap_share(k.rep, j.rep) >= TOGETHER_OVERLAP
                                           for k in g)]
        joined = [j]
        for g in linked:
            groups.remove(g)
            joined = g + joined
        groups.append(joined)
    return groups


class LimbPairing:
    """Merges the reps of two side trackers that were done together (see the module docstring)."""

    def __init__(self) -> None:
        self.reset()

    def reset(self) -> None:
        self.pending: list[JudgedRep] = []  # closed, waiting for a partner from the other side
        self.recent: list[JudgedRep] = []  # the latest reps given out
        self.dropped: list[JudgedRep] = []  # the latest reps dropped as duplicates of reps given out

    @property
    def mode(self) -> str | None:
        """How the limbs are working (LIMB_MODES), from the latest reps; None before the first rep."""
        if not self.recent:
            return None
        last = self.recent[-1].side
        if last == "both":
            return "together"
        singles = {j.side for j in self.recent if j.side != "both"}
        return "alternating" if len(singles) > 1 else last

    def step(self, closed: list[JudgedRep], in_progress: Mapping[str, RepInProgress | None],
             t: float) -> list[JudgedRep]:
        """Takes the reps the two trackers closed at time t; returns the reps that are now final (merged groups
        and reps that can no longer get a partner). in_progress: side -> that side's rep in progress."""
        self.pending.extend(closed)
        while duplicates := [j for j in self.pending if self._duplicate(j)]:
            self.dropped = (self.dropped + duplicates)[-RECENT_REPS:]
            self.pending = [j for j in self.pending if j not in duplicates]
        out = []
        for group in clusters(self.pending):
            # No-reps merged with a counted rep are absorbed by it: only the counted reps wait for partners.
            if all(self._final(j, in_progress, t) for j in [j for j in group if j.rep.counted] or group):
                out.append(merge(group))
                for j in group:
                    self.pending.remove(j)
        counted = [j for j in self.recent + out + self.pending if j.rep.counted]
        return self._given([j for j in out if not along(j, counted)])

    def flush(self) -> list[JudgedRep]:
        """End of the session: every waiting rep is final."""
        out, self.pending = [merge(group) for group in clusters(self.pending)], []
        counted = [j for j in self.recent + out if j.rep.counted]
        return self._given([j for j in out if not along(j, counted)])

    def _duplicate(self, j: JudgedRep) -> bool:
        """Whether j repeats a rep given out already: it pairs with one of the other side, or it pairs with a
        dropped duplicate and continues, within SPLIT_GAP_S, a rep of its own side (the second piece of a split
        rep; after a real rest it is a rep of its own)."""
        def pairs(g: JudgedRep) -> bool:
            return (g.side != j.side and (g.rep.counted or not j.rep.counted)
                    and overlap_share(g.rep, j.rep) >= TOGETHER_OVERLAP)

        if any(pairs(g) for g in self.recent):
            return True
        if any(self._continues(g, j) for g in self.recent):
            return True
        continues = any(g.side in (j.side, "both") and -SPLIT_GAP_S <= j.rep.span[0] - g.rep.span[1] <= SPLIT_GAP_S
                        for g in self.recent)
        return continues and any(pairs(g) for g in self.dropped)

    @staticmethod
    def _continues(g: JudgedRep, j: JudgedRep) -> bool:
        """Whether j is the second piece of g, a counted rep of its side given out already: g came back quickly
        and j went out quickly, within SPLIT_GAP_S of g's end (see QUICK_TURN_S)."""
        if g.side not in (j.side, "both") or not g.rep.counted or not g.rep.phases or not j.rep.phases:
            return False
        back_s, out_s = list(g.rep.phases.values())[-1], list(j.rep.phases.values())[0]
        return (back_s < QUICK_TURN_S and out_s < QUICK_TURN_S
                and -SPLIT_GAP_S <= j.rep.span[0] - g.rep.span[1] <= SPLIT_GAP_S)

    @staticmethod
    def _final(j: JudgedRep, in_progress: Mapping[str, RepInProgress | None], t: float) -> bool:
        """Whether a waiting rep can get no more partners: the other side has no rep in progress that overlaps it
        by TOGETHER_OVERLAP already, or it waited PAIR_WAIT_S (a no-rep NO_REP_WAIT_S)."""
        other = in_progress.get("right" if j.side == "left" else "left")
        start, end = j.rep.span
        if not j.rep.counted:
            # A no-rep waits PAIR_WAIT_S (a rep that began moving by ALONG_S after it has left its rest line
            # by then), and for a rep under way that began by then, of either side (see `along`: an arm that
            # stalled and went on is one rep).
            if t - end > NO_REP_WAIT_S:
                return True
            return t - end >= PAIR_WAIT_S and all(r is None or r.start_t > end + PAIR_WAIT_S
                                                  for r in in_progress.values())
        if other is None or t - end > PAIR_WAIT_S:
            return True
        return other.start_t > end - TOGETHER_OVERLAP * (end - start)

    def _given(self, reps: list[JudgedRep]) -> list[JudgedRep]:
        reps.sort(key=lambda j: j.rep.span[1])
        self.recent.extend(reps)
        del self.recent[:-RECENT_REPS]
        return reps

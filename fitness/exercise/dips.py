"""Shallow partial reps: dips toward the target that come back without reaching the partial line.

A quarter squat whose hips never drop below the standing line leaves the rep cycle's states alone; one that
just crosses the rest line closes no rep. `DipWatch` follows where the rep signal sits at rest (`rest_level`,
a slow average) and the signal's departures from it, in units of this person's range of motion (rest to
target in their counted reps), and reports a dip that went at least PARTIAL_MIN_ROM of that range toward the
target and came back; the rep counter makes it a no-rep unless it was a rep of the cycle. What is not a rep
stays quiet: standing sway, breathing and fidgets stay under DIP_START or last less than DIP_MIN_S, and
walking or stepping moves the hips by more than MAX_TRAVEL_TORSOS between the dip's start and its end.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass, field

from fitness.exercise.expr import MetricFrame
from fitness.geometry.body import hip_centre

NAN = float("nan")
# A rep that never reached its target is a no-rep once it went this share of the person's range of motion
# (their rest-to-target distance in counted reps); the other no-rep path is the definition's partial line. Height
# signals read partials shallower than the joint moved: a curl to ~115 deg from the front reads ~20% of the range
# (the rep counter also watches the tempo metric, a joint angle, which reads such curls 27-40% of its range).
PARTIAL_MIN_ROM = 0.2
DIP_START = 0.1  # a dip begins this share of the range from rest (keypoint noise at rest is ~1-3%)
# A dip must last this long (from DIP_START out to DIP_START back): a partial rep takes ~1 s, a foot lifted
# in a step or a fidget less.
DIP_MIN_S = 0.5
# Time constant of the rest level (where the signal sits at rest) that dips and reps are measured from: it
# follows a slow drift at rest, not the start of a movement; across a dip or a rep (when it is not updated) it
# carries on from where it was before.
REST_LEVEL_S = 1.0
REST_STEP_S = 0.1  # the longest time step the rest level is updated over
# A rep starts and ends in one place: hips this many torso lengths away from where the dip began (a step
# is ~1) mean the person walked or stepped.
MAX_TRAVEL_TORSOS = 0.3


def place(frame: MetricFrame) -> tuple[float, float]:
    """Where the body is in a frame: its hips (NaN when unknown)."""
    return hip_centre(frame.points) if frame.points is not None else (NAN, NAN)


def travelled(start: tuple[float, float], end: tuple[float, float], torso_px: float) -> bool:
    """Whether the hips moved more than MAX_TRAVEL_TORSOS between two places (False when unknown)."""
    d = math.hypot(end[0] - start[0], end[1] - start[1])
    return d > MAX_TRAVEL_TORSOS * torso_px  # NaN compares False: an unknown place is no evidence of walking


@dataclass
class Dip:
    """A dip in progress (or finished). start_t: frame time it began; left_t: the signal's time then.

    samples: (signal time, signal) from the pre-roll at rest through the dip. place: the hips when it began.
    depth: the farthest it went, as a share of the range of motion. lo/hi: the signal's range in the dip.
    """

    start_t: float
    left_t: float
    place: tuple[float, float]
    samples: list[tuple[float, float]] = field(default_factory=list)
    depth: float = 0.0
    lo: float = math.inf
    hi: float = -math.inf


class DipWatch:
    """Finds dips at rest (see the module docstring). min_s: the shortest dip that can be a rep; max_s: a
    dip not back after this long is a change of position, not a rep."""

    def __init__(self, min_s: float, max_s: float) -> None:
        self.min_s = min_s
        self.max_s = max_s
        self.reset()

    def reset(self) -> None:
        """Forgets the rest level and any dip in progress."""
        self.rest_level = NAN
        self.rest_t = NAN
        self.cancel()

    def cancel(self) -> None:
        """Drops the dip in progress (the rep cycle took over); the next dip needs a return to rest first."""
        self.dip: Dip | None = None
        self.armed = False

    def step(self, t: float, sample: tuple[float, float], frame: MetricFrame, rom: float,
             preroll: Iterable[tuple[float, float]], at_rest: bool) -> Dip | None:
        """A measured frame: returns the dip this frame finished, if that dip was deep and long enough for a
        partial rep and did not walk off (whether it is one, or part of a rep, the rep counter decides).

        sample: (signal time, signal). frame: its keypoints (where the body is). rom: the range of motion,
        target minus rest (signed; NaN while unknown: no dips then). preroll: the samples before this one, kept
        with a dip for its timing.
        at_rest: the rep cycle is in its rest state (the rest level follows the signal only then).
        """
        value = sample[1]
        if value != value:
            return None  # not measured this frame (a tempo metric can be unknown where the signal is not)
        if self.rest_level != self.rest_level:
            self.rest_level, self.rest_t = value, t
        dip = self.dip
        if dip is None and at_rest:
            dt = min(t - self.rest_t, REST_STEP_S)
            self.rest_level += (1.0 - math.exp(-dt / REST_LEVEL_S)) * (value - self.rest_level)
            self.rest_t = t
        if not (rom == rom and rom != 0.0):
            self.cancel()
            return None
        progress = (value - self.rest_level) / rom
        if dip is None:
            if progress < DIP_START:
                self.armed = True
            elif self.armed:
                self.dip = Dip(t, sample[0], place(frame), [*preroll, sample], progress, value, value)
            return None
        dip.samples.append(sample)
        dip.depth = max(dip.depth, progress)
        dip.lo, dip.hi = min(dip.lo, value), max(dip.hi, value)
        if progress >= DIP_START:
            if t - dip.start_t > self.max_s:
                self.cancel()
            return None
        self.dip = None
        self.rest_t = t
        if (dip.depth >= PARTIAL_MIN_ROM and t - dip.start_t >= self.min_s
                and not travelled(dip.place, place(frame), frame.torso)):
            return dip
        return None

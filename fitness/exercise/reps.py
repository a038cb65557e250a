"""The rep state machine of one body side, over the Metrics stage's signals.

States are entered when their condition has held for their minimum dwell and left on their exit condition
(hysteresis). A rep is the cycle rest -> target -> rest: it is in progress from the first frame out of rest
and is counted (or not) on the first frame of the run back into rest. A rep in progress that passed the
partial line but never reached the target is a no-rep; so is any dip toward the target that went a fifth
of the person's range of motion and came back without closing a rep (`fitness.exercise.dips`, even one that
never left the rest state), on the rep signal or on the camera view's tempo metric. Each closed rep is timed
from the start of its movement out to the end of its movement back, on the whole signal with a pre-roll at
rest (`fitness.exercise.tempo`), and gets its phase times and range of motion; form is judged elsewhere
(`fitness.exercise.rules`).
"""

from __future__ import annotations

import math
import statistics
from collections import deque
from dataclasses import dataclass, field

from fitness.exercise.definition import PartialDef, RepDef, SideProgram
from fitness.exercise.dips import DIP_MIN_S, Dip, DipWatch
from fitness.exercise.expr import MetricFrame
from fitness.exercise.tempo import RepTiming, time_movements

NAN = float("nan")
# Unseen this long in the middle of a rep that had gone past the partial line: the target is taken as reached
# out of sight (shorter flickers of a keypoint cannot hide a whole bottom position).
INFER_GAP_S = 0.25
PARTIAL_DWELL_S = 0.03  # past the partial line this long (two frames at 30 fps) before a rep can be a no-rep
# A dwell is judged on frame times, sums of frame steps: 3 steps at 30 fps read 0.09999999999999964 s about half
# the time, so a state's dwell is met within this (else a 0.1 s dwell takes 4 or 5 frames by rounding).
DWELL_ROUNDING_S = 1e-6
# At the end of a session, a rep that reached its target and came back this close to rest (progress) counts.
FINISH_PROGRESS = 0.5
MAX_REP_FRAMES = 4000  # frames kept per rep for rep checks (~2 min at 30 fps); later frames are thinned
# When a rep's movements cannot be timed (`tempo.time_movements`), its turnaround phase (the bottom of a squat,
# the top of a curl) is the time its signal spends within this fraction of the rep's range of motion from the
# extreme, and the rep runs from leaving rest to re-entering it.
TURN_BAND = 0.1
# The rep signal kept from before a rep, so the start of its movement is seen: a 3 s descent from a rest line
# 40% of the way down starts ~1.3 s before the line. At most PREROLL_FRAMES of them (2.5 s at 120 fps).
PREROLL_S = 2.5
PREROLL_FRAMES = 300
ROM_REPS = 5  # the person's range of motion is the median over their last this many counted reps
# A return to rest that crossed from the target to the rest state over BACK_FACTOR times faster than the rep went
# out from rest to the target is suspect: no one stands up (or lowers the arms) that much faster than they went
# down, but a misread frame or few (both knees read straight at the bottom of a lunge) jumps there at once. Such a
# rep closes only once rest has held for SETTLE_SHARE of the person's rep time (the median of their last ROM_REPS
# counted reps no longer than max_rep_s, else this rep's time so far and a way back as long as its way out); left
# sooner, it was a flicker and the rep goes on. A rep already longer than max_rep_s never waits.
BACK_FACTOR = 3.0
SETTLE_SHARE = 0.15


@dataclass
class RepInProgress:
    """The rep in progress: from leaving the rest state (start_t; left_t in the signal's time) until returning
    to it. samples: (signal time, rep signal) from the pre-roll at rest on, thinned with frames."""

    start_t: float
    left_t: float = NAN
    frames: list[MetricFrame] = field(default_factory=list)  # metrics only, for rep checks
    samples: list[tuple[float, float]] = field(default_factory=list)
    # (signal time, (each tempo metric of the definition)), if it times reps on metrics (RepDef.tempo_metrics)
    timing: list[tuple[float, tuple[float, ...]]] = field(default_factory=list)
    reached_t: float | None = None
    target_exit_t: float | None = None
    partial: bool = False
    partial_since: float | None = None
    gap_s: float = 0.0  # the longest stretch without a usable frame
    lo: float = math.inf
    hi: float = -math.inf
    issues: dict[str, None] = field(default_factory=dict)  # ids of the live rules that failed during it

    def far_end(self, rest: float) -> float:
        """The signal's extreme farther from `rest`: where the rep turned."""
        return self.lo if abs(self.lo - rest) > abs(self.hi - rest) else self.hi

    def flag(self, rule_id: str) -> None:
        """Records that a live rule failed during this rep."""
        self.issues.setdefault(rule_id, None)


@dataclass(frozen=True)
class ClosedRep:
    """A finished rep, counted or a no-rep, before form rules judge it.

    start_t/end_t: when its movement out began and its movement back ended (the end may be a little after
    the frame that closed it, from the way back's symmetry). phases: `<phase name>_s` -> seconds (empty when
    the target was not seen). rom: (min, max) of the rep signal. reason: the no-rep's id (None when counted).
    issues: ids of the live rules that failed during it. frames: its frames, for rep checks.
    signal_span: (start, end) of the movement timed on the rep signal, when the rep was timed on a `tempo`
    metric and its counter was asked for it (limb pairing compares the sides on it); None: (start_t, end_t).
    """

    start_t: float
    end_t: float
    counted: bool
    phases: dict[str, float]
    rom: tuple[float, float]
    reason: str | None
    issues: tuple[str, ...]
    frames: list[MetricFrame]
    signal_span: tuple[float, float] | None = None

    @property
    def span(self) -> tuple[float, float]:
        """(start, end) of the rep's movement on the rep signal (see signal_span)."""
        return self.signal_span if self.signal_span is not None else (self.start_t, self.end_t)


class RepCounter:
    """Moves one side between the states of a `RepDef` and closes reps (see the module docstring)."""

    def __init__(self, rep: RepDef, signal_span: bool = False) -> None:
        self.rep = rep
        # Whether reps timed on a tempo metric are also timed on the rep signal (ClosedRep.signal_span).
        self.signal_span = signal_span and rep.tempo is not None
        self.tempo_metrics = rep.tempo_metrics
        self.view: str | None = None  # the camera view of the latest frame: it picks the tempo metric
        self.state_names = tuple(s.name for s in rep.states)
        self.dwell = tuple(s.min_dwell_s for s in rep.states)
        self.rest_k = self.state_names.index(rep.rest)
        self.target_k = self.state_names.index(rep.target)
        self.rest_value = NAN  # where this person's rest position is, in the signal's unit
        self.target_value = NAN  # the far end of their last counted rep
        self.amplitudes: deque[float] = deque(maxlen=ROM_REPS)  # |far end - rest| of their last counted reps
        self.rep_s: deque[float] = deque(maxlen=ROM_REPS)  # the durations of their last counted reps
        self.rom_size = NAN  # their median
        dip_s = max(DIP_MIN_S, rep.min_rep_s)
        self.dips = DipWatch(dip_s, rep.max_rep_s)  # dips of the rep signal
        # Dips of each tempo metric, and the person's range on it (`tempo_rom`): a joint angle reads a partial rep
        # as deep as the joint moved, where a height signal can read it shallower (see _watch_dips).
        self.tempo_dips = {m: DipWatch(dip_s, rep.max_rep_s) for m in self.tempo_metrics}
        self.tempo_amplitudes = {m: deque(maxlen=ROM_REPS) for m in self.tempo_metrics}  # signed, as rom()
        self.forget()

    def forget(self) -> None:
        """Starts over: no state is active, no rep in progress, and counting waits for the rest state."""
        n = len(self.state_names)
        self.active = [False] * n
        self.since: list[float | None] = [None] * n  # when a run toward entering each state began
        self.misses = [0] * n  # frames of that run on which the condition failed
        self.current: int | None = None
        self.started = False
        self.rep_in_progress: RepInProgress | None = None
        self.history: deque[tuple[float, float]] = deque(maxlen=PREROLL_FRAMES)  # (signal time, signal)
        self.tempo_history: deque[tuple[float, tuple[float, ...]]] = deque(maxlen=PREROLL_FRAMES)  # as in .timing
        self.last_end_t = -math.inf  # the end of the last closed rep: the next one starts no earlier
        self.last_span_end_t = -math.inf  # ... and of its signal_span
        for watch in self._watches():
            watch.reset()
        # A partial dip that ended while a rep was in progress (it may be one): (dip, the range it was measured
        # in, the rep signal's (min, max) over it).
        self.dip_done: tuple[Dip, float, tuple[float, float]] | None = None

    def reset(self) -> None:
        self.forget()
        self.rest_value = NAN
        self.target_value = NAN
        self.amplitudes.clear()
        self.rom_size = NAN
        self.rep_s.clear()
        for amplitudes in self.tempo_amplitudes.values():
            amplitudes.clear()

    def rom(self) -> float:
        """This person's range of motion, target minus rest in the signal's unit (signed; NaN before the first
        counted rep): the median over their last ROM_REPS counted reps."""
        direction = self.target_value - self.rest_value
        return math.copysign(self.rom_size, direction) if direction == direction else NAN

    def tempo_rom(self, metric: str) -> float:
        """This person's range of motion on a tempo metric, far end minus rest (signed; NaN before the first
        counted rep): the median over their last ROM_REPS counted reps."""
        amplitudes = self.tempo_amplitudes[metric]
        return statistics.median(amplitudes) if amplitudes else NAN

    def _watches(self) -> list[DipWatch]:
        return [self.dips, *self.tempo_dips.values()]

    def phase(self) -> str | None:
        """The active state's name, else the phase of the rep in progress; None before the first rest."""
        if not self.started:
            return None
        if self.current is not None and self.active[self.current]:
            return self.state_names[self.current]
        rep = self.rep_in_progress
        if rep is None:
            return self.state_names[self.rest_k]
        return self.rep.phase_names[0] if rep.reached_t is None else self.rep.phase_names[2]

    def lost(self, gap_s: float) -> None:
        """A frame that could not be measured, `gap_s` into a stretch of them.

        Mid-rep, a run toward the rest state does not survive it (a rep ends only once rest has been seen
        holding for its dwell); runs toward other states may bridge it.
        """
        rep = self.rep_in_progress
        if rep is not None:
            if not self.active[self.rest_k]:
                self.since[self.rest_k] = None
            rep.gap_s = max(rep.gap_s, gap_s)

    def step(self, frame: MetricFrame, signal: float, program: SideProgram, t: float,
             gap_s: float | None, signal_t: float | None = None, view: str | None = None) -> ClosedRep | None:
        """Advances the cycle with a measured frame (gap_s: the stretch of unmeasured frames just before it, if
        any; signal_t: the time the signal describes, when its filter lags t; view: the camera view, which picks
        the tempo metric of a definition that has one per view); returns the rep (or no-rep) this frame closed,
        if any."""
        sample = (t if signal_t is None or signal_t != signal_t else signal_t, signal)
        self.view = view
        tempo_sample = None
        if self.tempo_metrics:
            tempo_sample = (sample[0], tuple(frame.metrics.get(m, NAN) for m in self.tempo_metrics))
        closed = self._advance(frame, sample, tempo_sample, program, t, gap_s)
        for history, new in ((self.history, sample), (self.tempo_history, tempo_sample)):
            if new is not None:
                history.append(new)
                while history[0][0] < sample[0] - PREROLL_S:
                    history.popleft()
        if closed is not None:
            self.last_end_t = max(self.last_end_t, closed.end_t)
            self.last_span_end_t = max(self.last_span_end_t, closed.span[1])
        return closed

    def _advance(self, frame: MetricFrame, sample: tuple[float, float],
                 tempo_sample: tuple[float, tuple[float, ...]] | None,
                 program: SideProgram, t: float, gap_s: float | None) -> ClosedRep | None:
        signal = sample[1]
        rep = self.rep_in_progress
        if gap_s is not None and rep is not None:
            rep.gap_s = max(rep.gap_s, gap_s)
        self._step_states(frame, program, t)
        active = self.active
        if not self.started:
            if active[self.rest_k]:
                self.started = True
                self.rest_value = signal
            return None
        self._watch_dips(frame, sample, tempo_sample, t, rep is None and active[self.rest_k])
        if rep is None:
            if active[self.rest_k]:
                # Slowly follow where this person's rest position really is (for the progress meter).
                self.rest_value = (
                    signal if self.rest_value != self.rest_value
                    else self.rest_value + 0.1 * (signal - self.rest_value)
                )
                return self._dip_rep(t)
            rep = self.rep_in_progress = RepInProgress(start_t=t, left_t=sample[0], samples=list(self.history),
                                                       timing=list(self.tempo_history))
        self._record(rep, frame, sample, tempo_sample, program, t)
        if not active[self.rest_k]:
            if rep.reached_t is None and t - rep.start_t > self.rep.max_rep_s:
                self.rep_in_progress = None  # wandered off without doing a rep; start afresh at the next rest
                self.started = False
                for watch in self._watches():
                    watch.cancel()
                self.dip_done = None
            return None
        # The rep ended on the first frame of the run that brought it back to rest, not after the dwell.
        back_t = self._rest_since(t)
        if self._settling(rep, back_t, t):
            return None
        self.rep_in_progress = None
        closed = self.close(rep, back_t)
        return closed if closed is not None else self._dip_rep(t)

    def _watch_dips(self, frame: MetricFrame, sample: tuple[float, float],
                    tempo_sample: tuple[float, tuple[float, ...]] | None, t: float, at_rest: bool) -> None:
        """Steps the dip watches and keeps a partial dip that ended on the rep signal or on the camera view's tempo
        metric (each reads some partial reps deeper than the other: from the front a curl's forearm angle moves
        before the wrist's height, a press's wrist height before its angle); the first to end is the no-rep, and
        the same movement on the other watch is dropped."""
        found = []
        dip = self.dips.step(t, sample, frame, self.rom(), self.history, at_rest)
        if dip is not None:
            found.append((dip, self.rom(), (dip.lo, dip.hi)))
        metric = self.rep.tempo_for(self.view)
        if tempo_sample is not None:
            for k, (name, watch) in enumerate(self.tempo_dips.items()):
                preroll = ((ts, vs[k]) for ts, vs in self.tempo_history if vs[k] == vs[k])
                dip = watch.step(t, (sample[0], tempo_sample[1][k]), frame, self.tempo_rom(name), preroll, at_rest)
                if dip is not None and name == metric:
                    during = [v for ts, v in (*self.history, sample) if ts >= dip.left_t]
                    found.append((dip, self.tempo_rom(name), (min(during), max(during))))
        if found:
            self.dip_done = found[0]
            for watch in self._watches():
                watch.cancel()

    def _rest_since(self, t: float) -> float:
        """When the rest state this person is back in began (t when they are not at rest)."""
        since = self.since[self.rest_k]
        return since if self.active[self.rest_k] and since is not None else t

    def _settling(self, rep: RepInProgress, back_t: float, t: float) -> bool:
        """Whether the rep, back at rest since back_t, waits at rest before closing: its way back from the target
        was suspiciously quick and rest has not held long enough yet (see BACK_FACTOR)."""
        if rep.reached_t is None or rep.target_exit_t is None or back_t - rep.start_t > self.rep.max_rep_s:
            return False  # a "rep" longer than any rep (held at the target since another exercise) has no tempo
        out_s = rep.reached_t - rep.start_t
        if (back_t - rep.target_exit_t) * BACK_FACTOR >= out_s:
            return False
        typical_s = statistics.median(self.rep_s) if self.rep_s else back_t - rep.start_t + out_s
        return t - back_t < SETTLE_SHARE * typical_s

    def _step_states(self, frame: MetricFrame, program: SideProgram, t: float) -> None:
        active, since, misses = self.active, self.since, self.misses
        for k in range(len(active)):
            if not active[k]:
                if program.enter[k](frame):
                    misses[k] = 0
                    if since[k] is None:
                        since[k] = t
                    if t - since[k] >= self.dwell[k] - DWELL_ROUNDING_S:
                        active[k] = True
                        self.current = k
                elif since[k] is not None:
                    # A run toward entering survives one stray frame (noise at the threshold), not two.
                    misses[k] += 1
                    if misses[k] >= 2:
                        since[k] = None
            else:
                leave = program.exit[k]
                if (leave(frame) if leave is not None else not program.enter[k](frame)):
                    active[k] = False
                    since[k] = None

    def _record(self, rep: RepInProgress, frame: MetricFrame, sample: tuple[float, float],
                tempo_sample: tuple[float, tuple[float, ...]] | None, program: SideProgram, t: float) -> None:
        """Adds this frame to the rep in progress: its samples, range, target and partial marks."""
        if len(rep.frames) >= MAX_REP_FRAMES:
            del rep.frames[::2]
            del rep.samples[::2]
            del rep.timing[::2]
        rep.frames.append(MetricFrame(dict(frame.metrics), None, frame.torso))
        rep.samples.append(sample)
        if tempo_sample is not None:
            rep.timing.append(tempo_sample)
        signal = sample[1]
        if signal < rep.lo:
            rep.lo = signal
        if signal > rep.hi:
            rep.hi = signal
        target_since = self.since[self.target_k]
        if self.active[self.target_k]:
            if rep.reached_t is None:
                rep.reached_t = target_since if target_since is not None else t
            rep.target_exit_t = None
        elif rep.reached_t is not None and rep.target_exit_t is None:
            rep.target_exit_t = t
        elif rep.reached_t is None and program.partial is not None and not rep.partial:
            if program.partial(frame):
                if rep.partial_since is None:
                    rep.partial_since = t
                rep.partial = t - rep.partial_since >= PARTIAL_DWELL_S
            else:
                rep.partial_since = None

    def close(self, rep: RepInProgress, t: float) -> ClosedRep | None:
        """The rep whose run back into rest began at t: counted if it reached the target (or went past the
        partial line and was lost from view long enough to have reached it unseen), a no-rep if it only passed
        the partial line, else nothing here (a twitch, a wobble at rest, or a shallow dip that the dip watch
        judges)."""
        definition = self.rep
        if t - rep.start_t < definition.min_rep_s:
            return None
        reached = rep.reached_t is not None
        gap = rep.gap_s >= INFER_GAP_S
        inferred = not reached and rep.partial and gap
        if not reached and not inferred and (not rep.partial or gap):
            return None
        for watch in self._watches():
            watch.cancel()  # the dip this rep made is this rep
        self.dip_done = None
        counted = reached or inferred
        start_t, turn_start, turn_end, end_t = self._times(rep, self._time(rep), t, reached, self.last_end_t)
        signal_span = None
        if self.signal_span:
            span_start, _, _, span_end = self._times(rep, self._time(rep, on_signal=True), t, reached,
                                                     self.last_span_end_t)
            signal_span = (span_start, span_end)
        names = definition.phase_names
        phases = {}
        if reached:
            phases = {f"{names[0]}_s": turn_start - start_t, f"{names[1]}_s": turn_end - turn_start,
                      f"{names[2]}_s": end_t - turn_end}
        reason = None
        if counted:
            if reached and self.rest_value == self.rest_value:
                self.target_value = rep.far_end(self.rest_value)
                rest = self._rest_level()
                self.amplitudes.append(abs(rep.far_end(rest) - rest))
                self.rom_size = statistics.median(self.amplitudes)
                self._tempo_amplitudes(rep)
            if end_t - start_t <= definition.max_rep_s:
                self.rep_s.append(end_t - start_t)
        else:
            reason = self._partial().id
        rom = (rep.lo, rep.hi) if rep.lo <= rep.hi else (NAN, NAN)
        return ClosedRep(start_t, end_t, counted, phases, rom, reason, tuple(rep.issues), rep.frames, signal_span)

    def _tempo_amplitudes(self, rep: RepInProgress) -> None:
        """Adds a counted rep's far end minus rest on each tempo metric (rest: its dip watch's rest level)."""
        for k, (name, watch) in enumerate(self.tempo_dips.items()):
            after = [vs[k] for ts, vs in rep.timing if ts >= rep.left_t and vs[k] == vs[k]]
            rest = watch.rest_level
            if after and rest == rest:
                self.tempo_amplitudes[name].append(max(after, key=lambda v: abs(v - rest)) - rest)

    def _times(self, rep: RepInProgress, timing: RepTiming | None, t: float, reached: bool,
               last_end_t: float) -> tuple[float, float, float, float]:
        """(start, turnaround start, turnaround end, end) of a rep closing at t: its timing (starting no earlier
        than last_end_t), or when it could not be timed, from leaving rest to returning to it with the
        turnaround in the TURN_BAND."""
        if timing is not None:
            return (min(max(timing.start_t, last_end_t), timing.turn_start_t), timing.turn_start_t,
                    timing.turn_end_t, timing.end_t)
        turn_start, turn_end = self._turnaround(rep, min(rep.reached_t, t), t) if reached else (t, t)
        return rep.start_t, turn_start, turn_end, t

    def _rest_level(self) -> float:
        """Where the signal sat at rest before the rep in progress (the dip watch's slow rest level: the
        progress meter's `rest_value` follows the start of a movement)."""
        level = self.dips.rest_level
        return level if level == level else self.rest_value

    def _partial(self) -> PartialDef:
        """The definition's partial rep (its id and message), or the default one."""
        return self.rep.partial or PartialDef("")

    def _time(self, rep: RepInProgress, on_signal: bool = False) -> RepTiming | None:
        """The rep's movements (`time_movements`), on the tempo metric when the definition names one (the one
        for the camera view, if it names one per view; unless on_signal)."""
        metric = self.rep.tempo_for(self.view)
        if on_signal or metric is None:
            rest = self.rest_value
            if rest != rest:
                rest = rep.samples[0][1] if rep.samples else NAN
            return time_movements(rep.samples, rep.left_t, rep.far_end(rest) - rest) if rest == rest else None
        k = self.tempo_metrics.index(metric)
        samples = [(ts, vs[k]) for ts, vs in rep.timing if vs[k] == vs[k]]
        before = [v for ts, v in samples if ts < rep.left_t]
        after = [v for ts, v in samples if ts >= rep.left_t]
        if not before or not after:
            return None
        rest = statistics.median_high(before)
        return time_movements(samples, rep.left_t, max(after, key=lambda v: abs(v - rest)) - rest)

    def _dip_rep(self, t: float) -> ClosedRep | None:
        """The no-rep of the partial dip that ended, once no rep is in progress (a dip that left the rest state
        but closed no rep, or one that never left it)."""
        done, self.dip_done = self.dip_done, None
        if done is None:
            return None
        dip, rom, signal_range = done
        timing = time_movements(dip.samples, dip.left_t, rom)
        start_t, end_t = (timing.start_t, timing.end_t) if timing is not None else (dip.start_t, t)
        start_t = min(max(start_t, self.last_end_t), end_t)
        return ClosedRep(start_t, end_t, False, {}, signal_range, self._partial().id, (), [])

    def _turnaround(self, rep: RepInProgress, reached_t: float, end_t: float) -> tuple[float, float]:
        """(first, last) time the rep's signal was within TURN_BAND of its range from the extreme it turned at."""
        rest = self.rest_value if self.rest_value == self.rest_value else (rep.samples[0][1] if rep.samples else NAN)
        extreme = rep.far_end(rest)
        band = TURN_BAND * abs(extreme - rest)
        near = [ts for ts, v in rep.samples if abs(v - extreme) <= band]
        if not near or band != band:
            return reached_t, reached_t  # no usable range: the target state's entry marks the turn
        return max(near[0], rep.start_t), min(near[-1], end_t)

    def progress(self, signal: float) -> float:
        """0 at this person's rest level, 1 at the depth of their last rep (or of this rep, once reached)."""
        lo, hi, x = self.rest_value, self.target_value, signal
        rep = self.rep_in_progress
        if rep is not None and rep.reached_t is not None and lo == lo:
            hi = rep.far_end(lo)
        if lo != lo or hi != hi or x != x or hi == lo:
            return NAN
        return min(1.0, max(0.0, (x - lo) / (hi - lo)))

    def finish(self, t: float, signal: float) -> ClosedRep | None:
        """End of the session at t: closes a rep that reached its target and is past FINISH_PROGRESS back to
        rest (`signal`: the last measured rep signal)."""
        rep = self.rep_in_progress
        if rep is None or rep.reached_t is None or rep.target_exit_t is None or not (
                self.progress(signal) <= FINISH_PROGRESS):
            return None
        self.rep_in_progress = None
        return self.close(rep, self._rest_since(t))


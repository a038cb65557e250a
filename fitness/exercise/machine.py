"""The exercise state machine: poses in, reps, no-reps, form cues and hold time out.

One `ExerciseMachine` per session. Each frame it measures the definition's metrics on the chosen side,
moves between states with hysteresis (enter/exit conditions, minimum dwell), counts a rep when the cycle
rest -> target -> rest completes, turns excursions that never reached the target into no-reps, runs live
form rules (a cue fires once when a rule starts failing) and rep checks, and times holds.
`side: both` runs one tracker per side and counts reps per side and in total.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from fitness.exercise.definition import ExerciseDefinition, RuleDef, SideProgram
from fitness.exercise.events import FormIssue, MachineStep, RepEvent, Signals
from fitness.exercise.expr import MetricFrame, RepFrames
from fitness.geometry.body import torso_px
from fitness.geometry.side import SIDE_KEYPOINTS, SideSelector, ViewEstimator
from fitness.pose.types import KEYPOINT_NAMES, Pose

NAN = float("nan")
# Out of view this long: forget the rep in progress and what peak() metrics learnt (a person who comes back
# may stand elsewhere, farther from the camera), and wait for the rest state again.
RESET_AFTER_S = 3.0
# Unseen this long in the middle of a rep that had gone past the partial line: assume the target was reached
# out of sight (shorter flickers of a keypoint cannot hide a whole bottom position).
INFER_GAP_S = 0.25
# A live rule's hold_s timer survives keypoint dropouts up to this long (MoveNet often loses an ankle or a
# wrist every other frame at the bottom of a rep; resetting on each lost frame meant such rules never fired).
RULE_GAP_S = 0.25
PARTIAL_DWELL_S = 0.03
# Metrics are median-filtered over this window (5 frames at 30 fps, 3 at 15 fps): ~2 frames of latency.
MEDIAN_S = 0.15
MEDIAN_FRAMES = 5
# At the end of a session, a rep that reached its target and came back this close to rest (progress) counts:
# past halfway back up, as a person counting along would (clips often end as the athlete stands up).
FINISH_PROGRESS = 0.5
MAX_REP_FRAMES = 4000  # frames kept per rep for rep checks (~2 min at 30 fps); later frames are thinned
# A rep's turnaround phase (the bottom of a squat, the top of a curl) is the time its signal spends within
# this fraction of the rep's range of motion from the extreme; before it is the eccentric phase, after it
# the concentric one. Timing phases by the target state instead made a squat with a loose depth line read
# "0.1 s down, 0.8 s at the bottom, 0.1 s up".
TURN_BAND = 0.1
LOWER_BODY = ("hip", "knee", "ankle")
_SIDED_PAIRS = list(zip(SIDE_KEYPOINTS["left"], SIDE_KEYPOINTS["right"]))


def _joint_name(index: int) -> str:
    name = KEYPOINT_NAMES[index]
    return name.split("_", 1)[1] if name.startswith(("left_", "right_")) else name


def missing_guidance(missing: list[int]) -> str:
    """One line telling the user how to get the missing keypoints into view."""
    joints = []
    for i in missing:
        j = _joint_name(i)
        plural = j if j.endswith("s") else (f"{j}es" if j.endswith("h") else f"{j}s")
        if plural not in joints:
            joints.append(plural)
    listed = ", ".join(joints[:3])
    if any(_joint_name(i) in LOWER_BODY for i in missing):
        return f"Step back: {listed} not visible"
    return f"Move into view: {listed} not visible"


def build_frame(pose: Pose, min_score: float) -> MetricFrame:
    """Keypoints as (x, y, score) tuples with NaN coordinates where the score is below min_score."""
    xy = pose.xy.tolist()
    scores = pose.score.tolist()
    p = []
    for (x, y), s in zip(xy, scores):
        if s >= min_score and x == x and y == y:
            p.append((x, y, s))
        else:
            p.append((NAN, NAN, s if s == s else 0.0))
    return MetricFrame({}, p, torso_px(p))


@dataclass
class _RuleState:
    true_since: float | None = None
    false_since: float | None = None
    issue: FormIssue | None = None


@dataclass
class _Excursion:
    """The rep in progress: from leaving the rest state until returning to it."""

    start_t: float
    frames: list[MetricFrame] = field(default_factory=list)
    samples: list[tuple[float, float]] = field(default_factory=list)  # (t, rep signal), thinned with frames
    reached_t: float | None = None
    target_exit_t: float | None = None
    partial: bool = False
    partial_since: float | None = None
    gap_s: float = 0.0
    lo: float = math.inf
    hi: float = -math.inf
    issues: dict[str, None] = field(default_factory=dict)

    def far_end(self, rest: float) -> float:
        """The signal's extreme farther from `rest`: where the rep turned."""
        return self.lo if abs(self.lo - rest) > abs(self.hi - rest) else self.hi


@dataclass
class _Draft:
    """A finished rep before the machine gives it its session-wide index."""

    start_t: float
    end_t: float
    counted: bool
    phases: dict[str, float]
    rom: tuple[float, float]
    issues: tuple[str, ...]
    score: float
    reason: str | None
    side: str | None
    check_issues: tuple[tuple[RuleDef, float], ...] = ()


class _Tracker:
    """Rep logic and live rules for one body side (or the auto-chosen side)."""

    def __init__(self, definition: ExerciseDefinition, side: str, label: str | None) -> None:
        self.d = definition
        self.side_mode = side
        self.label = label
        self.programs: dict[str, SideProgram] = dict(definition.programs)
        rep = definition.rep
        self.state_names = tuple(s.name for s in rep.states) if rep else ()
        self.dwell = tuple(s.min_dwell_s for s in rep.states) if rep else ()
        self.rest_k = self.state_names.index(rep.rest) if rep else -1
        self.target_k = self.state_names.index(rep.target) if rep else -1
        self.during = tuple(frozenset(r.during) for r in definition.form)
        self.selector = None
        if side == "auto":
            prog = self.programs["left"]
            pairs = [(left, right) for left, right in _SIDED_PAIRS if left in prog.required] or _SIDED_PAIRS
            lefts, rights = [left for left, _ in pairs], [right for _, right in pairs]
            self.selector = SideSelector(lefts, rights, definition.min_score)
        self.reset()

    def reset(self) -> None:
        n = len(self.state_names)
        self.active = [False] * n
        self.since: list[float | None] = [None] * n
        self.misses = [0] * n
        self.current: int | None = None
        self.started = False
        self.exc: _Excursion | None = None
        self.rules = [_RuleState() for _ in self.d.form]
        self.gap_since: float | None = None
        self.side = self.side_mode if self.side_mode in ("left", "right") else None
        self.rest_value = NAN
        self.target_value = NAN
        self.frame: MetricFrame | None = None
        self.signal = NAN
        self.history: dict[str, list[tuple[float, float]]] = {}
        self.memory: dict = {}  # what peak() metrics remember of earlier frames
        self.view: str | None = None
        self.last_seen_t = -math.inf
        if self.selector:
            self.selector.reset()

    # --------------------------------------------------------------------------------------------
    def measure(self, pose: Pose | None, t: float) -> tuple[bool, str | None]:
        """Computes this frame's metrics; returns (visible, guidance)."""
        if pose is None:
            self.frame = None
            self.signal = NAN
            return False, "No one in view: step into the camera's view"
        if self.selector is not None:
            self.side = self.selector.update(pose.score, t, hold=self.exc is not None)
        program = self.programs[self.side]
        frame = build_frame(pose, self.d.min_score)
        frame.t, frame.memory = t, self.memory
        m = frame.metrics
        history = self.history
        for name, fn in program.metrics:
            try:
                value = float(fn(frame))
            except (OverflowError, ValueError, TypeError):
                value = NAN
            m[name] = self.median_filter(history.setdefault(name, []), value, t)
        self.frame = frame
        self.program = program
        self.last_seen_t = t
        p = frame.points
        missing = [i for i in program.required if p[i][0] != p[i][0]]
        self.signal = m.get(self.d.rep_signal, NAN)
        if missing:
            return False, missing_guidance(missing)
        if self.d.rep is not None and self.signal != self.signal:
            return False, "Hold still: the body is not measurable in this pose"
        return True, None

    @staticmethod
    def median_filter(window: list[tuple[float, float]], value: float, t: float) -> float:
        """The median of this metric over the last MEDIAN_S (at most MEDIAN_FRAMES frames), so a keypoint that
        jumps for a frame or two (and the smoother's echo of it) moves no state. NaN stays NaN: a missing
        value is never replaced by older ones."""
        if value != value:
            return value
        window.append((t, value))
        while len(window) > MEDIAN_FRAMES or t - window[0][0] > MEDIAN_S:
            del window[0]
        if len(window) < 3:
            return value
        values = sorted(v for _, v in window)
        return values[len(values) // 2]

    def phase(self) -> str | None:
        if not self.started:
            return None
        if self.current is not None and self.active[self.current]:
            return self.state_names[self.current]
        names = self.d.rep.phase_names
        if self.exc is None:
            return self.state_names[self.rest_k]
        return names[0] if self.exc.reached_t is None else names[2]

    def lost(self, t: float) -> None:
        """A frame without the required keypoints: hold the state; after RESET_AFTER_S start over."""
        if self.gap_since is None:
            self.gap_since = t
        # A rep ends only once the rest state has been seen holding for its dwell: mid-rep, a run toward rest
        # does not survive frames that could not be measured. (A curl's wrist, lost at the top and misread
        # below the elbow in the odd frame between, "returned to rest" and split one curl into two.) Other
        # runs may bridge a dropout: flickering ankles must not keep a push-up set from starting.
        if self.exc is not None:
            if not self.active[self.rest_k]:
                self.since[self.rest_k] = None
            self.exc.gap_s = max(self.exc.gap_s, t - self.gap_since)
        if t - self.gap_since > RULE_GAP_S:
            for r in self.rules:
                r.true_since = None
        if t - self.gap_since > RESET_AFTER_S:
            self.exc = None
            self.memory.clear()
            self.started = False
            self.active = [False] * len(self.state_names)
            self.since = [None] * len(self.state_names)
            self.misses = [0] * len(self.state_names)
            self.current = None
            for r in self.rules:
                r.issue = None
                r.false_since = None

    def step_states(self, t: float) -> list[_Draft]:
        """Advances the rep cycle with this (visible) frame; returns finished reps."""
        if self.gap_since is not None and self.exc is not None:
            self.exc.gap_s = max(self.exc.gap_s, t - self.gap_since)
        self.gap_since = None
        if self.d.rep is None:
            return []
        f = self.frame
        prog = self.program
        active, since, misses = self.active, self.since, self.misses
        for k in range(len(active)):
            if not active[k]:
                if prog.enter[k](f):
                    misses[k] = 0
                    if since[k] is None:
                        since[k] = t
                    if t - since[k] >= self.dwell[k]:
                        active[k] = True
                        self.current = k
                elif since[k] is not None:
                    # A run toward entering survives one stray frame (noise at the threshold), not two.
                    misses[k] += 1
                    if misses[k] >= 2:
                        since[k] = None
            else:
                ex = prog.exit[k]
                if (ex(f) if ex is not None else not prog.enter[k](f)):
                    active[k] = False
                    since[k] = None
        sig = self.signal
        if not self.started:
            if active[self.rest_k]:
                self.started = True
                self.rest_value = sig
            return []
        exc = self.exc
        if exc is None:
            if active[self.rest_k]:
                # Slowly follow where this person's rest position really is (for the progress meter).
                self.rest_value = (
                    sig if self.rest_value != self.rest_value else self.rest_value + 0.1 * (sig - self.rest_value)
                )
                return []
            exc = self.exc = _Excursion(start_t=t)
        if len(exc.frames) >= MAX_REP_FRAMES:
            del exc.frames[::2]
            del exc.samples[::2]
        exc.frames.append(MetricFrame(dict(f.metrics), None, f.torso))
        exc.samples.append((t, sig))
        if sig < exc.lo:
            exc.lo = sig
        if sig > exc.hi:
            exc.hi = sig
        if active[self.target_k]:
            if exc.reached_t is None:
                exc.reached_t = since[self.target_k] if since[self.target_k] is not None else t
            exc.target_exit_t = None
        elif exc.reached_t is not None and exc.target_exit_t is None:
            exc.target_exit_t = t
        elif exc.reached_t is None and prog.partial is not None and not exc.partial:
            # Past the partial line for two frames (PARTIAL_DWELL_S), so one glitched keypoint cannot make a no-rep.
            if prog.partial(f):
                if exc.partial_since is None:
                    exc.partial_since = t
                exc.partial = t - exc.partial_since >= PARTIAL_DWELL_S
            else:
                exc.partial_since = None
        if not active[self.rest_k]:
            if exc.reached_t is None and t - exc.start_t > self.d.rep.max_rep_s:
                self.exc = None  # wandered off without doing a rep; start afresh at the next rest
                self.started = False
            return []
        self.exc = None
        # The rep ended on the first frame of the run that brought it back to rest, not after the dwell.
        return self.close(exc, since[self.rest_k] if since[self.rest_k] is not None else t)

    def close(self, exc: _Excursion, t: float) -> list[_Draft]:
        rep = self.d.rep
        duration = t - exc.start_t
        if duration < rep.min_rep_s:
            return []  # a twitch across the thresholds, not a rep
        reached = exc.reached_t is not None
        # Keypoints lost mid-rep after going well down: the target was most likely reached out of sight.
        gap = exc.gap_s >= INFER_GAP_S
        inferred = not reached and exc.partial and gap
        if not reached and not inferred and (not exc.partial or gap):
            return []
        counted = reached or inferred
        names = rep.phase_names
        phases = {}
        if reached:
            turn_start, turn_end = self.turnaround(exc, min(exc.reached_t, t), t)
            phases = {f"{names[0]}_s": turn_start - exc.start_t, f"{names[1]}_s": turn_end - turn_start,
                      f"{names[2]}_s": t - turn_end}
        issues = dict(exc.issues)
        failed: list[tuple[RuleDef, float]] = []
        rf = RepFrames(exc.frames, duration)
        # A no-rep is judged by its partial reason alone: "press all the way up" already says the arms were
        # not locked out, so end-of-rep checks (mostly about the top of the movement) would only repeat it.
        for rule, fn in zip(self.d.rep_checks if counted else (), self.program.checks):
            if rule.views and self.view not in rule.views:
                continue
            try:
                bad = bool(fn(rf))
            except (OverflowError, ValueError, TypeError, ZeroDivisionError):
                bad = False
            if bad:
                issues.setdefault(rule.id, None)
                failed.append((rule, t))
        reason = None
        if counted:
            penalties = {r.id: r.penalty for r in (*self.d.form, *self.d.rep_checks)}
            score = max(0.0, 100.0 - sum(penalties.get(i, 0.0) for i in issues))
            if reached and self.rest_value == self.rest_value:
                self.target_value = exc.far_end(self.rest_value)
        else:
            reason = rep.partial.id if rep.partial else "partial"
            issues = {reason: None, **issues}
            score = 0.0
        rom = (exc.lo, exc.hi) if exc.lo <= exc.hi else (NAN, NAN)
        return [_Draft(exc.start_t, t, counted, phases, rom, tuple(issues), score, reason, self.label, tuple(failed))]

    def turnaround(self, exc: _Excursion, reached_t: float, end_t: float) -> tuple[float, float]:
        """(first, last) time the rep's signal was within TURN_BAND of its range from the extreme it turned at."""
        rest = self.rest_value if self.rest_value == self.rest_value else (exc.samples[0][1] if exc.samples else NAN)
        extreme = exc.far_end(rest)
        band = TURN_BAND * abs(extreme - rest)
        near = [ts for ts, v in exc.samples if abs(v - extreme) <= band]
        if not near or band != band:
            return reached_t, reached_t  # no usable range: the target state's entry marks the turn
        return max(near[0], exc.start_t), min(near[-1], end_t)

    def step_rules(self, t: float, view: str | None, rep_index: int | None) -> tuple[list[FormIssue], list[FormIssue]]:
        """Live form rules on this (visible) frame: (new issues, active issues)."""
        new, active = [], []
        f = self.frame
        phase = self.phase()
        exc = self.exc
        for rule, fn, st, during in zip(self.d.form, self.program.rules, self.rules, self.during):
            applicable = (not during or phase in during) and (not rule.views or view in rule.views)
            failing = applicable and bool(fn(f))
            if failing:
                st.false_since = None
                if st.true_since is None:
                    st.true_since = t
                if st.issue is None and t - st.true_since >= rule.hold_s:
                    st.issue = FormIssue(rule.id, rule.message, rule.severity, t, rep_index)
                    new.append(st.issue)
                if exc is not None and t - max(st.true_since, exc.start_t) >= rule.hold_s:
                    exc.issues.setdefault(rule.id, None)
            else:
                st.true_since = None
                if st.issue is not None:
                    if st.false_since is None:
                        st.false_since = t
                    if t - st.false_since >= rule.release_s:
                        st.issue = None
                        st.false_since = None
            if st.issue is not None:
                active.append(st.issue)
        return new, active

    def progress(self) -> float:
        """0 at this person's rest level, 1 at the depth of their last rep (or of this rep, once reached)."""
        lo, hi, x = self.rest_value, self.target_value, self.signal
        exc = self.exc
        if exc is not None and exc.reached_t is not None and lo == lo:
            hi = exc.far_end(lo)
        if lo != lo or hi != hi or x != x or hi == lo:
            return NAN
        return min(1.0, max(0.0, (x - lo) / (hi - lo)))


@dataclass(frozen=True)
class HoldRecord:
    """One finished hold: good_s seconds in good form out of total_s in position; score = 100 * good/total;
    issues: form rules that fired during it."""

    start_t: float
    end_t: float
    good_s: float
    total_s: float
    issues: tuple[str, ...]
    score: float


@dataclass
class _Hold:
    start_t: float
    last_t: float
    good_s: float = 0.0
    total_s: float = 0.0
    lost_since: float | None = None
    issues: dict[str, None] = field(default_factory=dict)


class ExerciseMachine:
    """Counts reps (or times a hold) and judges form for one definition, frame by frame.

    update(pose_or_none, t) -> MachineStep; finish(t) closes an open hold; reset() starts over.
    A hold exercise produces no rep events: MachineStep.hold_s is the good-form time of the hold in
    progress (or of the last one), and `holds` lists the finished holds.
    Time t is the frame's timestamp in seconds; it must not go backwards (a backwards t is clamped).
    """

    def __init__(self, definition: ExerciseDefinition) -> None:
        self.definition = definition
        if definition.side == "both":
            self.trackers = [_Tracker(definition, "left", "left"), _Tracker(definition, "right", "right")]
        else:
            self.trackers = [_Tracker(definition, definition.side, None)]
        self.views = ViewEstimator(definition.min_score)
        self.reset()

    def reset(self) -> None:
        for tr in self.trackers:
            tr.reset()
        self.views.reset()
        self.reps = 0
        self.no_reps = 0
        self.events = 0
        self.by_side = {tr.label: 0 for tr in self.trackers if tr.label}
        self.last_t = -math.inf
        self.hold: _Hold | None = None
        self.last_hold_s = 0.0
        self.holds: list[HoldRecord] = []
        self.lead = self.trackers[0]

    @property
    def side(self) -> str | None:
        """The body side being measured ("left"/"right"), "both", or None before the first pose."""
        return "both" if len(self.trackers) > 1 else self.trackers[0].side

    # --------------------------------------------------------------------------------------------
    def update(self, pose: Pose | None, t: float) -> MachineStep:
        t = float(t)
        if not t >= self.last_t:  # time going backwards (or NaN): keep the clock monotonic
            t = self.last_t if math.isfinite(self.last_t) else 0.0
        self.last_t = t
        view = self.views.update(pose.xy, pose.score, t) if pose is not None else self.views.view
        drafts: list[_Draft] = []
        new_issues: list[FormIssue] = []
        active: list[FormIssue] = []
        guidance = None
        visible_all = True
        for tr in self.trackers:
            tr.view = view
            visible, why = tr.measure(pose, t)
            if not visible:
                visible_all = False
                guidance = guidance or why
                tr.lost(t)
                continue
            drafts.extend(tr.step_states(t))
            in_rep = tr.exc is not None or self.definition.hold is not None
            new, act = tr.step_rules(t, view, self.events + 1 if in_rep else None)
            new_issues.extend(new)
            active.extend(act)
            if tr.exc is not None:
                self.lead = tr
        if guidance is None and view is not None and view not in self.definition.views:
            guidance = f"This looks like a {view} view; film from the {self.definition.views[0]} for best results"
        reps = self._finish_drafts(drafts, new_issues)
        if self.definition.hold is not None:
            self._step_hold(t, visible_all, active)
        return self._step(t, pose, reps, new_issues, active, visible_all, guidance)

    def finish(self, t: float) -> MachineStep:
        """End of the session: closes an open hold; a rep in progress counts only if it reached its target and
        is past halfway back to rest (videos often stop as the person stands up)."""
        t = max(float(t), self.last_t) if math.isfinite(self.last_t) else float(t)
        reps: list[RepEvent] = []
        new_issues: list[FormIssue] = []
        if self.hold is not None:
            self._close_hold(self.hold.lost_since if self.hold.lost_since is not None else t)
        drafts: list[_Draft] = []
        for tr in self.trackers:
            exc = tr.exc
            if (
                exc is not None
                and exc.reached_t is not None
                and exc.target_exit_t is not None
                and tr.progress() <= FINISH_PROGRESS
            ):
                tr.exc = None
                drafts.extend(tr.close(exc, min(t, tr.last_seen_t)))
        reps.extend(self._finish_drafts(drafts, new_issues))
        return self._step(t, None, reps, new_issues, [], False, None)

    # --------------------------------------------------------------------------------------------
    def _finish_drafts(self, drafts: list[_Draft], new_issues: list[FormIssue]) -> list[RepEvent]:
        out = []
        for d in sorted(drafts, key=lambda d: d.end_t):
            self.events += 1
            if d.counted:
                self.reps += 1
                if d.side:
                    self.by_side[d.side] += 1
            else:
                self.no_reps += 1
                msg = self.definition.rep.partial.message if self.definition.rep.partial else "Partial rep"
                new_issues.append(FormIssue(d.reason or "partial", msg, "warning", d.end_t, self.events))
            for rule, t in d.check_issues:
                new_issues.append(FormIssue(rule.id, rule.message, rule.severity, t, self.events))
            out.append(
                RepEvent(
                    index=self.events,
                    start_t=d.start_t,
                    end_t=d.end_t,
                    counted=d.counted,
                    phases=d.phases,
                    rom=d.rom,
                    issues=d.issues,
                    score=d.score,
                    reason=d.reason,
                    side=d.side,
                    signal=self.definition.rep_signal,
                )
            )
        return out

    def _step_hold(self, t: float, visible: bool, active: list[FormIssue]) -> None:
        tr = self.trackers[0]
        in_position = visible and bool(tr.program.hold(tr.frame))
        h = self.hold
        if in_position:
            if h is None:
                self.hold = _Hold(start_t=t, last_t=t)
                return
            dt = min(max(t - h.last_t, 0.0), 0.5)  # a long frame gap is not held time we saw
            h.total_s += dt
            if not any(a.severity != "info" for a in active):
                h.good_s += dt
            for a in active:
                h.issues.setdefault(a.rule_id, None)
            h.last_t = t
            h.lost_since = None
            return
        if h is not None:
            if h.lost_since is None:
                h.lost_since = t
            if t - h.lost_since > self.definition.hold.grace_s:
                self._close_hold(h.lost_since)

    def _close_hold(self, end_t: float) -> None:
        h, self.hold = self.hold, None
        if h is None or h.total_s < self.definition.hold.min_s:
            return
        self.last_hold_s = h.good_s
        score = 100.0 * h.good_s / h.total_s if h.total_s > 0 else 0.0
        self.holds.append(HoldRecord(h.start_t, end_t, h.good_s, h.total_s, tuple(h.issues), score))

    def _step(self, t, pose, reps, new_issues, active, visible, guidance) -> MachineStep:
        lead = self.lead
        values: dict[str, float] = {}
        if len(self.trackers) > 1:
            for tr in self.trackers:
                if tr.frame is not None:
                    for k, v in tr.frame.metrics.items():
                        values[f"{tr.label}:{k}"] = v
        if lead.frame is not None:
            values.update(lead.frame.metrics)
        hold_s = self.hold.good_s if self.hold is not None else self.last_hold_s
        return MachineStep(
            t=t, signals=Signals(t, values, visible), phase=lead.phase() if self.definition.rep else (
                "holding" if self.hold is not None and self.hold.lost_since is None else None),
            reps=self.reps, no_reps=self.no_reps, new_reps=tuple(reps), new_issues=tuple(new_issues),
            active=tuple(active), visible=visible, guidance=guidance, hold_s=hold_s,
            progress=lead.progress(), reps_by_side=dict(self.by_side), side=self.side, view=self.views.view,
        )

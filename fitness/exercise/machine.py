"""The exercise machine: poses in, reps, no-reps, form cues and hold time out.

One `ExerciseMachine` per session. It runs one `_SideTracker` per measured side (two for `side: both` and
`alternating`, and for `side: auto` with `limbs: independent`), each made of the stages of the engine:
- `fitness.exercise.metrics.MetricsStage`: the pose -> the definition's metrics on the chosen side;
- `fitness.exercise.reps.RepCounter`: the rep state machine over those metrics;
- `fitness.exercise.rules`: live form cues and per-rep checks;
and, for a hold exercise, one `fitness.exercise.hold.HoldTimer`. With two trackers, `fitness.exercise.limbs`
pairs the reps the two sides do together into one (except for `side: alternating`). The camera view is estimated
once per frame (`fitness.geometry.side.ViewEstimator`) and numbers the machine's reps over the session.
"""

from __future__ import annotations

import math

from fitness.exercise.consistent import ConsistentKeypoints
from fitness.exercise.definition import ExerciseDefinition, PartialDef, RuleDef
from fitness.exercise.events import FormIssue, MachineStep, RepEvent, Signals, limb_sides
from fitness.exercise.expr import RepFrames
from fitness.exercise.hold import HoldRecord, HoldTimer
from fitness.exercise.limbs import JudgedRep, LimbPairing
from fitness.exercise.metrics import MetricsStage, SideSignals
from fitness.exercise.reps import ClosedRep, RepCounter, RepInProgress
from fitness.exercise.rules import FrameContext, RepContext, build_rules, form_score
from fitness.geometry.side import ViewEstimator
from fitness.pose.types import Pose

__all__ = ["ExerciseMachine", "HoldRecord"]

NAN = float("nan")
# Out of view this long: forget the rep in progress and what peak() metrics learnt (a person who comes back
# may stand elsewhere, farther from the camera), and wait for the rest state again.
RESET_AFTER_S = 3.0
SEEN_ALPHA = 0.1  # per frame: how fast a side's seen score follows its keypoint scores (~10 frames)


class _SideTracker:
    """One body side (or the auto-chosen side): its metrics, rep counter and form rules."""

    def __init__(self, definition: ExerciseDefinition, side: str, label: str | None,
                 consistent: ConsistentKeypoints | None = None, signal_spans: bool = False) -> None:
        self.label = label
        self.is_hold = definition.hold is not None
        # A side of a pair may count on a far limb seen with low confidence; its form is judged on trusted frames.
        self.metrics = MetricsStage(definition, side, consistent)
        # Paired sides' dips are no-reps too; one arm's dip along the other arm's rep is dropped (limbs.along).
        # Paired sides are paired on their reps' movements of the rep signal (`ClosedRep.span`).
        self.counter = (RepCounter(definition.rep, signal_span=definition.pairs_sides or signal_spans)
                        if definition.rep else None)
        self.rules = build_rules(definition)
        self.reset()

    def reset(self) -> None:
        self.metrics.reset()
        if self.counter is not None:
            self.counter.reset()
        for rule in self.rules:
            rule.reset()
        self.now: SideSignals | None = None  # the latest measurement
        self.gap_since: float | None = None  # the first of the frames that could not be measured
        self.view: str | None = None
        self.seen = 0.0  # how well this side is seen: a moving average of its required keypoints' mean score
        self.untrusted_since: float | None = None  # the first of the frames measured on low-score keypoints
        self.rep_frames = self.rep_untrusted = 0  # frames of the rep in progress, and how many were untrusted

    @property
    def rep_in_progress(self) -> RepInProgress | None:
        return self.counter.rep_in_progress if self.counter is not None else None

    @property
    def metric_values(self) -> dict[str, float]:
        return self.now.frame.metrics if self.now is not None and self.now.frame is not None else {}

    def phase(self) -> str | None:
        return self.counter.phase() if self.counter is not None else None

    def progress(self) -> float:
        if self.counter is None:
            return NAN
        return self.counter.progress(self.now.signal if self.now is not None else NAN)

    def measure(self, pose: Pose | None, t: float, view: str | None) -> SideSignals:
        self.view = view
        self.now = self.metrics.measure(pose, t, keep_side=self.rep_in_progress is not None, view=view)
        if self.label is not None and self.now.frame is not None:  # one of two sides: pairing compares how seen
            points = self.now.frame.points
            required = self.metrics.program.required
            score = sum(points[i][2] for i in required) / len(required) if required else 0.0
            self.seen += SEEN_ALPHA * (score - self.seen)
        return self.now

    def lost(self, t: float) -> None:
        """A frame without the required keypoints: hold the state; after RESET_AFTER_S start over."""
        if self.gap_since is None:
            self.gap_since = t
        gap_s = t - self.gap_since
        if self.counter is not None:
            self.counter.lost(gap_s)
        for rule in self.rules:
            rule.on_gap(gap_s)
        if gap_s > RESET_AFTER_S:
            self.metrics.forget()
            self.forget_rep()

    def forget_rep(self) -> None:
        """Counting starts over, waiting for the rest state (no rep in progress); what the counter learnt of the
        person (rest and target values, range) stays."""
        if self.counter is not None:
            self.counter.forget()
        for rule in self.rules:
            rule.reset()

    def step(self, t: float, next_rep_index: int) -> tuple[list[JudgedRep], list[FormIssue], list[FormIssue]]:
        """A measured frame: (reps it closed, new issues, active issues)."""
        gap_s = t - self.gap_since if self.gap_since is not None else None
        self.gap_since = None
        now = self.now
        judged = []
        if self.counter is not None:
            closed = self.counter.step(now.frame, now.signal, self.metrics.program, t, gap_s, now.signal_t, self.view)
            if closed is not None:
                judged.append(self.judge(closed))
                self.rep_frames = self.rep_untrusted = 0
            if self.counter.rep_in_progress is not None:
                self.rep_frames += 1
                self.rep_untrusted += not now.trusted
            else:
                self.rep_frames = self.rep_untrusted = 0
        if not now.trusted:
            # Form is not judged on low-score keypoints: for the rules this frame is a gap.
            if self.untrusted_since is None:
                self.untrusted_since = t
            for rule in self.rules:
                rule.on_gap(t - self.untrusted_since)
            return judged, [], [issue for rule in self.rules if (issue := rule.active) is not None]
        self.untrusted_since = None
        rep = self.rep_in_progress
        context = FrameContext(now.frame, now.side, t, self.phase(), self.view, rep,
                               next_rep_index if rep is not None or self.is_hold else None)
        new, active = [], []
        for rule in self.rules:
            issue = rule.on_frame(context)
            if issue is not None:
                new.append(issue)
            issue = rule.active
            if issue is not None:
                active.append(issue)
        return judged, new, active

    def finish(self, t: float) -> list[JudgedRep]:
        """End of the session: the rep in progress, if it is nearly done (RepCounter.finish)."""
        if self.counter is None:
            return []
        closed = self.counter.finish(min(t, self.metrics.last_seen_t), self.now.signal if self.now else NAN)
        return [self.judge(closed)] if closed is not None else []

    def judge(self, closed: ClosedRep) -> JudgedRep:
        """Form verdict of a closed rep: rep checks and score for a counted rep; a no-rep carries only its
        reason (its partial message already says what the checks would)."""
        issues = dict.fromkeys(closed.issues)
        failed: list[RuleDef] = []
        if not closed.counted:
            return JudgedRep(closed, self.label, (closed.reason, *issues), 0.0, (), self.seen)
        if 2 * self.rep_untrusted > self.rep_frames:
            # Seen mostly on low-score keypoints: counted, but its form is not judged.
            return JudgedRep(closed, self.label, tuple(issues), form_score(issues, self.rules), (), self.seen)
        context = RepContext(RepFrames(closed.frames, closed.end_t - closed.start_t), self.metrics.side, self.view)
        for rule in self.rules:
            if rule.on_rep(context):
                issues.setdefault(rule.definition.id, None)
                failed.append(rule.definition)
        return JudgedRep(closed, self.label, tuple(issues), form_score(issues, self.rules), tuple(failed), self.seen)


class ExerciseMachine:
    """Counts reps (or times a hold) and judges form for one definition, frame by frame.

    update(pose_or_none, t) -> MachineStep; finish(t) closes an open hold; reset() starts over.
    A hold exercise produces no rep events: MachineStep.hold_s is the good-form time of the hold in
    progress (or of the last one), and `holds` lists the finished holds.
    Time t is the frame's timestamp in seconds; it must not go backwards (a backwards t is clamped).
    """

    def __init__(self, definition: ExerciseDefinition, *, signal_spans: bool = False) -> None:
        """signal_spans: each RepEvent also carries its movement's span on the rep signal (`RepEvent.span`)."""
        self.definition = definition
        sides = definition.measured_sides
        # Paired sides judge the low-score keypoints of each pose once, together (the same keypoints, times, torso).
        consistent = ConsistentKeypoints(definition.min_score) if definition.pairs_sides else None
        self.trackers = [_SideTracker(definition, side, side if len(sides) > 1 else None, consistent, signal_spans)
                         for side in sides]
        self.pairing = LimbPairing() if definition.pairs_sides else None
        self.views = ViewEstimator(definition.min_score)
        self.hold_timer = HoldTimer(definition.hold) if definition.hold is not None else None
        self.reset()

    def reset(self) -> None:
        for tracker in self.trackers:
            tracker.reset()
        self.views.reset()
        if self.hold_timer is not None:
            self.hold_timer.reset()
        if self.pairing is not None:
            self.pairing.reset()
        self.reps = 0
        self.no_reps = 0
        self.last_rep_index = 0  # reps and no-reps so far: the index of the last RepEvent
        self.by_side = {tr.label: 0 for tr in self.trackers if tr.label}  # counted reps each side took part in
        self.last_t = -math.inf
        self.lead = self.trackers[0]  # the tracker whose rep moved last: its metrics and phase are shown
        self.active_ids: set[str] = set()  # the live rules failing after the last frame, on any side
        self._last: tuple | None = None  # what the last step is made of (`last_step`), and the step once made
        self._last_step: MachineStep | None = None

    def drop_rep(self, begun_after_t: float) -> None:
        """A rep in progress that has not reached its target is no rep (the person set off walking in it): that
        side's counter starts over and waits for the rest state, keeping what it learnt of the person (rest and
        target values, range). A rep past its target stays, unless it began after `begun_after_t` and has not left
        the target yet (a turn to go that bent the knees as far as a squat's bottom)."""
        for tracker in self.trackers:
            rep = tracker.rep_in_progress
            if rep is None:
                continue
            if rep.reached_t is None or (rep.start_t > begun_after_t and rep.target_exit_t is None):
                tracker.forget_rep()

    def restart(self) -> None:
        """Starts over as `reset` does, but numbers and counts reps on after the last ones (a workout's shadow
        machine that skipped frames starts over on the frames it still has, its earlier reps kept)."""
        kept = self.reps, self.no_reps, self.last_rep_index, dict(self.by_side)
        self.reset()
        self.reps, self.no_reps, self.last_rep_index, self.by_side = kept

    @property
    def side(self) -> str | None:
        """The body side being measured ("left"/"right"), "both", or None before the first pose."""
        return "both" if len(self.trackers) > 1 else self.trackers[0].metrics.side

    @property
    def holds(self) -> list[HoldRecord]:
        """The finished holds of a hold exercise."""
        return self.hold_timer.holds if self.hold_timer is not None else []

    def update(self, pose: Pose | None, t: float) -> MachineStep:
        self.advance(pose, t)
        return self.last_step()

    def advance(self, pose: Pose | None, t: float) -> tuple[RepEvent, ...]:
        """`update` without making its MachineStep (`last_step` makes it when asked, as `update` would have): the
        reps and no-reps this frame closed. A workout's shadow machines ask for few of their steps."""
        t = float(t)
        if not t >= self.last_t:  # time going backwards (or NaN): keep the clock monotonic
            t = self.last_t if math.isfinite(self.last_t) else 0.0
        self.last_t = t
        view = self.views.update(pose.xy, pose.score, t) if pose is not None else self.views.view
        judged: list[JudgedRep] = []
        new_issues: list[FormIssue] = []
        active: list[FormIssue] = []
        guidance = None
        visible = []
        for tracker in self.trackers:
            now = tracker.measure(pose, t, view)
            visible.append(now.visible)
            if not now.visible:
                guidance = guidance or now.guidance
                tracker.lost(t)
                continue
            reps, new, act = tracker.step(t, self.last_rep_index + 1)
            judged.extend(reps)
            new_issues.extend(new)
            active.extend(act)
            if tracker.rep_in_progress is not None:
                self.lead = tracker
        if self.pairing is not None:
            # Paired sides: one side in view keeps counting, so the other side's absence is no guidance.
            judged = self.pairing.step(judged, {tr.label: tr.rep_in_progress for tr in self.trackers}, t)
            visible_all = any(visible)
            if visible_all:
                guidance = None
        else:
            visible_all = all(visible)
        if guidance is None and view is not None and view not in self.definition.views:
            article = "an" if view[0] in "aeiou" else "a"
            best = self.definition.views[0]
            guidance = f"This looks like {article} {view} view; film from the {best} for best results"
        if len(self.trackers) > 1:
            new_issues = [i for i in self._once(new_issues) if i.rule_id not in self.active_ids]
            active = self._once(active)
        self.active_ids = {i.rule_id for i in active}
        events = self._number(judged, new_issues)
        if self.hold_timer is not None:
            first = self.trackers[0]
            in_position = visible_all and bool(first.metrics.program.hold(first.now.frame))
            self.hold_timer.step(t, in_position, active)
        self._keep_last(t, events, new_issues, active, visible_all, guidance)
        return tuple(events)

    def finish(self, t: float) -> MachineStep:
        """End of the session: closes an open hold; a rep in progress counts only if it reached its target and
        is past halfway back to rest (videos often stop as the person stands up)."""
        t = max(float(t), self.last_t) if math.isfinite(self.last_t) else float(t)
        if self.hold_timer is not None:
            self.hold_timer.finish(t)
        new_issues: list[FormIssue] = []
        judged = [rep for tracker in self.trackers for rep in tracker.finish(t)]
        if self.pairing is not None:
            judged = self.pairing.step(judged, {}, t) + self.pairing.flush()
        events = self._number(judged, new_issues)
        self._keep_last(t, events, new_issues, [], False, None)
        return self.last_step()

    def _keep_last(self, *parts) -> None:
        self._last, self._last_step = parts, None

    def last_step(self) -> MachineStep | None:
        """The step of the last `update`, `advance` or `finish` (None before the first, or after a reset)."""
        if self._last_step is None and self._last is not None:
            self._last_step = self._step(*self._last)
        return self._last_step

    def _once(self, issues: list[FormIssue]) -> list[FormIssue]:
        """Issues of two sides' rules, each rule once: both arms raised too high is one cue. A rule that was
        failing already on a side gives no new cue when the other side starts failing it too."""
        out = {}
        for issue in issues:
            out.setdefault(issue.rule_id, issue)
        return list(out.values())

    def _number(self, judged: list[JudgedRep], new_issues: list[FormIssue]) -> list[RepEvent]:
        """RepEvents in the order the reps ended, numbered over the session; their issues go to new_issues."""
        events = []
        for j in sorted(judged, key=lambda j: j.rep.end_t):
            rep = j.rep
            self.last_rep_index += 1
            index = self.last_rep_index
            if rep.counted:
                self.reps += 1
                for side in limb_sides(j.side):
                    self.by_side[side] += 1
            else:
                self.no_reps += 1
                partial = self.definition.rep.partial or PartialDef("")
                new_issues.append(FormIssue(rep.reason, partial.message, "warning", rep.end_t, index))
            for rule in j.failed_checks:
                new_issues.append(FormIssue(rule.id, rule.message, rule.severity, rep.end_t, index))
            events.append(RepEvent(
                index=index, start_t=rep.start_t, end_t=rep.end_t, counted=rep.counted, phases=rep.phases,
                rom=rep.rom, issues=j.issues, score=j.score, reason=rep.reason, side=j.side,
                signal=self.definition.rep_signal, span=rep.signal_span,
            ))
        return events

    def _step(self, t: float, events: list[RepEvent], new_issues: list[FormIssue], active: list[FormIssue],
              visible: bool, guidance: str | None) -> MachineStep:
        lead = self.lead
        values: dict[str, float] = {}
        if len(self.trackers) > 1:
            for tracker in self.trackers:
                for k, v in tracker.metric_values.items():
                    values[f"{tracker.label}:{k}"] = v
        values.update(lead.metric_values)
        hold = self.hold_timer
        if hold is not None:
            phase = "holding" if hold.holding else None
        else:
            phase = lead.phase()
        return MachineStep(
            t=t, signals=Signals(t, values, visible), phase=phase, reps=self.reps, no_reps=self.no_reps,
            new_reps=tuple(events), new_issues=tuple(new_issues), active=tuple(active), visible=visible,
            guidance=guidance, hold_s=hold.good_s if hold is not None else 0.0, progress=lead.progress(),
            reps_by_side=dict(self.by_side), side=self.side, view=self.views.view,
            limbs=self.pairing.mode if self.pairing is not None else None,
            hold=hold.span() if hold is not None else None,
        )

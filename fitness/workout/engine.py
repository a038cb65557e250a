"""The workout engine: which exercise of a library is being done, counted by that exercise's own machine.

`WorkoutMachine` runs one shadow `ExerciseMachine` per candidate exercise on the same smoothed poses, and an
exercise classifier (`fitness.workout.scores.ExerciseClassifier`). Each frame it weighs, for every exercise whose
shadow has a live run of reps (`fitness.workout.shadow`), the definition's own evidence:
- its rep signal cycles between rest and target: the run's counted reps;
- the camera view is one its `views` allow (oblique, between front and side, weighs less), and the torso is upright
  for a standing exercise (not for a lying one; a torso seen end-on is not judged);
- the share of the body's movement over the run done by the keypoints its rep conditions read (`explained`: a
  jumping jack explains moving legs, a lateral raise does not);
with the classifier's vote: its mean probability for the exercise over the run's reps (never one moment's answer),
leading reps it gives to another exercise left out. The exercise with the most evidence (per rep, times its reps)
is recognised once it has RECOGNISE_REPS counted reps (UNFAMILIAR_REPS when the classifier votes "none", unfamiliar
with this body or view) and its last rep ended DECIDE_AFTER_S ago; the reps its shadow counted before that are
adopted then, so the first reps of a set are not lost. Reps of no recognised exercise are never counted, nor reps
out of their exercise's posture at their ends (`_in_posture`: getting up from glute bridges), nor a run's lone leading
reps a set's pause before the rest (`_lone`), nor no-reps out of the set's tempo (`_out_of_tempo`: a slow dip
picking up the dumbbells between two sets), nor counted reps far faster than the set's (`_twitch`). The current
exercise lapses once no rep of it in its posture has come for RUN_GAP_S (its machine reading the next, standing,
exercise after a lying one keeps it no longer). A shadow not counted now whose machine is in a rep while the body
stands still starts over (`_feed`, STILL_RESTART_S).

It fits the session loop as a `Machine` (update / finish -> MachineStep): the step carries the recognised
exercise's reps (renumbered over the session, each with its `exercise`), cues and signals, and `exercise`.
`status` says what a UI shows (exercise, recognising, not an exercise it knows, rest time); `expect(names)`
lets a plan bias recognition towards its next exercise.

Logic only: no cv2, no rich, no user text.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace

from fitness.exercise import ExerciseDefinition, FormIssue, HoldSpan, MachineStep, RepEvent, Signals
from fitness.pose.types import Pose
from fitness.session.recorder import DEFAULT_AWAY_S, WORKOUT_SET_PAUSE_S
from fitness.workout.classifier import load_classifier
from fitness.workout.holds import HoldShadow
from fitness.workout.motion import BodyMotion
from fitness.workout.schedule import FrameBuffer
from fitness.workout.scores import NONE, ClassScores, ExerciseClassifier, ScoreHistory, top_label
from fitness.workout.shadow import RUN_GAP_S, RUN_TEMPO_FACTOR, Shadow

# Counted reps of one exercise's shadow, in one run, before it is recognised: its rep signal has cycled between rest
# and target twice (one "rep" however sure the classifier is may be an arm circle read as a lateral raise).
RECOGNISE_REPS = 2
# With the classifier ready, an exercise it gives less than this is not recognised (a YAML exercise it never
# learnt is weighed with the classifier's "none" instead).
MIN_CLASS_P = 0.15
# An exercise whose run the classifier votes "none" (picking up dumbbells; or a body or view it finds unfamiliar) is
# recognised only on this many counted reps of its own rep signal (weighed as if given MIN_CLASS_P, if less).
UNFAMILIAR_REPS = 3
# A run the classifier calls "none" this surely on the whole (its mean over the run), giving the exercise less than
# MIN_CLASS_P, is movement it knows is no exercise (stretching, reaching up): the exercise is weighed then only on
# strong evidence of its own (`_steady`), not on UNFAMILIAR_REPS reps alone. An unfamiliar body or view: ~0.5.
SURE_NONE_P = 0.9
# Strong evidence of a rep exercise's own against a sure "none": this many counted reps (one more than an unsure
# "none" needs), each within STEADY_FACTOR of their median duration (a set's reps keep a tempo; stretching's reaches
# and bends, read as presses or curls, rarely do, and rarely come four in a row).
SURE_NONE_REPS = UNFAMILIAR_REPS + 1
STEADY_FACTOR = 1.5
# An exercise is weighed only if the body's movement it explains over its run is at least this share.
MIN_EXPLAINED = 0.25
# A standing exercise's run has the torso upright at least this share of the frames; a lying one's, less.
UPRIGHT_SHARE = 0.5
# A rep starts and ends in its exercise's posture (torso upright for a standing one, not for a lying one), judged over
# this long at each end: getting down to the floor or up from it cycles a lying exercise's rep signal too.
REP_END_S = 0.3
# A lying exercise's rep that starts lying and has the body on its feet this long before it ends (torso upright, a
# knee below the hips) is no rep: getting up after sit-ups and lying down again cycles their rep signal as one long
# rep. A sit-up's top has the knees bent up by the hips; MoveNet may misread a frame or two.
STOOD_S = 0.5
# The set's tempo (`_out_of_tempo`) is the median duration of its last this many counted reps.
SET_TEMPO_REPS = 10
# A counted rep of the current set that takes under 1/this of the set's median counted rep is a flicker of the rep
# signal, not a rep (`_twitch`). Within sets, counted reps keep to within 2.5x of their set's median.
TWITCH_FACTOR = 3.0
# How much an exercise weighs filmed oblique when its definition lists front or side but not oblique.
OBLIQUE_WEIGHT = 0.5
# How much more an expected exercise (`expect`, a plan's next exercise) weighs.
EXPECT_WEIGHT = 1.5
# Evidence within this factor of the best is as good: then the one with more reps, the expected one... (`_rank`).
TIE_FACTOR = 0.9
# An exercise is recognised only once its last rep ended this long ago: another exercise's shadow counting the same
# movement has closed its rep by then and is weighed too (the reps are adopted anyway, so waiting loses nothing).
DECIDE_AFTER_S = 1.0
# Moving this long with nothing recognised: "moving, but not an exercise I know".
UNKNOWN_AFTER_S = 6.0
# A rest is shown (and timed from the last rep) once no rep has come for this long.
REST_SHOWN_AFTER_S = 3.0
# A shadow waiting on the buffer (it skipped the last frame, or the session has just started) keeps waiting while the
# classifier is undecided for under this long: not ready yet (its first 1.5 s), or answering "none", which rules no
# exercise out (a flicker of it inside a set). Most such spells end with an answer that rules the waiting shadows out
# again: their catch-up, which would replay the whole set, is never made. Longer, they catch up and run (a rest).
UNDECIDED_WAIT_S = 2.5
# A shadow of an exercise not counted now whose machine has a rep in progress, its rep signal stalled
# (`Shadow.stalled`), while the body has stood still this long (`BodyMotion.stood_still`) starts over (`_feed`):
# every rep moves its signal between rest and target (a slow curl, too slow for BodyMotion to call moving, does), so
# its machine misreads a person standing still, often by what it learnt of them before they moved (`peak()`: the
# standing height of the last set, seen from another spot or view), and would merge the next set's first reps into
# one long rep, left out of the run as out of tempo.
STILL_RESTART_S = 2.0
# A hold is recognised once in its position and settled (BodyMotion.settled_since) this long; the definitions alone
# cannot tell a plank from lying still, so it also needs the classifier's HOLD_MIN_P. It counts from when it settled.
HOLD_RECOGNISE_S = 3.0
# The classifier's probability for a hold exercise (its "none", for a hold it never learnt) that recognises it.
HOLD_MIN_P = 0.6

# What the engine is doing (WorkoutStatus.state).
COUNTING = "counting"  # an exercise is recognised and counted
RECOGNISING = "recognising"  # moving, not sure yet
UNKNOWN = "unknown"  # moving for a while, but like no exercise of the library
RESTING = "resting"  # still, between sets or before the first
AWAY = "away"  # nobody in view
STATES = (COUNTING, RECOGNISING, UNKNOWN, RESTING, AWAY)

# A rep's vote for an exercise other than the one weighed (`WorkoutMachine._rep_vote`); no exercise's name.
OTHER = "(other)"


@dataclass(frozen=True)
class Evidence:
    """What speaks for one exercise now. reps: counted reps of its shadow's live run (start_t..end_t).
    explained: share of the body's movement over the run done by the keypoints it reads (NaN: no movement seen).
    view_ok / posture_ok: the view is one it allows, the torso upright (or not) as it is done. p: the classifier's
    probability for it (NaN while the classifier is not ready). weight: the fused evidence per rep (0: ruled out).
    form: the mean form score of the run's counted reps. vote: the classifier's top label over the run ("": it
    said nothing then, or "none" on the whole with some reps given to another exercise). none_p: its mean "none"
    over the run (NaN: it said nothing)."""

    exercise: str
    reps: int
    start_t: float
    end_t: float
    explained: float
    view_ok: bool
    posture_ok: bool
    p: float
    weight: float
    form: float = 100.0
    vote: str = ""
    none_p: float = math.nan

    @property
    def score(self) -> float:
        """The evidence of the whole run: its weight per rep times its counted reps."""
        return self.weight * self.reps


@dataclass(frozen=True)
class WorkoutStatus:
    """What a UI shows about the workout. exercise / title: the exercise counted now (None while none is).
    state: one of STATES. guess: the best candidate while recognising (None: none). rest_s: seconds since the last
    counted rep, while resting (None otherwise). sets_done: exercise changes and rests seen so far."""

    state: str
    exercise: str | None = None
    title: str = ""
    guess: str | None = None
    rest_s: float | None = None


class WorkoutDefinition:
    """The session's 'definition' of a workout whose exercises are recognised: the stage wiring and the loop use it
    where a session of one exercise uses that exercise's definition (name, title, window title, smoothing)."""

    name = "workout"  # the summary's top-level `exercise` for such a session; its sets name their exercises
    title = "Workout"
    params: dict[str, float] = {}
    rep_signal = ""
    posture = None
    is_hold = False

    def __init__(self, exercises: Sequence[ExerciseDefinition]) -> None:
        self.exercises = tuple(d for d in exercises if d.rep is not None)
        self.holds = tuple(d for d in exercises if d.hold is not None)  # recognised as they are held (HoldShadow)
        if not self.exercises:
            raise ValueError("a workout needs at least one exercise counted in reps")
        scores = [d.keep_score for d in self.exercises if d.keep_score is not None]
        self.keep_score = min(scores) if scores else None

    def angle_joints(self, side: str | None) -> dict:
        return {}


class WorkoutMachine:
    """Recognises and counts the exercises of `definitions` (and times their holds) as a `Machine`."""

    def __init__(
        self,
        definitions: Sequence[ExerciseDefinition] | WorkoutDefinition,
        classifier: ExerciseClassifier | None = None,
        *,
        away_s: float = DEFAULT_AWAY_S,
    ) -> None:
        self.workout = definitions if isinstance(definitions, WorkoutDefinition) else WorkoutDefinition(definitions)
        self.shadows = {d.name: Shadow(d) for d in self.workout.exercises}
        self.holds = {d.name: HoldShadow(d) for d in self.workout.holds}
        self.classifier = classifier if classifier is not None else load_classifier()
        self.away_s = float(away_s)
        self.motion = BodyMotion()
        self.frames = FrameBuffer()  # the last frames, for shadows that skipped them (fitness.workout.schedule)
        self.votes = ScoreHistory()
        self.expected: frozenset[str] = frozenset()
        self.reset()

    # -- the Machine protocol --

    def reset(self) -> None:
        for shadow in self.shadows.values():
            shadow.reset()
        for hold in self.holds.values():
            hold.reset()
        self.classifier.reset()
        self.motion.reset()
        self.frames.reset()
        self.votes.reset()
        self.current: Shadow | HoldShadow | None = None
        self.hold: HoldSpan | None = None  # the recognised hold's span this step (in progress, or ended)
        self.familiar = False  # the classifier voted for the current exercise when it was recognised
        self.pending: list[RepEvent] = []  # the current set's last reps the classifier called "none" (`_own`)
        # The end of the current exercise's last counted rep in its posture (`_own`): reps its machine counts out of
        # it (a bridge machine reading the curls that follow the bridges) are not its set's and keep it not alive.
        self.own_until_t: float | None = None
        self.set_rep_s: list[float] = []  # durations of the counted reps given out since the exercise was recognised
        self.scores = ClassScores(0.0)
        self.evidence: tuple[Evidence, ...] = ()
        self.reps = self.no_reps = 0
        self.last_index = 0  # reps and no-reps given out so far (RepEvent.index over the session)
        self.adopted_until_t = -math.inf  # the end of the last rep given out: reps before it are never given again
        self.last_rep_end_t: float | None = None  # of the last counted rep given out
        self.last_t = -math.inf
        self.away_since_t: float | None = None
        self.moving_since_t: float | None = None
        self._index_map: dict[tuple[str, int], int] = {}  # (exercise, shadow's rep index) -> session index
        self._movement_of: dict[tuple[str, float, float], tuple[bool, float]] = {}  # `_movement` by run span
        self._vote_of: dict[tuple[str, float, float], tuple[int, float, str]] = {}  # `_vote` by run span
        self._ruled_out_by: Mapping[str, float] | None = None  # the classifier's answer `_ruled_out_of` is of
        self._ruled_out_of: frozenset[str] = frozenset()
        self.undecided_since_t: float | None = None  # the classifier not ready, or answering "none", since
        self._stood_still_of: tuple[float, bool] = (math.nan, False)  # (frame time, `_stood_still` then)

    @property
    def definition(self) -> ExerciseDefinition | WorkoutDefinition:
        """The definition of the exercise counted now (the workout's own while none is)."""
        return self.current.definition if self.current is not None else self.workout

    def expect(self, names: Iterable[str]) -> None:
        """Weigh these exercises more (a plan's next exercise); an empty list expects nothing in particular."""
        names = frozenset(names)
        unknown = sorted(names - set(self.shadows) - set(self.holds))
        if unknown:
            raise ValueError(f"not exercises of this workout: {', '.join(unknown)}")
        self.expected = names

    def update(self, pose: Pose | None, t: float) -> MachineStep:
        t = float(t)
        if not t >= self.last_t:  # time going backwards (or NaN): keep the clock monotonic
            t = self.last_t if math.isfinite(self.last_t) else 0.0
        self.last_t = t
        self.motion.update(pose, t)
        self.scores = self.classifier.update(pose, t)
        self.votes.add(self.scores)
        self._follow_answer(t)
        self._run_shadows(pose, t)
        self._presence(pose, t)
        events: list[RepEvent] = []
        self.hold = None
        if isinstance(self.current, HoldShadow):
            self._follow_hold(self.current)
        elif self.current is not None:
            events.extend(self._forward(self.current, self._own(self.current.step.new_reps)))
            if self._lapsed(t):
                self.current = None
        self.evidence = self._weigh(t)
        chosen = self._choose()
        if chosen is not None and chosen is not self.current:
            self._end_hold(chosen)
            self.current = chosen
            events.extend(self._adopt(chosen, t))
        elif self.current is None:
            self._recognise_hold(t)
        return self._step(t, events)

    def finish(self, t: float) -> MachineStep:
        """End of the session: the recognised exercise's rep in progress counts if nearly done (its machine says)."""
        t = max(float(t), self.last_t) if math.isfinite(self.last_t) else float(t)
        events: list[RepEvent] = []
        self.hold = None
        self.undecided_since_t = None  # the recording ends: shadows waiting on an undecided classifier catch up
        self._catch_up()
        for shadow in self.shadows.values():
            if shadow.behind(self.frames):
                continue  # ruled out (it skipped the last frame): its reps weigh nothing
            step = shadow.finish(t)
            if shadow is self.current:
                events.extend(self._forward(shadow, self._own(step.new_reps)))
        for hold in self.holds.values():
            if hold.behind(self.frames):
                continue  # not voted for (`_hold_skips`): not recognised now
            hold.finish(t)
            if hold is self.current:
                self._follow_hold(hold)
        # The recording ends: an exercise recognised by now needs no wait for other shadows' reps in progress.
        self.evidence = self._weigh(t)
        chosen = self._choose(decide_after_s=0.0)
        if chosen is not None and chosen is not self.current:
            self._end_hold(chosen)
            self.current = chosen
            events.extend(self._adopt(chosen, t))
        return self._step(t, events, finished=True)

    # -- what the UI shows --

    @property
    def status(self) -> WorkoutStatus:
        t = self.last_t
        rest_s = None
        if self.last_rep_end_t is not None and t - self.last_rep_end_t >= REST_SHOWN_AFTER_S:
            rest_s = t - self.last_rep_end_t
        if self.away_since_t is not None:
            return WorkoutStatus(AWAY, rest_s=rest_s)
        if self.current is not None:
            counting = rest_s is None or self.motion.moving or isinstance(self.current, HoldShadow)
            return WorkoutStatus(COUNTING if counting else RESTING, self.current.name, self.current.definition.title,
                                 rest_s=None if counting else rest_s)
        guess = max(self.evidence, key=lambda e: e.score).exercise if self.evidence else None
        if not self.motion.moving:
            return WorkoutStatus(RESTING, guess=guess, rest_s=rest_s)
        if self.moving_since_t is not None and t - self.moving_since_t >= UNKNOWN_AFTER_S and guess is None:
            return WorkoutStatus(UNKNOWN, rest_s=rest_s)
        return WorkoutStatus(RECOGNISING, guess=guess, rest_s=rest_s)

    # -- inside --

    def _presence(self, pose: Pose | None, t: float) -> None:
        if pose is None:
            self.away_since_t = self.away_since_t if self.away_since_t is not None else t
            if t - self.away_since_t >= self.away_s:
                self.current = None  # out of view: the set is over, the next one is recognised afresh
        else:
            self.away_since_t = None
        if self.motion.moving:
            self.moving_since_t = self.moving_since_t if self.moving_since_t is not None else t
        else:
            self.moving_since_t = None

    def _run_shadows(self, pose: Pose | None, t: float) -> None:
        """Every shadow and hold shadow that does not skip the frame (`_skips`, `_hold_skips`) runs (catching up on
        frames it skipped); the others skip it (fitness.workout.schedule)."""
        self.frames.add(pose, t)
        self._catch_up(t)

    def _catch_up(self, t: float | None = None) -> None:
        """Feeds the shadows that do not skip the latest frame (at the end, t None: every one not ruled out), and the
        hold shadows that do not, the buffered frames they have not seen."""
        running: list[Shadow | HoldShadow] = [shadow for shadow in self.shadows.values() if not self._skips(shadow, t)]
        running += [hold for hold in self.holds.values() if not self._hold_skips(hold)]
        for shadow in running:
            shadow.rejoin(self.frames)
        if not running:
            return
        last_n = self.frames.total_n - 1
        if all(shadow.fed_n == last_n for shadow in running):  # none is behind: the latest frame is all they need
            pose, frame_t = self.frames.latest
            for shadow in running:
                self._feed(shadow, pose, frame_t)
            return
        # Frame by frame, each to every shadow that has not seen it: the machines measure each pose one after
        # another, so what they share of it is derived once (fitness.pose.memo).
        first_n = min(shadow.fed_n for shadow in running)
        for n, (frame_pose, frame_t) in enumerate(self.frames.since(first_n), start=first_n):
            for shadow in running:
                if shadow.fed_n == n:
                    self._feed(shadow, frame_pose, frame_t)

    def _feed(self, shadow: Shadow | HoldShadow, pose: Pose | None, t: float) -> None:
        """One frame to a shadow; a rep exercise's shadow not counted now whose rep in progress has stalled while the
        body has stood still for STILL_RESTART_S starts over on the next frame (its reps kept, what it learnt of the
        person learnt again)."""
        shadow.update(pose, t)
        if (isinstance(shadow, Shadow) and shadow is not self.current and self._stood_still(t)
                and shadow.stalled(t - STILL_RESTART_S)):
            shadow.machine.restart()

    def _stood_still(self, t: float) -> bool:
        """The body stood still over the STILL_RESTART_S up to t (worked out once per frame: the shadows are fed
        frame by frame, every one a frame before the next frame)."""
        if self._stood_still_of[0] != t:
            self._stood_still_of = t, self.motion.stood_still(t - STILL_RESTART_S, t)
        return self._stood_still_of[1]

    def _follow_answer(self, t: float) -> None:
        """Keeps `undecided_since_t`: since when the classifier has not been ready or has answered "none"."""
        if self.scores.ready and self.scores.top()[0] != NONE:
            self.undecided_since_t = None
        elif self.undecided_since_t is None:
            self.undecided_since_t = t

    def _label(self, name: str) -> str:
        """The classifier's label for an exercise ("none" for an exercise it never learnt)."""
        return name if name in getattr(self.classifier, "labels", ()) else NONE

    def _class_p(self, name: str) -> float:
        """The classifier's probability for an exercise (its "none" for an exercise it never learnt)."""
        return self.scores.p(self._label(name))

    def _skips(self, shadow: Shadow, t: float | None) -> bool:
        """Its shadow may skip the frame at t (None: the end, nothing waits): it is not the exercise counted now and
        either `_ruled_out`, or it is waiting on the buffer while the classifier has been undecided about it
        (`_undecided`) for under UNDECIDED_WAIT_S."""
        if shadow is self.current:
            return False
        if self._ruled_out(shadow):
            return True
        if t is None or self.undecided_since_t is None or not self._undecided(shadow):
            return False
        total_n = self.frames.total_n
        waiting = shadow.fed_n < total_n - 1 or total_n == 1
        return waiting and t - self.undecided_since_t < UNDECIDED_WAIT_S

    def _hold_skips(self, hold: HoldShadow) -> bool:
        """A hold shadow skips the frame unless its hold is the one recognised now or the classifier's vote for it
        could recognise it (`_hold_voted`): its state is read only then (`_recognise_hold`)."""
        return hold is not self.current and not (self.scores.ready and self._class_p(hold.name) >= HOLD_MIN_P)

    def _ruled_out(self, shadow: Shadow) -> bool:
        """The ready classifier names another exercise and gives this one less than MIN_CLASS_P (a run it votes
        that way weighs nothing; one it votes "none" is still weighed)."""
        return self.scores.ready and shadow.name in self._ruled_out_names()

    def _undecided(self, shadow: Shadow) -> bool:
        """A classifier that knows exercises is not ready, or answers "none" and has learnt this exercise (for one it
        never learnt, "none" is its own answer)."""
        if not getattr(self.classifier, "labels", ()):
            return False  # no classifier: the definitions alone decide, every shadow runs
        return not self.scores.ready or self._label(shadow.name) != NONE

    def _ruled_out_names(self) -> frozenset[str]:
        """The exercises whose shadows `_ruled_out` lets skip, by the classifier's answer: worked out once per answer
        (the classifier repeats it between classifications; answers are never changed in place, ScoreHistory keeps
        them too)."""
        if self.scores.probs is not self._ruled_out_by:
            top = self.scores.top()[0]
            self._ruled_out_by = self.scores.probs
            self._ruled_out_of = frozenset(name for name in self.shadows
                                           if top not in (NONE, name) and self._class_p(name) < MIN_CLASS_P)
        return self._ruled_out_of

    # -- holds --

    def _recognise_hold(self, t: float) -> None:
        """A hold recognised now becomes the current exercise, reported from when the body settled in its position
        (not before the last rep given out: the top of a push-up is in a plank's band too). Only once no exercise
        is current: a pause at the top of a push-up inside its set is no plank."""
        for hold in self.holds.values():
            if hold.behind(self.frames):
                continue  # skipping (`_hold_skips`): not voted for
            since = hold.in_position_since
            if since is None or t - since < HOLD_RECOGNISE_S or not self._hold_voted(hold):
                continue
            # Settled: lying still and rolling over into a plank stays in its band.
            start_t = self.motion.settled_since(max(since, self.adopted_until_t), t)
            if t - start_t < HOLD_RECOGNISE_S or not self._posture_ok(hold.definition, start_t, t):
                continue
            hold.from_t = start_t
            self.current = hold
            self._follow_hold(hold)
            return

    def _hold_voted(self, hold: HoldShadow) -> bool:
        """The classifier says this hold (the definition cannot tell a plank from lying on the back); a hold it never
        learnt needs its "none" as sure and a view the definition allows. A hold it learnt needs no view of the
        definition's: the view estimator judges a lying body by its shoulders' width against its torso's length,
        and a plank seen obliquely, its torso foreshortened, reads as front (its machine's position, the body line
        level in the image, is not a head-on one)."""
        view = hold.step.view if hold.step is not None else None
        learnt = self._label(hold.name) != NONE
        if not learnt and view is not None and view not in hold.definition.views or not self.scores.ready:
            return False
        return self._class_p(hold.name) >= HOLD_MIN_P

    def _posture_ok(self, definition: ExerciseDefinition, start_t: float, end_t: float) -> bool:
        """The torso upright (or not) over [start_t, end_t] as the exercise is done (true when it cannot be judged)."""
        posture = definition.posture
        upright = self.motion.upright_share(start_t, end_t)
        return math.isnan(upright) or posture is None or (upright >= UPRIGHT_SHARE) == (posture == "standing")

    def _in_posture(self, definition: ExerciseDefinition, rep: RepEvent, vote: str) -> bool:
        """The rep ends in the exercise's posture (over REP_END_S), and starts in it unless the classifier votes for
        the exercise over it (`vote`, `_rep_vote`): standing up from a glute bridge, or lying down for one, is no
        rep of it; lying down into a first sit-up, read by its machine as one movement, is still that sit-up. A lying
        exercise's rep that starts lying and stands on its feet for STOOD_S is none (getting up, lying down again)."""
        starts_in = self._posture_ok(definition, rep.start_t, rep.start_t + REP_END_S)
        if starts_in and definition.posture == "lying" and self.motion.standing_s(rep.start_t, rep.end_t) >= STOOD_S:
            return False
        return (self._posture_ok(definition, rep.end_t - REP_END_S, rep.end_t)
                and (vote == self._label(definition.name) or starts_in))

    def _follow_hold(self, hold: HoldShadow) -> None:
        """The recognised hold this step; once it has ended (out of position), nothing is current."""
        span = hold.span(hold.from_t if hold.from_t is not None else -math.inf)
        if span is None:  # the timer's hold was dropped or replaced: the recognised one ended before
            self.current = None
            return
        self.hold = span
        if span.done:
            self._hold_ended(span)

    def _end_hold(self, chosen: Shadow | HoldShadow) -> None:
        """A rep exercise takes over from the recognised hold: the hold ends where the new run of reps starts."""
        if not isinstance(self.current, HoldShadow) or self.hold is None or self.hold.done:
            return
        run = chosen.run(self.adopted_until_t, self.last_t) if isinstance(chosen, Shadow) else []
        end_t = min(self.hold.end_t, run[0].start_t) if run else self.hold.end_t
        self.hold = replace(self.hold, end_t=max(end_t, self.hold.start_t), done=True)
        self._hold_ended(self.hold)

    def _hold_ended(self, span: HoldSpan) -> None:
        self.current.from_t = None
        self.current = None
        self.last_rep_end_t = span.end_t  # the rest is timed from the hold's end
        self.adopted_until_t = max(self.adopted_until_t, span.end_t)

    def _lapsed(self, t: float) -> bool:
        """The current exercise is over once its run of reps is (no counted rep in its posture for RUN_GAP_S, the
        ones its machine reads in the next exercise's posture are not its own: `own_until_t`): what comes next is
        weighed afresh, so its shadow cannot count the next exercise's reps as its own. If it is the same exercise
        again, its reps are adopted as before (and the recorder keeps them in the set unless the pause was a rest)."""
        last = self.own_until_t if self.current is not None else None
        return last is None or t - max(last, self.adopted_until_t) > RUN_GAP_S

    def _weigh(self, t: float) -> tuple[Evidence, ...]:
        out = []
        for shadow in self.shadows.values():
            if shadow.behind(self.frames):
                continue  # ruled out now (`_ruled_out`): it would weigh nothing
            run = shadow.run(self.adopted_until_t, t)
            if not run:
                continue
            first, p, vote, kept, none_p = self._vote(shadow, run)
            run = run[first:]
            counted = [r for r in run if r.counted]
            if not kept:
                continue
            start_t, end_t = run[0].start_t, run[-1].end_t
            definition = shadow.definition
            view = shadow.view
            view_ok = view is None or view in definition.views
            # Oblique lies between front and side: an exercise listed for either is weighed there, less.
            view_weight = 1.0 if view_ok else OBLIQUE_WEIGHT if view == "oblique" else 0.0
            # What moved is judged over the reps' movements on the rep signal: how a rep is timed (its tempo metric)
            # does not change which exercise is recognised.
            posture_ok, explained = self._movement(shadow, run[0].movement[0], run[-1].movement[1])
            if math.isnan(p):
                class_weight = 1.0
            elif p >= MIN_CLASS_P:
                class_weight = p
            elif vote == NONE and (none_p < SURE_NONE_P or self._steady(counted)):
                class_weight = MIN_CLASS_P  # unfamiliar (a body or view it did not learn): the definition decides
            else:
                class_weight = 0.0
            weight = 0.0
            if posture_ok and not explained < MIN_EXPLAINED:
                weight = (1.0 if math.isnan(explained) else explained) * class_weight * view_weight
                if shadow.name in self.expected:
                    weight *= EXPECT_WEIGHT
            form = sum(r.score for r in counted) / len(counted)
            out.append(Evidence(shadow.name, kept, start_t, end_t, explained, view_ok, posture_ok, p, weight,
                                form, vote, none_p))
        return tuple(out)

    def _movement(self, shadow: Shadow, start_t: float, end_t: float) -> tuple[bool, float]:
        """(posture as the exercise is done, share of the movement it explains) over a run: measured once per run
        span (it changes only with a new rep)."""
        key = (shadow.name, start_t, end_t)
        if key not in self._movement_of:
            posture_ok = self._posture_ok(shadow.definition, start_t, end_t)
            if len(self._movement_of) > 4 * len(self.shadows):
                self._movement_of.clear()
            self._movement_of[key] = posture_ok, self.motion.explained(shadow.moving, start_t, end_t)
        return self._movement_of[key]

    def _vote(self, shadow: Shadow, run: Sequence[RepEvent]) -> tuple[int, float, str, int, float]:
        """The classifier's vote over a run: the run's first rep that it does not give to another exercise, its
        mean probability for this exercise (its "none" for one it does not know) from that rep to the run's end
        (NaN: it said nothing then), its top label then, the counted reps from that rep on that `_adopt` would give
        out (in the exercise's posture: getting up from push-ups and lying down again, read by a lunge machine as
        two reps, is one rep in a lunge's posture, no set), and its mean "none" then (NaN: it said nothing).
        Measured once per run span and once its end is seen."""
        # A machine gives a rep out before its end_t (smoothing lag): judged again once the rep's end has been seen.
        key = (shadow.name, run[0].start_t, run[-1].end_t, self.last_t >= run[-1].end_t)
        if key not in self._vote_of:
            label = self._label(shadow.name)
            first = 0
            # Leading reps voted to another exercise are that exercise's movement (a squat machine counting
            # sit-ups), not the start of this run; nor are those out of its posture (lying down for glute bridges),
            # nor those a set's pause apart from the rest too few to be recognised alone (`_lone`: putting the
            # dumbbells down before a set of squats).
            votes = [self._rep_vote(label, r) for r in run]
            while first < len(run) - 1 and (votes[first] == OTHER or self._lone(run, first)
                                            or not self._in_posture(shadow.definition, run[first], votes[first])):
                first += 1
            probs = self.votes.mean(run[first].start_t, run[-1].end_t)
            if len(self._vote_of) > 4 * len(self.shadows):
                self._vote_of.clear()
            top = top_label(probs)
            if top == NONE and OTHER in votes[first:]:
                top = ""  # "none" only on the whole, parts of the run go to other exercises: not unfamiliar
            kept = self._given_out(shadow.definition, run[first:], votes[first:])
            p = probs.get(label, 0.0) if probs else math.nan
            self._vote_of[key] = first, p, top, kept, probs.get(NONE, 0.0) if probs else math.nan
        return self._vote_of[key]

    def _given_out(self, definition: ExerciseDefinition, run: Sequence[RepEvent], votes: Sequence[str]) -> int:
        """The counted reps of `run` that adopting it would give out: those in the exercise's posture, each starting
        after the previous one given out ended (`_forward`). A two-sided machine may count an arm's reach and the
        other arm's overlapping it (a side bend while stretching): one movement, one rep at most."""
        n = 0
        until_t = -math.inf
        for rep, vote in zip(run, votes, strict=True):
            if rep.start_t < until_t or not self._in_posture(definition, rep, vote):
                continue
            until_t = max(until_t, rep.end_t)
            n += rep.counted
        return n

    @staticmethod
    def _steady(counted: Sequence[RepEvent]) -> bool:
        """Strong evidence of a rep exercise's own: SURE_NONE_REPS counted reps or more, each within STEADY_FACTOR of
        their median duration (people keep a tempo through a set; stretching's reaches and bends have none)."""
        if len(counted) < SURE_NONE_REPS:
            return False
        durations = sorted(r.duration_s for r in counted)
        median_s = durations[len(durations) // 2]
        return durations[0] * STEADY_FACTOR >= median_s and durations[-1] <= median_s * STEADY_FACTOR

    @staticmethod
    def _lone(run: Sequence[RepEvent], first: int) -> bool:
        """The reps of `run` from `first` up to its next pause over WORKOUT_SET_PAUSE_S (the recorder's set pause)
        hold fewer than RECOGNISE_REPS counted reps, and more reps follow that pause: alone they would be no set."""
        n = 0
        for k in range(first, len(run) - 1):
            n += run[k].counted
            if run[k + 1].start_t - run[k].end_t > WORKOUT_SET_PAUSE_S:
                return n < RECOGNISE_REPS
        return False

    def _rep_vote(self, label: str, rep: RepEvent) -> str:
        """The classifier's vote over `rep` for an exercise whose label is `label`: `label`; OTHER (another
        exercise); NONE (its "none", giving `label` less than MIN_CLASS_P); "" (said nothing, or unsure)."""
        probs = self.votes.mean(rep.start_t, rep.end_t)
        top = top_label(probs)
        if top in ("", label):
            return top
        if top != NONE:
            return OTHER
        return NONE if probs.get(label, 0.0) < MIN_CLASS_P else ""

    def _needed(self, e: Evidence) -> int:
        """Counted reps an exercise needs to be recognised."""
        return UNFAMILIAR_REPS if e.vote == NONE else RECOGNISE_REPS

    def _choose(self, decide_after_s: float = DECIDE_AFTER_S) -> Shadow | None:
        """The exercise to count now: the current one unless another one, done since its last rep, is recognised."""
        live = [e for e in self.evidence if e.weight > 0]
        if not live:
            return self.current
        top = max(e.score for e in live)
        near = [e for e in live if e.score >= TIE_FACTOR * top]
        best = max(near, key=self._rank)
        if best.reps < self._needed(best) or self.last_t - best.end_t < decide_after_s:
            return self.current
        if self.current is not None:
            if best.exercise == self.current.name:
                return self.current
            # Another exercise's run started after the current one's last rep (a change of exercise), not along it.
            last = self.current.last_counted_end_t() if isinstance(self.current, HoldShadow) else self.own_until_t
            if last is not None and last > best.start_t:
                return self.current
        return self.shadows[best.exercise]

    def _rank(self, e: Evidence) -> tuple:
        """Among evidence about as good as the best: more reps, the expected exercise, the reps that pass more of
        their definition's own form checks (a squat fails a lunge's), then the more specific definition (it explains
        the movement with fewer body parts), then more evidence per rep."""
        return e.reps, e.exercise in self.expected, e.form, -len(self.shadows[e.exercise].moving), e.weight

    def _adopt(self, shadow: Shadow, t: float) -> list[RepEvent]:
        """The reps of the newly recognised exercise's run, given out now (its first reps, retroactively)."""
        found = next((e for e in self.evidence if e.exercise == shadow.name), None)
        start_t = found.start_t if found is not None else -math.inf
        self.familiar = found is not None and found.vote == shadow.name
        self.pending = []
        self.own_until_t = shadow.last_counted_end_t()
        self.set_rep_s = []
        label = self._label(shadow.name)
        return self._forward(shadow, [r for r in shadow.run(self.adopted_until_t, t) if r.start_t >= start_t
                                      and self._in_posture(shadow.definition, r, self._rep_vote(label, r))])

    def _own(self, reps: Iterable[RepEvent]) -> list[RepEvent]:
        """The current exercise's new reps that are its own: in its posture, not those the classifier gives to
        another exercise (a jumping-jack machine counting sit-ups), nor, when it recognised the exercise's set,
        those it calls "none" (picking up the dumbbells after a set of squats) unless a rep it does not call "none"
        follows within WORKOUT_SET_PAUSE_S: such reps wait in `pending` and are given out before that rep (a
        moment's doubt inside a set). A no-rep a set's pause after the last rep waits so too (stretching after a set
        of jumping jacks is no set of no-reps)."""
        definition = self.current.definition
        label = self._label(self.current.name)
        out = []
        for rep in reps:
            vote = self._rep_vote(label, rep)
            if not self._in_posture(definition, rep, vote):
                continue
            if rep.counted and self._twitch(rep):
                # A flicker of the rep signal, not a rep: read as the set's (no other run starts in it).
                self.adopted_until_t = max(self.adopted_until_t, rep.end_t)
                continue
            if rep.counted:
                self.own_until_t = rep.end_t
            elif self._out_of_tempo(rep):
                # The rest's movement (picking up the dumbbells, slowly), not a failed rep of the set: not given out,
                # but read as this exercise's, so no other exercise's run starts in it (a reach read as a press).
                self.adopted_until_t = max(self.adopted_until_t, rep.end_t)
                continue
            elif self._after_pause(rep):
                self.pending.append(rep)  # a set's pause after its last rep: the set's only if the set goes on
                continue
            else:
                vote = ""  # a no-rep is the set's whatever the classifier says of it
            if vote == OTHER:
                continue
            if vote == NONE and self.familiar and label != NONE:
                self.pending.append(rep)
                continue
            if self.pending and rep.counted:
                out.extend(self._in_rhythm(self.pending, rep.start_t))
            if rep.counted:
                self.pending = []
            out.append(rep)
        return out

    def _out_of_tempo(self, rep: RepEvent) -> bool:
        """`rep` (a no-rep) takes over RUN_TEMPO_FACTOR times as long as the median counted rep of the set: a set's
        reps, failed ones too, keep its tempo; a slow dip or reach between sets is the rest's movement, and were it
        the set's it would join the sets on either side of the rest."""
        median_s = self._set_median_rep_s()
        return median_s is not None and rep.duration_s > RUN_TEMPO_FACTOR * median_s

    def _twitch(self, rep: RepEvent) -> bool:
        """`rep` (counted) takes under 1/TWITCH_FACTOR of the set's median counted rep: no person speeds up so within
        a set; the rep signal flickered (a leg misread for a moment at the end of a set of lunges closes a second
        rep in a third of a second)."""
        median_s = self._set_median_rep_s()
        return median_s is not None and rep.duration_s * TWITCH_FACTOR < median_s

    def _set_median_rep_s(self) -> float | None:
        """The set's tempo: the median duration of its last SET_TEMPO_REPS counted reps (the lower middle one)."""
        durations = sorted(self.set_rep_s)
        return durations[(len(durations) - 1) // 2] if durations else None

    def _after_pause(self, rep: RepEvent) -> bool:
        """`rep` starts over WORKOUT_SET_PAUSE_S (the recorder's set pause) after the last counted rep given out."""
        return self.last_rep_end_t is not None and rep.start_t - self.last_rep_end_t > WORKOUT_SET_PAUSE_S

    @staticmethod
    def _in_rhythm(reps: Sequence[RepEvent], next_start_t: float) -> list[RepEvent]:
        """The last of `reps` each of which ends within WORKOUT_SET_PAUSE_S of the next one's start (`next_start_t`
        after the last)."""
        kept: list[RepEvent] = []
        for rep in reversed(reps):
            if next_start_t - rep.end_t > WORKOUT_SET_PAUSE_S:
                break
            kept.insert(0, rep)
            next_start_t = rep.start_t
        return kept

    def _forward(self, shadow: Shadow, reps: Iterable[RepEvent]) -> list[RepEvent]:
        out = []
        for rep in reps:
            if rep.start_t < self.adopted_until_t:
                continue  # already given out as part of another exercise's reps
            self.last_index += 1
            self._index_map[(shadow.name, rep.index)] = self.last_index
            out.append(replace(rep, index=self.last_index, exercise=shadow.name))
            self.adopted_until_t = max(self.adopted_until_t, rep.end_t)
            if rep.counted:
                self.reps += 1
                self.last_rep_end_t = rep.end_t
                self.set_rep_s = [*self.set_rep_s[1 - SET_TEMPO_REPS:], rep.duration_s]
            else:
                self.no_reps += 1
        return out

    def _issues(self, shadow: Shadow, issues: Iterable[FormIssue]) -> tuple[FormIssue, ...]:
        """The current exercise's cues, their rep numbers the session's (a rep in progress: the next one)."""
        out = []
        for issue in issues:
            index = issue.rep_index
            if index is not None:
                index = self._index_map.get((shadow.name, index), self.last_index + 1)
            out.append(replace(issue, rep_index=index))
        return tuple(out)

    def _step(self, t: float, events: list[RepEvent], finished: bool = False) -> MachineStep:
        shadow = self.current
        if shadow is None or shadow.step is None:
            return MachineStep(t=t, signals=Signals(t, {}, self.away_since_t is None), phase=None, reps=self.reps,
                               no_reps=self.no_reps, new_reps=tuple(events), visible=self.away_since_t is None,
                               hold=self.hold)
        step = shadow.step
        if isinstance(shadow, HoldShadow) or self.hold is not None:
            step = replace(step, hold_s=self.hold.good_s if self.hold is not None else 0.0, hold=self.hold)
        # Rep-check issues of adopted reps come with the reps themselves (RepEvent.issues).
        new_issues = self._issues(shadow, [i for i in step.new_issues if i.rep_index is None or
                                           (shadow.name, i.rep_index) in self._index_map or
                                           i.rep_index > shadow.machine.last_rep_index])
        return replace(step, reps=self.reps, no_reps=self.no_reps, new_reps=tuple(events), new_issues=new_issues,
                       active=() if finished else self._issues(shadow, step.active), exercise=shadow.name)

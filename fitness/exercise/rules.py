"""Form rules: small classes behind one protocol, one instance per rule and body-side tracker.

A rule type implements the hooks of `FormRule` it needs (`BaseRule` gives the others as no-ops):
- `on_frame` sees every measured frame (a live cue: `form:` rules, `LiveRule`);
- `on_rep` judges a counted rep when it ends (`rep_checks:` rules, `RepCheck`);
- `on_gap` / `reset` hear about frames that could not be measured and about starting over.
Its compiled condition comes per body side (`SideProgram.tests[rule id]`). Live rules also judge holds: while
a warning or error rule is active, hold time is not good time (`fitness.exercise.hold`).

A new rule type: a class here, an entry in RULE_TYPES (the definition's section it runs), and its parsing
and compiling in `fitness.exercise.loader`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol

from fitness.exercise.definition import ExerciseDefinition, RuleDef
from fitness.exercise.events import FormIssue
from fitness.exercise.expr import MetricFrame, RepFrames

if TYPE_CHECKING:
    from fitness.exercise.reps import RepInProgress

# A live rule's hold_s timer survives keypoint dropouts up to this long (a keypoint lost every other frame at
# the bottom of a rep must not keep a rule from firing).
RULE_GAP_S = 0.25


@dataclass(frozen=True, slots=True)
class FrameContext:
    """What a rule sees of one measured frame. rep: the rep in progress (None between reps); rep_index: the
    index an issue raised now belongs to (None between reps)."""

    frame: MetricFrame
    side: str
    t: float
    phase: str | None
    view: str | None
    rep: RepInProgress | None
    rep_index: int | None


@dataclass(frozen=True, slots=True)
class RepContext:
    """What a rule sees of a counted rep that just ended."""

    rep: RepFrames
    side: str
    view: str | None


class FormRule(Protocol):
    definition: RuleDef

    def on_frame(self, now: FrameContext) -> FormIssue | None:
        """A new issue when the rule starts failing on this frame."""
        ...

    @property
    def active(self) -> FormIssue | None:
        """The issue while the rule is failing (the cue a UI shows)."""
        ...

    def on_rep(self, rep: RepContext) -> bool:
        """True when the finished rep fails this rule."""
        ...

    def on_gap(self, gap_s: float) -> None:
        """A frame that could not be measured, gap_s into a stretch of them."""
        ...

    def reset(self) -> None: ...


class BaseRule:
    """A rule of one definition: its RuleDef and its compiled condition per body side; every hook a no-op."""

    def __init__(self, definition: RuleDef, tests: Mapping[str, Callable[[Any], Any]]) -> None:
        self.definition = definition
        self.tests = dict(tests)
        self.reset()

    def on_frame(self, now: FrameContext) -> FormIssue | None:
        return None

    @property
    def active(self) -> FormIssue | None:
        return None

    def on_rep(self, rep: RepContext) -> bool:
        return False

    def on_gap(self, gap_s: float) -> None:
        pass

    def reset(self) -> None:
        pass


class LiveRule(BaseRule):
    """A `form:` rule: cues once when its condition has held for hold_s (in its states and views), stays
    active while it holds, and clears after release_s without it. A rep carries the rule when it held for
    hold_s within the rep."""

    def reset(self) -> None:
        self.true_since: float | None = None
        self.false_since: float | None = None
        self.issue: FormIssue | None = None

    @property
    def active(self) -> FormIssue | None:
        return self.issue

    def on_frame(self, now: FrameContext) -> FormIssue | None:
        rule, t = self.definition, now.t
        applicable = (not rule.during or now.phase in rule.during) and (not rule.views or now.view in rule.views)
        if not (applicable and bool(self.tests[now.side](now.frame))):
            self.true_since = None
            if self.issue is not None:
                if self.false_since is None:
                    self.false_since = t
                if t - self.false_since >= rule.release_s:
                    self.issue = None
                    self.false_since = None
            return None
        self.false_since = None
        if self.true_since is None:
            self.true_since = t
        new = None
        if self.issue is None and t - self.true_since >= rule.hold_s:
            self.issue = new = FormIssue(rule.id, rule.message, rule.severity, t, now.rep_index)
        if now.rep is not None and t - max(self.true_since, now.rep.start_t) >= rule.hold_s:
            now.rep.flag(rule.id)
        return new

    def on_gap(self, gap_s: float) -> None:
        if gap_s > RULE_GAP_S:
            self.true_since = None


class RepCheck(BaseRule):
    """A `rep_checks:` rule: judges a counted rep over all its frames when it ends (in its views)."""

    def on_rep(self, rep: RepContext) -> bool:
        if self.definition.views and rep.view not in self.definition.views:
            return False
        try:
            return bool(self.tests[rep.side](rep.rep))
        except (OverflowError, ValueError, TypeError, ZeroDivisionError):
            return False


# The definition's rule sections (ExerciseDefinition fields of RuleDefs) -> the class that runs their rules.
RULE_TYPES: dict[str, type[BaseRule]] = {"form": LiveRule, "rep_checks": RepCheck}


def build_rules(definition: ExerciseDefinition) -> tuple[FormRule, ...]:
    """Fresh rules (with their own state) for one tracker of `definition`, section by section in file order."""
    return tuple(
        rule_type(rule, {side: program.tests[rule.id] for side, program in definition.programs.items()})
        for section, rule_type in RULE_TYPES.items()
        for rule in getattr(definition, section)
    )


def form_score(issues: Iterable[str], rules: Iterable[FormRule]) -> float:
    """100 minus the penalty of each issue (rule ids; ids of no rule cost nothing), at least 0."""
    penalties = {r.definition.id: r.definition.penalty for r in rules}
    return max(0.0, 100.0 - sum(penalties.get(i, 0.0) for i in issues))

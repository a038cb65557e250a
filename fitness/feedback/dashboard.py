"""The terminal UIs of a session: a rich live dashboard, and plain progress lines when stdout is no terminal.

The only module (with summary_view.py) that uses rich. Both read Snapshots and keep only what they show.
"""

from __future__ import annotations

import math
import sys
from collections.abc import Mapping
from typing import TextIO

from rich.console import Console, Group, RenderableType
from rich.live import Live
from rich.panel import Panel
from rich.progress_bar import ProgressBar
from rich.table import Table
from rich.text import Text

from fitness.exercise.events import RepEvent
from fitness.feedback.pass_progress import WHAT as PASS_WHAT
from fitness.feedback.pass_progress import PassProgress, PlainPassLines
from fitness.feedback.plan_words import plan_rest_words, plan_status_words
from fitness.feedback.snapshot import NOBODY_MESSAGE, NullUI, SessionUI, Snapshot
from fitness.feedback.wording import limbs_words, metric_label, phase_words, set_words, workout_words
from fitness.text import printable
from fitness.units import format_value

__all__ = ["BAR_WIDTH", "ENDED_MESSAGE", "Dashboard", "LiveDashboard", "NullUI", "PlainProgress", "SessionUI",
           "big_number", "format_latency", "format_tempo"]

# Seven-segment digits, three text rows each: readable from a few steps away from the screen.
_SEGMENTS = {
    "0": (" _ ", "| |", "|_|"),
    "1": ("   ", "  |", "  |"),
    "2": (" _ ", " _|", "|_ "),
    "3": (" _ ", " _|", " _|"),
    "4": ("   ", "|_|", "  |"),
    "5": (" _ ", "|_ ", " _|"),
    "6": (" _ ", "|_ ", "|_|"),
    "7": (" _ ", "  |", "  |"),
    "8": (" _ ", "|_|", "|_|"),
    "9": (" _ ", "|_|", " _|"),
}
BAR_WIDTH = 30


def big_number(n: int) -> Text:
    """`n` in three-row seven-segment digits."""
    digits = str(max(0, int(n)))
    rows = ["  ".join(_SEGMENTS[d][r] for d in digits) for r in range(3)]
    return Text("\n".join(rows), style="bold")


def format_tempo(rep: RepEvent) -> str:
    """Phase durations in order (e.g. 1.1/0.3/0.8 s), or the rep's duration when it has no phases."""
    parts = [v for v in rep.phases.values() if v is not None and math.isfinite(v)]
    if not parts:
        return f"{rep.duration_s:.1f} s"
    return "/".join(f"{v:.1f}" for v in parts) + " s"


def format_latency(fps: float, latency_ms: Mapping[str, float]) -> str:
    """"29.7 fps · decode 1.2 · pose 21.5 ms": frame rate, then each stage's milliseconds."""
    head = f"{fps:.1f} fps" if math.isfinite(fps) else "— fps"
    stages = " · ".join(f"{name} {ms:.1f}" for name, ms in latency_ms.items() if math.isfinite(ms))
    return f"{head} · {stages} ms" if stages else head


ENDED_MESSAGE = "Session ended"


def _title(snap: Snapshot) -> Text:
    """The panel title; a Text, so an exercise title from a file is never read as rich markup."""
    return Text(f"fitness · {printable(snap.title or snap.exercise)}")


class Dashboard:
    """The live view: `update(snapshot)` each frame, rendered by rich through `__rich__`.

    It remembers the no-rep reasons seen so far (a Snapshot only carries the last rep). After `end()` it shows
    the last counts without the live messages (cues, setup guidance, nobody in view), which no longer hold.
    """

    def __init__(self, snapshot: Snapshot | None = None) -> None:
        self.snapshot: Snapshot | None = None
        self.ended = False
        # Replaced, never mutated, so rich's refresh thread always reads a consistent dict.
        self.no_rep_reasons: dict[str, int] = {}
        self._last_rep_index = 0
        if snapshot is not None:
            self.update(snapshot)

    def update(self, snapshot: Snapshot) -> None:
        rep = snapshot.last_rep
        if rep is not None and rep.index > self._last_rep_index:
            self._last_rep_index = rep.index
            if not rep.counted:
                reason = rep.reason or "not counted"
                self.no_rep_reasons = {**self.no_rep_reasons, reason: self.no_rep_reasons.get(reason, 0) + 1}
        self.snapshot = snapshot

    def end(self) -> None:
        self.ended = True

    def __rich__(self) -> RenderableType:
        snap = self.snapshot
        if snap is None:
            return Panel(Text("Starting…"), title="fitness")
        if snap.pass_progress is not None:
            return self._pass_panel(snap, snap.pass_progress)
        step = snap.step
        info = Table.grid(padding=(0, 2))
        info.add_column(style="dim", no_wrap=True)
        info.add_column()
        if snap.plan is not None:
            info.add_row("plan", plan_status_words(snap.plan))
            rest = plan_rest_words(snap.plan)
            if rest:
                info.add_row("", rest)
        if snap.workout is not None:
            info.add_row("exercise", workout_words(snap.workout))
            info.add_row("set", set_words(snap.set_index, snap.workout).removeprefix("set "))
        else:
            info.add_row("set", str(snap.set_index))
        info.add_row("phase", phase_words(step.phase))
        if step.hold_s > 0:
            info.add_row("held", f"{step.hold_s:.1f} s")
        if step.reps_by_side:
            info.add_row("sides", "  ".join(f"{k} {v}" for k, v in sorted(step.reps_by_side.items())))
        limbs = limbs_words(step.limbs)
        if limbs:
            info.add_row("limbs", limbs)
        for name, value in step.signals.values.items():
            label = metric_label(name)
            if label is not None:
                info.add_row(label, format_value(name, value))
        if snap.main_signal and math.isfinite(step.progress):
            info.add_row("range", self._range_bar(step.progress))
        if snap.last_rep is not None:
            rep = snap.last_rep
            verdict = "counted" if rep.counted else f"no-rep ({rep.reason or '?'})"
            info.add_row("last rep", f"#{rep.index} {verdict} · score {rep.score:.0f} · tempo {format_tempo(rep)}")
        if self.no_rep_reasons:
            info.add_row("no-reps", ", ".join(f"{k} ×{v}" for k, v in sorted(self.no_rep_reasons.items())))

        counter = Table.grid()
        counter.add_row(big_number(step.reps))
        counter.add_row(Text(f"reps   no-reps {step.no_reps}", style="dim"))
        top = Table.grid(padding=(0, 4))
        top.add_row(counter, info)
        speed = Text(f"speed {format_latency(snap.fps, snap.latency_ms)}", style="dim")
        messages = [Text(ENDED_MESSAGE, style="bold")] if self.ended else self._messages(snap)
        people = [self._people_table(snap)] if snap.people else []
        return Panel(Group(top, *people, *messages, speed), title=_title(snap))

    @staticmethod
    def _people_table(snap: Snapshot) -> RenderableType:
        """With several people counted: a row each, left to right (name or id, reps, no-reps, phase)."""
        table = Table(box=None, padding=(0, 2), show_edge=False)
        for column in ("person", "reps", "no-reps", "phase"):
            table.add_column(column, style="dim" if column == "phase" else None,
                             justify="right" if "reps" in column else "left")
        for view in snap.people:
            table.add_row(Text(view.label, style="bold"), str(view.reps), str(view.no_reps), phase_words(view.phase))
        return table

    @staticmethod
    def _pass_panel(snap: Snapshot, progress: PassProgress) -> RenderableType:
        """While poses are found in a recording: a bar with frames, percent and time left (pulsing when the
        file does not say how many frames it has)."""
        fraction = progress.fraction
        bar = ProgressBar(total=None if fraction is None else 1.0, completed=fraction or 0.0, width=BAR_WIDTH)
        row = Table.grid(padding=(0, 1))
        row.add_row(bar, Text(progress.counted()))
        speed = Text(f"speed {format_latency(snap.fps, snap.latency_ms)}", style="dim")
        lines = (Text(f"{PASS_WHAT}; counting follows", style="cyan"), row, speed)
        return Panel(Group(*lines), title=_title(snap))

    @staticmethod
    def _range_bar(progress: float) -> RenderableType:
        """How far this rep has gone: 0 at rest, 100% as far as a full rep goes (the last one that reached the
        target)."""
        done = min(1.0, max(0.0, progress))
        row = Table.grid(padding=(0, 1))
        row.add_row(ProgressBar(total=1.0, completed=done, width=BAR_WIDTH), Text(f"{done:.0%} of full range"))
        return row

    @staticmethod
    def _messages(snap: Snapshot) -> list[Text]:
        step = snap.step
        lines: list[Text] = []
        for cue in step.active:
            color = {"info": "cyan", "warning": "yellow", "error": "bold red"}.get(cue.severity, "yellow")
            lines.append(Text(f"▲ {cue.message}", style=color))
        before_first_rep = step.reps + step.no_reps == 0
        if step.guidance:
            lines.append(Text(f"{'Setup: ' if before_first_rep else ''}{step.guidance}", style="cyan"))
        elif snap.pose is None:
            lines.append(Text(NOBODY_MESSAGE, style="cyan"))
        if snap.notice:
            lines.append(Text(snap.notice, style="magenta"))
        return lines


class LiveDashboard:
    """The Dashboard inside rich's Live display (redrawn in place, ~10 times a second)."""

    def __init__(self, console: Console | None = None, refresh_per_second: float = 10.0) -> None:
        self.dashboard = Dashboard()
        self._live = Live(self.dashboard, console=console, refresh_per_second=refresh_per_second, transient=False)

    def start(self) -> None:
        self._live.start()

    def update(self, snapshot: Snapshot) -> None:
        self.dashboard.update(snapshot)

    def stop(self) -> None:
        self.dashboard.end()
        self._live.stop()  # draws the final state once more


class PlainProgress:
    """One plain line per event (rep, no-rep, new cue) and a status line every `every_s` seconds of source time;
    while poses are found in a recording, a line every tenth of it.

    For logs and pipes: no escape codes, no redrawing.
    """

    def __init__(self, stream: TextIO | None = None, every_s: float = 10.0) -> None:
        self.stream = stream or sys.stdout
        self.every_s = every_s
        self._last_rep_index = 0
        self._next_status_t: float | None = None
        self._active: frozenset[str] = frozenset()
        self._notice: str | None = None
        self._last_t: float | None = None
        self._pass_lines = PlainPassLines(every_s)
        self._plan_at: tuple[int | None, int] | None = None  # the plan's (block, set) last said

    def _print(self, t: float, text: str) -> None:
        print(f"[{t:7.1f}s] {text}", file=self.stream, flush=True)

    def start(self) -> None:
        pass

    def update(self, snapshot: Snapshot) -> None:
        step = snapshot.step
        if snapshot.pass_progress is not None:
            line = self._pass_lines.line(snapshot.pass_progress, step.t)
            if line is not None:
                self._print(step.t, line)
            return
        rep = snapshot.last_rep
        if rep is not None and rep.index > self._last_rep_index:
            self._last_rep_index = rep.index
            if rep.counted:
                side = f" {rep.side}" if rep.side else ""
                self._print(step.t, f"rep {step.reps}{side}: score {rep.score:.0f}, tempo {format_tempo(rep)}")
            else:
                self._print(step.t, f"no-rep ({rep.reason or 'not counted'})")
        active = frozenset(cue.rule_id for cue in step.active)
        for cue in step.active:
            if cue.rule_id not in self._active:
                self._print(step.t, f"cue: {cue.message}")
        self._active = active
        if snapshot.notice and snapshot.notice != self._notice:
            self._print(step.t, snapshot.notice)
        self._notice = snapshot.notice
        plan = snapshot.plan
        if plan is not None and (plan.block_index, plan.set_number) != self._plan_at:
            if self._plan_at is not None:  # the plan moved on: a set closed, or the next exercise began
                self._print(step.t, f"plan: {plan_status_words(plan)}")
            self._plan_at = (plan.block_index, plan.set_number)
        if self._next_status_t is None or (self._last_t is not None and step.t < self._last_t):
            self._next_status_t = step.t  # first frame, or a second pass over the recording restarts time
        self._last_t = step.t
        if step.t >= self._next_status_t:
            self._next_status_t = step.t + self.every_s
            status = (f"reps {step.reps}, no-reps {step.no_reps}, {phase_words(step.phase)}, "
                      f"{format_latency(snapshot.fps, {})}")
            if snapshot.people:
                status += "; " + ", ".join(f"{v.label} {v.reps}" for v in snapshot.people)
            if snapshot.plan is not None:
                rest = plan_rest_words(snapshot.plan)
                status += f"; plan: {plan_status_words(snapshot.plan)}" + (f", {rest}" if rest else "")
            if snapshot.pose is None:
                status += " (nobody in view)"
            elif step.guidance and step.reps + step.no_reps == 0:
                status += f" (setup: {step.guidance})"
            self._print(step.t, status)

    def stop(self) -> None:
        pass

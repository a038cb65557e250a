"""The end-of-session report in the terminal: totals, no-rep reasons, one row per rep, top issues."""

from __future__ import annotations

from collections import Counter

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from fitness.feedback.dashboard import format_tempo
from fitness.session.summary import WorkoutSummary
from fitness.text import printable
from fitness.units import fixed, format_range

TOP_ISSUES = 5


class SummaryView:
    """Renders a WorkoutSummary with rich (`console.print(SummaryView(summary))`)."""

    def __init__(self, summary: WorkoutSummary) -> None:
        self.summary = summary

    def __rich__(self) -> RenderableType:
        s = self.summary
        head = Text()
        head.append(printable(s.title or s.exercise), style="bold")
        head.append(f"  {printable(s.source)} · {printable(s.model)} · {fixed(s.duration_s)} s · {s.frames} frames")
        if s.interrupted:
            head.append("  (ended early)", style="yellow")
        totals = Text()
        totals.append(f"Reps: {s.reps}", style="bold green")
        reasons = Counter(printable(r.reason or "not counted") for r in s.rep_details if not r.counted)
        totals.append(f"   No-reps: {s.no_reps}")
        if reasons:
            totals.append(" (" + ", ".join(f"{k} ×{v}" for k, v in sorted(reasons.items())) + ")")
        if s.reps_by_side:
            totals.append("   " + "  ".join(f"{printable(k)} {v}" for k, v in sorted(s.reps_by_side.items())))
        if s.hold_s is not None:
            totals.append(f"   Held in good form: {fixed(s.hold_s)} s")
        if len(s.sets) > 1:
            totals.append(f"   Sets: {len(s.sets)} (" + ", ".join(str(x.reps) for x in s.sets) + " reps)")
        parts: list[RenderableType] = [head, totals]
        if s.rep_details:
            parts.append(self._reps_table())
        if s.issues:
            parts.append(self._issues_table())
        elif s.rep_details:
            parts.append(Text("No form issues. Well done.", style="green"))
        return Group(*parts)

    def _reps_table(self) -> Table:
        table = Table(title="Reps", title_justify="left", show_edge=False)
        for name, justify in (("#", "right"), ("set", "right"), ("result", "left"), ("score", "right"),
                              ("tempo", "right"), ("range", "right"), ("issues", "left")):
            table.add_column(name, justify=justify)
        for rep in self.summary.rep_details:
            result = "✓" if rep.counted else f"✗ {printable(rep.reason or '')}".rstrip()
            if rep.side:
                result += f" {printable(rep.side)}"
            rom = format_range(rep.signal, *rep.rom)
            # Text cells: names from files and imports are shown as they are, never read as rich markup.
            table.add_row(str(rep.index), str(rep.set_index), Text(result), fixed(rep.score, 0), format_tempo(rep),
                          rom, Text(printable(", ".join(rep.issues))))
        return table

    def _issues_table(self) -> Table:
        table = Table(title="Top issues", title_justify="left", show_edge=False)
        table.add_column("issue")
        table.add_column("times", justify="right")
        for rule_id, count in sorted(self.summary.issues.items(), key=lambda kv: (-kv[1], kv[0]))[:TOP_ISSUES]:
            table.add_row(Text(printable(rule_id)), str(count))
        return table

"""Exports of one session: JSON (the WorkoutSummary, re-importable) and CSV (one row per rep), written
atomically (`fitness.session.outputs.write_atomic`)."""

from __future__ import annotations

import csv
import io
import json
import math
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from fitness.session.analysis import concentric_s, eccentric_s, rom_range
from fitness.session.outputs import write_atomic
from fitness.session.summary import WorkoutSummary

CSV_COLUMNS = (
    "session_id", "exercise", "set", "rep", "side", "counted", "reason", "start_t", "end_t", "duration_s",
    "eccentric_s", "concentric_s", "rom_min", "rom_max", "rom", "score", "issues", "signal",
)


def _cell(x: object) -> object:
    """Empty cell for missing numbers; floats at full precision."""
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return ""
    return repr(x) if isinstance(x, float) else x


def to_csv(summary: WorkoutSummary) -> str:
    """One row per rep (no-reps included); every phase of any rep becomes a `phase_<name>` column too.

    issues: rule ids joined with ';'. Missing numbers are empty cells.
    """
    phase_names = list(dict.fromkeys(name for rep in summary.rep_details for name in rep.phases))
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([*CSV_COLUMNS, *(f"phase_{name}" for name in phase_names)])
    for rep in summary.rep_details:
        row = [
            summary.id, summary.exercise, rep.set_index, rep.index, rep.side, int(rep.counted), rep.reason,
            rep.start_t, rep.end_t, rep.duration_s, eccentric_s(rep), concentric_s(rep), rep.rom[0], rep.rom[1],
            rom_range(rep), rep.score, ";".join(rep.issues), rep.signal,
            *(rep.phases.get(name) for name in phase_names),
        ]
        writer.writerow([_cell(x) for x in row])
    return out.getvalue()


def write_text(text: str, out: str | Path) -> Path:
    return write_atomic(text.encode("utf-8"), out)


def json_with_rows(doc: Mapping[str, Any], key: str, rows: Sequence[Any]) -> str:
    """`doc` as indented JSON with `key` added last, its rows one a line without spaces (a long per-frame list
    stays compact and still reads line by line)."""
    head = json.dumps({k: v for k, v in doc.items() if k != key}, indent=2, allow_nan=False)
    lines = ",\n    ".join(json.dumps(row, separators=(",", ":"), allow_nan=False) for row in rows)
    body = f"[\n    {lines}\n  ]" if rows else "[]"
    return f"{head[:-2]},\n  {json.dumps(key)}: {body}\n}}\n" if head != "{}" else f"{{{json.dumps(key)}: {body}}}\n"


def write_csv(summary: WorkoutSummary, out: str | Path) -> Path:
    return write_text(to_csv(summary), out)


def write_json(summary: WorkoutSummary, out: str | Path) -> Path:
    """The one JSON writer for summaries (`fitness run --json`, `fitness summary --json FILE`): atomic."""
    return write_text(summary.to_json() + "\n", out)

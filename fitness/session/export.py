"""Exports of one session: JSON (the WorkoutSummary, re-importable) and CSV (one row per rep), and the checked,
atomic file writing every export uses (`check_output` up front, `write_atomic` at the end)."""

from __future__ import annotations

import contextlib
import csv
import io
import math
import os
import secrets
import stat
from collections.abc import Mapping
from pathlib import Path

from fitness.errors import HistoryError, UsageError
from fitness.session.analysis import concentric_s, eccentric_s, rom_range
from fitness.session.summary import WorkoutSummary
from fitness.text import printable

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


def check_output(out: str | Path, flag: str, protected: Mapping[Path, str] | None = None) -> Path:
    """The file an export will go to, checked before any work: its folder exists, it is not a folder, and
    it is none of `protected` (path -> what it is, e.g. the history database). Raises UsageError."""
    path = Path(out).expanduser()
    shown = printable(str(path))
    if path.is_dir():
        raise UsageError(f"cannot write {flag} {shown}: it is a folder; give a file name inside it")
    if not path.parent.is_dir():
        raise UsageError(f"cannot write {flag} {shown}: the folder {printable(str(path.parent))} does not exist")
    real = path.resolve()
    for other, what in (protected or {}).items():
        same = real == other.resolve()
        if not same and path.exists() and other.exists():
            same = os.path.samefile(path, other)
        if same:
            raise UsageError(f"{flag} {shown} would overwrite {what}; choose another file")
    return path


def write_atomic(data: bytes, out: str | Path) -> Path:
    """Write `data` to a new file beside `out` and rename it over `out`, so `out` is never half written.

    A new file gets the permissions of any new file (0o666 less the umask); a replaced one keeps its own.
    """
    path = Path(out).expanduser()
    target = Path(os.path.realpath(path))  # through a symlink, replace the file it points to
    shown = printable(str(path))
    tmp = target.with_name(f".{target.name}.{os.getpid()}.{secrets.token_hex(4)}.tmp")
    try:
        mode = stat.S_IMODE(target.stat().st_mode) if target.exists() else None
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)  # the umask applies, as for any new file
        try:
            with os.fdopen(fd, "wb") as f:
                f.write(data)
            if mode is not None:
                os.chmod(tmp, mode)
            os.replace(tmp, target)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
            raise
    except OSError as exc:
        raise HistoryError(f"cannot write {shown}: {exc.strerror or exc}; choose another output path") from exc
    return path


def write_text(text: str, out: str | Path) -> Path:
    """Write an export file atomically, with a HistoryError (not a traceback) when that is impossible."""
    return write_atomic(text.encode("utf-8"), out)


def write_csv(summary: WorkoutSummary, out: str | Path) -> Path:
    return write_text(to_csv(summary), out)


def write_json(summary: WorkoutSummary, out: str | Path) -> Path:
    return write_text(summary.to_json() + "\n", out)

"""`fitness history [delete|import]` and `fitness summary`: printing over fitness.session (no logic here)."""

from __future__ import annotations

import math
import sys
from datetime import date, datetime, time, timezone
from pathlib import Path

from rich.console import Console
from rich.table import Table
from rich.text import Text

from fitness import paths
from fitness.errors import HistoryError, UsageError
from fitness.session.analysis import TREND_SESSIONS, concentric_s, eccentric_s, rep_signal, rom_range, trends
from fitness.session.export import write_csv, write_json
from fitness.session.store import HistoryStore, SessionInfo
from fitness.session.summary import WorkoutSummary
from fitness.session.summary_schema import read_summary_file
from fitness.text import printable

EMPTY = "No sessions in history yet ({path}). Record one with 'fitness run EXERCISE --video FILE' or --camera 0."
# Pipes and files get a fixed width, so tables do not squeeze to 80 columns.
PIPE_WIDTH = 120


def _console() -> Console:
    # markup=False: names and rule ids come from user files and must print as they are ("[" included).
    console = Console(highlight=False, markup=False)
    return console if console.is_terminal else Console(width=PIPE_WIDTH, highlight=False, markup=False)


def _db_path(args) -> Path:
    return Path(args.db).expanduser() if getattr(args, "db", None) else paths.history_db()


def _open_existing(args) -> HistoryStore | None:
    """The store, or None when the database file does not exist yet (reading must not create it)."""
    path = _db_path(args)
    return HistoryStore.open(path) if path.exists() else None


def _local_time(started_at: str) -> str:
    try:
        stamp = datetime.fromisoformat(started_at)
    except ValueError:
        return started_at
    if stamp.tzinfo is not None:
        stamp = stamp.astimezone()
    return stamp.strftime("%Y-%m-%d %H:%M")


def _clock(seconds: float | None) -> str:
    if seconds is None or not math.isfinite(seconds):
        return "-"
    minutes, secs = divmod(int(round(seconds)), 60)
    return f"{minutes}:{secs:02d}"


def _num(x: float | None, digits: int = 1) -> str:
    return "-" if x is None or not math.isfinite(x) else f"{x:.{digits}f}"


def _since_utc(text: str) -> str:
    """--since YYYY-MM-DD (local midnight) or an ISO date-time -> the UTC ISO string history sorts by."""
    try:
        stamp = datetime.combine(date.fromisoformat(text), time())
    except ValueError:
        try:
            stamp = datetime.fromisoformat(text)
        except ValueError:
            raise UsageError(f"--since expects a date like 2024-05-31 (or an ISO date-time), got {text!r}") from None
    if stamp.tzinfo is None:
        stamp = stamp.astimezone()  # naive = the user's local time
    return stamp.astimezone(timezone.utc).isoformat(timespec="seconds")


def _sets_x_reps(info: SessionInfo) -> str:
    if info.hold_s is not None and not info.set_reps:
        return f"hold {_clock(info.hold_s)}"
    sets = info.set_reps
    if not sets:
        return "0"
    if len(set(sets)) == 1:
        return f"{len(sets)} × {sets[0]}"
    return f"{len(sets)} × ({'/'.join(str(n) for n in sets)})"


def list_(args) -> int:
    if args.limit is not None and args.limit < 1:
        raise UsageError(f"--limit must be at least 1, got {args.limit}")
    since = _since_utc(args.since) if args.since else None
    console = _console()
    store = _open_existing(args)
    if store is None:
        console.print(EMPTY.format(path=_db_path(args)))
        return 0
    with store:
        rows = store.list_sessions(exercise=args.exercise, since=since, limit=args.limit)
        total = store.count_sessions()
    if not rows:
        console.print(EMPTY.format(path=store.path) if total == 0 else "No sessions match these filters.")
        return 0
    table = Table(title=f"Workout history ({store.path})", title_justify="left")
    for name, justify in (("id", "right"), ("date", "left"), ("exercise", "left"), ("sets × reps", "left"),
                          ("reps", "right"), ("no-reps", "right"), ("form", "right"), ("duration", "right"), ("", "left")):
        table.add_column(name, justify=justify)
    for info in rows:
        table.add_row(
            str(info.id), _local_time(info.started_at), info.exercise, _sets_x_reps(info), str(info.reps),
            str(info.no_reps), _num(info.mean_score, 0), _clock(info.duration_s),
            "recording/crashed" if not info.finished else ("interrupted" if info.interrupted else ""),
        )
    console.print(table)
    if len(rows) < total:
        console.print(f"{len(rows)} of {total} sessions shown; 'fitness summary ID' shows one in detail.")
    return 0


def _confirm(question: str) -> bool:
    """Ask on stdout, read one line from stdin; EOF, no stdin or anything but y/yes means no."""
    print(f"{question} [y/N] ", end="", flush=True)
    try:
        answer = sys.stdin.readline() if sys.stdin is not None else ""
    except (OSError, ValueError):
        answer = ""
    if not answer.endswith("\n"):
        print()  # a typed answer ended the line already; EOF did not
    return answer.strip().lower() in ("y", "yes")


def delete(args) -> int:
    store = _open_existing(args)
    if store is None:
        raise HistoryError(f"no session {args.id}: the history {_db_path(args)} does not exist yet")
    with store:
        session = store.get(args.id)
        what = f"session {session.id} ({session.exercise}, {_local_time(session.started_at)}, {session.reps} reps)"
        if not args.yes and not _confirm(f"Delete {what} for good?"):
            print("Nothing deleted.")
            return 1
        store.delete(args.id)
    print(f"Deleted {what}.")
    return 0


def import_(args) -> int:
    path = Path(args.file).expanduser()
    summary = read_summary_file(path)
    with HistoryStore.open(_db_path(args)) as store:
        stored = store.import_summary(summary)
    print(f"Imported {printable(str(path))} as session {stored.id} ({stored.exercise}, {stored.reps} reps) into {store.path}.")
    return 0


def summary(args) -> int:
    console = _console()
    store = _open_existing(args)
    if store is None:
        if args.id.strip().lower() != "last":
            raise HistoryError(f"no session {args.id}: the history {_db_path(args)} does not exist yet")
        console.print(EMPTY.format(path=_db_path(args)))
        return 0
    with store:
        session = store.resolve(args.id)
        if session is None:
            console.print(EMPTY.format(path=store.path))
            return 0
        earlier = store.earlier(session, limit=TREND_SESSIONS)
    json_to_stdout = args.json == "-"
    if json_to_stdout:
        sys.stdout.write(session.to_json() + "\n")
    else:
        _print_summary(console, session, earlier)
    # Notes about written files go to stderr when stdout carries the JSON.
    note = (lambda msg: print(msg, file=sys.stderr)) if json_to_stdout else console.print
    if args.json and not json_to_stdout:
        note(f"Wrote JSON to {write_json(session, args.json)}")
    if args.csv:
        note(f"Wrote CSV to {write_csv(session, args.csv)}")
    if args.plot:
        from fitness.session.plot import plot_summary  # matplotlib only when asked for

        note(f"Wrote plot to {plot_summary(session, args.plot)}")
    return 0


def _print_summary(console: Console, s: WorkoutSummary, earlier: list[WorkoutSummary]) -> None:
    title = f"{s.title} ({s.exercise})" if s.title and s.title != s.exercise else s.exercise
    state = ("  interrupted", "bold") if s.interrupted else ""
    console.print(Text.assemble((f"Session {s.id}", "bold"), f": {title}, {_local_time(s.started_at)}", state))
    console.print(
        f"{s.reps} reps, {s.no_reps} no-reps in {len(s.sets)} set(s); duration {_clock(s.duration_s)}"
        + (f", held {_num(s.hold_s)} s in good form" if s.hold_s is not None else "")
        + (f"; by side: {', '.join(f'{k} {v}' for k, v in s.reps_by_side.items())}" if s.reps_by_side else "")
    )
    console.print(f"source: {s.source or '-'}   model: {s.model or '-'}   frames: {s.frames} @ {_num(s.fps)} fps")
    if s.sets:
        table = Table(title="Sets", title_justify="left")
        for name in ("set", "reps", "no-reps", "start", "end", "duration", "rest before"):
            table.add_column(name, justify="right")
        previous_end = None
        for st in s.sets:
            rest = _clock(st.start_t - previous_end) if previous_end is not None else "-"
            table.add_row(str(st.index), str(st.reps), str(st.no_reps), _clock(st.start_t), _clock(st.end_t),
                          f"{_num(st.end_t - st.start_t)} s", rest)
            previous_end = st.end_t
        console.print(table)
    if s.rep_details:
        signal = rep_signal(s)
        table = Table(title="Reps" + (f" (range of motion of {signal})" if signal else ""), title_justify="left")
        for name, justify in (("set", "right"), ("rep", "right"), ("side", "left"), ("result", "left"),
                              ("time s", "right"), ("ecc s", "right"), ("con s", "right"), ("ROM", "right"),
                              ("range", "right"), ("score", "right"), ("issues", "left")):
            table.add_column(name, justify=justify)
        for r in s.rep_details:
            result = Text("rep", style="green") if r.counted else Text.assemble(("no-rep", "red"), f" {r.reason or ''}".rstrip())
            table.add_row(
                str(r.set_index), str(r.index), r.side or "", result, _num(r.duration_s), _num(eccentric_s(r)),
                _num(concentric_s(r)), f"{_num(r.rom[0], 0)}–{_num(r.rom[1], 0)}", _num(rom_range(r), 0),
                _num(r.score, 0), ", ".join(r.issues),
            )
        console.print(table)
    if s.issues:
        console.print("Form issues: " + ", ".join(f"{rule} × {n}" for rule, n in sorted(s.issues.items(), key=lambda kv: -kv[1])))
    if earlier:
        table = Table(title=f"Trend against your earlier {s.exercise} sessions", title_justify="left")
        for name, justify in (("metric", "left"), ("this session", "right"), ("previous", "right"),
                              (f"mean of last {len(earlier)}", "right"), ("change", "right")):
            table.add_column(name, justify=justify)
        for tr in trends(s, earlier):
            change = "-" if not math.isfinite(tr.change) else f"{tr.change:+.1f}"
            table.add_row(tr.metric, _num(tr.current), _num(tr.previous), _num(tr.baseline), change)
        console.print(table)
    else:
        console.print(f"No earlier {s.exercise} sessions to compare with yet.")

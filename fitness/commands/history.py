"""`fitness history [delete|import]` and `fitness summary`: printing over fitness.session (no logic here)."""

from __future__ import annotations

import math
import sys
from datetime import UTC, date, datetime, time
from pathlib import Path

from rich.console import Console
from rich.table import Table
from rich.text import Text

from fitness import paths
from fitness.errors import HistoryError, UsageError
from fitness.feedback.plan_words import exercise_words, kg_words
from fitness.session.analysis import TREND_SESSIONS, Trend, concentric_s, eccentric_s, rep_signal, rom_range, trends
from fitness.session.exercise_trends import best_sets, weekly
from fitness.session.export import write_csv, write_json
from fitness.session.outputs import check_outputs, history_files
from fitness.session.store import HistoryStore, SessionInfo
from fitness.session.summary import WorkoutSummary, local_time
from fitness.session.summary_schema import read_summary_file
from fitness.text import printable
from fitness.units import fixed, format_range, format_value, metric_label, signed

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
    stamp = local_time(started_at)
    return stamp.strftime("%Y-%m-%d %H:%M") if stamp is not None else printable(started_at)


def _clock(seconds: float | None) -> str:
    if seconds is None or not math.isfinite(seconds):
        return "-"
    minutes, secs = divmod(int(round(seconds)), 60)
    return f"{minutes}:{secs:02d}"


def _num(x: float | None, digits: int = 1) -> str:
    return fixed(x, digits, missing="-")


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
    return stamp.astimezone(UTC).isoformat(timespec="seconds")


def _x_reps(sets: tuple[int | str, ...]) -> str:
    if len(set(sets)) == 1:
        return f"{len(sets)} × {sets[0]}"
    return f"{len(sets)} × ({'/'.join(str(n) for n in sets)})"


def _sets_x_reps(info: SessionInfo) -> str:
    """ "2 × (3/3)" for a session of one exercise; a workout's sets by exercise: "squats 3 × 10, push-ups 2 × 8",
    a hold's sets by their seconds held: "plank 2 × (0:30/0:25)"."""
    holds = info.set_holds if len(info.set_holds) == len(info.set_reps) else ()
    if info.hold_s is not None and (not info.set_reps or len(info.set_reps) == 1 and holds):
        return f"hold {_clock(info.hold_s)}"
    sets = tuple(_clock(h) if h is not None else n for n, h in zip(info.set_reps, holds)) or info.set_reps
    if not sets:
        return "0"
    names = info.set_exercises if len(info.set_exercises) == len(sets) else ()
    if all(name in ("", info.exercise) for name in names):
        return _x_reps(sets)
    runs: list[tuple[str, list[int | str]]] = []  # consecutive sets of one exercise
    for name, reps in zip(names, sets):
        if runs and runs[-1][0] == name:
            runs[-1][1].append(reps)
        else:
            runs.append((name, [reps]))
    return ", ".join(f"{exercise_words(printable(name or '?'))} {_x_reps(tuple(reps))}" for name, reps in runs)


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
    notes = [_state(info) for info in rows]
    columns = [("id", "right"), ("date", "left"), ("exercise", "left"), ("sets × reps", "left"), ("reps", "right"),
               ("no-reps", "right"), ("form", "right"), ("duration", "right")]
    for name, justify in columns + ([("note", "left")] if any(notes) else []):
        table.add_column(name, justify=justify)
    for info, note in zip(rows, notes):
        table.add_row(
            str(info.id), _local_time(info.started_at), _what(info), _sets_x_reps(info), str(info.reps),
            str(info.no_reps), _num(info.mean_score, 0), _clock(info.duration_s), *([note] if any(notes) else []),
        )
    console.print(table)
    if len(rows) < total:
        console.print(f"{len(rows)} of {total} sessions shown; 'fitness summary ID' shows one in detail.")
    return 0


def _what(info: SessionInfo) -> str:
    """The exercise of a session; a workout says its kind ("plan legs", "workout"), a person of a group run who."""
    if info.kind == "plan":
        what = f"plan {printable(info.plan_name or info.exercise)}"
    elif info.kind == "auto":
        what = "workout"
    else:
        what = printable(info.exercise)
    return what + (f" (person {printable(info.person)})" if info.person else "")


def _state(info: SessionInfo) -> str:
    """The note of a session that did not end normally ("" for one that did)."""
    if not info.finished:
        return "recording now" if info.recording else "crashed"
    return "interrupted" if info.interrupted else ""


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
        when = _local_time(session.started_at)
        what = f"session {session.id} ({printable(session.exercise)}, {when}, {session.reps} reps)"
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
    print(f"Imported {printable(str(path))} as session {stored.id} ({stored.exercise}, {stored.reps} reps) "
          f"into {store.path}.")
    return 0


def _outputs(args) -> dict[str, Path]:
    """The export files asked for ({"JSON": path, ...}), checked before anything is read or printed: each
    goes into an existing, writable folder, is no folder itself, and overwrites neither the history nor
    another export."""
    asked = {"JSON": ("--json", None if args.json in (None, "-") else args.json), "CSV": ("--csv", args.csv),
             "Plot": ("--plot", args.plot)}
    check_outputs({flag: out for flag, out in asked.values()}, history_files(_db_path(args)))
    return {kind: Path(out).expanduser() for kind, (_, out) in asked.items() if out is not None}


def summary(args) -> int:
    outputs = _outputs(args)
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
        recording = store.is_recording(session.id)
    json_to_stdout = args.json == "-"
    if json_to_stdout:
        sys.stdout.write(session.to_json() + "\n")
    elif not outputs:
        _print_summary(console, session, earlier, recording)
    # With files to write, only a line per file; those lines go to stderr when stdout carries the JSON.
    note = (lambda msg: print(msg, file=sys.stderr)) if json_to_stdout else console.print
    for kind, path in outputs.items():
        if kind == "JSON":
            written = write_json(session, path)
        elif kind == "CSV":
            written = write_csv(session, path)
        else:
            from fitness.session.plot import plot_summary  # matplotlib only when asked for

            written = plot_summary(session, path)
        note(f"{kind} written to {printable(str(written))}")
    return 0


def _trend_cells(tr: Trend) -> tuple[str, str, str, str]:
    """this session, previous, mean, change; counts print as whole numbers (their mean only when it is one)."""
    if tr.count:
        mean_digits = 0 if math.isfinite(tr.baseline) and tr.baseline.is_integer() else 1
        return _num(tr.current, 0), _num(tr.previous, 0), _num(tr.baseline, mean_digits), signed(tr.change, 0, "-")
    return _num(tr.current), _num(tr.previous), _num(tr.baseline), signed(tr.change, 1, "-")


def _print_summary(console: Console, s: WorkoutSummary, earlier: list[WorkoutSummary], recording: bool = False) -> None:
    exercise, title = printable(s.exercise), printable(s.title)
    head = f"{title} ({exercise})" if title and title != exercise else exercise
    state = ("  recording now", "bold") if recording else (("  interrupted", "bold") if s.interrupted else "")
    console.print(Text.assemble((f"Session {s.id}", "bold"), f": {head}, {_local_time(s.started_at)}", state))
    sides = ", ".join(f"{printable(k)} {v}" for k, v in s.reps_by_side.items())
    console.print(
        f"{s.reps} reps, {s.no_reps} no-reps in {len(s.sets)} set(s); duration {_clock(s.duration_s)}"
        + (f", held {_num(s.hold_s)} s in good form" if s.hold_s is not None else "")
        + (f"; by side: {sides}" if sides else "")
    )
    source, model = printable(s.source) or "-", printable(s.model) or "-"
    console.print(f"source: {source}   model: {model}   frames: {s.frames} @ {_num(s.fps)} fps")
    if s.sets:
        # A workout of several exercises names each set's exercise.
        several = any(st.exercise not in ("", s.exercise) for st in s.sets)
        table = Table(title="Sets", title_justify="left")
        held = any(st.hold_s is not None for st in s.sets)
        for name in ("set", *(("exercise",) if several else ()), "reps", *(("held s",) if held else ()), "no-reps",
                     "start", "end", "duration", "rest before"):
            table.add_column(name, justify="left" if name == "exercise" else "right")
        previous_end = None
        for st in s.sets:
            rest = _clock(st.start_t - previous_end) if previous_end is not None else "-"
            table.add_row(str(st.index), *((exercise_words(printable(st.exercise or "?")),) if several else ()),
                          str(st.reps), *((_num(st.hold_s) if st.hold_s is not None else "-",) if held else ()),
                          str(st.no_reps), _clock(st.start_t), _clock(st.end_t),
                          f"{_num(st.end_t - st.start_t)} s", rest)
            previous_end = st.end_t
        console.print(table)
    if s.plan:
        _print_plan(console, s.plan)
    if s.rep_details:
        signal = rep_signal(s)
        label = metric_label(printable(signal))
        table = Table(title="Reps" + (f" · range of motion as {label}" if signal else ""), title_justify="left")
        for name, justify in (("set", "right"), ("rep", "right"), ("side", "left"), ("result", "left"),
                              ("time s", "right"), ("ecc s", "right"), ("con s", "right"), ("ROM", "right"),
                              ("range", "right"), ("score", "right"), ("issues", "left")):
            table.add_column(name, justify=justify)
        for r in s.rep_details:
            reason = f" {printable(r.reason or '')}".rstrip()
            result = Text("rep", style="green") if r.counted else Text.assemble(("no-rep", "red"), reason)
            table.add_row(
                str(r.set_index), str(r.index), printable(r.side or ""), result, _num(r.duration_s),
                _num(eccentric_s(r)), _num(concentric_s(r)), format_range(r.signal or signal, *r.rom, missing="-"),
                format_value(r.signal or signal, rom_range(r), missing="-"), _num(r.score, 0),
                printable(", ".join(r.issues)),
            )
        console.print(table)
    if s.issues:
        ranked = sorted(s.issues.items(), key=lambda kv: -kv[1])
        console.print("Form issues: " + ", ".join(f"{printable(rule)} × {n}" for rule, n in ranked))
    if earlier:
        table = Table(title=f"Trend against your earlier {exercise} sessions", title_justify="left")
        for name, justify in (("metric", "left"), ("this session", "right"), ("previous", "right"),
                              (f"mean of last {len(earlier)}", "right"), ("change", "right")):
            table.add_column(name, justify=justify)
        for tr in trends(s, earlier):
            table.add_row(printable(tr.metric), *_trend_cells(tr))
        console.print(table)
    else:
        console.print(f"No earlier {exercise} sessions to compare with yet.")


def _print_plan(console: Console, plan: dict) -> None:
    """A plan workout's blocks, planned vs done, and its volume."""
    title = printable(str(plan.get("title") or plan.get("name", "")))
    table = Table(title=f"Plan {title}: planned vs done", title_justify="left")
    for name, justify in (("#", "right"), ("exercise", "left"), ("planned", "right"), ("done", "right"),
                          ("", "left"), ("volume", "right")):
        table.add_column(name, justify=justify)
    for block in plan.get("blocks", ()):
        hold = block.get("planned_reps") is None
        per_set = f"{_num(block.get('planned_hold_s'), 0)} s" if hold else str(block.get("planned_reps"))
        load = f" @ {kg_words(block['load_kg'])}" if block.get("load_kg") is not None else ""
        done = block.get("done", ())
        done_text = "/".join(f"{_num(x, 0)} s" if hold else str(x) for x in done) or "-"
        volume = kg_words(block["volume_kg"]) if block.get("volume_kg") is not None else "-"
        table.add_row(str(block.get("index", 0) + 1), exercise_words(printable(str(block.get("exercise", "")))),
                      f"{block.get('planned_sets')} × {per_set}{load}", done_text,
                      "done" if block.get("complete") else f"{len(done)} of {block.get('planned_sets')} sets",
                      volume)
    console.print(table)
    extra = plan.get("extra_sets") or []
    console.print(f"Volume: {kg_words(plan.get('volume_kg', 0))}"
                  + (f"; sets outside the plan: {', '.join(str(i) for i in extra)}" if extra else ""))


def trends_(args) -> int:
    """Per exercise across workouts (from sets): weekly sets, reps, volume, best set and average form score."""
    since = _since_utc(args.since) if getattr(args, "since", None) else None
    console = _console()
    store = _open_existing(args)
    if store is None:
        console.print(EMPTY.format(path=_db_path(args)))
        return 0
    with store:
        sets = store.exercise_sets(exercise=getattr(args, "exercise", None), since=since)
    if not sets:
        console.print("No sets in history match these filters.")
        return 0
    table = Table(title="Trends per exercise, by week", title_justify="left")
    for name, justify in (("exercise", "left"), ("week", "left"), ("workouts", "right"), ("sets", "right"),
                          ("reps", "right"), ("volume", "right"), ("best set", "right"), ("form", "right")):
        table.add_column(name, justify=justify)
    for week in weekly(sets):
        table.add_row(exercise_words(printable(week.exercise)), week.week, str(week.workouts), str(week.sets),
                      str(week.reps), kg_words(week.volume_kg) if week.volume_kg else "-", str(week.best_set),
                      _num(week.mean_score, 0))
    console.print(table)
    for exercise, best in sorted(best_sets(sets).items()):
        load = f" @ {kg_words(best.load_kg)}" if best.load_kg is not None else ""
        console.print(f"Best {exercise_words(printable(exercise))} set: {best.reps} reps{load} "
                      f"(session {best.session_id}, {_local_time(best.started_at)})")
    return 0

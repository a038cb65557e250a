"""The workout history: a SQLite database (stdlib sqlite3, WAL) of sessions, sets, reps and issue counts.

Writes are small transactions, so a crash loses at most what was not yet committed (the recorder commits
every finished rep). The schema is versioned with `PRAGMA user_version`; a file that is not ours, is
corrupt, or was written by a newer version raises `HistoryError` and is never modified. `delete` is the
only method that removes data.
"""

from __future__ import annotations

import json
import os
import sqlite3
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from fitness import paths
from fitness.errors import HistoryError
from fitness.exercise.events import RepEvent
from fitness.jsonvalues import json_safe, nan_to_null, null_to_nan
from fitness.session.exercise_trends import ExerciseSet, plan_loads
from fitness.session.recording_lock import RecordingLock, is_held, lock_path
from fitness.session.summary import SetSummary, WorkoutSummary
from fitness.session.summary_schema import summary_from_json  # noqa: F401 (part of this module's API)

SQLITE_MAGIC = b"SQLite format 3\x00"
# Waiting this long for another writer is plenty: our transactions are a few rows.
BUSY_TIMEOUT_S = 10.0
HOW_TO_SEE_IDS = "run 'fitness history' to see the session ids"

# Each migration takes the database from version i to i + 1 (index i). Append; never edit a shipped one.
_MIGRATIONS: tuple[tuple[str, ...], ...] = (
    (
        """CREATE TABLE sessions (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            exercise TEXT NOT NULL,
            title TEXT NOT NULL DEFAULT '',
            source TEXT NOT NULL DEFAULT '',
            model TEXT NOT NULL DEFAULT '',
            started_at TEXT NOT NULL,
            duration_s REAL NOT NULL DEFAULT 0,
            frames INTEGER NOT NULL DEFAULT 0,
            fps REAL,
            reps INTEGER NOT NULL DEFAULT 0,
            no_reps INTEGER NOT NULL DEFAULT 0,
            hold_s REAL,
            reps_by_side TEXT NOT NULL DEFAULT '{}',
            params TEXT NOT NULL DEFAULT '{}',
            trace TEXT NOT NULL DEFAULT '{}',
            interrupted INTEGER NOT NULL DEFAULT 0,
            finished INTEGER NOT NULL DEFAULT 0
        )""",
        """CREATE TABLE sets (
            session_id INTEGER NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
            idx INTEGER NOT NULL,
            start_t REAL NOT NULL,
            end_t REAL NOT NULL,
            reps INTEGER NOT NULL,
            no_reps INTEGER NOT NULL,
            PRIMARY KEY (session_id, idx)
        )""",
        """CREATE TABLE reps (
            session_id INTEGER NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
            idx INTEGER NOT NULL,
            start_t REAL NOT NULL,
            end_t REAL NOT NULL,
            counted INTEGER NOT NULL,
            phases TEXT NOT NULL DEFAULT '{}',
            rom_min REAL,
            rom_max REAL,
            issues TEXT NOT NULL DEFAULT '[]',
            score REAL,
            reason TEXT,
            side TEXT,
            set_index INTEGER NOT NULL DEFAULT 1,
            signal TEXT NOT NULL DEFAULT '',
            PRIMARY KEY (session_id, idx)
        )""",
        """CREATE TABLE issues (
            session_id INTEGER NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
            rule_id TEXT NOT NULL,
            count INTEGER NOT NULL,
            PRIMARY KEY (session_id, rule_id)
        )""",
    ),
    ("CREATE INDEX sessions_by_exercise ON sessions (exercise, started_at)",),
    (
        # A small JPEG of each rep at its turnaround, skeleton drawn (fitness.feedback.thumbnail).
        """CREATE TABLE thumbnails (
            session_id INTEGER NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
            idx INTEGER NOT NULL,
            jpeg BLOB NOT NULL,
            PRIMARY KEY (session_id, idx)
        )""",
    ),
    (
        # Workouts: a session is a workout of sets, each set of its own exercise (old sets: their session's).
        "ALTER TABLE sets ADD COLUMN exercise TEXT NOT NULL DEFAULT ''",
        "UPDATE sets SET exercise = (SELECT exercise FROM sessions WHERE sessions.id = sets.session_id)",
        "CREATE INDEX sets_by_exercise ON sets (exercise)",
        # A workout's reps name their exercise (RepEvent.exercise); older reps had none.
        "ALTER TABLE reps ADD COLUMN exercise TEXT NOT NULL DEFAULT ''",
        # single (one named exercise), auto (recognised) or plan; a plan workout's plan name and planned vs done.
        "ALTER TABLE sessions ADD COLUMN kind TEXT NOT NULL DEFAULT 'single'",
        "ALTER TABLE sessions ADD COLUMN plan_name TEXT",
        "ALTER TABLE sessions ADD COLUMN plan TEXT",
        # The sessions of a run that followed several people share group_id; person: whom each one followed.
        "ALTER TABLE sessions ADD COLUMN group_id INTEGER",
        "ALTER TABLE sessions ADD COLUMN person TEXT",
    ),
    # A hold's set: its seconds in good form (SetSummary.hold_s; NULL for a set of reps, as every older set).
    ("ALTER TABLE sets ADD COLUMN hold_s REAL",),
)
SCHEMA_VERSION = len(_MIGRATIONS)


def _per_set(column: str) -> str:
    """SQL for a session's sets' `column`, in set order, as a JSON array (s: the session)."""
    return f"(SELECT json_group_array({column}) FROM (SELECT {column} FROM sets WHERE session_id = s.id ORDER BY idx))"


@dataclass(frozen=True)
class SessionInfo:
    """One line of `fitness history`: a session without its reps.

    set_reps: counted reps per set, in set order; set_exercises: the exercise of each set, in the same order;
    set_holds: each set's hold_s (seconds held in good form; None for a set of reps), in the same order.
    mean_score: over all reps (NaN without reps).
    finished: False while a session is being recorded or after a crash.
    recording: a live process is recording it now (unfinished and not recording = crashed).
    kind / plan_name / group_id / person: as in WorkoutSummary (plan_name: the plan's name, None without a plan).
    """

    id: int
    exercise: str
    title: str
    started_at: str
    duration_s: float
    reps: int
    no_reps: int
    set_reps: tuple[int, ...]
    mean_score: float
    hold_s: float | None
    interrupted: bool
    finished: bool
    recording: bool = False
    set_exercises: tuple[str, ...] = ()
    kind: str = "single"
    plan_name: str | None = None
    group_id: int | None = None
    person: str | None = None
    set_holds: tuple[float | None, ...] = ()


def _dumps(value: Any) -> str:
    # NaN inside JSON columns becomes null, like the JSON export, so both round-trip the same way.
    return json.dumps(json_safe(value), allow_nan=False)


ACCESS_HINT = (
    "record without history with 'fitness run --no-history', or choose another place with --db or FITNESS_HOME"
)
# SQLite result codes (and their extended forms) that mean "the file system said no", not "the file is bad".
_ACCESS_CODES = ("SQLITE_READONLY", "SQLITE_CANTOPEN", "SQLITE_PERM", "SQLITE_AUTH")
_BUSY_CODES = ("SQLITE_BUSY", "SQLITE_LOCKED")


def _code(exc: sqlite3.Error) -> str:
    return getattr(exc, "sqlite_errorname", "") or ""


def _access_problem(path: Path) -> str:
    """What keeps us from writing the database and the files SQLite keeps beside it ("" if nothing obvious)."""
    for file in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
        if file.exists() and not os.access(file, os.R_OK):
            return f"{file} is not readable"
        if file.exists() and not os.access(file, os.W_OK):
            return f"{file} is read-only"
    folder = path.parent
    while not folder.exists() and folder != folder.parent:
        folder = folder.parent
    if not os.access(folder, os.W_OK | os.X_OK):
        return f"the folder {folder} is read-only"
    return ""


def _access_error(path: Path, exc: BaseException) -> HistoryError:
    """The file system refused: say which file or folder, and what to do."""
    problem = _access_problem(path) or getattr(exc, "strerror", None) or str(exc)
    return HistoryError(f"cannot write the history database {path}: {problem} ({ACCESS_HINT})")


def _sqlite_error(path: Path, exc: sqlite3.Error, doing: str) -> HistoryError:
    """A one-line error for an SQLite failure while `doing` ("write to", "open") the database at path."""
    code = _code(exc)
    if code.startswith(_ACCESS_CODES):
        return _access_error(path, exc)
    if code.startswith(_BUSY_CODES):
        return HistoryError(
            f"the history database {path} is busy: another program kept it locked for over {BUSY_TIMEOUT_S:g} s "
            f"({exc}); try again when it is done"
        )
    return HistoryError(f"cannot {doing} history database {path}: {exc}")


def _check_file(path: Path) -> None:
    """Refuse anything that is not an SQLite file before SQLite gets a chance to write to it."""
    if path.is_dir():
        raise HistoryError(f"history database {path} is a directory; pass a file path with --db")
    if not path.exists() or path.stat().st_size == 0:
        return
    with path.open("rb") as f:
        head = f.read(len(SQLITE_MAGIC))
    if head != SQLITE_MAGIC:
        raise HistoryError(
            f"{path} is not an SQLite database (corrupt or a different file); it was left untouched — "
            "move it away or pass another file with --db"
        )


def _inspect(path: Path) -> int:
    """Read-only look at an existing database: its schema version, after an integrity check."""
    uri = f"{path.resolve().as_uri()}?mode=ro"
    try:
        conn = sqlite3.connect(uri, uri=True, timeout=BUSY_TIMEOUT_S)
    except sqlite3.Error as exc:
        raise _sqlite_error(path, exc, "open") from exc
    try:
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        check = conn.execute("PRAGMA quick_check").fetchone()[0]
        tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    except sqlite3.DatabaseError as exc:
        # Reading a WAL database needs its -shm file, which SQLite cannot create in a read-only folder.
        if _code(exc).startswith(_ACCESS_CODES + _BUSY_CODES):
            raise _sqlite_error(path, exc, "open") from exc
        raise HistoryError(
            f"history database {path} is corrupt ({exc}); it was left untouched — move it away or pass another "
            "file with --db"
        ) from exc
    finally:
        conn.close()
    if check != "ok":
        raise HistoryError(
            f"history database {path} is corrupt (integrity check: {check}); it was left untouched — "
            "move it away or pass another file with --db"
        )
    if version > SCHEMA_VERSION:
        raise HistoryError(
            f"history database {path} has schema version {version}, but this fitness understands up to "
            f"{SCHEMA_VERSION}; upgrade fitness, or pass another file with --db (the file was left untouched)"
        )
    if version == 0 and tables:
        raise HistoryError(
            f"{path} is an SQLite database but not a fitness history (tables: {', '.join(sorted(tables))}); "
            "it was left untouched — pass another file with --db"
        )
    return version


class HistoryStore:
    """The history database. Open with `HistoryStore.open(path)`; usable as a context manager.

    One connection per store; open a second store on the same file to read while another writes (WAL).
    A store that began a session holds its recording lock (see recording_lock) until it finishes or closes.
    """

    def __init__(self, conn: sqlite3.Connection, path: Path) -> None:
        self._conn = conn
        self.path = path
        self._recording: dict[int, RecordingLock] = {}

    # -- opening ---------------------------------------------------------------------------------
    @classmethod
    def open(cls, path: str | Path | None = None) -> HistoryStore:
        """Open (creating or migrating) the history at `path`; None = `fitness.paths.history_db()`."""
        path = Path(path).expanduser() if path is not None else paths.history_db()
        _check_file(path)
        version = _inspect(path) if path.exists() and path.stat().st_size > 0 else 0
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise _access_error(path, exc) from exc
        try:
            # isolation_level=None: we issue BEGIN/COMMIT ourselves so every write is exactly one transaction.
            conn = sqlite3.connect(path, timeout=BUSY_TIMEOUT_S, isolation_level=None)
            conn.row_factory = sqlite3.Row  # columns are read by name
            conn.execute("PRAGMA journal_mode = WAL")
            conn.execute("PRAGMA foreign_keys = ON")
            # NORMAL in WAL mode survives application crashes (the SIGKILL case) without an fsync per rep, which
            # could stall the video loop; a power cut may lose the last commits (said in docs/history.md).
            conn.execute("PRAGMA synchronous = NORMAL")
        except sqlite3.Error as exc:
            raise _sqlite_error(path, exc, "open") from exc
        store = cls(conn, path)
        if version < SCHEMA_VERSION:
            store._migrate()
        return store

    def _migrate(self) -> None:
        with self.transaction() as conn:
            # Re-read inside the write lock: another process may have migrated meanwhile.
            version = conn.execute("PRAGMA user_version").fetchone()[0]
            for target in range(version + 1, SCHEMA_VERSION + 1):
                for statement in _MIGRATIONS[target - 1]:
                    conn.execute(statement)
                conn.execute(f"PRAGMA user_version = {target}")

    def close(self) -> None:
        for lock in self._recording.values():
            lock.release()
        self._recording.clear()
        self._conn.close()

    def __enter__(self) -> HistoryStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def schema_version(self) -> int:
        return self._read(lambda c: c.execute("PRAGMA user_version").fetchone()[0])

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """One write transaction (BEGIN IMMEDIATE ... COMMIT, rolled back on any exception).

        SQLite errors inside it become one-line HistoryErrors; other exceptions pass through unchanged.
        """
        conn = self._conn
        try:
            conn.execute("BEGIN IMMEDIATE")
        except sqlite3.Error as exc:
            raise _sqlite_error(self.path, exc, "write to") from exc
        try:
            yield conn
        except BaseException as exc:
            if conn.in_transaction:  # some errors (disk full, I/O) have rolled back already
                conn.execute("ROLLBACK")
            if isinstance(exc, sqlite3.Error):
                raise _sqlite_error(self.path, exc, "write to") from exc
            raise
        try:
            conn.execute("COMMIT")
        except sqlite3.Error as exc:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise _sqlite_error(self.path, exc, "write to") from exc

    def _read(self, fn: Callable[[sqlite3.Connection], Any]) -> Any:
        try:
            return fn(self._conn)
        except sqlite3.DatabaseError as exc:
            raise HistoryError(f"cannot read history database {self.path}: {exc}") from exc

    # -- writing (the recorder) --------------------------------------------------------------------
    def begin_session(
        self,
        exercise: str,
        *,
        started_at: str,
        title: str = "",
        source: str = "",
        model: str = "",
        params: Mapping[str, Any] | None = None,
        kind: str = "single",
        plan_name: str | None = None,
        group_id: int | None = None,
        person: str | None = None,
    ) -> int:
        """Create an unfinished session row at once, so an interrupted session is still in history.

        The session's recording lock is taken before the row is committed, so no other process ever sees
        the new session unfinished without a live lock.
        """
        lock = None
        try:
            with self.transaction() as conn:
                cur = conn.execute(
                    "INSERT INTO sessions (exercise, title, source, model, started_at, params, kind, plan_name,"
                    " group_id, person) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (exercise, title, source, model, started_at, _dumps(dict(params or {})), kind, plan_name,
                     group_id, person),
                )
                session_id = int(cur.lastrowid)
                try:
                    lock = RecordingLock.acquire(self._lock(session_id))
                except OSError as exc:
                    raise _access_error(self.path, exc) from exc
        except BaseException:
            if lock is not None:
                lock.release()
            raise
        self._recording[session_id] = lock
        return session_id

    def save_progress(
        self,
        session_id: int,
        *,
        reps: Sequence[RepEvent] = (),
        sets: Sequence[SetSummary] = (),
        issues: Mapping[str, int] | None = None,
        totals: Mapping[str, Any] | None = None,
    ) -> None:
        """Commit new reps, the current sets, issue counts and session totals in one transaction.

        totals: any of duration_s, frames, fps, reps, no_reps, hold_s, reps_by_side, trace, interrupted, kind, plan
        (the planned vs done object; it sets plan_name too), group_id, person.
        """
        with self.transaction() as conn:
            self._write_parts(conn, session_id, reps, sets, issues)
            self._write_totals(conn, session_id, totals or {})

    def finish_session(self, session_id: int, summary: WorkoutSummary) -> None:
        """Write the final totals, sets and issues of a recorded session and mark it finished."""
        with self.transaction() as conn:
            known = {row["idx"] for row in conn.execute("SELECT idx FROM reps WHERE session_id = ?", (session_id,))}
            missing = [r for r in summary.rep_details if r.index not in known]
            self._write_parts(conn, session_id, missing, summary.sets, summary.issues)
            self._write_totals(conn, session_id, _totals(summary))
            conn.execute("UPDATE sessions SET finished = 1 WHERE id = ?", (session_id,))
        lock = self._recording.pop(session_id, None)
        if lock is not None:
            lock.release()

    def import_summary(self, summary: WorkoutSummary) -> WorkoutSummary:
        """Add a finished summary (e.g. from `fitness summary --json`) as a new session; returns it with its id."""
        with self.transaction() as conn:
            # The sessions of one group run share exercise, start and source: the person tells them apart.
            dup = conn.execute(
                "SELECT id FROM sessions WHERE exercise = ? AND started_at = ? AND source = ? AND person IS ?",
                (summary.exercise, summary.started_at, summary.source, summary.person),
            ).fetchone()
            if dup:
                raise HistoryError(
                    f"this session ({summary.exercise}, started {summary.started_at}) is already in history as "
                    f"session {dup['id']}; delete it first with 'fitness history delete {dup['id']}' to import it again"
                )
            cur = conn.execute(
                "INSERT INTO sessions (exercise, title, source, model, started_at, params, finished) "
                "VALUES (?, ?, ?, ?, ?, ?, 1)",
                (
                    summary.exercise,
                    summary.title,
                    summary.source,
                    summary.model,
                    summary.started_at,
                    _dumps(dict(summary.params)),
                ),
            )
            session_id = int(cur.lastrowid)
            self._write_parts(conn, session_id, summary.rep_details, summary.sets, summary.issues)
            self._write_totals(conn, session_id, _totals(summary))
        return self.get(session_id)

    def save_thumbnail(self, session_id: int, rep_index: int, jpeg: bytes) -> None:
        """Store (or replace) the key-frame JPEG of one rep of a session."""
        with self.transaction() as conn:
            conn.execute(
                "INSERT OR REPLACE INTO thumbnails (session_id, idx, jpeg) VALUES (?, ?, ?)",
                (session_id, rep_index, sqlite3.Binary(jpeg)),
            )

    def delete(self, session_id: int) -> None:
        """Delete one session with its sets, reps, issues and thumbnails (the only way history loses data).

        A session that a live process is recording is refused; an abandoned (crashed) one is deleted.
        """
        abandoned = None
        try:
            with self.transaction() as conn:
                row = conn.execute("SELECT finished FROM sessions WHERE id = ?", (session_id,)).fetchone()
                if row is None:
                    raise self._unknown(session_id)
                if not row["finished"]:
                    # Under the write lock: its recorder cannot finish (or start) meanwhile.
                    abandoned = self._abandoned(session_id)
                    if abandoned is None:
                        raise HistoryError(
                            f"session {session_id} is being recorded right now; stop that recording (Ctrl-C in its "
                            "terminal) before deleting it"
                        )
                conn.execute("DELETE FROM sessions WHERE id = ?", (session_id,))
        finally:
            if abandoned is not None:
                abandoned.release()

    def _abandoned(self, session_id: int) -> RecordingLock | None:
        """The recording lock of an unfinished session that nobody records any more; None while one does."""
        if session_id in self._recording:
            return None
        try:
            return RecordingLock.take_over(self._lock(session_id))
        except OSError as exc:
            raise _access_error(self.path, exc) from exc

    def is_recording(self, session_id: int) -> bool:
        """A live process (this store or another) is recording this session now."""
        return session_id in self._recording or is_held(self._lock(session_id))

    def _lock(self, session_id: int) -> Path:
        return lock_path(self.path, session_id)

    @staticmethod
    def _write_parts(
        conn: sqlite3.Connection,
        session_id: int,
        reps: Sequence[RepEvent],
        sets: Sequence[SetSummary],
        issues: Mapping[str, int] | None,
    ) -> None:
        conn.executemany(
            "INSERT INTO reps (session_id, idx, start_t, end_t, counted, phases, rom_min, rom_max, issues, score, "
            "reason, side, set_index, signal, exercise) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                (
                    session_id,
                    r.index,
                    r.start_t,
                    r.end_t,
                    int(r.counted),
                    _dumps(dict(r.phases)),
                    nan_to_null(r.rom[0]),
                    nan_to_null(r.rom[1]),
                    _dumps(list(r.issues)),
                    nan_to_null(r.score),
                    r.reason,
                    r.side,
                    r.set_index,
                    r.signal,
                    r.exercise,
                )
                for r in reps
            ],
        )
        conn.executemany(
            "INSERT OR REPLACE INTO sets (session_id, idx, start_t, end_t, reps, no_reps, exercise, hold_s)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            [(session_id, s.index, s.start_t, s.end_t, s.reps, s.no_reps, s.exercise, s.hold_s) for s in sets],
        )
        if issues is not None:
            conn.execute("DELETE FROM issues WHERE session_id = ?", (session_id,))
            conn.executemany(
                "INSERT INTO issues (session_id, rule_id, count) VALUES (?, ?, ?)",
                [(session_id, rule, int(n)) for rule, n in issues.items()],
            )

    @staticmethod
    def _write_totals(conn: sqlite3.Connection, session_id: int, totals: Mapping[str, Any]) -> None:
        columns = {
            "duration_s": float, "frames": int, "fps": nan_to_null, "reps": int, "no_reps": int,
            "hold_s": lambda v: None if v is None else float(v), "reps_by_side": lambda v: _dumps(dict(v)),
            "trace": lambda v: _dumps(dict(v)), "interrupted": int, "kind": str,
            "plan": lambda v: None if v is None else _dumps(dict(v)),
            "group_id": lambda v: None if v is None else int(v), "person": lambda v: None if v is None else str(v),
        }
        unknown = set(totals) - set(columns)
        if unknown:
            raise ValueError(f"unknown session totals {sorted(unknown)}; expected some of {sorted(columns)}")
        if "plan" in totals:
            plan = totals["plan"]
            totals = {**totals, "plan_name": None if plan is None else plan.get("name")}
            columns["plan_name"] = lambda v: None if v is None else str(v)
        if totals:
            names = list(totals)
            conn.execute(
                f"UPDATE sessions SET {', '.join(f'{n} = ?' for n in names)} WHERE id = ?",
                [columns[n](totals[n]) for n in names] + [session_id],
            )

    # -- reading ---------------------------------------------------------------------------------
    def get(self, session_id: int) -> WorkoutSummary:
        """The full session; an unfinished one (still recording, or crashed) reads as interrupted."""
        return self._read(lambda conn: self._load(conn, session_id))

    def last(self, exercise: str | None = None) -> WorkoutSummary | None:
        """The most recent session (of `exercise` if given), or None with an empty history."""
        rows = self.list_sessions(exercise=exercise, limit=1)
        return self.get(rows[0].id) if rows else None

    def resolve(self, ref: str | int) -> WorkoutSummary | None:
        """A session by id, or 'last' (None when history is empty); unknown ids raise HistoryError."""
        if isinstance(ref, str) and ref.strip().lower() == "last":
            return self.last()
        try:
            session_id = int(ref)
        except ValueError:
            raise HistoryError(f"expected a session id (a number) or 'last', got {ref!r}; {HOW_TO_SEE_IDS}") from None
        return self.get(session_id)

    def list_sessions(
        self,
        exercise: str | None = None,
        since: str | None = None,
        limit: int | None = None,
        before_id: int | None = None,
        in_sets: bool = True,
    ) -> list[SessionInfo]:
        """Sessions newest first. since: ISO date/time compared with started_at (ISO 8601 UTC).

        exercise: sessions of that exercise, and (in_sets) workouts with a set of it.

        before_id: only sessions that started before that session (for trends).
        """
        where, args = [], []
        if exercise and in_sets:  # the session's exercise, or one of its sets' (a workout of several exercises)
            where.append("(s.exercise = ? OR EXISTS (SELECT 1 FROM sets x WHERE x.session_id = s.id"
                         " AND x.exercise = ?))")
            args += [exercise, exercise]
        elif exercise:
            where.append("s.exercise = ?")
            args.append(exercise)
        if since:
            where.append("s.started_at >= ?")
            args.append(since)
        if before_id is not None:
            where.append("(s.started_at, s.id) < (SELECT started_at, id FROM sessions WHERE id = ?)")
            args.append(before_id)
        sql = (
            "SELECT s.id, s.exercise, s.title, s.started_at, s.duration_s, s.reps, s.no_reps, s.hold_s, s.interrupted,"
            " s.finished, (SELECT avg(score) FROM reps r WHERE r.session_id = s.id) AS mean_score,"
            f" {_per_set('reps')} AS set_reps, {_per_set('exercise')} AS set_exercises,"
            f" {_per_set('hold_s')} AS set_holds, s.kind, s.plan_name, s.group_id, s.person"
            " FROM sessions s"
            + (" WHERE " + " AND ".join(where) if where else "")
            + " ORDER BY s.started_at DESC, s.id DESC"
            + (" LIMIT ?" if limit is not None else "")
        )
        if limit is not None:
            args.append(limit)
        rows = self._read(lambda conn: conn.execute(sql, args).fetchall())
        return [
            SessionInfo(
                id=r["id"], exercise=r["exercise"], title=r["title"], started_at=r["started_at"],
                duration_s=r["duration_s"], reps=r["reps"], no_reps=r["no_reps"], hold_s=r["hold_s"],
                interrupted=bool(r["interrupted"]) or not r["finished"], finished=bool(r["finished"]),
                mean_score=null_to_nan(r["mean_score"]),
                set_reps=tuple(json.loads(r["set_reps"])),
                recording=not r["finished"] and self.is_recording(r["id"]),
                set_exercises=tuple(json.loads(r["set_exercises"])), kind=r["kind"], plan_name=r["plan_name"],
                group_id=r["group_id"], person=r["person"], set_holds=tuple(json.loads(r["set_holds"])),
            )
            for r in rows
        ]

    def earlier(self, summary: WorkoutSummary, limit: int | None = None) -> list[WorkoutSummary]:
        """Sessions of the same exercise that started before `summary` (a stored one), newest first."""
        return [self.get(info.id) for info in self.list_sessions(summary.exercise, before_id=summary.id, limit=limit,
                                                                   in_sets=False)]

    def exercise_sets(self, exercise: str | None = None, since: str | None = None) -> list[ExerciseSet]:
        """Every stored set (of `exercise`, from `since` on), oldest first, across single sessions and workouts."""
        where, args = ["x.exercise != ''"], []
        if exercise:
            where.append("x.exercise = ?")
            args.append(exercise)
        if since:
            where.append("s.started_at >= ?")
            args.append(since)
        sql = (
            "SELECT s.id, s.started_at, s.plan, x.exercise, x.idx, x.reps, x.no_reps,"
            " (SELECT total(score) FROM reps r WHERE r.session_id = s.id AND r.set_index = x.idx) AS score_sum,"
            " (SELECT count(score) FROM reps r WHERE r.session_id = s.id AND r.set_index = x.idx) AS scored"
            " FROM sets x JOIN sessions s ON s.id = x.session_id WHERE " + " AND ".join(where)
            + " ORDER BY s.started_at, s.id, x.idx"
        )
        rows = self._read(lambda conn: conn.execute(sql, args).fetchall())
        loads: dict[int, dict[int, float]] = {}
        out = []
        for r in rows:
            if r["id"] not in loads:
                loads[r["id"]] = plan_loads(json.loads(r["plan"]) if r["plan"] else None)
            out.append(ExerciseSet(
                session_id=r["id"], started_at=r["started_at"], exercise=r["exercise"], index=r["idx"],
                reps=r["reps"], no_reps=r["no_reps"], score_sum=float(r["score_sum"]), scored=int(r["scored"]),
                load_kg=loads[r["id"]].get(r["idx"]),
            ))
        return out

    def count_sessions(self) -> int:
        return self._read(lambda c: c.execute("SELECT count(*) FROM sessions").fetchone()[0])

    def thumbnails(self, session_id: int) -> dict[int, bytes]:
        """The key-frame JPEGs of a session's reps: rep index -> JPEG bytes (reps without one are left out)."""
        rows = self._read(
            lambda c: c.execute(
                "SELECT idx, jpeg FROM thumbnails WHERE session_id = ? ORDER BY idx", (session_id,)
            ).fetchall()
        )
        return {r["idx"]: bytes(r["jpeg"]) for r in rows}

    def count_reps(self, session_id: int) -> int:
        return self._read(
            lambda c: c.execute("SELECT count(*) FROM reps WHERE session_id = ?", (session_id,)).fetchone()[0]
        )

    def _unknown(self, session_id: int) -> HistoryError:
        return HistoryError(f"no session {session_id} in history {self.path}; {HOW_TO_SEE_IDS}")

    def _load(self, conn: sqlite3.Connection, session_id: int) -> WorkoutSummary:
        row = conn.execute(
            "SELECT id, exercise, title, source, model, started_at, duration_s, frames, fps, reps, no_reps, hold_s,"
            " reps_by_side, params, trace, interrupted, finished, kind, plan, group_id, person FROM sessions"
            " WHERE id = ?",
            (session_id,),
        ).fetchone()
        if row is None:
            raise self._unknown(session_id)
        reps = tuple(
            RepEvent(
                index=r["idx"],
                start_t=r["start_t"],
                end_t=r["end_t"],
                counted=bool(r["counted"]),
                phases={k: null_to_nan(v) for k, v in json.loads(r["phases"]).items()},
                rom=(null_to_nan(r["rom_min"]), null_to_nan(r["rom_max"])),
                issues=tuple(json.loads(r["issues"])),
                score=null_to_nan(r["score"]),
                reason=r["reason"],
                side=r["side"],
                set_index=r["set_index"],
                signal=r["signal"],
                exercise=r["exercise"],
            )
            for r in conn.execute(
                "SELECT idx, start_t, end_t, counted, phases, rom_min, rom_max, issues, score, reason, side, set_index,"
                " signal, exercise FROM reps WHERE session_id = ? ORDER BY idx",
                (session_id,),
            )
        )
        rows = conn.execute(
            "SELECT idx, start_t, end_t, reps, no_reps, exercise, hold_s FROM sets WHERE session_id = ? ORDER BY idx",
            (session_id,),
        ).fetchall()
        sets = tuple(
            SetSummary(r["idx"], r["start_t"], r["end_t"], r["reps"], r["no_reps"], r["exercise"], r["hold_s"])
            for r in rows
        )
        issues = {
            r["rule_id"]: r["count"]
            for r in conn.execute(
                "SELECT rule_id, count FROM issues WHERE session_id = ? ORDER BY rowid", (session_id,)
            )
        }
        return WorkoutSummary(
            id=row["id"], exercise=row["exercise"], title=row["title"], source=row["source"], model=row["model"],
            started_at=row["started_at"], duration_s=row["duration_s"], frames=row["frames"],
            fps=null_to_nan(row["fps"]), reps=row["reps"], no_reps=row["no_reps"], hold_s=row["hold_s"],
            reps_by_side=json.loads(row["reps_by_side"]), params=json.loads(row["params"]),
            trace=json.loads(row["trace"]), interrupted=bool(row["interrupted"]) or not row["finished"],
            rep_details=reps, sets=sets, issues=issues, kind=row["kind"],
            plan=None if row["plan"] is None else json.loads(row["plan"]), group_id=row["group_id"],
            person=row["person"],
        )


def _totals(summary: WorkoutSummary) -> dict[str, Any]:
    return {
        "duration_s": summary.duration_s, "frames": summary.frames, "fps": summary.fps, "reps": summary.reps,
        "no_reps": summary.no_reps, "hold_s": summary.hold_s, "reps_by_side": summary.reps_by_side,
        "trace": summary.trace, "interrupted": summary.interrupted, "kind": summary.kind, "plan": summary.plan,
        "group_id": summary.group_id, "person": summary.person,
    }

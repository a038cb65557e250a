"""HistoryStore: schema and migrations, lossless round trips, refusing corrupt/newer files, readers during writes."""

from __future__ import annotations

import hashlib
import json
import sqlite3
import tempfile
from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from session_factories import plan_workout, record, rep, sample_summary, step, workout_summaries

from fitness import paths
from fitness.errors import HistoryError
from fitness.session import store as store_module
from fitness.session.recorder import SessionRecorder
from fitness.session.recording_lock import lock_path
from fitness.session.store import SCHEMA_VERSION, HistoryStore, summary_from_json
from fitness.session.summary import SetSummary, WorkoutSummary


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def db(tmp_path) -> Path:
    return tmp_path / "history.sqlite3"


# What each migration added, undone (newest first): turns a database of today's schema into an older one.
_UNDO = {
    5: ("ALTER TABLE sets DROP COLUMN hold_s",),
    4: ("DROP INDEX sets_by_exercise", "ALTER TABLE sets DROP COLUMN exercise", "ALTER TABLE reps DROP COLUMN exercise",
        *(f"ALTER TABLE sessions DROP COLUMN {c}" for c in ("kind", "plan_name", "plan", "group_id", "person"))),
    3: ("DROP TABLE thumbnails",),
}


def downgrade(db: Path, version: int) -> None:
    conn = sqlite3.connect(db)
    for undone in range(SCHEMA_VERSION, version, -1):
        for statement in _UNDO[undone]:
            conn.execute(statement)
    conn.execute(f"PRAGMA user_version = {version}")
    conn.commit()
    conn.close()


def test_default_path_is_under_fitness_home(_isolated_home):
    with HistoryStore.open() as store:
        assert store.path == paths.history_db()
        assert store.path.parent == _isolated_home
    assert paths.history_db().exists()


def test_new_database_is_wal_with_current_schema(db):
    with HistoryStore.open(db) as store:
        assert store.schema_version == SCHEMA_VERSION
    conn = sqlite3.connect(db)
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert {"sessions", "sets", "reps", "issues"} <= tables
    conn.close()


def test_version_1_database_is_migrated_keeping_its_data(db):
    conn = sqlite3.connect(db)
    for statement in store_module._MIGRATIONS[0]:
        conn.execute(statement)
    conn.execute(
        "INSERT INTO sessions (exercise, started_at, reps, finished) "
        "VALUES ('squats', '2024-01-01T00:00:00+00:00', 7, 1)"
    )
    conn.execute("PRAGMA user_version = 1")
    conn.commit()
    conn.close()
    with HistoryStore.open(db) as store:
        assert store.schema_version == SCHEMA_VERSION
        [info] = store.list_sessions()
        assert (info.exercise, info.reps) == ("squats", 7)
    indexes = {r[0] for r in sqlite3.connect(db).execute("SELECT name FROM sqlite_master WHERE type = 'index'")}
    assert "sessions_by_exercise" in indexes


def test_version_2_database_is_migrated_keeping_its_sessions_and_gains_thumbnails(db):
    with HistoryStore.open(db) as store:
        old = store.import_summary(sample_summary())
    downgrade(db, 2)  # back to what version 2 wrote: no thumbnails table, no workouts
    with HistoryStore.open(db) as store:
        assert store.schema_version == SCHEMA_VERSION
        assert store.get(old.id) == old and store.thumbnails(old.id) == {}
        store.save_thumbnail(old.id, 1, b"\xff\xd8jpeg")
        assert store.thumbnails(old.id) == {1: b"\xff\xd8jpeg"}


def test_version_4_database_is_migrated_keeping_its_sets_and_a_hold_set_keeps_its_seconds(db):
    with HistoryStore.open(db) as store:
        old = store.import_summary(sample_summary())
    downgrade(db, 4)  # back to what version 4 wrote: sets without hold_s
    hold = SetSummary(3, 60.0, 90.0, 0, 0, "plank", hold_s=28.5)
    with HistoryStore.open(db) as store:
        assert store.schema_version == SCHEMA_VERSION
        assert store.get(old.id) == old and all(s.hold_s is None for s in old.sets)
        new = store.import_summary(replace(old, id=None, started_at="2024-05-02T07:30:00+00:00",
                                           sets=(*old.sets, hold)))
        assert store.get(new.id).sets[-1] == hold


def test_thumbnails_are_kept_per_rep_and_replaced_when_saved_again(db):
    with HistoryStore.open(db) as store:
        first = store.import_summary(sample_summary(started_at="2024-01-01"))
        second = store.import_summary(sample_summary(started_at="2024-01-02"))
        store.save_thumbnail(first.id, 2, b"two")
        store.save_thumbnail(first.id, 1, b"one")
        store.save_thumbnail(first.id, 2, b"two again")
        assert store.thumbnails(first.id) == {1: b"one", 2: b"two again"}
        assert list(store.thumbnails(first.id)) == [1, 2] and store.thumbnails(second.id) == {}


def test_import_get_json_import_round_trip_is_identical(tmp_path):
    original = sample_summary()
    with HistoryStore.open(tmp_path / "a.sqlite3") as a:
        first = a.import_summary(original)
    assert record(first) == record(original)
    text = first.to_json()
    with HistoryStore.open(tmp_path / "b.sqlite3") as b:
        second = b.import_summary(summary_from_json(text))
        assert record(b.get(second.id)) == record(original)
    assert second.to_json() == text.replace(f'"id": {first.id}', f'"id": {second.id}')


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(summary=workout_summaries())
def test_any_summary_survives_sqlite_json_sqlite(summary):
    with tempfile.TemporaryDirectory() as tmp:
        with HistoryStore.open(Path(tmp) / "a.sqlite3") as a:
            stored = a.import_summary(summary)
        assert record(stored) == record(summary)
        with HistoryStore.open(Path(tmp) / "b.sqlite3") as b:
            again = b.import_summary(summary_from_json(stored.to_json()))
        assert record(again) == record(summary)


def test_importing_the_same_session_twice_is_refused(db):
    with HistoryStore.open(db) as store:
        first = store.import_summary(sample_summary())
        with pytest.raises(HistoryError, match=f"already in history as session {first.id}"):
            store.import_summary(sample_summary())
        assert len(store.list_sessions()) == 1


@pytest.mark.parametrize(
    "text, match",
    [
        ("not json", "not valid JSON"),
        ("[1, 2]", "holds an array, not an object"),
        ('{"exercise": "squats"}', "missing key"),
        ('{"schema_version": 99, "exercise": "squats"}', "schema_version 99"),
        (
            '{"exercise": "squats", "started_at": "2024-01-01", "duration_s": "long", "frames": 1, "reps": 1}',
            'x.json: duration_s: expected a number of seconds, got a string "long"',
        ),
    ],
)
def test_summary_from_json_rejects_other_documents(text, match):
    with pytest.raises(HistoryError, match=match):
        summary_from_json(text, source="x.json")


# -- refusing files that are not ours -----------------------------------------------------------------
def _v1_database(path: Path, version: int) -> None:
    with HistoryStore.open(path) as store:
        store.import_summary(sample_summary())
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA user_version = {version}")
    conn.execute("PRAGMA journal_mode = DELETE")  # fold the WAL into the file, so the file alone is the database
    conn.close()


def test_garbage_file_is_a_clear_error_and_left_untouched(db):
    db.write_bytes(b"this is not a database at all\n" * 100)
    before = sha256(db)
    with pytest.raises(HistoryError, match="not an SQLite database.*untouched"):
        HistoryStore.open(db)
    assert sha256(db) == before
    assert not Path(f"{db}-wal").exists()


def test_damaged_pages_are_a_clear_error_and_left_untouched(db):
    _v1_database(db, SCHEMA_VERSION)
    data = bytearray(db.read_bytes())
    page_size = int.from_bytes(data[16:18], "big")
    assert len(data) > 2 * page_size  # there is a page after the header page to damage
    data[page_size : 2 * page_size] = b"\xff" * page_size
    db.write_bytes(bytes(data))
    before = sha256(db)
    with pytest.raises(HistoryError, match="corrupt"):
        HistoryStore.open(db)
    assert sha256(db) == before


def test_newer_schema_version_is_refused_and_left_untouched(db):
    _v1_database(db, SCHEMA_VERSION + 7)
    before = sha256(db)
    with pytest.raises(HistoryError, match=f"schema version {SCHEMA_VERSION + 7}.*upgrade fitness"):
        HistoryStore.open(db)
    assert sha256(db) == before


def test_someone_elses_sqlite_file_is_refused_and_left_untouched(db):
    conn = sqlite3.connect(db)
    conn.execute("CREATE TABLE contacts (name TEXT)")
    conn.commit()
    conn.close()
    before = sha256(db)
    with pytest.raises(HistoryError, match="not a fitness history"):
        HistoryStore.open(db)
    assert sha256(db) == before


def test_a_directory_is_not_a_database(tmp_path):
    with pytest.raises(HistoryError, match="is a directory"):
        HistoryStore.open(tmp_path)


# -- reading while a session writes ---------------------------------------------------------------------
def test_reader_sees_committed_reps_while_the_writer_is_open(db):
    writer = HistoryStore.open(db)
    recorder = SessionRecorder("squats", store=writer, signal="knee_deg")
    reader = HistoryStore.open(db)

    recorder.update(step(0.0))
    recorder.update(step(3.0, reps=[rep(1, 0.0, 3.0)]))
    assert reader.count_reps(recorder.session_id) == 1
    recorder.update(step(6.0, reps=[rep(2, 3.0, 6.0, counted=False)]))
    live = reader.get(recorder.session_id)
    assert (live.reps, live.no_reps, len(live.rep_details)) == (1, 1, 2)
    assert live.interrupted  # not finished yet: a crash now would leave it like this
    recorder.finish(frames=180, duration_s=6.0, fps=30.0)
    assert not reader.get(recorder.session_id).interrupted
    writer.close()
    reader.close()


def test_reader_is_not_blocked_by_an_open_write_transaction_and_sees_only_commits(db):
    with HistoryStore.open(db) as writer, HistoryStore.open(db) as reader:
        writer.import_summary(sample_summary())
        with writer.transaction() as conn:
            conn.execute("INSERT INTO sessions (exercise, started_at) VALUES ('lunges', '2030-01-01')")
            assert [s.exercise for s in reader.list_sessions()] == ["squats"]
        assert [s.exercise for s in reader.list_sessions()] == ["lunges", "squats"]


def test_a_failed_transaction_writes_nothing(db):
    with HistoryStore.open(db) as store:
        with pytest.raises(RuntimeError):
            with store.transaction() as conn:
                conn.execute("INSERT INTO sessions (exercise, started_at) VALUES ('lunges', '2030-01-01')")
                raise RuntimeError("boom")
        assert store.list_sessions() == []


# -- listing and deleting -------------------------------------------------------------------------------
def test_list_filters_orders_and_limits(db):
    with HistoryStore.open(db) as store:
        for day, exercise in [(1, "squats"), (2, "lunges"), (3, "squats"), (4, "squats")]:
            store.import_summary(sample_summary(started_at=f"2024-05-0{day}T07:00:00+00:00", exercise=exercise))
        assert [s.started_at[:10] for s in store.list_sessions()] == [
            "2024-05-04",
            "2024-05-03",
            "2024-05-02",
            "2024-05-01",
        ]
        assert [s.started_at[:10] for s in store.list_sessions(exercise="squats", limit=2)] == [
            "2024-05-04",
            "2024-05-03",
        ]
        assert [s.started_at[:10] for s in store.list_sessions(since="2024-05-03")] == ["2024-05-04", "2024-05-03"]
        latest = store.list_sessions(limit=1)[0]
        assert [s.started_at[:10] for s in store.list_sessions("squats", before_id=latest.id)] == [
            "2024-05-03",
            "2024-05-01",
        ]
        info = latest
        assert (info.set_reps, info.reps, info.no_reps, info.finished) == ((3, 3), 6, 1, True)
        # the mean over all seven reps of sample_summary
        assert info.mean_score == pytest.approx((98 + 72 + 55 + 95 + 100 + 90 + 70) / 7)
        assert store.last().id == latest.id
        assert store.last("lunges").exercise == "lunges"


def test_empty_history_has_no_last_session(db):
    with HistoryStore.open(db) as store:
        assert store.last() is None
        assert store.resolve("last") is None
        assert store.list_sessions() == []


def test_delete_removes_the_session_and_everything_under_it(db):
    with HistoryStore.open(db) as store:
        keep = store.import_summary(sample_summary(started_at="2024-01-01"))
        gone = store.import_summary(sample_summary(started_at="2024-01-02"))
        for session in (keep, gone):
            store.save_thumbnail(session.id, 1, b"jpeg")
        store.delete(gone.id)
        assert [s.id for s in store.list_sessions()] == [keep.id]
        with pytest.raises(HistoryError, match="fitness history"):
            store.get(gone.id)
    conn = sqlite3.connect(db)
    for table in ("sets", "reps", "issues", "thumbnails"):
        assert conn.execute(f"SELECT count(*) FROM {table} WHERE session_id = ?", (gone.id,)).fetchone()[0] == 0
        assert conn.execute(f"SELECT count(*) FROM {table} WHERE session_id = ?", (keep.id,)).fetchone()[0] > 0


def test_unknown_ids_say_how_to_see_the_ids(db):
    with HistoryStore.open(db) as store:
        for action in (lambda: store.get(42), lambda: store.delete(42), lambda: store.resolve("42")):
            with pytest.raises(HistoryError, match="no session 42.*'fitness history'"):
                action()
        with pytest.raises(HistoryError, match="a number.*'last'"):
            store.resolve("yesterday")


def test_an_empty_file_becomes_a_history(db):
    db.touch()
    with HistoryStore.open(db) as store:
        assert store.schema_version == SCHEMA_VERSION and store.list_sessions() == []


def test_a_table_the_user_added_is_left_alone(db):
    with HistoryStore.open(db) as store:
        store.import_summary(sample_summary())
    conn = sqlite3.connect(db)
    conn.execute("CREATE TABLE my_notes (text TEXT)")
    conn.commit()
    conn.close()
    with HistoryStore.open(db) as store:
        assert len(store.list_sessions()) == 1


def test_unknown_session_totals_are_a_bug(db):
    with HistoryStore.open(db) as store:
        session_id = store.begin_session("squats", started_at="2024-01-01")
        with pytest.raises(ValueError, match="unknown session totals"):
            store.save_progress(session_id, totals={"repz": 3})
        assert store.get(session_id).reps == 0  # and nothing of that transaction was written


def test_earlier_sessions_are_the_same_exercise_before_this_one_newest_first(db):
    with HistoryStore.open(db) as store:
        ids = {
            day: store.import_summary(sample_summary(f"2024-05-0{day}", ex)).id
            for day, ex in [(1, "squats"), (2, "lunges"), (3, "squats"), (4, "squats")]
        }
        assert [s.id for s in store.earlier(store.get(ids[4]))] == [ids[3], ids[1]]
        assert [s.id for s in store.earlier(store.get(ids[4]), limit=1)] == [ids[3]]
        assert store.earlier(store.get(ids[1])) == []


# -- sessions being recorded --------------------------------------------------------------------------------
def test_a_session_being_recorded_is_not_deleted_but_an_abandoned_one_is(db):
    recording_store, other = HistoryStore.open(db), HistoryStore.open(db)
    recorder = SessionRecorder("squats", store=recording_store, signal="knee_deg")
    session_id = recorder.session_id
    recorder.update(step(3.0, reps=[rep(1, 0.0, 3.0)]))
    with pytest.raises(HistoryError, match=f"session {session_id} is being recorded right now"):
        other.delete(session_id)
    recorder.update(step(6.0, reps=[rep(2, 3.0, 6.0)]))  # the recording goes on unharmed
    assert other.count_reps(session_id) == 2
    assert [(s.recording, s.finished) for s in other.list_sessions()] == [(True, False)]
    # A crash: the OS closes the recorder's files, which drops its lock; the lock file stays behind.
    recording_store.close()
    lock_path(db, session_id).touch()
    assert [(s.recording, s.finished) for s in other.list_sessions()] == [(False, False)]
    other.delete(session_id)
    assert other.list_sessions() == [] and not lock_path(db, session_id).exists()
    other.close()


def test_the_recording_store_cannot_delete_its_own_session_either(db):
    with HistoryStore.open(db) as store:
        session_id = store.begin_session("squats", started_at="2024-01-01T00:00:00+00:00")
        with pytest.raises(HistoryError, match="being recorded"):
            store.delete(session_id)


def test_finishing_releases_the_recording_lock(db):
    with HistoryStore.open(db) as writer, HistoryStore.open(db) as other:
        recorder = SessionRecorder("squats", store=writer, signal="knee_deg")
        assert other.is_recording(recorder.session_id) and lock_path(db, recorder.session_id).exists()
        recorder.finish(frames=30, duration_s=1.0, fps=30.0)
        assert not other.is_recording(recorder.session_id) and not lock_path(db, recorder.session_id).exists()
        other.delete(recorder.session_id)


def test_an_import_that_fails_half_way_stores_nothing(db, monkeypatch):
    def broken(*args):
        raise sqlite3.IntegrityError("NOT NULL constraint failed: sessions.duration_s")

    with HistoryStore.open(db) as store:
        monkeypatch.setattr(HistoryStore, "_write_totals", staticmethod(broken))
        with pytest.raises(HistoryError, match="NOT NULL constraint failed"):
            store.import_summary(sample_summary())  # the reps and sets were already written in its transaction
        monkeypatch.undo()
        assert store.count_sessions() == 0
    conn = sqlite3.connect(db)
    tables = ("sessions", "reps", "sets", "issues")
    assert [conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in tables] == [0] * 4
    conn.close()


# -- workouts (schema 4) ---------------------------------------------------------------------------------
GOLDEN = Path(__file__).parent / "golden"


def _old_keys(now, old):
    """`now` cut down to the keys `old` has (in nested objects and arrays too): what a newer version added goes."""
    if isinstance(now, dict) and isinstance(old, dict):
        return {k: _old_keys(v, old[k]) for k, v in now.items() if k in old}
    if isinstance(now, list) and isinstance(old, list) and len(now) == len(old):
        return [_old_keys(a, b) for a, b in zip(now, old)]
    return now


def test_a_version_3_history_migrates_keeping_everything(tmp_path):
    """history_v3.sqlite3 was written by the schema-3 store; history_v3.json is what that store read back."""
    db = tmp_path / "history.sqlite3"
    db.write_bytes((GOLDEN / "history_v3.sqlite3").read_bytes())
    before = json.loads((GOLDEN / "history_v3.json").read_text())
    with HistoryStore.open(db) as store:
        assert store.schema_version == SCHEMA_VERSION
        for old in before:
            now = store.get(old["id"]).to_dict()
            new_keys = {"kind": "single", "plan": None, "group_id": None, "person": None}
            assert {k: now[k] for k in new_keys} == new_keys
            assert _old_keys(now, old) == old  # every value there was is there, unchanged
            assert all(r["exercise"] == "" for r in now["rep_details"])  # old reps named no exercise
            assert all(s["exercise"] == old["exercise"] for s in now["sets"])
        assert store.thumbnails(1) == {1: b"\xff\xd8golden-jpeg-1", 2: b"\xff\xd8golden-jpeg-2"}
        infos = {i.id: i for i in store.list_sessions()}
        assert infos[2].set_exercises == ("push_ups", "push_ups") and infos[2].kind == "single"
        assert not infos[4].finished and not infos[4].recording  # the crashed session stays as it was
    conn = sqlite3.connect(db)
    assert conn.execute("SELECT exercise FROM sets WHERE session_id = 1 ORDER BY idx").fetchall() == [("squats",)] * 2
    assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
    conn.close()


def test_a_downgraded_history_of_each_older_version_migrates_to_the_same_sessions(db):
    with HistoryStore.open(db) as store:
        original = store.import_summary(sample_summary())
    for version in (3, 2):
        downgrade(db, version)
        with HistoryStore.open(db) as store:
            assert store.schema_version == SCHEMA_VERSION
            assert store.get(original.id) == original


def _workout() -> WorkoutSummary:
    """A plan workout: squats then push-ups, one person of a group run."""
    return plan_workout("2024-05-01T07:30:00+00:00", group_id=7, person="1")


def test_a_workout_keeps_each_sets_exercise_its_kind_plan_and_group(db):
    with HistoryStore.open(db) as store:
        stored = store.import_summary(_workout())
        assert record(stored) == record(_workout())
        [info] = store.list_sessions()
        assert (info.kind, info.plan_name, info.group_id, info.person) == ("plan", "legs", 7, "1")
        assert info.set_exercises == ("squats", "push_ups") and info.set_reps == (3, 3)
        # A workout is found by the exercises of its sets, but is no earlier session of a single exercise.
        assert [i.id for i in store.list_sessions(exercise="push_ups")] == [stored.id]
        squats = store.import_summary(sample_summary(started_at="2024-06-01T07:00:00+00:00"))
        assert store.earlier(squats) == []
    conn = sqlite3.connect(db)
    assert conn.execute("SELECT plan_name FROM sessions WHERE id = ?", (stored.id,)).fetchone() == ("legs",)
    conn.close()


def test_the_people_of_one_group_run_are_separate_sessions_not_duplicates(db):
    with HistoryStore.open(db) as store:
        first = store.import_summary(replace(sample_summary(), group_id=3, person="1"))
        second = store.import_summary(replace(sample_summary(), group_id=3, person="2"))
        assert first.id != second.id
        with pytest.raises(HistoryError, match="already in history"):
            store.import_summary(replace(sample_summary(), group_id=3, person="2"))


def test_a_recorded_workout_keeps_its_sets_exercises_and_plan(db):
    workout = _workout()
    with HistoryStore.open(db) as store:
        sid = store.begin_session("legs", started_at=workout.started_at, title=workout.title, source=workout.source,
                                  model=workout.model, params=workout.params, kind="plan", plan_name="legs",
                                  group_id=7, person="1")
        store.save_progress(sid, reps=workout.rep_details[:3], sets=workout.sets[:1])
        partial = store.get(sid)
        assert (partial.kind, partial.group_id, partial.person, partial.plan) == ("plan", 7, "1", None)
        assert [s.exercise for s in partial.sets] == ["squats"]
        store.finish_session(sid, replace(workout, id=sid))
        assert record(store.get(sid)) == record(workout)

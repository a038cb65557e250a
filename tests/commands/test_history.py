"""`fitness history [delete|import]` and `fitness summary` through fitness.cli.app, output captured."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
import re
import stat
import sys
import time
from dataclasses import replace
from pathlib import Path

import pytest
from session_factories import plan_workout, record, sample_summary

from fitness import paths
from fitness.cli import app
from fitness.session.store import HistoryStore


@pytest.fixture(autouse=True)
def utc(monkeypatch):
    """Dates print in local time; pin it so the expected dates hold anywhere."""
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


@pytest.fixture
def history():
    """Three squat sessions (1, 3, 5 May) and one lunge session (4 May) in the default history."""
    ids = {}
    with HistoryStore.open() as store:
        for day, exercise in [(1, "squats"), (3, "squats"), (4, "lunges"), (5, "squats")]:
            ids[day] = store.import_summary(sample_summary(f"2024-05-0{day}T07:30:00+00:00", exercise)).id
    return ids


def run(capsys, *argv, stdin=None, monkeypatch=None):
    if monkeypatch is not None:
        monkeypatch.setattr(sys, "stdin", stdin)
    code = app(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_empty_history_is_a_friendly_line_and_creates_nothing(capsys):
    for argv in (["history"], ["summary"], ["summary", "last"]):
        code, out, err = run(capsys, *argv)
        assert (code, err) == (0, "")
        assert out.startswith("No sessions in history yet")
    assert not paths.history_db().exists()


def test_history_lists_sessions_newest_first(capsys, history):
    code, out, _ = run(capsys, "history")
    assert code == 0
    rows = [line for line in out.splitlines() if "2024-05-0" in line]
    assert [row.split("│")[1].strip() for row in rows] == [str(history[d]) for d in (5, 4, 3, 1)]
    assert "2 × 3" in rows[0]  # sets × counted reps per set (3 and 3)
    assert "lunges" in rows[1] and "squats" in rows[0]
    assert "0:47" in rows[0]  # duration


def test_history_filters(capsys, history):
    _, out, _ = run(capsys, "history", "--exercise", "lunges")
    assert "lunges" in out and "squats" not in out
    _, out, _ = run(capsys, "history", "--since", "2024-05-04", "--limit", "1")
    assert out.count("2024-05-0") == 1 and "1 of " in out
    _, out, _ = run(capsys, "history", "--exercise", "plank")
    assert out.strip() == "No sessions match these filters."


@pytest.mark.parametrize(
    "argv, match", [(["--since", "last week"], "--since expects a date"), (["--limit", "0"], "--limit must be")]
)
def test_history_bad_options_are_usage_errors(capsys, history, argv, match):
    code, _, err = run(capsys, "history", *argv)
    assert code == 2 and match in err and len(err.strip().splitlines()) == 1


def test_summary_shows_sets_reps_tempo_and_trends(capsys, history):
    code, out, _ = run(capsys, "summary")  # last = 5 May
    assert code == 0
    assert f"Session {history[5]}" in out
    assert "Sets" in out and "Reps" in out
    assert "no-rep depth" in out and "chest_up" in out
    assert "1.4" in out and "90° to 170°" in out  # eccentric tempo 0.45 * 3 s (shown 1.4), range of motion
    assert "Trend against your earlier squats sessions" in out and "mean of last 2" in out


def test_summary_of_the_first_session_has_nothing_to_compare(capsys, history):
    _, out, _ = run(capsys, "summary", str(history[1]))
    assert "No earlier squats sessions to compare with yet." in out


def test_summary_unknown_id_says_how_to_see_ids(capsys, history):
    code, _, err = run(capsys, "summary", "999")
    assert code == 1
    assert err.startswith("fitness: error: no session 999") and "'fitness history'" in err


def test_summary_json_to_stdout_reimports_losslessly(capsys, history, tmp_path):
    code, out, err = run(capsys, "summary", str(history[3]), "--json")
    assert (code, err) == (0, "")
    exported = json.loads(out)
    assert exported["reps"] == 6 and [r["counted"] for r in exported["rep_details"]].count(False) == 1
    file = tmp_path / "s.json"
    file.write_text(out)
    other = tmp_path / "other.sqlite3"
    code, out, _ = run(capsys, "history", "import", str(file), "--db", str(other))
    assert code == 0 and "as session 1" in out
    with HistoryStore.open(other) as a, HistoryStore.open() as b:
        assert record(a.get(1)) == record(b.get(history[3]))


def test_summary_writes_json_csv_and_plot_files(capsys, history, tmp_path):
    out_json, out_csv, out_png = tmp_path / "s.json", tmp_path / "s.csv", tmp_path / "s.png"
    code, out, _ = run(
        capsys, "summary", "last", "--json", str(out_json), "--csv", str(out_csv), "--plot", str(out_png)
    )
    assert code == 0
    # Exports print one line each, not the summary again.
    assert out.splitlines() == [
        f"JSON written to {out_json}", f"CSV written to {out_csv}", f"Plot written to {out_png}"
    ]
    assert json.loads(out_json.read_text())["id"] == history[5]
    rows = list(csv.DictReader(io.StringIO(out_csv.read_text())))
    assert len(rows) == 7 and [r["counted"] for r in rows].count("0") == 1
    assert rows[1]["issues"] == "chest_up" and rows[2]["reason"] == "depth" and rows[4]["set"] == "2"
    assert float(rows[0]["phase_bottom_s"]) == pytest.approx(0.3)
    assert out_png.read_bytes()[:4] == b"\x89PNG"


def test_summary_json_to_stdout_keeps_notes_on_stderr(capsys, history, tmp_path):
    code, out, err = run(capsys, "summary", "--json", "--csv", str(tmp_path / "s.csv"))
    assert code == 0 and json.loads(out)["exercise"] == "squats" and err == f"CSV written to {tmp_path / 's.csv'}\n"


def test_import_twice_is_refused(capsys, history, tmp_path):
    file = tmp_path / "s.json"
    with HistoryStore.open() as store:
        file.write_text(store.get(history[1]).to_json())
    code, _, err = run(capsys, "history", "import", str(file))
    assert code == 1 and f"already in history as session {history[1]}" in err


@pytest.mark.parametrize(
    "content, match", [(None, "cannot read"), ("{oops", "not valid JSON"), ('{"reps": 1}', "missing key")]
)
def test_import_bad_files_are_one_line_errors(capsys, tmp_path, content, match):
    file = tmp_path / "bad.json"
    if content is not None:
        file.write_text(content)
    code, _, err = run(capsys, "history", "import", str(file))
    assert code == 1 and match in err and len(err.strip().splitlines()) == 1


@pytest.mark.parametrize(
    "answer, deleted", [("y\n", True), ("YES\n", True), ("n\n", False), ("\n", False), ("", False), (None, False)]
)
def test_delete_asks_first(capsys, monkeypatch, history, answer, deleted):
    stdin = None if answer is None else io.StringIO(answer)
    code, out, _ = run(capsys, "history", "delete", str(history[3]), stdin=stdin, monkeypatch=monkeypatch)
    assert "[y/N]" in out
    assert code == (0 if deleted else 1)
    with HistoryStore.open() as store:
        assert (history[3] not in [s.id for s in store.list_sessions()]) == deleted
        assert len(store.list_sessions()) == (3 if deleted else 4)


def test_delete_yes_skips_the_question(capsys, history):
    code, out, _ = run(capsys, "history", "delete", str(history[1]), "--yes")
    assert code == 0 and "[y/N]" not in out and f"Deleted session {history[1]}" in out


def test_delete_unknown_id(capsys, history):
    code, _, err = run(capsys, "history", "delete", "999", "--yes")
    assert code == 1 and "no session 999" in err and "'fitness history'" in err


def test_a_corrupt_database_is_one_line_and_stays_as_it_was(capsys, tmp_path):
    db = tmp_path / "broken.sqlite3"
    db.write_bytes(b"\x00garbage" * 512)
    before = hashlib.sha256(db.read_bytes()).hexdigest()
    for argv in (
        ["history"],
        ["summary"],
        ["history", "import", str(tmp_path / "x.json")],
        ["history", "delete", "1", "--yes"],
    ):
        (tmp_path / "x.json").write_text(sample_summary().to_json())
        code, _, err = run(capsys, *argv, "--db", str(db))
        assert code == 1 and "not an SQLite database" in err and len(err.strip().splitlines()) == 1
    assert hashlib.sha256(db.read_bytes()).hexdigest() == before


@pytest.mark.parametrize("where", ["before", "after"])
def test_db_option_works_before_and_after_the_action(capsys, tmp_path, history, where):
    other = tmp_path / "other.sqlite3"
    with HistoryStore.open(other) as store:
        victim = store.import_summary(sample_summary()).id
    db = ["--db", str(other)]
    argv = (
        ["history", *db, "delete", str(victim), "--yes"]
        if where == "before"
        else ["history", "delete", str(victim), "--yes", *db]
    )
    code, _, _ = run(capsys, *argv)
    assert code == 0
    with HistoryStore.open(other) as store:
        assert store.list_sessions() == []
    with HistoryStore.open() as store:
        assert len(store.list_sessions()) == 4  # the default history was not touched


@pytest.mark.parametrize("argv", [["summary", "3"], ["history", "delete", "3", "--yes"]])
def test_a_missing_database_is_not_created_by_asking_for_an_id(capsys, argv):
    code, _, err = run(capsys, *argv)
    assert code == 1 and "does not exist yet" in err
    assert not paths.history_db().exists()


@pytest.mark.parametrize("option", ["--csv", "--json", "--plot"])
def test_unwritable_export_paths_are_one_line_errors(capsys, history, tmp_path, option):
    code, out, err = run(capsys, "summary", option, str(tmp_path / "missing" / "dir" / "out"))
    assert (code, out) == (2, "")  # refused before anything is printed
    folder = tmp_path / "missing" / "dir"
    assert err == f"fitness: error: cannot write {option} {folder / 'out'}: the folder {folder} does not exist\n"


def test_names_print_as_they_are_not_as_markup(capsys):
    with HistoryStore.open() as store:
        odd = replace(sample_summary(exercise="[red]squats[/"), title="[bold]x", issues={"[/]": 1})
        odd = replace(odd, rep_details=tuple(replace(r, issues=("[/]",)) for r in odd.rep_details))
        store.import_summary(odd)
    for argv in (["history"], ["summary"]):
        code, out, err = run(capsys, *argv)
        assert code == 0, err
        assert "[red]squats[/" in out
    assert "[/] × 1" in out and "[bold]x" in out


def test_holds_and_uneven_sets_read_naturally(capsys):
    from fitness.session.summary import SetSummary, WorkoutSummary

    plank = WorkoutSummary("plank", "camera:0", "m", "2024-06-01T08:00:00+00:00", 70.0, 2100, 30.0, 0, 0, hold_s=62.5)
    uneven = replace(
        sample_summary("2024-06-02T08:00:00+00:00"),
        sets=tuple(
            SetSummary(i, a, b, n, m, "squats")
            for i, a, b, n, m in ((1, 0.0, 12.0, 3, 1), (2, 37.0, 43.0, 2, 0), (3, 80.0, 83.0, 1, 0))
        ),
    )
    with HistoryStore.open() as store:
        store.import_summary(plank)
        store.import_summary(uneven)
    _, out, _ = run(capsys, "history")
    assert "hold 1:02" in out and "3 × (3/2/1)" in out
    _, out, _ = run(capsys, "summary", "1")
    assert "held 62.5 s in good form" in out


def test_a_workouts_hold_sets_show_their_seconds(capsys):
    from fitness.session.summary import SetSummary

    sets = (SetSummary(1, 0.0, 12.0, 3, 0, "squats"), SetSummary(2, 30.0, 61.0, 0, 0, "plank", hold_s=30.5),
            SetSummary(3, 90.0, 115.0, 0, 0, "plank", hold_s=24.0))
    workout = replace(sample_summary("2024-06-03T08:00:00+00:00", exercise="workout"), sets=sets, kind="auto")
    with HistoryStore.open() as store:
        store.import_summary(workout)
    _, out, _ = run(capsys, "history")
    assert "plank 2 × (0:30/0:24)" in out
    _, out, _ = run(capsys, "summary", "1")
    cells = header(out)
    assert "held s" in cells and "30.5" in out and "24.0" in out


def header(out: str) -> list[str]:
    line = next(line for line in out.splitlines() if line.startswith("┃"))
    return [cell.strip() for cell in line.strip("┃").split("┃")]


def test_the_history_table_has_no_untitled_column(capsys, history):
    _, out, _ = run(capsys, "history")
    assert header(out) == ["id", "date", "exercise", "sets × reps", "reps", "no-reps", "form", "duration"]
    with HistoryStore.open() as store:
        store.import_summary(replace(sample_summary("2024-05-06T07:30:00+00:00"), interrupted=True))
    _, out, _ = run(capsys, "history")
    assert header(out)[-1] == "note" and "interrupted" in out


def trend_row(out: str, metric: str) -> list[str]:
    line = next(line for line in out.splitlines() if line.startswith(f"│ {metric} "))
    return [cell.strip() for cell in line.strip("│").split("│")]


def test_trends_show_counts_as_whole_numbers_and_no_negative_zero(capsys):
    first = sample_summary("2024-05-01T07:30:00+00:00")
    second = replace(sample_summary("2024-05-02T07:30:00+00:00"), reps=3)
    # The form score a hair below the previous session's: a change of -0.014 must print as 0.0, not -0.0.
    reps = list(first.rep_details)
    reps[0] = replace(reps[0], score=reps[0].score - 0.1)
    third = replace(sample_summary("2024-05-03T07:30:00+00:00"), rep_details=tuple(reps))
    with HistoryStore.open() as store:
        for s in (first, second, third):
            store.import_summary(s)
    _, out, _ = run(capsys, "summary")
    assert trend_row(out, "reps") == ["reps", "6", "3", "4.5", "+3"]
    assert trend_row(out, "no-reps") == ["no-reps", "1", "1", "1", "0"]
    assert trend_row(out, "form score")[-1] == "0.0"
    assert not re.search(r"(?<![\w-])-0(\.0*)?(?![\d.])", out)  # no -0 or -0.0 anywhere (dates aside)


def test_a_curl_range_reads_from_to(capsys):
    summary = sample_summary()
    reps = tuple(replace(r, signal="curl_pct", rom=(-70.2, 83.4)) for r in summary.rep_details)
    with HistoryStore.open() as store:
        store.import_summary(replace(summary, rep_details=reps, trace={}))
    _, out, _ = run(capsys, "summary")
    assert "-70% to 83%" in out and "154%" in out and "curl (%)" in out


@pytest.mark.parametrize("suffix", ["", "-wal", "-shm"])
def test_an_export_never_overwrites_the_history_database(capsys, history, suffix):
    db = paths.history_db()
    target = Path(f"{db}{suffix}")
    before = target.read_bytes() if target.exists() else None
    for option in ("--json", "--csv", "--plot"):
        code, out, err = run(capsys, "summary", option, str(target))
        assert (code, out) == (2, "")
        what = "the history database" if not suffix else f"a file of the history database {db}"
        assert err == f"fitness: error: {option} {target} is {what}; refusing to overwrite it, choose another file\n"
    assert (target.read_bytes() if target.exists() else None) == before
    with HistoryStore.open() as store:
        assert store.count_sessions() == 4


def test_exports_into_a_folder_or_onto_each_other_are_refused_up_front(capsys, history, tmp_path):
    code, out, err = run(capsys, "summary", "--json", str(tmp_path))
    assert (code, out) == (2, "")
    assert err == f"fitness: error: cannot write --json {tmp_path}: it is a folder; give a file name inside it\n"
    same = tmp_path / "out.txt"
    code, out, err = run(capsys, "summary", "--json", str(same), "--csv", str(same))
    assert (code, out) == (2, "") and f"--json and --csv name the same file ({same})" in err
    assert not same.exists()


def test_exported_files_get_ordinary_permissions(capsys, history, tmp_path):
    old = os.umask(0o022)
    try:
        run(capsys, "summary", "--json", str(tmp_path / "s.json"), "--csv", str(tmp_path / "s.csv"))
    finally:
        os.umask(old)
    assert [stat.S_IMODE((tmp_path / n).stat().st_mode) for n in ("s.json", "s.csv")] == [0o644, 0o644]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["s.csv", "s.json"]  # no temp files left


def test_names_with_escape_codes_already_in_history_print_harmlessly(capsys):
    with HistoryStore.open() as store:
        store.import_summary(replace(sample_summary(exercise="squats\x1b[2J"), title="T\x1b[31m", source="v\x07"))
    for argv in (["history"], ["summary"]):
        _, out, _ = run(capsys, *argv)
        assert "\x1b" not in out and "\x07" not in out and "squats[2J" in out


# -- workouts ------------------------------------------------------------------------------------------
def test_history_lists_a_workout_with_its_sets_by_exercise(capsys, history):
    with HistoryStore.open() as store:
        workout = store.import_summary(plan_workout())
    code, out, _ = run(capsys, "history")
    assert code == 0
    row = next(line for line in out.splitlines() if line.startswith(f"│ {workout.id:>2} "))
    assert "plan legs" in row and "squats 1 × 3, push-ups 1 × 3" in row
    code, out, _ = run(capsys, "history", "--exercise", "push_ups")
    assert f"│ {workout.id:>2} " in out and "lunges" not in out


def test_summary_shows_a_workout_set_by_set_and_its_plan(capsys, history):
    with HistoryStore.open() as store:
        workout = store.import_summary(plan_workout())
    code, out, _ = run(capsys, "summary", str(workout.id))
    assert code == 0
    assert re.search(r"│ +1 │ squats +│ +3 │", out) and re.search(r"│ +2 │ push-ups +│ +3 │", out)
    assert "Plan Legs: planned vs done" in out
    assert re.search(r"squats +│ +1 × 3 @ 12.5 kg │ +3 │ done +│ +37.5 kg", out)
    assert re.search(r"push-ups +│ +2 × 5 │ +3 │ 1 of 2 sets", out)
    assert "Volume: 37.5 kg" in out
    code, out, _ = run(capsys, "summary", str(history[1]))
    assert "exercise" not in out.split("Sets")[1].split("\n")[2]  # one exercise: no exercise column


def test_summary_json_of_a_workout_round_trips_through_import(capsys, history, tmp_path):
    with HistoryStore.open() as store:
        workout = store.import_summary(plan_workout())
    code, out, _ = run(capsys, "summary", str(workout.id), "--json")
    doc = json.loads(out)
    assert doc["kind"] == "plan" and doc["plan"]["volume_kg"] == 37.5
    assert [s["exercise"] for s in doc["sets"]] == ["squats", "push_ups"]
    path = tmp_path / "w.json"
    path.write_text(out)
    run(capsys, "history", "delete", str(workout.id), "--yes")
    assert run(capsys, "history", "import", str(path))[0] == 0
    with HistoryStore.open() as store:
        assert record(store.last()) == record(workout)


def test_trends_count_each_exercise_of_a_workout_by_week(capsys, history):
    with HistoryStore.open() as store:
        store.import_summary(plan_workout())
    code, out, _ = run(capsys, "history", "trends")
    assert code == 0
    # squats: two sets of 3 on 1, 3 and 5 May (a Sunday: week 18); the workout's one set on Monday 6 May.
    assert re.search(r"squats +│ 2024-W18 │ +3 │ +6 │ +18 │ +- │ +3 │", out)
    assert re.search(r"squats +│ 2024-W19 │ +1 │ +1 │ +3 │ +37.5 kg │ +3 │", out)
    assert re.search(r"push-ups +│ 2024-W19 │ +1 │ +1 │ +3 │ +- │ +3 │", out)
    assert "Best squats set: 3 reps @ 12.5 kg" in out
    code, out, _ = run(capsys, "history", "trends", "--exercise", "lunges")
    assert "lunges" in out and "squats" not in out


def test_trends_with_an_empty_history(capsys):
    code, out, _ = run(capsys, "history", "trends")
    assert code == 0 and "No sessions in history yet" in out

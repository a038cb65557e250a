"""A recording process killed with SIGKILL leaves a database that opens cleanly with every committed rep.

The child (crash_writer.py) prints a line after each committed rep; the parent kills it on a chosen line,
so the timing comes from the pipe, not from sleeps.
"""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from fitness.session.store import HistoryStore

WRITER = Path(__file__).with_name("crash_writer.py")
pytestmark = pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL (POSIX)")


def start_writer(db: Path, repo_root: Path, *args: str) -> subprocess.Popen:
    env = {**os.environ, "PYTHONPATH": str(repo_root)}  # this checkout's fitness, not an installed one
    return subprocess.Popen(
        [sys.executable, str(WRITER), str(db), *args],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env, cwd=repo_root,
    )


def read_line(proc: subprocess.Popen) -> str:
    line = proc.stdout.readline()
    if not line:
        proc.kill()
        pytest.fail(f"writer exited early: {proc.communicate()[1]}")
    return line.strip()


def kill(proc: subprocess.Popen) -> None:
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=60)
    assert proc.returncode == -signal.SIGKILL
    proc.stdin.close()
    proc.stdout.close()
    proc.stderr.close()


def assert_consistent(db: Path, session_id: int) -> tuple[int, int]:
    """The database opens, passes an integrity check, and the session's totals agree with its reps."""
    conn = sqlite3.connect(db)
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    conn.close()
    with HistoryStore.open(db) as store:
        session = store.get(session_id)
        [info] = store.list_sessions()
    reps = session.rep_details
    assert [r.index for r in reps] == list(range(1, len(reps) + 1))
    assert session.reps == sum(r.counted for r in reps) and session.no_reps == sum(not r.counted for r in reps)
    assert sum(s.reps + s.no_reps for s in session.sets) == len(reps)
    assert session.issues.get("chest_up", 0) == len([r for r in reps if r.index % 3 == 0])
    assert session.interrupted and not info.finished  # a crashed session shows as such, and is still listed
    return len(reps), session.reps


def test_killed_mid_rep_keeps_every_committed_rep(tmp_path, repo_root):
    db = tmp_path / "history.sqlite3"
    proc = start_writer(db, repo_root, "block", "5")
    session_id = int(read_line(proc).split()[1])
    assert [read_line(proc) for _ in range(6)] == [*(f"committed {k}" for k in range(1, 6)), "mid-rep"]
    kill(proc)
    assert Path(f"{db}-wal").exists()  # the crash left the log behind; opening must recover from it
    assert assert_consistent(db, session_id) == (5, 4)  # rep 4 was a no-rep


def test_killed_at_an_arbitrary_point_loses_nothing_committed(tmp_path, repo_root):
    db = tmp_path / "history.sqlite3"
    proc = start_writer(db, repo_root, "run")
    session_id = int(read_line(proc).split()[1])
    for k in range(1, 9):
        assert read_line(proc) == f"committed {k}"
    kill(proc)  # while it keeps writing: possibly inside a transaction
    total, _ = assert_consistent(db, session_id)
    assert total >= 8


def test_a_live_recording_is_not_deleted_under_it_but_a_killed_one_can_be(tmp_path, repo_root, capsys):
    from fitness.cli import app

    db = tmp_path / "history.sqlite3"
    proc = start_writer(db, repo_root, "block", "2")
    session_id = int(read_line(proc).split()[1])
    assert [read_line(proc) for _ in range(3)] == ["committed 1", "committed 2", "mid-rep"]
    assert app(["history", "delete", str(session_id), "--yes", "--db", str(db)]) == 1
    assert f"session {session_id} is being recorded right now" in capsys.readouterr().err
    assert app(["history", "--db", str(db)]) == 0 and "recording now" in capsys.readouterr().out
    assert proc.poll() is None  # still recording
    kill(proc)
    assert app(["history", "--db", str(db)]) == 0 and "crashed" in capsys.readouterr().out
    assert app(["history", "delete", str(session_id), "--yes", "--db", str(db)]) == 0
    with HistoryStore.open(db) as store:
        assert store.list_sessions() == []
    assert list(tmp_path.iterdir()) == [db]  # no lock file left behind (and the WAL folded in on close)

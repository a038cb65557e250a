"""A history the user may not write (read-only folder or file) is reported as such, never as "corrupt".

Tests run as root, where chmod does not stop writes: the CLI then runs under `setpriv` without the
capabilities that let root ignore file permissions, so SQLite meets the same refusals a normal user does.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import sqlite3
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from session_factories import sample_summary

from fitness.errors import HistoryError
from fitness.session import store as store_module
from fitness.session.store import ACCESS_HINT, HistoryStore

ROOT_POWERS = "dac_override,dac_read_search,fowner"
READ_ONLY_DIR = stat.S_IRUSR | stat.S_IXUSR | stat.S_IRGRP | stat.S_IXGRP | stat.S_IROTH | stat.S_IXOTH


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def as_user(tmp_path, repo_root):
    """Run `fitness ARGS` with file permissions enforced; returns (exit code, stderr)."""
    prefix: list[str] = []
    if os.geteuid() == 0:
        setpriv = shutil.which("setpriv")
        if setpriv is None:
            pytest.skip("running as root without setpriv: file permissions cannot be enforced")
        prefix = [
            setpriv,
            f"--bounding-set=-{ROOT_POWERS.replace(',', ',-')}",
            f"--inh-caps=-{ROOT_POWERS.replace(',', ',-')}",
        ]
    probe = tmp_path / "probe"
    probe.mkdir()
    probe.chmod(READ_ONLY_DIR)
    denied = subprocess.run([*prefix, sys.executable, "-c", f"open({str(probe / 'x')!r}, 'w')"], capture_output=True)
    if denied.returncode == 0:
        pytest.skip("this environment lets the process write into read-only folders")
    env = {**os.environ, "PYTHONPATH": str(repo_root)}

    def run(home: Path, *args: str) -> tuple[int, str]:
        done = subprocess.run(
            [*prefix, sys.executable, "-m", "fitness", *args],
            env={**env, "FITNESS_HOME": str(home)},
            capture_output=True,
            text=True,
            cwd=repo_root,
            timeout=120,
        )
        return done.returncode, done.stderr

    yield run
    for folder in tmp_path.iterdir():
        folder.chmod(0o755)


def history_in(folder: Path) -> Path:
    folder.mkdir()
    db = folder / "history.sqlite3"
    with HistoryStore.open(db) as store:
        store.import_summary(sample_summary())
    assert not Path(f"{db}-wal").exists()  # closed cleanly: the database is the one file
    return db


def test_a_read_only_home_without_a_history(as_user, tmp_path):
    home = tmp_path / "home"
    home.mkdir()
    home.chmod(READ_ONLY_DIR)
    export = tmp_path / "s.json"
    export.write_text(sample_summary().to_json())
    code, err = as_user(home, "history", "import", str(export))
    db = home / "history.sqlite3"
    assert (code, err) == (
        1,
        f"fitness: error: cannot write the history database {db}: the folder {home} is read-only ({ACCESS_HINT})\n",
    )


def test_a_read_only_home_with_a_history_is_not_called_corrupt(as_user, tmp_path):
    db = history_in(tmp_path / "home")
    before = sha256(db)
    db.parent.chmod(READ_ONLY_DIR)
    code, err = as_user(db.parent, "history")
    assert (code, err) == (
        1,
        f"fitness: error: cannot write the history database {db}: the folder {db.parent} is read-only "
        f"({ACCESS_HINT})\n",
    )
    assert sha256(db) == before


def test_a_read_only_database_file_lists_but_does_not_delete(as_user, tmp_path):
    db = history_in(tmp_path / "home")
    db.chmod(0o444)
    code, err = as_user(db.parent, "history")
    assert (code, err) == (0, "")
    code, err = as_user(db.parent, "history", "delete", "1", "--yes")
    assert (code, err) == (
        1,
        f"fitness: error: cannot write the history database {db}: {db} is read-only ({ACCESS_HINT})\n",
    )
    with HistoryStore.open(db) as store:
        assert store.count_sessions() == 1


def test_sqlite_refusing_to_write_is_explained_from_the_file_system(tmp_path, monkeypatch):
    """Without a subprocess: SQLite opened read-only gives its real SQLITE_READONLY error; os.access says why."""
    db = history_in(tmp_path / "home")
    real_connect = sqlite3.connect
    monkeypatch.setattr(
        sqlite3,
        "connect",
        lambda path, *a, uri=False, **kw: real_connect(
            str(path) if uri else f"{Path(path).as_uri()}?mode=ro", *a, uri=True, **kw
        ),
    )
    monkeypatch.setattr(store_module.os, "access", lambda p, mode: Path(p) != db.parent)
    with HistoryStore.open(db) as store:
        with pytest.raises(HistoryError) as err:
            store.delete(1)
    assert (
        str(err.value) == f"cannot write the history database {db}: the folder {db.parent} is read-only ({ACCESS_HINT})"
    )

"""Which unfinished sessions are being recorded right now, and which were abandoned by a crash.

The recording process holds an OS file lock on `<database>-recording-<id>.lock` (beside the database)
from the moment its session row exists until it finishes. The OS drops the lock when the process ends in
any way (exit, crash, SIGKILL), so an unfinished session whose lock can be taken was abandoned. Locks are
per open file (flock on POSIX, msvcrt on Windows): two stores in one process exclude each other as two
processes do. Without either, no session counts as recording.
"""

from __future__ import annotations

import contextlib
import glob
import os
from pathlib import Path

try:
    import fcntl
except ImportError:  # Windows
    fcntl = None  # type: ignore[assignment]
try:
    import msvcrt
except ImportError:  # POSIX
    msvcrt = None  # type: ignore[assignment]


LOCK_INFIX, LOCK_SUFFIX = "-recording-", ".lock"  # a lock file's name: <database><INFIX><session id><SUFFIX>


def lock_path(db: Path, session_id: int) -> Path:
    return db.with_name(f"{db.name}{LOCK_INFIX}{session_id}{LOCK_SUFFIX}")


def database_files(path: Path) -> list[Path]:
    """The history database at `path` and every file kept beside it (SQLite's journals, recording locks):
    outputs must never be written over any of them."""
    siblings = [Path(f"{path}{suffix}") for suffix in ("-wal", "-shm", "-journal")]
    try:
        locks = sorted(path.parent.glob(f"{glob.escape(path.name)}{LOCK_INFIX}*{LOCK_SUFFIX}"))
    except OSError:
        locks = []
    return [path, *siblings, *locks]


def _try_lock(fd: int, exclusive: bool) -> bool:
    if fcntl is not None:
        try:
            fcntl.flock(fd, (fcntl.LOCK_EX if exclusive else fcntl.LOCK_SH) | fcntl.LOCK_NB)
        except BlockingIOError:
            return False
        return True
    if msvcrt is not None:
        try:
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
    return True


class RecordingLock:
    """One held lock file; `release()` removes the file and lets go (closing the file is what unlocks)."""

    def __init__(self, fd: int, path: Path) -> None:
        self._fd: int | None = fd
        self.path = path

    @classmethod
    def acquire(cls, path: Path) -> RecordingLock:
        """Create and lock the file for a new recording; OSError when that is impossible (e.g. held)."""
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
        if not _try_lock(fd, exclusive=True):
            os.close(fd)
            raise BlockingIOError(f"{path} is locked by another process")
        return cls(fd, path)

    @classmethod
    def take_over(cls, path: Path) -> RecordingLock | None:
        """Lock an existing file of an abandoned recording: the lock, or None while its recorder is alive.

        A missing file means no recorder holds it (the session finished, or an older fitness recorded it).
        """
        try:
            fd = os.open(path, os.O_RDWR)
        except FileNotFoundError:
            return cls(-1, path)
        if not _try_lock(fd, exclusive=True):
            os.close(fd)
            return None
        return cls(fd, path)

    def release(self) -> None:
        if self._fd is None:
            return
        fd, self._fd = self._fd, None
        if fd < 0:
            return
        if os.name == "nt":  # Windows cannot remove an open file
            os.close(fd)
            with contextlib.suppress(OSError):
                os.unlink(self.path)
            return
        with contextlib.suppress(OSError):
            os.unlink(self.path)  # removed before unlocking: no one finds it unlocked while it still exists
        os.close(fd)


def is_held(path: Path) -> bool:
    """True while a live process holds the recording lock at `path` (a quick, shared probe)."""
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return False
    try:
        return not _try_lock(fd, exclusive=False)
    finally:
        os.close(fd)

"""The files a session writes (`--json`, `--save-video`), checked before the session starts.

An output must not be one of the session's inputs or the user's data (the input video or image folder, the
exercise file, the history database, the model cache or a model file): writing it would destroy that file.
Its folder must exist and be writable and the name must not be a folder, so nothing is found out only after
the whole session. Paths are compared resolved (symlinks, `..`, relative to the working folder) and, where
both exist, by identity of the file (hard links too).
"""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from fitness import paths
from fitness.errors import HistoryError, UsageError
from fitness.models.fetch import is_model_path
from fitness.session.recording_lock import database_files
from fitness.text import printable


@dataclass(frozen=True)
class Protected:
    """A file or folder no output may replace. what: how the user knows it ("the input video").
    folder: also refuse anything inside it."""

    path: Path
    what: str
    folder: bool = False


def default_file_mode() -> int:
    """The mode a plainly created file gets: 0o666 minus the process umask (e.g. 0o644)."""
    mask = os.umask(0o022)
    os.umask(mask)
    return 0o666 & ~mask


def atomic_target(out: str | Path) -> Path:
    """Where an atomic write of `out` really goes: `out` itself, or the file a symlink `out` points to (so the
    link is kept and its file updated)."""
    path = Path(out).expanduser()
    return resolved(path) if path.is_symlink() else path


def temp_beside(path: Path, suffix: str = ".tmp") -> Path:
    """A new empty hidden file next to `path` (same folder, so renaming it onto `path` is atomic), with normal
    permissions rather than mkstemp's private 0o600. Raises OSError."""
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=suffix, dir=path.parent)
    os.close(fd)
    os.chmod(tmp, default_file_mode())
    return Path(tmp)


def write_atomic(data: bytes, out: str | Path) -> Path:
    """Writes `data` to a temp file beside `out` and renames it over `out`, so `out` is always the old file or
    the whole new one. A new file gets the permissions of any new file, a replaced one keeps its own; through
    a symlink the file it points to is replaced. A HistoryError (one line) when that is impossible."""
    path = atomic_target(out)
    tmp: Path | None = None
    try:
        mode = stat.S_IMODE(path.stat().st_mode) if path.exists() else None
        tmp = temp_beside(path)
        with open(tmp, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        if mode is not None:
            os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException as exc:
        if tmp is not None:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
        if isinstance(exc, OSError):
            raise HistoryError(
                f"cannot write {_show(path)}: {exc.strerror or exc}; choose another output path"
            ) from exc
        raise
    return Path(out).expanduser()


def resolved(path: str | Path) -> Path:
    """`path` absolute, with `~`, symlinks and `..` resolved as far as they exist."""
    return Path(os.path.realpath(Path(path).expanduser()))


def same_file(a: str | Path, b: str | Path) -> bool:
    """Whether `a` and `b` name the same file: by identity when both exist, else by resolved path."""
    try:
        return os.path.samefile(a, b)
    except OSError:
        return resolved(a) == resolved(b)


def is_inside(path: str | Path, folder: str | Path) -> bool:
    """Whether `path` is `folder` or anywhere under it."""
    target = resolved(path)
    return any(same_file(p, folder) for p in (target, *target.parents))


def session_inputs(
    *, source: str, input_path: str | None, exercise: str, model: str, db: str | None
) -> list[Protected]:
    """What a `fitness run` session reads or keeps, for `check_outputs`."""
    protected: list[Protected] = []
    if input_path:
        kind = "the input video" if source == "video" else "the input image folder"
        protected.append(Protected(Path(input_path), kind, folder=source == "images"))
    if Path(exercise).expanduser().is_file():
        protected.append(Protected(Path(exercise), "the exercise file"))
    if is_model_path(model) and Path(model).expanduser().exists():
        protected.append(Protected(Path(model), "the model", folder=True))
    for db_path in dict.fromkeys(Path(p) for p in (db, paths.history_db()) if p):
        protected.extend(history_files(db_path))
    protected.append(Protected(paths.models_dir(), "the model cache", folder=True))
    return protected


def history_files(db: Path) -> list[Protected]:
    """The history database and the files SQLite and the recorder keep beside it."""
    return [Protected(p, "the history database" if p == db else f"a file of the history database {_show(db)}")
            for p in database_files(db)]


def check_outputs(outputs: Mapping[str, str | None], protected: Iterable[Protected]) -> None:
    """UsageError (one line) unless every output (option -> path; None = not asked for) can be written.

    Refused: a folder, an existing non-file (a device, a pipe), a folder that does not exist or cannot be
    written, a protected file or anything inside a protected folder, two options naming the same file.
    """
    protected = list(protected)
    asked = {option: path for option, path in outputs.items() if path is not None}
    for option, path in asked.items():
        _check_writable(option, path)
        for item in protected:
            named = f"{option} {_show(path)}"
            if same_file(path, item.path):
                raise UsageError(f"{named} is {item.what}; refusing to overwrite it, choose another file")
            if item.folder and is_inside(path, item.path):
                raise UsageError(f"{named} is inside {item.what} ({_show(item.path)}); choose a file elsewhere")
    options = list(asked)
    for i, first in enumerate(options):
        for second in options[i + 1:]:
            if same_file(asked[first], asked[second]):
                raise UsageError(f"{first} and {second} name the same file ({_show(asked[first])}); give each its own")


def _check_writable(option: str, path: str) -> None:
    if not path.strip():
        raise UsageError(f"{option} needs a file name")
    target = Path(path).expanduser()
    cannot = f"cannot write {option} {_show(path)}"
    if target.is_dir():
        raise UsageError(f"{cannot}: it is a folder; give a file name inside it")
    if target.exists() and not target.is_file():
        raise UsageError(f"{cannot}: it exists and is not a regular file; give a file name")
    folder = resolved(target).parent
    if not folder.exists():
        raise UsageError(f"{cannot}: the folder {_show(folder)} does not exist")
    if not folder.is_dir():
        raise UsageError(f"{cannot}: {_show(folder)} is not a folder")
    if not os.access(folder, os.W_OK | os.X_OK):
        raise UsageError(f"{cannot}: the folder {_show(folder)} is not writable (permission denied)")


def _show(path: str | Path) -> str:
    return printable(str(path))

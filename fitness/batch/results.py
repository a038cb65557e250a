"""`DIR/results.jsonl`: one JSON object per line and video, appended as each video finishes.

Each line is written with one `write` to a file opened for appending, and synced, so an interrupted batch
leaves whole lines (a line cut by a power cut is dropped when the file is next read). A video's key
(`ResumeKey`) is its resolved path, size, modification time and exercise: a re-run skips videos whose key is
already there. The last line of a video wins; `compact` rewrites the file (atomically) with one line per video.
"""

from __future__ import annotations

import contextlib
import json
import os
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from fitness.errors import FitnessError
from fitness.session.outputs import atomic_target, resolved, temp_beside
from fitness.text import printable

RESULTS_NAME = "results.jsonl"


@dataclass(frozen=True)
class ResumeKey:
    """What says a video was already analysed: its resolved path, size and modification time, and the exercise
    asked for. A file that cannot be read has the path as given and no size or time."""

    path: str
    bytes: int | None
    mtime_ns: int | None
    exercise: str

    @classmethod
    def of(cls, video: str, exercise: str) -> ResumeKey:
        try:
            st = os.stat(video)
        except OSError:
            return cls(video, None, None, exercise)
        return cls(str(resolved(video)), st.st_size, st.st_mtime_ns, exercise)

    @classmethod
    def from_record(cls, record: Mapping[str, Any]) -> ResumeKey | None:
        key = record.get("key")
        if not isinstance(key, dict):
            return None
        try:
            return cls(key["path"], key.get("bytes"), key.get("mtime_ns"), key["exercise"])
        except (KeyError, TypeError):
            return None

    @property
    def video(self) -> tuple[str, str]:
        """Which video and exercise the line is about, whatever version of the file: a newer version's line
        replaces an older one's."""
        return (self.path, self.exercise)

    def to_dict(self) -> dict[str, Any]:
        return {"path": self.path, "bytes": self.bytes, "mtime_ns": self.mtime_ns, "exercise": self.exercise}


def is_failure(record: Mapping[str, Any]) -> bool:
    return "error" in record


@dataclass(frozen=True)
class Done:
    """What the driver keeps of a finished video (not its whole line: a batch may hold a million): its key and
    its error (None when it was analysed)."""

    key: ResumeKey
    error: str | None


class ResultsLog:
    """The results file of one output folder: what is there (`load`), a line per finished video (`add`), one
    line per video again (`compact`) and the lines (`records`). Read line by line, never whole."""

    def __init__(self, out_dir: Path) -> None:
        self.path = out_dir / RESULTS_NAME
        self.done: dict[tuple[str, str], Done] = {}  # ResumeKey.video -> its last line
        self.needs_compact = False  # torn lines, or several lines for one video
        self._fd: int | None = None

    def _lines(self) -> Iterator[tuple[bytes, dict[str, Any] | None]]:
        """(raw line, its object) for each line; the object is None for a torn or unreadable line."""
        try:
            f = self.path.open("rb")
        except FileNotFoundError:
            return
        except OSError as exc:
            raise FitnessError(f"cannot read {printable(str(self.path))}: {exc.strerror or exc}") from None
        with f:
            for raw in f:
                try:
                    record = json.loads(raw.decode("utf-8")) if raw.endswith(b"\n") else None
                except (UnicodeDecodeError, json.JSONDecodeError):
                    record = None
                yield raw, record if isinstance(record, dict) else None

    def load(self) -> dict[tuple[str, str], Done]:
        """What the file holds, one `Done` per video (its last line). A torn or unreadable line is skipped and
        marks the file for compacting, which must happen before the next append."""
        self.done = {}
        for _, record in self._lines():
            if record is None:
                self.needs_compact = True
            else:
                self._note(record)
        return self.done

    def _note(self, record: Mapping[str, Any]) -> None:
        key = ResumeKey.from_record(record)
        if key is not None:
            self.needs_compact |= key.video in self.done
            self.done[key.video] = Done(key, record.get("error") if is_failure(record) else None)

    def add(self, record: Mapping[str, Any]) -> None:
        """Appends the line with one write and syncs it."""
        data = (json.dumps(record, allow_nan=False, separators=(",", ":")) + "\n").encode("utf-8")
        if self._fd is None:
            self._fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o666)
        view = memoryview(data)
        while view:  # one write for a regular file; the loop only guards against a short write
            view = view[os.write(self._fd, view):]
        os.fsync(self._fd)
        self._note(record)

    def close(self) -> None:
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None

    def compact(self) -> None:
        """Rewrites the file (atomically: a temp file beside it, renamed) with the last line of each video and
        every line that names none, dropping torn lines."""
        self.close()
        keep = last_lines(_TORN if record is None else _video_of(record) for _, record in self._lines())
        tmp = temp_beside(atomic_target(self.path))
        try:
            with open(tmp, "wb") as out:
                for i, (raw, _) in enumerate(self._lines()):
                    if i in keep:
                        out.write(raw)
                out.flush()
                os.fsync(out.fileno())
            os.replace(tmp, atomic_target(self.path))
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
            raise
        self.needs_compact = False

    def records(self) -> Iterator[dict[str, Any]]:
        """Every line's object, in order (one per video once compacted)."""
        return (record for _, record in self._lines() if record is not None)


_TORN = object()  # a line that is not a whole JSON object


def _video_of(record: Mapping[str, Any]) -> Any:
    key = ResumeKey.from_record(record)
    return key.video if key is not None else None


def last_lines(videos: Iterable[Any]) -> set[int]:
    """Which lines to keep, given each line's video (`ResumeKey.video`): the last line of each video and every
    line that names none (None); torn lines (`_TORN`) go."""
    last: dict[Any, int] = {}
    keep: set[int] = set()
    for i, video in enumerate(videos):
        if video is _TORN:
            continue
        if video is None:
            keep.add(i)
        else:
            last[video] = i
    return keep | set(last.values())

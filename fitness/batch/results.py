"""`DIR/results.jsonl`: one JSON object per line and video, appended as each video finishes.

Each line is written with one `write` to a file opened for appending, and synced, so an interrupted batch
leaves whole lines (a line cut by a power cut is dropped when the file is next read). A video's key
(`ResumeKey`) is its resolved path, size, modification time and exercise: a re-run skips videos whose key is
already there. The
last line of a video wins; `compact` rewrites the file (atomically) with one line per video.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from fitness.errors import FitnessError
from fitness.session.outputs import resolved, write_atomic
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


class ResultsLog:
    """The results file of one output folder: read what is there, append a line per finished video."""

    def __init__(self, out_dir: Path) -> None:
        self.path = out_dir / RESULTS_NAME
        self._fd: int | None = None
        self.needs_compact = False  # torn lines or several lines for one key

    def load(self) -> list[dict[str, Any]]:
        """The whole lines of the file in order (a torn or unreadable line is left out and marks the file for
        compacting, which also happens before the first append)."""
        try:
            text = self.path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return []
        except (OSError, UnicodeDecodeError) as exc:
            raise FitnessError(f"cannot read {printable(str(self.path))}: {exc}") from None
        records, keys = [], set()
        for line in text.splitlines():
            try:
                record = json.loads(line)
            except json.JSONDecodeError:
                self.needs_compact = True
                continue
            if not isinstance(record, dict):
                self.needs_compact = True
                continue
            key = ResumeKey.from_record(record)
            self.needs_compact |= key is not None and key.video in keys
            keys.add(key.video if key is not None else None)
            records.append(record)
        self.needs_compact |= bool(text) and not text.endswith("\n")
        return records

    def append(self, record: Mapping[str, Any]) -> None:
        data = (json.dumps(record, allow_nan=False, separators=(",", ":")) + "\n").encode("utf-8")
        if self._fd is None:
            self._fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o666)
        view = memoryview(data)
        while view:  # one write for a regular file; the loop only guards against a short write
            view = view[os.write(self._fd, view):]
        os.fsync(self._fd)

    def close(self) -> None:
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None

    def compact(self, records: Iterable[Mapping[str, Any]]) -> None:
        """Rewrites the file atomically with the last line of each video (lines without a key are kept)."""
        self.close()
        latest = latest_records(records)
        write_atomic("".join(json.dumps(r, allow_nan=False, separators=(",", ":")) + "\n" for r in latest).encode(),
                     self.path)
        self.needs_compact = False


def latest_records(records: Iterable[Mapping[str, Any]]) -> list[Mapping[str, Any]]:
    """One record per video (`ResumeKey.video`), the last one, in the order of those last lines."""
    latest: dict[Any, Mapping[str, Any]] = {}
    for i, record in enumerate(records):
        key = ResumeKey.from_record(record)
        key = ("line", i) if key is None else key.video
        latest.pop(key, None)
        latest[key] = record
    return list(latest.values())

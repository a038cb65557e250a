"""The videos of a batch: files, folders searched recursively and CSV manifests (`video[,exercise]`), each with
the exercise to analyse it as."""

from __future__ import annotations

import csv
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from fitness.errors import UsageError
from fitness.session.outputs import is_inside
from fitness.text import printable

# The file endings a folder search takes for videos (compared lower-case).
VIDEO_SUFFIXES = frozenset({".mp4", ".m4v", ".mov", ".avi", ".mkv", ".webm", ".mpg", ".mpeg", ".wmv", ".flv"})
MANIFEST_SUFFIX = ".csv"
# `--exercise auto` is recognising the exercise from the video (issue #16), not built yet.
AUTO = "auto"


@dataclass(frozen=True)
class VideoInput:
    """One video to analyse. video: its path as given (or as found in a folder / manifest); exercise: the
    exercise's name or YAML file (None when neither the manifest nor --exercise gives one)."""

    video: str
    exercise: str | None


def expand_inputs(items: Sequence[str], exercise: str | None, out_dir: Path) -> list[VideoInput]:
    """Every video the INPUT arguments name, in order, without repeats. Folders are searched recursively (the
    output folder is left out, so annotated videos are never analysed again); a `.csv` file is a manifest
    whose relative paths are relative to its folder. A video without an exercise is a UsageError."""
    found: list[VideoInput] = []
    for item in items:
        path = Path(item).expanduser()
        if path.is_dir():
            found.extend(VideoInput(str(v), exercise) for v in _videos_in(path, out_dir))
        elif path.suffix.lower() == MANIFEST_SUFFIX and path.is_file():
            found.extend(read_manifest(path, exercise))
        elif path.is_file():
            found.append(VideoInput(item, exercise))
        else:
            raise UsageError(f"input {printable(item)} does not exist (give video files, folders or a CSV manifest)")
    unique = list(dict.fromkeys(found))
    for video in unique:
        check_exercise(video)
    return unique


def check_exercise(video: VideoInput) -> None:
    if video.exercise is None:
        raise UsageError(f"no exercise for {printable(video.video)}: give --exercise NAME or an exercise column")
    if video.exercise == AUTO:
        raise UsageError("--exercise auto (recognising the exercise from the video) is not available yet; "
                         "give an exercise name (see 'fitness exercises list')")


def _videos_in(folder: Path, out_dir: Path) -> Iterable[Path]:
    files = (p for p in folder.rglob("*") if p.suffix.lower() in VIDEO_SUFFIXES and p.is_file())
    return sorted(p for p in files if not is_inside(p, out_dir))


def read_manifest(path: Path, exercise: str | None) -> list[VideoInput]:
    """The rows of a manifest: a header with `video` and optionally `exercise` (an empty cell means
    --exercise). Relative paths are taken from the manifest's folder."""
    shown = printable(str(path))
    try:
        with path.open(newline="", encoding="utf-8-sig") as f:
            reader = csv.DictReader(f)
            header = [(name or "").strip() for name in reader.fieldnames or ()]
            rows = list(reader)
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        raise UsageError(f"cannot read the manifest {shown}: {exc}") from None
    if "video" not in header:
        raise UsageError(f"the manifest {shown} has no 'video' column in its header (columns: video[,exercise])")
    out = []
    for row in rows:
        row = {k.strip(): (v or "").strip() for k, v in row.items() if k is not None}
        if not row.get("video"):
            continue
        video = Path(row["video"]).expanduser()
        video = video if video.is_absolute() else path.parent / video
        out.append(VideoInput(str(video), row.get("exercise") or exercise))
    return out

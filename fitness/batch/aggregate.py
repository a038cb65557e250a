"""Tables over a batch's results: `DIR/summary.csv` (one row per video) and, with --parquet,
`DIR/results.parquet` (the same columns plus every rep, for data tools; needs pyarrow from `fitness[scale]`)."""

from __future__ import annotations

import contextlib
import csv
import json
import math
import os
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import IO, Any

from fitness.errors import UsageError
from fitness.session.outputs import temp_beside

SUMMARY_NAME = "summary.csv"
PARQUET_NAME = "results.parquet"
SUMMARY_COLUMNS = (
    "video", "exercise", "status", "reps", "no_reps", "hold_s", "duration_s", "frames", "fps", "mean_score",
    "issues", "interrupted", "history_id", "error",
)
PARQUET_ROWS = 10_000  # rows per row group: the table is never all in memory
REP_FIELDS = ("index", "counted", "reason", "side", "set_index", "start_t", "end_t", "duration_s", "score",
              "rom_min", "rom_max", "issues")


def summary_row(record: Mapping[str, Any]) -> dict[str, Any]:
    """One video as a row of SUMMARY_COLUMNS (None where a value does not apply)."""
    if "error" in record:
        return {**dict.fromkeys(SUMMARY_COLUMNS), "video": record.get("video"),
                "exercise": record.get("exercise") or (record.get("key") or {}).get("exercise"), "status": "failed",
                "error": record["error"]}
    scores = [r["score"] for r in record.get("rep_details", ()) if r.get("counted") and r.get("score") is not None]
    issues = record.get("issues") or {}
    return {
        "video": record.get("video"), "exercise": record.get("exercise"), "status": "ok",
        "reps": record.get("reps"), "no_reps": record.get("no_reps"), "hold_s": record.get("hold_s"),
        "duration_s": record.get("duration_s"), "frames": record.get("frames"), "fps": record.get("fps"),
        "mean_score": sum(scores) / len(scores) if scores else None,
        "issues": ";".join(f"{rule}={n}" for rule, n in sorted(issues.items())),
        "interrupted": record.get("interrupted"), "history_id": record.get("id"), "error": None,
    }


def _cell(x: Any) -> Any:
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return ""
    if isinstance(x, bool):
        return int(x)
    return repr(x) if isinstance(x, float) else x


def write_summary_csv(records: Iterable[Mapping[str, Any]], out_dir: Path) -> Path:
    """summary.csv, row by row into a temp file beside it, renamed when whole."""
    with _atomic(out_dir / SUMMARY_NAME, "w") as f:
        writer = csv.writer(f, lineterminator="\n")
        writer.writerow(SUMMARY_COLUMNS)
        for record in records:
            row = summary_row(record)
            writer.writerow([_cell(row[c]) for c in SUMMARY_COLUMNS])
    return out_dir / SUMMARY_NAME


@contextlib.contextmanager
def _atomic(path: Path, mode: str) -> Iterator[IO]:
    """A file to write `path` through: a temp file beside it, synced and renamed over `path` when the block ends
    without an error, removed otherwise."""
    tmp = temp_beside(path)
    try:
        with open(tmp, mode, newline="" if "b" not in mode else None) as f:
            yield f
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def _rep_row(rep: Mapping[str, Any]) -> dict[str, Any]:
    rom = rep.get("rom") or [None, None]
    return {**{k: rep.get(k) for k in REP_FIELDS if k not in ("rom_min", "rom_max")},
            "rom_min": rom[0], "rom_max": rom[1], "issues": list(rep.get("issues") or ())}


def require_pyarrow() -> tuple[Any, Any]:
    """pyarrow and pyarrow.parquet, or the UsageError saying how to install them (checked before a batch)."""
    try:
        import pyarrow
        import pyarrow.parquet
    except ImportError:
        raise UsageError("--parquet needs pyarrow, which is not installed: pip install 'fitness[scale]'") from None
    return pyarrow, pyarrow.parquet


def write_parquet(records: Iterable[Mapping[str, Any]], out_dir: Path) -> Path:
    """results.parquet: the summary columns, `rep_details` (a list of reps) and `summary_json` (the whole line),
    written PARQUET_ROWS rows at a time to a temp file beside it, renamed when whole."""
    pa, pq = require_pyarrow()
    rep_type = pa.struct([
        ("index", pa.int64()), ("counted", pa.bool_()), ("reason", pa.string()), ("side", pa.string()),
        ("set_index", pa.int64()), ("start_t", pa.float64()), ("end_t", pa.float64()),
        ("duration_s", pa.float64()), ("score", pa.float64()), ("rom_min", pa.float64()), ("rom_max", pa.float64()),
        ("issues", pa.list_(pa.string())),
    ])
    types = {"video": pa.string(), "exercise": pa.string(), "status": pa.string(), "reps": pa.int64(),
             "no_reps": pa.int64(), "hold_s": pa.float64(), "duration_s": pa.float64(), "frames": pa.int64(),
             "fps": pa.float64(), "mean_score": pa.float64(), "issues": pa.string(), "interrupted": pa.bool_(),
             "history_id": pa.int64(), "error": pa.string()}
    schema = pa.schema([*types.items(), ("rep_details", pa.list_(rep_type)), ("summary_json", pa.string())])
    path = out_dir / PARQUET_NAME
    with _atomic(path, "wb") as f, pq.ParquetWriter(f, schema) as writer:
        for chunk in _chunks(records, PARQUET_ROWS):
            rows = [{**summary_row(r), "rep_details": [_rep_row(rep) for rep in r.get("rep_details", ())],
                     "summary_json": json.dumps(r, allow_nan=False)} for r in chunk]
            writer.write_table(pa.Table.from_pylist(rows, schema=schema))
    return path


def _chunks(items: Iterable[Any], size: int) -> Iterator[list[Any]]:
    chunk: list[Any] = []
    for item in items:
        chunk.append(item)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk

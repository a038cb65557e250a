"""Scored clips and the table over them: `ClipResult` (one clip, also as `fitness eval --json` writes it) and
`summarize` (a row per exercise, view and variant). Pure: no video, no model."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from fitness.errors import SourceError
from fitness.jsonvalues import nan_to_null, null_to_nan
from fitness.synth.scoring import FaultTally, TempoError, count_score, tempo_summary

ZERO17 = np.zeros(17, int)


def _zero17() -> np.ndarray:
    return ZERO17.copy()


@dataclass(frozen=True)
class ClipResult:
    """One clip scored. pck_*: per-keypoint hits and counts over visible true keypoints.

    variant: the truth's exercise variant ("" for the default and for renders older than variants).
    tempo: the timing errors of each truth full rep matched to a counted predicted rep (empty when the truth
    has no tempo times). phantom_*: see `fitness.synth.scoring.Phantoms`; None when not scored (keypoints only,
    a failed clip, a result file older than phantoms).
    """

    name: str
    exercise: str
    view: str
    true_reps: int
    pred_reps: int | None = None
    faults: FaultTally = FaultTally()
    partials: int = 0  # partial reps in the truth ...
    partials_flagged: int = 0  # ... that came out as a no-rep (not as nothing, not as a rep)
    pck_hits: np.ndarray = field(default_factory=_zero17)
    pck_counted: np.ndarray = field(default_factory=_zero17)
    error: str | None = None
    variant: str = ""
    tempo: tuple[TempoError, ...] = ()
    phantom_no_reps: int | None = None
    phantom_reps: int | None = None

    def to_dict(self) -> dict:
        return {
            "name": self.name, "exercise": self.exercise, "view": self.view, "true_reps": self.true_reps,
            "pred_reps": self.pred_reps, "fault_tp": self.faults.tp, "fault_fp": self.faults.fp,
            "fault_fn": self.faults.fn, "partials": self.partials, "partials_flagged": self.partials_flagged,
            "pck_hits": int(self.pck_hits.sum()), "pck_counted": int(self.pck_counted.sum()), "error": self.error,
            "variant": self.variant,
            "tempo_errors": [{k: nan_to_null(v) for k, v in vars(e).items()} for e in self.tempo],
            "phantom_no_reps": self.phantom_no_reps, "phantom_reps": self.phantom_reps,
        }

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> ClipResult:
        """The inverse of `to_dict`, also for files written before variants, tempo and phantoms. The JSON keeps
        only PCK totals: they come back in the first keypoint's slot (what `summarize` uses is the sum)."""
        hits, counted = _zero17(), _zero17()
        hits[0], counted[0] = int(d.get("pck_hits", 0)), int(d.get("pck_counted", 0))
        return cls(
            d["name"], d["exercise"], d["view"], int(d["true_reps"]), d.get("pred_reps"),
            FaultTally(int(d.get("fault_tp", 0)), int(d.get("fault_fp", 0)), int(d.get("fault_fn", 0))),
            int(d.get("partials", 0)), int(d.get("partials_flagged", 0)), hits, counted, d.get("error"),
            variant=d.get("variant") or "",
            tempo=tuple(TempoError(**{k: null_to_nan(v) for k, v in e.items()}) for e in d.get("tempo_errors", ())),
            phantom_no_reps=d.get("phantom_no_reps"), phantom_reps=d.get("phantom_reps"),
        )


def load_results(path: str | Path) -> list[ClipResult]:
    """The clips of a `fitness eval --json` file."""
    path = Path(path)
    try:
        data = json.loads(path.read_text())
        if not isinstance(data, list) or not all(isinstance(d, dict) for d in data):
            raise ValueError("expected a list of clip objects")
        return [ClipResult.from_dict(d) for d in data if d.get("kind") != "workout"]  # workouts: other rows
    except (OSError, ValueError, TypeError, KeyError) as exc:
        raise SourceError(f"cannot read eval results '{path}' (a 'fitness eval --json' file): {exc!r}") from exc


@dataclass(frozen=True)
class GroupRow:
    """One line of the table: an exercise, view and variant over its clips."""

    exercise: str
    view: str
    variant: str
    clips: int
    exact_rate: float
    mae: float
    off_by_one_rate: float
    fault_precision: float
    fault_recall: float
    no_rep_recall: float  # truth partial reps reported as no-reps
    pck: float
    errors: int
    tempo_reps: int = 0  # matched full reps with truth tempo ...
    tempo_share: float = float("nan")  # ... whose five timing errors are all within TEMPO_TOLERANCE_S
    tempo_worst_median_s: float = float("nan")  # median over those reps of their worst timing error
    phantom_no_reps: int | None = None
    phantom_reps: int | None = None


def _sum_known(values: Sequence[int | None]) -> int | None:
    known = [v for v in values if v is not None]
    return sum(known) if known else None


def summarize(results: Sequence[ClipResult]) -> list[GroupRow]:
    """Per exercise, view and variant, plus an 'all' row last."""
    groups: dict[tuple[str, str, str], list[ClipResult]] = {}
    for r in results:
        groups.setdefault((r.exercise, r.view, r.variant), []).append(r)
    keys = sorted(groups) + [("all", "", "")]
    rows = []
    for key in keys:
        rs = list(results) if key[0] == "all" else groups[key]
        ok = [r for r in rs if r.error is None and r.pred_reps is not None]
        cs = count_score([r.pred_reps for r in ok], [r.true_reps for r in ok])  # type: ignore[misc]
        tally = sum((r.faults for r in ok), FaultTally())
        hits = sum(int(r.pck_hits.sum()) for r in rs)
        counted = sum(int(r.pck_counted.sum()) for r in rs)
        partials = sum(r.partials for r in ok)
        no_rep_recall = sum(r.partials_flagged for r in ok) / partials if partials else float("nan")
        tempo_reps, tempo_share, tempo_median = tempo_summary(e for r in ok for e in r.tempo)
        rows.append(GroupRow(
            *key, clips=len(rs), exact_rate=cs.exact_rate, mae=cs.mae, off_by_one_rate=cs.off_by_one_rate,
            fault_precision=tally.precision, fault_recall=tally.recall, no_rep_recall=no_rep_recall,
            pck=hits / counted if counted else float("nan"), errors=sum(r.error is not None for r in rs),
            tempo_reps=tempo_reps, tempo_share=tempo_share, tempo_worst_median_s=tempo_median,
            phantom_no_reps=_sum_known([r.phantom_no_reps for r in ok]),
            phantom_reps=_sum_known([r.phantom_reps for r in ok]),
        ))
    return rows

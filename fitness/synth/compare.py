"""Several evaluated sets side by side (e.g. `fitness eval --json` over four seed sets): per exercise, view and
variant the mean over the sets and the worst set's figure. Pure; `benchmarks/eval_compare.py` prints it."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from fitness.synth.results import ClipResult, summarize

METRICS = ("exact_rate", "no_rep_recall", "tempo_share")  # GroupRow fields compared, all rates (higher is better)


@dataclass(frozen=True)
class Spread:
    """One rate over the sets that measured it (NaN where a set has nothing to measure, e.g. no partial reps)."""

    mean: float
    worst: float
    sets: int  # sets with a value


def spread(values: Sequence[float]) -> Spread:
    known = [v for v in values if not math.isnan(v)]
    if not known:
        return Spread(math.nan, math.nan, 0)
    return Spread(sum(known) / len(known), min(known), len(known))


@dataclass(frozen=True)
class CompareRow:
    exercise: str
    view: str
    variant: str
    sets: int  # sets with clips of this exercise, view and variant
    clips: int  # over all those sets
    rates: Mapping[str, Spread]  # METRICS name -> its spread


def compare_sets(sets: Sequence[Sequence[ClipResult]]) -> list[CompareRow]:
    """The clips of each set -> a row per exercise, view and variant found in any set, the 'all' row last."""
    tables = [{(r.exercise, r.view, r.variant): r for r in summarize(clips)} for clips in sets]
    keys = sorted({k for t in tables for k in t if k[0] != "all"}) + [("all", "", "")]
    out = []
    for key in keys:
        rows = [t[key] for t in tables if key in t]
        rates = {m: spread([getattr(r, m) for r in rows]) for m in METRICS}
        out.append(CompareRow(*key, sets=len(rows), clips=sum(r.clips for r in rows), rates=rates))
    return out


HEADERS = ("exercise", "view", "variant", "sets", "clips", "exact mean", "exact worst", "no-rep R mean",
           "no-rep R worst", "tempo mean", "tempo worst")


def _pct(x: float) -> str:
    return "-" if math.isnan(x) else f"{100 * x:.0f}%"


def table_cells(rows: Sequence[CompareRow]) -> list[list[str]]:
    """The table as text cells, in HEADERS order."""
    return [
        [r.exercise, r.view, r.variant, str(r.sets), str(r.clips),
         *(_pct(x) for m in METRICS for x in (r.rates[m].mean, r.rates[m].worst))]
        for r in rows
    ]


def markdown_table(rows: Sequence[CompareRow]) -> str:
    lines = ["| " + " | ".join(HEADERS) + " |", "|" + " --- |" * len(HEADERS)]
    lines += ["| " + " | ".join(cells) + " |" for cells in table_cells(rows)]
    return "\n".join(lines) + "\n"

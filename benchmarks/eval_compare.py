"""Several `fitness eval --json` results side by side: per exercise, view and variant the mean over the sets
and the worst set's exact-count rate, no-rep recall and tempo share (`fitness.synth.compare`).

    fitness eval /tmp/set1000 --json s1000.json     # ... one file per seed set
    python benchmarks/eval_compare.py s1000.json s20000.json s50000.json s70000.json
    python benchmarks/eval_compare.py s*.json --markdown   # a table to paste into docs/synth.md
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from rich.console import Console  # noqa: E402
from rich.table import Table  # noqa: E402

from fitness.errors import SourceError  # noqa: E402
from fitness.synth.compare import HEADERS, compare_sets, markdown_table, table_cells  # noqa: E402
from fitness.synth.results import load_results  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("results", nargs="+", type=Path, help="'fitness eval --json' files, one per set")
    p.add_argument("--markdown", action="store_true", help="print a markdown table instead")
    args = p.parse_args(argv)
    try:
        sets = [load_results(path) for path in args.results]
    except SourceError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    rows = compare_sets(sets)
    if args.markdown:
        sys.stdout.write(markdown_table(rows))
        return 0
    table = Table(title=f"{len(sets)} evaluated sets: {', '.join(p.name for p in args.results)}")
    for col in HEADERS:
        table.add_column(col, justify="left" if col in ("exercise", "view", "variant") else "right")
    for cells in table_cells(rows):
        table.add_row(*cells)
    console = Console(width=None if sys.stdout.isatty() else 140)
    console.print(table)
    console.print("mean: over the sets that measured it; worst: the lowest set. tempo: matched reps whose start, "
                  "end and phase lengths are all within the tolerance (fitness.synth.scoring.TEMPO_TOLERANCE_S).")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""Two real people side by side: pairs of real clips of the same exercise, each scaled to one height and put next
to each other (ffmpeg hstack; the shorter clip holds its last frame to the end), then counted with
`fitness run EXERCISE --video COMPOSITE --people all`. Each clip is also counted alone
(`fitness run EXERCISE --video CLIP`); the check is that each person of the composite gets the count their clip
got alone. The clips' true counts are not needed: this checks that counting several people agrees with counting
one, on real footage.

    python benchmarks/eval_side_by_side.py --videos DIR --out /tmp/sbs                     # pairs from DIR/SOURCES.tsv
    python benchmarks/eval_side_by_side.py --videos DIR --out /tmp/sbs --pairs a.mp4+b.mp4:squats,...

Pairs by default: the clips of each exercise in SOURCES.tsv (columns `file` and `exercise`), taken two by two in
the file's order. A person of the composite is the left or the right clip's by where their box was on average; when
several people are on one side (a fragment, someone in the background), the one tracked longest is that clip's.
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import io
import json
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from fitness import cli  # noqa: E402

# SOURCES.tsv's exercise names -> the exercise files'.
EXERCISE_NAMES = {"squat": "squats", "pushup": "push_ups", "bicep_curl": "bicep_curls", "jumping_jack": "jumping_jacks",
                  "lunge": "lunges", "shoulder_press": "shoulder_press"}
HEIGHT_PX = 480  # each clip is scaled to this height in the composite (small: two people, a 2-core machine)
FPS = 30  # the composite's frame rate


def default_pairs(videos: Path) -> list[tuple[str, str, str]]:
    """(left file, right file, exercise) for the clips of each exercise in SOURCES.tsv, two by two."""
    by_exercise: dict[str, list[str]] = {}
    with (videos / "SOURCES.tsv").open(newline="") as f:
        for row in csv.DictReader(f, delimiter="\t"):
            name = EXERCISE_NAMES.get(row["exercise"])
            if name and (videos / row["file"]).exists():
                by_exercise.setdefault(name, []).append(row["file"])
    return [(files[k], files[k + 1], name) for name, files in by_exercise.items()
            for k in range(0, len(files) - 1, 2)]


def compose(left: Path, right: Path, out: Path) -> float:
    """The side-by-side video; returns the x (pixels) where the right clip starts."""
    probe = subprocess.run(["ffprobe", "-v", "error", "-select_streams", "v:0", "-show_entries", "stream=width,height",
                            "-of", "csv=p=0", str(left)], capture_output=True, text=True, check=True).stdout
    width, height = (int(v) for v in probe.strip().split(",")[:2])
    left_w = 2 * round(width * HEIGHT_PX / height / 2)
    scale = f"fps={FPS},scale=-2:{HEIGHT_PX},setsar=1,tpad=stop_mode=clone:stop_duration=120"
    subprocess.run(["ffmpeg", "-y", "-v", "error", "-i", str(left), "-i", str(right), "-filter_complex",
                    f"[0:v]{scale}[a];[1:v]{scale}[b];[a][b]hstack=inputs=2:shortest=0[s];"
                    f"[s]trim=duration={max(_duration(left), _duration(right)):.3f}[v]",
                    "-map", "[v]", "-an", "-c:v", "libx264", "-preset", "veryfast", "-crf", "20", str(out)], check=True)
    return float(left_w)


def _duration(video: Path) -> float:
    return float(subprocess.run(["ffprobe", "-v", "error", "-show_entries", "format=duration", "-of", "csv=p=0",
                                 str(video)], capture_output=True, text=True, check=True).stdout.strip())


def run(exercise: str, video: Path, out: Path, *extra: str) -> dict:
    with contextlib.redirect_stdout(io.StringIO()):
        code = cli.app(["run", exercise, "--video", str(video), "--no-window", "--no-history", "--json", str(out),
                        *extra])
    if code != 0:
        raise SystemExit(f"fitness run {exercise} --video {video} {' '.join(extra)} failed ({code})")
    return json.loads(out.read_text())


def sides(summary: dict, split_x: float) -> tuple[dict | None, dict | None, int]:
    """The left and right clip's person of a --people all summary, and how many other people were counted."""
    rows: dict[int, list[float]] = {}
    for _, pid, box in summary.get("tracks", []):
        rows.setdefault(pid, []).append((box[0] + box[2]) / 2)
    left, right = [], []
    for p in summary.get("people", []):
        xs = rows.get(p["id"], [])
        if xs:
            (left if sum(xs) / len(xs) < split_x else right).append((len(xs), p))
    pick = [max(group, key=lambda lp: lp[0])[1] if group else None for group in (left, right)]
    return pick[0], pick[1], len(summary.get("people", [])) - sum(p is not None for p in pick)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--videos", type=Path, required=True, help="the folder of real clips (with SOURCES.tsv)")
    p.add_argument("--out", type=Path, required=True, help="where the composites and run summaries go")
    p.add_argument("--pairs", default=None, help="LEFT+RIGHT:EXERCISE,... (default: from SOURCES.tsv)")
    args = p.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    pairs = ([(*spec.split(":")[0].split("+"), spec.split(":")[1]) for spec in args.pairs.split(",")]
             if args.pairs else default_pairs(args.videos))
    rows, agree = [], 0
    for left, right, exercise in pairs:
        alone = [run(exercise, args.videos / f, args.out / f"{Path(f).stem}.alone.json")["reps"] for f in (left, right)]
        composite = args.out / f"{Path(left).stem}+{Path(right).stem}.mp4"
        split_x = compose(args.videos / left, args.videos / right, composite)
        summary = run(exercise, composite, composite.with_suffix(".run.json"), "--people", "all")
        a, b, extra = sides(summary, split_x)
        together = [None if q is None else q["reps"] for q in (a, b)]
        same = together == alone
        agree += same
        rows.append((exercise, left, right, alone, together, extra, same))
        print(f"{exercise:14} {left} + {right}: alone {alone}, side by side {together}, other people {extra}"
              f"{'' if same else '  DIFFERENT'}", flush=True)
    print(f"each person's count the same as alone on {agree}/{len(rows)} composites")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

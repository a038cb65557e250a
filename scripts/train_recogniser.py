"""Build the exercise classifier's weights (fitness/workout/recogniser.npz) from rendered clips, reproducibly.

The data recipe (docs/recognition.md): clips rendered by `fitness render` (NAME.mp4 + NAME.truth.json), their
MoveNet poses cached once per clip (NAME.npz: xy, score, t), labels from the truth files. Seeds in
--exclude-seeds are never read for training (the held-out test set).

  python scripts/train_recogniser.py render-none NONE_DIR                  # the non-exercise clips (fitness render)
  python benchmarks/eval_counts.py --oblique --out OBLIQUE_DIR              # the oblique clips (seeds 100000-100063)
  python scripts/train_recogniser.py cache VIDEO_DIR... --cache CACHE      # MoveNet once per clip (needs the model)
  python scripts/train_recogniser.py train TRUTH_DIR... --cache CACHE [--out PATH] [--exclude-seeds 93000-95999]
                                                                    [--windows W.npz]
  python scripts/train_recogniser.py evaluate TRUTH_DIR... --cache CACHE [--model PATH] [--only-seeds 93000-95999]

`workouts` does the same for composite workout renders (`fitness render workout`): each set's label, none in rests.
`evaluate` replays each clip's cached poses frame by frame through the live classifier and prints per-window and
per-clip accuracy by exercise and view and the confusion matrix.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter, defaultdict
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from fitness.pose.types import Pose  # noqa: E402
from fitness.workout.model import RecogniserModel  # noqa: E402
from fitness.workout.recogniser import MotionClassifier  # noqa: E402
from fitness.workout.scores import NONE  # noqa: E402
from fitness.workout.training import (  # noqa: E402
    WINDOW_S,
    Clip,
    build_windows,
    clip_from_files,
    occluded_clip,
    still_clip,
    train_model,
    window_label,
)

DEFAULT_OUT = ROOT / "fitness" / "workout" / "recogniser.npz"
# Every training seed: one occluded copy of each clip (a hidden keypoint, random drop-outs) from this seed.
SEED = 0


def seed_range(text: str) -> range:
    lo, _, hi = text.partition("-")
    return range(int(lo), int(hi or lo) + 1)


def find_pairs(truth_dirs: list[Path], caches: list[Path], keep) -> list[tuple[Path, Path]]:
    """(cache npz, truth json) of every truth file in truth_dirs with a cached pose file, whose seed keep() likes
    (the seed is the number ending the name, NAME_SEED as `fitness render` names clips: a left-out clip's files
    are never opened); sorted by name, so the order (and the training) does not depend on the file system."""
    pairs = []
    for folder in truth_dirs:
        for truth in sorted(folder.glob("*.truth.json")):
            name = truth.name[: -len(".truth.json")]
            found = [c / f"{name}.npz" for c in caches if (c / f"{name}.npz").is_file()]
            seed = name.rsplit("_", 1)[-1]
            if found and seed.isdigit() and keep(int(seed)):
                pairs.append((found[0], truth))
    return sorted(pairs, key=lambda p: p[0].name)


def training_clips(pairs: list[tuple[Path, Path]], seed: int = SEED) -> list[Clip]:
    """Each clip, an occluded copy of it, and standing still from its lead-in when it starts standing."""
    rng = np.random.default_rng(seed)
    clips = []
    for npz, truth in pairs:
        clip = clip_from_files(npz, truth)
        clips += [clip, occluded_clip(clip, rng)]
        still = still_clip(clip)
        if still is not None:
            clips.append(still)
    return clips


def cmd_train(args) -> None:
    excluded = seed_range(args.exclude_seeds) if args.exclude_seeds else range(0)
    pairs = find_pairs(args.dirs, args.cache, lambda s: s not in excluded)
    if not pairs:
        sys.exit("no cached clips found")
    if args.windows and args.windows.is_file():
        with np.load(args.windows, allow_pickle=False) as saved:
            X, y, modes = saved["X"], tuple(str(s) for s in saved["y"]), tuple(str(s) for s in saved["modes"])
        print(f"{len(y)} windows from {args.windows}", flush=True)
    else:
        clips = training_clips(pairs, args.seed)
        data = build_windows(clips)
        X, y = data.X, data.y
        modes = tuple(f"{label} {clips[i].view}" for label, i in zip(y, data.clip))
        print(f"{len(pairs)} clips -> {len(clips)} with augmentation -> {len(y)} windows", flush=True)
        if args.windows:
            np.savez_compressed(args.windows, X=X, y=np.array(y), modes=np.array(modes))
    print(", ".join(f"{k} {v}" for k, v in sorted(Counter(y).items())), flush=True)
    model = train_model(X, y, hidden=args.hidden, epochs=args.epochs, seed=args.seed, modes=modes)
    train_acc = np.mean(np.array(model.labels)[model.predict(X, novelty=False).argmax(axis=1)] == np.array(y))
    args.out.parent.mkdir(parents=True, exist_ok=True)
    model.save(args.out)
    print(f"training windows right: {train_acc:.1%}; wrote {args.out} ({args.out.stat().st_size / 1024:.1f} KB)")


def stream(model: RecogniserModel, clip: Clip, smoothing: str = "none") -> list[dict[str, float]]:
    """The live classifier's probabilities at each frame of the clip (empty while not ready), fed the poses
    through the named live smoother first (as a live run feeds it)."""
    from fitness.smoothing import create_smoother

    smoother = create_smoother(smoothing)
    classifier = MotionClassifier(model)
    out = []
    for xy, score, t in zip(clip.xy, clip.score, clip.t):
        pose = None if np.isnan(xy).all() else Pose(xy.astype(np.float32), score.astype(np.float32), float(t))
        if pose is not None:
            pose = smoother.apply(pose)
        out.append(dict(classifier.update(pose, float(t)).probs))
    return out


def _table(title: str, rows: dict[str, list[bool]]) -> None:
    print(f"\n{title}")
    for key in sorted(rows):
        right = rows[key]
        print(f"  {key:34} {sum(right):5d}/{len(right):<5d} {np.mean(right):7.1%}")


def cmd_evaluate(args) -> None:
    only = seed_range(args.only_seeds) if args.only_seeds else None
    pairs = find_pairs(args.dirs, args.cache, lambda s: only is None or s in only)
    model = RecogniserModel.load(args.model)
    labels = list(model.labels)
    by_ex_clip: dict[str, list[bool]] = defaultdict(list)
    by_view_clip: dict[str, list[bool]] = defaultdict(list)
    by_ex_window: dict[str, list[bool]] = defaultdict(list)
    clip_confusion: Counter = Counter()
    window_confusion: Counter = Counter()
    rows = []
    for npz, truth in pairs:
        clip = clip_from_files(npz, truth)
        probs = stream(model, clip, args.smoothing)
        active = [p for p, t in zip(probs, clip.t) if p and window_label(clip, t - WINDOW_S, t) == clip.label]
        for p, t in zip(probs, clip.t):
            label = window_label(clip, t - WINDOW_S, t) if p else None
            if label is not None:
                guess = max(p, key=p.__getitem__)
                by_ex_window[label].append(guess == label)
                window_confusion[label, guess] += 1
        mean = {k: float(np.mean([p[k] for p in active])) for k in labels} if active else {}
        guess = max(mean, key=mean.__getitem__) if mean else "(never ready)"
        right = guess == clip.label
        by_ex_clip[clip.label].append(right)
        by_view_clip[f"{clip.label} {clip.view}"].append(right)
        clip_confusion[clip.label, guess] += 1
        rows.append({"clip": clip.name, "truth": clip.label, "view": clip.view, "guess": guess,
                     "p": mean.get(guess, 0.0)})
        if not right:
            print(f"wrong: {clip.name} -> {guess} ({mean.get(guess, 0.0):.2f})", flush=True)
    clips_right = [r for v in by_ex_clip.values() for r in v]
    windows_right = [r for v in by_ex_window.values() for r in v]
    print(f"\nclips labelled right: {sum(clips_right)}/{len(clips_right)} = {np.mean(clips_right):.1%}; "
          f"windows: {sum(windows_right)}/{len(windows_right)} = {np.mean(windows_right):.1%}")
    _table("clips by exercise", by_ex_clip)
    _table("clips by exercise and view", by_view_clip)
    _table("windows by true label", by_ex_window)
    for title, confusion in (("clip confusion (rows: truth)", clip_confusion),
                             ("window confusion (rows: truth)", window_confusion)):
        truths = sorted({a for a, _ in confusion})
        guesses = sorted({b for _, b in confusion})
        print(f"\n{title}\n{'':16}" + "".join(f"{g[:8]:>9}" for g in guesses))
        for a in truths:
            print(f"{a[:16]:16}" + "".join(f"{confusion[a, g]:9d}" for g in guesses))
    if args.json:
        Path(args.json).write_text(json.dumps(rows, indent=1))


def cmd_workouts(args) -> None:
    """Composite workout renders: per set, the label most frames of it carry; per kind of rest, how often the
    top label is `none`."""
    model = RecogniserModel.load(args.model)
    sets_right, rest_none = [], defaultdict(list)
    for truth_path in sorted(p for d in args.dirs for p in d.glob("*.truth.json")):
        truth = json.loads(truth_path.read_text())
        name = truth_path.name[: -len(".truth.json")]
        caches = [c / f"{name}.npz" for c in args.cache if (c / f"{name}.npz").is_file()]
        if truth.get("activity") != "workout" or not caches:
            continue
        clip = clip_from_files(caches[0], truth_path)
        tops = [max(p, key=p.__getitem__) if p else None for p in stream(model, clip, args.smoothing)]
        for s in truth["sets"]:
            inside = [top for top, t in zip(tops, clip.t) if top and s["start_s"] + WINDOW_S <= t <= s["end_s"]]
            guess = Counter(inside).most_common(1)[0][0] if inside else "(never ready)"
            share = inside.count(s["exercise"]) / len(inside) if inside else 0.0
            sets_right.append(guess == s["exercise"])
            print(f"{name} set {s['index']} {s['exercise']:15} -> {guess:15} ({share:.0%} of its frames)")
        sets = [(s["start_s"], s["end_s"]) for s in truth["sets"]]
        for top, t in zip(tops, clip.t):
            if top is None or any(a < t and t - WINDOW_S < b for a, b in sets):
                continue  # not ready, or the window overlaps a set (first rep to last)
            kind = next(seg["kind"] for seg in truth["segments"] if seg["start_s"] <= t <= seg["end_s"])
            rest_none[kind].append(top == NONE)
    if sets_right:
        print(f"\nsets labelled right: {sum(sets_right)}/{len(sets_right)}")
    _table("rest frames (window clear of every set) whose top label is none, by what the body does", rest_none)


# The non-exercise clips of the recipe: each activity in each view, 12 s, seeds from 100001 on.
NONE_ACTIVITIES = ("standing", "walking", "stretching", "pick_up")
NONE_VIEWS = ("front", "side", "oblique")
NONE_SEED = 100001
NONE_SECONDS = 12


def cmd_render_none(args) -> None:
    import subprocess

    args.out.mkdir(parents=True, exist_ok=True)
    seed = args.seed
    for activity in NONE_ACTIVITIES:
        for view in NONE_VIEWS:
            out = args.out / f"{activity}_{view}_{seed}.mp4"
            if not out.exists():
                subprocess.run([sys.executable, "-m", "fitness", "render", activity, "--seconds", str(NONE_SECONDS),
                                "--view", view, "--seed", str(seed), "--out", str(out)], check=True)
            seed += 1


def cmd_cache(args) -> None:
    from fitness.pipeline import analyze_video

    args.cache.mkdir(parents=True, exist_ok=True)
    for folder in args.dirs:
        for video in sorted(folder.glob("*.mp4")):
            out = args.cache / f"{video.stem}.npz"
            truth_path = video.with_name(video.stem + ".truth.json")
            if out.exists() or not truth_path.is_file():
                continue
            exercise = json.loads(truth_path.read_text()).get("exercise") or args.count_as
            poses = analyze_video(str(video), exercise if exercise != NONE else args.count_as).poses
            n = len(poses)
            xy = np.full((n, 17, 2), np.nan, np.float32)
            score = np.full((n, 17), np.nan, np.float32)
            t = np.full(n, np.nan)
            for i, p in enumerate(poses):
                if p is not None:
                    xy[i], score[i], t[i] = p.xy, p.score, p.t
            np.savez(out, xy=xy, score=score, t=t)
            print("cached", video.name, flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    train = sub.add_parser("train", help="train and write the weights")
    train.add_argument("dirs", nargs="+", type=Path, help="folders of NAME.truth.json")
    train.add_argument("--cache", type=Path, action="append", required=True,
                       help="folder of NAME.npz pose caches (repeat for more)")
    train.add_argument("--out", type=Path, default=DEFAULT_OUT)
    train.add_argument("--exclude-seeds", default="93000-95999", help="seeds never trained on (LO-HI)")
    train.add_argument("--seed", type=int, default=SEED)
    train.add_argument("--hidden", type=int, default=32)
    train.add_argument("--epochs", type=int, default=400)
    train.add_argument("--windows", type=Path, help="keep the training windows here (read them if it exists)")
    train.set_defaults(func=cmd_train)
    ev = sub.add_parser("evaluate", help="replay cached clips through the live classifier")
    ev.add_argument("dirs", nargs="+", type=Path)
    ev.add_argument("--cache", type=Path, action="append", required=True)
    ev.add_argument("--model", type=Path, default=DEFAULT_OUT)
    ev.add_argument("--only-seeds", default="", help="evaluate only these seeds (LO-HI)")
    ev.add_argument("--json", default="", help="write per-clip results here")
    ev.add_argument("--smoothing", default="none", help="a live smoother the poses go through first (live, none)")
    ev.set_defaults(func=cmd_evaluate)
    cache = sub.add_parser("cache", help="run MoveNet once per rendered clip and cache its poses")
    cache.add_argument("dirs", nargs="+", type=Path, help="folders of NAME.mp4 + NAME.truth.json")
    cache.add_argument("--cache", type=Path, required=True)
    cache.add_argument("--count-as", default="squats", help="exercise to run on clips of no exercise (poses only)")
    cache.set_defaults(func=cmd_cache)
    wk = sub.add_parser("workouts", help="composite workout renders: the label of each set, none in the rests")
    wk.add_argument("dirs", nargs="+", type=Path)
    wk.add_argument("--cache", type=Path, action="append", required=True)
    wk.add_argument("--model", type=Path, default=DEFAULT_OUT)
    wk.add_argument("--smoothing", default="none")
    wk.set_defaults(func=cmd_workouts)
    render = sub.add_parser("render-none", help="render the recipe's non-exercise clips (fitness render)")
    render.add_argument("out", type=Path)
    render.add_argument("--seed", type=int, default=NONE_SEED, help="the first clip's seed (the next ones follow)")
    render.set_defaults(func=cmd_render_none)
    args = parser.parse_args()
    args.func(args)


if __name__ == "__main__":
    main()

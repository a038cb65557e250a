"""`fitness run`: one live or recorded session — builds the SessionConfig, picks the UI, prints the summary."""

from __future__ import annotations

import dataclasses
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING

from rich.console import Console

from fitness.errors import UsageError
from fitness.feedback.dashboard import LiveDashboard, PlainProgress
from fitness.feedback.summary_view import SummaryView
from fitness.feedback.tee import TeeUI
from fitness.feedback.window import opencv_has_gui
from fitness.pipeline import SessionConfig, run_session
from fitness.text import printable
from fitness.voice.settings import DEFAULT_RATE_WPM, DEFAULT_VOICE, OFF

if TYPE_CHECKING:
    from fitness.voice.speaker import Voice
    from fitness.web.server import LiveServer

# The live view a camera session gets when OpenCV cannot open a window; another port if that one is taken.
AUTO_SERVE = "127.0.0.1:8000"
AUTO_SERVE_FALLBACK = "127.0.0.1:0"


def parse_overrides(items: list[str]) -> dict[str, float]:
    """`--set depth_deg=90` items -> {"depth_deg": 90.0}. Only the form is checked here: the loader checks each
    value against its param's range (`ParamDef`), which also refuses nan and inf."""
    out: dict[str, float] = {}
    for item in items:
        name, sep, value = item.partition("=")
        try:
            if not sep or not name.strip():
                raise ValueError
            out[name.strip()] = float(value)
        except ValueError:
            raise UsageError(f"--set expects NAME=NUMBER (e.g. --set depth_deg=90), got {item!r}") from None
    return out


def config_from_args(args) -> SessionConfig:
    if args.camera is not None:
        source, path = "camera", None
    elif args.video is not None:
        source, path = "video", args.video
    else:
        source, path = "images", args.images
    people = getattr(args, "people", None)
    names = getattr(args, "names", None)
    # --people finds people with MultiPose: the default model gives way to it.
    model = "multipose" if people is not None and args.model == "lightning" else args.model
    return SessionConfig(
        exercise=args.exercise,
        source=source,
        path=path,
        camera=args.camera,
        model=model,
        backend=args.backend,
        threads=args.threads,
        model_source=args.model_source,
        smoothing=args.smoothing,
        window=not args.no_window,
        save_video=args.save_video,
        json_path=args.json,
        db=args.db,
        no_history=args.no_history,
        level=args.level,
        overrides=parse_overrides(args.overrides),
        mirror=args.mirror,
        rotate=args.rotate or 0,
        auto_rotate=args.rotate is None,
        person=args.person,
        set_pause_s=args.set_pause_s,
        exercises_dirs=tuple(args.exercises_dir),
        realtime=getattr(args, "realtime", False),
        people=people,
        names=tuple(n.strip() for n in names.split(",")) if names is not None else (),
    )


def choose_ui(stream=None):
    """The live dashboard on a terminal, plain progress lines otherwise (pipes, logs, CI)."""
    stream = stream or sys.stdout
    if stream.isatty():
        return LiveDashboard(Console(file=stream))
    return PlainProgress(stream)


def make_voice(args, config: SessionConfig, stream=None) -> Voice | None:
    """The voice `--voice` asks for (None for off): espeak-ng is checked now, and a machine without an audio
    device is told so once (the speech is still synthesised and recorded)."""
    mode = getattr(args, "voice", OFF)
    if mode == OFF:
        return None  # a run without a voice imports none of it
    from fitness.voice.playback import NO_DEVICE_NOTE, find_player
    from fitness.voice.speaker import make_voice as make_speaker
    from fitness.voice.tts import EspeakSynth

    synth = EspeakSynth(rate_wpm=getattr(args, "voice_rate", DEFAULT_RATE_WPM),
                        voice=getattr(args, "voice_name", DEFAULT_VOICE))
    synth.check()
    player = find_player()
    if player is None:
        print(f"fitness: note: {NO_DEVICE_NOTE}", file=stream or sys.stderr)
    # A recording is paced by its own frames (the loop waits for each phrase's synthesis); a camera, or a video
    # played at its own speed, never waits.
    return make_speaker(mode, synth, player, paced=config.source != "camera" and not config.realtime)


def live_view_address(args, config: SessionConfig, has_gui: Callable[[], bool] = opencv_has_gui,
                      stream=None) -> tuple[str | None, SessionConfig]:
    """`--serve`'s address; and where a camera session expects a window this OpenCV cannot open (the headless
    build), the browser's live view on this computer instead, said once (the window is then not tried)."""
    asked = getattr(args, "serve", None)
    if asked is not None or config.source != "camera" or not config.window or has_gui():
        return asked, config
    print("fitness: note: this OpenCV has no GUI (opencv-python-headless), so there is no video window; "
          "the live view is in your browser instead (--serve [HOST:]PORT chooses where, --no-window turns it off)",
          file=stream or sys.stderr)
    return AUTO_SERVE, dataclasses.replace(config, window=False)


def start_live_view(address: str, stream=None) -> LiveServer | None:
    """The running server for `--serve`. The live view offered in place of a window is never worth failing the
    session for: when it cannot start, a note says why and the session runs without it (None)."""
    try:
        from fitness.web.server import LiveServer

        try:
            server = LiveServer(address)
        except UsageError:
            if address != AUTO_SERVE:
                raise
            server = LiveServer(AUTO_SERVE_FALLBACK)  # the usual port is taken: any free one
        server.start()
    except (UsageError, ImportError) as exc:
        if address != AUTO_SERVE:
            raise
        print(f"fitness: note: no live view either: {exc}", file=sys.stderr)
        return None
    server.announce(stream or sys.stdout)
    return server


def run(args) -> int:
    config = config_from_args(args)
    address, config = live_view_address(args, config)
    voice = make_voice(args, config)
    server = start_live_view(address) if address is not None else None
    ui = choose_ui()
    try:
        if server is None:
            result = run_session(config, ui, voice=voice)
        else:
            result = run_session(config, TeeUI(ui, server.hub), voice=voice, frame_sink=server.hub)
    finally:
        if server is not None:
            server.stop()
    Console().print(SummaryView(result.summary))
    if result.write_error is None:
        if config.json_path:
            print(f"Summary written to {printable(config.json_path)}")
        if config.save_video and result.frames:
            print(f"Annotated video written to {printable(config.save_video)}")
    for note in result.notes:
        if note != result.no_person:
            print(f"fitness: note: {note}", file=sys.stderr)
    failure = result.failure()  # after the summary and the history record
    if failure is not None:
        raise failure
    return 0

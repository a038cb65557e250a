"""SessionConfig: everything `fitness run` was asked to do, checked when it is made."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from fitness.capture import FrameTransform
from fitness.capture.camera_spec import DEVICE, FILE, CameraSpec, check_camera_index, parse_camera
from fitness.errors import UsageError
from fitness.session.outputs import check_outputs, session_inputs
from fitness.session.recorder import DEFAULT_SET_PAUSE_S, WORKOUT_SET_PAUSE_S
from fitness.smoothing.registry import OFFLINE, SMOOTHING_MODES
from fitness.workout.library import is_auto

SOURCE_KINDS = ("camera", "video", "images")
# The smoothing mode when none is asked for: live for a camera, offline (zero-lag) for a recording.
CAMERA_SMOOTHING = "live"
# `--people all`: everyone in view (MultiPose finds up to 6).
ALL_PEOPLE = "all"
MAX_PEOPLE = 6


@dataclass(frozen=True)
class SessionConfig:
    """Everything `fitness run` was asked to do.

    source: "camera" (uses `camera`, else camera_index), "video" or "images" (use path).
    camera: what `--camera` named: a device number ("0"), a device path ("/dev/video2"), a stream URL
        ("rtsp://...", "http://phone:8080/video") or a video file replayed at its own speed as a live camera;
        None: the device number camera_index.
    smoothing: a name from `fitness.smoothing.SMOOTHING_MODES`: "live" (the camera default, One Euro),
        "oneeuro" (One Euro, ~25 ms lag), "fixedlag" (steadier, fixed 67 ms lag), "offline" (zero-lag, files
        only: poses first, then the engine), "none"; None picks live for cameras and offline for files.
    overrides: exercise parameter -> value (`--set depth_deg=90`).
    auto_rotate: turn a sideways recording of an exercise done standing upright (when --rotate is not given).
    realtime: play a video or image folder at its own speed, as a camera would deliver it (smoothing then
        defaults to live, as for a camera).
    people: count several people, each with their own engine: "all" or a number (at most that many, the
        largest); None counts the followed person only. names: the counted people's names, left to right.
    plan: a workout plan (name or YAML file, `fitness workout PLAN`) to follow; `exercise` is then unused.
    """

    exercise: str
    source: str = "video"
    path: str | None = None
    camera_index: int = 0
    camera: str | None = None
    model: str = "lightning"
    backend: str = "litert"
    threads: int = 2
    model_source: str = "auto"
    smoothing: str | None = None
    window: bool = True
    save_video: str | None = None
    json_path: str | None = None
    db: str | None = None
    no_history: bool = False
    level: str | None = None
    overrides: Mapping[str, float] = field(default_factory=dict)
    mirror: bool = False
    rotate: int = 0
    auto_rotate: bool = False
    person: str = "largest"
    set_pause_s: float | None = None  # None: `set_pause`'s default for the session's kind
    exercises_dirs: tuple[str, ...] = ()
    realtime: bool = False
    people: str | None = None
    names: tuple[str, ...] = ()
    plan: str | None = None

    @property
    def set_pause(self) -> float:
        """Seconds without a rep that end a set: --set-pause-s, else the default of a workout or of one exercise."""
        if self.set_pause_s is not None:
            return self.set_pause_s
        workout = self.plan is not None or is_auto(self.exercise)
        return WORKOUT_SET_PAUSE_S if workout else DEFAULT_SET_PAUSE_S

    def __post_init__(self) -> None:
        if self.source not in SOURCE_KINDS:
            raise UsageError(f"source must be one of {', '.join(SOURCE_KINDS)}, got {self.source!r}")
        if self.source != "camera" and not self.path:
            raise UsageError(f"a {self.source} source needs a path")
        if self.smoothing is not None and self.smoothing not in SMOOTHING_MODES:
            raise UsageError(f"smoothing must be one of {', '.join(SMOOTHING_MODES)}, got {self.smoothing!r}")
        if self.source == "camera" and self.smoothing == OFFLINE:
            raise UsageError("offline smoothing needs the whole recording first; use --smoothing live with a camera")
        if self.set_pause_s is not None and not self.set_pause_s > 0:
            raise UsageError(f"--set-pause-s must be > 0 seconds, got {self.set_pause_s}")
        if self.threads < 1:
            raise UsageError(f"--threads must be >= 1, got {self.threads}")
        self._check_people()
        FrameTransform(self.mirror, self.rotate)  # validates the rotation
        if self.source == "camera":
            self.camera_spec  # noqa: B018 (validates the camera's form)

    @property
    def camera_spec(self) -> CameraSpec:
        """The camera to open (a UsageError for one no camera can be)."""
        if self.camera is None:
            return CameraSpec(DEVICE, index=check_camera_index(self.camera_index))
        return parse_camera(self.camera)

    @property
    def input_file(self) -> str | None:
        """The file this session reads frames from: the video or image folder, or a video replayed as a camera."""
        if self.source == "camera":
            spec = self.camera_spec
            return spec.target if spec.kind == FILE else None
        return self.path

    def _check_people(self) -> None:
        if self.people is not None:
            if self.people != ALL_PEOPLE and not (self.people.isdigit() and 1 <= int(self.people) <= MAX_PEOPLE):
                raise UsageError(f"--people must be all or a number from 1 to {MAX_PEOPLE}, got {self.people!r}")
            if self.model != "multipose":
                raise UsageError("--people finds people with the multipose model; leave out --model or pass "
                                 "--model multipose")
        if not self.names:
            return
        if self.people is None:
            raise UsageError("--names needs --people (all, or how many people to count)")
        if any(not n.strip() for n in self.names):
            raise UsageError(f"--names expects names separated by commas (e.g. --names Ann,Ben), got "
                             f"{','.join(self.names)!r}")
        if len(set(self.names)) != len(self.names):
            raise UsageError(f"--names has a name twice: {','.join(self.names)!r}")
        if self.people_limit is not None and len(self.names) > self.people_limit:
            raise UsageError(f"--names gives {len(self.names)} names for --people {self.people}")

    @property
    def people_limit(self) -> int | None:
        """At most this many people are counted (None: everyone, or no --people)."""
        return int(self.people) if self.people is not None and self.people.isdigit() else None

    @property
    def smoothing_mode(self) -> str:
        if self.smoothing is not None:
            return self.smoothing
        return CAMERA_SMOOTHING if self.source == "camera" or self.realtime else OFFLINE

    @property
    def multi_person(self) -> bool:
        return self.model == "multipose"

    @property
    def counts_people(self) -> bool:
        """Several people are counted, each with their own engine (`--people`)."""
        return self.people is not None


def check_session_outputs(config: SessionConfig) -> None:
    """UsageError before anything loads when `--json` or `--save-video` cannot be written, or would overwrite
    an input, the history or a model (see fitness.session.outputs)."""
    if not (config.json_path or config.save_video):
        return
    inputs = session_inputs(source="video" if config.source == "camera" else config.source,
                            input_path=config.input_file, exercise=config.exercise, model=config.model,
                            db=config.db)
    check_outputs({"--json": config.json_path, "--save-video": config.save_video}, inputs)

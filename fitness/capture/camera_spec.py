"""What `--camera` names: a device number, a device path, a stream URL or a video file replayed as a camera."""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urlsplit, urlunsplit

from fitness.errors import UsageError

# OpenCV reads an index of 100 or more as backend * 100 + camera (e.g. 200 is camera 0 through V4L2), so no
# camera has a larger number; a negative index crashes OpenCV and one past 32 bits raises.
MAX_CAMERA_INDEX = 9999
# The URL schemes OpenCV's FFmpeg backend reads as live streams (phone-as-webcam apps serve HTTP MJPEG).
STREAM_SCHEMES = ("rtsp", "rtsps", "rtmp", "http", "https", "udp", "tcp", "srt")
# Device paths of video devices (Linux V4L2 nodes and their udev symlinks).
DEVICE_PREFIX = "/dev/"

DEVICE, STREAM, FILE = "device", "stream", "file"
FORMS = "a camera number (0 is the default webcam), a device path (/dev/video2), a stream URL (rtsp://..., " \
        "http://phone:8080/video) or a video file"


def check_camera_index(index: object) -> int:
    """`index` when it can name a camera (an int in 0..MAX_CAMERA_INDEX), else a UsageError."""
    if isinstance(index, bool) or not isinstance(index, int) or not 0 <= index <= MAX_CAMERA_INDEX:
        raise UsageError(f"--camera must be a camera number from 0 to {MAX_CAMERA_INDEX} (0 is the default webcam), "
                         f"got {index!r}")
    return index


def is_stream_url(text: str) -> bool:
    return bool(re.match(r"^[A-Za-z][A-Za-z0-9+.-]*://", text)) and urlsplit(text).scheme.lower() in STREAM_SCHEMES


def is_device_path(text: str) -> bool:
    return text.startswith(DEVICE_PREFIX)


def public_url(url: str) -> str:
    """The URL without user, password and query (they may carry secrets), for labels, messages and history."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    if ":" in host:
        host = f"[{host}]"  # an IPv6 address
    try:
        port = parts.port
    except ValueError:  # not a port number: parse_camera refuses such a URL
        port = None
    netloc = f"{host}:{port}" if port else host
    return urlunsplit((parts.scheme, netloc, parts.path, "", ""))


@dataclass(frozen=True)
class CameraSpec:
    """kind: DEVICE (`index` set, or `target` a device path), STREAM (`target` a URL) or FILE (`target` a video
    replayed at its own speed as a live camera)."""

    kind: str
    target: str = ""
    index: int | None = None

    @property
    def opens(self) -> int | str:
        """What OpenCV is given to open it."""
        return self.index if self.index is not None else self.target

    @property
    def name(self) -> str:
        """How messages and labels name it (a URL without its secrets)."""
        if self.index is not None:
            return str(self.index)
        return public_url(self.target) if self.kind == STREAM else self.target


def parse_camera(value: int | str) -> CameraSpec:
    """The CameraSpec of a `--camera` value; a UsageError (one line) for one that can name no camera."""
    if isinstance(value, int) and not isinstance(value, bool):
        return CameraSpec(DEVICE, index=check_camera_index(value))
    if not isinstance(value, str) or not value.strip():
        raise UsageError(f"--camera takes {FORMS}, got {value!r}")
    text = value.strip()
    if re.fullmatch(r"[+-]?\d+", text):
        return CameraSpec(DEVICE, index=check_camera_index(int(text)))
    if is_stream_url(text):
        parts = urlsplit(text)
        if not parts.hostname:
            raise UsageError(f"--camera {public_url(text)}: the stream URL has no host (e.g. http://phone:8080/video)")
        try:
            parts.port  # noqa: B018 (raises for a port that is no number from 0 to 65535)
        except ValueError:
            raise UsageError(f"--camera {public_url(text)}: the stream URL's port is not a number from 0 to 65535 "
                             "(e.g. http://phone:8080/video)") from None
        return CameraSpec(STREAM, target=text)
    if "://" in text:
        scheme = text.split("://", 1)[0]
        raise UsageError(f"--camera {scheme}://...: not a stream OpenCV can read (use one of "
                         f"{', '.join(STREAM_SCHEMES)})")
    if is_device_path(text):
        return CameraSpec(DEVICE, target=text)
    return CameraSpec(FILE, target=text)


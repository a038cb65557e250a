"""Between the session and the viewers: the newest annotated frame, JPEG-encoded once by one encoder thread and
shared by every viewer, and the newest snapshot for `/api/state`.

The frame loop only stores a reference (`publish`, well under a microsecond of work); the encoder encodes the
newest frame whenever someone watches, skipping the frames that came while it was busy; a viewer that falls
behind gets the newest JPEG, never a queue of old ones.
"""

from __future__ import annotations

import asyncio
import re
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

import cv2
import numpy as np

from fitness.feedback.snapshot import Snapshot

JPEG_QUALITY = 80
# Frames wider than this are scaled down before encoding: a phone or TV shows them the same, for less work.
MAX_WIDTH_PX = 960


@dataclass(frozen=True)
class Jpeg:
    """seq: the frame's number in the session (1, 2, ...; gaps are frames nobody saw); data: the JPEG bytes, with
    a comment naming seq and published_t; published_t: time.monotonic() when the session published the frame
    (the system-wide clock, so a viewer in another process can measure the latency)."""

    seq: int
    data: bytes
    published_t: float


_TAG = re.compile(rb"^fitness seq=(\d+) t=([0-9.]+)$")


def tag(jpeg: bytes, seq: int, published_t: float) -> bytes:
    """The JPEG with a comment segment (COM, which decoders skip) right after its start marker."""
    comment = f"fitness seq={seq} t={published_t:.6f}".encode()
    return jpeg[:2] + b"\xff\xfe" + (len(comment) + 2).to_bytes(2, "big") + comment + jpeg[2:]


def read_tag(jpeg: bytes) -> tuple[int, float] | None:
    """(seq, published_t) from a tagged JPEG, None for another one."""
    if jpeg[2:4] != b"\xff\xfe":
        return None
    size = int.from_bytes(jpeg[4:6], "big")
    m = _TAG.match(jpeg[6: 4 + size])
    return (int(m.group(1)), float(m.group(2))) if m else None


def encode(image: np.ndarray, quality: int = JPEG_QUALITY, max_width_px: int = MAX_WIDTH_PX) -> bytes:
    h, w = image.shape[:2]
    if w > max_width_px:
        image = cv2.resize(image, (max_width_px, round(h * max_width_px / w)), interpolation=cv2.INTER_AREA)
    ok, buf = cv2.imencode(".jpg", image, [cv2.IMWRITE_JPEG_QUALITY, quality])
    if not ok:
        raise ValueError("JPEG encoding failed")
    return buf.tobytes()


class FrameHub:
    """The session side: `publish(image)` per annotated frame and the SessionUI methods (start, update(snapshot),
    stop). The server side: `latest`, `next_jpeg(after_seq)` (async), `watching()` around a viewer's stream."""

    def __init__(self, encoder: Callable[[np.ndarray], bytes] = encode) -> None:
        self._encode = encoder
        self._cond = threading.Condition()
        self._raw: tuple[int, np.ndarray, float] | None = None
        self._seq = 0
        self.latest: Jpeg | None = None
        self.encoded = 0  # frames encoded so far (each once, whatever the number of viewers)
        self.snapshot: Snapshot | None = None
        self.running = False
        self.ended = False  # the session has stopped (before it starts, neither running nor ended)
        self.closed = False
        self._viewers = 0
        self._loop: asyncio.AbstractEventLoop | None = None
        self._event: asyncio.Event | None = None
        self._thread = threading.Thread(target=self._encode_loop, name="mjpeg encoder", daemon=True)
        self._thread.start()

    # -- the session's side --

    def publish(self, image: np.ndarray) -> None:
        with self._cond:
            self._seq += 1
            self._raw = (self._seq, image, time.monotonic())
            self._cond.notify_all()

    def start(self) -> None:
        self.running = True

    def update(self, snapshot: Snapshot) -> None:
        self.snapshot = snapshot  # read whole by the server thread: a frozen dataclass, swapped by reference

    def stop(self) -> None:
        self.running, self.ended = False, True

    def close(self) -> None:
        """Ends the encoder and every viewer's stream."""
        with self._cond:
            self.closed = True
            self._cond.notify_all()
        self._wake_viewers()
        self._thread.join(5.0)

    # -- the encoder --

    def _encode_loop(self) -> None:
        done = 0
        while True:
            with self._cond:
                self._cond.wait_for(lambda done=done: self.closed or (
                    self._viewers > 0 and self._raw is not None and self._raw[0] > done))
                if self.closed:
                    return
                seq, image, published_t = self._raw
            data = tag(self._encode(image), seq, published_t)
            done = seq
            self.latest = Jpeg(seq, data, published_t)
            self.encoded += 1
            self._wake_viewers()

    # -- the server's side --

    @property
    def viewers(self) -> int:
        return self._viewers

    @property
    def wanted(self) -> bool:
        """Someone watches: the session draws its frames for the hub (otherwise it need not)."""
        return self._viewers > 0

    def attach(self, loop: asyncio.AbstractEventLoop) -> None:
        """The server's event loop, woken when a new JPEG is ready."""
        self._loop = loop

    def _wake_viewers(self) -> None:
        loop = self._loop
        if loop is not None and not loop.is_closed():
            try:
                loop.call_soon_threadsafe(self._set_event)
            except RuntimeError:  # the loop closed meanwhile
                pass

    def _set_event(self) -> None:
        event, self._event = self._event, None
        if event is not None:
            event.set()

    def watching(self, delta: int) -> None:
        with self._cond:
            self._viewers += delta
            self._cond.notify_all()

    async def next_jpeg(self, after_seq: int) -> Jpeg | None:
        """The newest JPEG newer than `after_seq`, waiting for one; None once the hub is closed."""
        while True:
            latest = self.latest
            if latest is not None and latest.seq > after_seq:
                return latest
            if self.closed:
                return None
            if self._event is None:
                self._event = asyncio.Event()
            await self._event.wait()

"""The annotated video file, written off the frame loop: overlay drawing and encoding in their own thread."""

from __future__ import annotations

import os
import queue
import threading
from collections.abc import Callable
from pathlib import Path

import numpy as np

from fitness.feedback.overlay import draw_overlay_on
from fitness.feedback.recording import AnnotatedVideoWriter
from fitness.feedback.snapshot import Snapshot

# Frames waiting for the encoder may hold this many bytes: ~1 s of 720p, 4 frames of 4K. A disk or encoder
# slower than the loop for longer than that makes the loop wait for it; no frame is ever dropped.
QUEUE_BUDGET_BYTES = 96 * 2**20
# However large the frames, this many may wait (the encoder works on one while the loop adds the next).
QUEUE_MIN_FRAMES = 2
# However small the frames, at most this many wait.
QUEUE_MAX_FRAMES = 64

# The writer draws this many frames one after the other, then encodes them one after the other: each stage's code
# and tables stay in the cache for the next frame instead of being evicted by the other stage and the model's
# threads between two frames. Frames wait for a batch to fill (~0.5 s at 30 fps); close() writes a partial one.
BATCH_FRAMES = 16
# On a machine with at most this many CPUs the model's two threads keep every CPU busy; the writer's thread then
# stays on one of them rather than moving between them, which costs each move its warm caches.
PIN_MAX_CPUS = 2

_END = object()


def queue_frames(frame_bytes: int, budget_bytes: int = QUEUE_BUDGET_BYTES) -> int:
    """How many frames of `frame_bytes` may wait for the encoder."""
    return max(QUEUE_MIN_FRAMES, min(QUEUE_MAX_FRAMES, budget_bytes // max(1, frame_bytes)))


def batch_frames(waiting: int) -> int:
    """How many frames the writer takes at a time when `waiting` frames may wait: BATCH_FRAMES, or fewer when the
    budget holds few frames (a batch is part of what waits)."""
    return max(1, min(BATCH_FRAMES, waiting // 4))


def pin_to_one_cpu() -> None:
    """Keeps the calling thread on the last CPU it may run on, on machines of 2 to PIN_MAX_CPUS CPUs."""
    try:
        cpus = sorted(os.sched_getaffinity(0))
        if 2 <= len(cpus) <= PIN_MAX_CPUS:
            os.sched_setaffinity(threading.get_native_id(), {cpus[-1]})
    except (AttributeError, OSError):  # no affinity on this system: the scheduler places it
        pass


class BackgroundVideoWriter:
    """An `AnnotatedVideoWriter` fed through a bounded queue by the frame loop and emptied by its own thread, which
    draws the overlay (when given the snapshot) and encodes. `write` returns at once while the queue has room;
    `close` writes every frame still queued and finishes the file, even after Ctrl-C or SIGTERM ended the loop.
    An error of the thread (a disk that filled up) is raised by the next `write` or by `close`. draw: draws a
    snapshot on the image it is given and returns the result (it may draw on that image itself).
    """

    def __init__(self, writer: AnnotatedVideoWriter,
                 draw: Callable[[np.ndarray, Snapshot], np.ndarray] = draw_overlay_on,
                 budget_bytes: int = QUEUE_BUDGET_BYTES) -> None:
        self.writer = writer
        self._draw = draw
        self._budget_bytes = budget_bytes
        self._queue: queue.Queue | None = None
        self._batch = 1
        self._thread: threading.Thread | None = None
        self._error: BaseException | None = None  # raised once, by the next write or close
        self._failed = False
        self._ended = False

    @property
    def path(self) -> Path:
        return self.writer.path

    @property
    def fps(self) -> float:
        return self.writer.fps

    @property
    def frames(self) -> int:
        """Frames written so far (all of them once closed)."""
        return self.writer.frames

    def check(self) -> None:
        self.writer.check()

    def write(self, image: np.ndarray, snapshot: Snapshot | None = None, *, owned: bool = False) -> None:
        """Queues `image` for the file: drawn with `snapshot` first (in the thread), or as it is without one. The
        image must not change afterwards. owned: nothing else reads `image` any more, so the snapshot is drawn on
        it rather than on a copy. Waits while the queue is full."""
        self._raise_error()
        if self._queue is None:
            waiting = queue_frames(int(image.nbytes), self._budget_bytes)
            self._batch = batch_frames(waiting)  # one frame of a batch is the one being encoded, not waiting
            self._queue = queue.Queue(maxsize=max(1, waiting - (self._batch - 1)))
            self._thread = threading.Thread(target=self._run, name=f"save {self.writer.path.name}", daemon=True)
            self._thread.start()
        self._queue.put((image, snapshot, owned))

    def _run(self) -> None:
        assert self._queue is not None
        pin_to_one_cpu()
        ended = False
        while not ended:
            batch = []
            while len(batch) < self._batch:
                item = self._queue.get()
                if item is _END:
                    ended = True
                    break
                batch.append(item)
            if self._failed:
                continue  # after a failure the rest is only drained, so the loop never waits on a full queue
            drawn = []
            try:
                for image, snapshot, owned in batch:
                    if snapshot is not None:
                        image = self._draw(image if owned and image.flags.writeable else image.copy(), snapshot)
                    drawn.append(image)
            except BaseException as exc:  # the frames drawn before it are still written
                self._error, self._failed = exc, True
            try:
                for image in drawn:
                    self.writer.write(image)
            except BaseException as exc:  # raised in the loop's thread by the next write or by close
                if not self._failed:
                    self._error, self._failed = exc, True

    def _raise_error(self) -> None:
        if self._error is not None:
            error, self._error = self._error, None
            raise error

    def discard(self) -> None:
        """Throws away what was written so far (and what is queued): the file starts again with the next `write`."""
        self._failed = True  # the thread drains the queue without drawing or encoding
        self._stop_thread()
        self._error, self._failed, self._queue = None, False, None
        self.writer.discard()

    def _stop_thread(self) -> None:
        if self._thread is not None:
            if not self._ended:
                self._queue.put(_END)
                self._ended = True
            self._thread.join()
            self._thread = None
        self._ended = False

    def close(self) -> None:
        """Writes what is still queued, finishes the file (renamed into place) and raises the thread's error, if any.
        Safe to call again, also after an interrupted close."""
        self._stop_thread()
        try:
            self.writer.close()
        finally:
            self._raise_error()

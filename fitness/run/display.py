"""Where a session's annotated frames go: the preview window, the annotated video file and the live view."""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

import numpy as np

if TYPE_CHECKING:
    from fitness.feedback.background_writer import BackgroundVideoWriter
    from fitness.feedback.snapshot import Snapshot
    from fitness.feedback.window import PreviewWindow


def draw_overlay(image: np.ndarray, snapshot: Snapshot) -> np.ndarray:
    """`fitness.feedback.overlay.draw_overlay`, imported on first use: a run that shows and saves nothing loads no
    drawing (canvas, styles)."""
    from fitness.feedback.overlay import draw_overlay as draw

    return draw(image, snapshot)


class FrameSink(Protocol):
    """Where the live view's frames go (`fitness.web.hub.FrameHub`). wanted: someone is watching, so frames are
    drawn for it; nobody watching costs the loop nothing."""

    @property
    def wanted(self) -> bool: ...

    def publish(self, image: np.ndarray) -> None: ...


class Display:
    """The preview window (None: no window; the user may close it with q / Esc), the annotated video
    writer (None: no video file; it draws and encodes in its own thread) and the live view's sink (None: not
    served; takes each annotated frame)."""

    def __init__(self, window: PreviewWindow | None = None, writer: BackgroundVideoWriter | None = None,
                 sink: FrameSink | None = None) -> None:
        self.window = window
        self.writer = writer
        self.sink = sink
        self.frame_times: list[float] = []  # session time of each frame written to the video file

    @property
    def drawing(self) -> bool:
        return self.window is not None or self.writer is not None or self.sink is not None

    def draw(self, image: np.ndarray, snapshot: Snapshot, full: np.ndarray | None = None, *,
             owned: bool = False) -> bool:
        """Writes the frame annotated with `snapshot` to the video file and shows it (window, live view); False when
        the user closed the window. image: the working image (shown); full: the whole frame of a reduced one (the
        video file keeps the source's size); owned: nothing else reads the frame's images any more (the overlay
        may be drawn on them)."""
        to_sink = self.sink is not None and self.sink.wanted
        if self.window is None and not to_sink:
            if self.writer is not None:  # only the file wants it: drawn in the writer's thread
                self.writer.write(image if full is None else full, snapshot, owned=owned)
                self.frame_times.append(snapshot.step.t)
            return True
        annotated = draw_overlay(image, snapshot)
        if self.writer is not None:
            if full is None:
                self.writer.write(annotated)
            else:
                self.writer.write(full, snapshot)
            self.frame_times.append(snapshot.step.t)
        if to_sink:
            self.sink.publish(annotated)
        return self.window is None or self.window.show(annotated)

    def preview(self, image: np.ndarray, snapshot: Snapshot) -> bool:
        """Shows `image` annotated with `snapshot` in the window and the live view only (not the video file); False
        when the user closed the window."""
        to_sink = self.sink is not None and self.sink.wanted
        if self.window is None and not to_sink:
            return True
        annotated = draw_overlay(image, snapshot)
        if to_sink:
            self.sink.publish(annotated)
        return self.window is None or self.window.show(annotated)

    def drop_window(self) -> None:
        if self.window is not None:
            self.window.close()
            self.window = None

    def finish_video(self) -> None:
        """Writes the frames still queued and closes the video file, which renames the finished video into place
        (FitnessError if it cannot)."""
        if self.writer is not None:
            self.writer.close()

    def discard_video(self) -> None:
        """Throws away the frames of the video file written so far: it starts again with the next frame."""
        if self.writer is not None:
            self.writer.discard()
        self.frame_times.clear()

    def close(self) -> None:
        if self.window is not None:
            self.window.close()
        if self.writer is not None:
            self.writer.close()

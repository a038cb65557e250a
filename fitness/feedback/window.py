"""The preview window (cv2.imshow): shows annotated frames; q or Esc ends the session.

opencv-python-headless has no GUI at all, and a desktop-less machine has no display: both are detected
when the window opens (`WindowUnavailable`); `fitness run` then goes on without a window and says so.
"""

from __future__ import annotations

import cv2
import numpy as np

from fitness.errors import UsageError


class WindowUnavailable(UsageError):
    """This OpenCV cannot show a window (headless build or no display)."""


def opencv_has_gui(build_information: str | None = None) -> bool:
    """False for a build without any GUI backend (opencv-python-headless says `GUI: NONE`)."""
    info = cv2.getBuildInformation() if build_information is None else build_information
    for line in info.splitlines():
        key, sep, value = line.partition(":")
        if sep and key.strip() == "GUI":
            return value.strip().upper() != "NONE"
    return True


QUIT_KEYS = frozenset({ord("q"), ord("Q"), 27})  # 27 = Esc


class PreviewWindow:
    """A resizable OpenCV window. `show(image)` returns False once the user asked to stop.

    `gui` stands in for the cv2 module in tests (namedWindow, imshow, waitKey, getWindowProperty, destroyWindow).
    """

    def __init__(self, title: str = "fitness", gui=cv2) -> None:
        self.title = title
        self._gui = gui
        try:
            gui.namedWindow(title, gui.WINDOW_NORMAL)
        except cv2.error as exc:
            raise WindowUnavailable(
                "no video window: this OpenCV has no GUI support (opencv-python-headless) or there is no display; "
                "going on without it (--no-window hides this note, --save-video OUT.mp4 keeps the overlay, "
                "'pip install opencv-python' gives a window)"
            ) from exc
        self._shown = False

    def show(self, image: np.ndarray) -> bool:
        gui = self._gui
        gui.imshow(self.title, image)
        key = gui.waitKey(1) & 0xFF
        if key in QUIT_KEYS:
            return False
        if self._shown:
            try:
                # The window's close button: the property drops below 1 once it is gone.
                if gui.getWindowProperty(self.title, gui.WND_PROP_VISIBLE) < 1:
                    return False
            except cv2.error:
                return False
        self._shown = True
        return True

    def close(self) -> None:
        try:
            self._gui.destroyWindow(self.title)
            self._gui.waitKey(1)  # lets the GUI thread actually remove the window
        except cv2.error:
            pass

"""The preview window (with a stand-in for cv2's GUI functions) and the annotated-video writer."""

from __future__ import annotations

import cv2
import numpy as np
import pytest

from fitness.errors import SourceError
from fitness.feedback.recording import FALLBACK_FPS, AnnotatedVideoWriter
from fitness.feedback.window import PreviewWindow


class FakeGui:
    """cv2's window functions: `keys` are returned by waitKey in turn; `visible` by getWindowProperty."""

    WINDOW_NORMAL = 0
    WND_PROP_VISIBLE = 4

    def __init__(self, keys=(), visible=1.0):
        self.keys, self.visible, self.shown, self.destroyed = list(keys), visible, 0, False

    def namedWindow(self, title, flags):
        pass

    def imshow(self, title, image):
        self.shown += 1

    def waitKey(self, ms):
        return self.keys.pop(0) if self.keys else -1

    def getWindowProperty(self, title, prop):
        return self.visible

    def destroyWindow(self, title):
        self.destroyed = True


IMAGE = np.zeros((8, 8, 3), np.uint8)


@pytest.mark.parametrize("key", [ord("q"), ord("Q"), 27])
def test_q_or_esc_asks_to_stop(key):
    window = PreviewWindow("t", gui=FakeGui(keys=[-1, key]))
    assert window.show(IMAGE) is True
    assert window.show(IMAGE) is False


def test_other_keys_do_not_stop():
    assert PreviewWindow("t", gui=FakeGui(keys=[ord("a")])).show(IMAGE) is True


def test_closing_the_window_asks_to_stop():
    gui = FakeGui()
    window = PreviewWindow("t", gui=gui)
    assert window.show(IMAGE) is True
    gui.visible = 0.0  # the user clicked the close button
    assert window.show(IMAGE) is False
    window.close()
    assert gui.destroyed


def test_writer_keeps_the_frame_rate_and_size(tmp_path):
    path = tmp_path / "out.avi"
    writer = AnnotatedVideoWriter(path, fps=12.5)
    for i in range(6):
        writer.write(np.full((40, 48, 3), 40 * i, np.uint8))
    writer.write(np.zeros((80, 96, 3), np.uint8))  # a different size is resized, not refused
    writer.close()
    cap = cv2.VideoCapture(str(path))
    assert cap.get(cv2.CAP_PROP_FPS) == pytest.approx(12.5)
    assert int(cap.get(cv2.CAP_PROP_FRAME_COUNT)) == 7
    assert (int(cap.get(cv2.CAP_PROP_FRAME_WIDTH)), int(cap.get(cv2.CAP_PROP_FRAME_HEIGHT))) == (48, 40)
    cap.release()


def test_unknown_fps_falls_back():
    assert AnnotatedVideoWriter("out.mp4", fps=float("nan")).fps == FALLBACK_FPS


def test_writer_errors_are_source_errors(tmp_path):
    with pytest.raises(SourceError, match="does not exist"):
        AnnotatedVideoWriter(tmp_path / "no" / "out.mp4", fps=30)

    class Refusing:
        def __init__(self, *args):
            pass

        def isOpened(self):
            return False

    writer = AnnotatedVideoWriter(tmp_path / "out.mp4", fps=30, writer_factory=Refusing)
    with pytest.raises(SourceError, match="could not open a writer"):
        writer.write(IMAGE)


def test_the_video_appears_under_its_name_only_when_closed(tmp_path):
    path = tmp_path / "out.avi"
    path.write_bytes(b"last week's video")
    writer = AnnotatedVideoWriter(path, fps=10)
    for _ in range(3):
        writer.write(np.zeros((48, 64, 3), np.uint8))
    assert path.read_bytes() == b"last week's video"  # the frames go to a temp file beside it
    [partial] = [f for f in tmp_path.iterdir() if f != path]
    assert partial.name.startswith(".out.avi.") and partial.suffix == ".avi"  # OpenCV needs the extension
    writer.close()
    writer.close()  # twice is harmless
    assert sorted(tmp_path.iterdir()) == [path]
    cap = cv2.VideoCapture(str(path))
    assert int(cap.get(cv2.CAP_PROP_FRAME_COUNT)) == 3
    cap.release()


def test_check_refuses_a_name_opencv_cannot_write_before_any_frame(tmp_path):
    with pytest.raises(SourceError, match="could not open a writer"):
        AnnotatedVideoWriter(tmp_path / "out.webm", fps=30).check()
    AnnotatedVideoWriter(tmp_path / "out.mp4", fps=30).check()
    assert list(tmp_path.iterdir()) == []  # the trial leaves nothing behind


@pytest.mark.parametrize("name", ["out.mp4", "out.MOV", "out.avi", "out.mkv"])
def test_check_of_a_container_opencv_always_writes_tries_only_the_folder(tmp_path, name):
    """No encoder is opened (nor PyAV loaded) before the session for the usual containers."""
    opened = []
    AnnotatedVideoWriter(tmp_path / name, fps=30, writer_factory=lambda *args: opened.append(args)).check()
    assert opened == [] and list(tmp_path.iterdir()) == []


def test_a_video_whose_finish_failed_is_never_put_in_place(tmp_path):
    class FailingFinish:
        def __init__(self, *args):
            pass

        def isOpened(self):
            return True

        def write(self, image):
            pass

        def release(self):
            raise SourceError("cannot save video: disk full")

    path = tmp_path / "out.mp4"
    writer = AnnotatedVideoWriter(path, fps=30, writer_factory=FailingFinish)
    writer.write(IMAGE)
    with pytest.raises(SourceError, match="disk full"):
        writer.close()
    writer.close()  # a second close does not rename the unfinished file to the name
    assert not path.exists()

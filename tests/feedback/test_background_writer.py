"""BackgroundVideoWriter: the loop hands frames over and goes on; a slow encoder delays nothing until the bounded
queue is full, and never loses a frame; errors come back to the loop; close writes what is queued. And the display:
the saved video gets the whole frame, the window the working image, each with the pose where it is on it."""

from __future__ import annotations

import threading

import numpy as np
import pytest

from fitness.errors import SourceError
from fitness.feedback.background_writer import QUEUE_MAX_FRAMES, QUEUE_MIN_FRAMES, BackgroundVideoWriter, queue_frames
from fitness.feedback.recording import AnnotatedVideoWriter

# A stalled encoder gives up waiting after this; only reached when the loop itself waited for it (the bug).
GIVE_UP_S = 10.0


class FakeEncoder:
    """Stands in for cv2.VideoWriter: records the first pixel of each frame and the thread that wrote it; each
    write waits for `gate` (set: never waits) and fails from frame `fail_at` on."""

    def __init__(self, gate: threading.Event | None = None, fail_at: int | None = None):
        self.gate, self.fail_at = gate, fail_at
        self.pixels: list[int] = []
        self.threads: set[str] = set()
        self.released = False

    def __call__(self, *args):  # the writer_factory
        return self

    def isOpened(self):
        return True

    def write(self, image):
        if self.gate is not None:
            self.gate.wait(GIVE_UP_S)
        if self.fail_at is not None and len(self.pixels) >= self.fail_at:
            raise SourceError("cannot save video: No space left on device")
        self.pixels.append(int(image[0, 0, 0]))
        self.threads.add(threading.current_thread().name)

    def release(self):
        self.released = True


def frame(i: int) -> np.ndarray:
    return np.full((4, 6, 3), i, np.uint8)


def writer_with(encoder: FakeEncoder, tmp_path, budget_bytes: int = 10**6, draw=None) -> BackgroundVideoWriter:
    inner = AnnotatedVideoWriter(tmp_path / "out.avi", fps=10, writer_factory=encoder)
    return BackgroundVideoWriter(inner, budget_bytes=budget_bytes, **({"draw": draw} if draw else {}))


def test_the_loop_goes_on_while_the_encoder_is_stalled(tmp_path):
    gate = threading.Event()
    encoder = FakeEncoder(gate)
    writer = writer_with(encoder, tmp_path, budget_bytes=5 * frame(0).nbytes)  # 5 frames wait, 1 in the encoder
    for i in range(6):
        writer.write(frame(i))
    loop_done_while_stalled = not encoder.pixels  # a loop that waited for the encoder would get here only later
    gate.set()
    writer.close()
    assert loop_done_while_stalled
    assert encoder.pixels == list(range(6)) and encoder.released


def test_a_full_queue_makes_the_loop_wait_and_nothing_is_dropped(tmp_path):
    encoder = FakeEncoder()
    writer = writer_with(encoder, tmp_path, budget_bytes=1)  # the smallest queue
    for i in range(50):
        writer.write(frame(i))
    writer.close()
    assert encoder.pixels == list(range(50)) and writer.frames == 50


def test_the_overlay_is_drawn_in_the_writer_thread_when_given_the_snapshot(tmp_path):
    encoder, drawn_in = FakeEncoder(), []

    def draw(image, snapshot):
        drawn_in.append(threading.current_thread().name)
        return image + np.uint8(snapshot)

    writer = writer_with(encoder, tmp_path, draw=draw)
    writer.write(frame(1), 10)  # drawn with the "snapshot" 10
    writer.write(frame(7))  # already drawn: written as it is
    writer.close()
    assert encoder.pixels == [11, 7]
    assert drawn_in and threading.main_thread().name not in drawn_in + list(encoder.threads)


def test_an_owned_frame_is_drawn_on_and_any_other_on_a_copy(tmp_path):
    def draw(image, snapshot):
        image[0, 0] = snapshot  # draws on what it is given
        return image

    writer = writer_with(FakeEncoder(), tmp_path, draw=draw)
    shared, owned, read_only = frame(1), frame(2), frame(3)
    read_only.flags.writeable = False
    writer.write(shared, 10)
    writer.write(owned, 20, owned=True)
    writer.write(read_only, 30, owned=True)
    writer.close()
    assert writer.writer._writer is None and writer.frames == 3
    assert int(shared[0, 0, 0]) == 1 and int(read_only[0, 0, 0]) == 3  # the caller's frames as they were
    assert int(owned[0, 0, 0]) == 20  # handed over: no copy made


def test_the_real_overlay_leaves_a_frame_that_is_not_handed_over_as_it_was(tmp_path):
    encoder = FakeEncoder()
    writer = writer_with(encoder, tmp_path)
    image = np.zeros((48, 64, 3), np.uint8)
    writer.write(image, snapshot_at(0.0))
    writer.close()
    assert not image.any() and writer.frames == 1


def test_an_encoder_error_comes_back_to_the_loop_and_the_file_is_still_finished(tmp_path):
    encoder = FakeEncoder(fail_at=3)
    writer = writer_with(encoder, tmp_path)
    with pytest.raises(SourceError, match="No space left"):
        for i in range(1000):  # the error is raised by a write soon after it happened
            writer.write(frame(i % 200))
    writer.close()  # reported once; the file of what was written is kept
    assert encoder.pixels == [0, 1, 2] and encoder.released


def test_an_error_after_the_last_write_is_raised_by_close(tmp_path):
    writer = writer_with(FakeEncoder(fail_at=0), tmp_path)
    writer.write(frame(0))
    with pytest.raises(SourceError, match="No space left"):
        writer.close()
    writer.close()  # twice is harmless


def test_the_queue_holds_a_memory_budget_of_frames_within_bounds():
    four_k = 3840 * 2160 * 3
    assert queue_frames(four_k) == 4
    assert queue_frames(four_k, budget_bytes=1) == QUEUE_MIN_FRAMES
    assert queue_frames(640 * 480 * 3) == QUEUE_MAX_FRAMES


def test_the_display_saves_the_whole_frame_and_shows_the_working_image(tmp_path):
    from fitness.run.display import Display

    class Window:
        shown: list = []

        def show(self, image):
            self.shown.append(image.shape)
            return True

    encoder, drawn = FakeEncoder(), []
    writer = writer_with(encoder, tmp_path, draw=lambda image, snapshot: drawn.append(image.shape) or image)
    display = Display(window=None, writer=writer)
    display.draw(np.zeros((12, 16, 3), np.uint8), snapshot_at(0.0), full=np.zeros((48, 64, 3), np.uint8))
    display.window = Window()
    display.draw(np.zeros((12, 16, 3), np.uint8), snapshot_at(0.1), full=np.zeros((48, 64, 3), np.uint8))
    writer.close()
    assert drawn == [(48, 64, 3), (48, 64, 3)] and Window.shown == [(12, 16, 3)]
    assert display.frame_times == [0.0, 0.1]


def snapshot_at(t: float):
    from fitness.exercise.events import MachineStep, Signals
    from fitness.feedback.snapshot import Snapshot

    step = MachineStep(t=t, signals=Signals(t, {}, False), phase=None, reps=0, no_reps=0)
    return Snapshot(exercise="squats", title="Squats", step=step, pose=None)


def test_a_pose_is_drawn_where_it_is_on_an_image_of_another_size_than_its_frame():
    import dataclasses

    from fitness.feedback.overlay import fitted
    from fitness.feedback.thumbnail import KeyFrames
    from fitness.pose.types import Pose

    pose = Pose(xy=np.tile([640.0, 360.0], (17, 1)), score=np.ones(17), t=0.0, frame_size=(1280, 720))
    snapshot = dataclasses.replace(snapshot_at(0.0), pose=pose)
    np.testing.assert_allclose(fitted(snapshot, 320, 180).pose.xy, pose.xy / 4)
    assert fitted(snapshot, 1280, 720) is snapshot
    bare = dataclasses.replace(snapshot, pose=pose.replace(frame_size=None))
    assert fitted(bare, 320, 180) is bare  # no frame size known: drawn as given
    keyframes = KeyFrames()
    keyframes.add(0.0, np.zeros((180, 320, 3), np.uint8), pose)  # the working image, the pose in source pixels
    np.testing.assert_allclose(keyframes.frames[0].pose.xy, pose.xy * (200 / 1280))


def test_discard_throws_away_what_was_written_and_the_file_starts_again(tmp_path):
    import cv2

    out = tmp_path / "out.avi"
    writer = BackgroundVideoWriter(AnnotatedVideoWriter(out, fps=10))
    for i in range(5):
        writer.write(np.full((48, 64, 3), 10 * i, np.uint8))
    writer.discard()
    assert writer.frames == 0 and list(tmp_path.iterdir()) == []  # the temp file is gone, nothing at `out`
    for _ in range(3):
        writer.write(np.full((24, 32, 3), 200, np.uint8))  # a new start may even have another size
    writer.close()
    cap = cv2.VideoCapture(str(out))
    count = int(cap.get(cv2.CAP_PROP_FRAME_COUNT))
    size = (cap.get(cv2.CAP_PROP_FRAME_WIDTH), cap.get(cv2.CAP_PROP_FRAME_HEIGHT))
    cap.release()
    assert count == 3 and writer.frames == 3 and size == (32, 24)
    assert [p.name for p in tmp_path.iterdir()] == ["out.avi"]


def test_the_writer_draws_a_batch_of_frames_then_encodes_them_and_close_writes_a_partial_batch(tmp_path):
    from fitness.feedback.background_writer import BATCH_FRAMES

    events: list[str] = []

    class Encoder(FakeEncoder):
        def write(self, image):
            events.append(f"encode {int(image[0, 0, 0])}")
            super().write(image)

    def draw(image, snapshot):
        events.append(f"draw {int(image[0, 0, 0])}")
        return image

    encoder = Encoder()
    writer = writer_with(encoder, tmp_path, draw=draw)
    total = BATCH_FRAMES + 3
    for i in range(total):
        writer.write(frame(i), i)
    writer.close()
    first = [f"draw {i}" for i in range(BATCH_FRAMES)] + [f"encode {i}" for i in range(BATCH_FRAMES)]
    assert events[: 2 * BATCH_FRAMES] == first
    assert encoder.pixels == list(range(total)) and writer.frames == total


def test_a_batch_is_part_of_the_memory_budget():
    from fitness.feedback.background_writer import BATCH_FRAMES, batch_frames

    assert batch_frames(QUEUE_MAX_FRAMES) == BATCH_FRAMES
    assert batch_frames(queue_frames(3840 * 2160 * 3)) == 1  # 4K: four frames wait, taken one at a time
    for waiting in range(1, 100):
        assert 1 <= batch_frames(waiting) <= max(1, waiting // 4)


@pytest.mark.parametrize(("cpus", "pinned"), [({0, 1}, {1}), ({2, 5}, {5}), ({0}, None), (set(range(8)), None)])
def test_on_a_two_cpu_machine_the_writer_thread_stays_on_one_cpu(monkeypatch, tmp_path, cpus, pinned):
    import os

    set_to: list[tuple[int, set[int]]] = []
    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: set(cpus))
    monkeypatch.setattr(os, "sched_setaffinity", lambda tid, mask: set_to.append((tid, set(mask))))
    writer = writer_with(FakeEncoder(), tmp_path)
    writer.write(frame(0))
    thread_id = writer._thread.native_id
    writer.close()
    assert set_to == ([(thread_id, pinned)] if pinned else [])

"""One session over a source: per frame estimator -> smoother -> machine -> recorder -> snapshot -> overlay,
window, video file and UI; live (frame by frame) or offline (poses first, zero-lag smoothing, then the
engine). The loop only speaks the Protocols of `fitness.run.stages`, so tests run it with stand-ins."""

from __future__ import annotations

import contextlib
import dataclasses
import json
import threading
import time
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING

import numpy as np

from fitness.capture import Frame, FrameSource
from fitness.errors import FitnessError, SourceError
from fitness.exercise.events import MachineStep, RepEvent, Signals
from fitness.feedback.pass_progress import PassProgress
from fitness.feedback.snapshot import NullUI, SessionUI, Snapshot
from fitness.pose.types import Pose
from fitness.run.config import SessionConfig
from fitness.run.display import Display
from fitness.run.draw_ahead import DrawAhead
from fitness.run.meter import Meter
from fitness.run.person import PersonFollower
from fitness.run.result import ENDED_BY_INTERRUPT, ENDED_BY_USER, Ending, FrameTally, SessionResult
from fitness.run.signals import first_signal_stops
from fitness.run.snapshots import SnapshotMaker
from fitness.run.stages import Stages
from fitness.session.summary import WorkoutSummary
from fitness.smoothing.registry import OFFLINE

if TYPE_CHECKING:
    from fitness.feedback.thumbnail import KeyFrames
    from fitness.run.people import People, PersonResult
    from fitness.voice.speaker import SpokenLine, Voice


class Session:
    """One pass of the pipeline over a source. `run()` always finishes the machine and the recorder,
    whether the source ran out, the user quit, Ctrl-C or SIGTERM came or the camera was lost."""

    def __init__(
        self,
        config: SessionConfig,
        stages: Stages,
        source_factory: Callable[[], FrameSource],
        *,
        ui: SessionUI | None = None,
        display: Display | None = None,
        keep_raw_poses: bool = False,
        own_signals: bool = True,
        clock: Callable[[], float] = time.perf_counter,
        voice: Voice | None = None,
        people: People | None = None,
    ) -> None:
        self.config = config
        self.voice = voice  # speaks counts and cues (`--voice`); None: silent
        # The session owns Ctrl-C and SIGTERM (the first ends it cleanly); a batch of sessions leaves them to
        # its caller, so an interrupt ends the whole batch rather than one clip of it.
        self.own_signals = own_signals
        self.stages = stages
        self.source_factory = source_factory
        self.ui = ui or NullUI()
        self.display = display or Display()
        self.meter = Meter(clock)
        self.tally = FrameTally()
        self.ending = Ending()
        self.follower = PersonFollower(config.person)
        self.snapshots = SnapshotMaker(stages.definition)
        self.raw_poses: list[Pose | None] | None = [] if keep_raw_poses else None
        self.people = people  # `--people`: everyone counted on their own (fitness.run.people)
        self._advanced = 0  # frames through _advance: the index of the next one in `people`
        # Recent frames for each rep's key-frame thumbnail, kept only when the session goes into a history store.
        self.keyframes: KeyFrames | None = None
        if getattr(stages.recorder, "store", None) is not None:
            from fitness.feedback.thumbnail import KeyFrames  # drawing (canvas, overlay) only for a history

            self.keyframes = KeyFrames()
        # A live source's own notice ("Camera stream lost: reconnecting"); it may arrive from the source's thread
        # while the loop waits for frames, so UI updates take turns under a lock.
        self._source: FrameSource | None = None
        self._ui_lock = threading.Lock()
        self._last_snapshot: Snapshot | None = None

    def request_stop(self, by: str = "Ctrl-C") -> None:
        """Ends the session after the current frame (Ctrl-C and SIGTERM handler, tests); `by` names the cause."""
        self.ending.interrupt(by)

    # -- per frame --

    def _estimate(self, frame: Frame) -> tuple[Pose | None, int]:
        """The pose to follow in this frame and how many people were found. The estimator stamps the pose with
        the frame's time, the clock the smoother and the engine run on."""
        if not self.config.multi_person:
            pose = self.stages.estimator.estimate(frame)
            return pose, int(pose is not None)
        poses = self.stages.estimator.estimate_all(frame)
        followed = self.follower.follow(poses, frame.size)
        if self.people is not None:
            self.people.see(frame.t, poses, followed)
        return followed, len(poses)

    def _advance(self, t: float, pose: Pose | None, people: int, image: np.ndarray | None,
                 full: np.ndarray | None = None, draw: bool = True) -> None:
        """Smoother -> machine -> recorder -> snapshot -> overlay, window, video file, UI. image: the frame's
        working image; full: the whole frame of a reduced one, for the video file (None: `image` is whole);
        draw False: the frame is not drawn (the video file has it already)."""
        clock, meter, stages = self.meter.clock, self.meter, self.stages
        self.tally.add(t, pose is not None)
        index, self._advanced = self._advanced, self._advanced + 1
        t0 = clock()
        smoothed = stages.smoother.apply(pose) if pose is not None else None
        t1 = clock()
        step = stages.machine.update(smoothed, t)
        stages.recorder.update(step)
        if self.people is not None:
            self.people.advance(index)
        if self.voice is not None:
            self.voice.update(step)
        t2 = clock()
        meter.add("smooth", t1 - t0)
        meter.add("engine", t2 - t1)
        if self.keyframes is not None:
            if image is not None:
                self.keyframes.add(t, image, smoothed)
            self._save_thumbnails(step.new_reps)
            t2 = clock()
        snapshot = self.snapshots.make(
            step, smoothed, stages.machine, stages.recorder, definition=stages.definition,
            fps=meter.fps,
            latency_ms=dict(meter.latency_ms),
            notice=getattr(self._source, "notice", None)
            or (self.follower.notice(people, following=pose is not None) if self.people is None else None),
            people=self.people.views(index) if self.people is not None else (),
        )
        if draw and image is not None and self.display.drawing:
            if not self.display.draw(image, snapshot, full):
                self.ending.quit()
            meter.add("draw", clock() - t2)
        t3 = clock()
        with self._ui_lock:
            self._last_snapshot = snapshot
            self.ui.update(snapshot)
        meter.add("ui", clock() - t3)

    def _source_notice(self, text: str) -> None:
        """The source's notice while the loop may be waiting on it (from the source's thread): the last snapshot
        is shown again with it."""
        with self._ui_lock:
            if self._last_snapshot is not None:
                self.ui.update(dataclasses.replace(self._last_snapshot, notice=text))

    def _save_thumbnails(self, reps: tuple[RepEvent, ...]) -> None:
        """A key-frame thumbnail of each finished rep, from the frames kept (none when no frame is near)."""
        if self.keyframes is None:
            return
        for rep in reps:
            jpeg = self.keyframes.thumbnail(rep)
            if jpeg is not None:
                self.stages.recorder.save_thumbnail(rep.index, jpeg)

    def _frames_of(self, source: FrameSource) -> Iterator[Frame]:
        """The source's frames until a stop is asked for, timing the wait for each (decode, or camera delivery)."""
        it = iter(source)
        while not self.ending.stop_requested:
            t0 = self.meter.clock()
            try:
                frame = next(it)
            except StopIteration:
                return
            except SourceError as exc:
                self.ending.source_broke(exc)  # raised by run() once the session is saved
                return
            self.meter.add("decode", self.meter.clock() - t0)
            self.meter.tick()
            yield frame

    def _note_source_end(self, source: FrameSource) -> None:
        self.tally.source_fps = source.fps
        self.ending.source_notes.extend(getattr(source, "notes", ()))  # e.g. a stream that dropped and came back
        self.ending.source_ended(getattr(source, "end_reason", None), getattr(source, "end_detail", ""))

    # -- passes --

    def _live_pass(self) -> None:
        clock = self.meter.clock
        with self.source_factory() as source:
            self.tally.source_fps = source.fps
            self._source = source
            if hasattr(source, "on_notice"):
                source.on_notice = self._source_notice
            for frame in self._frames_of(source):
                t0 = clock()
                pose, people = self._estimate(frame)
                self.meter.add("pose", clock() - t0)
                if self.raw_poses is not None:
                    self.raw_poses.append(pose)
                self._advance(frame.t, pose, people, frame.image, frame.full)
            self._note_source_end(source)

    def _offline_passes(self) -> None:
        """Poses for the whole recording first, then zero-lag smoothing, then the engine over them."""
        if self.stages.smooth_offline is None:
            raise FitnessError("offline smoothing was asked for but no offline smoother is wired in")
        clock = self.meter.clock
        raw: list[Pose | None] = self.raw_poses if self.raw_poses is not None else []
        times: list[float] = []
        people: list[int] = []
        ahead: DrawAhead | None = None
        with self.source_factory() as source:
            self.tally.source_fps = source.fps
            total, started = getattr(source, "frame_count", None), clock()
            ahead = self._draw_ahead(source.fps)
            try:
                for frame in self._frames_of(source):
                    t0 = clock()
                    pose, n = self._estimate(frame)
                    self.meter.add("pose", clock() - t0)
                    raw.append(pose)
                    times.append(frame.t)
                    people.append(n)
                    if ahead is not None:
                        ahead.add(frame, pose)
                    progress = PassProgress(len(times), total, clock() - started)
                    snapshot = self._analysing_snapshot(frame.t, pose, progress)
                    if not self.display.preview(frame.image, snapshot):
                        self.ending.quit()
                    self.ui.update(snapshot)
            except BaseException:
                if ahead is not None:
                    ahead.abandon()  # no pass counts these frames: the video would show what was not counted
                raise
            self._note_source_end(source)
        smoothed = self.stages.smooth_offline(list(raw))
        drawn = ahead is not None and ahead.finish(smoothed)  # the video file holds every frame already
        if self.people is not None:
            self.people.smooth(self.stages.smooth_offline)
        # A stop during the first pass still counts what was seen so far, in the second pass.
        stopped, self.ending.stop_requested = self.ending.stop_requested, False
        if self.ending.ended == ENDED_BY_USER:
            self.display.drop_window()  # the user closed it; the second pass does not reopen it
        if drawn and self._ahead_counted_all():
            self._adopt(ahead, times, smoothed)
            self.ending.stop_requested = stopped
            return
        # The frames are read again for the window and video file (unless drawn ahead), and for the reps'
        # thumbnails; should that read come up short, the rest of the poses are still counted, without pictures.
        reread = (self.display.drawing and not drawn) or self.keyframes is not None
        with self.source_factory() if reread else contextlib.nullcontext() as source:
            frames = self._frames_of(source) if source is not None else iter(())
            for t, pose, n in zip(times, smoothed, people):
                if self.ending.stop_requested:
                    break
                frame = next(frames, None)
                self._advance(t, pose, n, *((None, None) if frame is None else (frame.image, frame.full)),
                              draw=not drawn)
        self.ending.stop_requested = self.ending.stop_requested or stopped

    def _ahead_counted_all(self) -> bool:
        """Whether the count drawn ahead is everything the second pass would give: no history (key frames are kept
        exactly when the recorder has a store: its recorder and the reps' thumbnails), no voice, no people, no plan
        (whose progress the session's machine holds)."""
        return (self.keyframes is None and self.voice is None and self.people is None
                and getattr(self.stages.machine, "plan_result", None) is None)

    def _adopt(self, ahead: DrawAhead, times: list[float], smoothed: list[Pose | None]) -> None:
        """The machine and recorder that drew the video (over the same smoothed poses) become the session's, in
        place of a second pass that would count them again."""
        self.stages = dataclasses.replace(self.stages, machine=ahead.machine, recorder=ahead.recorder)
        for t, pose in zip(times, smoothed):
            self.tally.add(t, pose is not None)
        self._advanced += len(times)
        if ahead.last_snapshot is not None:
            with self._ui_lock:
                self._last_snapshot = ahead.last_snapshot
                self.ui.update(ahead.last_snapshot)

    def _draw_ahead(self, fps: float) -> DrawAhead | None:
        """What draws the video file during the first pass, when only the file wants the frames (no window, no
        live view) and one person is counted; None: the second pass draws them."""
        display, stages = self.display, self.stages
        if (display.writer is None or display.window is not None or display.sink is not None
                or stages.fresh_engine is None or self.people is not None or self.config.multi_person):
            return None
        return DrawAhead(display, stages.smooth_offline, stages.fresh_engine(), stages.definition, fps)

    def _analysing_snapshot(self, t: float, pose: Pose | None, progress: PassProgress) -> Snapshot:
        step = MachineStep(t=t, signals=Signals(t, {}, pose is not None), phase=None, reps=0, no_reps=0,
                           guidance=progress.describe())
        return Snapshot(exercise=self.stages.definition.name, title=self.stages.definition.title, step=step,
                        pose=pose, fps=self.meter.fps, latency_ms=dict(self.meter.latency_ms), pass_progress=progress)

    # -- the whole session --

    def run(self) -> SessionResult:
        self.ui.start()
        try:
            with first_signal_stops(self.request_stop) if self.own_signals else contextlib.nullcontext():
                try:
                    if self.config.smoothing_mode == OFFLINE:
                        self._offline_passes()
                    else:
                        self._live_pass()
                except KeyboardInterrupt:
                    if not self.own_signals:
                        raise
                    # Ctrl-C outside the handler (not the main thread, or raised by a stage): end cleanly too.
                    self.ending.ended = ENDED_BY_INTERRUPT
            result = self._finish()
            if self.ending.source_error is not None:
                raise self.ending.source_error  # after saving: the reps read before the damage are kept
            return result
        finally:
            self.ui.stop()
            self.display.close()
            for close in self.stages.closers:
                close()

    def _finish(self) -> SessionResult:
        """Finishes the machine and the recorder, writes the JSON and the video file, and says how it went."""
        stages, tally = self.stages, self.tally
        last = stages.machine.finish(tally.last_t)
        stages.recorder.update(last)
        self._save_thumbnails(last.new_reps)
        fps, duration_s = tally.rate()
        summary = stages.recorder.finish(
            frames=tally.frames, duration_s=float(duration_s), fps=float(fps), interrupted=self.ending.interrupted
        )
        people = () if self.people is None else self.people.finish(
            tally.last_t, frames=tally.frames, duration_s=float(duration_s), fps=float(fps),
            interrupted=self.ending.interrupted)
        store = getattr(stages.recorder, "store", None)
        if people and store is not None:
            from fitness.run.people import record_group

            summary = record_group(store, summary, people, self.people.followed_id)
        spoken = self.voice.finish() if self.voice is not None else None
        write_error, notes = None, []
        try:
            if self.config.json_path:
                self._write_json(summary, spoken, people)
        except FitnessError as exc:
            write_error = exc
        try:
            self.display.finish_video()
            if self.voice is not None and self.display.writer is not None:
                from fitness.voice.soundtrack import add_speech

                notes.append(add_speech(self.display.writer.path, self.voice.clips, self.display.frame_times,
                                        self.display.writer.fps))
        except FitnessError as exc:
            write_error = write_error or exc
        if self.voice is not None:
            notes.extend(self.voice.notes())
        nobody = self._no_person_message()
        return SessionResult(
            summary=summary,
            frames=tally.frames,
            frames_with_person=tally.with_person,
            ended=self.ending.ended,
            notes=tuple(self._notes(summary, nobody)) + tuple(n for n in notes if n),
            raw_poses=tuple(self.raw_poses) if self.raw_poses is not None else None,
            no_person=nobody,
            write_error=write_error,
            spoken=spoken,
            people=people,
        )

    def _write_json(self, summary: WorkoutSummary, spoken: tuple[SpokenLine, ...] | None,
                    people: tuple[PersonResult, ...] = ()) -> None:
        """The summary; with a voice, what it said too (`spoken`: [{"t_s", "text"}], on the session clock); with
        `--people`, everyone counted (`people`, left to right) and where each tracked person was in each frame
        (`tracks`, last, one row a line)."""
        from fitness.session.export import json_with_rows, write_json, write_text  # --json only

        if spoken is None and self.people is None:
            write_json(summary, self.config.json_path)
            return
        doc = summary.to_dict()
        if spoken is not None:
            doc["spoken"] = [line.to_dict() for line in spoken]
        if self.people is None:
            write_text(json.dumps(doc, indent=2, allow_nan=False) + "\n", self.config.json_path)
            return
        doc["people"] = [p.to_dict() for p in people]
        write_text(json_with_rows(doc, "tracks", self.people.tracks()), self.config.json_path)

    def _notes(self, summary: WorkoutSummary, nobody: str | None) -> list[str]:
        notes = list(self.ending.source_notes)
        if self.ending.ended == ENDED_BY_INTERRUPT:
            stopped = f"stopped by {self.ending.stopped_by} after {self.tally.frames} frames"
            notes.append(f"{stopped}; the {summary.reps} reps so far are saved")
        crowd = self.follower.crowd_note()
        if nobody:
            notes.append(nobody)
        elif crowd:
            notes.append(crowd)
        return notes

    def _no_person_message(self) -> str | None:
        """Why no person was followed in any frame (None when one was)."""
        if not self.tally.frames or self.tally.with_person:
            return None
        return self.follower.nobody_message(self.tally.frames)

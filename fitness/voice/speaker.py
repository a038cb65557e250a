"""The session's voice: the frame loop hands it each engine step (microseconds: it only queues requests and asks
the scheduler whether the voice is free); a worker thread synthesises each utterance and plays it.

The clock is the session's (frame times). `paced` (recordings): the loop waits for each utterance's synthesis
(~60 ms), so what is said and when depends only on the video; live (cameras): the loop never waits, and the voice
stays busy until the worker has reported how long the utterance lasts.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

from fitness.exercise.events import MachineStep
from fitness.voice.picker import speech_requests
from fitness.voice.schedule import SpeechScheduler
from fitness.voice.tts import Clip

# How long the loop (paced) or the end of the session waits for the worker before going on without it.
WORKER_WAIT_S = 15.0


class Synth(Protocol):
    def synthesize(self, text: str) -> Clip: ...


class ClipPlayer(Protocol):
    def play(self, clip: Clip) -> None: ...


@dataclass(frozen=True)
class SpokenLine:
    """t_s: session time the utterance started (stamped once, when the voice took it); text: what was said."""

    t_s: float
    text: str

    def to_dict(self) -> dict[str, float | str]:
        return {"t_s": self.t_s, "text": self.text}


@dataclass(frozen=True)
class SpokenClip:
    line: SpokenLine
    clip: Clip


class _Job:
    def __init__(self, line: SpokenLine) -> None:
        self.line = line
        self.duration_s: float | None = None
        self.done = threading.Event()


class Voice:
    """update(step) per frame; finish() at the end returns what was said, with the audio (`clips`)."""

    def __init__(self, mode: str, synth: Synth, player: ClipPlayer | None = None, *, paced: bool,
                 scheduler: SpeechScheduler | None = None) -> None:
        self.mode = mode
        self.synth = synth
        self.player = player
        self.paced = paced
        self.scheduler = scheduler or SpeechScheduler()
        self.clips: list[SpokenClip] = []  # appended by the worker, in the order spoken
        self.errors: list[str] = []
        self._jobs: queue.SimpleQueue[_Job | None] = queue.SimpleQueue()
        self._current: _Job | None = None
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        if self._thread is None:
            self._thread = threading.Thread(target=self._work, name="voice", daemon=True)
            self._thread.start()

    # -- the frame loop's side --

    def update(self, step: MachineStep) -> None:
        for request in speech_requests(step, self.mode):
            self.scheduler.offer(request)
        self._collect()
        request = self.scheduler.due(step.t)
        if request is None:
            return
        self.start()
        job = _Job(SpokenLine(step.t, request.text))
        self._current = job
        self._jobs.put(job)
        if self.paced:
            job.done.wait(WORKER_WAIT_S)
            self._collect()

    def _collect(self) -> None:
        """Tells the scheduler how long the utterance under way lasts, once the worker knows."""
        job = self._current
        if job is not None and job.done.is_set():
            self.scheduler.spoke(job.duration_s or 0.0)
            self._current = None

    def finish(self) -> tuple[SpokenLine, ...]:
        """Lets the utterance under way finish (what was still waiting is dropped); what was said, in order."""
        if self._thread is not None:
            self._jobs.put(None)
            self._thread.join(WORKER_WAIT_S)
        return tuple(c.line for c in self.clips)

    def notes(self) -> list[str]:
        """What the user should hear about the voice itself: the first phrase that failed, a player that failed."""
        out = self.errors[:1]
        failed = getattr(self.player, "failed", None)
        if failed:
            out.append(failed)
        return out

    # -- the worker --

    def _work(self) -> None:
        while (job := self._jobs.get()) is not None:
            try:
                clip = self.synth.synthesize(job.line.text)
            except Exception as exc:  # one failed phrase must not silence the session
                self.errors.append(f"could not synthesise {job.line.text!r}: {exc}")
                job.duration_s = 0.0
                job.done.set()
                continue
            self.clips.append(SpokenClip(job.line, clip))
            job.duration_s = clip.duration_s
            job.done.set()
            if self.player is not None and self._jobs.empty():  # behind the session: say the newer one instead
                self.player.play(clip)


def make_voice(mode: str, synth: Synth, player_command: list[str] | None, *, paced: bool,
               player_factory: Callable[[list[str]], ClipPlayer] | None = None) -> Voice:
    from fitness.voice.playback import Player

    player = (player_factory or Player)(player_command) if player_command else None
    return Voice(mode, synth, player, paced=paced)

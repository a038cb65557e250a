"""The voice as the frame loop drives it: what the engine's steps make it say, on the session clock, with a
stand-in synthesiser (no espeak-ng, no sound)."""

from __future__ import annotations

import threading

import numpy as np
import pytest

from fitness.exercise.events import FormIssue, MachineStep, RepEvent, Signals
from fitness.voice.picker import ALL, COUNTS, CUES, speech_requests
from fitness.voice.speaker import SpokenLine, Voice
from fitness.voice.tts import Clip

RATE_HZ = 1000


def step(t: float, reps: int = 0, counted: bool | None = None, issues: tuple[str, ...] = ()) -> MachineStep:
    new_reps = () if counted is None else (RepEvent(reps + (not counted), t - 1.0, t, counted),)
    new_issues = tuple(FormIssue(f"rule{i}", message, "warning", t) for i, message in enumerate(issues))
    return MachineStep(t=t, signals=Signals(t, {}, True), phase="top", reps=reps, no_reps=0, new_reps=new_reps,
                       new_issues=new_issues)


class FakeSynth:
    """Each phrase lasts 0.125 s per character (exact in binary, as are the 8 fps frame times); `gate`, when
    given, holds synthesis until set."""

    def __init__(self, gate: threading.Event | None = None, fail: str | None = None):
        self.gate, self.fail, self.texts = gate, fail, []

    def synthesize(self, text: str) -> Clip:
        if self.gate is not None:
            self.gate.wait(10)
        if text == self.fail:
            raise RuntimeError("espeak-ng exploded")
        self.texts.append(text)
        return Clip(np.ones(int(len(text) * 0.125 * RATE_HZ), np.int16), RATE_HZ)


class FakePlayer:
    def __init__(self):
        self.played = []

    def play(self, clip: Clip) -> None:
        self.played.append(len(clip.samples))


def frames(seconds: float, fps: float = 8.0) -> list[float]:
    return [i / fps for i in range(int(seconds * fps))]


def test_counts_and_cues_by_mode():
    s = step(2.0, reps=3, counted=True, issues=("Chest up",))
    assert [r.text for r in speech_requests(s, COUNTS)] == ["3"]
    assert [r.text for r in speech_requests(s, CUES)] == ["Chest up"]
    assert [r.text for r in speech_requests(s, ALL)] == ["3", "Chest up"]
    assert speech_requests(step(2.0, reps=3, counted=False, issues=("Go deeper",)), COUNTS) == []


def test_paced_voice_says_each_count_when_the_rep_is_counted_and_the_cue_after_it():
    synth, player = FakeSynth(), FakePlayer()
    voice = Voice(ALL, synth, player, paced=True)
    events = {1.0: dict(reps=1, counted=True), 2.0: dict(reps=2, counted=True, issues=("Chest up",)),
              2.125: dict(reps=2, issues=("Knees out",))}
    for t in frames(4.0):
        voice.update(step(t, **events.get(t, dict(reps=2 if t > 2 else int(t >= 1)))))
    spoken = voice.finish()
    # "2" lasts 0.125 s, then "Chest up" (1 s); "Knees out", asked at 2.125, waits for it until 3.125.
    assert spoken == (SpokenLine(1.0, "1"), SpokenLine(2.0, "2"), SpokenLine(2.125, "Chest up"),
                      SpokenLine(3.125, "Knees out"))
    assert [c.line for c in voice.clips] == list(spoken)
    assert len(player.played) == 4


def test_live_voice_never_holds_the_frame_loop_and_stays_busy_until_the_phrase_is_synthesised():
    gate = threading.Event()
    voice = Voice(ALL, FakeSynth(gate), paced=False)
    voice.update(step(1.0, reps=1, counted=True))  # returns although synthesis is held
    voice.update(step(1.125, reps=1, issues=("Chest up",)))
    voice.update(step(1.25, reps=1))  # "1" would be over by now, but its length is not known yet
    assert [r.text for r in voice.scheduler.waiting] == ["Chest up"]
    gate.set()
    voice._current.done.wait(10)
    voice.update(step(1.375, reps=1))
    assert voice.finish() == (SpokenLine(1.0, "1"), SpokenLine(1.375, "Chest up"))


def test_a_phrase_that_fails_is_left_out_and_said_once_in_the_notes():
    voice = Voice(CUES, FakeSynth(fail="Chest up"), paced=True)
    for t, issues in ((0.0, ("Chest up",)), (0.125, ("Knees out",)), (9.0, ("Chest up",))):
        voice.update(step(t, issues=issues))
    assert [line.text for line in voice.finish()] == ["Knees out"]
    assert voice.notes() == ["could not synthesise 'Chest up': espeak-ng exploded"]


@pytest.mark.parametrize("mode", [COUNTS, CUES])
def test_the_other_kind_is_not_said(mode):
    voice = Voice(mode, FakeSynth(), paced=True)
    voice.update(step(1.0, reps=1, counted=True, issues=("Chest up",)))
    assert [line.text for line in voice.finish()] == (["1"] if mode == COUNTS else ["Chest up"])

"""Which of the engine's events the voice says: the count of each counted rep and each form cue's message."""

from __future__ import annotations

from fitness.exercise.events import MachineStep
from fitness.voice.schedule import COUNT, CUE, SpeechRequest
from fitness.voice.settings import ALL, COUNTS, CUES, OFF, VOICE_MODES

__all__ = ["ALL", "COUNTS", "CUES", "OFF", "VOICE_MODES", "speech_requests"]


def speech_requests(step: MachineStep, mode: str) -> list[SpeechRequest]:
    """The requests one engine step gives: the rep count (its number, e.g. "3") when a counted rep ended, and the
    `message` of each form issue that started (live rules, rep checks, no-rep reasons), as the exercise file words
    it."""
    out: list[SpeechRequest] = []
    if mode in (COUNTS, ALL) and any(rep.counted for rep in step.new_reps):
        out.append(SpeechRequest(str(step.reps), COUNT, step.t))
    if mode in (CUES, ALL):
        out.extend(SpeechRequest(issue.message.strip(), CUE, step.t) for issue in step.new_issues
                   if issue.message.strip())
    return out

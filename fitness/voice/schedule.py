"""What the voice says next, on the session clock: one utterance at a time, the count before a cue, stale cues
dropped, the same cue not repeated within `repeat_s`. Pure logic: no threads, no audio, no wall clock."""

from __future__ import annotations

from dataclasses import dataclass

COUNT = "count"  # a counted rep's number; a newer count replaces one still waiting
CUE = "cue"  # a form cue (an exercise file's `message`)
# A cue still waiting this long after it was asked for is no longer about what the person is doing.
STALE_S = 2.0
# The same cue is not said again within this many seconds of the last time it was said.
REPEAT_S = 8.0


@dataclass(frozen=True)
class SpeechRequest:
    """text: what to say; kind: COUNT or CUE; asked_t: session time it was asked for."""

    text: str
    kind: str
    asked_t: float


class SpeechScheduler:
    """Holds the requests waiting to be said and says when the voice is free for the next one.

    The voice is busy from the moment an utterance starts until `started_t + duration_s`; the duration is known
    only once the speech is synthesised, and until `spoke(duration_s)` reports it the voice counts as busy.
    """

    def __init__(self, stale_s: float = STALE_S, repeat_s: float = REPEAT_S) -> None:
        self.stale_s = stale_s
        self.repeat_s = repeat_s
        self._waiting: list[SpeechRequest] = []
        self._last_said: dict[str, float] = {}  # cue text -> session time it was last said
        self._started_t: float | None = None
        self._busy_until: float | None = None  # None while speaking: duration not known yet

    @property
    def waiting(self) -> tuple[SpeechRequest, ...]:
        return tuple(self._waiting)

    def offer(self, request: SpeechRequest) -> None:
        if request.kind == COUNT:
            self._waiting = [r for r in self._waiting if r.kind != COUNT]  # only the newest count is worth saying
        elif any(r.text == request.text for r in self._waiting) or self._said_recently(request.text, request.asked_t):
            return
        self._waiting.append(request)

    def busy(self, now: float) -> bool:
        if self._started_t is None:
            return False
        return self._busy_until is None or now < self._busy_until

    def due(self, now: float) -> SpeechRequest | None:
        """The request to say now, if the voice is free (it is then busy until `spoke` says for how long)."""
        if self.busy(now):
            return None
        self._waiting = [
            r for r in self._waiting
            if r.kind == COUNT or (now - r.asked_t <= self.stale_s and not self._said_recently(r.text, now))
        ]
        if not self._waiting:
            return None
        counts = [r for r in self._waiting if r.kind == COUNT]
        chosen = counts[-1] if counts else self._waiting[0]
        self._waiting.remove(chosen)
        if chosen.kind == CUE:
            self._last_said[chosen.text] = now
        self._started_t, self._busy_until = now, None
        return chosen

    def spoke(self, duration_s: float) -> None:
        """The utterance that `due` last gave out lasts `duration_s` (0 when it could not be synthesised)."""
        if self._started_t is not None:
            self._busy_until = self._started_t + max(0.0, duration_s)

    def _said_recently(self, text: str, now: float) -> bool:
        last = self._last_said.get(text)
        return last is not None and now - last < self.repeat_s

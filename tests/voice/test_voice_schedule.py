"""The speech scheduler on a fake session clock: one utterance at a time, counts first, stale and repeated cues
dropped."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from fitness.voice.schedule import COUNT, CUE, SpeechRequest, SpeechScheduler


def count(n: int, t: float) -> SpeechRequest:
    return SpeechRequest(str(n), COUNT, t)


def cue(text: str, t: float) -> SpeechRequest:
    return SpeechRequest(text, CUE, t)


def test_a_free_voice_says_the_request_at_once_and_is_busy_until_its_duration_is_known_and_over():
    s = SpeechScheduler()
    s.offer(count(1, 1.0))
    assert s.due(1.0) == count(1, 1.0)
    s.offer(cue("Chest up", 1.1))
    assert s.due(5.0) is None  # duration not reported yet: still busy, however late
    s.spoke(0.5)
    assert s.busy(1.4) and s.due(1.4) is None
    assert s.due(1.5) == cue("Chest up", 1.1)


def test_the_count_beats_a_cue_that_was_waiting_longer():
    s = SpeechScheduler()
    s.offer(cue("Knees out", 0.0))
    assert s.due(0.0).text == "Knees out"
    s.offer(cue("Chest up", 0.1))
    s.offer(count(4, 0.2))
    s.spoke(0.5)
    assert s.due(0.5) == count(4, 0.2)
    s.spoke(0.3)
    assert s.due(0.8) == cue("Chest up", 0.1)


def test_a_newer_count_replaces_the_one_still_waiting():
    s = SpeechScheduler()
    s.offer(cue("Chest up", 0.0))
    s.due(0.0)
    s.offer(count(2, 0.1))
    s.offer(count(3, 0.9))
    s.spoke(1.0)
    assert s.due(1.0) == count(3, 0.9)
    assert s.waiting == ()


def test_a_cue_that_is_stale_when_the_voice_is_free_is_dropped():
    s = SpeechScheduler(stale_s=2.0)
    s.offer(count(1, 0.0))
    s.due(0.0)
    s.offer(cue("Chest up", 0.1))
    s.spoke(2.5)
    assert s.due(2.5) is None  # asked 2.4 s ago
    assert s.waiting == ()


def test_the_same_cue_is_not_repeated_within_repeat_s():
    s = SpeechScheduler(repeat_s=8.0)
    s.offer(cue("Chest up", 0.0))
    assert s.due(0.0) is not None
    s.spoke(0.5)
    s.offer(cue("Chest up", 3.0))  # asked again too soon: ignored
    assert s.due(3.0) is None
    s.offer(cue("Chest up", 8.0))
    assert s.due(8.0) == cue("Chest up", 8.0)


def test_a_cue_already_waiting_is_not_queued_twice():
    s = SpeechScheduler()
    s.offer(count(1, 0.0))
    s.due(0.0)
    s.offer(cue("Chest up", 0.1))
    s.offer(cue("Chest up", 0.2))
    assert [r.text for r in s.waiting] == ["Chest up"]


def test_a_phrase_that_could_not_be_synthesised_frees_the_voice_at_once():
    s = SpeechScheduler()
    s.offer(count(1, 0.0))
    s.due(0.0)
    s.spoke(0.0)
    s.offer(count(2, 0.0))
    assert s.due(0.0) == count(2, 0.0)


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.tuples(st.integers(0, 299), st.sampled_from(["1", "2", "3", "Chest up", "Knees out"]),
                       st.floats(0.1, 2.0)), max_size=40),
)
def test_over_any_session_the_voice_never_talks_over_itself(events):
    """Frames at 30 fps; requests at random frames; each utterance lasts a random time, reported at once."""
    s = SpeechScheduler(stale_s=2.0, repeat_s=8.0)
    by_frame: dict[int, list[tuple[str, float]]] = {}
    for frame, text, duration_s in events:
        by_frame.setdefault(frame, []).append((text, duration_s))
    said: list[tuple[float, float, SpeechRequest]] = []
    durations = {}
    for frame in range(300):
        now = frame / 30
        for text, duration_s in by_frame.get(frame, ()):
            s.offer(SpeechRequest(text, COUNT if text.isdigit() else CUE, now))
            durations[(text, now)] = duration_s
        request = s.due(now)
        if request is not None:
            duration_s = durations[(request.text, request.asked_t)]
            s.spoke(duration_s)
            said.append((now, now + duration_s, request))
    for (_, end, _), (start, _, _) in zip(said, said[1:]):
        assert start >= end - 1e-9
    for start, _, request in said:
        if request.kind == CUE:
            assert start - request.asked_t <= 2.0
    cue_starts: dict[str, list[float]] = {}
    for start, _, request in said:
        if request.kind == CUE:
            cue_starts.setdefault(request.text, []).append(start)
    for starts in cue_starts.values():
        assert all(b - a >= 8.0 - 1e-9 for a, b in zip(starts, starts[1:]))

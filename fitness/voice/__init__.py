"""Coaching you can hear: the rep count and form cues spoken with offline text to speech (espeak-ng).

`picker` chooses what to say from the engine's steps, `schedule` when (one at a time, counts first, stale and
repeated cues dropped), `tts` synthesises, `playback` plays when there is an audio device, `speaker` runs it
off the frame loop, and `soundtrack` puts what was said into the saved video.
"""

"""The voice's defaults, importable without numpy (the command line's --help stays instant)."""

# What `--voice` may say: nothing, the rep counts, the form cues, or both.
OFF, COUNTS, CUES, ALL = "off", "counts", "cues", "all"
VOICE_MODES = (OFF, COUNTS, CUES, ALL)
# espeak-ng's own default speed, in words per minute; its accepted range is 80-450.
DEFAULT_RATE_WPM = 175
RATE_RANGE_WPM = (80, 450)
DEFAULT_VOICE = "en"

"""Text that came from a user (exercise files, imported JSON, notes) made safe to print on a terminal.

Control characters (C0, DEL and C1, which include ESC and CSI) would let a file move the cursor, clear the
screen or recolour the terminal; tabs and newlines are kept only where a caller allows multi-line text.
"""

from __future__ import annotations

import re

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_CONTROL_OR_BREAK = re.compile(r"[\x00-\x1f\x7f-\x9f]")


def control_chars(text: str, *, multiline: bool = False) -> list[str]:
    """The control characters in `text` as escapes (e.g. ['\\x1b']), each once, in order of appearance."""
    pattern = _CONTROL if multiline else _CONTROL_OR_BREAK
    return list(dict.fromkeys(repr(ch)[1:-1] for ch in pattern.findall(text)))


def printable(text: str, *, multiline: bool = False) -> str:
    """`text` with every control character removed (tabs and newlines too, unless `multiline`)."""
    pattern = _CONTROL if multiline else _CONTROL_OR_BREAK
    return pattern.sub("", text)

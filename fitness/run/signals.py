"""Ctrl-C and SIGTERM end a session cleanly: the first one stops it after the current frame, so it saves."""

from __future__ import annotations

import contextlib
import signal
import threading
from collections.abc import Callable, Iterator

# The signals that end a session cleanly, and how notes name them: Ctrl-C, and what kill, systemd and Docker send.
STOP_SIGNALS = {"SIGINT": "Ctrl-C", "SIGTERM": "SIGTERM"}


@contextlib.contextmanager
def first_signal_stops(on_stop: Callable[[str], None]) -> Iterator[None]:
    """While active, the first Ctrl-C or SIGTERM calls `on_stop(name)` with "Ctrl-C" or "SIGTERM" (the session
    ends after the current frame and saves); then the usual handlers are back, so a second Ctrl-C raises
    KeyboardInterrupt and a second SIGTERM terminates. Only the main thread can own signal handlers."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    names = {getattr(signal, sig): name for sig, name in STOP_SIGNALS.items() if hasattr(signal, sig)}
    previous = {signum: signal.getsignal(signum) for signum in names}

    def restore() -> None:
        for signum, old in previous.items():
            signal.signal(signum, signal.SIG_DFL if old is None else old)

    def handler(signum, frame) -> None:
        restore()
        on_stop(names[signum])

    for signum in names:
        signal.signal(signum, handler)
    try:
        yield
    finally:
        restore()

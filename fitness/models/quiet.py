"""Keep TensorFlow's and LiteRT's C++ start-up chatter (CUDA probing, oneDNN and CPU feature notes) off the
user's terminal; real failures still surface as Python exceptions."""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Iterator


def quiet_native_logs() -> None:
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")


@contextlib.contextmanager
def native_stderr_muted() -> Iterator[None]:
    """Point file descriptor 2 at /dev/null (C++ writes there directly, past sys.stderr)."""
    try:
        fd = sys.stderr.fileno()
    except (AttributeError, OSError, ValueError):  # captured or replaced stderr: nothing native to hide
        yield
        return
    sys.stderr.flush()
    saved = os.dup(fd)
    try:
        with open(os.devnull, "w") as devnull:
            os.dup2(devnull.fileno(), fd)
            yield
    finally:
        os.dup2(saved, fd)
        os.close(saved)


def import_tensorflow():
    """`import tensorflow` without its start-up log lines; returns the module."""
    quiet_native_logs()
    if "tensorflow" in sys.modules:
        return sys.modules["tensorflow"]
    with native_stderr_muted():
        import tensorflow as tf
    tf.get_logger().setLevel("ERROR")
    return tf

"""A per-clip cache of the pose model's outputs for the evaluation scripts: a rerun after a change past the model
(tracking, smoothing, engines) runs the model only on inputs it has not seen, and gives what a full run gives."""

from __future__ import annotations

import contextlib
import hashlib
import pickle
from pathlib import Path

import numpy as np


class _Store:
    """The outputs of the clip being evaluated: `fitness.pipeline` keeps one loaded estimator (and so one runner)
    for every clip of a process, so a runner made under one `model_cache` serves the later ones too."""

    outputs: dict | None = None


_STORE = _Store()


class CachedRunner:
    """A model runner whose outputs are kept by (model, input image) in the current clip's store: the model runs on
    new inputs only (and every time outside `model_cache`)."""

    def __init__(self, runner, model: str, store: _Store = _STORE) -> None:
        self.runner, self.model, self.store = runner, model, store
        self.input_size = runner.input_size

    def run(self, batch: np.ndarray) -> np.ndarray:
        outputs = self.store.outputs
        if outputs is None:
            return self.runner.run(batch)
        key = (self.model, hashlib.sha1(np.ascontiguousarray(batch).tobytes()).hexdigest())
        if key not in outputs:
            outputs[key] = np.array(self.runner.run(batch))
        return outputs[key].copy()


@contextlib.contextmanager
def model_cache(path: Path | None):
    """Within it, the pose estimators' runners keep their outputs in `path` (a pickle; None: no cache)."""
    if path is None:
        yield
        return
    from fitness.pose import estimator

    outputs = pickle.loads(path.read_bytes()) if path.exists() else {}
    known = len(outputs)
    make = estimator.make_runner

    def cached(backend, tflite_path, saved_model_dir, threads):
        return CachedRunner(make(backend, tflite_path, saved_model_dir, threads), str(tflite_path or saved_model_dir))

    estimator.make_runner = cached
    _STORE.outputs = outputs
    try:
        yield
    finally:
        estimator.make_runner = make
        _STORE.outputs = None
        if len(outputs) > known:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(pickle.dumps(outputs))

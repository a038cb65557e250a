"""A per-clip cache of the pose model's outputs for the evaluation scripts: a rerun after a change past the model
(tracking, smoothing, engines) runs the model only on inputs it has not seen, and gives what a full run gives."""

from __future__ import annotations

import contextlib
import hashlib
import pickle
from pathlib import Path

import numpy as np


class CachedRunner:
    """A model runner whose outputs are kept by (model, input image) in `outputs`: the model runs on new inputs only."""

    def __init__(self, runner, model: str, outputs: dict) -> None:
        self.runner, self.model, self.outputs = runner, model, outputs
        self.input_size = runner.input_size

    def run(self, batch: np.ndarray) -> np.ndarray:
        key = (self.model, hashlib.sha1(np.ascontiguousarray(batch).tobytes()).hexdigest())
        if key not in self.outputs:
            self.outputs[key] = np.array(self.runner.run(batch))
        return self.outputs[key].copy()


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
        return CachedRunner(make(backend, tflite_path, saved_model_dir, threads), str(tflite_path or saved_model_dir),
                            outputs)

    estimator.make_runner = cached
    try:
        yield
    finally:
        estimator.make_runner = make
        if len(outputs) > known:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(pickle.dumps(outputs))

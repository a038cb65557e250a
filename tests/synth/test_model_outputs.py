"""The evaluation scripts' cache of model outputs per clip (benchmarks/model_outputs.py)."""

from __future__ import annotations

import pickle
import sys
from pathlib import Path

import numpy as np

from fitness.pose import estimator

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))
from model_outputs import model_cache  # noqa: E402


class _Counting:
    input_size = 4

    def __init__(self) -> None:
        self.calls = 0

    def run(self, batch):
        self.calls += 1
        return batch.sum(axis=(1, 2, 3)).astype(np.float32)


def test_one_runner_kept_over_several_clips_fills_each_clips_cache(tmp_path, monkeypatch):
    inner = _Counting()
    monkeypatch.setattr(estimator, "make_runner", lambda *args: inner)
    first, second = tmp_path / "a.pkl", tmp_path / "b.pkl"
    image_a, image_b = np.ones((1, 4, 4, 3)), np.full((1, 4, 4, 3), 2.0)
    with model_cache(first):
        runner = estimator.make_runner("litert", "m.tflite", None, 1)  # the pipeline keeps it for the next clip
        assert runner.run(image_a)[0] == 48
    with model_cache(second):
        assert runner.run(image_b)[0] == 96
    assert [len(pickle.loads(path.read_bytes())) for path in (first, second)] == [1, 1]
    with model_cache(second):
        assert runner.run(image_b)[0] == 96
    assert inner.calls == 2  # the second clip's output came from its cache
    runner.run(image_b)
    assert inner.calls == 3  # outside a cache the model runs

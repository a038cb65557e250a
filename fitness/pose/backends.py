"""Runtimes that execute a MoveNet model: int32 [1, S, S, 3] in, the raw output array out.

`LiteRTRunner` (default) needs only ai-edge-litert and never imports TensorFlow, which keeps start-up fast
and memory low; `TFRunner` runs the SavedModel through tensorflow_hub, as TF Hub users would.
"""

from __future__ import annotations

from pathlib import Path
from typing import Protocol

import numpy as np

from fitness.errors import ModelError
from fitness.models.cache import SAVED_MODEL, TFLITE
from fitness.models.quiet import import_tensorflow, native_stderr_muted, quiet_native_logs
from fitness.models.tflite_info import DEFAULT_DYNAMIC_SIZE

BACKENDS = ("litert", "tf")
# The cache entry's files each backend reads: a load recomputes only their sha256 (~5 ms for Lightning's
# .tflite against ~30 ms for the whole entry).
BACKEND_FILES = {"litert": (TFLITE,), "tf": (SAVED_MODEL,)}


class Runner(Protocol):
    input_size: int

    def run(self, batch: np.ndarray) -> np.ndarray:
        """int32 [1, S, S, 3] RGB -> the model's raw float32 output (its own copy)."""


class LiteRTRunner:
    """The .tflite model in a LiteRT Interpreter (XNNPACK delegate, num_threads threads)."""

    def __init__(self, tflite_path: Path, threads: int = 2) -> None:
        quiet_native_logs()
        from ai_edge_litert.interpreter import Interpreter

        try:
            self._interpreter = Interpreter(model_path=str(tflite_path), num_threads=int(threads))
            input_detail = self._interpreter.get_input_details()[0]
            shape = [int(s) for s in input_detail["shape_signature"]]
            if shape[1] <= 0:  # dynamic H, W (MultiPose from TF Hub): fix it once
                self._interpreter.resize_tensor_input(
                    input_detail["index"], [1, DEFAULT_DYNAMIC_SIZE, DEFAULT_DYNAMIC_SIZE, 3]
                )
            # allocate_tensors applies the XNNPACK delegate, which announces itself on the native stderr.
            with native_stderr_muted():
                self._interpreter.allocate_tensors()
        except (ValueError, RuntimeError) as exc:
            raise ModelError(f"LiteRT cannot load {tflite_path}: {exc}; run 'fitness models verify'") from exc
        detail = self._interpreter.get_input_details()[0]
        self._input_index = detail["index"]
        self._output_index = self._interpreter.get_output_details()[0]["index"]
        self.input_size = int(detail["shape"][1])

    def run(self, batch: np.ndarray) -> np.ndarray:
        self._interpreter.set_tensor(self._input_index, batch)
        self._interpreter.invoke()
        return self._interpreter.get_tensor(self._output_index)


class TFRunner:
    """The SavedModel's serving signature (TF Hub's: input=int32 [1,S,S,3] -> output_0), via tensorflow_hub."""

    def __init__(self, saved_model_dir: Path, threads: int = 2) -> None:
        tf = import_tensorflow()
        import tensorflow_hub as hub

        try:
            tf.config.threading.set_intra_op_parallelism_threads(int(threads))
            tf.config.threading.set_inter_op_parallelism_threads(1)
        except RuntimeError:
            pass  # TensorFlow already started in this process; keep its thread pools
        try:
            model = hub.load(str(saved_model_dir))
            self._signature = model.signatures["serving_default"]
        except (OSError, KeyError, ValueError) as exc:
            raise ModelError(f"TensorFlow cannot load the SavedModel {saved_model_dir}: {exc}") from exc
        self._model = model  # keeps the signature's resources alive
        spec = self._signature.structured_input_signature[1]["input"]
        self.input_size = int(spec.shape[1]) if spec.shape[1] else 256
        self._tf = tf

    def run(self, batch: np.ndarray) -> np.ndarray:
        return self._signature(input=self._tf.constant(batch))["output_0"].numpy()


def make_runner(backend: str, tflite_path: Path | None, saved_model_dir: Path | None, threads: int) -> Runner:
    if backend == "litert":
        if tflite_path is None:
            raise ModelError("the litert backend needs a .tflite model")
        return LiteRTRunner(tflite_path, threads)
    if backend == "tf":
        if saved_model_dir is None:
            raise ModelError("the tf backend needs a SavedModel; pass --backend litert for a bare .tflite")
        return TFRunner(saved_model_dir, threads)
    raise ModelError(f"unknown backend {backend!r}; choose one of {', '.join(BACKENDS)}")

"""A minimal MoveNet single-pose runner for measuring keypoint accuracy on rendered frames.

One full-frame pass per image: letterbox to a square (aspect kept, black padding), int32 RGB input,
output [1, 1, 17, 3] = (y, x, score) normalized to the square. No crop tracking, on purpose: this
measures what the model sees in the whole frame. The real estimator lives in `fitness.pose`.
"""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np

from fitness import paths
from fitness.errors import ModelError


def model_path(name: str = "lightning") -> Path:
    return paths.models_dir() / name / "model.tflite"


class MoveNetProbe:
    """Runs a MoveNet single-pose TFLite file on BGR frames; returns (17, 2) pixels and (17,) scores."""

    def __init__(self, tflite: str | Path | None = None, threads: int = 1) -> None:
        path = Path(tflite) if tflite else model_path("lightning")
        if not path.is_file():
            raise ModelError(f"no MoveNet model at {path}; run 'fitness models fetch lightning' first")
        from ai_edge_litert.interpreter import Interpreter  # heavy import, only when measuring

        self.interpreter = Interpreter(model_path=str(path), num_threads=threads)
        self.interpreter.allocate_tensors()
        inp = self.interpreter.get_input_details()[0]
        self.input_index = inp["index"]
        self.input_dtype = inp["dtype"]
        self.size = int(inp["shape"][1])
        self.output_index = self.interpreter.get_output_details()[0]["index"]

    def estimate(self, bgr: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        h, w = bgr.shape[:2]
        side = max(h, w)
        k = self.size / side
        nw, nh = max(1, round(w * k)), max(1, round(h * k))
        square = np.zeros((self.size, self.size, 3), np.uint8)
        x0, y0 = (self.size - nw) // 2, (self.size - nh) // 2
        square[y0: y0 + nh, x0: x0 + nw] = cv2.resize(bgr, (nw, nh), interpolation=cv2.INTER_AREA)
        rgb = cv2.cvtColor(square, cv2.COLOR_BGR2RGB)
        self.interpreter.set_tensor(self.input_index, rgb[None].astype(self.input_dtype))
        self.interpreter.invoke()
        raw = self.interpreter.get_tensor(self.output_index).reshape(17, 3)
        xy = np.stack([(raw[:, 1] * self.size - x0) / k, (raw[:, 0] * self.size - y0) / k], axis=1)
        return xy.astype(np.float32), raw[:, 2].astype(np.float32)

"""Read a .tflite model's input size and kind (single-pose or MultiPose) with LiteRT, without TensorFlow."""

from __future__ import annotations

from pathlib import Path

from fitness.errors import ModelError
from fitness.models.quiet import quiet_native_logs

# MultiPose's output is [1, 6, 56]: 6 people x (17 x [y, x, score] + [ymin, xmin, ymax, xmax, score]).
MULTIPOSE_FEATURES = 56
# Inputs stored with a dynamic H, W (MultiPose from TF Hub) are run at this size.
DEFAULT_DYNAMIC_SIZE = 256


def inspect_tflite(path: Path) -> tuple[int, bool]:
    """(input_size, multipose) of a MoveNet .tflite; ModelError when it does not look like MoveNet."""
    quiet_native_logs()
    from ai_edge_litert.interpreter import Interpreter

    try:
        interpreter = Interpreter(model_path=str(path), num_threads=1)
    except (ValueError, RuntimeError) as exc:
        raise ModelError(f"{path} is not a readable .tflite model: {exc}") from exc
    inputs = interpreter.get_input_details()
    outputs = interpreter.get_output_details()
    if len(inputs) != 1 or len(outputs) != 1:
        raise ModelError(f"{path} has {len(inputs)} inputs and {len(outputs)} outputs; MoveNet has one of each")
    in_shape = [int(s) for s in inputs[0]["shape_signature"]]
    out_shape = [int(s) for s in outputs[0]["shape"]]
    if len(in_shape) != 4 or in_shape[-1] != 3:
        raise ModelError(f"{path} takes input shape {in_shape}; MoveNet takes [1, H, W, 3]")
    size = in_shape[1] if in_shape[1] > 0 else DEFAULT_DYNAMIC_SIZE
    if out_shape[-2:] == [17, 3]:
        return size, False
    if out_shape[-1] == MULTIPOSE_FEATURES:
        return size, True
    raise ModelError(f"{path} outputs shape {out_shape}; MoveNet outputs [1, 1, 17, 3] or [1, 6, 56]")

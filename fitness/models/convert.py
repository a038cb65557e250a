"""Conversion steps: TF.js graph -> TensorFlow SavedModel (TF Hub's signature) -> TFLite with float16 weights.

Imports TensorFlow; only the fetch path uses this module, never the litert inference path.
"""

from __future__ import annotations

from pathlib import Path

from fitness.errors import ModelError
from fitness.models.quiet import import_tensorflow
from fitness.models.tfjs import read_tfjs, to_graph_def

# Names of TF Hub's MoveNet serving signature: `signatures["serving_default"](input=int32 [1,H,W,3])["output_0"]`.
SIGNATURE_KEY = "serving_default"
INPUT_KEY = "input"
OUTPUT_KEY = "output_0"


def _tensor_name(signature: dict, side: str, default: str) -> str:
    entries = signature.get(side, {})
    if len(entries) == 1:
        return next(iter(entries.values()))["name"]
    return default


def tfjs_to_saved_model(model_json: Path, out_dir: Path, input_size: int | None) -> None:
    """Rebuild the TF.js graph model at model_json as a SavedModel in out_dir (which must not exist)."""
    tf = import_tensorflow()

    tf.get_logger().setLevel("ERROR")  # the v1 SavedModel builder warns that it is a v1 API
    model = read_tfjs(model_json)
    shape = (1, input_size, input_size, 3) if input_size else None
    graph_def = to_graph_def(model, input_shape=shape)
    input_name = _tensor_name(model.signature, "inputs", "input:0")
    output_name = _tensor_name(model.signature, "outputs", "Identity:0")
    graph = tf.Graph()
    with graph.as_default():
        try:
            tf.graph_util.import_graph_def(graph_def, name="")
        except (ValueError, tf.errors.OpError) as exc:
            raise ModelError(f"the converted graph of {model_json} does not import into TensorFlow: {exc}") from exc
        with tf.compat.v1.Session(graph=graph) as session:
            signature = tf.compat.v1.saved_model.predict_signature_def(
                inputs={INPUT_KEY: graph.get_tensor_by_name(input_name)},
                outputs={OUTPUT_KEY: graph.get_tensor_by_name(output_name)},
            )
            builder = tf.compat.v1.saved_model.Builder(str(out_dir))
            builder.add_meta_graph_and_variables(
                session,
                [tf.saved_model.SERVING],
                signature_def_map={SIGNATURE_KEY: signature},
                strip_default_attrs=True,
            )
            builder.save()


def saved_model_to_tflite(saved_model_dir: Path, out_file: Path) -> None:
    """Convert a SavedModel's serving signature to TFLite, storing weights as float16."""
    tf = import_tensorflow()

    converter = tf.lite.TFLiteConverter.from_saved_model(str(saved_model_dir), signature_keys=[SIGNATURE_KEY])
    converter.optimizations = [tf.lite.Optimize.DEFAULT]
    converter.target_spec.supported_types = [tf.float16]
    try:
        data = converter.convert()
    except Exception as exc:  # the converter raises many unrelated types (ConverterError, RuntimeError, ...)
        raise ModelError(f"TFLite conversion of {saved_model_dir} failed: {exc}") from exc
    Path(out_file).write_bytes(data)

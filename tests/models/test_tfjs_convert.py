"""TF.js -> GraphDef -> SavedModel -> TFLite on a tiny hand-made TF.js graph (no download needed).

The graph uses what MoveNet uses: an int32 input cast to float, float16-quantized weights, `_FusedConv2D`
with BiasAdd+Relu6 and BiasAdd alone, `FusedDepthwiseConv2dNative` with BiasAdd+Relu. The reference is the
same math written with stock tf.nn ops on the float16-rounded weights.
"""

from __future__ import annotations

import base64
import json

import numpy as np
import pytest

from fitness.errors import ModelError
from fitness.models.tfjs import TfjsModel, decode_weights, read_tfjs, split_fused

tf = pytest.importorskip("tensorflow")

SIZE = 8


def _b64(text: str) -> str:
    return base64.b64encode(text.encode()).decode()


def _conv_attrs(fused: list[str]) -> dict:
    return {
        "T": {"type": "DT_FLOAT"},
        "strides": {"list": {"i": ["1", "1", "1", "1"]}},
        "padding": {"s": _b64("SAME")},
        "data_format": {"s": _b64("NHWC")},
        "dilations": {"list": {"i": ["1", "1", "1", "1"]}},
        "explicit_paddings": {"list": {}},
        "use_cudnn_on_gpu": {"b": True},
        "epsilon": {"f": 0},
        "fused_ops": {"list": {"s": [_b64(f) for f in fused]}},
        "num_args": {"i": "1"},
    }


def _const(name: str, dtype: str) -> dict:
    return {"name": name, "op": "Const", "attr": {"dtype": {"type": dtype}, "value": {"tensor": {"dtype": dtype}}}}


@pytest.fixture
def tiny_tfjs(tmp_path):
    """A TF.js graph model on disk and its float16-rounded weights."""
    rng = np.random.default_rng(7)
    weights = {
        "w1": rng.normal(0, 0.05, (3, 3, 3, 4)).astype(np.float16),
        "b1": rng.normal(0, 0.5, (4,)).astype(np.float16),
        "dw": rng.normal(0, 0.3, (3, 3, 4, 1)).astype(np.float16),
        "db": rng.normal(0, 0.5, (4,)).astype(np.float16),
        "w3": rng.normal(0, 0.3, (1, 1, 4, 2)).astype(np.float16),
        "b3": rng.normal(0, 0.5, (2,)).astype(np.float16),
    }
    offset = np.array([127], dtype=np.int32)
    nodes = [
        {
            "name": "input",
            "op": "Placeholder",
            "attr": {
                "dtype": {"type": "DT_INT32"},
                "shape": {"shape": {"dim": [{"size": "1"}, {"size": str(SIZE)}, {"size": str(SIZE)}, {"size": "3"}]}},
            },
        },
        {
            "name": "cast",
            "op": "Cast",
            "input": ["input"],
            "attr": {"SrcT": {"type": "DT_INT32"}, "DstT": {"type": "DT_FLOAT"}},
        },
        _const("offset", "DT_INT32"),
        {
            "name": "offset_f",
            "op": "Cast",
            "input": ["offset"],
            "attr": {"SrcT": {"type": "DT_INT32"}, "DstT": {"type": "DT_FLOAT"}},
        },
        {"name": "centred", "op": "Sub", "input": ["cast", "offset_f"], "attr": {"T": {"type": "DT_FLOAT"}}},
        *[_const(n, "DT_FLOAT") for n in weights],
        {
            "name": "conv1",
            "op": "_FusedConv2D",
            "input": ["centred", "w1", "b1"],
            "device": "/device:CPU:0",
            "attr": _conv_attrs(["BiasAdd", "Relu6"]),
        },
        {
            "name": "dconv",
            "op": "FusedDepthwiseConv2dNative",
            "input": ["conv1", "dw", "db"],
            "attr": _conv_attrs(["BiasAdd", "Relu"]),
        },
        {"name": "conv3", "op": "_FusedConv2D", "input": ["dconv", "w3", "b3"], "attr": _conv_attrs(["BiasAdd"])},
        {"name": "Identity", "op": "Identity", "input": ["conv3"], "attr": {"T": {"type": "DT_FLOAT"}}},
    ]
    specs = [{"name": "offset", "shape": [1], "dtype": "int32"}]
    blob = offset.tobytes()
    for name, value in weights.items():
        specs.append(
            {
                "name": name,
                "shape": list(value.shape),
                "dtype": "float32",
                "quantization": {"dtype": "float16", "original_dtype": "float32"},
            }
        )
        blob += value.astype("<f2").tobytes()
    (tmp_path / "tiny.bin").write_bytes(blob)
    document = {
        "format": "graph-model",
        "signature": {
            "inputs": {"input:0": {"name": "input:0", "dtype": "DT_INT32"}},
            "outputs": {"Identity:0": {"name": "Identity:0", "dtype": "DT_FLOAT"}},
        },
        "modelTopology": {"node": nodes, "library": {}, "versions": {}},
        "weightsManifest": [{"paths": ["tiny.bin"], "weights": specs}],
    }
    path = tmp_path / "tiny.json"
    path.write_text(json.dumps(document))
    return path, {k: v.astype(np.float32) for k, v in weights.items()}


def _reference(x: np.ndarray, w: dict[str, np.ndarray]) -> np.ndarray:
    h = tf.cast(x, tf.float32) - 127.0
    h = tf.nn.relu6(tf.nn.bias_add(tf.nn.conv2d(h, w["w1"], 1, "SAME"), w["b1"]))
    h = tf.nn.relu(tf.nn.bias_add(tf.nn.depthwise_conv2d(h, w["dw"], [1, 1, 1, 1], "SAME"), w["db"]))
    return tf.nn.bias_add(tf.nn.conv2d(h, w["w3"], 1, "SAME"), w["b3"]).numpy()


def _inputs(n: int = 3) -> list[np.ndarray]:
    rng = np.random.default_rng(0)
    return [rng.integers(0, 256, (1, SIZE, SIZE, 3)).astype(np.int32) for _ in range(n)]


def test_graph_def_matches_stock_tf_ops(tiny_tfjs):
    from fitness.models.tfjs import to_graph_def

    path, weights = tiny_tfjs
    graph_def = to_graph_def(read_tfjs(path))
    ops = [n.op for n in graph_def.node]
    assert "_FusedConv2D" not in ops and "FusedDepthwiseConv2dNative" not in ops
    assert {"Conv2D", "DepthwiseConv2dNative", "BiasAdd", "Relu6", "Relu"} <= set(ops)
    fn = tf.compat.v1.wrap_function(lambda: tf.graph_util.import_graph_def(graph_def, name=""), [])
    run = fn.prune(feeds="input:0", fetches="Identity:0")
    for x in _inputs():
        np.testing.assert_allclose(run(tf.constant(x)).numpy(), _reference(x, weights), atol=1e-5)


def test_saved_model_and_tflite_agree_with_reference(tiny_tfjs, tmp_path):
    from ai_edge_litert.interpreter import Interpreter

    from fitness.models.convert import saved_model_to_tflite, tfjs_to_saved_model

    path, weights = tiny_tfjs
    tfjs_to_saved_model(path, tmp_path / "sm", input_size=None)
    saved_model_to_tflite(tmp_path / "sm", tmp_path / "m.tflite")
    serving = tf.saved_model.load(str(tmp_path / "sm")).signatures["serving_default"]
    interpreter = Interpreter(model_path=str(tmp_path / "m.tflite"))
    interpreter.allocate_tensors()
    for x in _inputs():
        expected = _reference(x, weights)
        np.testing.assert_allclose(serving(input=tf.constant(x))["output_0"].numpy(), expected, atol=1e-5)
        interpreter.set_tensor(interpreter.get_input_details()[0]["index"], x)
        interpreter.invoke()
        lite = interpreter.get_tensor(interpreter.get_output_details()[0]["index"])
        np.testing.assert_allclose(lite, expected, atol=1e-3)


def test_float16_weights_are_dequantized_exactly():
    values = np.array([0.1, -2.5, 65504.0, 1e-4], dtype=np.float16)
    out = decode_weights(
        [
            {
                "name": "w",
                "shape": [4],
                "dtype": "float32",
                "quantization": {"dtype": "float16", "original_dtype": "float32"},
            }
        ],
        values.astype("<f2").tobytes(),
    )
    assert out["w"].dtype == np.float32
    np.testing.assert_array_equal(out["w"], values.astype(np.float32))


def test_uint8_affine_quantization_is_dequantized():
    spec = [
        {"name": "w", "shape": [3], "dtype": "float32", "quantization": {"dtype": "uint8", "scale": 0.5, "min": -1.0}}
    ]
    out = decode_weights(spec, bytes([0, 2, 255]))
    np.testing.assert_allclose(out["w"], [-1.0, 0.0, 126.5])


@pytest.mark.parametrize("blob", [b"\x00" * 7, b"\x00" * 9], ids=["truncated", "trailing"])
def test_weight_data_of_the_wrong_length_is_refused(blob):
    with pytest.raises(ModelError):
        decode_weights([{"name": "w", "shape": [2], "dtype": "int32"}], blob)


def test_unsupported_fused_ops_are_refused_by_name():
    node = {"name": "c", "op": "_FusedConv2D", "input": ["x", "w", "a", "b"], "attr": _conv_attrs(["FusedBatchNorm"])}
    node["attr"]["num_args"] = {"i": "4"}
    with pytest.raises(ModelError, match="FusedBatchNorm"):
        split_fused(node)


def test_split_keeps_the_original_name_on_the_last_op():
    node = {
        "name": "c",
        "op": "_FusedConv2D",
        "input": ["x", "w", "b", "^ctl"],
        "attr": _conv_attrs(["BiasAdd", "Relu6"]),
    }
    chain = split_fused(node)
    assert [n["op"] for n in chain] == ["Conv2D", "BiasAdd", "Relu6"]
    assert chain[-1]["name"] == "c"
    assert chain[0]["input"] == ["x", "w", "^ctl"]
    assert chain[1]["input"] == [chain[0]["name"], "b"]
    assert "fused_ops" not in chain[0]["attr"]


def test_a_layers_model_json_is_refused(tmp_path):
    path = tmp_path / "model.json"
    path.write_text(json.dumps({"format": "layers-model", "modelTopology": {}}))
    with pytest.raises(ModelError, match="not a TF.js graph model"):
        read_tfjs(path)


def test_missing_weight_shard_is_reported(tiny_tfjs):
    path, _ = tiny_tfjs
    (path.parent / "tiny.bin").unlink()
    with pytest.raises(ModelError, match="missing"):
        read_tfjs(path)


def test_tfjs_model_exposes_signature(tiny_tfjs):
    model = read_tfjs(tiny_tfjs[0])
    assert isinstance(model, TfjsModel)
    assert "input:0" in model.signature["inputs"]

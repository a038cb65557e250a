"""Read a TF.js graph model (model.json + weight shards) and rebuild it as a plain TensorFlow GraphDef.

TF.js stores a grappler-optimised graph: fused ops that stock TensorFlow kernels do not run
(`_FusedConv2D`, `FusedDepthwiseConv2dNative`), weights stripped out of the Const nodes and kept as
(optionally float16-quantized) binary shards. We dequantize the weights back into the Const nodes and split
each fused op into its stock parts (conv -> BiasAdd -> Relu/Relu6), keeping the original node name on the
last part so every consumer still finds its input.
"""

from __future__ import annotations

import base64
import copy
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from fitness.errors import ModelError

# How each stored dtype is laid out in the shards (little-endian, as TF.js writes them).
_STORED_DTYPES: dict[str, np.dtype] = {
    "float32": np.dtype("<f4"),
    "float16": np.dtype("<f2"),
    "int32": np.dtype("<i4"),
    "uint8": np.dtype("u1"),
    "uint16": np.dtype("<u2"),
    "bool": np.dtype("bool"),
}
_SPLIT_OPS = {"_FusedConv2D": "Conv2D", "FusedDepthwiseConv2dNative": "DepthwiseConv2dNative"}
_ACTIVATIONS = {"Relu", "Relu6", "Elu", "Sigmoid", "Tanh"}


@dataclass(frozen=True)
class TfjsModel:
    """A parsed TF.js graph model: its JSON document and every weight as a float32/int32 numpy array."""

    document: dict[str, Any]
    weights: dict[str, np.ndarray]

    @property
    def nodes(self) -> list[dict[str, Any]]:
        return self.document["modelTopology"]["node"]

    @property
    def signature(self) -> dict[str, Any]:
        return self.document.get("signature", {})


def read_tfjs(model_json: Path) -> TfjsModel:
    """Load model.json and its weight shards (found beside it) into a `TfjsModel`."""
    model_json = Path(model_json)
    try:
        document = json.loads(model_json.read_text())
    except (OSError, ValueError) as exc:
        raise ModelError(f"cannot read TF.js model {model_json}: {exc}; pass a TF.js graph model.json") from exc
    if document.get("format") not in (None, "graph-model") or "modelTopology" not in document:
        raise ModelError(
            f"{model_json} is not a TF.js graph model (format={document.get('format')!r}); "
            "only graph models (model.json with modelTopology.node) can be converted"
        )
    weights: dict[str, np.ndarray] = {}
    for group in document.get("weightsManifest", []):
        try:
            blob = b"".join((model_json.parent / name).read_bytes() for name in group["paths"])
        except OSError as exc:
            raise ModelError(f"weight shard of {model_json} is missing: {exc}") from exc
        weights.update(decode_weights(group["weights"], blob))
    return TfjsModel(document, weights)


def decode_weights(specs: list[dict[str, Any]], blob: bytes) -> dict[str, np.ndarray]:
    """Cut one weight group's concatenated bytes into arrays, dequantizing quantized entries."""
    out: dict[str, np.ndarray] = {}
    offset = 0
    for spec in specs:
        shape = tuple(int(s) for s in spec["shape"])
        count = int(np.prod(shape, dtype=np.int64))
        quant = spec.get("quantization")
        stored = quant["dtype"] if quant else spec["dtype"]
        if stored not in _STORED_DTYPES:
            raise ModelError(f"weight {spec['name']!r} has unsupported stored dtype {stored!r}")
        dtype = _STORED_DTYPES[stored]
        size = count * dtype.itemsize
        if offset + size > len(blob):
            raise ModelError(
                f"weight data is truncated: {spec['name']!r} needs bytes {offset}..{offset + size}, "
                f"the shards hold {len(blob)}; fetch the model again"
            )
        raw = np.frombuffer(blob, dtype=dtype, count=count, offset=offset)
        offset += size
        if quant and stored in ("uint8", "uint16"):
            # Affine quantization: value = q * scale + min.
            raw = raw.astype(np.float32) * float(quant["scale"]) + float(quant["min"])
        out[spec["name"]] = raw.astype(np.dtype(spec["dtype"])).reshape(shape)
    if offset != len(blob):
        raise ModelError(f"weight data has {len(blob) - offset} unexpected trailing bytes; fetch the model again")
    return out


def _decode_s(value: str) -> str:
    return base64.b64decode(value).decode()


def split_fused(node: dict[str, Any]) -> list[dict[str, Any]]:
    """One TF.js node as stock TensorFlow nodes (a fused conv becomes conv, BiasAdd, activation)."""
    op = node["op"]
    if op not in _SPLIT_OPS:
        return [node]
    attr = dict(node.get("attr", {}))
    fused = [_decode_s(s) for s in attr.get("fused_ops", {}).get("list", {}).get("s", [])]
    num_args = int(attr.get("num_args", {}).get("i", 0))
    inputs = list(node["input"])
    data_inputs = [i for i in inputs if not i.startswith("^")]
    control = [i for i in inputs if i.startswith("^")]
    if not fused or fused[0] != "BiasAdd" or num_args != 1 or any(f not in _ACTIVATIONS for f in fused[1:]):
        raise ModelError(
            f"cannot convert {op} node {node['name']!r} with fused_ops={fused} num_args={num_args}; "
            "only BiasAdd followed by an optional activation is supported"
        )
    for key in ("fused_ops", "num_args", "epsilon", "leakyrelu_alpha"):
        attr.pop(key, None)
    name = node["name"]
    conv = {"name": f"{name}/{_SPLIT_OPS[op]}", "op": _SPLIT_OPS[op], "input": data_inputs[:2] + control, "attr": attr}
    t_attr = {"T": attr.get("T", {"type": "DT_FLOAT"})}
    chain = [conv]
    for i, part in enumerate(fused):
        last = i == len(fused) - 1
        part_name = name if last else f"{name}/{part}"
        part_inputs = [chain[-1]["name"]] + ([data_inputs[2]] if part == "BiasAdd" else [])
        part_attr = dict(t_attr)
        if part == "BiasAdd":
            part_attr["data_format"] = attr.get("data_format", {"s": base64.b64encode(b"NHWC").decode()})
        chain.append({"name": part_name, "op": part, "input": part_inputs, "attr": part_attr})
    return chain


def to_graph_def(model: TfjsModel, input_shape: tuple[int, ...] | None = None):
    """The TF.js graph as a `tf.compat.v1.GraphDef` with weights inlined and fused ops split.

    input_shape, when given, replaces the Placeholder's shape (MultiPose is stored with a dynamic H, W;
    fixing it lets the TFLite converter fold the shape arithmetic).
    """
    from fitness.models.quiet import import_tensorflow

    tf = import_tensorflow()  # first: the imports below would load TensorFlow unmuted
    from google.protobuf import json_format
    from tensorflow.python.framework import op_def_registry

    graph_def = tf.compat.v1.GraphDef()
    for raw_node in model.nodes:
        for node in split_fused(copy.deepcopy(raw_node)):
            node.pop("device", None)
            attr = node.get("attr", {})
            op_def = op_def_registry.get(node["op"])
            if op_def is None:
                raise ModelError(f"TF.js node {node['name']!r} uses op {node['op']!r} that TensorFlow does not know")
            known = {a.name for a in op_def.attr}
            # Grappler bookkeeping attrs (leading underscore) and attrs of other op versions are dropped.
            node["attr"] = {k: v for k, v in attr.items() if k in known}
            if node["op"] == "Const":
                node["attr"].pop("value", None)
            if node["op"] == "Placeholder" and input_shape is not None:
                node["attr"]["shape"] = {"shape": {"dim": [{"size": str(int(s))} for s in input_shape]}}
            proto = json_format.ParseDict(node, graph_def.node.add())
            if node["op"] == "Const":
                if node["name"] not in model.weights:
                    raise ModelError(
                        f"Const node {node['name']!r} has no weight in the manifest; fetch the model again"
                    )
                proto.attr["value"].tensor.CopyFrom(tf.make_tensor_proto(model.weights[node["name"]]))
    versions = model.document["modelTopology"].get("versions") or {}
    if "producer" in versions:
        graph_def.versions.producer = int(versions["producer"])
    return graph_def

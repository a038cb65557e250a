"""The real converted MoveNet models (need `fitness models fetch all`): cache entries verify, the SavedModel
and the TFLite model agree within 1e-3 on the same inputs, and local paths are accepted as sources."""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pytest

from fitness.models import MODEL_NAMES, cache, ensure_model

pytestmark = pytest.mark.model

PHOTO = Path(__import__("matplotlib").get_data_path()) / "sample_data" / "grace_hopper.jpg"
# Raw outputs are normalized coordinates and scores in [0, 1]; 1e-3 is 0.2 px at Lightning's 192 px input.
AGREEMENT = 1e-3


def _inputs(size: int) -> list[np.ndarray]:
    import cv2

    photo = cv2.resize(cv2.imread(str(PHOTO))[:, :, ::-1], (size, size), interpolation=cv2.INTER_AREA)
    yy, xx = np.mgrid[0:size, 0:size]
    gradient = np.stack([xx * 255 // size, yy * 255 // size, (xx + yy) * 127 // size], axis=-1)
    return [photo[None].astype(np.int32), gradient[None].astype(np.int32)]


@pytest.fixture(scope="module")
def tf():
    return pytest.importorskip("tensorflow")


@pytest.mark.parametrize("name", MODEL_NAMES)
def test_cache_entry_verifies(name):
    status = cache.check(name)
    assert status.ok, f"{name}: {status.problem} (run 'fitness models fetch all')"


@pytest.mark.parametrize("name", MODEL_NAMES)
def test_saved_model_and_tflite_agree(name, tf):
    from ai_edge_litert.interpreter import Interpreter

    files = ensure_model(name, source="cache")
    serving = tf.saved_model.load(str(files.saved_model_dir)).signatures["serving_default"]
    interpreter = Interpreter(model_path=str(files.tflite_path), num_threads=2)
    interpreter.allocate_tensors()
    for x in _inputs(files.input_size):
        expected = serving(input=tf.constant(x))["output_0"].numpy()
        interpreter.set_tensor(interpreter.get_input_details()[0]["index"], x)
        interpreter.invoke()
        lite = interpreter.get_tensor(interpreter.get_output_details()[0]["index"])
        assert lite.shape == expected.shape == ((1, 6, 56) if files.multipose else (1, 1, 17, 3))
        np.testing.assert_allclose(lite, expected, atol=AGREEMENT)


def test_a_local_tflite_is_used_in_place():
    files = ensure_model(str(ensure_model("thunder", source="cache").tflite_path))
    assert (files.input_size, files.multipose, files.saved_model_dir) == (256, False, None)


def test_a_local_tfjs_model_json_is_converted_once_into_the_cache(tmp_path, monkeypatch):
    tfjs_dir = ensure_model("lightning", source="cache").tflite_path.parent / "tfjs"
    local = tmp_path / "my-model"
    shutil.copytree(tfjs_dir, local)
    monkeypatch.setenv("FITNESS_CACHE", str(tmp_path / "cache"))
    files = ensure_model(str(local / "movenet-lightning.json"))
    assert files.name.startswith("local-") and files.input_size == 192 and not files.multipose
    assert files.saved_model_dir is not None and files.tflite_path.is_file()
    assert ensure_model(str(local / "movenet-lightning.json")) == files


def test_the_tf_hub_source_converts_what_tensorflow_hub_resolves(tmp_path, monkeypatch):
    """The Hub path cannot download here; hand it the cached SavedModel as if tensorflow_hub had."""
    hub = pytest.importorskip("tensorflow_hub")
    saved_model = ensure_model("lightning", source="cache").saved_model_dir
    monkeypatch.setattr(hub, "resolve", lambda handle: str(saved_model))
    monkeypatch.setenv("FITNESS_CACHE", str(tmp_path / "cache"))
    files = ensure_model("lightning", source="hub")
    assert files.source == "hub" and files.input_size == 192 and files.tflite_path.is_file()
    assert cache.check("lightning").ok


def test_a_local_saved_model_is_converted_to_tflite_once(tmp_path, monkeypatch):
    local = tmp_path / "my-saved-model"
    shutil.copytree(ensure_model("lightning", source="cache").saved_model_dir, local)
    monkeypatch.setenv("FITNESS_CACHE", str(tmp_path / "cache"))
    files = ensure_model(str(local), source="local")
    assert files.name.startswith("local-") and files.input_size == 192 and files.tflite_path.is_file()
    assert files.source.startswith("local:")

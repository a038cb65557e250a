"""A local Ray for the batch tests that need one: started once per test session, stopped at its end."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture(scope="session")
def ray_cluster():
    """`ray.init(num_cpus=2)`: `fitness analyze --ray` finds Ray running and uses it. Its workers can import the
    stand-ins of this folder."""
    ray = pytest.importorskip("ray")
    ray.init(num_cpus=2, include_dashboard=False, logging_level="warning",
             runtime_env={"env_vars": {"PYTHONPATH": str(Path(__file__).parent)}})
    yield ray
    ray.shutdown()

"""A local Ray for the batch tests that need one: started once per test session, stopped at its end."""

from __future__ import annotations

import pytest


@pytest.fixture(scope="session")
def ray_cluster():
    """`ray.init(num_cpus=2)`: `fitness analyze --ray` finds Ray running and uses it."""
    ray = pytest.importorskip("ray")
    ray.init(num_cpus=2, include_dashboard=False, logging_level="warning")
    yield ray
    ray.shutdown()

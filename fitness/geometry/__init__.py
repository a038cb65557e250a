"""Body geometry in pure numpy: angles, inclinations, distances, body scale and side selection."""

from fitness.geometry.angles import angle, distance, incline

__all__ = ["angle", "distance", "incline"]

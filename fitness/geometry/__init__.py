"""Body geometry in pure numpy: angles, inclinations, distances, body scale and side selection."""

from fitness.geometry.angles import angle, distance, incline
from fitness.geometry.body import torso_length

__all__ = ["angle", "distance", "incline", "torso_length"]

"""Body geometry in pure numpy: angles, inclinations, distances, body scale and side selection."""

from fitness.geometry.angles import angle, distance, incline
from fitness.geometry.body import body_scale, torso_length

__all__ = ["angle", "body_scale", "distance", "incline", "torso_length"]

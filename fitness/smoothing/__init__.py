"""Keypoint smoothing: the One Euro filter (timestamp aware), confidence handling, a pass-through baseline."""

"""Pose types (COCO keypoints) and the MoveNet estimator with crop tracking."""

from fitness.pose.types import KEYPOINT_NAMES, SKELETON, Keypoint, Pose

__all__ = ["KEYPOINT_NAMES", "SKELETON", "Keypoint", "Pose"]

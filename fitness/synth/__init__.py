"""The synthetic athlete: renders exercise videos with exact ground truth (reps, faults, keypoints)."""

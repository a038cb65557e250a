"""Whole workouts: which exercise is being done (`classifier`, `scores`), sets and rests across exercises, plans."""

"""Workout plans: blocks of sets of named exercises (model), read from YAML (loader) and followed while a
workout goes on (tracker). Engine side: no cv2, no rich."""

from fitness.plan.loader import find_plan, list_plans, load_plan, parse_plan
from fitness.plan.model import Block, Load, Plan

__all__ = ["Block", "Load", "Plan", "find_plan", "list_plans", "load_plan", "parse_plan"]

"""Sessions after the fact: recorder (engine steps -> summary), summary types, SQLite history, exports."""

from fitness.session.summary import SetSummary, WorkoutSummary

__all__ = ["SetSummary", "WorkoutSummary"]

"""Sessions after the fact: recorder (engine steps -> summary), summary types, SQLite history, exports."""

from fitness.session.recorder import SessionRecorder
from fitness.session.store import HistoryStore, SessionInfo
from fitness.session.summary import SetSummary, WorkoutSummary

__all__ = ["HistoryStore", "SessionInfo", "SessionRecorder", "SetSummary", "WorkoutSummary"]

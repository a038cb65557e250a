"""Sessions after the fact: recorder (engine steps -> summary), summary types, SQLite history, exports."""

from fitness.session.summary import SetSummary, WorkoutSummary
from fitness.session.store import HistoryStore, SessionInfo
from fitness.session.recorder import SessionRecorder

__all__ = ["HistoryStore", "SessionInfo", "SessionRecorder", "SetSummary", "WorkoutSummary"]

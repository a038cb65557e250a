"""Sessions after the fact: recorder (engine steps -> summary), summary types, SQLite history, exports.

The names below are imported on first use (module `__getattr__`): a run without history never loads the
store (sqlite3) just because one of this package's modules was imported.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from fitness.lazy import lazy_members

if TYPE_CHECKING:
    from fitness.session.recorder import SessionRecorder
    from fitness.session.store import HistoryStore, SessionInfo
    from fitness.session.summary import SetSummary, WorkoutSummary

# name -> the module that defines it
_LAZY = {
    "HistoryStore": "store",
    "SessionInfo": "store",
    "SessionRecorder": "recorder",
    "SetSummary": "summary",
    "WorkoutSummary": "summary",
}

__all__ = ["HistoryStore", "SessionInfo", "SessionRecorder", "SetSummary", "WorkoutSummary"]


__getattr__ = lazy_members(__name__, _LAZY)

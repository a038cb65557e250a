"""Sessions after the fact: recorder (engine steps -> summary), summary types, SQLite history, exports.

The names below are imported on first use (module `__getattr__`): a run without history never loads the
store (sqlite3) just because one of this package's modules was imported.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

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


def __getattr__(name: str) -> object:
    if name not in _LAZY:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{_LAZY[name]}"), name)
    globals()[name] = value
    return value

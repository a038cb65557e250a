"""Where fitness keeps its files: model cache, history database and user exercises.

Everything lives under the platform's user dirs unless FITNESS_HOME (and FITNESS_CACHE) point elsewhere (tests and CI
set it to a temporary folder so they never touch a real user's data).
"""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

APP_NAME = "fitness"


def home() -> Path | None:
    """The FITNESS_HOME override, or None when the platform dirs are used."""
    value = os.environ.get("FITNESS_HOME")
    return Path(value).expanduser() if value else None


def cache_dir() -> Path:
    """Converted model weights and downloaded packages (safe to delete; re-fetched on demand).

    FITNESS_CACHE overrides it alone, so tests can give each test a fresh FITNESS_HOME and still share
    the converted models.
    """
    if os.environ.get("FITNESS_CACHE"):
        return Path(os.environ["FITNESS_CACHE"]).expanduser()
    root = home()
    return root / "cache" if root else Path(platformdirs.user_cache_dir(APP_NAME))


def data_dir() -> Path:
    """User data that must survive: the history database and user exercise files."""
    root = home()
    return root if root else Path(platformdirs.user_data_dir(APP_NAME))


def models_dir() -> Path:
    return cache_dir() / "models"


def history_db() -> Path:
    return data_dir() / "history.sqlite3"


def user_exercises_dir() -> Path:
    return data_dir() / "exercises"


def user_plans_dir() -> Path:
    return data_dir() / "plans"

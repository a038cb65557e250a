"""Fixtures of the UI tests live in ui_fixtures.py and golden_check.py (unique module names, importable from the
test files)."""

from golden_check import check_golden  # noqa: F401
from ui_fixtures import snapshot_factory  # noqa: F401

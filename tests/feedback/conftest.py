"""Fixtures of the UI tests live in ui_fixtures.py (a unique module name, importable from the test files)."""

from ui_fixtures import check_golden, snapshot_factory  # noqa: F401

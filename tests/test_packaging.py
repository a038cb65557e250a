"""Packaging: every package is listed in pyproject, and the exercise library ships as package data."""

from __future__ import annotations

import tomllib
from importlib import resources


def test_every_package_is_listed_in_pyproject(repo_root):
    listed = set(tomllib.loads((repo_root / "pyproject.toml").read_text())["tool"]["setuptools"]["packages"])
    found = {
        ".".join(p.parent.relative_to(repo_root).parts)
        for p in (repo_root / "fitness").rglob("__init__.py")
        if "__pycache__" not in p.parts
    }
    missing = found - listed
    assert not missing, f"add these to [tool.setuptools] packages in pyproject.toml: {sorted(missing)}"


def test_exercise_library_is_importable_as_package_data():
    files = resources.files("fitness._exercises")
    assert files.joinpath("__init__.py").is_file()

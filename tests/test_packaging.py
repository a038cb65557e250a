"""Packaging: every package is listed in pyproject, the exercise library ships as package data, and the tested
set in constraints.txt agrees with the declared ranges."""

from __future__ import annotations

import tomllib
from importlib import resources

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name


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


def test_the_shipped_plans_are_package_data(repo_root):
    package_data = tomllib.loads((repo_root / "pyproject.toml").read_text())["tool"]["setuptools"]["package-data"]
    assert "plans/*.yaml" in package_data["fitness.plan"]
    shipped = resources.files("fitness.plan").joinpath("plans")
    assert {"beginner_full_body.yaml", "upper_body.yaml", "legs.yaml"} <= {p.name for p in shipped.iterdir()}


def _pins(repo_root) -> dict[str, str]:
    pins = {}
    for line in (repo_root / "constraints.txt").read_text().splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            name, sep, version = line.partition("==")
            assert sep, f"constraints.txt: {line!r} is not NAME==VERSION"
            pins[canonicalize_name(name)] = version
    return pins


def test_every_declared_dependency_is_pinned_inside_its_range(repo_root):
    project = tomllib.loads((repo_root / "pyproject.toml").read_text())["project"]
    declared = [*project["dependencies"], *(d for ds in project["optional-dependencies"].values() for d in ds)]
    pins = _pins(repo_root)
    for text in declared:
        req = Requirement(text)
        if canonicalize_name(req.name) == canonicalize_name(project["name"]):
            continue  # an extra of this project (dev includes scale): its own entries are checked
        assert req.specifier, f"{text}: declare a range (oldest tested, below the next major release)"
        assert any(s.operator == "<" for s in req.specifier), f"{text}: the range needs an upper bound"
        version = pins.get(canonicalize_name(req.name))
        assert version is not None, f"{req.name} is declared in pyproject.toml but not pinned in constraints.txt"
        assert req.specifier.contains(version, prereleases=True), (
            f"constraints.txt pins {req.name}=={version}, outside {text}"
        )

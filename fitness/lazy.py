"""Package members imported on first use, so importing a package does not load what a run may never need."""

from __future__ import annotations

import importlib
import sys
from collections.abc import Callable, Mapping


def lazy_members(package: str, modules: Mapping[str, str]) -> Callable[[str], object]:
    """A module `__getattr__` for `package`: a name of `modules` (name -> submodule) is imported from its submodule
    on first use and kept in the package; any other name is an AttributeError."""

    def __getattr__(name: str) -> object:
        if name not in modules:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        value = getattr(importlib.import_module(f"{package}.{modules[name]}"), name)
        setattr(sys.modules[package], name, value)
        return value

    return __getattr__

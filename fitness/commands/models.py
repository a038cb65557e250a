"""`fitness models list | fetch | verify`: what is cached, get models into the cache, check their hashes."""

from __future__ import annotations

import sys
import time

from fitness import paths
from fitness.errors import ModelError
from fitness.models import cache
from fitness.models.specs import MODEL_NAMES, MODEL_SPECS
from fitness.text import printable


def _console(stderr: bool = False):
    from rich.console import Console

    return Console(file=sys.stderr if stderr else sys.stdout)


def _size_mb(status: cache.CacheStatus) -> str:
    if not status.directory.is_dir():
        return "-"
    total = sum(p.stat().st_size for p in status.directory.rglob("*") if p.is_file())
    return f"{total / 1e6:.1f} MB"


def _entry_names() -> list[str]:
    """The registry's names, then any local-<hash> entries converted from user paths."""
    root = paths.models_dir()
    extra = sorted(p.name for p in root.glob("local-*") if p.is_dir()) if root.is_dir() else []
    return [*MODEL_NAMES, *extra]


def _status_table(title: str, statuses: list[cache.CacheStatus]):
    from rich.table import Table

    table = Table(title=title)
    for column in ("model", "input", "source", "cached at", "size", "verified"):
        table.add_column(column, overflow="fold")
    for status in statuses:
        spec = MODEL_SPECS.get(status.name)
        manifest = status.manifest or {}
        size = manifest.get("input_size") or (spec.input_size if spec else "?")
        source = (manifest.get("source") or {}).get("kind", "-")
        verified = "[green]yes[/]" if status.ok else f"[red]no[/]: {status.problem}"
        where = str(status.directory) if status.directory.is_dir() else "-"
        table.add_row(status.name, f"{size} px", source, where, _size_mb(status), verified)
    return table


def list_(args) -> int:
    statuses = [cache.check(name) for name in _entry_names()]
    _console().print(_status_table(f"MoveNet models in {paths.models_dir()}", statuses))
    return 0


def fetch(args) -> int:
    from fitness.models import ensure_models

    names = list(MODEL_NAMES) if args.name == "all" else [args.name]
    started = time.perf_counter()
    files = ensure_models(names, source=args.model_source, progress=True, force=args.force)
    elapsed_s = time.perf_counter() - started
    statuses = [cache.check(f.name, verify_hashes=False) for f in files]
    out = _console()
    out.print(_status_table("fetched", statuses))
    out.print(f"ready in {elapsed_s:.1f} s")
    return 0


def verify_line(status: cache.CacheStatus) -> str:
    """One model's verification result: "lightning: ok (4 files match their recorded sha256)"."""
    if status.ok:
        count = len((status.manifest or {}).get("files", {}))
        matches = "1 file matches its" if count == 1 else f"{count} files match their"
        return f"{status.name}: ok ({matches} recorded sha256)"
    return f"{status.name}: FAILED ({printable(status.problem or 'unreadable')})"


def verify(args) -> int:
    statuses = [cache.check(name) for name in _entry_names()]
    present = [s for s in statuses if s.manifest is not None or s.directory.exists()]
    if not present:
        raise ModelError(f"no models are cached in {paths.models_dir()}; run 'fitness models fetch all'")
    for status in present:
        print(verify_line(status), flush=True)
    bad = [s.name for s in present if not s.ok]
    if bad:
        raise ModelError(
            f"{', '.join(bad)} failed verification; run 'fitness models fetch {bad[0]} --force' "
            "(a plain fetch or run also replaces a corrupt entry)"
        )
    return 0

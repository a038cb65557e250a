"""`fitness analyze` with the model, locally and on a local Ray: for every video of a folder that holds a
broken file and a clip with nobody in it, the same result as `fitness run EXERCISE --video V --no-window
--json`, and a re-run skips them all."""

from __future__ import annotations

import json
from pathlib import Path

import cv2
import numpy as np
import pytest

from fitness import cli
from fitness.synth import RenderSpec, render_video

pytestmark = [pytest.mark.slow, pytest.mark.model]

# Short, small clips keep the test quick: two reps at 15 fps, 256x192.
CLIPS = {"squats_2.mp4": RenderSpec("squats", 2, seed=3, fps=15.0, size=(256, 192)),
         "push_ups_2.mp4": RenderSpec("push_ups", 2, seed=5, fps=15.0, size=(256, 192))}
# Differ between any two sessions: when it started and the history id `fitness run` records it under.
PER_SESSION = ("started_at", "id")


@pytest.fixture(scope="module")
def folder(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("batch")
    clips = root / "clips"
    (clips / "more").mkdir(parents=True)
    for name, spec in CLIPS.items():
        render_video(spec, out=(clips if name.startswith("squats") else clips / "more") / name)
    (clips / "broken.mp4").write_bytes(b"this is not a video")
    writer = cv2.VideoWriter(str(clips / "nobody.avi"), cv2.VideoWriter_fourcc(*"MJPG"), 15.0, (256, 192))
    for _ in range(6):
        writer.write(np.full((192, 256, 3), 40, np.uint8))
    writer.release()
    return clips


def _videos(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.suffix in (".mp4", ".avi"))  # not the truth files


def _exercise(video: Path) -> str:
    return "push_ups" if video.name.startswith("push_ups") else "squats"


def _run_single(video: Path, json_path: Path, capfd) -> dict:
    """The summary `fitness run` wrote, or the error line it printed."""
    code = cli.app(["run", _exercise(video), "--video", str(video), "--no-window", "--json", str(json_path),
                    "--no-history"])
    err = capfd.readouterr().err.strip().splitlines()
    if code == 0:
        return {k: v for k, v in json.loads(json_path.read_text()).items() if k not in PER_SESSION}
    return {"error": err[-1].removeprefix("fitness: error: ")}


def _batch_lines(out: Path) -> dict[str, dict]:
    lines = [json.loads(line) for line in (out / "results.jsonl").read_text().splitlines()]
    return {r["video"]: r for r in lines}


def _comparable(record: dict) -> dict:
    if "error" in record:
        return {"error": record["error"]}
    return {k: v for k, v in record.items() if k not in (*PER_SESSION, "video", "notes", "key", "seconds")}


def _manifest(folder: Path, tmp_path: Path) -> Path:
    manifest = tmp_path / "videos.csv"
    rows = [f"{p},{_exercise(p)}" for p in _videos(folder)]  # absolute paths
    manifest.write_text("video,exercise\n" + "\n".join(rows) + "\n")
    return manifest


def test_local_workers_and_ray_give_what_fitness_run_gives_and_resume_skips(folder, tmp_path, capfd, ray_cluster):
    videos = _videos(folder)
    expected = {str(v): _run_single(v, tmp_path / f"{v.stem}.json", capfd) for v in videos}
    assert sum("error" in r for r in expected.values()) == 2  # the broken file and nobody.avi

    manifest = _manifest(folder, tmp_path)
    local, on_ray = tmp_path / "local", tmp_path / "ray"
    assert cli.app(["analyze", str(manifest), "--out", str(local), "--workers", "2"]) == 1
    assert cli.app(["analyze", str(manifest), "--out", str(on_ray), "--ray"]) == 1
    capfd.readouterr()
    for out in (local, on_ray):
        got = {video: _comparable(r) for video, r in _batch_lines(out).items()}
        assert got == expected, out.name

    assert cli.app(["analyze", str(manifest), "--out", str(local), "--workers", "2"]) == 1
    assert "Analysed 0 of 4 videos, 4 already done, 2 failed" in capfd.readouterr().out


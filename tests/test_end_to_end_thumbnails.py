"""End to end, model included: `fitness run --video` of a rendered squat clip stores a key-frame thumbnail of each
rep in history, the report shows them, and `fitness history delete` removes them with the session."""

from __future__ import annotations

import re
import sqlite3

import cv2
import numpy as np
import pytest

from fitness import cli
from fitness.session.store import HistoryStore
from fitness.synth import RenderSpec, render_video

pytestmark = [pytest.mark.slow, pytest.mark.model]


def test_a_recorded_video_run_keeps_a_thumbnail_per_rep_until_the_session_is_deleted(tmp_path, capsys):
    clip, db = tmp_path / "squats.mp4", tmp_path / "history.sqlite3"
    truth = render_video(RenderSpec("squats", 2, view="front", seed=7301, size=(320, 240)), out=clip)
    assert cli.app(["run", "squats", "--video", str(clip), "--no-window", "--db", str(db)]) == 0
    with HistoryStore.open(db) as store:
        session = store.last()
        thumbs = store.thumbnails(session.id)
    assert session.reps == truth["reps"]
    assert set(thumbs) >= {r.index for r in session.rep_details if r.counted}
    for jpeg in thumbs.values():
        image = cv2.imdecode(np.frombuffer(jpeg, np.uint8), cv2.IMREAD_COLOR)
        assert image.shape[1] == 200 and np.sum((image[..., 1] > 170) & (image[..., 2] < 150)) > 0  # bones

    out = tmp_path / "report.html"
    assert cli.app(["report", str(session.id), "--db", str(db), "--html", str(out)]) == 0
    assert len(re.findall(r'<img class="thumb"', out.read_text())) == len(thumbs)

    assert cli.app(["history", "delete", str(session.id), "--yes", "--db", str(db)]) == 0
    assert sqlite3.connect(db).execute("SELECT count(*) FROM thumbnails").fetchone()[0] == 0

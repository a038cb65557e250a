"""MoveNet Lightning finds the rendered athlete: PCK@0.2 >= 0.85 on visible keypoints, every exercise and view.

Needs the converted model in the cache (`fitness models fetch lightning`); skips with a message otherwise.
"""

from __future__ import annotations

import numpy as np
import pytest

from fitness.synth import RenderSpec, plan_clip, render_frames
from fitness.synth.motion import SCRIPTS
from fitness.synth.probe import model_path
from fitness.synth.scoring import pck_hits

TARGET = 0.85
# Push-ups filmed end-on (a phone on the floor in front of the hands) are below the target: the torso is
# foreshortened to ~80 px of 480, so 0.2 of it is ~16 px, and MoveNet misses the far knees and ankles between
# the arms and puts the wrists at the fists (PCK 0.50-0.67 on seeds 1-3, 501, 502). A known gap, kept visible.
END_ON_GAP = pytest.mark.xfail(reason="MoveNet on end-on push-ups: PCK@0.2 ~0.5-0.67", strict=False)
CASES = [pytest.param(e, v, marks=[END_ON_GAP] if (e, v) == ("push_ups", "front") else [])
         for e, s in SCRIPTS.items() for v in s.views]


@pytest.fixture(scope="module")
def probe():
    path = model_path("lightning")
    if not path.is_file():
        pytest.skip(f"MoveNet lightning not in the cache ({path}); run 'fitness models fetch lightning'")
    from fitness.synth.probe import MoveNetProbe

    return MoveNetProbe(path)


@pytest.mark.model
@pytest.mark.slow
@pytest.mark.parametrize("exercise,view", CASES)
def test_movenet_finds_the_athlete(probe, exercise, view):
    script = SCRIPTS[exercise]
    hits, counted = np.zeros(17, int), np.zeros(17, int)
    for seed in (501, 502):
        spec = RenderSpec(
            exercise, 4 if script.hold else 2, view=view, seed=seed, faults={1: [script.faults[seed % 2]]}
        )
        for i, (img, kp, vis) in enumerate(render_frames(plan_clip(spec))):
            if i % 6 == 0:
                xy, _ = probe.estimate(img)
                h, c = pck_hits(xy[None], kp[None], vis[None])
                hits, counted = hits + h, counted + c
    score = hits.sum() / counted.sum()
    assert score >= TARGET, f"PCK@0.2 {score:.3f} on {exercise}/{view}"

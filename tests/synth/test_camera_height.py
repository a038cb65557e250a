"""The camera height option: it replaces the seed's height, leaves everything else about the clip as the
seed has it, keeps the athlete in the frame from the floor to above head height, and refuses other heights."""

from __future__ import annotations

import pytest
from synth_planned import athlete_margin_px, planned_truth

from fitness.errors import UsageError
from fitness.synth import RenderSpec, plan_clip

TINY = (160, 120)


@pytest.mark.parametrize("exercise,view", [("squats", "front"), ("push_ups", "side"), ("push_ups", "front")])
def test_the_height_replaces_the_seeds_and_nothing_else_changes(exercise, view):
    seeded = plan_clip(RenderSpec(exercise, 2, view=view, seed=9, size=TINY))
    clip, truth = planned_truth(RenderSpec(exercise, 2, view=view, seed=9, size=TINY, camera_height_m=1.5))
    assert clip.scene.camera.height_m == 1.5 and truth["camera_height_m"] == 1.5
    assert seeded.scene.camera.height_m != 1.5
    assert clip.scene.body == seeded.scene.body and clip.plans == seeded.plans
    place = lambda c: (c.azimuth_deg, c.distance_m)  # noqa: E731
    assert place(clip.scene.camera) == place(seeded.scene.camera)
    assert clip.scene.mat_bgr == seeded.scene.mat_bgr


@pytest.mark.parametrize("height_m", [0.05, 2.0])
@pytest.mark.parametrize("exercise,view", [("squats", "side"), ("glute_bridges", "side"), ("push_ups", "front")])
def test_the_athlete_stays_in_frame_at_any_height(exercise, view, height_m):
    spec = RenderSpec(exercise, 1, view=view, seed=4, size=TINY, camera_height_m=height_m)
    assert athlete_margin_px(spec, every=6) >= 2


@pytest.mark.parametrize("height_m", [0.0, 0.04, 2.01, float("nan")])
def test_other_heights_are_refused(height_m):
    with pytest.raises(UsageError, match="camera height must be between 0.05 and 2.0 m"):
        RenderSpec("squats", 2, camera_height_m=height_m)

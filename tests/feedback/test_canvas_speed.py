"""What makes drawing the overlay cheap without changing what it shows: lines drawn together, texts on their panels
drawn once as a patch and blended on every frame, layouts of words that did not change reused."""

from __future__ import annotations

import cv2
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from ui_fixtures import make_pose, make_snapshot, make_step

from fitness.feedback import canvas
from fitness.feedback.canvas import Line, Panel, Text, render, text_item
from fitness.feedback.overlay import overlay_items, skeleton_items
from fitness.feedback.patches import Patch, PatchCache, patch_of
from fitness.feedback.style import OverlayStyle
from fitness.pose.types import Pose

# The most a pixel of a patch may differ from drawing it directly (the blend rounds twice; of 255 levels).
PATCH_LEVELS = 4

_point = st.tuples(st.integers(-20, 120), st.integers(-20, 100))
_line = st.builds(Line, _point, _point, st.sampled_from([(80, 220, 80), (150, 150, 150)]), st.integers(1, 4))


def _noise(height: int, width: int, seed: int = 0) -> np.ndarray:
    return np.random.default_rng(seed).integers(0, 256, (height, width, 3), np.uint8)


@settings(max_examples=60, deadline=None)
@given(st.lists(_line, min_size=1, max_size=12))
def test_lines_drawn_together_are_the_lines_drawn_one_by_one(lines):
    together, one_by_one = _noise(80, 100), _noise(80, 100)
    render(together, lines)
    for line in lines:
        cv2.line(one_by_one, line.a, line.b, line.color, line.thickness, cv2.LINE_AA)
    assert np.array_equal(together, one_by_one)


def _label(x: int, y: int, text: str = "L elbow 92°", color=(0, 200, 255)) -> list:
    item = text_item(text, (x, y), 0.63, 1, color)
    x0, y0, x1, y1 = item.box
    return [Panel((x0 - 2, y0 - 2, x1 + 2, y1 + 2), (32, 32, 32), 0.6), item]


def _direct(frame: np.ndarray, items: list) -> np.ndarray:
    """The items drawn one by one (each panel blended, each text drawn on it)."""
    out = frame.copy()
    for item in items:
        (canvas._panel if isinstance(item, Panel) else canvas._text)(out, item)
    return out


def _card(x: int, y: int) -> list:
    """A panel with two lines of text in two colours."""
    top = text_item("set 2  no-reps 1", (x, y), 0.63, 1, (255, 255, 255))
    low = text_item("Keep your chest up", (x, top.box[3]), 0.7, 2, (0, 200, 255))
    return [Panel((x - 4, y - 3, max(top.box[2], low.box[2]) + 4, low.box[3] + 3), (32, 32, 32), 0.6), top, low]


@pytest.mark.parametrize("at", [(30, 20), (-15, 10), (150, 70), (-40, -20), (400, 300)])  # in, across, out
@pytest.mark.parametrize("make", [_label, _card])
@pytest.mark.parametrize("seed", [0, 1])
def test_a_panel_with_its_texts_looks_as_drawn_one_by_one(at, make, seed):
    items = make(*at)
    frame = _noise(90, 160, seed)
    drawn = frame.copy()
    render(drawn, items)
    assert int(np.abs(drawn.astype(np.int16) - _direct(frame, items)).max()) <= PATCH_LEVELS


def test_the_texts_of_a_panel_are_drawn_once_for_all_the_frames_that_show_them(monkeypatch):
    canvas.PATCHES.clear()
    calls = []
    original = canvas._text
    monkeypatch.setattr(canvas, "_text", lambda img, item: (calls.append(item.text), original(img, item)))
    for seed in range(5):
        render(_noise(90, 160, seed), _label(40, 30))
        render(_noise(90, 160, seed), _label(60, 50))  # the same label elsewhere: the same patch
    assert calls == ["L elbow 92°"] * 2  # on black and on white, once
    render(_noise(90, 160), _label(40, 30, "L elbow 93°"))
    assert calls[2:] == ["L elbow 93°"] * 2


def test_a_text_that_is_not_inside_its_panel_is_drawn_by_itself():
    panel, text = _label(40, 30)
    narrow = Panel((panel.box[0] + 5, *panel.box[1:]), panel.color, panel.alpha)
    frame = _noise(90, 160)
    drawn = frame.copy()
    render(drawn, [narrow, text])
    assert np.array_equal(drawn, _direct(frame, [narrow, text]))


@settings(max_examples=40, deadline=None)
@given(st.integers(0, 2**32 - 1), st.floats(0.0, 1.0), st.integers(1, 3))
def test_a_patch_does_what_its_drawing_does_to_any_background(seed, alpha, thickness):
    def draw(image):
        canvas._panel(image, Panel((3, 2, 37, 20), (32, 90, 200), alpha))
        cv2.circle(image, (20, 11), 6, (255, 255, 255), thickness, cv2.LINE_AA)

    frame = _noise(24, 40, seed % 1000)
    direct = frame.copy()
    draw(direct)
    patched = frame.copy()
    patch_of(draw, 24, 40).blend(patched)
    assert int(np.abs(patched.astype(np.int16) - direct).max()) <= PATCH_LEVELS


def _patch(nbytes: int) -> Patch:
    return Patch(np.zeros(nbytes // 2, np.uint8), np.zeros(nbytes // 2, np.uint8))


def test_the_patch_cache_keeps_the_most_recently_used_within_its_budget():
    cache = PatchCache(budget_bytes=300)
    for key in "abc":
        cache.get(key, lambda: _patch(100))
    cache.get("a", lambda: pytest.fail("kept"))  # a is now the most recent
    cache.get("d", lambda: _patch(100))  # b goes
    made = []
    cache.get("b", lambda: made.append("b") or _patch(100))
    assert made == ["b"] and len(cache) == 3
    cache.get("huge", lambda: _patch(400))  # larger than the whole budget: used, not kept
    assert len(cache) == 3


@pytest.mark.parametrize("size", [(320, 240), (1280, 720)])
def test_layouts_reused_for_the_same_words_are_fresh_lists(size):
    first = overlay_items(make_snapshot(), *size)
    first.append(Text("x", (0, 0, 1, 1), 1, (0, 0, 0), 1.0, 1))
    again = overlay_items(make_snapshot(), *size)
    assert again == first[:-1]
    changed = overlay_items(make_snapshot(step=make_step(reps=4)), *size)
    assert "4" in [i.text for i in changed if isinstance(i, Text)]


def _numpy_joints(pose, style):
    """Which joints are shown and sure, and where, decided with numpy on the pose's float32 arrays."""
    finite = np.all(np.isfinite(pose.xy), axis=1)
    sure = finite & (pose.score >= style.min_score)
    shown = finite & (pose.score >= style.faint_score)
    pts = np.rint(np.where(shown[:, None], pose.xy, 0)).astype(np.int64)
    return shown.tolist(), sure.tolist(), [tuple(p) for p in pts.tolist()]


_coordinate = st.one_of(st.floats(-50, 700, width=32), st.sampled_from([0.5, 1.5, -0.5, float("nan"), float("inf")]))


@settings(max_examples=80, deadline=None)
@given(st.lists(st.tuples(_coordinate, _coordinate), min_size=17, max_size=17),
       st.lists(st.one_of(st.floats(0, 1, width=32), st.sampled_from([0.1, 0.3, 0.7, float("nan")])),
                min_size=17, max_size=17),
       st.sampled_from([0.3, 0.7, 0.45]))
def test_the_skeleton_is_decided_in_python_as_numpy_decides_it_on_float32(xy, scores, min_score):

    style = OverlayStyle(min_score=min_score)
    pose = Pose(xy=np.array(xy, np.float32), score=np.array(scores, np.float32), t=0.0)
    shown, sure, pts = _numpy_joints(pose, style)
    circles = [item for item in skeleton_items(pose, style, 1.0) if type(item) is canvas.Circle]
    expected = [(pts[i], style.joint if sure[i] else style.faint) for i in range(17) if shown[i]]
    assert [(c.center, c.color) for c in circles] == expected


def test_a_score_equal_to_the_float32_of_the_threshold_counts_as_reaching_it():

    style = OverlayStyle(min_score=0.7)  # float32(0.7) is just below 0.7
    pose = make_pose(scores=np.full(17, 0.7, np.float32))
    items = skeleton_items(pose, style, 1.0)
    assert all(item.color == style.bone for item in items if type(item) is Line)  # solid, none dashed

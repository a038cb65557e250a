"""The overlay: goldens (exact layout, strict pixels outside text, tolerant text; see golden_check.py), a golden
check that fails when the drawing is broken on purpose, confidence-aware skeleton, scaling from 480p to 4K."""

from __future__ import annotations

import dataclasses

import cv2
import numpy as np
import pytest
from golden_check import overlay_golden_problems
from hypothesis import given, settings
from hypothesis import strategies as st
from ui_fixtures import CHEST_UP, K, background, make_pose, make_snapshot, make_step

from fitness.exercise.events import Signals
from fitness.feedback import canvas, overlay
from fitness.feedback.canvas import Panel, Rect, Text, fitted_scale, moved, render, text_item
from fitness.feedback.overlay import banner_lines, draw_overlay, overlay_items
from fitness.feedback.style import DEFAULT_STYLE, OverlayStyle


def _unsure_snapshot():
    scores = np.full(17, 0.9, np.float32)
    scores[[K.LEFT_KNEE, K.RIGHT_KNEE]] = 0.2  # unsure: dashed, dim
    scores[[K.LEFT_WRIST, K.RIGHT_WRIST]] = 0.05  # too unsure: hidden
    pose = make_pose(scores=scores)
    xy = pose.xy.copy()
    xy[[K.LEFT_ANKLE, K.RIGHT_ANKLE]] = np.nan  # missing: hidden
    return make_snapshot(pose=pose.replace(xy=xy), step=make_step(guidance="Step back: ankles not visible"))


def test_golden_full_overlay(check_golden):
    check_golden("full_320x240", background(320, 240), make_snapshot())


def test_golden_unsure_and_missing_keypoints(check_golden):
    check_golden("unsure_320x240", background(320, 240), _unsure_snapshot())


def _wrap(monkeypatch, name, change):
    """Replace overlay.<name> by `change(original, *args)`."""
    original = getattr(overlay, name)
    monkeypatch.setattr(overlay, name, lambda *args: change(original, *args))


def _bone_color(mp):
    _wrap(mp, "skeleton_items", lambda f, pose, style, s: f(pose, dataclasses.replace(style, bone=(80, 190, 80)), s))


def _skeleton_shifted(mp):
    _wrap(mp, "skeleton_items", lambda f, *args: [moved(item, 2, 1) for item in f(*args)])


def _wrong_count(mp):
    def change(f, snapshot, style, s):
        return f(dataclasses.replace(snapshot, step=dataclasses.replace(snapshot.step, reps=4)), style, s)

    _wrap(mp, "counter_items", change)


def _banner_color(mp):
    _wrap(mp, "banner_items", lambda f, lines, *args: f([(text, "error") for text, _ in lines], *args))


def _no_rom_bar(mp):
    _wrap(mp, "rom_bar_items", lambda f, *args: [])


def _opaque_panels(mp):
    original = canvas._panel
    mp.setattr(canvas, "_panel", lambda img, item: original(img, dataclasses.replace(item, alpha=1.0)))


def _text_color(mp):
    original = canvas._text
    mp.setattr(canvas, "_text", lambda img, item: original(img, dataclasses.replace(item, color=(255, 0, 255))))


def _no_text(mp):
    mp.setattr(canvas, "_text", lambda img, item: None)


@pytest.mark.parametrize(
    ("breakage", "caught_by"),
    [
        (_bone_color, {"layout", "pixels"}),
        (_skeleton_shifted, {"layout", "pixels"}),
        (_wrong_count, {"layout"}),  # the digit's pixels are text: only the layout can tell 3 from 4
        (_banner_color, {"layout"}),
        (_no_rom_bar, {"layout", "pixels"}),
        (_opaque_panels, {"pixels"}),  # the renderer alone: the layout is right
        (_text_color, {"text"}),  # drawn in another colour than the layout says
        (_no_text, {"text"}),
    ],
    ids=lambda v: v.__name__.strip("_") if callable(v) else "+".join(sorted(v)),
)
@pytest.mark.parametrize("name", ["full_320x240", "unsure_320x240"])
def test_the_golden_check_fails_when_the_overlay_is_broken(monkeypatch, breakage, caught_by, name):
    snapshot = {"full_320x240": make_snapshot, "unsure_320x240": _unsure_snapshot}[name]()
    assert overlay_golden_problems(name, background(320, 240), snapshot) == []
    breakage(monkeypatch)
    problems = overlay_golden_problems(name, background(320, 240), snapshot)
    assert {p.split()[0].rstrip(":") for p in problems} >= caught_by, problems


@pytest.mark.parametrize("size", [(320, 240), (640, 480), (1920, 1080), (3840, 2160)])
@pytest.mark.parametrize("text", ["3", "set 1  bottom  no-rep 2", "Keep your chest up", "WWW", "iiii", "knee 92°"])
def test_text_fits_its_box_with_this_opencv(size, text):
    """The glyph-width table is wide enough for this OpenCV build: the text is drawn at its own scale, all its ink
    inside its box, spanning most of the box's width."""
    s = DEFAULT_STYLE.scale(*size)
    item = text_item(text, (20, 20), DEFAULT_STYLE.font_scale * s, max(1, round(1.6 * s)), (255, 255, 255))
    assert fitted_scale(item) == item.font_scale
    frame = np.zeros((item.box[3] + 40, item.box[2] + 40, 3), np.uint8)
    render(frame, [item])
    ys, xs = np.nonzero(frame.max(axis=2) > 0)
    x0, y0, x1, y1 = item.box
    assert xs.min() >= x0 - 1 and xs.max() <= x1 and ys.min() >= y0 - 1 and ys.max() <= y1
    assert xs.max() + 1 - xs.min() >= 0.6 * (x1 - x0)


def test_text_that_does_not_fit_is_shrunk_into_its_box():
    item = text_item("Keep your chest up", (10, 10), 1.0, 2, (255, 255, 255))
    narrow = dataclasses.replace(item, box=(10, 10, 10 + (item.box[2] - 10) // 2, item.box[3]))
    assert fitted_scale(narrow) < 0.9 * item.font_scale
    frame = np.zeros((80, 500, 3), np.uint8)
    render(frame, [narrow])
    assert not frame[:, narrow.box[2] + 1 :].any()


@pytest.mark.parametrize("size", [(320, 240), (1280, 720), (1920, 1080), (1080, 1920)])
def test_every_text_sits_on_a_panel_inside_the_frame(size):
    s = size[1] / 240 if size[0] >= size[1] else size[0] / 240
    snap = make_snapshot(pose_scale=s, notice="Two people in view: following the largest")
    items = overlay_items(snap, *size)
    panels = [item.box for item in items if isinstance(item, Panel)]
    for item in items:
        if isinstance(item, Text):
            x0, y0, x1, y1 = item.box
            assert 0 <= x0 < x1 <= size[0] and 0 <= y0 < y1 <= size[1], item
            assert any(p[0] <= x0 and p[1] <= y0 and x1 <= p[2] and y1 <= p[3] for p in panels), item


def test_layout_says_what_the_step_says():
    items = overlay_items(make_snapshot(), 320, 240)
    texts = {item.text: item for item in items if isinstance(item, Text)}
    assert texts["3"].color == DEFAULT_STYLE.text
    assert texts["Keep your chest up"].color == DEFAULT_STYLE.warning
    bar = [item for item in items if isinstance(item, Rect)]
    fill, frame = bar[0], bar[1]
    assert fill.color == DEFAULT_STYLE.bar_fill and fill.thickness == -1
    assert fill.box[3] - fill.box[1] == round(0.8 * (frame.box[3] - frame.box[1]))


def test_the_input_frame_is_not_changed():
    frame = background(320, 240)
    before = frame.copy()
    draw_overlay(frame, make_snapshot())
    assert np.array_equal(frame, before)


def _changed(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    return np.any(a != b, axis=2)


def test_hidden_keypoints_leave_their_pixels_alone():
    bare = make_snapshot(pose=None, step=make_step(progress=float("nan")))
    scores = np.full(17, 0.9, np.float32)
    scores[[K.LEFT_WRIST, K.RIGHT_WRIST]] = 0.0
    base = draw_overlay(background(320, 240), bare)
    drawn = draw_overlay(background(320, 240), make_snapshot(pose=make_pose(scores=scores), step=bare.step))
    x, y = 205, 95  # the wrist; its forearm still reaches to the elbow at (180, 100)
    assert not _changed(base, drawn)[y - 2 : y + 3, x - 2 : x + 3].any()
    ex, ey = 180, 100
    assert _changed(base, drawn)[ey - 2 : ey + 3, ex - 2 : ex + 3].any()


def test_a_nan_angle_value_draws_no_arc():
    with_value = make_snapshot(angle_joints={"knee_deg": (int(K.LEFT_HIP), int(K.LEFT_KNEE), int(K.LEFT_ANKLE))})
    nan_step = make_step(signals=Signals(1.0, {"knee_deg": float("nan")}, False))
    without = make_snapshot(angle_joints=with_value.angle_joints, step=nan_step, pose=with_value.pose)
    plain = make_snapshot(angle_joints={}, step=nan_step, pose=with_value.pose)
    a = draw_overlay(background(320, 240), without)
    b = draw_overlay(background(320, 240), plain)
    assert np.array_equal(a, b)


def test_layout_scales_with_the_frame_480p_to_4k():
    # The same scene at 640x360 and 3840x2160 (6x): the 4K render, shrunk, must look like the small one.
    small = draw_overlay(background(640, 360), make_snapshot(pose_scale=1.5))
    big = draw_overlay(background(3840, 2160), make_snapshot(pose_scale=9.0))
    shrunk = cv2.resize(big, (640, 360), interpolation=cv2.INTER_AREA)
    diff = float(np.mean(np.abs(shrunk.astype(np.int16) - small.astype(np.int16))))
    assert diff < 4.0, f"mean abs difference {diff:.2f}"
    # And the text is not tiny at 4K: the counter panel covers about the same fraction of the frame.
    frac_small = _changed(background(640, 360), small)[:120, :200].mean()
    frac_big = _changed(background(3840, 2160), big)[:720, :1200].mean()
    assert abs(frac_small - frac_big) < 0.1


def test_banner_shows_cues_then_guidance_then_notice():
    assert banner_lines(make_snapshot()) == [("Keep your chest up", "warning")]
    guided = make_snapshot(step=make_step(guidance="Turn sideways"), notice="Two people in view")
    assert banner_lines(guided) == [("Turn sideways", "info"), ("Two people in view", "info")]
    nobody = make_snapshot(step=make_step(active=()), pose=None)
    assert banner_lines(nobody) == [("Nobody in view: step into the frame so your whole body is visible", "info")]
    many = make_snapshot(step=make_step(active=(CHEST_UP,) * 5, guidance="ignored while cues show"))
    assert len(banner_lines(many)) == 2


def test_style_scale_follows_the_short_side():
    style = OverlayStyle()
    assert style.scale(640, 480) == 1.0
    assert style.scale(3840, 2160) == 4.5
    assert style.scale(1080, 1920) == 2.25  # portrait


def test_angle_labels_name_the_joint_and_show_degrees():
    texts = [item.text for item in overlay_items(make_snapshot(), 320, 240) if isinstance(item, Text)]
    assert "knee 98°" in texts and "hip 85°" in texts


def _label_panels(items) -> list[tuple[int, int, int, int]]:
    """The panels under the angle labels (the text of each label follows its panel)."""
    return [a.box for a, b in zip(items, items[1:]) if isinstance(a, Panel) and isinstance(b, Text)
            and b.color == DEFAULT_STYLE.arc]


def _overlap(a, b) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def test_two_knee_labels_close_together_do_not_overlap_at_1080p():
    # Both knees of a person seen from the side, 12 px apart at 1920x1080.
    pose = make_pose(4.5)
    xy = pose.xy.copy()
    xy[K.RIGHT_KNEE] += (12, 6)
    joints = {"left_knee_deg": (int(K.LEFT_HIP), int(K.LEFT_KNEE), int(K.LEFT_ANKLE)),
              "right_knee_deg": (int(K.RIGHT_HIP), int(K.RIGHT_KNEE), int(K.RIGHT_ANKLE))}
    step = make_step(signals=Signals(1.0, {"left_knee_deg": 98.0, "right_knee_deg": 96.0}, True))
    items = overlay_items(make_snapshot(pose=pose.replace(xy=xy), angle_joints=joints, step=step), 1920, 1080)
    texts = [item for item in items if isinstance(item, Text) and item.color == DEFAULT_STYLE.arc]
    assert [t.text for t in texts] == ["L knee 98°", "R knee 96°"]
    assert not _overlap(texts[0].box, texts[1].box)
    panels = _label_panels(items)
    assert len(panels) == 2 and not _overlap(*panels)
    for panel in panels:  # and each stays near its knee
        centre = np.array([(panel[0] + panel[2]) / 2, (panel[1] + panel[3]) / 2])
        assert np.hypot(*(centre - xy[K.LEFT_KNEE])) < 400


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.floats(0, 1919), st.floats(0, 1079)), min_size=3, max_size=3),
       st.sampled_from([(1920, 1080), (640, 360), (1080, 1920)]))
def test_angle_labels_never_overlap_each_other_or_the_panels(joints_xy, size):
    """Three angles (knee, hip, elbow) at any joints of a frame: labels stay in the frame, off each other and
    off the counter, bar and banner."""
    pose = make_pose()
    xy = pose.xy.copy()
    for k, (x, y) in zip((K.LEFT_KNEE, K.LEFT_HIP, K.LEFT_ELBOW), joints_xy):
        xy[k] = (x * size[0] / 1920, y * size[1] / 1080)
    snap = make_snapshot(pose=pose.replace(xy=xy), notice="Two people in view", angle_joints={
        "knee_deg": (int(K.LEFT_HIP), int(K.LEFT_KNEE), int(K.LEFT_ANKLE)),
        "hip_deg": (int(K.LEFT_SHOULDER), int(K.LEFT_HIP), int(K.LEFT_KNEE)),
        "elbow_deg": (int(K.LEFT_SHOULDER), int(K.LEFT_ELBOW), int(K.LEFT_WRIST))},
        step=make_step(signals=Signals(1.0, {"knee_deg": 98.0, "hip_deg": 85.0, "elbow_deg": 170.0}, True)))
    items = overlay_items(snap, *size)
    labels = _label_panels(items)
    others = [item.box for item in items if isinstance(item, Panel) and item.box not in labels]
    assert len(labels) == 3 and len(others) == 3
    for i, box in enumerate(labels):
        assert 0 <= box[0] and 0 <= box[1] and box[2] <= size[0] and box[3] <= size[1]
        assert not any(_overlap(box, other) for other in labels[i + 1 :] + others)


@pytest.mark.parametrize(("phase", "words"), [("eccentric", "going down"), ("concentric", "coming up"),
                                              ("bottom", "at the bottom"), ("top", "at the top"),
                                              (None, "getting ready")])
def test_counter_names_the_phase_in_plain_words(phase, words):
    items = overlay_items(make_snapshot(step=make_step(phase=phase)), 320, 240)
    texts = [item.text for item in items if isinstance(item, Text)]
    assert words in texts
    if phase and phase not in words:
        assert not any(phase in text for text in texts)


def test_counter_panel_keeps_its_width_as_the_phase_changes():
    boxes = set()
    for phase in ("eccentric", "bottom", "concentric", "top", None):
        items = overlay_items(make_snapshot(step=make_step(phase=phase)), 640, 480)
        boxes.add(next(item.box for item in items if isinstance(item, Panel) and item.box[:2] == (0, 0)))
    assert len(boxes) == 1


def test_several_people_each_get_their_colour_and_name_and_count_over_the_head():
    from fitness.feedback.canvas import Line
    from fitness.feedback.snapshot import PersonView

    left, right = make_pose(), make_pose()
    right = right.replace(xy=right.xy + (300, 0))
    views = (PersonView(2, "Ann", 3, pose=left), PersonView(1, "#1", 5, pose=right))
    items = overlay_items(make_snapshot(people=views), 640, 480)
    labels = [i for i in items if isinstance(i, Text) and i.text in ("Ann  3", "#1  5")]
    assert [i.text for i in labels] == ["Ann  3", "#1  5"]
    for label, view in zip(labels, views):
        assert label.color == DEFAULT_STYLE.person_color(view.track_id)
        head_y = float(np.min(view.pose.xy[:, 1]))
        assert label.box[3] < head_y  # above the head
        assert abs((label.box[0] + label.box[2]) / 2 - float(np.mean(view.pose.xy[:, 0]))) < 2
    bones = {i.color for i in items if isinstance(i, Line)}
    assert bones == {DEFAULT_STYLE.person_color(1), DEFAULT_STYLE.person_color(2)}


_BOX = st.tuples(st.integers(-80, 340), st.integers(-40, 260), st.integers(20, 120), st.integers(8, 50)).map(
    lambda b: (b[0], b[1], b[0] + b[2], b[1] + b[3]))


@settings(max_examples=150, deadline=None)
@given(box=_BOX, taken=st.lists(_BOX, max_size=10), size=st.sampled_from([(320, 240), (200, 150)]))
def test_a_label_goes_to_the_nearest_free_grid_place_inside_the_frame(box, taken, size):
    """place_box against every grid offset at once: the free ones inside the frame, the nearest ring first, then
    the nearest, then by row and column; none free: only kept inside the frame."""
    import math

    width, height = size
    x0, y0, x1, y1 = box
    sx, sy = max(1, (x1 - x0) // 4), max(1, (y1 - y0) // 2)
    cx = min(max(0, x0), max(0, width - (x1 - x0))) - x0
    cy = min(max(0, y0), max(0, height - (y1 - y0))) - y0
    reach = max(width // sx, height // sy)
    free = []
    for i in range(-reach, reach + 1):
        for j in range(-reach, reach + 1):
            a0, b0, a1, b1 = x0 + cx + i * sx, y0 + cy + j * sy, x1 + cx + i * sx, y1 + cy + j * sy
            inside = a0 >= 0 and b0 >= 0 and a1 <= width and b1 <= height
            if inside and not any(a0 < t[2] and t[0] < a1 and b0 < t[3] and t[1] < b1 for t in taken):
                free.append((max(abs(i), abs(j)), math.hypot(i * sx, j * sy), abs(j), j, i))
    best = min(free, default=None)
    want = (cx, cy) if best is None else (cx + best[4] * sx, cy + best[3] * sy)
    assert overlay.place_box(box, taken, width, height) == want

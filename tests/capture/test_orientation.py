"""Sideways recordings: the decision from poses (no model), the wiring into a session (a stand-in estimator
that reads a bright band as the head), and a sideways render of a sample video through the model (slow)."""

from __future__ import annotations

import json
import math

import cv2
import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from fitness.capture import FrameTransform
from fitness.capture.frame import Frame
from fitness.capture.orientation import (
    SAMPLE_FRAMES,
    SAMPLE_SECONDS,
    SCORE_MARGIN,
    TurnEvidence,
    choose_turn,
    detect_turn,
    sample_frames,
    tilt_deg,
    turned_note,
)
from fitness.capture.source import BaseSource
from fitness.errors import SourceError
from fitness.pose.types import Keypoint, Pose

K = Keypoint
# A person standing in a 100 x 200 frame, head up: (x, y) pixels.
STANDING_XY = {
    K.NOSE: (50, 20), K.LEFT_EYE: (52, 18), K.RIGHT_EYE: (48, 18), K.LEFT_EAR: (54, 20), K.RIGHT_EAR: (46, 20),
    K.LEFT_SHOULDER: (60, 45), K.RIGHT_SHOULDER: (40, 45), K.LEFT_ELBOW: (64, 75), K.RIGHT_ELBOW: (36, 75),
    K.LEFT_WRIST: (66, 100), K.RIGHT_WRIST: (34, 100), K.LEFT_HIP: (57, 110), K.RIGHT_HIP: (43, 110),
    K.LEFT_KNEE: (57, 150), K.RIGHT_KNEE: (43, 150), K.LEFT_ANKLE: (57, 190), K.RIGHT_ANKLE: (43, 190),
}
CENTRE = np.array([50.0, 100.0], np.float32)


def standing(turn_deg: float = 0.0, score: float = 0.6, ankles_seen: bool = True) -> Pose:
    """The standing person, turned `turn_deg` clockwise in the image about the frame's centre."""
    xy = np.array([STANDING_XY[k] for k in Keypoint], np.float32) - CENTRE
    a = math.radians(turn_deg)
    # Clockwise on screen (y points down): x' = x cos - y sin, y' = x sin + y cos.
    cos, sin = math.cos(a), math.sin(a)
    turned = np.stack([xy[:, 0] * cos - xy[:, 1] * sin, xy[:, 0] * sin + xy[:, 1] * cos], 1)
    scores = np.full(17, score, np.float32)
    if not ankles_seen:
        scores[[int(K.LEFT_ANKLE), int(K.RIGHT_ANKLE)]] = 0.05
    return Pose(xy=(turned + CENTRE).astype(np.float32), score=scores, t=0.0)


# --- the body's tilt ------------------------------------------------------------------------------------


@given(turn=st.floats(-179.0, 179.0), ankles_seen=st.booleans())
def test_the_tilt_is_how_far_the_body_is_turned_from_upright(turn, ankles_seen):
    assert tilt_deg(standing(turn, ankles_seen=ankles_seen)) == pytest.approx(abs(turn), abs=1e-3)


def test_no_tilt_without_shoulders_or_anything_below_them():
    pose = standing()
    unseen = pose.score.copy()
    unseen[[int(K.LEFT_SHOULDER), int(K.RIGHT_SHOULDER)]] = 0.0
    assert tilt_deg(Pose(xy=pose.xy, score=unseen, t=0.0)) is None
    unseen = pose.score.copy()
    unseen[[int(k) for k in (K.LEFT_HIP, K.RIGHT_HIP, K.LEFT_ANKLE, K.RIGHT_ANKLE)]] = 0.0
    assert tilt_deg(Pose(xy=pose.xy, score=unseen, t=0.0)) is None


# --- the decision ---------------------------------------------------------------------------------------


def evidence(turn: int, poses) -> TurnEvidence:
    return TurnEvidence.of(turn, poses)


def test_a_video_the_right_way_up_is_left_alone():
    frames = 8
    # A squat leans the torso but the person stays upright: no turn even if a turn also scores well.
    assert choose_turn([evidence(0, [standing(30)] * frames), evidence(270, [standing(0, 0.9)] * frames)]) == 0


@pytest.mark.parametrize("turn", [90, 270])
def test_a_sideways_video_is_turned_the_way_that_stands_the_person_up(turn):
    lying = [standing(-turn)] * 8  # what the camera saw: the person turned the other way
    candidates = [evidence(0, lying)] + [evidence(t, [standing(-turn + t)] * 8) for t in (90, 270)]
    assert choose_turn(candidates) == turn


def test_an_upside_down_guess_loses_to_the_upright_one_by_its_lower_score():
    # MoveNet often swaps the labels of an upside-down person: "upright", but with low scores.
    lying = evidence(0, [standing(90, 0.5)] * 8)
    upside_down = evidence(90, [standing(0, 0.3)] * 8)
    upright = evidence(270, [standing(0, 0.5)] * 8)
    assert choose_turn([lying, upside_down, upright]) == 270


def test_no_turn_when_the_turned_person_is_found_much_less_surely():
    lying = evidence(0, [standing(90, 0.6)] * 8)
    unsure = evidence(270, [standing(0, 0.6 - 2 * SCORE_MARGIN)] * 8)
    assert choose_turn([lying, unsure]) == 0


def test_no_turn_when_upright_in_only_a_few_frames_or_nobody_is_there():
    lying = evidence(0, [standing(90)] * 8)
    few = evidence(270, [standing(0)] * 3 + [standing(90)] * 5)
    assert choose_turn([lying, few]) == 0
    nobody = [evidence(turn, [None] * 8) for turn in (0, 90, 270)]
    assert choose_turn(nobody) == 0
    assert choose_turn([]) == 0


# --- sampling and detection with a stand-in estimator ------------------------------------------------------

H, W = 64, 48  # a portrait frame of a standing person


def marked(head: str) -> np.ndarray:
    """A dark frame with a bright band where the head is: upright has it on top; a phone turned clockwise by
    90 degrees films it on the right."""
    image = np.full((H, W, 3), 20, np.uint8)
    image[:8] = 250
    turns = {"top": 0, "right": 90, "bottom": 180, "left": 270}
    return FrameTransform(rotate_deg=turns[head]).apply(image)


def head_side(image: np.ndarray) -> str:
    bands = {"top": image[:4], "bottom": image[-4:], "left": image[:, :4], "right": image[:, -4:]}
    return max(bands, key=lambda side: float(bands[side].mean()))


class HeadReader:
    """Finds a standing person where the band is on top, a lying one where it is on a side, and (like MoveNet)
    an 'upright' person with low scores where it is at the bottom."""

    name = "head-reader"

    def __init__(self):
        self.seen: list[str] = []

    def estimate(self, frame) -> Pose | None:
        image = frame.image if isinstance(frame, Frame) else frame
        side = head_side(image)
        self.seen.append(side)
        pose = {"top": standing(0), "right": standing(90), "left": standing(-90), "bottom": standing(0, 0.3)}[side]
        return pose.replace(t=frame.t) if isinstance(frame, Frame) else pose  # stamped like the real estimators

    def estimate_all(self, frame):
        return [self.estimate(frame)]

    def reset(self):
        pass


class Frames(BaseSource):
    def __init__(self, images, fps=30.0):
        super().__init__()
        self.images, self.fps, self.label = images, fps, "fake:frames"

    def _frames(self):
        for i, image in enumerate(self.images):
            yield image, i / self.fps, i


def test_samples_spread_over_the_first_seconds():
    images = [np.full((H, W, 3), i % 256, np.uint8) for i in range(300)]  # 10 s at 30 fps
    picked = sample_frames(Frames(images))
    levels = [int(frame.image[0, 0, 0]) for frame in picked]
    assert [frame.index for frame in picked] == levels
    assert len(picked) == SAMPLE_FRAMES
    assert levels == sorted(levels) and levels[-1] <= SAMPLE_SECONDS * 30
    assert levels[-1] - levels[0] >= 0.75 * SAMPLE_SECONDS * 30


@pytest.mark.parametrize("head, turn", [("top", 0), ("right", 270), ("left", 90)])
def test_detect_turn_stands_the_person_up(head, turn):
    reader = HeadReader()
    assert detect_turn(lambda: Frames([marked(head)] * 60), reader.estimate) == turn


def test_a_video_the_right_way_up_is_searched_only_as_it_is():
    reader = HeadReader()
    detect_turn(lambda: Frames([marked("top")] * 300), reader.estimate)
    assert reader.seen == ["top"] * SAMPLE_FRAMES


def test_an_unreadable_recording_is_left_to_the_session_to_report():
    def broken():
        raise SourceError("cannot read video x.mp4")

    assert detect_turn(broken, HeadReader().estimate) == 0


# --- in a session: turned before the first frame, and said so ----------------------------------------------


def write_sideways(path, frames: int = 20):
    writer = cv2.VideoWriter(str(path), cv2.VideoWriter_fourcc(*"mp4v"), 10.0, (H, W))  # landscape: turned
    for _ in range(frames):
        writer.write(marked("right"))
    writer.release()
    return path


@pytest.mark.parametrize(
    "exercise, auto_rotate, turned", [("squats", True, True), ("squats", False, False), ("push_ups", True, False)]
)
def test_a_session_turns_a_sideways_video_of_a_standing_exercise(tmp_path, exercise, auto_rotate, turned):
    from fitness.pipeline import SessionConfig, create_stages, load_definition, run_session

    config = SessionConfig(exercise=exercise, source="video", path=str(write_sideways(tmp_path / "sideways.mp4")),
                           window=False, no_history=True, smoothing="live", auto_rotate=auto_rotate)
    reader = HeadReader()
    stages = create_stages(config, load_definition(config), "video:sideways.mp4", estimator=reader)
    result = run_session(config, stages=stages)
    session_frames = reader.seen[-result.frames:]
    assert result.frames == 20
    if turned:
        assert result.notes[0] == turned_note(270)
        assert set(session_frames) == {"top"}
    else:
        assert not any("rotated" in note for note in result.notes)
        assert set(session_frames) == {"right"}


def test_the_cli_turns_automatically_only_without_rotate():
    from fitness.cli import build_parser
    from fitness.commands.run import config_from_args

    parser = build_parser()
    plain = config_from_args(parser.parse_args(["run", "squats", "--video", "x.mp4"]))
    kept = config_from_args(parser.parse_args(["run", "squats", "--video", "x.mp4", "--rotate", "0"]))
    asked = config_from_args(parser.parse_args(["run", "squats", "--video", "x.mp4", "--rotate", "90"]))
    assert (plain.rotate, plain.auto_rotate) == (0, True)
    assert (kept.rotate, kept.auto_rotate) == (0, False)
    assert (asked.rotate, asked.auto_rotate) == (90, False)


# --- the real model on a sideways render of a sample video -------------------------------------------------


@pytest.mark.slow
@pytest.mark.model
def test_a_sideways_sample_video_is_turned_and_counted(tmp_path, repo_root, capsys):
    from fitness import cli

    sample = repo_root / "sample_videos" / "squats_side.mp4"
    truth = json.loads(sample.with_suffix(".truth.json").read_text())
    capture = cv2.VideoCapture(str(sample))
    sideways = tmp_path / "squats_sideways.mp4"
    writer = None
    while True:
        ok, image = capture.read()
        if not ok:
            break
        image = cv2.rotate(image, cv2.ROTATE_90_CLOCKWISE)  # a phone held on its side
        if writer is None:
            size = (image.shape[1], image.shape[0])
            writer = cv2.VideoWriter(str(sideways), cv2.VideoWriter_fourcc(*"mp4v"), truth["fps"], size)
        writer.write(image)
    capture.release()
    writer.release()
    out = tmp_path / "summary.json"
    assert cli.app(["run", "squats", "--video", str(sideways), "--no-window", "--no-history", "--json", str(out)]) == 0
    captured = capsys.readouterr()
    assert turned_note(270) in captured.err
    assert json.loads(out.read_text())["reps"] == truth["reps"]
    progress = [line for line in captured.out.splitlines() if "Finding poses" in line]
    frames = truth["frames"]
    assert 2 <= len(progress) <= 12 and progress[-1].endswith(f"{frames} of {frames} frames (100%), about 0:00 left")

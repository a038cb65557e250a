"""LaggedSmoother: frame by frame, a bounded number of frames late, what smooth_offline gives for the whole
recording when the frame times are even (to a float32 rounding); same_poses tells when they are not the same."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from fitness.pose.types import NUM_KEYPOINTS, Pose
from fitness.smoothing import smooth_offline
from fitness.smoothing.lagged import SAME_RTOL, LaggedSmoother, lag_frames_for, same_poses, steady_window
from fitness.smoothing.offline import DEFAULT_WINDOW_S


def streamed(poses, fps, chunk):
    lagged = LaggedSmoother(smooth_offline, lag_frames_for(DEFAULT_WINDOW_S, fps), chunk)
    out, given_at = [], []
    for i, pose in enumerate(poses):
        new = lagged.push(pose)
        out.extend(new)
        given_at.extend([i] * len(new))
    out.extend(lagged.finish())
    return out, given_at, lagged.lag_frames


@st.composite
def recordings(draw):
    """Even frame times (a constant rate, from a start time), noisy tracks, keypoints that drop out, frames without
    anybody, and now and then a stretch of video missing (a time jump longer than the smoother bridges)."""
    fps = draw(st.sampled_from([10.0, 24.0, 25.0, 29.97, 30.0, 50.0, 60.0]))  # steady windows (not 15: see below)
    n = draw(st.integers(1, 160))
    seed = draw(st.integers(0, 2**32 - 1))
    rng = np.random.default_rng(seed)
    start = draw(st.sampled_from([0.0, 1.0 / 3.0, 12.345]))
    jumps = np.cumsum(np.where(rng.random(n) < draw(st.sampled_from([0.0, 0.02])), 10, 0))
    times = start + (np.arange(n) + jumps) / fps
    p_drop, p_none = draw(st.sampled_from([0.0, 0.03, 0.2])), draw(st.sampled_from([0.0, 0.02, 0.1]))
    poses = []
    for t in times:
        if rng.random() < p_none:
            poses.append(None)
            continue
        xy = 300 + 80 * np.sin(2 * np.pi * t + np.arange(NUM_KEYPOINTS))[:, None] + rng.normal(0, 3, (NUM_KEYPOINTS, 2))
        score = np.where(rng.random(NUM_KEYPOINTS) < p_drop, 0.05, rng.uniform(0.3, 1.0, NUM_KEYPOINTS))
        poses.append(Pose(xy=xy.astype(np.float32), score=score.astype(np.float32), t=float(t)))
    return fps, poses


@settings(max_examples=50, deadline=None)
@given(recordings(), st.integers(1, 40))
def test_even_frame_times_come_out_exactly_as_the_whole_recording_smoothed(recording, chunk):
    fps, poses = recording
    out, given_at, lag = streamed(poses, fps, chunk)
    whole = smooth_offline(list(poses))
    assert same_poses(out, whole)
    for got, expected in zip(out, whole):  # to a float32 rounding, not only close
        if got is not None:
            np.testing.assert_allclose(got.xy, expected.xy, rtol=SAME_RTOL, atol=0)
    # Each frame comes out at most lag + chunk frames after it was pushed (the rest at the end).
    for i, at in enumerate(given_at):
        assert i <= at <= i + lag + chunk


def test_a_frame_is_given_out_only_once_a_lag_of_later_frames_is_in():
    poses = [Pose(xy=np.zeros((NUM_KEYPOINTS, 2), np.float32), score=np.ones(NUM_KEYPOINTS, np.float32), t=i / 30)
             for i in range(40)]
    lagged = LaggedSmoother(smooth_offline, lag_frames=17, chunk_frames=4)
    counts = [len(lagged.push(p)) for p in poses]
    assert counts[:20] == [0] * 20  # 17 frames of lag + 4 of chunk: the first chunk after the 21st frame
    assert counts[20] == 4 and sum(counts) + len(lagged.finish()) == 40


def test_uneven_frame_times_are_told_apart_by_same_poses():
    """A variable frame rate: the whole-recording smoother resamples each track on one grid, which the lagged one
    cannot see coming; same_poses says they differ."""
    rng = np.random.default_rng(3)
    times = np.cumsum(rng.uniform(0.02, 0.05, 120))
    poses = [Pose(xy=(300 + 80 * np.sin(2 * np.pi * t) + rng.normal(0, 3, (NUM_KEYPOINTS, 2))).astype(np.float32),
                  score=np.ones(NUM_KEYPOINTS, np.float32), t=float(t)) for t in times]
    out, _, _ = streamed(poses, 30.0, 8)
    assert not same_poses(out, smooth_offline(list(poses)))


def test_same_poses_compares_presence_positions_and_length():
    p = Pose(xy=np.full((NUM_KEYPOINTS, 2), np.nan, np.float32), score=np.ones(NUM_KEYPOINTS, np.float32), t=0.0)
    q = p.replace(xy=np.zeros((NUM_KEYPOINTS, 2), np.float32))
    assert same_poses([p, None], [p, None])
    assert not same_poses([p], [q])
    assert not same_poses([p], [None])
    assert not same_poses([p], [p, p])


def test_a_window_half_way_between_two_sizes_is_not_steady():
    """0.5 s at 15 fps is 7.5 samples: 7 or 9 as the last bits of a track's median step fall, so the whole-recording
    smoother's window depends on all of the track; at 30 fps (15 samples) or 25 fps (12.5: 13 either way) it
    does not."""
    assert not steady_window(0.5, 15.0)
    assert steady_window(0.5, 30.0) and steady_window(0.5, 25.0)
    assert not steady_window(0.5, float("nan")) and not steady_window(0.5, 0.0)

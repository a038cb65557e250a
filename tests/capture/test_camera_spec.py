"""What `--camera` accepts: a device number, a device path, a stream URL or a video file, each told apart before
anything opens; a value that can name no camera is one UsageError line."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from fitness.capture.camera_spec import DEVICE, FILE, MAX_CAMERA_INDEX, STREAM, parse_camera, public_url
from fitness.errors import UsageError


@pytest.mark.parametrize(("value", "kind", "opens"), [
    ("0", DEVICE, 0),
    (" 2 ", DEVICE, 2),
    (3, DEVICE, 3),
    ("/dev/video2", DEVICE, "/dev/video2"),
    ("/dev/v4l/by-id/usb-Logitech-video-index0", DEVICE, "/dev/v4l/by-id/usb-Logitech-video-index0"),
    ("rtsp://192.168.1.20:554/stream1", STREAM, "rtsp://192.168.1.20:554/stream1"),
    ("http://phone:8080/video", STREAM, "http://phone:8080/video"),
    ("HTTPS://cam.example/mjpg", STREAM, "HTTPS://cam.example/mjpg"),
    ("squats.mp4", FILE, "squats.mp4"),
    ("clips/2 squats.mov", FILE, "clips/2 squats.mov"),
])
def test_each_form_is_recognised(value, kind, opens):
    spec = parse_camera(value)
    assert (spec.kind, spec.opens) == (kind, opens)


@pytest.mark.parametrize(("value", "message"), [
    ("-1", "--camera must be a camera number from 0 to 9999"),
    (str(MAX_CAMERA_INDEX + 1), "--camera must be a camera number from 0 to 9999"),
    ("", "--camera takes a camera number"),
    ("ftp://host/video", "not a stream OpenCV can read"),
    ("http:///video", "the stream URL has no host"),
    ("http://phone:99999/video", "port is not a number from 0 to 65535"),
    ("rtsp://cam:port/live", "port is not a number from 0 to 65535"),
])
def test_a_value_that_names_no_camera_is_one_usage_line(value, message):
    with pytest.raises(UsageError, match=message) as info:
        parse_camera(value)
    assert "\n" not in str(info.value)


@given(st.integers(0, MAX_CAMERA_INDEX))
def test_every_camera_number_round_trips(index):
    assert parse_camera(str(index)).opens == index == parse_camera(index).opens


@given(user=st.from_regex(r"[a-z]{1,8}", fullmatch=True), password=st.from_regex(r"[A-Za-z0-9]{6,12}", fullmatch=True),
       token=st.from_regex(r"[A-Za-z0-9]{6,12}", fullmatch=True))
def test_a_stream_name_never_shows_user_password_or_query(user, password, token):
    spec = parse_camera(f"rtsp://{user}:{password}@cam.local:554/live?token={token}")
    assert spec.name == public_url(spec.target) == "rtsp://cam.local:554/live"
    assert spec.opens.endswith(f"token={token}")  # OpenCV still gets the whole URL

"""A real HTTP MJPEG stream (as phone-as-webcam apps serve it), from a server thread on localhost: OpenCV reads
it, a drop is reconnected, and a stream that does not come back ends as lost."""

from __future__ import annotations

import http.server
import socketserver
import threading

import cv2
import numpy as np
import pytest

from fitness.capture import LOST
from fitness.capture.camera import CameraSource, Reconnect

FRAMES_PER_CONNECTION = 20
CONNECTIONS = 2  # the server answers twice, then hangs up on every request: the stream never comes back


class MjpegHandler(http.server.BaseHTTPRequestHandler):
    """Connection n sends FRAMES_PER_CONNECTION JPEGs of gray level 40 * n, then closes: a dropped stream."""

    served = 0

    def do_GET(self):
        type(self).served += 1
        n = type(self).served
        if n > CONNECTIONS:
            return  # closed without an answer
        self.send_response(200)
        self.send_header("Content-Type", "multipart/x-mixed-replace; boundary=frame")
        self.end_headers()
        ok, jpeg = cv2.imencode(".jpg", np.full((48, 64, 3), 40 * n, np.uint8))
        part = b"--frame\r\nContent-Type: image/jpeg\r\nContent-Length: %d\r\n\r\n" % len(jpeg) + jpeg.tobytes()
        for _ in range(FRAMES_PER_CONNECTION):
            self.wfile.write(part + b"\r\n")

    def log_message(self, *args):
        pass


@pytest.fixture
def mjpeg_url():
    MjpegHandler.served = 0
    server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), MjpegHandler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/video"
    server.shutdown()
    server.server_close()


def test_a_real_mjpeg_stream_that_drops_is_reconnected_then_lost(mjpeg_url):
    src = CameraSource(mjpeg_url, reconnect=Reconnect(first_wait_s=0.05, max_wait_s=0.1, give_up_after_s=0.5))
    heard: list[str] = []
    src.on_notice = heard.append
    frames = list(src)  # ends by itself once the server stops answering
    src.close()
    levels = [round(float(f.image.mean()) / 40) for f in frames]
    assert levels == sorted(levels) and set(levels) == {1, 2}  # frames of both connections, in order
    assert [f.index for f in frames] == sorted(f.index for f in frames)
    assert all(b.grabbed_at_s >= a.grabbed_at_s for a, b in zip(frames, frames[1:]))
    assert src.end_reason == LOST and "did not come back within 0.5 s" in src.end_detail
    assert src.notes and "dropped once and was reconnected" in src.notes[0]
    assert any(text.startswith("Camera stream back after") for text in heard)

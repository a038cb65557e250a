"""`--serve [HOST:]PORT`: uvicorn serving the live view from a background thread while the session runs, its URL
(with the token beyond loopback) and a QR code of it on the terminal."""

from __future__ import annotations

import contextlib
import socket
import threading
import time
from collections.abc import Callable
from typing import TextIO

from fitness.errors import UsageError
from fitness.web.access import ASGIApp, is_loopback, new_token, parse_address
from fitness.web.hub import FrameHub

# How long the server may take to start, and to finish its open streams at the end.
START_TIMEOUT_S = 10.0
STOP_TIMEOUT_S = 3.0
WEB_EXTRA_HINT = "pip install -c constraints.txt -e '.[web]' in the fitness checkout (uvicorn, starlette, segno)"


def _bind(host: str, port: int) -> socket.socket:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError as exc:
        sock.close()
        raise UsageError(f"--serve cannot listen on {host}:{port}: {exc.strerror or exc}") from None
    sock.listen(64)
    sock.set_inheritable(True)
    return sock


def _reachable_host(host: str) -> str:
    """The host a phone on the same network types in: this computer's name for a wildcard address."""
    if host in ("0.0.0.0", "::", ""):
        name = socket.gethostname()
        with contextlib.suppress(OSError):
            address = socket.gethostbyname(name)
            if not address.startswith("127."):
                return address
        return name
    return host


class LiveServer:
    """Starts on `start()`; `url` is what to open (with `?token=` beyond loopback); `stop()` ends the streams and
    the server."""

    def __init__(self, address: str, hub: FrameHub | None = None,
                 app_factory: Callable[[str | None], ASGIApp] | None = None) -> None:
        """app_factory: token -> the app to serve (default: the live view over `hub`)."""
        try:
            import uvicorn  # noqa: F401 - checked here so a missing extra is one line before the session

            from fitness.web.app import create_app
        except ImportError as exc:
            raise UsageError(f"--serve needs the web extra: {WEB_EXTRA_HINT} ({exc.name} is missing)") from None
        self.host, port = parse_address(address)
        self.loopback = is_loopback(self.host)
        self.token = None if self.loopback else new_token()
        self.hub = hub or FrameHub()
        self._sock = _bind(self.host, port)
        self.port = self._sock.getsockname()[1]
        self._app = app_factory(self.token) if app_factory else create_app(self.hub, self.token)
        self._server = None
        self._thread: threading.Thread | None = None
        self.what = "live view" if app_factory is None else "history"

    @property
    def url(self) -> str:
        host = _reachable_host(self.host)
        host = f"[{host}]" if ":" in host else host
        return f"http://{host}:{self.port}/" + (f"?token={self.token}" if self.token else "")

    def start(self) -> LiveServer:
        import uvicorn

        config = uvicorn.Config(self._app, log_level="warning", access_log=False, lifespan="off",
                                timeout_graceful_shutdown=STOP_TIMEOUT_S)
        self._server = uvicorn.Server(config)
        started = threading.Event()

        def run() -> None:
            import asyncio

            async def serve() -> None:
                self.hub.attach(asyncio.get_running_loop())
                started.set()
                await self._server.serve(sockets=[self._sock])

            asyncio.run(serve())

        self._thread = threading.Thread(target=run, name="live view server", daemon=True)
        self._thread.start()
        started.wait(START_TIMEOUT_S)
        deadline = time.monotonic() + START_TIMEOUT_S
        while not self._server.started and self._thread.is_alive() and time.monotonic() < deadline:
            time.sleep(0.01)
        if not self._server.started:
            raise UsageError(f"--serve: the server on {self.host}:{self.port} did not start")
        return self

    def wait(self) -> None:
        """Until Ctrl-C or SIGTERM (`fitness serve` in the foreground)."""
        import signal

        stop = threading.Event()
        previous = signal.signal(signal.SIGTERM, lambda *_: stop.set())
        try:
            while not stop.is_set() and self._thread is not None and self._thread.is_alive():
                stop.wait(0.5)
        except KeyboardInterrupt:
            pass
        finally:
            signal.signal(signal.SIGTERM, previous)
            self.stop()

    def stop(self) -> None:
        self.hub.close()  # ends the video streams, so the server can finish
        if self._server is not None:
            self._server.should_exit = True
        if self._thread is not None:
            self._thread.join(STOP_TIMEOUT_S + 2)
        with contextlib.suppress(OSError):
            self._sock.close()

    def announce(self, stream: TextIO) -> None:
        """The URL, and beyond loopback the token's warning and a QR code of the URL to scan with a phone."""
        print(f"fitness: {self.what} at {self.url}", file=stream)
        if self.token:
            print("fitness: anyone with this URL can watch; it changes every run", file=stream)
            with contextlib.suppress(ImportError):
                import segno

                segno.make(self.url, error="l").terminal(out=stream, compact=True)
        stream.flush()

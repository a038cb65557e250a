"""The live view's routes: `/` the page, `/stream.mjpg` the annotated video, `/api/state` the dashboard's JSON."""

from __future__ import annotations

from importlib import resources

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, StreamingResponse
from starlette.routing import Route

from fitness.web.access import ASGIApp, token_gate
from fitness.web.hub import FrameHub
from fitness.web.state import live_state

BOUNDARY = "fitnessframe"
NO_CACHE = {"Cache-Control": "no-store"}


def page_html() -> str:
    return resources.files("fitness.web").joinpath("live.html").read_text(encoding="utf-8")


def create_app(hub: FrameHub, token: str | None = None) -> ASGIApp:
    """The routes over `hub`, behind `token` when one is given (bound beyond loopback)."""
    page = page_html()

    async def index(request: Request) -> HTMLResponse:
        return HTMLResponse(page, headers=NO_CACHE)

    async def state(request: Request) -> JSONResponse:
        return JSONResponse(live_state(hub.snapshot, hub.running), headers=NO_CACHE)

    async def stream(request: Request) -> StreamingResponse:
        async def parts():
            hub.watching(+1)
            try:
                seq = 0
                while (jpeg := await hub.next_jpeg(seq)) is not None:
                    seq = jpeg.seq
                    head = (f"--{BOUNDARY}\r\nContent-Type: image/jpeg\r\nContent-Length: {len(jpeg.data)}\r\n"
                            f"X-Frame-Seq: {jpeg.seq}\r\n\r\n").encode()
                    yield head + jpeg.data + b"\r\n"
            finally:
                hub.watching(-1)

        return StreamingResponse(parts(), media_type=f"multipart/x-mixed-replace; boundary={BOUNDARY}",
                                 headers=NO_CACHE)

    routes = [Route("/", index), Route("/api/state", state), Route("/stream.mjpg", stream)]
    return token_gate(Starlette(routes=routes), token)

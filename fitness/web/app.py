"""The live view's routes: `/` the page, `/stream.mjpg` the annotated video, `/api/state` the dashboard's JSON."""

from __future__ import annotations

from importlib import resources

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response, StreamingResponse
from starlette.routing import Route

from fitness.web.access import ASGIApp, token_gate
from fitness.web.hub import FrameHub
from fitness.web.state import live_state

BOUNDARY = "fitnessframe"
# What comes between two JPEGs of the stream (and, without its leading line break, before the first).
PART_HEAD = f"\r\n--{BOUNDARY}\r\nContent-Type: image/jpeg\r\n\r\n".encode()
NO_CACHE = {"Cache-Control": "no-store"}


def page_html() -> str:
    return resources.files("fitness.web").joinpath("live.html").read_text(encoding="utf-8")


def create_app(hub: FrameHub, token: str | None = None) -> ASGIApp:
    """The routes over `hub`, behind `token` when one is given (bound beyond loopback)."""
    page = page_html()

    async def index(request: Request) -> HTMLResponse:
        return HTMLResponse(page, headers=NO_CACHE)

    async def state(request: Request) -> JSONResponse:
        return JSONResponse(live_state(hub.snapshot, hub.running, hub.ended), headers=NO_CACHE)

    async def stream(request: Request) -> StreamingResponse:
        async def parts():
            # A browser shows a part only once the next part's headers have come, so each JPEG is followed at
            # once by the boundary and the headers of the part after it (saves a frame's time of latency).
            hub.watching(+1)
            try:
                yield PART_HEAD[2:]  # the first boundary has no line break before it
                seq = 0
                while (jpeg := await hub.next_jpeg(seq)) is not None:
                    seq = jpeg.seq
                    yield jpeg.data + PART_HEAD
            finally:
                hub.watching(-1)

        return StreamingResponse(parts(), media_type=f"multipart/x-mixed-replace; boundary={BOUNDARY}",
                                 headers=NO_CACHE)

    async def no_icon(request: Request) -> Response:
        return Response(status_code=204)

    routes = [Route("/", index), Route("/api/state", state), Route("/stream.mjpg", stream),
              Route("/favicon.ico", no_icon)]
    return token_gate(Starlette(routes=routes), token)

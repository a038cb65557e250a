"""`fitness serve`: the history in a browser. `/` the sessions, `/session/{id}` one session's report, `/trends`
reps per week and form score over time. The database is opened for each request (read only, short)."""

from __future__ import annotations

from pathlib import Path

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import HTMLResponse, PlainTextResponse, Response
from starlette.routing import Route

from fitness.errors import HistoryError
from fitness.session.analysis import TREND_SESSIONS
from fitness.session.store import HistoryStore
from fitness.web.access import ASGIApp, token_gate
from fitness.web.report import session_report, sessions_page, trends_page

LIST_LIMIT = 500  # sessions on the list page


def create_history_app(db: Path, token: str | None = None) -> ASGIApp:
    def store() -> HistoryStore:
        return HistoryStore.open(db)

    async def index(request: Request) -> HTMLResponse:
        with store() as s:
            return HTMLResponse(sessions_page(s.list_sessions(limit=LIST_LIMIT)))

    async def session(request: Request) -> Response:
        try:
            with store() as s:
                summary = s.get(int(request.path_params["id"]))
                earlier = s.earlier(summary, limit=TREND_SESSIONS)
                thumbnails = s.thumbnails(summary.id)
        except HistoryError as exc:
            return PlainTextResponse(str(exc), status_code=404)
        return HTMLResponse(session_report(summary, earlier, thumbnails=thumbnails))

    async def trends(request: Request) -> HTMLResponse:
        with store() as s:
            return HTMLResponse(trends_page(s.list_sessions()))

    async def no_icon(request: Request) -> Response:
        return Response(status_code=204)

    routes = [Route("/", index), Route("/session/{id:int}", session), Route("/trends", trends),
              Route("/favicon.ico", no_icon)]
    return token_gate(Starlette(routes=routes), token)

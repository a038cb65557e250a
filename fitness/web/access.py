"""Who may watch: anyone on this computer when the server listens on loopback; beyond it, only a request that
carries the run's random token (query `?token=`, header `Authorization: Bearer`, or the cookie the first page
sets)."""

from __future__ import annotations

import ipaddress
import secrets
from collections.abc import Awaitable, Callable, MutableMapping
from http.cookies import CookieError, SimpleCookie
from typing import Any
from urllib.parse import parse_qs

from fitness.errors import UsageError

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8000
COOKIE = "fitness_token"
TOKEN_BYTES = 16  # 128 random bits, URL-safe base64

Scope = MutableMapping[str, Any]
ASGIApp = Callable[[Scope, Callable[[], Awaitable[Any]], Callable[[Any], Awaitable[None]]], Awaitable[None]]


def parse_address(text: str) -> tuple[str, int]:
    """`--serve [HOST:]PORT` -> (host, port); `[::1]:8000` for IPv6. Port 0 picks a free one."""
    host, sep, port = text.rpartition(":")
    if not sep:
        host, port = DEFAULT_HOST, text
    host = host.strip("[]") or DEFAULT_HOST
    try:
        number = int(port)
    except ValueError:
        number = -1
    if not 0 <= number <= 65535:
        raise UsageError(f"--serve expects [HOST:]PORT with a port from 0 to 65535, e.g. 8000 or 0.0.0.0:8000, "
                         f"got {text!r}")
    return host, number


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False  # a host name: it may resolve beyond this computer


def new_token() -> str:
    return secrets.token_urlsafe(TOKEN_BYTES)


def _given_token(scope: Scope) -> tuple[str | None, bool]:
    """(the token the request carries, whether it came in the query)."""
    query = parse_qs(scope.get("query_string", b"").decode("latin-1")).get("token")
    if query:
        return query[0], True
    headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope.get("headers", ())}
    auth = headers.get("authorization", "")
    if auth.lower().startswith("bearer "):
        return auth[7:].strip(), False
    cookie: SimpleCookie = SimpleCookie()
    try:
        cookie.load(headers.get("cookie", ""))
    except CookieError:  # a malformed cookie header is no token
        return None, False
    return (cookie[COOKIE].value if COOKIE in cookie else None), False


async def _refuse(send, status: int) -> None:
    body = (b"this live view needs its access token: open the URL that fitness run printed\n" if status == 401
            else b"wrong access token: open the URL that fitness run printed\n")
    headers = [(b"content-type", b"text/plain; charset=utf-8"), (b"content-length", str(len(body)).encode())]
    if status == 401:
        headers.append((b"www-authenticate", b'Bearer realm="fitness"'))
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


def token_gate(app: ASGIApp, token: str | None) -> ASGIApp:
    """`app` behind the token: missing -> 401, wrong -> 403. A token given in the query is also set as a cookie,
    so the page's own requests (video, state) carry it. token None: no gate (loopback)."""
    if token is None:
        return app

    async def gate(scope: Scope, receive, send) -> None:
        if scope["type"] != "http":
            await app(scope, receive, send)
            return
        given, in_query = _given_token(scope)
        if given is None or not secrets.compare_digest(given.encode(), token.encode()):
            await _refuse(send, 401 if given is None else 403)
            return
        if not in_query:
            await app(scope, receive, send)
            return

        async def send_with_cookie(message) -> None:
            if message["type"] == "http.response.start":
                cookie = f"{COOKIE}={token}; Path=/; HttpOnly; SameSite=Strict".encode()
                message = {**message, "headers": [*message.get("headers", ()), (b"set-cookie", cookie)]}
            await send(message)

        await app(scope, receive, send_with_cookie)

    return gate

"""The web app's guard, an ASGI middleware around every request: security headers, request
bodies bounded in size and read within a deadline, and checks admitted only while there is
room (else 503 with ``Retry-After``), so that no request waits without bound.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

from fastapi.responses import HTMLResponse, JSONResponse, Response
from markupsafe import escape

from accord.web.limits import ServeLimits
from accord.web.runs import Runs, Slot
from accord.web.uploads import MAX_DOCUMENT_BYTES, MAX_DOCUMENTS, MAX_REQUEST_BYTES

__all__ = ["SLOT_KEY", "Guard", "busy_response"]

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

_POLL_S = 0.05  # how often a waiting request looks for a free check
SLOT_KEY = "accord.check_slot"
"""The scope key under which ``POST /check`` finds the check slot the guard took for it."""
_CHECK_PATHS = ("/check",)
_QUEUE_PATHS = ("/runs", "/ui/check")


def _wants_html(scope: Scope) -> bool:
    headers = dict(scope.get("headers", []))
    accept = headers.get(b"accept", b"").decode("latin-1")
    path: str = scope.get("path", "")
    return path.startswith("/ui/") or accept.startswith("text/html")


def busy_response(detail: str, retry_after_s: int, *, html: bool = False) -> Response:
    """A 503 answer with ``Retry-After``: JSON ``{"detail": …, "runs": "/runs"}``, or a short
    page for a browser, both pointing to the background runs."""
    headers = {"Retry-After": str(retry_after_s)}
    if html:
        page = (
            '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>accord: '
            f'busy</title></head><body><h1>Busy</h1><p>{escape(detail)}</p><p><a href="/">'
            'Back to the upload page</a> · <a href="/runs">background runs</a></p></body></html>'
        )
        return HTMLResponse(page, status_code=503, headers=headers)
    return JSONResponse({"detail": detail, "runs": "/runs"}, status_code=503, headers=headers)


class _BodyTimeoutError(Exception):
    """The request body did not arrive in time."""


class Guard:
    """ASGI middleware: security headers on every response; request bodies size-checked and
    read within ``body_timeout_s``; checks admitted only while there is room.

    A request with a body must say how long it is (``Content-Length``), and no longer than
    ``MAX_REQUEST_BYTES``: an oversized upload is refused before any of it is read. An
    upload (``POST /check``, ``POST /runs``, ``POST /ui/check``) is admitted before its body
    is read, so that at most ``checks`` uploads are read and checked at once, plus the
    queue's: ``POST /check`` takes a check slot (``SLOT_KEY`` in the scope), the others need
    room in the queue and one of ``checks`` places to be read in.

    Args:
        app: the app it guards.
        runs: the runs whose room is checked.
        limits: the waits and bounds.
        csp: the Content-Security-Policy every response carries.
    """

    def __init__(self, app: ASGIApp, *, runs: Runs, limits: ServeLimits, csp: str) -> None:
        self.app = app
        self.runs = runs
        self.limits = limits
        self.reading = 0  # background uploads being received and checked now
        self.headers = [
            (b"content-security-policy", csp.encode("ascii")),
            (b"x-content-type-options", b"nosniff"),
            (b"referrer-policy", b"no-referrer"),
            (b"x-frame-options", b"DENY"),
            (b"cross-origin-opener-policy", b"same-origin"),
        ]

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = [*message.get("headers", []), *self.headers]
            await send(message)

        refusal = self._refusal(scope)
        if refusal is not None:
            await refusal(scope, receive, send_with_headers)
            return
        path = scope.get("path", "")
        if scope["method"] != "POST" or path not in (*_CHECK_PATHS, *_QUEUE_PATHS):
            await self.app(scope, receive, send_with_headers)
            return
        await self._upload(scope, receive, send_with_headers, check=path in _CHECK_PATHS)

    async def _upload(self, scope: Scope, receive: Receive, send: Send, *, check: bool) -> None:
        """Admit an upload, read its body within the deadline, then hand it to the app."""
        slot = await self._admit(check=check)
        if slot is None:
            await self._busy(scope, check=check)(scope, receive, send)
            return
        try:
            try:
                body = await self._read_body(receive)
            except _BodyTimeoutError:
                await self._too_slow(scope)(scope, receive, send)
                return
            if body is None:
                return  # the client went away
            if isinstance(slot, Slot):
                scope[SLOT_KEY] = slot
            replay = _replay(body, receive)
            del body  # the app's form parser holds it from here on, not this frame
            await self.app(scope, replay, send)
        finally:
            if isinstance(slot, Slot):
                slot.release()  # a no-op once the check used it
            else:
                self.reading -= 1

    async def _admit(self, *, check: bool) -> Slot | bool | None:
        """A check slot (``check``), or ``True`` for a place to read a background upload in;
        ``None`` when none came free within ``admit_wait_s``."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + self.limits.admit_wait_s
        while True:
            if check:
                slot = self.runs.reserve()
                if slot is not None:
                    return slot
            elif self.reading < self.runs.checks and self.runs.has_room():
                self.reading += 1  # one event loop: no other request runs between the two
                return True
            if loop.time() >= deadline:
                return None
            await asyncio.sleep(_POLL_S)

    def _busy(self, scope: Scope, *, check: bool) -> Response:
        running, queued = self.runs.load()
        if check:
            detail = (
                f"all {self.runs.checks} checks are taken ({running} running, {queued} "
                f"waiting); retry after {self.limits.retry_after_s} s, or start a background "
                "run with POST /runs and follow it at GET /runs/{id}"
            )
        else:
            detail = (
                f"the server is full ({running} checks running, {queued} of at most "
                f"{self.runs.max_queued} waiting); retry after {self.limits.retry_after_s} s"
            )
        return busy_response(detail, self.limits.retry_after_s, html=_wants_html(scope))

    def _too_slow(self, scope: Scope) -> Response:
        length = dict(scope.get("headers", [])).get(b"content-length", b"?").decode("latin-1")
        detail = (
            f"the request body did not arrive within {self.limits.body_timeout_s:g} s "
            f"(Content-Length {length}); send the whole body at once"
        )
        return JSONResponse({"detail": detail}, status_code=408, headers={"Connection": "close"})

    async def _read_body(self, receive: Receive) -> bytes | None:
        """The whole request body, or ``None`` when the client disconnected.

        Raises:
            _BodyTimeoutError: it did not all arrive within ``body_timeout_s``.
        """
        loop = asyncio.get_running_loop()
        deadline = loop.time() + self.limits.body_timeout_s
        chunks: list[bytes] = []
        more = True
        while more:
            try:
                message = await asyncio.wait_for(receive(), max(deadline - loop.time(), 0))
            except TimeoutError:
                raise _BodyTimeoutError from None
            if message["type"] == "http.disconnect":
                return None
            chunks.append(message.get("body", b""))
            more = bool(message.get("more_body", False))
        return b"".join(chunks)

    def _refusal(self, scope: Scope) -> Response | None:
        if scope["method"] not in ("POST", "PUT", "PATCH"):
            return None
        headers = dict(scope.get("headers", []))
        length = headers.get(b"content-length")
        if length is None:
            if headers.get(b"transfer-encoding"):
                return JSONResponse({"detail": "send a Content-Length header"}, status_code=411)
            return None
        try:
            size = int(length)
        except ValueError:
            return JSONResponse({"detail": "invalid Content-Length header"}, status_code=400)
        if size > MAX_REQUEST_BYTES:
            detail = (
                f"request is {size:,} bytes, over the limit of {MAX_REQUEST_BYTES:,} bytes "
                f"(at most {MAX_DOCUMENTS} documents of {MAX_DOCUMENT_BYTES:,} bytes each)"
            )
            return JSONResponse({"detail": detail}, status_code=413)
        return None


def _replay(body: bytes, receive: Receive) -> Receive:
    """A ``receive`` that gives the app the body read already, then waits as ``receive`` does
    (for the client to disconnect)."""
    pending = [{"type": "http.request", "body": body, "more_body": False}]

    async def replay() -> Message:
        if pending:
            return pending.pop()
        return await receive()

    return replay

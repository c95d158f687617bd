"""Django's HTTP handler for ASGI, with one thread hop per request.

Every view and middleware here is synchronous. Django's own ASGIHandler runs them in async mode:
a new thread per request (ThreadSensitiveContext), a thread hop at each boundary between sync and
async middleware and back to the event loop for the view, and the request_started/finished
signals each in a thread of their own. Profiled under load, that was about a fifth of an API
request's CPU. This handler loads the middleware in sync mode and runs the whole request (signals,
middleware, view) in one call on the event loop's thread pool, so the request's database
connection is taken from the pool and given back in the same thread; only reading the body and
sending the response stay on the event loop.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from typing import Any

from asgiref.sync import sync_to_async
from django.conf import settings
from django.core import signals
from django.core.exceptions import RequestAborted
from django.core.handlers.asgi import ASGIHandler, get_script_prefix
from django.core.handlers.base import BaseHandler
from django.http import FileResponse, HttpRequest, HttpResponseBase
from django.urls import set_script_prefix


class SyncASGIHandler(ASGIHandler):
    def __init__(self) -> None:
        BaseHandler.__init__(self)
        self.load_middleware(is_async=False)
        # Requests run on a pool of WEB_THREADS threads per process (settings). Django work is
        # CPU-bound under the GIL: fewer threads finish requests in arrival order instead of
        # sharing the GIL round-robin, which cuts tail latency; enough must stay free for
        # requests that wait on a slow upstream (an AI rewrite).
        self._executor = ThreadPoolExecutor(
            max_workers=settings.WEB_THREADS, thread_name_prefix="huntaze-web"
        )

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            raise ValueError(f"Django serves HTTP here, not {scope['type']}.")
        await self.handle(scope, receive, send)

    async def handle(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        try:
            body_file = await self.read_body(receive)
        except RequestAborted:  # the client left before sending its body
            return
        set_script_prefix(get_script_prefix(scope))
        request, error_response = self.create_request(scope, body_file)
        if request is None:
            body_file.close()
            if error_response is not None:
                await self.send_response(error_response, send)
            return
        response = await sync_to_async(
            self._respond, thread_sensitive=False, executor=self._executor
        )(scope, request)
        try:
            await self.send_response(response, send)
        finally:
            if response.streaming:
                # A streamed body may read the database as it goes (the fans CSV does, in the
                # thread-sensitive thread); close where it ran.
                await sync_to_async(response.close, thread_sensitive=True)()
            body_file.close()

    def _respond(self, scope: dict[str, Any], request: HttpRequest) -> HttpResponseBase:
        signals.request_started.send(sender=self.__class__, scope=scope)
        response = self.get_response(request)
        response._handler_class = self.__class__  # type: ignore[attr-defined]
        if isinstance(response, FileResponse):
            response.block_size = self.chunk_size
        if not response.streaming:
            # The body is in memory: finish the request here (request_finished gives the
            # database connection back to the pool from the thread that took it).
            response.close()
        return response

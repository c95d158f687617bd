"""The HTTP face of the router: OpenAI-compatible routes, health, dry run and metrics.

``create_app(settings)`` builds everything eagerly except what is bound to an event loop
(HTTP and Redis clients), which is created on first use in the running loop. So the app works
under uvicorn and, without any lifespan, in-process through ``httpx.ASGITransport``; in that
case call ``await close_app(app)`` when done to close provider connections.
"""

from __future__ import annotations

import hmac
import logging
import re
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping
from contextlib import asynccontextmanager
from decimal import Decimal, InvalidOperation
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import Response, StreamingResponse
from prometheus_client import CONTENT_TYPE_LATEST
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import Message, Receive, Scope, Send

from ai_router import jsonio
from ai_router.engine import Caller, RouterEngine, new_request_id
from ai_router.errors import (
    AuthenticationError,
    InternalRouterError,
    InvalidRequestError,
    MethodNotAllowedError,
    NotFoundError,
    RequestTooLargeError,
    RouterError,
)
from ai_router.schemas import ChatRequest, parse_chat_request, parse_json_body
from ai_router.settings import Settings

logger = logging.getLogger("ai_router.main")
HEADER_VALUE_PATTERN = re.compile(r"^[A-Za-z0-9_.:@-]{1,128}$")
MODELS_CREATED_S = 1_735_689_600  # 2025-01-01, a fixed date for the aliases
JSON_CONTENT_TYPE = (b"content-type", b"application/json")
HotRoute = Callable[[Scope, Receive, Send], Awaitable[None]]


class ClientDisconnected(Exception):
    """The caller went away before its request body arrived: nothing to answer."""


def _encode_json(body: dict[str, Any]) -> bytes:
    return jsonio.dumps(body)


def _json_response(
    body: dict[str, Any], *, status_code: int = 200, headers: dict[str, str] | None = None
) -> Response:
    return Response(
        content=_encode_json(body),
        status_code=status_code,
        media_type="application/json",
        headers=headers,
    )


def _error_response(error: RouterError) -> Response:
    return _json_response(error.to_body(), status_code=error.status_code, headers=error.headers)


async def _send_json(
    send: Send,
    body: dict[str, Any],
    *,
    status_code: int = 200,
    headers: Mapping[str, str] | None = None,
) -> None:
    """A JSON answer written straight to ASGI (what ``Response`` does, minus its objects)."""
    content = _encode_json(body)
    raw_headers = [JSON_CONTENT_TYPE, (b"content-length", str(len(content)).encode())]
    if headers:
        raw_headers += [
            (name.encode("latin-1"), value.encode("latin-1")) for name, value in headers.items()
        ]
    await send({"type": "http.response.start", "status": status_code, "headers": raw_headers})
    await send({"type": "http.response.body", "body": content})


ROUTER_HEADERS = frozenset(
    name.encode()
    for name in (
        "authorization",
        "content-length",
        "x-request-id",
        "x-tenant-id",
        "x-plan",
        "x-monthly-budget-usd",
        "x-latency-cap-ms",
        "x-task",
        "x-complexity",
    )
)


def _scope_headers(scope: Scope) -> dict[str, str]:
    """The request headers the router reads, by lower-case name; the first of repeated
    headers wins."""
    return {
        name.lower().decode(): value.decode("latin-1")
        for name, value in reversed(scope["headers"])
        if name.lower() in ROUTER_HEADERS
    }


class RouterApp(FastAPI):
    """FastAPI, with the two hot routes (``POST /v1/chat/completions`` and ``/v1/route``)
    served straight from ASGI: Starlette's middleware, routing and request objects cost
    more than the router's own work for a small request. Those routes handle their errors
    themselves; middleware added to this app does not see them."""

    hot_routes: dict[str, HotRoute]

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["method"] == "POST":
            route = self.hot_routes.get(scope["path"])
            if route is not None:
                await route(scope, receive, send)
                return
        await super().__call__(scope, receive, send)


def get_engine(app: FastAPI) -> RouterEngine:
    engine: RouterEngine = app.state.engine
    return engine


async def close_app(app: FastAPI) -> None:
    """Close provider and Redis connections opened in the current event loop."""
    await get_engine(app).aclose()


class RequestReader:
    """Authentication, size limits and headers, shared by the ``/v1`` routes."""

    def __init__(self, settings: Settings) -> None:
        self._keys = tuple(key.encode() for key in settings.service_keys)
        self._max_request_bytes = settings.max_request_bytes

    def authenticate(self, headers: Mapping[str, str]) -> None:
        if not self._keys:
            return
        scheme, _, token = headers.get("authorization", "").partition(" ")
        token = token.strip()
        if scheme.lower() != "bearer" or not token:
            raise AuthenticationError(
                "You didn't provide an API key. Send it as 'Authorization: Bearer <key>'.",
                code="missing_api_key",
            )
        presented = token.encode()
        if not any(hmac.compare_digest(presented, key) for key in self._keys):
            raise AuthenticationError("Incorrect API key provided.", code="invalid_api_key")

    async def body(self, headers: Mapping[str, str], receive: Receive) -> bytes:
        limit = self._max_request_bytes
        declared = headers.get("content-length", "")
        if declared.isdigit() and int(declared) > limit:
            raise RequestTooLargeError(f"The request body is larger than {limit} bytes.")
        message: Message = await receive()
        if message["type"] == "http.disconnect":
            raise ClientDisconnected
        body: bytes = message.get("body", b"")
        if not message.get("more_body", False):  # the usual case: one message
            if len(body) > limit:
                raise RequestTooLargeError(f"The request body is larger than {limit} bytes.")
            return body
        received = bytearray(body)
        while message.get("more_body", False):
            message = await receive()
            if message["type"] == "http.disconnect":
                raise ClientDisconnected
            received += message.get("body", b"")
            if len(received) > limit:
                raise RequestTooLargeError(f"The request body is larger than {limit} bytes.")
        return bytes(received)

    @staticmethod
    def _header(headers: Mapping[str, str], name: str) -> str | None:
        value = headers.get(name, "").strip()
        if not value:
            return None
        if not HEADER_VALUE_PATTERN.match(value):
            raise InvalidRequestError(
                f"Header {name} must be 1 to 128 letters, digits or '_.:@-'.", param=name
            )
        return value

    def caller(self, headers: Mapping[str, str]) -> Caller:
        budget_text = headers.get("x-monthly-budget-usd", "").strip()
        monthly_budget_usd: Decimal | None = None
        if budget_text:
            try:
                monthly_budget_usd = Decimal(budget_text)
            except InvalidOperation:
                monthly_budget_usd = None
            if (
                monthly_budget_usd is None
                or not monthly_budget_usd.is_finite()
                or monthly_budget_usd < 0
            ):
                raise InvalidRequestError(
                    "Header X-Monthly-Budget-Usd must be a non-negative number.",
                    param="X-Monthly-Budget-Usd",
                )
        return Caller(
            request_id=self._header(headers, "x-request-id") or new_request_id(),
            tenant_id=self._header(headers, "x-tenant-id"),
            plan_name=self._header(headers, "x-plan"),
            monthly_budget_usd=monthly_budget_usd,
        )

    async def chat_request(self, headers: Mapping[str, str], receive: Receive) -> ChatRequest:
        body = parse_json_body(await self.body(headers, receive))
        latency_cap = headers.get("x-latency-cap-ms", "").strip()
        if latency_cap and "latency_cap_ms" not in body:
            if not latency_cap.isdigit():
                raise InvalidRequestError(
                    "Header X-Latency-Cap-Ms must be a whole number.", param="X-Latency-Cap-Ms"
                )
            body["latency_cap_ms"] = int(latency_cap)
        return parse_chat_request(
            body,
            task_header=headers.get("x-task") or None,
            complexity_header=headers.get("x-complexity") or None,
        )


def _install_error_handlers(app: FastAPI) -> None:
    async def router_error(request: Request, error: Exception) -> Response:
        assert isinstance(error, RouterError)
        return _error_response(error)

    async def http_error(request: Request, error: Exception) -> Response:
        assert isinstance(error, StarletteHTTPException)
        if error.status_code == 404:
            return _error_response(
                NotFoundError(f"Unknown path {request.url.path}.", code="not_found")
            )
        if error.status_code == 405:
            return _error_response(
                MethodNotAllowedError(f"{request.method} is not allowed on {request.url.path}.")
            )
        return _error_response(InvalidRequestError(str(error.detail), code="http_error"))

    async def validation_error(request: Request, error: Exception) -> Response:
        return _error_response(InvalidRequestError(f"Invalid request: {error}"))

    app.add_exception_handler(RouterError, router_error)
    app.add_exception_handler(StarletteHTTPException, http_error)
    app.add_exception_handler(RequestValidationError, validation_error)


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or Settings.from_env()
    engine = RouterEngine(settings)
    reader = RequestReader(settings)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        yield
        await engine.aclose()

    app = RouterApp(
        title="Huntaze AI router",
        version="1.0.0",
        lifespan=lifespan,
        docs_url="/docs",
        openapi_url="/openapi.json",
        # Prometheus serves the metrics; FastAPI's OpenTelemetry checks cost time per request.
        telemetry={"tracing": False, "metrics": False, "logs": False},
    )
    app.state.engine = engine
    _install_error_handlers(app)

    @app.get("/health")
    async def health() -> Response:
        return _json_response({"status": "ok"})

    @app.get("/health/ready")
    async def ready() -> Response:
        return _json_response(await engine.readiness())

    @app.get("/metrics")
    async def metrics() -> Response:
        return Response(content=engine.metrics.render(), media_type=CONTENT_TYPE_LATEST)

    def model_entry(name: str) -> dict[str, Any]:
        alias = engine.policy.aliases[name]
        return {
            "id": alias.name,
            "object": "model",
            "created": MODELS_CREATED_S,
            "owned_by": "huntaze-ai-router",
            "description": alias.description,
            "task": alias.task,
        }

    @app.get("/v1/models")
    async def list_models(request: Request) -> Response:
        reader.authenticate(request.headers)
        data = [model_entry(name) for name in engine.policy.aliases]
        return _json_response({"object": "list", "data": data})

    @app.get("/v1/models/{model:path}")
    async def get_model(model: str, request: Request) -> Response:
        reader.authenticate(request.headers)
        engine.router.alias(model)
        return _json_response(model_entry(model))

    async def chat_completions(scope: Scope, receive: Receive, send: Send) -> None:
        headers = _scope_headers(scope)
        try:
            reader.authenticate(headers)
            chat_request = await reader.chat_request(headers, receive)
            caller = reader.caller(headers)
            if not chat_request.is_stream:
                body, usage = await engine.complete(chat_request, caller)
                await _send_json(send, body, headers=usage.headers())
                return
            stream_headers, events = await engine.stream(chat_request, caller)
        except ClientDisconnected:
            return
        except RouterError as error:
            await _send_json(
                send, error.to_body(), status_code=error.status_code, headers=error.headers
            )
            return
        except Exception:
            logger.exception("chat completion failed")
            failure = InternalRouterError("The router failed to handle this request.")
            await _send_json(send, failure.to_body(), status_code=failure.status_code)
            return
        response = StreamingResponse(
            events,
            media_type="text/event-stream",
            headers={**stream_headers, "cache-control": "no-cache"},
        )
        await response(scope, receive, send)

    async def route(scope: Scope, receive: Receive, send: Send) -> None:
        headers = _scope_headers(scope)
        try:
            reader.authenticate(headers)
            chat_request = await reader.chat_request(headers, receive)
            caller = reader.caller(headers)
            decision, budget = await engine.decide(chat_request, caller)
            body = {
                "object": "router.decision",
                **decision.to_dict(),
                "budget": budget.to_dict() if budget else None,
            }
        except ClientDisconnected:
            return
        except RouterError as error:
            await _send_json(
                send, error.to_body(), status_code=error.status_code, headers=error.headers
            )
            return
        except Exception:
            logger.exception("route dry run failed")
            failure = InternalRouterError("The router failed to handle this request.")
            await _send_json(send, failure.to_body(), status_code=failure.status_code)
            return
        await _send_json(send, body, headers={"x-request-id": caller.request_id})

    async def method_not_allowed(request: Request) -> Response:
        raise StarletteHTTPException(status_code=405)

    # Registered for other methods (405) and the schema; POST never reaches them.
    app.hot_routes = {"/v1/chat/completions": chat_completions, "/v1/route": route}
    for path in app.hot_routes:
        app.add_route(path, method_not_allowed, methods=["POST"])
    return app

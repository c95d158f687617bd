"""Request id and access logs, security headers (the seed's Lambda@Edge), request metrics."""

from __future__ import annotations

import re
import time
import uuid
from collections.abc import Callable

import structlog
from django.http import HttpRequest, HttpResponse, JsonResponse

from huntaze.core.metrics import HTTP_LATENCY, HTTP_REQUESTS

_REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")
_log = structlog.get_logger("huntaze.http")

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self' 'unsafe-eval'",  # Alpine.js evaluates its attribute expressions
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data: blob:",
        "media-src 'self' blob:",
        "connect-src 'self' ws: wss:",
        "font-src 'self'",
        "frame-ancestors 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "object-src 'none'",
    ]
)


class RequestIdMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        incoming = request.headers.get("X-Request-Id", "")
        request_id = incoming if _REQUEST_ID.match(incoming) else uuid.uuid4().hex
        request.request_id = request_id  # type: ignore[attr-defined]
        structlog.contextvars.clear_contextvars()
        structlog.contextvars.bind_contextvars(request_id=request_id)
        started = time.perf_counter()
        response = self.get_response(request)
        response["X-Request-Id"] = request_id
        if not request.path.startswith(("/static/", "/health")):
            _log.info(
                "request",
                method=request.method,
                path=request.path,
                status=response.status_code,
                duration_ms=round((time.perf_counter() - started) * 1000, 2),
                user_id=getattr(getattr(request, "user", None), "id", None),
            )
        return response


class SecurityHeadersMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        response.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
        return response


_API_ERROR_CODES = {
    400: ("bad_request", "The request could not be read."),
    401: ("not_authenticated", "Sign in or send a valid API key."),
    403: ("permission_denied", "You may not do this."),
    404: ("not_found", "Not found."),
    405: ("method_not_allowed", "This method is not allowed here."),
    500: ("server_error", "Something went wrong on our side."),
}


class ApiErrorMiddleware:
    """Under /api/, an error answered outside the API's own handlers (an unknown path, a
    method the route does not have) is still JSON {code, message, field_errors}."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if (
            response.status_code < 400
            or not request.path.startswith("/api/")
            or response.get("Content-Type", "").startswith("application/json")
        ):
            return response
        code, message = _API_ERROR_CODES.get(response.status_code, ("error", "The request failed."))
        replacement = JsonResponse(
            {"code": code, "message": message, "field_errors": {}}, status=response.status_code
        )
        for header, value in response.items():  # Allow, X-Frame-Options, cookies' Vary...
            if header.lower() not in ("content-type", "content-length"):
                replacement[header] = value
        replacement.cookies = response.cookies
        return replacement


class MetricsMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        started = time.perf_counter()
        response = self.get_response(request)
        match = getattr(request, "resolver_match", None)
        route = match.route if match is not None else "unmatched"
        HTTP_REQUESTS.labels(request.method, route, str(response.status_code)).inc()
        HTTP_LATENCY.labels(request.method, route).observe(time.perf_counter() - started)
        return response

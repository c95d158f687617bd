"""Errors the router returns, each mapped once to an OpenAI-style error body and status code.

OpenAI clients expect ``{"error": {"message", "type", "param", "code"}}``; every failure the
router reports goes through :class:`RouterError` so no request ever ends in a bare 500.
"""

from __future__ import annotations

from typing import Any


class RouterError(Exception):
    """Base class: an error with an HTTP status and the OpenAI error fields."""

    status_code: int = 500
    error_type: str = "api_error"
    default_code: str | None = None

    def __init__(
        self,
        message: str,
        *,
        param: str | None = None,
        code: str | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.param = param
        self.code = code if code is not None else self.default_code
        self.headers = headers or {}

    def to_body(self) -> dict[str, Any]:
        return {
            "error": {
                "message": self.message,
                "type": self.error_type,
                "param": self.param,
                "code": self.code,
            }
        }


class InvalidRequestError(RouterError):
    status_code = 400
    error_type = "invalid_request_error"


class ContextLengthExceededError(InvalidRequestError):
    default_code = "context_length_exceeded"


class RequestTooLargeError(RouterError):
    status_code = 413
    error_type = "invalid_request_error"
    default_code = "request_too_large"


class AuthenticationError(RouterError):
    status_code = 401
    error_type = "invalid_request_error"
    default_code = "invalid_api_key"


class NotFoundError(RouterError):
    status_code = 404
    error_type = "invalid_request_error"


class ModelNotFoundError(NotFoundError):
    default_code = "model_not_found"


class MethodNotAllowedError(RouterError):
    status_code = 405
    error_type = "invalid_request_error"
    default_code = "method_not_allowed"


class BudgetExceededError(RouterError):
    """The tenant's monthly budget is spent: 402 so OpenAI clients do not retry it."""

    status_code = 402
    error_type = "insufficient_quota"
    default_code = "budget_exceeded"


class UpstreamInvalidRequestError(InvalidRequestError):
    """A provider rejected the request itself (400/422): the caller must change it."""

    default_code = "upstream_invalid_request"


class UpstreamUnavailableError(RouterError):
    """Every deployment on the route failed or was skipped."""

    status_code = 503
    error_type = "api_error"
    default_code = "upstream_unavailable"


class InternalRouterError(RouterError):
    status_code = 500
    error_type = "api_error"
    default_code = "internal_error"

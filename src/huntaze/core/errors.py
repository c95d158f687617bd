"""One error hierarchy, mapped once to HTTP status codes and to page messages."""

from __future__ import annotations


class DomainError(Exception):
    status_code = 400
    code = "error"

    def __init__(self, message: str, *, field_errors: dict[str, list[str]] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field_errors = field_errors or {}

    def as_payload(self) -> dict[str, object]:
        return {"code": self.code, "message": self.message, "field_errors": self.field_errors}


class ValidationFailed(DomainError):
    status_code = 422
    code = "validation_error"

    @classmethod
    def on_field(cls, field: str, message: str) -> ValidationFailed:
        return cls(message, field_errors={field: [message]})


class NotFound(DomainError):
    status_code = 404
    code = "not_found"


class PermissionDenied(DomainError):
    status_code = 403
    code = "permission_denied"


class NotAuthenticated(DomainError):
    status_code = 401
    code = "not_authenticated"


class Conflict(DomainError):
    status_code = 409
    code = "conflict"


class RateLimited(DomainError):
    status_code = 429
    code = "rate_limited"

    def __init__(self, message: str, *, retry_after_s: int = 60) -> None:
        super().__init__(message)
        self.retry_after_s = retry_after_s


class UpstreamUnavailable(DomainError):
    status_code = 503
    code = "upstream_unavailable"

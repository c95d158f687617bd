"""The JSON API: django-ninja, versioned under /api/v1, OpenAPI at /api/openapi.json and docs
at /api/docs. Errors are JSON of one shape: {code, message, field_errors}."""

from __future__ import annotations

import structlog
from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError

from huntaze.core.errors import DomainError, RateLimited
from huntaze.core.tenancy import TenantScopeError
from huntaze.web.api_auth import api_auth

_log = structlog.get_logger("huntaze.api")

api = NinjaAPI(
    title="Huntaze API",
    version="1",
    description="The creator's workspace: fans, inbox, commerce, content and analytics.",
    auth=api_auth,
    urls_namespace="api",
    openapi_url="/openapi.json",
    docs_url="/docs",
)


def _error(
    request: HttpRequest,
    status: int,
    code: str,
    message: str,
    field_errors: dict[str, list[str]] | None = None,
) -> HttpResponse:
    return api.create_response(
        request,
        {"code": code, "message": message, "field_errors": field_errors or {}},
        status=status,
    )


@api.exception_handler(DomainError)
def _domain_error(request: HttpRequest, error: DomainError) -> HttpResponse:
    response = _error(request, error.status_code, error.code, error.message, error.field_errors)
    if isinstance(error, RateLimited):
        response["Retry-After"] = str(error.retry_after_s)
    return response


@api.exception_handler(NinjaValidationError)
def _validation_error(request: HttpRequest, error: NinjaValidationError) -> HttpResponse:
    field_errors: dict[str, list[str]] = {}
    for item in error.errors:
        location = [
            str(part)
            for part in item.get("loc", ())
            if part not in ("body", "query", "path", "payload", "form")
        ]
        field = ".".join(location) or "__all__"
        field_errors.setdefault(field, []).append(str(item.get("msg", "Invalid value.")))
    return _error(request, 422, "validation_error", "Some fields are not valid.", field_errors)


@api.exception_handler(AuthenticationError)
def _auth_error(request: HttpRequest, error: AuthenticationError) -> HttpResponse:
    return _error(request, 401, "not_authenticated", "Sign in or send a valid API key.")


@api.exception_handler(Http404)
def _not_found(request: HttpRequest, error: Http404) -> HttpResponse:
    return _error(request, 404, "not_found", "Not found.")


_HTTP_ERROR_CODES = {
    400: "bad_request",
    401: "not_authenticated",
    403: "permission_denied",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    429: "rate_limited",
}


@api.exception_handler(HttpError)
def _http_error(request: HttpRequest, error: HttpError) -> HttpResponse:
    code = _HTTP_ERROR_CODES.get(error.status_code, "http_error")
    return _error(request, error.status_code, code, str(error))


@api.exception_handler(Exception)
def _server_error(request: HttpRequest, error: Exception) -> HttpResponse:
    """A bug: logged with its traceback, answered as JSON like every other API error."""
    _log.exception("api.unhandled_error", path=request.path, method=request.method)
    return _error(request, 500, "server_error", "Something went wrong on our side.")


@api.exception_handler(TenantScopeError)
def _scope_error(request: HttpRequest, error: TenantScopeError) -> HttpResponse:
    return _error(request, 404, "not_found", "Not found.")


def _register_routers() -> None:
    from huntaze.accounts.api import router as accounts_router
    from huntaze.analytics.api import router as analytics_router
    from huntaze.commerce.api import router as commerce_router
    from huntaze.commerce.api_ppv import router as ppv_router
    from huntaze.fans.api import router as fans_router
    from huntaze.inbox.api import router as inbox_router
    from huntaze.inbox.api_ai import router as inbox_ai_router
    from huntaze.inbox.api_composer import router as inbox_composer_router
    from huntaze.inbox.api_team import router as inbox_team_router
    from huntaze.web.api_cron import router as cron_router

    api.add_router("/v1/", accounts_router)
    api.add_router("/v1/fans", fans_router)
    api.add_router("/v1/", inbox_router)
    api.add_router("/v1/", commerce_router)
    api.add_router("/v1/", ppv_router)
    api.add_router("/v1/", inbox_team_router)
    api.add_router("/v1/", inbox_composer_router)
    api.add_router("/v1/", inbox_ai_router)
    api.add_router("/v1/analytics", analytics_router)
    api.add_router("/cron/", cron_router)


_register_routers()

"""Operations: liveness, readiness (database, cache, broker) and Prometheus metrics."""

from __future__ import annotations

import hmac

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.http import require_GET
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest


@require_GET
def health(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"status": "ok"})


def _check_database() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return "ok"


def _check_cache() -> str:
    cache.set("health:probe", "1", timeout=5)
    return "ok" if cache.get("health:probe") == "1" or not settings.ENABLE_CACHING else "miss"


def _check_broker() -> str:
    if settings.CELERY_TASK_ALWAYS_EAGER:
        return "in-process"
    from huntaze.config.celery import app

    with app.connection_for_write() as conn:
        conn.ensure_connection(max_retries=1, timeout=2)
    return "ok"


@require_GET
def health_ready(request: HttpRequest) -> JsonResponse:
    checks: dict[str, str] = {}
    healthy = True
    for name, check in (
        ("database", _check_database),
        ("cache", _check_cache),
        ("broker", _check_broker),
    ):
        try:
            checks[name] = check()
        except Exception as error:  # noqa: BLE001 - any failure means not ready
            checks[name] = f"error: {type(error).__name__}"
            healthy = False
        if checks[name] == "miss":
            healthy = False
    return JsonResponse(
        {"status": "ok" if healthy else "unavailable", "checks": checks},
        status=200 if healthy else 503,
    )


@require_GET
def metrics(request: HttpRequest) -> HttpResponse:
    """Not public: a bearer METRICS_TOKEN, or a staff session."""
    token = settings.METRICS_TOKEN
    header = request.headers.get("Authorization", "")
    allowed = bool(token) and hmac.compare_digest(header, f"Bearer {token}")
    user = getattr(request, "user", None)
    if not allowed and not (user is not None and user.is_authenticated and user.is_staff):
        return JsonResponse(
            {"code": "not_authenticated", "message": "Metrics need a token.", "field_errors": {}},
            status=401,
        )
    return HttpResponse(generate_latest(), content_type=CONTENT_TYPE_LATEST)

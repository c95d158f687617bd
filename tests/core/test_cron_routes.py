"""The cron jobs answer authenticated POST /api/cron/<job> routes."""

from huntaze.core.models import OutboxEvent
from huntaze.core.services import outbox_add


def test_cron_route_refuses_a_missing_or_wrong_secret(client, db):
    missing = client.post("/api/cron/outbox/dispatch")
    wrong = client.post("/api/cron/outbox/dispatch", HTTP_AUTHORIZATION="Bearer nope")

    assert missing.status_code == 401
    assert wrong.status_code == 401
    assert missing.json()["code"] == "not_authenticated"


def test_cron_route_runs_the_outbox_dispatch(client, creator_a):
    outbox_add(
        creator_id=creator_a.id,
        aggregate_type="fan",
        aggregate_id="1",
        event_type="nobody.listens",
        payload={},
    )

    response = client.post(
        "/api/cron/outbox/dispatch", HTTP_AUTHORIZATION="Bearer test-cron-secret"
    )

    assert response.status_code == 202
    assert response.json()["job"] == "outbox/dispatch"
    assert response.json()["state"] == "SUCCESS"
    assert OutboxEvent.objects.get().sent_at is not None


def test_unknown_cron_job_is_404(client, db):
    response = client.post("/api/cron/nothing/here", HTTP_AUTHORIZATION="Bearer test-cron-secret")

    assert response.status_code == 404
    assert response.json()["code"] == "not_found"

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


def test_every_cron_job_and_beat_entry_names_a_registered_task(db):
    from huntaze.config.celery import app
    from huntaze.web.api_cron import CRON_JOBS

    app.loader.import_default_modules()
    beat_tasks = {entry["task"] for entry in app.conf.beat_schedule.values()}

    assert set(CRON_JOBS.values()) <= set(app.tasks)
    assert beat_tasks <= set(app.tasks)
    assert beat_tasks == set(CRON_JOBS.values())  # each beat job can also be run by hand


def test_every_cron_job_runs_on_an_empty_workspace(client, creator_a):
    from huntaze.web.api_cron import CRON_JOBS

    for job in CRON_JOBS:
        response = client.post(f"/api/cron/{job}", HTTP_AUTHORIZATION="Bearer test-cron-secret")
        assert response.status_code == 202, job
        assert response.json()["state"] == "SUCCESS", job

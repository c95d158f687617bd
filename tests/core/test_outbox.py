"""The transactional outbox delivers each event once to its handlers, and retries failures."""

import pytest

from huntaze.core import outbox
from huntaze.core.models import OutboxEvent
from huntaze.core.services import outbox_add


@pytest.fixture
def handlers(monkeypatch):
    registry: dict = {}
    monkeypatch.setattr(outbox, "_handlers", registry)
    return registry


def test_dispatch_delivers_pending_events_once(creator_a, handlers):
    seen = []
    outbox.register_handler("fan.created", lambda event: seen.append(event.payload["fan_id"]))
    outbox_add(
        creator_id=creator_a.id,
        aggregate_type="fan",
        aggregate_id="7",
        event_type="fan.created",
        payload={"fan_id": 7},
    )

    first = outbox.outbox_dispatch()
    second = outbox.outbox_dispatch()

    assert first == {"delivered": 1, "failed": 0}
    assert second == {"delivered": 0, "failed": 0}
    assert seen == [7]
    assert OutboxEvent.objects.get().sent_at is not None


def test_a_failing_handler_leaves_the_event_for_a_retry(creator_a, handlers):
    def broken(event):
        raise RuntimeError("downstream down")

    outbox.register_handler("fan.created", broken)
    outbox_add(
        creator_id=creator_a.id,
        aggregate_type="fan",
        aggregate_id="7",
        event_type="fan.created",
        payload={},
    )

    result = outbox.outbox_dispatch()

    event = OutboxEvent.objects.get()
    assert result == {"delivered": 0, "failed": 1}
    assert event.sent_at is None
    assert event.attempts == 1

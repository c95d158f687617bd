"""The analytics cache: entries per creator and data version; a rollup write of a creator makes
its cached pages stale (and only its), hits and misses are counted."""

from __future__ import annotations

from datetime import UTC, timedelta

from django.utils import timezone

from huntaze.analytics.cache import ANALYTICS_CACHE, cached, creator_version
from huntaze.analytics.models import DailyRevenue
from huntaze.analytics.services import rollup_record_transaction
from huntaze.analytics.services_rollups import funnel_event_record


def counter(page: str, result: str) -> float:
    return ANALYTICS_CACHE.labels(page=page, result=result)._value.get()


def test_a_second_lookup_is_a_hit_and_both_are_counted(creator_a):
    calls = []
    hits, misses = counter("t1", "hit"), counter("t1", "miss")

    def compute():
        calls.append(1)
        return {"n": len(calls)}

    first = cached(page="t1", creator_id=creator_a.id, parts=("x",), compute=compute)
    second = cached(page="t1", creator_id=creator_a.id, parts=("x",), compute=compute)
    assert (first, second) == (({"n": 1}, False), ({"n": 1}, True))
    assert counter("t1", "hit") - hits == 1
    assert counter("t1", "miss") - misses == 1


def test_a_rollup_write_invalidates_its_creator_only_after_commit(
    creator_a, creator_b, django_capture_on_commit_callbacks
):
    version_a, version_b = creator_version(creator_a.id), creator_version(creator_b.id)
    with django_capture_on_commit_callbacks(execute=True):
        rollup_record_transaction(
            creator_id=creator_a.id, occurred_at=timezone.now(), platform="onlyfans",
            transaction_type="tip", amount_cents=500,
        )  # fmt: skip
        assert creator_version(creator_a.id) == version_a  # not before the commit
    assert creator_version(creator_a.id) == version_a + 1
    assert creator_version(creator_b.id) == version_b


def test_a_tracked_event_invalidates_too(creator_a, django_capture_on_commit_callbacks):
    version = creator_version(creator_a.id)
    with django_capture_on_commit_callbacks(execute=True):
        funnel_event_record(
            creator_id=creator_a.id, stage="follow", platform="x", occurred_at=timezone.now()
        )
    assert creator_version(creator_a.id) == version + 1


def test_the_page_shows_a_new_sale_after_the_write(
    client_a, creator_a, django_capture_on_commit_callbacks
):
    day = timezone.now().astimezone(UTC).date()
    DailyRevenue.objects.create(
        creator=creator_a, day=day - timedelta(days=1), platform="onlyfans", revenue_type="tip",
        amount_cents=1_000, transactions_count=1,
    )  # fmt: skip
    assert client_a.get("/analytics/revenue").context["view"].figures[0].value == "$10.00"
    assert client_a.get("/analytics/revenue")["X-Analytics-Cache"] == "hit"
    with django_capture_on_commit_callbacks(execute=True):
        rollup_record_transaction(
            creator_id=creator_a.id, occurred_at=timezone.now(), platform="onlyfans",
            transaction_type="ppv", amount_cents=2_500,
        )  # fmt: skip
    response = client_a.get("/analytics/revenue")
    assert response["X-Analytics-Cache"] == "miss"
    assert response.context["view"].figures[0].value == "$35.00"

"""The PPV page: figures, list, and the create form, refused whole on bad input."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from huntaze.commerce.models import PPVItem
from huntaze.inbox.models import Message
from tests.factories import FanFactory, MediaAssetFactory, PPVItemFactory

pytestmark = pytest.mark.django_db


def test_the_page_lists_ppvs_with_their_figures(client_a, creator_a, creator_b):
    PPVItemFactory(
        creator=creator_a, title="Shower set", sent_count=20, purchased_count=5, revenue_cents=7500
    )
    PPVItemFactory(creator=creator_b, title="Secret of B")
    response = client_a.get("/onlyfans/ppv")
    assert response.status_code == 200
    page = response.content.decode()
    assert "Shower set" in page
    assert "Secret of B" not in page
    assert "25%" in page  # buy rate
    assert 'id="ppv-chart"' in page


def test_the_empty_page_says_what_to_do(client_a):
    page = client_a.get("/onlyfans/ppv").content.decode()
    assert "No PPV yet" in page
    assert "Price suggestion" in page or "Suggested price" in page


def test_the_form_creates_and_sends_a_ppv(client_a, creator_a, django_capture_on_commit_callbacks):
    media = MediaAssetFactory(creator=creator_a)
    fans = [FanFactory(creator=creator_a) for _ in range(2)]
    with django_capture_on_commit_callbacks(execute=True):
        response = client_a.post(
            "/onlyfans/ppv",
            {
                "title": "Gym",
                "caption": "New set",
                "price": "12.50",
                "media_ids": [media.id],
                "audience": "fans",
                "fan_ids": [fan.id for fan in fans],
                "when": "now",
                "skip_already_sent": "on",
            },
        )
    assert response.status_code == 302
    item = PPVItem.objects.for_creator(creator_a.id).get()
    assert (item.price_cents, item.sent_count, item.status) == (1250, 2, "completed")
    assert Message.objects.for_creator(creator_a.id).filter(price_cents=1250).count() == 2


def test_the_form_schedules_in_the_given_zone(client_a, creator_a):
    media = MediaAssetFactory(creator=creator_a)
    fan = FanFactory(creator=creator_a)
    when = (timezone.now() + timedelta(days=1)).replace(microsecond=0)
    response = client_a.post(
        "/onlyfans/ppv",
        {
            "title": "Later",
            "price": "5",
            "media_ids": [media.id],
            "audience": "fans",
            "fan_ids": [fan.id],
            "when": "later",
            "scheduled_at_iso": when.isoformat(),
        },
    )
    assert response.status_code == 302
    item = PPVItem.objects.for_creator(creator_a.id).get()
    assert (item.status, item.scheduled_at) == ("scheduled", when)
    assert Message.objects.for_creator(creator_a.id).count() == 0


@pytest.mark.parametrize(
    ("price", "field"), [("2.99", "price_cents"), ("201", "price_cents"), ("abc", "price_cents")]
)
def test_a_bad_price_is_refused_with_its_field(client_a, creator_a, price, field):
    media = MediaAssetFactory(creator=creator_a)
    fan = FanFactory(creator=creator_a)
    response = client_a.post(
        "/onlyfans/ppv",
        {"title": "X", "price": price, "media_ids": [media.id], "fan_ids": [fan.id]},
    )
    assert response.status_code == 422
    assert 'id="ppv-price-error"' in response.content.decode()
    assert PPVItem.objects.for_creator(creator_a.id).count() == 0


def test_b_cannot_cancel_a_ppv_of_a(creator_a, creator_b, owner_b, signed_in):
    item = PPVItemFactory(
        creator=creator_a, status="scheduled", scheduled_at=timezone.now() + timedelta(hours=1)
    )
    response = signed_in(owner_b, creator_b).post(f"/onlyfans/ppv/{item.id}/cancel")
    assert response.status_code == 404
    item.refresh_from_db()
    assert item.status == "scheduled"


def test_an_analyst_sees_the_page_without_the_form(creator_a, member_of, signed_in):
    analyst = member_of(creator_a, "analyst")
    client = signed_in(analyst, creator_a)
    page = client.get("/onlyfans/ppv").content.decode()
    assert "Create a PPV" not in page
    refused = client.post("/onlyfans/ppv", {"title": "x"})
    assert refused.status_code == 403

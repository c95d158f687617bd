"""The PPV page and API for a chatter whose creator limits chatters to their assigned fans: the
fan picker lists only their assigned fans, each segment counts only those, a chosen fan not
assigned to them is refused like another creator's with nothing written, and their PPV to a
segment reaches only the segment's fans assigned to them. Managers see and reach every fan."""

from __future__ import annotations

import pytest

from huntaze.commerce.models import PPVItem
from huntaze.fans.models import Segment
from huntaze.inbox.models import Message
from tests.factories import ConversationFactory, FanFactory, MediaAssetFactory

pytestmark = pytest.mark.django_db

VIP_RULES = {"match": "all", "conditions": [{"field": "tags", "op": "has", "value": "vip"}]}


@pytest.fixture
def mine(creator_a, chatter):
    fan = FanFactory(creator=creator_a, username="minefan", tags=["vip"])
    ConversationFactory(creator=creator_a, fan=fan, assigned_to=chatter)
    return fan


@pytest.fixture
def others(creator_a, owner_a):
    """A VIP fan whose conversation is the owner's, and a VIP fan without a conversation."""
    assigned = FanFactory(creator=creator_a, username="otherfan", tags=["vip"])
    ConversationFactory(creator=creator_a, fan=assigned, assigned_to=owner_a)
    loose = FanFactory(creator=creator_a, username="loosefan", tags=["vip"])
    return [assigned, loose]


@pytest.fixture
def segment(creator_a, mine, others):
    return Segment.all_creators.create(creator=creator_a, name="VIP", rules=VIP_RULES, fan_count=3)


@pytest.fixture
def media(creator_a):
    return MediaAssetFactory(creator=creator_a)


def _form(media, **audience):
    return {"title": "Gym", "price": "12.50", "media_ids": [media.id], "when": "now", **audience}


def test_the_pickers_show_a_limited_chatter_only_their_fans(
    signed_in, creator_a, chatter, limited, mine, others, segment
):
    # Given a limited chatter, one fan assigned to them and two that are not, a VIP segment of 3
    client = signed_in(chatter, creator_a)

    # When they open the PPV page
    response = client.get("/onlyfans/ppv")

    # Then the fan picker offers only their fan, and the segment counts only that fan
    assert response.status_code == 200
    assert [fan.id for fan in response.context["fans"]] == [mine.id]
    assert [(s.id, s.fan_count) for s in response.context["segments"]] == [(segment.id, 1)]
    html = response.content.decode()
    assert f'value="{mine.id}"' in html
    assert "@otherfan" not in html
    assert "@loosefan" not in html
    assert "VIP (1)</option>" in html


def test_a_manager_sees_every_fan_and_the_stored_count(
    signed_in, member_of, creator_a, limited, mine, others, segment
):
    # Given a manager of a creator who limits chatters
    client = signed_in(member_of(creator_a, "manager"), creator_a)

    # When they open the PPV page
    response = client.get("/onlyfans/ppv")

    # Then every fan is offered, and the segment shows its stored count
    assert {fan.id for fan in response.context["fans"]} == {mine.id, *(f.id for f in others)}
    assert [(s.id, s.fan_count) for s in response.context["segments"]] == [(segment.id, 3)]


def test_an_unassigned_fan_is_refused_by_the_form_with_nothing_written(
    signed_in, creator_a, chatter, limited, mine, others, media
):
    # Given a limited chatter
    client = signed_in(chatter, creator_a)
    other = others[0]

    # When they post a PPV to their fan and a fan not assigned to them
    response = client.post(
        "/onlyfans/ppv", _form(media, audience="fans", fan_ids=[mine.id, other.id])
    )

    # Then the form is refused on the fan field, naming the fan, and nothing is stored or sent
    assert response.status_code == 422
    assert response.context["errors"] == {"fan_ids": [f"Not your fans: {other.id}."]}
    assert PPVItem.all_creators.count() == 0
    assert Message.all_creators.count() == 0


def test_an_unassigned_fan_is_refused_by_the_api_like_another_creators(
    signed_in, creator_a, creator_b, chatter, limited, mine, others, media
):
    # Given a limited chatter
    client = signed_in(chatter, creator_a)
    foreign = FanFactory(creator=creator_b)

    # When they create a PPV through the API for an unassigned fan, then for another creator's
    answers = [
        client.post(
            "/api/v1/ppv",
            {"title": "Gym", "price_cents": 1250, "media_ids": [media.id], "fan_ids": [fan_id]},
            content_type="application/json",
        )
        for fan_id in (others[1].id, foreign.id)
    ]

    # Then both are refused alike on `fan_ids`, and nothing is written
    assert [(a.status_code, list(a.json()["field_errors"])) for a in answers] == [
        (422, ["fan_ids"]),
        (422, ["fan_ids"]),
    ]
    assert PPVItem.all_creators.count() == 0
    assert Message.all_creators.count() == 0


@pytest.mark.parametrize(
    ("role", "reached_usernames"),
    [
        ("chatter", ["minefan"]),  # limited: only the segment's fan assigned to them
        ("manager", ["loosefan", "minefan", "otherfan"]),  # every fan of the segment
    ],
)
def test_a_ppv_to_a_segment_reaches_the_fans_its_sender_sees(
    signed_in,
    member_of,
    creator_a,
    chatter,
    limited,
    segment,
    media,
    django_capture_on_commit_callbacks,
    role,
    reached_usernames,
):
    # Given a creator who limits chatters, a VIP segment of 3 fans (one assigned to the
    # chatter), and a chatter or a manager
    sender = chatter if role == "chatter" else member_of(creator_a, "manager")
    client = signed_in(sender, creator_a)

    # When they send a PPV to the segment
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/onlyfans/ppv", _form(media, audience="segment", segment_id=segment.id)
        )

    # Then the fans they may see receive it, and the PPV counts exactly those
    assert response.status_code == 302
    item = PPVItem.objects.for_creator(creator_a.id).get()
    count = len(reached_usernames)
    assert (item.audience, item.target_count, item.sent_count) == ("segment", count, count)
    reached = Message.objects.for_creator(creator_a.id).values_list("fan__username", flat=True)
    assert sorted(reached) == reached_usernames


@pytest.fixture
def ppvs(creator_a, chatter, owner_a, mine, others):
    """One PPV that reached the chatter's fan, one the chatter made, one only others saw."""
    from django.utils import timezone

    from huntaze.commerce.models import PPVDelivery
    from tests.factories import PPVItemFactory

    reached = PPVItemFactory(creator=creator_a, title="Reached mine", created_by=owner_a)
    made = PPVItemFactory(
        creator=creator_a, title="Made by me", created_by=chatter, status="scheduled"
    )
    hidden = PPVItemFactory(
        creator=creator_a,
        title="Others only",
        created_by=owner_a,
        status="scheduled",
        sent_count=10,
        revenue_cents=9000,
    )
    now = timezone.now()
    for item, fan in ((reached, mine), (hidden, others[0]), (hidden, others[1])):
        PPVDelivery.all_creators.create(creator=creator_a, ppv_item=item, fan=fan, sent_at=now)
    return {"reached": reached, "made": made, "hidden": hidden}


def test_a_limited_chatter_sees_only_the_ppvs_of_their_fans_or_their_own(
    signed_in, creator_a, chatter, limited, ppvs
):
    client = signed_in(chatter, creator_a)
    page = client.get("/onlyfans/ppv").content.decode()
    listed = client.get("/api/v1/ppv").json()

    assert "Reached mine" in page
    assert "Made by me" in page
    assert "Others only" not in page
    assert {item["title"] for item in listed["items"]} == {"Reached mine", "Made by me"}
    assert listed["totals"]["count"] == 2
    assert listed["totals"]["revenue_cents"] == 0
    assert client.get(f"/api/v1/ppv/{ppvs['hidden'].id}").status_code == 404


def test_a_limited_chatter_cannot_cancel_a_ppv_they_cannot_see(
    signed_in, creator_a, chatter, limited, ppvs
):
    client = signed_in(chatter, creator_a)
    hidden = client.post(f"/api/v1/ppv/{ppvs['hidden'].id}/cancel")
    own = client.post(f"/api/v1/ppv/{ppvs['made'].id}/cancel")

    assert hidden.status_code == 404
    assert PPVItem.all_creators.get(id=ppvs["hidden"].id).status == "scheduled"
    assert own.status_code == 200
    assert PPVItem.all_creators.get(id=ppvs["made"].id).status == "archived"


def test_a_manager_sees_every_ppv(signed_in, member_of, creator_a, limited, ppvs):
    client = signed_in(member_of(creator_a, "manager"), creator_a)
    listed = client.get("/api/v1/ppv").json()
    assert {item["title"] for item in listed["items"]} == {
        "Reached mine",
        "Made by me",
        "Others only",
    }
    assert listed["totals"]["revenue_cents"] == 9000

"""A PPV sent through an API key reaches the fans the key may see, not the fans its owner's
membership role may see: a manager's chatter-role key, for a creator who limits chatters to
their assigned fans, reaches only the fans of the conversations assigned to that manager, now
or when its scheduled time comes; the same manager's manager-role key reaches the whole
segment. At send time the narrower of the key's role and the author's role then applies."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from huntaze.accounts.services import api_key_create
from huntaze.commerce.models import PPVDelivery, PPVItem
from huntaze.commerce.services_ppv import ppv_sender
from huntaze.commerce.services_ppv_send import ppv_send_due
from huntaze.core.context import Actor
from huntaze.core.models import Membership
from huntaze.fans.models import Segment
from huntaze.inbox.models import Conversation, Message
from tests.factories import ConversationFactory, FanFactory, MediaAssetFactory, PPVItemFactory

pytestmark = pytest.mark.django_db

VIP_RULES = {"match": "all", "conditions": [{"field": "tags", "op": "has", "value": "vip"}]}
WHOLE_SEGMENT = ["loosefan", "minefan", "otherfan"]


@pytest.fixture
def manager(creator_a, member_of):
    return member_of(creator_a, "manager", "manager@example.com")


@pytest.fixture
def fans(creator_a, owner_a, manager):
    """Three VIP fans: one whose conversation is the manager's, one whose conversation is the
    owner's, one without a conversation."""
    mine = FanFactory(creator=creator_a, username="minefan", tags=["vip"])
    ConversationFactory(creator=creator_a, fan=mine, assigned_to=manager)
    other = FanFactory(creator=creator_a, username="otherfan", tags=["vip"])
    ConversationFactory(creator=creator_a, fan=other, assigned_to=owner_a)
    loose = FanFactory(creator=creator_a, username="loosefan", tags=["vip"])
    return {"mine": mine, "other": other, "loose": loose}


@pytest.fixture
def segment(creator_a, fans):
    return Segment.all_creators.create(creator=creator_a, name="VIP", rules=VIP_RULES, fan_count=3)


@pytest.fixture
def media(creator_a):
    return MediaAssetFactory(creator=creator_a)


@pytest.fixture
def key_client(creator_a, manager):
    """A client calling the API with a key of the manager's, of the given role."""

    def make(role: str) -> Client:
        actor = Actor(creator_id=creator_a.id, user_id=manager.id, role="manager")
        raw_key = api_key_create(actor=actor, name=f"{role} key", role=role).raw_key
        return Client(headers={"Authorization": f"Bearer {raw_key}"})

    return make


def _ppv(media, **audience) -> dict:
    return {"title": "Gym", "price_cents": 1250, "media_ids": [media.id], **audience}


def _set_role(creator, user, role: str | None) -> None:
    """Change (None: remove) a membership, through the model so its cached role is forgotten."""
    membership = Membership.objects.get(creator=creator, user=user)
    if role is None:
        membership.delete()
    else:
        membership.role = role
        membership.save(update_fields=["role"])


def _reached(creator_id: int) -> list[str]:
    deliveries = PPVDelivery.objects.for_creator(creator_id)
    return sorted(deliveries.values_list("fan__username", flat=True))


@pytest.mark.parametrize(
    ("key_role", "reached_usernames"),
    [
        ("chatter", ["minefan"]),  # limited: only the segment's fan assigned to the manager
        ("manager", WHOLE_SEGMENT),
    ],
)
def test_a_segment_ppv_sent_with_a_key_reaches_the_fans_the_key_may_see(
    creator_a,
    limited,
    manager,
    segment,
    media,
    key_client,
    django_capture_on_commit_callbacks,
    key_role,
    reached_usernames,
):
    # Given a creator who limits chatters, a VIP segment of 3 fans (one assigned to the
    # manager), and a key of the manager's with the role `key_role`
    client = key_client(key_role)

    # When the key sends a PPV to the segment through the API
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/api/v1/ppv", _ppv(media, segment_id=segment.id), content_type="application/json"
        )

    # Then exactly the fans the key may see get it, counted on the PPV, sent as the manager
    assert response.status_code == 201, response.content
    item = PPVItem.objects.for_creator(creator_a.id).get()
    count = len(reached_usernames)
    assert (item.audience, item.created_by_role) == ("segment", key_role)
    assert (item.status, item.target_count, item.sent_count) == ("completed", count, count)
    assert _reached(creator_a.id) == reached_usernames
    messages = Message.objects.for_creator(creator_a.id)
    assert sorted(messages.values_list("fan__username", flat=True)) == reached_usernames
    assert set(messages.values_list("sender_id", "ppv_item_id")) == {(manager.id, item.id)}


def test_a_chatter_keys_segment_ppv_writes_nothing_for_the_fans_it_may_not_see(
    creator_a, limited, segment, fans, media, key_client, django_capture_on_commit_callbacks
):
    # Given a limited creator and the manager's chatter-role key
    client = key_client("chatter")
    conversations_before = sorted(
        Conversation.objects.for_creator(creator_a.id).values_list("id", "fan_id")
    )

    # When the key sends a PPV to the VIP segment
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/api/v1/ppv", _ppv(media, segment_id=segment.id), content_type="application/json"
        )

    # Then the two fans not assigned to the manager get no delivery, no message, and no
    # conversation is opened for the fan who had none
    assert response.status_code == 201
    unseen = [fans["other"].id, fans["loose"].id]
    assert PPVDelivery.objects.for_creator(creator_a.id).filter(fan_id__in=unseen).count() == 0
    assert Message.objects.for_creator(creator_a.id).filter(fan_id__in=unseen).count() == 0
    conversations_after = sorted(
        Conversation.objects.for_creator(creator_a.id).values_list("id", "fan_id")
    )
    assert conversations_after == conversations_before


def test_a_chatter_key_cannot_choose_a_fan_not_assigned_to_its_owner(
    creator_a, limited, fans, media, key_client
):
    # Given a limited creator and the manager's chatter-role key
    client = key_client("chatter")

    # When the key chooses the manager's fan and the owner's fan
    response = client.post(
        "/api/v1/ppv",
        _ppv(media, fan_ids=[fans["mine"].id, fans["other"].id]),
        content_type="application/json",
    )

    # Then it is refused on `fan_ids`, naming the fan, and nothing is written or sent
    assert response.status_code == 422
    assert response.json()["field_errors"] == {"fan_ids": [f"Not your fans: {fans['other'].id}."]}
    assert PPVItem.all_creators.count() == 0
    assert PPVDelivery.all_creators.count() == 0
    assert Message.all_creators.count() == 0


def test_a_scheduled_segment_ppv_of_a_chatter_key_goes_out_with_the_keys_role(
    creator_a, limited, segment, media, key_client, django_capture_on_commit_callbacks
):
    # Given a PPV to the VIP segment scheduled by the manager's chatter-role key
    client = key_client("chatter")
    scheduled_at = timezone.now() + timedelta(hours=1)
    response = client.post(
        "/api/v1/ppv",
        _ppv(media, segment_id=segment.id, scheduled_at=scheduled_at.isoformat()),
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    assert PPVDelivery.all_creators.count() == 0

    # When its time comes and the beat job starts it
    with django_capture_on_commit_callbacks(execute=True):
        started = ppv_send_due(now=scheduled_at + timedelta(minutes=1))

    # Then it reaches only the manager's fan of the segment
    assert started == 1
    item = PPVItem.objects.for_creator(creator_a.id).get()
    assert (item.status, item.target_count, item.sent_count) == ("completed", 1, 1)
    assert _reached(creator_a.id) == ["minefan"]


def test_a_manager_keys_ppv_is_narrowed_when_its_author_is_now_a_chatter(
    creator_a, limited, manager, segment, media, key_client, django_capture_on_commit_callbacks
):
    # Given a PPV to the VIP segment scheduled by the manager's manager-role key
    client = key_client("manager")
    scheduled_at = timezone.now() + timedelta(hours=1)
    response = client.post(
        "/api/v1/ppv",
        _ppv(media, segment_id=segment.id, scheduled_at=scheduled_at.isoformat()),
        content_type="application/json",
    )
    assert response.status_code == 201, response.content

    # When the manager is made a chatter before it goes out
    _set_role(creator_a, manager, "chatter")
    with django_capture_on_commit_callbacks(execute=True):
        ppv_send_due(now=scheduled_at + timedelta(minutes=1))

    # Then it reaches only the fan assigned to them, as their role now allows
    assert _reached(creator_a.id) == ["minefan"]


@pytest.mark.parametrize(
    ("stored_role", "member_role", "sent_as"),
    [
        ("chatter", "manager", "chatter"),  # a lower key: the key's role
        ("manager", "chatter", "chatter"),  # the author was demoted: their role now
        ("manager", "owner", "manager"),
        ("chatter", "analyst", "chatter"),  # roles that only overlap: fail closed
        ("", "manager", "manager"),  # a PPV stored before the role was kept
        ("", None, "chatter"),  # an author who left the team
        ("manager", None, "chatter"),
    ],
)
def test_the_sender_of_a_ppv_has_the_narrower_of_its_stored_role_and_the_authors(
    creator_a, manager, stored_role, member_role, sent_as
):
    # Given a PPV stored with `stored_role`, whose author's membership is now `member_role`
    _set_role(creator_a, manager, member_role)
    item = PPVItemFactory(creator=creator_a, created_by=manager, created_by_role=stored_role)

    # When its sender is worked out
    sender = ppv_sender(item=item)

    # Then it acts for the creator as the author, with the narrower role
    assert sender == Actor(creator_id=creator_a.id, user_id=manager.id, role=sent_as)


@pytest.fixture
def manager_ppvs(creator_a, owner_a, manager, fans):
    """Scheduled PPVs the manager made as a manager, with a chatter key, and before the role
    was kept; and the owner's PPV that reached the manager's fan."""
    made_as_manager = PPVItemFactory(
        creator=creator_a,
        title="As manager",
        created_by=manager,
        created_by_role="manager",
        status="scheduled",
    )
    made_with_key = PPVItemFactory(
        creator=creator_a,
        title="With the key",
        created_by=manager,
        created_by_role="chatter",
        status="scheduled",
    )
    made_before = PPVItemFactory(
        creator=creator_a, title="Before", created_by=manager, status="scheduled"
    )
    reached = PPVItemFactory(
        creator=creator_a, title="Reached mine", created_by=owner_a, created_by_role="owner"
    )
    PPVDelivery.all_creators.create(
        creator=creator_a, ppv_item=reached, fan=fans["mine"], sent_at=timezone.now()
    )
    return {"manager": made_as_manager, "key": made_with_key, "before": made_before}


@pytest.mark.parametrize(
    ("key_role", "listed_titles"),
    [
        ("chatter", ["Reached mine", "With the key"]),
        ("manager", ["As manager", "Before", "Reached mine", "With the key"]),
    ],
)
def test_a_key_lists_the_ppvs_its_role_may_see(
    creator_a, limited, manager_ppvs, key_client, key_role, listed_titles
):
    # Given a limited creator, and PPVs the manager made with different roles
    client = key_client(key_role)

    # When a key of the manager's lists the PPVs
    listed = client.get("/api/v1/ppv").json()

    # Then a chatter key sees those made with a chatter's role or that reached its fans
    assert sorted(item["title"] for item in listed["items"]) == listed_titles
    assert listed["totals"]["count"] == len(listed_titles)


def test_a_chatter_key_cannot_cancel_its_owners_ppv_made_as_a_manager(
    creator_a, limited, manager_ppvs, key_client
):
    # Given a limited creator and the manager's chatter-role key
    client = key_client("chatter")

    # When the key cancels the manager's scheduled PPVs: made as a manager, before the role
    # was kept, and with the key itself
    answers = [
        client.post(f"/api/v1/ppv/{manager_ppvs[name].id}/cancel").status_code
        for name in ("manager", "before", "key")
    ]

    # Then only the key's own is cancelled; the others stay scheduled
    assert answers == [404, 404, 200]
    statuses = dict(PPVItem.objects.for_creator(creator_a.id).values_list("title", "status"))
    assert statuses == {
        "As manager": "scheduled",
        "Before": "scheduled",
        "With the key": "archived",
        "Reached mine": "completed",
    }

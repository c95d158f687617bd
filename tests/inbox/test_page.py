"""The OnlyFans Messages page: 3 columns, bounded queries, tenant- and role-checked, and the
fragments it loads."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from django.utils import timezone

from huntaze.inbox.models import Suggestion
from tests.factories import ConversationFactory, FanFactory, MessageFactory
from tests.helpers import thread_with_question

pytestmark = pytest.mark.django_db


@pytest.fixture
def fifty_conversations(creator_a):
    now = timezone.now()
    conversations = []
    for number in range(50):
        fan = FanFactory(
            creator=creator_a,
            display_name=f"Fan {number:02d}",
            total_spent_cents=number * 1000,
            subscription_state="active" if number % 2 else "expiring",
        )
        conversations.append(
            ConversationFactory(
                creator=creator_a,
                fan=fan,
                last_message_at=now - timedelta(minutes=number),
                last_message_preview=f"preview {number}",
                unread_count=number % 3,
            )
        )
    return conversations


def _config(response) -> dict:
    html = response.content.decode()
    start = html.index('id="inbox-config"')
    start = html.index(">", start) + 1
    return json.loads(html[start : html.index("</script>", start)])


def test_the_list_of_50_renders_in_bounded_queries(
    client_a, fifty_conversations, django_assert_max_num_queries
):
    with django_assert_max_num_queries(8):
        response = client_a.get("/onlyfans/messages")
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count('class="conversation-row') == 50
    # Newest first, with unread, spend and subscription badges
    assert html.index("Fan 00") < html.index("Fan 01") < html.index("Fan 49")
    assert "$49" in html
    assert "badge-sub-expiring" in html
    assert "badge-sub-active" in html
    assert html.count('class="badge badge-unread"') == sum(
        1 for c in fifty_conversations if c.unread_count
    )
    assert "<script>" not in html.replace('<script id="inbox-config"', "")


def test_an_open_conversation_renders_in_bounded_queries(
    client_a, creator_a, fifty_conversations, django_assert_max_num_queries
):
    conversation = fifty_conversations[3]
    thread_with_question(conversation)
    with django_assert_max_num_queries(10):
        response = client_a.get(f"/onlyfans/messages/{conversation.id}")
    html = response.content.decode()
    assert response.status_code == 200
    assert html.count('class="message message-') == 30  # the latest page
    assert "line 39" in html
    assert "line 10" not in html
    assert "Load older messages" in html
    assert "A suggested answer" in html
    assert 'id="composer"' in html
    assert "Fan since" in html
    assert conversation.fan.display_name in html
    config = _config(response)
    assert config["conversation_id"] == conversation.id
    assert config["can_message"] is True


def test_older_messages_page_backwards(client_a, creator_a):
    conversation = ConversationFactory(creator=creator_a)
    messages = [
        MessageFactory(
            conversation=conversation,
            text=f"msg {n}",
            sent_at=timezone.now() - timedelta(minutes=100 - n),
        )
        for n in range(45)
    ]
    page = client_a.get(f"/onlyfans/messages/{conversation.id}").content.decode()
    assert "msg 15" in page
    assert "msg 14" not in page
    older = client_a.get(
        f"/onlyfans/messages/{conversation.id}/older?before={messages[15].id}"
    ).content.decode()
    assert older.count('class="message ') == 15
    assert "msg 0" in older
    assert "msg 14" in older
    assert "msg 15" not in older
    assert "Load older messages" not in older


def test_search_and_unread_filter(client_a, fifty_conversations):
    rows = client_a.get("/onlyfans/messages/rows?q=Fan 1").content.decode()
    assert rows.count('class="conversation-row') == 10  # Fan 10..19
    unread = client_a.get("/onlyfans/messages/rows?unread=1").content.decode()
    assert unread.count('class="conversation-row') == sum(
        1 for c in fifty_conversations if c.unread_count
    )
    nothing = client_a.get("/onlyfans/messages/rows?q=nobody").content.decode()
    assert "No conversation matches." in nothing


def test_the_list_loads_more(client_a, creator_a, fifty_conversations):
    ConversationFactory(creator=creator_a, last_message_at=timezone.now() - timedelta(days=9))
    first = client_a.get("/onlyfans/messages").content.decode()
    assert "offset=50" in first
    more = client_a.get("/onlyfans/messages/rows?offset=50").content.decode()
    assert more.count('class="conversation-row') == 1
    assert "Load more" not in more


def test_another_creators_conversation_is_404(client_a, creator_b):
    conversation = ConversationFactory(creator=creator_b)
    assert client_a.get(f"/onlyfans/messages/{conversation.id}").status_code == 404
    assert client_a.get(f"/onlyfans/messages/{conversation.id}/row").status_code == 404
    assert client_a.get(f"/onlyfans/messages/{conversation.id}/older?before=1").status_code == 404


def test_an_analyst_reads_without_a_composer(creator_a, member_of, signed_in):
    conversation = ConversationFactory(creator=creator_a)
    client = signed_in(member_of(creator_a, "analyst"), creator_a)
    response = client.get(f"/onlyfans/messages/{conversation.id}")
    html = response.content.decode()
    assert response.status_code == 200
    assert 'id="composer"' not in html
    assert "can read conversations but not answer" in html
    assert _config(response)["can_message"] is False


def test_signed_out_goes_to_login(client):
    response = client.get("/onlyfans/messages")
    assert response.status_code == 302
    assert response["Location"].startswith("/login?next=")


def test_the_sidebar_links_to_messages(client_a):
    html = client_a.get("/home").content.decode()
    assert 'href="/onlyfans/messages"' in html


def test_the_pending_suggestions_read_off_the_latest_page_match_the_query(creator_a, owner_a):
    from huntaze.core.context import Actor
    from huntaze.inbox.selectors import message_page, suggestions_pending

    actor = Actor(creator_id=creator_a.id, user_id=owner_a.id, role="owner")
    conversation = ConversationFactory(creator=creator_a)
    asked = MessageFactory(conversation=conversation, direction="in", text="question")
    Suggestion.all_creators.create(
        creator=creator_a, message=asked, text="An answer", source="model", model="m1"
    )
    # a scheduled reply after it is not part of the thread yet
    MessageFactory(
        conversation=conversation,
        direction="out",
        status="scheduled",
        sent_at=timezone.now() + timedelta(hours=1),
    )
    for limit in (1, 30):  # a page of the scheduled message only, then the whole thread
        page = message_page(actor=actor, conversation_id=conversation.id, limit=limit)
        from_page = suggestions_pending(
            actor=actor, conversation_id=conversation.id, latest_page=page
        )
        queried = suggestions_pending(actor=actor, conversation_id=conversation.id)
        assert from_page.message_id == queried.message_id == asked.id
        assert [s.text for s in from_page.items] == [s.text for s in queried.items] == ["An answer"]

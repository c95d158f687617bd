"""Scripts: saved replies with a shortcode, variables, media and a price; one creator's own."""

from __future__ import annotations

import pytest

from huntaze.inbox.models import Script
from tests.factories import ConversationFactory, FanFactory, MediaAssetFactory, ScriptFactory

pytestmark = pytest.mark.django_db

URL = "/api/v1/inbox/scripts"


def _post(client, url=URL, **body):
    return client.post(url, data=body, content_type="application/json")


def _body(**extra):
    return {"shortcode": "hello", "title": "Hello", "text": "Hi {fan_name}!", **extra}


def test_a_script_is_saved_and_filled_for_a_fan(client_a, creator_a):
    photo = MediaAssetFactory(creator=creator_a)
    created = _post(client_a, **_body(media_ids=[photo.id], price_cents=800))
    assert created.status_code == 201
    fan = FanFactory(creator=creator_a, display_name="Maya")
    conversation = ConversationFactory(creator=creator_a, fan=fan)
    rendered = client_a.get(f"/api/v1/inbox/conversations/{conversation.id}/scripts").json()
    assert rendered == [
        {
            "id": created.json()["id"],
            "shortcode": "hello",
            "title": "Hello",
            "text": "Hi Maya!",
            "media_ids": [photo.id],
            "price_cents": 800,
        }
    ]


def test_creator_name_is_filled_too(client_a, creator_a):
    ScriptFactory(creator=creator_a, text="{creator_name} here, {fan_name}")
    fan = FanFactory(creator=creator_a, display_name="", username="leo")
    conversation = ConversationFactory(creator=creator_a, fan=fan)
    [script] = client_a.get(f"/api/v1/inbox/conversations/{conversation.id}/scripts").json()
    assert script["text"] == f"{creator_a.name} here, leo"


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"shortcode": "Bad Code"}, "shortcode"),
        ({"shortcode": ""}, "shortcode"),
        ({"title": ""}, "title"),
        ({"text": "Hi {fan}"}, "text"),
        ({"text": "  "}, "text"),
        ({"price_cents": 250, "with_media": True}, "price_cents"),
        ({"price_cents": 500}, "media_ids"),
        ({"media_ids": [999_999]}, "media_ids"),
    ],
)
def test_bad_input_names_the_field(client_a, creator_a, change, field):
    if change.pop("with_media", False):
        change["media_ids"] = [MediaAssetFactory(creator=creator_a).id]
    response = _post(client_a, **_body(**change))
    assert response.status_code == 422
    assert list(response.json()["field_errors"]) == [field]
    assert Script.objects.for_creator(creator_a.id).count() == 0


def test_a_shortcode_is_unique_per_creator(client_a, creator_a, creator_b):
    ScriptFactory(creator=creator_b, shortcode="hello")
    assert _post(client_a, **_body()).status_code == 201
    again = _post(client_a, **_body(title="Other"))
    assert again.status_code == 409
    assert list(again.json()["field_errors"]) == ["shortcode"]
    assert Script.objects.for_creator(creator_a.id).count() == 1


def test_update_and_delete(client_a, creator_a):
    script = ScriptFactory(creator=creator_a, shortcode="old")
    updated = client_a.put(
        f"{URL}/{script.id}", data=_body(shortcode="new"), content_type="application/json"
    )
    assert updated.json()["shortcode"] == "new"
    assert client_a.delete(f"{URL}/{script.id}").status_code == 204
    assert client_a.delete(f"{URL}/{script.id}").status_code == 404


def test_b_cannot_touch_as_scripts(creator_a, creator_b, owner_b, signed_in):
    script = ScriptFactory(creator=creator_a, shortcode="mine", text="A's words")
    media_a = MediaAssetFactory(creator=creator_a)
    client_b = signed_in(owner_b, creator_b)
    assert client_b.get(URL).json() == []
    put = client_b.put(
        f"{URL}/{script.id}", data=_body(shortcode="stolen"), content_type="application/json"
    )
    assert put.status_code == 404
    assert client_b.delete(f"{URL}/{script.id}").status_code == 404
    assert client_b.get(f"/onlyfans/messages/scripts/{script.id}").status_code == 404
    assert client_b.post(f"/onlyfans/messages/scripts/{script.id}/delete").status_code == 404
    with_a_media = _post(client_b, **_body(media_ids=[media_a.id]))
    assert with_a_media.status_code == 422
    script.refresh_from_db()
    assert (script.shortcode, script.text) == ("mine", "A's words")
    assert Script.objects.for_creator(creator_b.id).count() == 0


def test_the_scripts_page_creates_edits_and_deletes(client_a, creator_a):
    page = client_a.get("/onlyfans/messages/scripts")
    assert "No scripts yet" in page.content.decode()
    created = client_a.post(
        "/onlyfans/messages/scripts",
        {"shortcode": "thanks", "title": "Thanks", "text": "Thank you {fan_name}", "price": ""},
    )
    assert created.status_code == 302
    script = Script.objects.for_creator(creator_a.id).get()
    assert "/thanks" in client_a.get("/onlyfans/messages/scripts").content.decode()
    edited = client_a.post(
        f"/onlyfans/messages/scripts/{script.id}",
        {"shortcode": "thanks", "title": "Thanks!", "text": "Thx {fan_name}", "price": ""},
    )
    assert edited.status_code == 302
    script.refresh_from_db()
    assert script.text == "Thx {fan_name}"
    client_a.post(f"/onlyfans/messages/scripts/{script.id}/delete")
    assert Script.objects.for_creator(creator_a.id).count() == 0


def test_the_scripts_page_shows_errors_and_keeps_the_input(client_a, creator_a):
    response = client_a.post(
        "/onlyfans/messages/scripts",
        {"shortcode": "ok", "title": "T", "text": "Hi {nickname}", "price": "2"},
    )
    assert response.status_code == 422
    page = response.content.decode()
    assert "Unknown variable {nickname}" in page
    assert "Hi {nickname}" in page
    assert Script.objects.for_creator(creator_a.id).count() == 0

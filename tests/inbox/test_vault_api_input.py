"""Vault API inputs that once answered 500: an offset past the database's integers (found by the
schema fuzz test), and a PNG whose bytes 16-24 are not its IHDR size (PostgreSQL refused the
width). Each now answers 422 naming the field, with nothing stored."""

from __future__ import annotations

import struct
import zlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from huntaze.accounts.services import api_key_create
from huntaze.content.models import MediaAsset
from huntaze.content.selectors import VAULT_MAX_OFFSET
from huntaze.core.context import Actor
from tests.content import media_bytes
from tests.factories import ConversationFactory, MediaAssetFactory

pytestmark = pytest.mark.django_db

BIGINT_MAX = 2**63 - 1


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def keyed_client(creator_a, owner_a):
    """A client calling the API with an API key of creator A, as the fuzz test does."""
    actor = Actor(creator_id=creator_a.id, user_id=owner_a.id, role="owner")
    raw_key = api_key_create(actor=actor, name="vault-input").raw_key
    return Client(headers={"Authorization": f"Bearer {raw_key}"})


def _files_under(media_root):
    return sorted(path for path in media_root.rglob("*") if path.is_file())


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def _offset_error(response):
    assert response.status_code == 422, response.content
    message = f"offset is at most {VAULT_MAX_OFFSET}."
    assert response.json() == {
        "code": "validation_error",
        "message": message,
        "field_errors": {"offset": [message]},
    }


@pytest.mark.parametrize(
    "offset",
    [VAULT_MAX_OFFSET + 1, BIGINT_MAX, BIGINT_MAX + 1, 10**22],
    ids=["just-past-the-bound", "bigint-max", "past-bigint", "10^22"],
)
def test_an_offset_past_the_bound_is_422_on_offset(keyed_client, creator_a, offset):
    # Given a vault with one item
    MediaAssetFactory(creator=creator_a)

    # When a page is asked for far past it (2**63 overflowed the database's OFFSET: 500)
    response = keyed_client.get("/api/v1/vault/media", {"offset": offset})

    # Then the offset is refused by name
    _offset_error(response)


def test_the_conversation_vault_bounds_its_offset_too(keyed_client, creator_a):
    # Given a conversation of creator A
    conversation = ConversationFactory(creator=creator_a)

    # When its vault picker is asked for an offset past bigint
    response = keyed_client.get(
        f"/api/v1/inbox/conversations/{conversation.id}/vault", {"offset": BIGINT_MAX + 1}
    )

    # Then the offset is refused by name
    _offset_error(response)


def test_an_offset_at_the_bound_is_an_empty_page(keyed_client, creator_a):
    # Given a vault with one item
    MediaAssetFactory(creator=creator_a)

    # When the last allowed offset is asked for
    response = keyed_client.get("/api/v1/vault/media", {"offset": VAULT_MAX_OFFSET})

    # Then the page is empty, not an error
    assert response.status_code == 200
    assert response.json() == {"items": [], "has_more": False, "next_offset": VAULT_MAX_OFFSET}


def test_a_png_without_ihdr_first_is_refused_with_nothing_stored(keyed_client, creator_a, settings):
    # Given a real 8 x 8 PNG with a text chunk put before its IHDR, so that the bytes where a
    # PNG's size stands read 4294967295 x 4294967295 (past PostgreSQL's integer: it was a 500
    # there; SQLite stored the bogus size). Pillow reads the image; the PNG standard and
    # browsers do not, since IHDR must come first.
    real = media_bytes.image_bytes("PNG", (8, 8))
    content = real[:8] + _chunk(b"tEXt", b"\xff" * 8) + real[8:]

    # When it is uploaded
    response = keyed_client.post(
        "/api/v1/vault/media", {"file": SimpleUploadedFile("odd.png", content)}
    )

    # Then the file is refused by name, and no row and no file stay behind
    assert response.status_code == 422, response.content
    assert list(response.json()["field_errors"]) == ["file"]
    assert MediaAsset.objects.for_creator(creator_a.id).count() == 0
    assert _files_under(settings.MEDIA_ROOT) == []

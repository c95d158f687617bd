"""The vault: types sniffed from bytes, sizes bounded, files stored once, marks per fan."""

from __future__ import annotations

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from huntaze.content.models import MediaAsset, VaultDelivery
from huntaze.content.selectors import vault_page, vault_sent_to_fan
from huntaze.content.services import media_asset_upload, vault_deliveries_record
from huntaze.content.sniff import sniff
from huntaze.core.context import Actor
from huntaze.core.errors import PermissionDenied, ValidationFailed
from tests.content import media_bytes
from tests.factories import FanFactory, MediaAssetFactory, MessageFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("head", "kind", "mime", "size"),
    [
        (media_bytes.PNG, "image", "image/png", (640, 480)),
        (media_bytes.GIF, "image", "image/gif", (32, 16)),
        (media_bytes.JPEG, "image", "image/jpeg", (1920, 1080)),
        (media_bytes.WEBP, "image", "image/webp", (None, None)),
        (media_bytes.MP4, "video", "video/mp4", (None, None)),
        (media_bytes.MOV, "video", "video/quicktime", (None, None)),
        (media_bytes.MP3, "audio", "audio/mpeg", (None, None)),
    ],
)
def test_the_type_comes_from_the_bytes(head, kind, mime, size):
    found = sniff(head)
    assert found is not None
    assert (found.kind, found.mime_type, (found.width, found.height)) == (kind, mime, size)


def test_unknown_bytes_are_not_sniffed():
    assert sniff(media_bytes.PDF) is None
    assert sniff(b"") is None


def _actor(creator, user, role="owner"):
    return Actor(creator_id=creator.id, user_id=user.id, role=role)


def test_an_upload_is_stored_with_its_sniffed_type(creator_a, owner_a):
    upload = SimpleUploadedFile("holiday.txt", media_bytes.PNG, content_type="text/plain")
    asset = media_asset_upload(actor=_actor(creator_a, owner_a), upload=upload, title="Beach")
    assert (asset.kind, asset.mime_type, asset.width, asset.height) == (
        "image",
        "image/png",
        640,
        480,
    )
    assert asset.size_bytes == len(media_bytes.PNG)
    assert asset.file.name.startswith(f"vault/{creator_a.id}/")
    assert asset.file.name.endswith(".png")
    with default_storage.open(asset.file.name) as stored:
        assert stored.read() == media_bytes.PNG


def test_a_wrong_type_with_an_image_name_is_refused_and_nothing_stored(creator_a, owner_a):
    upload = SimpleUploadedFile("photo.jpg", media_bytes.PDF, content_type="image/jpeg")
    with pytest.raises(ValidationFailed) as error:
        media_asset_upload(actor=_actor(creator_a, owner_a), upload=upload)
    assert list(error.value.field_errors) == ["file"]
    assert MediaAsset.objects.for_creator(creator_a.id).count() == 0


def test_an_oversized_file_is_refused_and_nothing_stored(creator_a, owner_a, settings, tmp_path):
    settings.VAULT_MAX_IMAGE_BYTES = 50
    upload = SimpleUploadedFile("big.png", media_bytes.PNG, content_type="image/png")
    with pytest.raises(ValidationFailed) as error:
        media_asset_upload(actor=_actor(creator_a, owner_a), upload=upload)
    assert "at most" in error.value.field_errors["file"][0]
    assert MediaAsset.objects.for_creator(creator_a.id).count() == 0
    assert not (tmp_path / "media" / "vault").exists()


def test_an_analyst_cannot_upload(creator_a, member_of):
    analyst = member_of(creator_a, "analyst")
    upload = SimpleUploadedFile("a.png", media_bytes.PNG)
    with pytest.raises(PermissionDenied):
        media_asset_upload(actor=_actor(creator_a, analyst, "analyst"), upload=upload)
    assert MediaAsset.objects.for_creator(creator_a.id).count() == 0


def test_deliveries_mark_what_a_fan_received_once(creator_a, creator_b):
    fan = FanFactory(creator=creator_a)
    other_fan = FanFactory(creator=creator_a)
    photo, video = MediaAssetFactory(creator=creator_a), MediaAssetFactory(creator=creator_a)
    foreign = MediaAssetFactory(creator=creator_b)
    message = MessageFactory(conversation__creator=creator_a, conversation__fan=fan)
    now = timezone.now()
    for _ in range(2):
        vault_deliveries_record(
            creator_id=creator_a.id,
            fan_id=fan.id,
            message_id=message.id,
            media_ids=[photo.id, foreign.id],
            sent_at=now,
        )
    assert VaultDelivery.objects.for_creator(creator_a.id).count() == 1
    assert vault_sent_to_fan(
        creator_id=creator_a.id, fan_id=fan.id, media_ids=[photo.id, video.id]
    ) == {photo.id: now}
    page = vault_page(creator_id=creator_a.id, fan_id=fan.id)
    marks = {item.id: item.sent_to_fan_at for item in page.items}
    assert marks == {photo.id: now, video.id: None}
    other = vault_page(creator_id=creator_a.id, fan_id=other_fan.id)
    assert all(item.sent_to_fan_at is None for item in other.items)

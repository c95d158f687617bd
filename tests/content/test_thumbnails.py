"""Vault image thumbnails: made on upload next to the original, served to their creator only, and
a file that claims to be an image but does not decode is refused with nothing written."""

from __future__ import annotations

import io

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from huntaze.content.models import MediaAsset
from huntaze.content.selectors import vault_page
from huntaze.content.services import media_asset_delete, media_asset_upload
from huntaze.core.context import Actor
from huntaze.core.errors import ValidationFailed
from tests.content import media_bytes
from tests.factories import MediaAssetFactory

pytestmark = pytest.mark.django_db


def _actor(creator, user):
    return Actor(creator_id=creator.id, user_id=user.id, role="owner")


def _upload(creator, user, content, name="photo"):
    return media_asset_upload(actor=_actor(creator, user), upload=SimpleUploadedFile(name, content))


def _stored_image(name):
    with default_storage.open(name) as handle, Image.open(handle) as image:
        image.load()
        return image.format, image.size, image.mode


def _files_under(media_root):
    return sorted(
        str(path.relative_to(media_root)) for path in media_root.rglob("*") if path.is_file()
    )


@pytest.mark.parametrize(
    ("content", "thumbnail_size"),
    [
        (media_bytes.JPEG, (320, 180)),  # landscape 1920 × 1080
        (media_bytes.image_bytes("PNG", (480, 640)), (240, 320)),  # portrait
        (media_bytes.GIF, (32, 16)),  # smaller than a thumbnail: kept at its size
        (media_bytes.WEBP, (100, 50)),
    ],
    ids=["jpeg-landscape", "png-portrait", "gif-small", "webp"],
)
def test_an_image_gets_a_webp_thumbnail_next_to_it(creator_a, owner_a, content, thumbnail_size):
    # Given an image
    # When it is uploaded to the vault
    asset = _upload(creator_a, owner_a, content)

    # Then a WebP thumbnail, at most 320 px on its long side, is stored beside the original
    stem = asset.file.name.rsplit(".", 1)[0]
    assert asset.thumbnail.name == f"{stem}.thumb.webp"
    assert _stored_image(asset.thumbnail.name) == ("WEBP", thumbnail_size, "RGB")
    with default_storage.open(asset.file.name) as original:
        assert original.read() == content
    saved = MediaAsset.objects.for_creator(creator_a.id).get(id=asset.id)
    assert saved.thumbnail.name == asset.thumbnail.name


def test_a_webp_gets_its_size_from_the_decoded_image(creator_a, owner_a):
    # Given a WebP (the sniffer does not read its size)
    # When it is uploaded
    asset = _upload(creator_a, owner_a, media_bytes.WEBP)

    # Then its size comes from the decoded image
    assert (asset.width, asset.height) == (100, 50)


def test_a_transparent_image_keeps_its_transparency(creator_a, owner_a):
    # Given a PNG with an alpha channel
    content = media_bytes.image_bytes("PNG", (640, 320), mode="RGBA")

    # When it is uploaded
    asset = _upload(creator_a, owner_a, content)

    # Then its thumbnail has an alpha channel too
    assert _stored_image(asset.thumbnail.name) == ("WEBP", (320, 160), "RGBA")


def test_a_photo_turned_by_its_exif_gets_an_upright_thumbnail(creator_a, owner_a):
    # Given a 400 × 200 JPEG whose EXIF says "rotate 90°" (a phone photo taken upright)
    exif = Image.Exif()
    exif[0x0112] = 6
    out = io.BytesIO()
    Image.new("RGB", (400, 200), (10, 20, 30)).save(out, format="JPEG", exif=exif)

    # When it is uploaded
    asset = _upload(creator_a, owner_a, out.getvalue())

    # Then the thumbnail stands upright
    assert _stored_image(asset.thumbnail.name)[1] == (160, 320)


def test_a_video_gets_no_thumbnail(creator_a, owner_a, tmp_path):
    # Given a video
    # When it is uploaded
    asset = _upload(creator_a, owner_a, media_bytes.MP4, "clip.mp4")

    # Then only the video is stored
    assert asset.thumbnail.name == ""
    assert _files_under(tmp_path / "media") == [asset.file.name]


@pytest.mark.parametrize(
    "content", [media_bytes.PNG_HEADER_ONLY, media_bytes.JPEG_TRUNCATED], ids=["header", "cut"]
)
def test_a_file_that_claims_to_be_an_image_but_is_not_is_refused(
    creator_a, owner_a, tmp_path, content
):
    # Given bytes that start like an image but do not decode
    # When they are uploaded
    with pytest.raises(ValidationFailed) as error:
        _upload(creator_a, owner_a, content, "photo.png")

    # Then the file field says why, and nothing is stored
    assert error.value.field_errors == {
        "file": ["This file looks like an image but cannot be read as one (damaged or incomplete)."]
    }
    assert MediaAsset.objects.for_creator(creator_a.id).count() == 0
    assert _files_under(tmp_path / "media") == []


def test_a_failed_row_removes_both_files(creator_a, owner_a, tmp_path, monkeypatch):
    # Given the row cannot be saved
    def refuse(*args, **kwargs):
        raise RuntimeError("database down")

    monkeypatch.setattr(MediaAsset, "save", refuse)

    # When an image is uploaded
    with pytest.raises(RuntimeError):
        _upload(creator_a, owner_a, media_bytes.PNG)

    # Then neither the image nor its thumbnail stays
    assert _files_under(tmp_path / "media") == []


def test_deleting_an_image_removes_its_thumbnail(
    creator_a, owner_a, tmp_path, django_capture_on_commit_callbacks
):
    # Given an image with its thumbnail
    asset = _upload(creator_a, owner_a, media_bytes.PNG)

    # When it is deleted
    with django_capture_on_commit_callbacks(execute=True):
        media_asset_delete(actor=_actor(creator_a, owner_a), media_id=asset.id)

    # Then both files are gone
    assert _files_under(tmp_path / "media") == []


def test_the_vault_page_gives_the_thumbnail_url_when_there_is_one(creator_a, owner_a):
    # Given an uploaded image and an older item without a thumbnail
    older = MediaAssetFactory(creator=creator_a)
    image = _upload(creator_a, owner_a, media_bytes.PNG)

    # When reading the vault
    items = vault_page(creator_id=creator_a.id).items

    # Then the image has its thumbnail's address, the older item none
    assert [(item.id, item.thumbnail_url) for item in items] == [
        (image.id, f"/onlyfans/messages/vault/{image.id}/thumbnail"),
        (older.id, None),
    ]


def test_the_thumbnail_is_served_to_its_creator_only(
    client_a, creator_a, owner_a, creator_b, owner_b, signed_in
):
    # Given an image of creator A's vault
    asset = _upload(creator_a, owner_a, media_bytes.JPEG)
    url = f"/onlyfans/messages/vault/{asset.id}/thumbnail"

    # When A and B fetch its thumbnail
    served = client_a.get(url)
    refused = signed_in(owner_b, creator_b).get(url)

    # Then A gets the WebP, B nothing
    assert served.status_code == 200
    assert served["Content-Type"] == "image/webp"
    with default_storage.open(asset.thumbnail.name) as stored:
        assert b"".join(served.streaming_content) == stored.read()
    assert refused.status_code == 404


def test_an_item_without_thumbnail_has_no_thumbnail_to_serve(client_a, creator_a):
    # Given a vault item without a thumbnail
    asset = MediaAssetFactory(creator=creator_a)

    # When fetching its thumbnail
    response = client_a.get(f"/onlyfans/messages/vault/{asset.id}/thumbnail")

    # Then there is none
    assert response.status_code == 404


def test_the_scripts_page_shows_thumbnails_and_falls_back_to_the_file(client_a, creator_a, owner_a):
    # Given an image with a thumbnail and one without
    with_thumbnail = _upload(creator_a, owner_a, media_bytes.PNG)
    without = MediaAssetFactory(creator=creator_a, kind="image")

    # When the scripts page lists the vault
    html = client_a.get("/onlyfans/messages/scripts").content.decode()

    # Then each tile shows the thumbnail when there is one, else the file
    assert f'<img src="/onlyfans/messages/vault/{with_thumbnail.id}/thumbnail"' in html
    assert f'<img src="/onlyfans/messages/vault/{without.id}/file"' in html

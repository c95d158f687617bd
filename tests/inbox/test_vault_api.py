"""Uploading to the vault through the API, and serving its files to their creator only."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from huntaze.content.models import MediaAsset
from tests.content import media_bytes

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def _upload(client, content, name="photo.png"):
    return client.post("/api/v1/vault/media", {"file": SimpleUploadedFile(name, content)})


def test_an_upload_can_be_listed_and_fetched(client_a, creator_a):
    response = _upload(client_a, media_bytes.JPEG, "me.jpg")
    assert response.status_code == 201
    item = response.json()
    assert (item["kind"], item["mime_type"], item["width"], item["height"]) == (
        "image",
        "image/jpeg",
        1920,
        1080,
    )
    assert item["thumbnail_url"] == f"/onlyfans/messages/vault/{item['id']}/thumbnail"
    listed = client_a.get("/api/v1/vault/media").json()
    assert [row["id"] for row in listed["items"]] == [item["id"]]
    served = client_a.get(item["file_url"])
    assert served.status_code == 200
    assert served["Content-Type"] == "image/jpeg"
    assert b"".join(served.streaming_content) == media_bytes.JPEG


def test_a_renamed_pdf_is_refused(client_a, creator_a):
    response = _upload(client_a, media_bytes.PDF, "photo.jpg")
    assert response.status_code == 422
    assert list(response.json()["field_errors"]) == ["file"]
    assert MediaAsset.objects.for_creator(creator_a.id).count() == 0


def test_an_oversized_video_is_refused(client_a, creator_a, settings):
    settings.VAULT_MAX_VIDEO_BYTES = 10
    response = _upload(client_a, media_bytes.MP4, "clip.mp4")
    assert response.status_code == 422
    assert "at most" in response.json()["field_errors"]["file"][0]
    assert MediaAsset.objects.for_creator(creator_a.id).count() == 0


def test_b_cannot_delete_or_see_as_media(client_a, creator_a, creator_b, owner_b, signed_in):
    item = _upload(client_a, media_bytes.PNG).json()
    client_b = signed_in(owner_b, creator_b)
    assert client_b.delete(f"/api/v1/vault/media/{item['id']}").status_code == 404
    assert client_b.get("/api/v1/vault/media").json()["items"] == []
    assert MediaAsset.objects.for_creator(creator_a.id).count() == 1


def test_the_owner_can_delete(client_a, creator_a):
    item = _upload(client_a, media_bytes.PNG).json()
    assert client_a.delete(f"/api/v1/vault/media/{item['id']}").status_code == 204
    assert MediaAsset.objects.for_creator(creator_a.id).count() == 0

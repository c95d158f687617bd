"""The thumbnail backfill: vault images stored before thumbnails existed get one, made and stored
as on upload; videos and audio are skipped, a missing or damaged file is counted and logged
without stopping the others or leaving a file behind, a rerun makes nothing, and a creator's run
touches that creator's items only."""

from __future__ import annotations

import io

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from PIL import Image
from structlog.testing import capture_logs

from huntaze.content import services_thumbnails, tasks
from huntaze.content.models import MediaAsset
from huntaze.content.services_thumbnails import BackfillResult, vault_thumbnails_backfill
from huntaze.core.errors import ValidationFailed
from tests.content import media_bytes
from tests.factories import MediaAssetFactory

pytestmark = pytest.mark.django_db


def _legacy(creator, content, name, *, kind="image", mime_type="image/png", size=(None, None)):
    """A vault item as stored before thumbnails: its file, no thumbnail."""
    stored = default_storage.save(f"vault/2023/05/{name}", ContentFile(content))
    return MediaAssetFactory(
        creator=creator,
        file=stored,
        kind=kind,
        mime_type=mime_type,
        size_bytes=len(content),
        width=size[0],
        height=size[1],
    )


def _row(asset):
    return MediaAsset.objects.for_creator(asset.creator_id).get(id=asset.id)


def _stored_image(name):
    with default_storage.open(name) as handle, Image.open(handle) as image:
        image.load()
        return image.format, image.size


def _files_under(media_root):
    return sorted(
        str(path.relative_to(media_root)) for path in media_root.rglob("*") if path.is_file()
    )


def test_images_without_thumbnails_get_a_webp_one_next_to_them(creator_a):
    # Given a landscape JPEG and a portrait PNG stored before thumbnails
    landscape = _legacy(creator_a, media_bytes.JPEG, "beach.jpg", size=(1920, 1080))
    portrait = _legacy(
        creator_a, media_bytes.image_bytes("PNG", (480, 640)), "portrait.png", size=(480, 640)
    )

    # When the backfill runs
    result = vault_thumbnails_backfill(creator_id=creator_a.id)

    # Then each has a WebP of at most 320 px on its long side, stored beside it and on its row
    assert result == BackfillResult(made=2, skipped_not_image=0, failed=0)
    assert _row(landscape).thumbnail.name == "vault/2023/05/beach.thumb.webp"
    assert _row(portrait).thumbnail.name == "vault/2023/05/portrait.thumb.webp"
    assert _stored_image("vault/2023/05/beach.thumb.webp") == ("WEBP", (320, 180))
    assert _stored_image("vault/2023/05/portrait.thumb.webp") == ("WEBP", (240, 320))
    assert (_row(landscape).width, _row(landscape).height) == (1920, 1080)


def test_an_image_without_a_size_takes_the_decoded_one(creator_a):
    # Given a WebP stored before thumbnails, whose size was never read
    asset = _legacy(creator_a, media_bytes.WEBP, "small.webp", mime_type="image/webp")

    # When the backfill runs
    vault_thumbnails_backfill(creator_id=creator_a.id)

    # Then its row has the decoded size and a thumbnail at its own size
    row = _row(asset)
    assert (row.width, row.height) == (100, 50)
    assert _stored_image(row.thumbnail.name) == ("WEBP", (100, 50))


def test_videos_and_audio_are_skipped(creator_a, tmp_path):
    # Given a video and an audio file without thumbnails
    video = _legacy(creator_a, media_bytes.MP4, "clip.mp4", kind="video", mime_type="video/mp4")
    audio = _legacy(creator_a, media_bytes.MP3, "voice.mp3", kind="audio", mime_type="audio/mpeg")
    files_before = _files_under(tmp_path / "media")

    # When the backfill runs
    result = vault_thumbnails_backfill(creator_id=creator_a.id)

    # Then both are counted as skipped and nothing is written
    assert result == BackfillResult(made=0, skipped_not_image=2, failed=0)
    assert (_row(video).thumbnail.name, _row(audio).thumbnail.name) == ("", "")
    assert _files_under(tmp_path / "media") == files_before


def test_a_missing_or_damaged_file_is_counted_and_logged_and_the_others_go_on(creator_a, tmp_path):
    # Given, in id order, a good image, a damaged one, one whose file is gone, and a good one
    first = _legacy(creator_a, media_bytes.PNG, "first.png")
    damaged = _legacy(creator_a, media_bytes.JPEG_TRUNCATED, "damaged.jpg")
    missing = MediaAssetFactory(creator=creator_a, file="vault/2023/05/gone.png")
    last = _legacy(creator_a, media_bytes.GIF, "last.gif")

    # When the backfill runs, one item per batch
    with capture_logs() as logs:
        result = vault_thumbnails_backfill(creator_id=creator_a.id, batch_size=1)

    # Then the two good images have thumbnails, the two others are counted and logged
    assert result == BackfillResult(made=2, skipped_not_image=0, failed=2)
    assert _row(first).thumbnail.name == "vault/2023/05/first.thumb.webp"
    assert _row(last).thumbnail.name == "vault/2023/05/last.thumb.webp"
    assert (_row(damaged).thumbnail.name, _row(missing).thumbnail.name) == ("", "")
    failures = [log for log in logs if log["event"] == "content.thumbnail_backfill_failed"]
    assert [(log["media_id"], log["log_level"]) for log in failures] == [
        (damaged.id, "warning"),
        (missing.id, "warning"),
    ]
    # And no file was left for the failed ones
    assert _files_under(tmp_path / "media") == [
        "vault/2023/05/damaged.jpg",
        "vault/2023/05/first.png",
        "vault/2023/05/first.thumb.webp",
        "vault/2023/05/last.gif",
        "vault/2023/05/last.thumb.webp",
    ]


def test_a_row_that_cannot_be_saved_leaves_no_thumbnail_file(creator_a, tmp_path, monkeypatch):
    # Given an image without a thumbnail, and a database that refuses the save
    asset = _legacy(creator_a, media_bytes.PNG, "photo.png")

    def refuse(*args, **kwargs):
        raise RuntimeError("database down")

    monkeypatch.setattr(MediaAsset, "save", refuse)

    # When the backfill runs
    result = vault_thumbnails_backfill(creator_id=creator_a.id)

    # Then it is counted as failed, the row is unchanged and the thumbnail file removed
    assert result == BackfillResult(made=0, skipped_not_image=0, failed=1)
    assert _row(asset).thumbnail.name == ""
    assert _files_under(tmp_path / "media") == ["vault/2023/05/photo.png"]


def test_a_second_run_makes_nothing(creator_a, tmp_path):
    # Given a backfill that already ran over an image and a video
    image = _legacy(creator_a, media_bytes.PNG, "photo.png")
    _legacy(creator_a, media_bytes.MP4, "clip.mp4", kind="video", mime_type="video/mp4")
    vault_thumbnails_backfill(creator_id=creator_a.id)
    files_after_first = _files_under(tmp_path / "media")
    updated_at = _row(image).updated_at

    # When it runs again
    result = vault_thumbnails_backfill(creator_id=creator_a.id)

    # Then it makes nothing, writes nothing and leaves the rows as they were
    assert result == BackfillResult(made=0, skipped_not_image=1, failed=0)
    assert _files_under(tmp_path / "media") == files_after_first
    assert _row(image).thumbnail.name == "vault/2023/05/photo.thumb.webp"
    assert _row(image).updated_at == updated_at


def test_an_item_that_got_a_thumbnail_meanwhile_keeps_it(creator_a, tmp_path, monkeypatch):
    # Given an image that another run gives a thumbnail while this one makes its own
    asset = _legacy(creator_a, media_bytes.PNG, "photo.png")
    make = services_thumbnails.thumbnail_make

    def make_while_another_run_saves(**kwargs):
        thumbnail = make(**kwargs)
        MediaAsset.objects.for_creator(creator_a.id).filter(id=asset.id).update(
            thumbnail="vault/2023/05/other.thumb.webp"
        )
        return thumbnail

    monkeypatch.setattr(services_thumbnails, "thumbnail_make", make_while_another_run_saves)

    # When the backfill runs
    result = vault_thumbnails_backfill(creator_id=creator_a.id)

    # Then it keeps the other thumbnail and removes its own file
    assert result == BackfillResult(made=0, skipped_not_image=0, failed=0)
    assert _row(asset).thumbnail.name == "vault/2023/05/other.thumb.webp"
    assert _files_under(tmp_path / "media") == ["vault/2023/05/photo.png"]


def test_a_batch_size_below_one_is_refused(creator_a):
    with pytest.raises(ValidationFailed) as error:
        vault_thumbnails_backfill(creator_id=creator_a.id, batch_size=0)

    assert error.value.field_errors == {"batch_size": ["batch_size is at least 1."]}


def test_the_command_for_one_creator_leaves_the_others_untouched(creator_a, creator_b, tmp_path):
    # Given an image without a thumbnail in each of two vaults
    mine = _legacy(creator_a, media_bytes.PNG, "mine.png")
    theirs = _legacy(creator_b, media_bytes.PNG, "theirs.png")
    out = io.StringIO()

    # When the command runs for creator A
    call_command("vault_thumbnails", "--creator", str(creator_a.id), stdout=out)

    # Then only A's image has a thumbnail, and the output says so
    assert _row(mine).thumbnail.name == "vault/2023/05/mine.thumb.webp"
    assert _row(theirs).thumbnail.name == ""
    assert not default_storage.exists("vault/2023/05/theirs.thumb.webp")
    assert out.getvalue().splitlines() == ["1/1", "made 1, skipped (not images) 0, failed 0"]


def test_the_command_over_every_creator_prints_progress_and_counts(creator_a, creator_b, tmp_path):
    # Given images in two vaults (one damaged) and a video
    first = _legacy(creator_a, media_bytes.PNG, "a.png")
    _legacy(creator_b, media_bytes.JPEG_TRUNCATED, "b.jpg")
    second = _legacy(creator_b, media_bytes.GIF, "c.gif")
    _legacy(creator_a, media_bytes.MP4, "clip.mp4", kind="video", mime_type="video/mp4")
    out, err = io.StringIO(), io.StringIO()

    # When the command runs over all creators, two items per batch
    call_command("vault_thumbnails", "--batch-size", "2", stdout=out, stderr=err)

    # Then it prints each batch's progress and the counts
    assert out.getvalue().splitlines() == [
        "2/3",
        "3/3",
        "made 2, skipped (not images) 1, failed 1",
    ]
    assert "1 image(s) could not be read" in err.getvalue()
    assert _row(first).thumbnail.name == "vault/2023/05/a.thumb.webp"
    assert _row(second).thumbnail.name == "vault/2023/05/c.thumb.webp"


def test_the_task_runs_the_backfill_for_one_creator(creator_a, creator_b):
    # Given an image without a thumbnail in each of two vaults
    mine = _legacy(creator_a, media_bytes.PNG, "mine.png")
    theirs = _legacy(creator_b, media_bytes.PNG, "theirs.png")

    # When the task runs for creator A
    counts = tasks.vault_thumbnails_backfill.delay(creator_id=creator_a.id).get()

    # Then it returns the counts and touched A's vault only
    assert counts == {"made": 1, "skipped_not_image": 0, "failed": 0}
    assert _row(mine).thumbnail.name != ""
    assert _row(theirs).thumbnail.name == ""

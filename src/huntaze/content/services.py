"""Vault writes: upload a media item (type sniffed from its bytes, size bounded, images given a
thumbnail), delete one, and record which items went to which fan."""

from __future__ import annotations

import posixpath
import uuid
from collections.abc import Sequence
from datetime import datetime

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import Storage
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from huntaze.content.models import MediaAsset, MediaKind, VaultDelivery
from huntaze.content.sniff import HEAD_BYTES, Sniffed, sniff
from huntaze.content.thumbnails import THUMBNAIL_EXTENSION, Thumbnail, thumbnail_make
from huntaze.core.context import Actor
from huntaze.core.errors import NotFound, ValidationFailed
from huntaze.core.permissions import Permission

MEGABYTE = 1024 * 1024
# Defaults when settings do not say (VAULT_MAX_<KIND>_BYTES): OnlyFans takes large videos;
# images and audio stay small.
DEFAULT_MAX_BYTES: dict[str, int] = {
    MediaKind.IMAGE: 50 * MEGABYTE,
    MediaKind.VIDEO: 4096 * MEGABYTE,
    MediaKind.AUDIO: 200 * MEGABYTE,
}
MAX_TITLE_LENGTH = 120


def max_bytes_of(kind: str) -> int:
    return int(getattr(settings, f"VAULT_MAX_{kind.upper()}_BYTES", DEFAULT_MAX_BYTES[kind]))


def _sniff_upload(upload: UploadedFile) -> Sniffed:
    upload.seek(0)
    head = upload.read(HEAD_BYTES)
    upload.seek(0)
    found = sniff(head)
    if found is None:
        raise ValidationFailed.on_field(
            "file",
            "This file is not an image, video or audio the vault takes "
            "(JPEG, PNG, GIF, WebP, MP4, MOV, WebM, MP3, M4A, OGG, WAV).",
        )
    return found


def _check_size(upload: UploadedFile, kind: str) -> int:
    size = int(upload.size or 0)
    if size <= 0:
        raise ValidationFailed.on_field("file", "The file is empty.")
    limit = max_bytes_of(kind)
    if size > limit:
        raise ValidationFailed.on_field(
            "file",
            f"A {kind} is at most {limit // MEGABYTE} MB; this one is {size // MEGABYTE} MB.",
        )
    return size


def thumbnail_store(*, storage: Storage, file_name: str, thumbnail: Thumbnail) -> str:
    """Store a thumbnail next to its image (`<name>.thumb.webp`); returns the name the storage
    gave it (a free one: an existing file is never overwritten)."""
    stem = posixpath.splitext(file_name)[0]
    return storage.save(f"{stem}.thumb.{THUMBNAIL_EXTENSION}", ContentFile(thumbnail.content))


def media_asset_upload(*, actor: Actor, upload: UploadedFile, title: str = "") -> MediaAsset:
    """Store a file in the creator's vault. Its type comes from its first bytes, not its name;
    an image must decode, and gets a thumbnail stored next to it (`<name>.thumb.webp`). The
    files are stored only when the row is, and removed again if anything after them fails."""
    actor.require(Permission.MESSAGE)
    title = (title or upload.name or "").strip()[:MAX_TITLE_LENGTH]
    if "\x00" in title:
        raise ValidationFailed.on_field("title", "title contains a NUL character.")
    found = _sniff_upload(upload)
    size = _check_size(upload, found.kind)
    thumbnail: Thumbnail | None = None
    if found.kind == MediaKind.IMAGE:
        thumbnail = thumbnail_make(upload=upload)  # refuses an image that does not decode
    now = timezone.now()
    stem = f"vault/{actor.creator_id}/{now:%Y/%m}/{uuid.uuid4().hex}"
    asset = MediaAsset(
        creator_id=actor.creator_id,
        title=title,
        kind=found.kind,
        mime_type=found.mime_type,
        size_bytes=size,
        width=found.width or (thumbnail.source_width if thumbnail else None),
        height=found.height or (thumbnail.source_height if thumbnail else None),
    )
    storage = asset.file.storage
    stored: list[str] = []
    try:
        stored.append(storage.save(f"{stem}.{found.extension}", upload))
        asset.file.name = stored[0]
        if thumbnail is not None:
            stored.append(
                thumbnail_store(storage=storage, file_name=stored[0], thumbnail=thumbnail)
            )
            asset.thumbnail.name = stored[1]
        with transaction.atomic():
            asset.save()
    except Exception:
        for name in stored:
            storage.delete(name)
        raise
    return asset


def media_asset_delete(*, actor: Actor, media_id: int) -> None:
    """Remove an item from the vault and its file. Messages that carried it keep their ids."""
    actor.require(Permission.MANAGE_CONTENT)
    asset = MediaAsset.objects.for_creator(actor.creator_id).filter(id=media_id).first()
    if asset is None:
        raise NotFound("No such media in your vault.")
    names = [name for name in (asset.file.name, asset.thumbnail.name) if name]
    storage = asset.file.storage
    asset.delete()
    transaction.on_commit(lambda: [storage.delete(name) for name in names])


def vault_deliveries_record(
    *,
    creator_id: int,
    fan_id: int,
    message_id: int,
    media_ids: Sequence[int],
    sent_at: datetime,
) -> int:
    """Mark the vault items of a message as sent to its fan; a rerun adds nothing."""
    if not media_ids:
        return 0
    existing = set(
        MediaAsset.objects.for_creator(creator_id)
        .filter(id__in=list(media_ids))
        .values_list("id", flat=True)
    )
    rows = [
        VaultDelivery(
            creator_id=creator_id,
            fan_id=fan_id,
            asset_id=media_id,
            message_id=message_id,
            sent_at=sent_at,
        )
        for media_id in media_ids
        if media_id in existing
    ]
    VaultDelivery.objects.for_creator(creator_id).bulk_create(rows, ignore_conflicts=True)
    return len(rows)

"""Thumbnail backfill: vault images stored before thumbnails existed get theirs, made and stored
exactly as an upload's (`thumbnail_make`, `thumbnail_store`)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import structlog
from django.core.files.storage import Storage
from django.core.files.uploadedfile import UploadedFile
from django.db import models, transaction

from huntaze.content.models import MediaAsset, MediaKind
from huntaze.content.services import thumbnail_store
from huntaze.content.thumbnails import Thumbnail, thumbnail_make
from huntaze.core.errors import ValidationFailed

_log = structlog.get_logger(__name__)

DEFAULT_BATCH_SIZE = 100

# Called with (done, total) after each batch: items tried so far, images that had none at start.
BackfillProgress = Callable[[int, int], None]


@dataclass(frozen=True, slots=True)
class BackfillResult:
    made: int = 0
    skipped_not_image: int = 0
    failed: int = 0


def _items(creator_id: int | None) -> models.QuerySet[MediaAsset]:
    """Vault items without a thumbnail: one creator's, or (creator_id None) every creator's,
    which is a deliberate cross-creator read for this maintenance job."""
    if creator_id is not None:
        queryset = MediaAsset.objects.for_creator(creator_id)
    else:
        queryset = MediaAsset.all_creators.all()
    return queryset.filter(thumbnail="")


def _thumbnail_of(storage: Storage, file_name: str) -> Thumbnail:
    """The thumbnail of a stored image. OSError when the file is missing, ValidationFailed when
    it does not decode."""
    with storage.open(file_name, "rb") as handle:
        return thumbnail_make(upload=UploadedFile(file=handle, name=file_name, size=handle.size))


def _attach(asset: MediaAsset, file_name: str, thumbnail: Thumbnail) -> bool:
    """Store the thumbnail and record it on the row. False (and the file removed again) when the
    row went away or got a thumbnail meanwhile; on any error the file is removed too."""
    storage = asset.thumbnail.storage
    name = thumbnail_store(storage=storage, file_name=file_name, thumbnail=thumbnail)
    try:
        with transaction.atomic():
            current = (
                MediaAsset.objects.for_creator(asset.creator_id)
                .select_for_update()
                .filter(id=asset.id)
                .first()
            )
            if current is None or current.thumbnail.name:
                storage.delete(name)
                return False
            current.thumbnail.name = name
            update_fields = ["thumbnail", "updated_at"]
            # As on upload: a format the sniffer does not size (WebP) takes the decoded size.
            if current.width is None and current.height is None:
                current.width, current.height = thumbnail.source_width, thumbnail.source_height
                update_fields += ["width", "height"]
            current.save(update_fields=update_fields)
    except Exception:
        storage.delete(name)
        raise
    return True


def vault_thumbnails_backfill(
    *,
    creator_id: int | None = None,
    batch_size: int = DEFAULT_BATCH_SIZE,
    progress: BackfillProgress | None = None,
) -> BackfillResult:
    """Give every vault image without a thumbnail one, `batch_size` rows at a time (by id, so a
    failed item is not read again). One creator's items with `creator_id`, else all creators'.
    Each item stands alone: a missing or undecodable file is logged and counted as failed, and
    leaves no file behind. Videos and audio are counted as skipped. A rerun makes nothing."""
    if batch_size < 1:
        raise ValidationFailed.on_field("batch_size", "batch_size is at least 1.")
    items = _items(creator_id)
    images = items.filter(kind=MediaKind.IMAGE)
    skipped = items.exclude(kind=MediaKind.IMAGE).count()
    total = images.count()
    made = failed = done = 0
    last_id = 0
    while True:
        batch = list(images.filter(id__gt=last_id).order_by("id")[:batch_size])
        if not batch:
            break
        for asset in batch:
            file_name = asset.file.name or ""
            log = _log.bind(creator_id=asset.creator_id, media_id=asset.id, file=file_name)
            try:
                thumbnail = _thumbnail_of(asset.file.storage, file_name)
                if _attach(asset, file_name, thumbnail):
                    made += 1
            except (OSError, ValidationFailed) as error:
                failed += 1
                log.warning("content.thumbnail_backfill_failed", error=str(error))
            except Exception:
                failed += 1
                log.exception("content.thumbnail_backfill_failed")
        done += len(batch)
        last_id = batch[-1].id
        if progress is not None:
            progress(done, total)
    _log.info(
        "content.thumbnail_backfill_finished",
        creator_id=creator_id,
        made=made,
        skipped_not_image=skipped,
        failed=failed,
    )
    return BackfillResult(made=made, skipped_not_image=skipped, failed=failed)

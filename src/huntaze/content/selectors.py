"""Vault reads, scoped to one creator: pages of media with what a fan already received."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from django.db.models import Max

from huntaze.content.models import MediaAsset, MediaKind, VaultDelivery
from huntaze.content.thumbnails import THUMBNAIL_MIME_TYPE
from huntaze.core.errors import NotFound, ValidationFailed

VAULT_PAGE_SIZE = 48
# The deepest page a client may ask for (as the conversation list): an offset past the
# database's integers (2**63) was a 500, and no vault is paged that far.
VAULT_MAX_OFFSET = 100_000


@dataclass(frozen=True, slots=True)
class VaultItem:
    id: int
    title: str
    kind: str
    mime_type: str
    size_bytes: int
    width: int | None
    height: int | None
    created_at: datetime
    sent_to_fan_at: datetime | None = None
    has_thumbnail: bool = False

    @property
    def file_url(self) -> str:
        return f"/onlyfans/messages/vault/{self.id}/file"

    @property
    def thumbnail_url(self) -> str | None:
        """The small image the pickers show; None when the item has none (not an image, or
        added before thumbnails were made): show the file itself."""
        return f"/onlyfans/messages/vault/{self.id}/thumbnail" if self.has_thumbnail else None


@dataclass(frozen=True, slots=True)
class VaultPage:
    items: list[VaultItem]
    has_more: bool
    next_offset: int


@dataclass(frozen=True, slots=True)
class VaultFile:
    name: str
    mime_type: str
    size_bytes: int


def vault_item_of(asset: MediaAsset, sent_at: datetime | None = None) -> VaultItem:
    return VaultItem(
        id=asset.id,
        title=asset.title,
        kind=asset.kind,
        mime_type=asset.mime_type,
        size_bytes=asset.size_bytes,
        width=asset.width,
        height=asset.height,
        created_at=asset.created_at,
        sent_to_fan_at=sent_at,
        has_thumbnail=bool(asset.thumbnail.name),
    )


def vault_sent_to_fan(
    *, creator_id: int, fan_id: int, media_ids: Sequence[int]
) -> dict[int, datetime]:
    """When each of `media_ids` last went to the fan (items never sent are absent)."""
    if not media_ids:
        return {}
    rows = (
        VaultDelivery.objects.for_creator(creator_id)
        .filter(fan_id=fan_id, asset_id__in=list(media_ids))
        .values("asset_id")
        .annotate(last=Max("sent_at"))
    )
    return {row["asset_id"]: row["last"] for row in rows}


def vault_page(
    *,
    creator_id: int,
    fan_id: int | None = None,
    kind: str = "",
    offset: int = 0,
    limit: int = VAULT_PAGE_SIZE,
) -> VaultPage:
    """The newest vault items first; with `fan_id`, each says when it last went to that fan."""
    if kind and kind not in MediaKind.values:
        raise ValidationFailed.on_field("kind", "kind is one of " + ", ".join(MediaKind.values))
    if offset > VAULT_MAX_OFFSET:
        raise ValidationFailed.on_field("offset", f"offset is at most {VAULT_MAX_OFFSET}.")
    queryset = MediaAsset.objects.for_creator(creator_id).order_by("-created_at", "-id")
    if kind:
        queryset = queryset.filter(kind=kind)
    assets = list(queryset[offset : offset + limit + 1])
    has_more = len(assets) > limit
    assets = assets[:limit]
    sent = (
        vault_sent_to_fan(
            creator_id=creator_id, fan_id=fan_id, media_ids=[asset.id for asset in assets]
        )
        if fan_id is not None
        else {}
    )
    return VaultPage(
        items=[vault_item_of(asset, sent.get(asset.id)) for asset in assets],
        has_more=has_more,
        next_offset=offset + len(assets),
    )


def vault_items(*, creator_id: int, media_ids: Sequence[int]) -> list[VaultItem]:
    """The given items of the vault, in the given order (ids not in the vault are left out)."""
    by_id = {
        asset.id: asset
        for asset in MediaAsset.objects.for_creator(creator_id).filter(id__in=list(media_ids))
    }
    return [vault_item_of(by_id[media_id]) for media_id in media_ids if media_id in by_id]


def vault_missing(*, creator_id: int, media_ids: Sequence[int]) -> list[int]:
    """The ids among `media_ids` that are not items of this creator's vault."""
    if not media_ids:
        return []
    found = set(
        MediaAsset.objects.for_creator(creator_id)
        .filter(id__in=list(media_ids))
        .values_list("id", flat=True)
    )
    return [media_id for media_id in media_ids if media_id not in found]


def vault_file(*, creator_id: int, media_id: int) -> VaultFile:
    row = (
        MediaAsset.objects.for_creator(creator_id)
        .filter(id=media_id)
        .values("file", "mime_type", "size_bytes")
        .first()
    )
    if row is None or not row["file"]:
        raise NotFound("No such media in your vault.")
    return VaultFile(name=row["file"], mime_type=row["mime_type"], size_bytes=row["size_bytes"])


def vault_thumbnail(*, creator_id: int, media_id: int) -> VaultFile:
    """The thumbnail of a vault image; NotFound when the item is not this creator's or has
    none. Its size is unknown here (0): the storage tells it when serving."""
    name = (
        MediaAsset.objects.for_creator(creator_id)
        .filter(id=media_id)
        .values_list("thumbnail", flat=True)
        .first()
    )
    if not name:
        raise NotFound("This media has no thumbnail.")
    return VaultFile(name=name, mime_type=THUMBNAIL_MIME_TYPE, size_bytes=0)

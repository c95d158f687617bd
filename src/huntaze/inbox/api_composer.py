"""Inbox composer API: the vault (list, upload, delete, what a fan already received), sending
with media and a price, the bought state of PPV messages, and scripts."""

from __future__ import annotations

from datetime import datetime

from django.http import HttpRequest
from ninja import Field, File, Form, Query, Router, Schema, Status
from ninja.files import UploadedFile

from huntaze.content.selectors import VaultItem, vault_item_of, vault_page
from huntaze.content.services import media_asset_delete, media_asset_upload
from huntaze.core.api_utils import ErrorOut, actor_of, page_bounds
from huntaze.core.permissions import Permission
from huntaze.inbox.selectors import conversation_get
from huntaze.inbox.selectors_composer import ppv_message_states
from huntaze.inbox.selectors_scripts import script_list, scripts_for_conversation
from huntaze.inbox.services_messages import message_send
from huntaze.inbox.services_scripts import script_create, script_delete, script_update

router = Router(tags=["inbox-composer"])

READ_ERRORS: dict[int, type] = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut}
WRITE_ERRORS: dict[int, type] = {**READ_ERRORS, 409: ErrorOut}


# Vault -------------------------------------------------------------------------------------------


class VaultItemOut(Schema):
    id: int
    title: str
    kind: str
    mime_type: str
    size_bytes: int
    width: int | None
    height: int | None
    created_at: datetime
    sent_to_fan_at: datetime | None
    file_url: str
    thumbnail_url: str | None


class VaultPageOut(Schema):
    items: list[VaultItemOut]
    has_more: bool
    next_offset: int


class VaultFilters(Schema):
    kind: str = ""
    limit: int = 48
    offset: int = 0


def _vault_item(item: VaultItem) -> VaultItemOut:
    return VaultItemOut(
        id=item.id,
        title=item.title,
        kind=item.kind,
        mime_type=item.mime_type,
        size_bytes=item.size_bytes,
        width=item.width,
        height=item.height,
        created_at=item.created_at,
        sent_to_fan_at=item.sent_to_fan_at,
        file_url=item.file_url,
        thumbnail_url=item.thumbnail_url,
    )


def _vault_out(*, creator_id: int, filters: VaultFilters, fan_id: int | None) -> VaultPageOut:
    limit, offset = page_bounds(filters.limit, filters.offset)
    found = vault_page(
        creator_id=creator_id, fan_id=fan_id, kind=filters.kind, offset=offset, limit=limit
    )
    return VaultPageOut(
        items=[_vault_item(item) for item in found.items],
        has_more=found.has_more,
        next_offset=found.next_offset,
    )


@router.get("/vault/media", response={200: VaultPageOut, **READ_ERRORS})
def list_vault(request: HttpRequest, filters: Query[VaultFilters]) -> VaultPageOut:
    """The creator's vault, newest first."""
    actor = actor_of(request)
    actor.require(Permission.READ)
    return _vault_out(creator_id=actor.creator_id, filters=filters, fan_id=None)


@router.post("/vault/media", response={201: VaultItemOut, **WRITE_ERRORS})
def upload_vault(
    request: HttpRequest, file: File[UploadedFile], title: Form[str] = ""
) -> Status[VaultItemOut]:
    """Add a file to the vault. Its type is read from its bytes (images, videos, audio) and its
    size is bounded per kind."""
    actor = actor_of(request)
    asset = media_asset_upload(actor=actor, upload=file, title=title)
    item = vault_item_of(asset)
    return Status(201, _vault_item(item))


@router.delete("/vault/media/{media_id}", response={204: None, **WRITE_ERRORS})
def delete_vault(request: HttpRequest, media_id: int) -> Status[None]:
    media_asset_delete(actor=actor_of(request), media_id=media_id)
    return Status(204, None)


@router.get(
    "/inbox/conversations/{conversation_id}/vault", response={200: VaultPageOut, **READ_ERRORS}
)
def conversation_vault(
    request: HttpRequest, conversation_id: int, filters: Query[VaultFilters]
) -> VaultPageOut:
    """The vault as the picker shows it for one conversation: each item says when it last went
    to this fan."""
    actor = actor_of(request)
    conversation = conversation_get(actor=actor, conversation_id=conversation_id)
    return _vault_out(creator_id=actor.creator_id, filters=filters, fan_id=conversation.fan_id)


# Sending with media and a price ------------------------------------------------------------------


class ComposeIn(Schema):
    text: str = Field("", max_length=10_000)
    media_ids: list[int] = Field(default_factory=list, max_length=20)
    price_cents: int = Field(0, ge=0)
    confirm_resend: bool = False
    scheduled_for: datetime | None = None
    cancel_if_fan_replies: bool = False
    suggestion_id: int | None = None


class ComposedOut(Schema):
    id: int
    conversation_id: int
    direction: str
    sender_id: int | None
    text: str
    media_ids: list[int]
    price_cents: int
    ppv_item_id: int | None
    status: str
    sent_at: datetime
    scheduled_for: datetime | None
    cancel_if_fan_replies: bool


@router.post(
    "/inbox/conversations/{conversation_id}/compose", response={201: ComposedOut, **WRITE_ERRORS}
)
def compose(request: HttpRequest, conversation_id: int, payload: ComposeIn) -> Status[object]:
    """Send text with vault media, optionally as a PPV (`price_cents`, $3 to $200, media
    locked until bought). Media the fan already received answer 409 unless `confirm_resend`."""
    actor = actor_of(request)
    message = message_send(
        actor=actor,
        conversation_id=conversation_id,
        text=payload.text,
        media_ids=payload.media_ids,
        price_cents=payload.price_cents,
        confirm_resend=payload.confirm_resend,
        scheduled_for=payload.scheduled_for,
        cancel_if_fan_replies=payload.cancel_if_fan_replies,
        suggestion_id=payload.suggestion_id,
    )
    return Status(201, message)


class PPVStateOut(Schema):
    message_id: int
    ppv_item_id: int
    price_cents: int
    is_bought: bool
    bought_at: datetime | None


@router.get(
    "/inbox/conversations/{conversation_id}/ppv-states",
    response={200: list[PPVStateOut], **READ_ERRORS},
)
def ppv_states(request: HttpRequest, conversation_id: int) -> object:
    """Each PPV message of the conversation, bought or not."""
    return ppv_message_states(actor=actor_of(request), conversation_id=conversation_id)


# Scripts -----------------------------------------------------------------------------------------


class ScriptIn(Schema):
    shortcode: str = Field(..., max_length=41)
    title: str = Field(..., max_length=80)
    text: str = Field(..., max_length=5_000)
    media_ids: list[int] = Field(default_factory=list, max_length=20)
    price_cents: int = Field(0, ge=0)


class ScriptOut(Schema):
    id: int
    shortcode: str
    title: str
    text: str
    media_ids: list[int]
    price_cents: int


@router.get("/inbox/scripts", response={200: list[ScriptOut], **READ_ERRORS})
def list_scripts(request: HttpRequest) -> object:
    """Saved replies, by shortcode, variables unfilled."""
    actor = actor_of(request)
    actor.require(Permission.READ)
    return script_list(creator_id=actor.creator_id)


@router.post("/inbox/scripts", response={201: ScriptOut, **WRITE_ERRORS})
def create_script(request: HttpRequest, payload: ScriptIn) -> Status[object]:
    script = script_create(actor=actor_of(request), **payload.dict())
    return Status(201, script)


@router.put("/inbox/scripts/{script_id}", response={200: ScriptOut, **WRITE_ERRORS})
def update_script(request: HttpRequest, script_id: int, payload: ScriptIn) -> object:
    return script_update(actor=actor_of(request), script_id=script_id, **payload.dict())


@router.delete("/inbox/scripts/{script_id}", response={204: None, **WRITE_ERRORS})
def delete_script(request: HttpRequest, script_id: int) -> Status[None]:
    script_delete(actor=actor_of(request), script_id=script_id)
    return Status(204, None)


@router.get(
    "/inbox/conversations/{conversation_id}/scripts",
    response={200: list[ScriptOut], **READ_ERRORS},
)
def conversation_scripts(request: HttpRequest, conversation_id: int) -> object:
    """The scripts with {fan_name} and {creator_name} filled for this conversation's fan."""
    return scripts_for_conversation(actor=actor_of(request), conversation_id=conversation_id)

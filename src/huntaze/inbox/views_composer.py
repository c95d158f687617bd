"""Composer pages: the scripts manager (/onlyfans/messages/scripts) and the vault's files,
served to members of their creator only."""

from __future__ import annotations

from typing import Any

from django.core.files.storage import default_storage
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from huntaze.commerce.rules import price_cents_of
from huntaze.content.selectors import (
    VaultFile,
    vault_file,
    vault_items,
    vault_page,
    vault_thumbnail,
)
from huntaze.core.context import Actor
from huntaze.core.errors import NotFound, ValidationFailed
from huntaze.core.pages import workspace_page
from huntaze.core.permissions import Permission
from huntaze.inbox.selectors_scripts import script_get, script_list
from huntaze.inbox.services_scripts import (
    SCRIPT_VARIABLES,
    script_create,
    script_delete,
    script_update,
)

PICKER_SIZE = 48


def ids_of(values: list[str], *, field: str) -> list[int]:
    try:
        return [int(value) for value in values]
    except ValueError as error:
        raise ValidationFailed.on_field(field, "Choose items from the list.") from error


def _serve(found: VaultFile) -> HttpResponse:
    try:
        handle = default_storage.open(found.name, "rb")
    except FileNotFoundError as error:
        raise NotFound("This media's file is missing.") from error
    response = FileResponse(handle, content_type=found.mime_type)
    response["Content-Disposition"] = "inline"
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, max-age=3600"
    return response  # type: ignore[return-value]  # a streamed file, served like any page


@require_GET
@workspace_page(Permission.READ)
def vault_media_file(request: HttpRequest, media_id: int) -> HttpResponse:
    """The file of a vault item, for the pickers (never another creator's)."""
    actor: Actor = request.actor  # type: ignore[attr-defined]
    return _serve(vault_file(creator_id=actor.creator_id, media_id=media_id))


@require_GET
@workspace_page(Permission.READ)
def vault_media_thumbnail(request: HttpRequest, media_id: int) -> HttpResponse:
    """The thumbnail of a vault image, for the pickers' tiles (never another creator's)."""
    actor: Actor = request.actor  # type: ignore[attr-defined]
    return _serve(vault_thumbnail(creator_id=actor.creator_id, media_id=media_id))


def _form_values(request: HttpRequest) -> dict[str, Any]:
    return {
        "shortcode": request.POST.get("shortcode", ""),
        "title": request.POST.get("title", ""),
        "text": request.POST.get("text", ""),
        "media_ids": request.POST.getlist("media_ids"),
        "price": request.POST.get("price", ""),
    }


def _scripts_context(
    *, actor: Actor, editing: Any = None, values: dict[str, Any] | None = None
) -> dict[str, Any]:
    chosen: list[int] = []
    if values is not None:
        chosen = [int(v) for v in values["media_ids"] if str(v).isdigit()]
    elif editing is not None:
        chosen = list(editing.media_ids)
    vault = vault_page(creator_id=actor.creator_id, limit=PICKER_SIZE).items
    shown = {item.id for item in vault}
    extra = vault_items(
        creator_id=actor.creator_id, media_ids=[m for m in chosen if m not in shown]
    )
    if values is None and editing is not None:
        values = {
            "shortcode": editing.shortcode,
            "title": editing.title,
            "text": editing.text,
            "price": f"{editing.price_cents / 100:.2f}" if editing.price_cents else "",
        }
    return {
        "scripts": script_list(creator_id=actor.creator_id),
        "editing": editing,
        "values": values or {},
        "chosen": chosen,
        "vault": extra + vault,
        "variables": ["{" + name + "}" for name in SCRIPT_VARIABLES],
        "can_message": actor.can(Permission.MESSAGE),
    }


def _save(request: HttpRequest, actor: Actor, script_id: int | None) -> HttpResponse:
    values = _form_values(request)
    try:
        arguments = {
            "shortcode": values["shortcode"],
            "title": values["title"],
            "text": values["text"],
            "media_ids": ids_of(values["media_ids"], field="media_ids"),
            "price_cents": price_cents_of(values["price"]),
        }
        if script_id is None:
            script_create(actor=actor, **arguments)
        else:
            script_update(actor=actor, script_id=script_id, **arguments)
    except ValidationFailed as error:
        editing = (
            script_get(creator_id=actor.creator_id, script_id=script_id) if script_id else None
        )
        context = _scripts_context(actor=actor, editing=editing, values=values)
        context["errors"] = error.field_errors
        return render(request, "inbox/scripts.html", context, status=422)
    return redirect("/onlyfans/messages/scripts")


@require_http_methods(["GET", "POST"])
@workspace_page(Permission.READ)
def scripts_page(request: HttpRequest) -> HttpResponse:
    actor: Actor = request.actor  # type: ignore[attr-defined]
    if request.method == "POST":
        actor.require(Permission.MESSAGE)
        return _save(request, actor, None)
    return render(request, "inbox/scripts.html", _scripts_context(actor=actor))


@require_http_methods(["GET", "POST"])
@workspace_page(Permission.MESSAGE)
def script_edit(request: HttpRequest, script_id: int) -> HttpResponse:
    actor: Actor = request.actor  # type: ignore[attr-defined]
    script = script_get(creator_id=actor.creator_id, script_id=script_id)
    if request.method == "POST":
        return _save(request, actor, script.id)
    return render(request, "inbox/scripts.html", _scripts_context(actor=actor, editing=script))


@require_POST
@workspace_page(Permission.MESSAGE)
def script_remove(request: HttpRequest, script_id: int) -> HttpResponse:
    actor: Actor = request.actor  # type: ignore[attr-defined]
    script_delete(actor=actor, script_id=script_id)
    return redirect("/onlyfans/messages/scripts")

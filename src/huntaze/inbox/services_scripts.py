"""Scripts (saved replies): create, change, delete. A script has a shortcode typed after `/`
in the composer, a text with variables ({fan_name}, {creator_name}), media and a price."""

from __future__ import annotations

import re
from collections.abc import Sequence

from django.db import IntegrityError, transaction

from huntaze.commerce.services_ppv import clean_ids, ppv_price_check
from huntaze.content.selectors import vault_missing
from huntaze.core.context import Actor
from huntaze.core.errors import Conflict, NotFound, ValidationFailed
from huntaze.core.permissions import Permission
from huntaze.inbox.models import Script

SCRIPT_VARIABLES = ("fan_name", "creator_name")
VARIABLE_PATTERN = re.compile(r"\{([^{}\s]*)\}")
SHORTCODE_PATTERN = re.compile(r"[a-z0-9][a-z0-9_-]{0,39}")
MAX_TITLE_LENGTH = 80
MAX_SCRIPT_TEXT_LENGTH = 5_000
MAX_SCRIPT_MEDIA = 20
MAX_SCRIPTS = 500


def _clean_shortcode(shortcode: str) -> str:
    shortcode = (shortcode or "").strip().lstrip("/").lower()
    if not SHORTCODE_PATTERN.fullmatch(shortcode):
        raise ValidationFailed.on_field(
            "shortcode",
            "A shortcode is 1 to 40 lowercase letters, digits, - or _, starting with a letter "
            "or digit.",
        )
    return shortcode


def _clean_title(title: str) -> str:
    title = (title or "").strip()
    if not title or len(title) > MAX_TITLE_LENGTH or "\x00" in title:
        raise ValidationFailed.on_field("title", f"A title is 1 to {MAX_TITLE_LENGTH} characters.")
    return title


def _clean_text(text: str) -> str:
    text = (text or "").strip()
    if not text or len(text) > MAX_SCRIPT_TEXT_LENGTH or "\x00" in text:
        raise ValidationFailed.on_field(
            "text", f"A script's text is 1 to {MAX_SCRIPT_TEXT_LENGTH} characters."
        )
    unknown = sorted(
        {name for name in VARIABLE_PATTERN.findall(text) if name not in SCRIPT_VARIABLES}
    )
    if unknown:
        raise ValidationFailed.on_field(
            "text",
            "Unknown variable "
            + ", ".join("{" + name + "}" for name in unknown)
            + ": use {fan_name} or {creator_name}.",
        )
    return text


def _clean_offer(
    *, creator_id: int, media_ids: Sequence[int], price_cents: int
) -> tuple[list[int], int]:
    cleaned = clean_ids(media_ids, field="media_ids", limit=MAX_SCRIPT_MEDIA)
    missing = vault_missing(creator_id=creator_id, media_ids=cleaned)
    if missing:
        raise ValidationFailed.on_field(
            "media_ids", "Not in your vault: " + ", ".join(str(m) for m in missing) + "."
        )
    if isinstance(price_cents, bool) or not isinstance(price_cents, int) or price_cents < 0:
        raise ValidationFailed.on_field("price_cents", "The price is a whole number of cents.")
    if price_cents:
        ppv_price_check(price_cents)
        if not cleaned:
            raise ValidationFailed.on_field("media_ids", "A priced script needs media to unlock.")
    return cleaned, price_cents


def _save(script: Script) -> Script:
    try:
        with transaction.atomic():
            script.save()
    except IntegrityError as error:
        raise Conflict(
            "Another script has this shortcode.",
            field_errors={"shortcode": ["Another script has this shortcode."]},
        ) from error
    return script


def script_create(
    *,
    actor: Actor,
    shortcode: str,
    title: str,
    text: str,
    media_ids: Sequence[int] = (),
    price_cents: int = 0,
) -> Script:
    actor.require(Permission.MESSAGE)
    script = Script(creator_id=actor.creator_id)
    script.shortcode = _clean_shortcode(shortcode)
    script.title = _clean_title(title)
    script.text = _clean_text(text)
    script.media_ids, script.price_cents = _clean_offer(
        creator_id=actor.creator_id, media_ids=media_ids, price_cents=price_cents
    )
    if Script.objects.for_creator(actor.creator_id).count() >= MAX_SCRIPTS:
        raise ValidationFailed.on_field("shortcode", f"At most {MAX_SCRIPTS} scripts.")
    return _save(script)


def script_update(
    *,
    actor: Actor,
    script_id: int,
    shortcode: str,
    title: str,
    text: str,
    media_ids: Sequence[int] = (),
    price_cents: int = 0,
) -> Script:
    actor.require(Permission.MESSAGE)
    script = Script.objects.for_creator(actor.creator_id).filter(id=script_id).first()
    if script is None:
        raise NotFound("No such script.")
    script.shortcode = _clean_shortcode(shortcode)
    script.title = _clean_title(title)
    script.text = _clean_text(text)
    script.media_ids, script.price_cents = _clean_offer(
        creator_id=actor.creator_id, media_ids=media_ids, price_cents=price_cents
    )
    return _save(script)


def script_delete(*, actor: Actor, script_id: int) -> None:
    actor.require(Permission.MESSAGE)
    deleted, _rows = Script.objects.for_creator(actor.creator_id).filter(id=script_id).delete()
    if not deleted:
        raise NotFound("No such script.")

"""Core writes: creators, memberships, the audit log and the outbox."""

from __future__ import annotations

from typing import Any

from django.core.cache import cache
from django.db import transaction
from django.utils.text import slugify

from huntaze.core.context import Actor
from huntaze.core.errors import Conflict, NotFound, ValidationFailed
from huntaze.core.models import AuditLog, Creator, Membership, OutboxEvent, Role
from huntaze.core.selectors import creator_cache_key


def forget_now_and_on_commit(key: str) -> None:
    """Delete a cache entry at once, and again after the commit: a reader between the two
    would otherwise cache the row as it was before the transaction."""
    cache.delete(key)
    transaction.on_commit(lambda: cache.delete(key))


def creator_cache_forget(*, creator_id: int) -> None:
    """`creator_get` reads the row again: for writes that bypass save() (a queryset update);
    saves and deletes are covered by signals."""
    forget_now_and_on_commit(creator_cache_key(creator_id=creator_id))


def creator_create(*, name: str, owner_id: int, timezone: str = "UTC") -> Creator:
    name = name.strip()
    if not name:
        raise ValidationFailed.on_field("name", "Give the workspace a name.")
    if len(name) > 120:
        raise ValidationFailed.on_field("name", "The name is at most 120 characters.")
    base = slugify(name)[:120] or "creator"
    slug = base
    suffix = 1
    while Creator.objects.filter(slug=slug).exists():
        suffix += 1
        slug = f"{base}-{suffix}"
    with transaction.atomic():
        creator = Creator.objects.create(name=name, slug=slug, timezone=timezone)
        Membership.objects.create(user_id=owner_id, creator=creator, role=Role.OWNER)
        audit_log_add(
            actor=Actor(creator_id=creator.id, user_id=owner_id, role=Role.OWNER),
            action="creator.created",
            target_type="creator",
            target_id=str(creator.id),
        )
    return creator


def membership_add(*, creator_id: int, user_id: int, role: str) -> Membership:
    if role not in Role.values:
        raise ValidationFailed.on_field("role", f"Unknown role {role!r}.")
    membership, created = Membership.objects.get_or_create(
        creator_id=creator_id, user_id=user_id, defaults={"role": role}
    )
    if not created:
        raise Conflict("This person is already a member of the workspace.")
    return membership


def membership_set_role(*, actor: Actor, membership_id: int, role: str) -> Membership:
    if role not in Role.values:
        raise ValidationFailed.on_field("role", f"Unknown role {role!r}.")
    with transaction.atomic():
        membership = (
            Membership.objects.select_for_update()
            .filter(id=membership_id, creator_id=actor.creator_id)
            .first()
        )
        if membership is None:
            raise NotFound("No such member.")
        if membership.role == Role.OWNER and role != Role.OWNER:
            owners = Membership.objects.filter(creator_id=actor.creator_id, role=Role.OWNER).count()
            if owners <= 1:
                raise Conflict("A workspace keeps at least one owner.")
        membership.role = role
        membership.save(update_fields=["role"])
        audit_log_add(
            actor=actor,
            action="membership.role_changed",
            target_type="membership",
            target_id=str(membership.id),
            data={"role": role},
        )
    return membership


def membership_remove(*, actor: Actor, membership_id: int) -> None:
    with transaction.atomic():
        membership = (
            Membership.objects.select_for_update()
            .filter(id=membership_id, creator_id=actor.creator_id)
            .first()
        )
        if membership is None:
            raise NotFound("No such member.")
        if membership.role == Role.OWNER:
            owners = Membership.objects.filter(creator_id=actor.creator_id, role=Role.OWNER).count()
            if owners <= 1:
                raise Conflict("A workspace keeps at least one owner.")
        membership.delete()
        audit_log_add(
            actor=actor,
            action="membership.removed",
            target_type="membership",
            target_id=str(membership_id),
        )


def audit_log_add(
    *,
    actor: Actor,
    action: str,
    target_type: str = "",
    target_id: str = "",
    data: dict[str, Any] | None = None,
    ip_address: str | None = None,
) -> AuditLog:
    return AuditLog.objects.create(
        creator_id=actor.creator_id,
        actor_id=actor.user_id,
        action=action,
        target_type=target_type,
        target_id=target_id,
        data=data or {},
        ip_address=ip_address,
    )


def outbox_add(
    *,
    creator_id: int | None,
    aggregate_type: str,
    aggregate_id: str,
    event_type: str,
    payload: dict[str, Any],
) -> OutboxEvent:
    """Record an event in the same transaction as the change that caused it."""
    return OutboxEvent.objects.create(
        creator_id=creator_id,
        aggregate_type=aggregate_type,
        aggregate_id=aggregate_id,
        event_type=event_type,
        payload=payload,
    )

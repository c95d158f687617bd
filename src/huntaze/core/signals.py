"""Cache entries forgotten when the rows behind them change, whichever code path wrote them."""

from __future__ import annotations

from typing import Any

from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_delete, post_save

from huntaze.core.models import Creator, Membership
from huntaze.core.selectors import membership_role_cache_key, workspaces_cache_key


def forget_now_and_on_commit(key: str) -> None:
    """Delete at once, and again after the commit: a reader between the two would otherwise
    cache the row as it was before the transaction."""
    cache.delete(key)
    transaction.on_commit(lambda: cache.delete(key))


def _membership_changed(sender: type[Membership], instance: Membership, **_: Any) -> None:
    forget_now_and_on_commit(
        membership_role_cache_key(user_id=instance.user_id, creator_id=instance.creator_id)
    )
    forget_now_and_on_commit(workspaces_cache_key(user_id=instance.user_id))


def _creator_changed(sender: type[Creator], instance: Creator, **_: Any) -> None:
    """A renamed creator: its members' workspace lists show the new name at once."""
    user_ids = Membership.objects.filter(creator_id=instance.pk).values_list("user_id", flat=True)
    for user_id in user_ids:
        forget_now_and_on_commit(workspaces_cache_key(user_id=user_id))


def connect() -> None:
    post_save.connect(_membership_changed, sender=Membership, dispatch_uid="membership-role-save")
    post_delete.connect(
        _membership_changed, sender=Membership, dispatch_uid="membership-role-delete"
    )
    post_save.connect(_creator_changed, sender=Creator, dispatch_uid="creator-workspaces")

"""Cache entries forgotten when the rows behind them change, whichever code path wrote them."""

from __future__ import annotations

from typing import Any

from django.db.models.signals import post_delete, post_save

from huntaze.core.models import Creator, Membership
from huntaze.core.selectors import membership_role_cache_key, workspaces_cache_key
from huntaze.core.services import (
    creator_cache_forget,
    forget_now_and_on_commit,
)


def _membership_changed(sender: type[Membership], instance: Membership, **_: Any) -> None:
    forget_now_and_on_commit(
        membership_role_cache_key(user_id=instance.user_id, creator_id=instance.creator_id)
    )
    forget_now_and_on_commit(workspaces_cache_key(user_id=instance.user_id))


def _creator_changed(sender: type[Creator], instance: Creator, **_: Any) -> None:
    """A changed creator is read again at once; a renamed one shows its new name in its
    members' workspace lists at once."""
    creator_cache_forget(creator_id=instance.pk)
    user_ids = Membership.objects.filter(creator_id=instance.pk).values_list("user_id", flat=True)
    for user_id in user_ids:
        forget_now_and_on_commit(workspaces_cache_key(user_id=user_id))


def connect() -> None:
    post_save.connect(_membership_changed, sender=Membership, dispatch_uid="membership-role-save")
    post_delete.connect(
        _membership_changed, sender=Membership, dispatch_uid="membership-role-delete"
    )
    post_save.connect(_creator_changed, sender=Creator, dispatch_uid="creator-workspaces")
    post_delete.connect(_creator_changed, sender=Creator, dispatch_uid="creator-delete")

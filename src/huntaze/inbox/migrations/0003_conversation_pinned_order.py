"""The inbox list puts pinned conversations first (`inbox.selectors.CONVERSATION_ORDER`:
is_pinned DESC, last_message_at DESC, id DESC), so its indexes follow that order:

- (creator, -is_pinned, -last_message_at, -id) for the whole list (and the pinned filter: the
  pinned rows come first in it, so the partial index `conv_pinned_activity` goes);
- (creator, assigned_to, -is_pinned, -last_message_at, -id) for a limited chatter and "mine",
  replacing (creator, assigned_to, -last_message_at);
- the partial indexes of the unread and awaiting-a-reply filters (migration 0002) get
  is_pinned DESC after creator_id.

`conv_creator_activity` (creator, -last_message_at) stays: the home page counts recent chats
with it. Raw SQL for the partial indexes (valid on PostgreSQL and SQLite), as in 0002."""

from django.conf import settings
from django.db import migrations, models

PARTIAL = {
    "conv_unread_activity": "unread_count > 0",
    "conv_awaiting_activity": (
        "last_inbound_at IS NOT NULL"
        " AND (last_outbound_at IS NULL OR last_inbound_at > last_outbound_at)"
    ),
}


def _create(name: str, condition: str, columns: str) -> str:
    return f"CREATE INDEX IF NOT EXISTS {name} ON conversations ({columns}) WHERE {condition}"


OLD_COLUMNS = "creator_id, last_message_at DESC, id DESC"
NEW_COLUMNS = "creator_id, is_pinned DESC, last_message_at DESC, id DESC"


def _replace(name: str, condition: str) -> migrations.RunSQL:
    return migrations.RunSQL(
        [f"DROP INDEX IF EXISTS {name}", _create(name, condition, NEW_COLUMNS)],
        [f"DROP INDEX IF EXISTS {name}", _create(name, condition, OLD_COLUMNS)],
    )


class Migration(migrations.Migration):
    dependencies = [
        ("inbox", "0002_conversation_filter_indexes"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RemoveIndex(model_name="conversation", name="conv_assignee_activity"),
        migrations.AddIndex(
            model_name="conversation",
            index=models.Index(
                fields=["creator", "-is_pinned", "-last_message_at", "-id"],
                name="conv_creator_pinned_activity",
            ),
        ),
        migrations.AddIndex(
            model_name="conversation",
            index=models.Index(
                fields=["creator", "assigned_to", "-is_pinned", "-last_message_at", "-id"],
                name="conv_assignee_pinned_activity",
            ),
        ),
        migrations.RunSQL(
            "DROP INDEX IF EXISTS conv_pinned_activity",
            _create("conv_pinned_activity", "is_pinned", OLD_COLUMNS),
        ),
        *(_replace(name, condition) for name, condition in PARTIAL.items()),
    ]

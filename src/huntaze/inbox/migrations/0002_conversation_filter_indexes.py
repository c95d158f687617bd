"""Partial indexes for the fan list's filters (unread, pinned, awaiting a reply), each in the
list's order, so a filtered page reads a few index entries even with 100k conversations.

Raw SQL (valid on PostgreSQL and SQLite) so the model state stays as it is: the filters'
predicates in `inbox.selectors` match these WHERE clauses."""

from django.db import migrations

INDEXES = {
    "conv_unread_activity": "unread_count > 0",
    "conv_pinned_activity": "is_pinned",
    "conv_awaiting_activity": (
        "last_inbound_at IS NOT NULL"
        " AND (last_outbound_at IS NULL OR last_inbound_at > last_outbound_at)"
    ),
}


def _create(name: str, condition: str) -> str:
    return (
        f"CREATE INDEX IF NOT EXISTS {name} ON conversations "
        f"(creator_id, last_message_at DESC, id DESC) WHERE {condition}"
    )


class Migration(migrations.Migration):
    dependencies = [("inbox", "0001_initial")]

    operations = [
        migrations.RunSQL(_create(name, condition), f"DROP INDEX IF EXISTS {name}")
        for name, condition in INDEXES.items()
    ]

"""Trigram indexes for the fan search (the CRM table's `q`, the fans API and the inbox's
conversation search), on PostgreSQL only.

The search is `icontains` on the fan's username and display name, which Django emits on
PostgreSQL as `UPPER("fans"."username"::text) LIKE UPPER('%…%')`: a leading wildcard that a
B-tree cannot serve, so every search read all the creator's fans. A GIN index with pg_trgm's
`gin_trgm_ops` on exactly that expression serves it (searches of 3 characters or more; shorter
ones keep the previous plan). SQLite has no such index; its databases are small and local."""

from django.db import migrations

TRIGRAM_INDEXES = {
    "fan_username_trgm": "username",
    "fan_display_name_trgm": "display_name",
}


def create_trigram_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for name, column in TRIGRAM_INDEXES.items():
        schema_editor.execute(
            f'CREATE INDEX IF NOT EXISTS "{name}" ON "fans" '
            f'USING gin (UPPER("{column}"::text) gin_trgm_ops)'
        )


def drop_trigram_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in TRIGRAM_INDEXES:
        schema_editor.execute(f'DROP INDEX IF EXISTS "{name}"')
    # The extension stays: other objects may use it, and it costs nothing unused.


class Migration(migrations.Migration):
    dependencies = [
        ("fans", "0002_crm_sort_indexes"),
    ]

    operations = [
        migrations.RunPython(create_trigram_indexes, drop_trigram_indexes),
    ]

"""Indexes for the fan table's sorts. Those ordered "DESC NULLS LAST" (last purchase, LTV,
churn risk: fans without a value go last) exist on PostgreSQL only: SQLite cannot index
NULLS LAST, and sorts there run on a small local database."""

from django.db import migrations, models

NULLS_LAST_INDEXES = {
    "fan_creator_last_purchase": "last_purchase_at",
    "fan_creator_ltv": "ltv_cents",
    "fan_creator_churn": "churn_risk",
}


def create_nulls_last_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, column in NULLS_LAST_INDEXES.items():
        schema_editor.execute(
            f'CREATE INDEX IF NOT EXISTS "{name}" ON "fans" '
            f'("creator_id", "{column}" DESC NULLS LAST, "id" DESC)'
        )


def drop_nulls_last_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in NULLS_LAST_INDEXES:
        schema_editor.execute(f'DROP INDEX IF EXISTS "{name}"')


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0001_initial"),
        ("fans", "0001_initial"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="fan",
            index=models.Index(fields=["creator", "username"], name="fan_creator_username"),
        ),
        migrations.RunPython(create_nulls_last_indexes, drop_nulls_last_indexes),
    ]

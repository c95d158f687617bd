"""Removing the demo data: the demo creators with every row they own, and the demo users.

Rows go with plain DELETEs per table (millions of messages would be far too slow through the
ORM's collector, which loads them); foreign keys are deferred on both databases, so the order
only has to be right by the end of the transaction. On PostgreSQL, when the demo creators are
the only creators, the tables are truncated instead."""

from __future__ import annotations

from django.apps import apps
from django.db import connection, transaction

from huntaze.accounts.models import User
from huntaze.core.models import Creator
from huntaze.web.demo.team import DEMO_EMAIL_DOMAIN, DEMO_SLUG_PREFIX


def _tables_with_creator_column() -> list[str]:
    tables = []
    for model in apps.get_models():
        for field in model._meta.concrete_fields:
            if (
                field.is_relation
                and field.related_model is Creator
                and field.column == "creator_id"
            ):
                tables.append(model._meta.db_table)
    return sorted(set(tables))


def _only_demo_creators(demo_count: int) -> bool:
    return Creator.objects.count() == demo_count


def demo_reset() -> dict[str, int]:
    """Delete the demo creators (slug `demo-...`), all their rows, and the demo users.
    Returns the rows deleted per table (-1: the table was truncated)."""
    creator_ids = list(
        Creator.objects.filter(slug__startswith=DEMO_SLUG_PREFIX).values_list("id", flat=True)
    )
    deleted: dict[str, int] = {}
    with transaction.atomic():
        if (
            creator_ids
            and _only_demo_creators(len(creator_ids))
            and connection.vendor == "postgresql"
        ):
            # Nothing but the demo: emptying the tables is instant, deleting millions of rows
            # (each firing its foreign-key triggers) takes minutes.
            tables = [*_tables_with_creator_column(), "creators"]
            with connection.cursor() as cursor:
                # TRUNCATE waits for no queued deferred foreign-key check: run them now.
                cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
                cursor.execute("SET CONSTRAINTS ALL DEFERRED")
                cursor.execute(f"TRUNCATE {', '.join(tables)}")
            deleted = dict.fromkeys(tables, -1)
        elif creator_ids:
            placeholders = ", ".join(["%s"] * len(creator_ids))
            with connection.cursor() as cursor:
                for table in _tables_with_creator_column():
                    cursor.execute(
                        f"DELETE FROM {table} WHERE creator_id IN ({placeholders})",  # noqa: S608
                        creator_ids,
                    )
                    if cursor.rowcount:
                        deleted[table] = cursor.rowcount
                cursor.execute(
                    f"DELETE FROM creators WHERE id IN ({placeholders})",  # noqa: S608
                    creator_ids,
                )
                deleted["creators"] = cursor.rowcount
        # Few users, and few rows still pointing at them: the ORM handles their relations.
        users, _by_model = User.objects.filter(email__endswith=f"@{DEMO_EMAIL_DOMAIN}").delete()
        if users:
            deleted["users"] = users
    return deleted

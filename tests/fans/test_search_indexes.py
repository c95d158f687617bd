"""The fan search's trigram indexes (migration fans.0003): on PostgreSQL they exist on the exact
expression Django's `icontains` emits and the planner uses them; on SQLite nothing is created."""

from __future__ import annotations

import pytest
from django.db import connection, transaction
from django.db.models import Q

from huntaze.fans.models import Fan
from huntaze.fans.selectors import fan_list
from tests.factories import FanFactory

pytestmark = pytest.mark.django_db

on_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="trigram indexes exist on PostgreSQL only"
)
on_sqlite = pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite only")


def _index_names() -> set[str]:
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, "fans")
    return {name for name, info in constraints.items() if info["index"]}


@on_postgresql
def test_trigram_indexes_exist_on_the_searched_expressions():
    # Given the migrated database
    # When reading the fan table's index definitions
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexname, indexdef FROM pg_indexes "
            "WHERE tablename = 'fans' AND indexname LIKE %s ORDER BY indexname",
            ["%_trgm"],
        )
        rows = cursor.fetchall()

    # Then each searched column has a GIN trigram index on UPPER(column::text)
    assert rows == [
        (
            "fan_display_name_trgm",
            "CREATE INDEX fan_display_name_trgm ON public.fans "
            "USING gin (upper((display_name)::text) gin_trgm_ops)",
        ),
        (
            "fan_username_trgm",
            "CREATE INDEX fan_username_trgm ON public.fans "
            "USING gin (upper((username)::text) gin_trgm_ops)",
        ),
    ]


@on_postgresql
def test_the_search_query_can_use_the_trigram_indexes(creator_a):
    # Given fans, and a search as the selectors build it (icontains on both names)
    FanFactory.create_batch(3, creator=creator_a)
    search = Fan.objects.filter(
        Q(username__icontains="jetken") | Q(display_name__icontains="jetken")
    )
    assert 'UPPER("fans"."username"::text) LIKE UPPER(' in str(search.query)

    # When the planner may not read the whole table
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_indexscan = off")
        plan = search.explain()

    # Then it reads both trigram indexes
    assert "Bitmap Index Scan on fan_username_trgm" in plan
    assert "Bitmap Index Scan on fan_display_name_trgm" in plan


@on_postgresql
def test_the_search_finds_fans_by_part_of_either_name_in_any_case(creator_a):
    # Given fans with and without "ken" in their names
    kenny = FanFactory(creator=creator_a, username="jetken4", display_name="Jet")
    ken = FanFactory(creator=creator_a, username="sky2", display_name="KENDALL")
    FanFactory(creator=creator_a, username="acetom0", display_name="Tom")

    # When searching (with the trigram indexes present)
    found = list(fan_list(creator_id=creator_a.id, search="Ken", sort="name"))

    # Then both are found, whatever the case
    assert found == [kenny, ken]


@on_sqlite
def test_no_trigram_index_on_sqlite():
    # Given the migrated SQLite database
    # When listing the fan table's indexes
    names = _index_names()

    # Then the migration created none of the PostgreSQL-only trigram indexes
    assert "fan_username_trgm" not in names
    assert "fan_display_name_trgm" not in names
    assert "fan_creator_username" in names

"""The tenant scope fails closed."""

import pytest
from django.utils import timezone

from huntaze.core.tenancy import TenantScopeError, creator_owned_models
from huntaze.fans.models import Fan
from tests.factories import FanFactory, creator_owned_rows


def test_every_creator_owned_model_refuses_an_unscoped_read(db):
    models = creator_owned_models()
    assert len(models) >= 25
    for model in models:
        with pytest.raises(TenantScopeError):
            list(model.objects.all())
        with pytest.raises(TenantScopeError):
            model.objects.count()
        with pytest.raises(TenantScopeError):
            model.objects.filter(id=1).update(created_at=None)


def test_scoped_read_sees_only_its_creator(creator_a, creator_b):
    fan_a = FanFactory(creator=creator_a)
    FanFactory(creator=creator_b)

    fans = list(Fan.objects.for_creator(creator_a.id))

    assert [f.id for f in fans] == [fan_a.id]


def test_scoped_delete_leaves_the_other_creator_untouched(creator_a, creator_b):
    FanFactory(creator=creator_a)
    fan_b = FanFactory(creator=creator_b)

    Fan.objects.for_creator(creator_a.id).delete()

    assert list(Fan.all_creators.values_list("id", flat=True)) == [fan_b.id]


def test_every_creator_owned_model_is_covered_by_the_row_builder(creator_b, owner_b):
    rows = creator_owned_rows(creator=creator_b, user=owner_b, marker="bsecret")

    assert set(rows) == set(creator_owned_models())
    for model, row in rows.items():
        assert row.creator_id == creator_b.id, model.__name__


def test_no_creator_owned_model_shows_another_creators_row(creator_a, creator_b, owner_a, owner_b):
    # Given one row of every creator-owned model for each creator
    rows_a = creator_owned_rows(creator=creator_a, user=owner_a, marker="asecret")
    rows_b = creator_owned_rows(creator=creator_b, user=owner_b, marker="bsecret")

    for model in creator_owned_models():
        # When A's scope reads the table, by every usual route
        scoped = model.objects.for_creator(creator_a.id)
        b_id = rows_b[model].pk

        # Then B's row never shows, and A's does
        assert list(scoped.values_list("pk", flat=True)) == [rows_a[model].pk], model.__name__
        assert not scoped.filter(pk=b_id).exists(), model.__name__
        assert scoped.filter(pk=b_id).first() is None, model.__name__
        assert scoped.filter(pk=b_id).count() == 0, model.__name__
        assert list(scoped.filter(pk=b_id).iterator()) == [], model.__name__
        with pytest.raises(model.DoesNotExist):
            scoped.get(pk=b_id)
        assert scoped.filter(pk=b_id).update(updated_at=timezone.now()) == 0, model.__name__
        assert scoped.filter(pk=b_id).delete()[0] == 0, model.__name__
        # ... and B's scope still has its own, untouched
        assert list(model.objects.for_creator(creator_b.id).values_list("pk", flat=True)) == [
            b_id
        ], model.__name__


def test_combining_a_scoped_queryset_with_an_unscoped_one_fails_closed(creator_a, creator_b):
    FanFactory(creator=creator_a)
    FanFactory(creator=creator_b)
    scoped = Fan.objects.for_creator(creator_a.id)

    with pytest.raises(TenantScopeError):
        list(scoped | Fan.objects.all())
    with pytest.raises(TenantScopeError):
        list(scoped.union(Fan.objects.all()))
    with pytest.raises(TenantScopeError):
        list(Fan.objects.all() | scoped)


async def test_async_iteration_needs_a_scope(db):
    with pytest.raises(TenantScopeError):
        [fan async for fan in Fan.objects.all().aiterator()]
    with pytest.raises(TenantScopeError):
        [fan async for fan in Fan.objects.all()]

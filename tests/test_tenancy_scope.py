"""The tenant scope fails closed."""

import pytest

from huntaze.core.tenancy import TenantScopeError, creator_owned_models
from huntaze.fans.models import Fan
from tests.factories import FanFactory


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

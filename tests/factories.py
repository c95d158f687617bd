"""factory_boy factories for the models every test needs."""

from __future__ import annotations

from datetime import timedelta

import factory
from django.utils import timezone

from huntaze.accounts.models import User
from huntaze.commerce.models import Transaction
from huntaze.core.models import Creator, Membership
from huntaze.fans.models import Fan
from huntaze.inbox.models import Conversation, Message


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User

    email = factory.Sequence(lambda n: f"user{n}@example.com")
    name = factory.Faker("name")
    password = factory.django.Password("correct horse battery staple")
    onboarding_completed = True


class CreatorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Creator

    name = factory.Sequence(lambda n: f"Creator {n}")
    slug = factory.Sequence(lambda n: f"creator-{n}")


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    creator = factory.SubFactory(CreatorFactory)
    role = "owner"


class FanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Fan

    creator = factory.SubFactory(CreatorFactory)
    platform_fan_id = factory.Sequence(lambda n: f"of-{n}")
    username = factory.Sequence(lambda n: f"fan{n}")
    display_name = factory.Faker("first_name")
    joined_at = factory.LazyFunction(lambda: timezone.now() - timedelta(days=40))


class ConversationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Conversation

    creator = factory.SubFactory(CreatorFactory)
    fan = factory.SubFactory(FanFactory, creator=factory.SelfAttribute("..creator"))
    last_message_at = factory.LazyFunction(timezone.now)


class MessageFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Message

    conversation = factory.SubFactory(ConversationFactory)
    creator = factory.SelfAttribute("conversation.creator")
    fan = factory.SelfAttribute("conversation.fan")
    direction = "in"
    text = factory.Faker("sentence")
    sent_at = factory.LazyFunction(timezone.now)


class TransactionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Transaction

    creator = factory.SubFactory(CreatorFactory)
    fan = factory.SubFactory(FanFactory, creator=factory.SelfAttribute("..creator"))
    amount_cents = 1000
    status = "completed"
    type = "tip"
    occurred_at = factory.LazyFunction(timezone.now)


# A row of every creator-owned model, built generically ------------------------------------------


def _fill_value(field, *, marker: str, counter: int):
    """A valid value for a concrete field: its first choice, or one made from its type; text
    values carry `marker` so a leak is visible in any response body."""
    import uuid
    from decimal import Decimal

    from django.db import models as m

    if field.choices:
        return field.choices[0][0]
    text = f"{marker}{counter}"
    if isinstance(field, m.EmailField):
        return f"{text}@example.com"
    if isinstance(field, m.URLField):
        return f"https://example.com/{text}"
    if isinstance(field, m.SlugField):
        return text[: field.max_length or 50]
    if isinstance(field, m.GenericIPAddressField):
        return "10.0.0.1"
    if isinstance(field, m.FileField):
        return f"tests/{text}.bin"
    if isinstance(field, m.UUIDField):
        return uuid.uuid4()
    if isinstance(field, m.JSONField):
        default = field.get_default() if field.has_default() else {}
        if isinstance(default, list):
            return [] if field.name.endswith("_ids") else [text]
        return {"marker": text}
    if isinstance(field, m.BooleanField):
        return field.get_default() if field.has_default() else False
    if isinstance(field, m.DecimalField):
        return Decimal("1")
    if isinstance(field, m.FloatField):
        return 0.5
    if isinstance(field, m.DurationField):
        return timedelta(minutes=5)
    if isinstance(field, m.DateTimeField):
        return timezone.now() + timedelta(seconds=counter)
    if isinstance(field, m.DateField):
        return (timezone.now() - timedelta(days=counter)).date()
    if isinstance(field, m.TimeField):
        return timezone.now().time()
    if isinstance(field, m.IntegerField | m.BigIntegerField | m.SmallIntegerField):
        return 1 + counter % 7
    if isinstance(field, m.CharField | m.TextField):
        if field.max_length and len(text) > field.max_length:
            return text[-field.max_length :]
        return text
    raise NotImplementedError(
        f"tests/factories.py: teach creator_owned_rows how to fill {type(field).__name__} "
        f"({field.model.__name__}.{field.name})"
    )


def creator_owned_rows(*, creator, user, marker: str) -> dict:
    """Create one row of every creator-owned model for `creator` (relations point at this
    creator's rows, users at `user`), every field filled; returns {model: row}."""
    from itertools import count

    from django.conf import settings as django_settings
    from django.db import models as m

    from huntaze.core.tenancy import CreatorOwnedModel, creator_owned_models

    counter = count(1)
    rows: dict = {}

    def build(model):
        if model in rows:
            return rows[model]
        values = {}
        for field in model._meta.concrete_fields:
            if field.primary_key or getattr(field, "auto_now", False):
                continue
            if getattr(field, "auto_now_add", False):
                continue
            if field.is_relation:
                related = field.related_model
                if related is Creator:
                    values[field.name] = creator
                elif related._meta.label == django_settings.AUTH_USER_MODEL:
                    values[field.name] = user
                elif related is model:
                    values[field.name] = None  # self reference: left empty
                elif issubclass(related, CreatorOwnedModel):
                    values[field.name] = build(related)
                elif field.null:
                    values[field.name] = None
                else:
                    raise NotImplementedError(
                        f"{model.__name__}.{field.name} needs a {related.__name__}"
                    )
                continue
            values[field.name] = _fill_value(field, marker=marker, counter=next(counter))
        rows[model] = model.all_creators.create(**values)
        return rows[model]

    for model in creator_owned_models():
        build(model)
    assert all(isinstance(row, m.Model) for row in rows.values())
    return rows


# Vault, PPV and scripts ---------------------------------------------------------------------------


class MediaAssetFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "content.MediaAsset"

    creator = factory.SubFactory(CreatorFactory)
    title = factory.Sequence(lambda n: f"photo {n}")
    file = factory.Sequence(lambda n: f"vault/test/photo-{n}.jpg")
    kind = "image"
    mime_type = "image/jpeg"
    size_bytes = 1000


class PPVItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "commerce.PPVItem"

    creator = factory.SubFactory(CreatorFactory)
    title = factory.Sequence(lambda n: f"PPV {n}")
    price_cents = 1500
    media_ids = factory.List([])
    status = "completed"


class ScriptFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "inbox.Script"

    creator = factory.SubFactory(CreatorFactory)
    shortcode = factory.Sequence(lambda n: f"script{n}")
    title = factory.Sequence(lambda n: f"Script {n}")
    text = "Hi {fan_name}, it's {creator_name}"

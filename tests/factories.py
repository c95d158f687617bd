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
    password = factory.PostGenerationMethodCall("set_password", "correct horse battery staple")
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

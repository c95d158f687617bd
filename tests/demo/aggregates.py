"""Exact figures of the demo data, independent of ids: counts and sums per table."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Max, Min, Q, Sum

from huntaze.analytics.models import DailyActivity, DailyRevenue
from huntaze.commerce.models import PPVItem, PPVPurchase, Transaction
from huntaze.core.models import Creator, Membership
from huntaze.fans.models import Fan, Subscription
from huntaze.inbox.models import Conversation, Message


def demo_aggregates() -> dict[str, Any]:
    return {
        "creators": sorted(Creator.objects.values_list("slug", flat=True)),
        "memberships": sorted(
            Membership.objects.values_list("user__email", "creator__slug", "role")
        ),
        "fans": Fan.all_creators.aggregate(
            count=Count("id"),
            spent=Sum("total_spent_cents"),
            purchases=Sum("purchases_count"),
            buyers=Count("id", filter=Q(purchases_count__gt=0)),
            active=Count("id", filter=Q(subscription_state="active")),
            expired=Count("id", filter=Q(subscription_state="expired")),
            first_joined=Min("joined_at"),
            last_message=Max("last_message_at"),
        ),
        "subscriptions": Subscription.all_creators.aggregate(
            count=Count("id"), amount=Sum("amount_cents")
        ),
        "transactions": list(
            Transaction.all_creators.values("type", "status")
            .annotate(count=Count("id"), amount=Sum("amount_cents"), last=Max("occurred_at"))
            .order_by("type", "status")
        ),
        "conversations": Conversation.all_creators.aggregate(
            count=Count("id"),
            unread=Sum("unread_count"),
            pinned=Count("id", filter=Q(is_pinned=True)),
            assigned=Count("id", filter=Q(assigned_to__isnull=False)),
        ),
        "messages": list(
            Message.all_creators.values("direction", "status")
            .annotate(count=Count("id"), price=Sum("price_cents"), last=Max("sent_at"))
            .order_by("direction", "status")
        ),
        "ppv_items": PPVItem.all_creators.aggregate(
            count=Count("id"), sent=Sum("sent_count"), revenue=Sum("revenue_cents")
        ),
        "ppv_purchases": PPVPurchase.all_creators.aggregate(
            count=Count("id"), amount=Sum("price_cents")
        ),
        "daily_revenue": DailyRevenue.all_creators.aggregate(
            rows=Count("id"), amount=Sum("amount_cents"), count=Sum("transactions_count")
        ),
        "daily_activity": DailyActivity.all_creators.aggregate(
            rows=Count("id"),
            new_fans=Sum("new_fans"),
            messages_in=Sum("messages_in"),
            answered=Sum("conversations_answered"),
        ),
    }

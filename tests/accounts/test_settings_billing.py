"""Settings › Billing: the user's AI plan and the workspace's AI usage this month."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

import pytest

from huntaze.billing.models import UsageLog
from huntaze.billing.selectors import workspace_ai_usage_month


def _usage(creator, feature: str, cost: str, *, tokens=(100, 50), at: datetime | None = None):
    row = UsageLog.objects.create(
        creator=creator,
        feature=feature,
        model="gpt-4o-mini",
        tokens_input=tokens[0],
        tokens_output=tokens[1],
        cost_usd=Decimal(cost),
    )
    if at is not None:
        UsageLog.objects.for_creator(creator.id).filter(id=row.id).update(created_at=at)
    return row


def test_a_chatter_gets_403(creator_a, member_of, signed_in):
    client = signed_in(member_of(creator_a, "chatter"), creator_a)

    response = client.get("/settings/billing")

    assert response.status_code == 403
    assert b"Your role does not give access to this page." in response.content


@pytest.mark.parametrize("role", ["owner", "manager", "analyst"])
def test_roles_with_billing_access_see_the_page(creator_a, member_of, signed_in, role):
    client = signed_in(member_of(creator_a, role), creator_a)

    assert client.get("/settings/billing").status_code == 200


def test_without_usage_the_page_says_so(client_a, owner_a):
    owner_a.ai_plan = "pro"
    owner_a.save()

    response = client_a.get("/settings/billing")

    assert response.context["ai_plan"] == "Pro"
    assert response.context["usage"].lines == []
    assert b"No AI usage yet this month." in response.content


def test_the_page_sums_this_months_usage_of_this_workspace_only(client_a, creator_a, creator_b):
    _usage(creator_a, "reply_suggestion", "0.010000")
    _usage(creator_a, "reply_suggestion", "0.020000", tokens=(300, 10))
    _usage(creator_a, "caption", "0.005000")
    _usage(creator_a, "caption", "9.000000", at=datetime(2020, 1, 15, tzinfo=UTC))
    _usage(creator_b, "caption", "7.000000")

    response = client_a.get("/settings/billing")

    usage = response.context["usage"]
    assert [
        (line.feature, line.calls, line.tokens_input, line.tokens_output, line.cost_usd)
        for line in usage.lines
    ] == [
        ("caption", 1, 100, 50, Decimal("0.005")),
        ("reply_suggestion", 2, 400, 60, Decimal("0.03")),
    ]
    assert (usage.calls, usage.tokens_input, usage.tokens_output, usage.cost_usd) == (
        3,
        500,
        110,
        Decimal("0.035"),
    )
    assert b"No AI usage yet" not in response.content


def test_the_month_starts_in_the_creators_time_zone(creator_a):
    creator_a.timezone = "America/New_York"
    creator_a.save()
    now = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)  # 07:00 on March 1st in New York
    _usage(creator_a, "caption", "1.000000", at=datetime(2026, 3, 1, 4, 0, tzinfo=UTC))
    _usage(creator_a, "caption", "2.000000", at=datetime(2026, 3, 1, 6, 0, tzinfo=UTC))

    usage = workspace_ai_usage_month(creator_id=creator_a.id, now=now)

    # 04:00 UTC is still February in New York; 06:00 UTC is 01:00 on March 1st there.
    assert (usage.month, usage.calls, usage.cost_usd) == ("2026-03", 1, Decimal("2"))

"""Fans and their subscriptions, generated as columns.

Who a fan is: when they joined, whether they ever buy (about half never tip nor buy), how
much (a log-normal propensity: many small buyers, a few big spenders), how long they stay
(churners leave and their subscription expires), and on which page (paid, free trial, free).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from huntaze.web.demo.sizes import DemoSize
from huntaze.web.demo.team import Team
from huntaze.web.demo.texts import FAN_FIRST_NAMES, USERNAME_WORDS
from huntaze.web.demo.timeline import DAY_S, HOUR_S, MONTH_S, seasonal_between

PLATFORMS = ("onlyfans", "fansly")
TIERS = ("standard", "trial", "free")
TIER_STANDARD, TIER_TRIAL, TIER_FREE = 0, 1, 2
# Subscription rows: status; fans: subscription_state.
SUB_STATUSES = ("active", "cancelled", "expired")
STATES = ("active", "expiring", "expired", "none")
STATE_ACTIVE, STATE_EXPIRING, STATE_EXPIRED, STATE_NONE = 0, 1, 2, 3

BUYER_SHARE = 0.55
TRIAL_SHARE = 0.25
NO_SUBSCRIPTION_SHARE = 0.03
AUTO_RENEW_OFF_SHARE = 0.07
TRIAL_DAYS = 30


@dataclass(slots=True)
class FanData:
    count: int
    creator: np.ndarray  # index into the teams
    joined: np.ndarray
    platform: np.ndarray  # index into PLATFORMS
    propensity: np.ndarray  # 0 for fans who never tip nor buy
    active_until: np.ndarray  # the end of their activity, capped at the anchor
    churned: np.ndarray
    has_subscription: np.ndarray
    tier: np.ndarray
    subscription_periods: np.ndarray  # paid months (standard tier), else 0
    subscription_expires: np.ndarray
    subscription_status: np.ndarray
    auto_renew: np.ndarray
    state: np.ndarray
    username: np.ndarray
    display_name: np.ndarray
    platform_fan_id: np.ndarray
    timezone_index: np.ndarray
    # Filled from the transactions and the conversations.
    total_spent: np.ndarray | None = None
    purchases: np.ndarray | None = None
    first_purchase: np.ndarray | None = None
    last_purchase: np.ndarray | None = None
    last_message: np.ndarray | None = None
    ids: np.ndarray | None = None


def fans_generate(
    rng: np.random.Generator, *, size: DemoSize, teams: list[Team], anchor: int
) -> FanData:
    count = size.fans
    weights = np.array([team.profile.weight for team in teams])
    creator = np.sort(rng.choice(len(teams), size=count, p=weights / weights.sum()))

    # Growth: more fans joined recently than 18 months ago.
    window_s = size.window_days * DAY_S
    days_ago = size.window_days * rng.random(count) ** 1.35
    day_start = anchor - (days_ago * DAY_S).astype(np.int64)
    day_start -= day_start % DAY_S
    joined = seasonal_between(rng, day_start, np.minimum(day_start + DAY_S - 1, anchor - HOUR_S))
    joined = np.maximum(joined, anchor - window_s)

    fansly_share = np.array([team.profile.fansly_share for team in teams])
    platform = (rng.random(count) < fansly_share[creator]).astype(np.int64)

    buyer = rng.random(count) < BUYER_SHARE
    propensity = np.where(buyer, rng.lognormal(mean=0.0, sigma=1.25, size=count), 0.0)

    price = np.array([team.profile.subscription_price_cents for team in teams])
    free_page = price[creator] == 0
    tier = np.where(
        free_page, TIER_FREE, np.where(rng.random(count) < TRIAL_SHARE, TIER_TRIAL, TIER_STANDARD)
    )
    # Trial fans rarely buy.
    propensity = np.where(tier == TIER_TRIAL, propensity * 0.2, propensity)
    has_subscription = rng.random(count) >= NO_SUBSCRIPTION_SHARE

    life_days = rng.exponential(120.0 * (1.0 + 0.6 * np.log1p(propensity)))
    life_days = np.where(tier == TIER_TRIAL, np.minimum(life_days, TRIAL_DAYS), life_days)
    end = joined + (np.maximum(life_days, 0.5) * DAY_S).astype(np.int64)
    churned = end < anchor
    active_until = np.minimum(end, anchor)

    periods = (active_until - joined) // MONTH_S + 1
    subscription_expires = np.where(
        tier == TIER_TRIAL, joined + TRIAL_DAYS * DAY_S, joined + periods * MONTH_S
    )
    subscription_periods = np.where(has_subscription & (tier == TIER_STANDARD), periods, 0)

    auto_renew_off = rng.random(count) < AUTO_RENEW_OFF_SHARE
    expired = subscription_expires <= anchor
    cancelled = ~expired & (churned | auto_renew_off)
    state = np.select(
        [~has_subscription, expired, cancelled],
        [STATE_NONE, STATE_EXPIRED, STATE_EXPIRING],
        STATE_ACTIVE,
    )
    subscription_status = np.select([expired, cancelled], [2, 1], 0)
    auto_renew = ~(expired | cancelled)

    first = rng.integers(0, len(FAN_FIRST_NAMES), count)
    word = rng.integers(0, len(USERNAME_WORDS), count)
    number = rng.integers(1, 9999, count)
    style = rng.random(count)
    fan_numbers = rng.permutation(count) + 100_000_000 + rng.integers(0, 1_000_000)
    first_names = np.array(FAN_FIRST_NAMES, dtype=object)[first]
    words = np.array(USERNAME_WORDS, dtype=object)[word]
    username = np.array(
        [
            f"u{fan_number}"
            if s < 0.35
            else (f"{name.lower()}_{w}{n}" if s < 0.75 else f"{w}{name.lower()}{n % 100}")
            for s, name, w, n, fan_number in zip(
                style.tolist(),
                first_names.tolist(),
                words.tolist(),
                number.tolist(),
                fan_numbers.tolist(),
                strict=True,
            )
        ],
        dtype=object,
    )
    display_name = np.where(style < 0.35, "", first_names).astype(object)
    platform_fan_id = np.array([str(n) for n in fan_numbers.tolist()], dtype=object)

    return FanData(
        count=count,
        creator=creator,
        joined=joined,
        platform=platform,
        propensity=propensity,
        active_until=active_until,
        churned=churned,
        has_subscription=has_subscription,
        tier=tier,
        subscription_periods=subscription_periods,
        subscription_expires=subscription_expires,
        subscription_status=subscription_status,
        auto_renew=auto_renew,
        state=state,
        username=username,
        display_name=display_name,
        platform_fan_id=platform_fan_id,
        timezone_index=rng.integers(0, 10, count),
    )


def fan_aggregates_fill(
    fans: FanData,
    *,
    fan_of_transaction: np.ndarray,
    amount: np.ndarray,
    occurred: np.ndarray,
    completed: np.ndarray,
) -> None:
    """total_spent, purchases, first and last purchase from the completed transactions
    (given sorted by time); -1 stands for NULL."""
    fan = fan_of_transaction[completed]
    fans.total_spent = np.rint(
        np.bincount(fan, weights=amount[completed].astype(np.float64), minlength=fans.count)
    ).astype(np.int64)
    fans.purchases = np.bincount(fan, minlength=fans.count).astype(np.int64)
    times = occurred[completed]
    first = np.full(fans.count, -1, dtype=np.int64)
    last = np.full(fans.count, -1, dtype=np.int64)
    unique, first_index = np.unique(fan, return_index=True)
    first[unique] = times[first_index]
    unique_reversed, last_index = np.unique(fan[::-1], return_index=True)
    last[unique_reversed] = times[::-1][last_index]
    fans.first_purchase = first
    fans.last_purchase = last


def fan_tags(fans: FanData) -> tuple[list[str], np.ndarray]:
    """A few JSON tag lists, and which one each fan gets."""
    assert fans.total_spent is not None
    table = ['["vip", "big spender"]', '["regular"]', '["churned"]', '["new"]', "[]"]
    tag = np.full(fans.count, 4)
    tag[fans.total_spent >= 10_000] = 1
    tag[fans.state == STATE_EXPIRED] = 2
    tag[fans.total_spent >= 50_000] = 0
    recent = fans.joined >= fans.joined.max() - 14 * DAY_S
    tag[recent & (fans.total_spent < 10_000)] = 3
    return table, tag

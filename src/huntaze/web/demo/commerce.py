"""Pay-per-view items, transactions (subscription renewals, tips, pay-per-view) and
pay-per-view purchases, generated as columns."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from huntaze.web.demo.fans import TIER_STANDARD, FanData
from huntaze.web.demo.sizes import DemoSize
from huntaze.web.demo.team import Team
from huntaze.web.demo.texts import PPV_CAPTIONS, PPV_PRICES_CENTS, PPV_TITLES
from huntaze.web.demo.timeline import DAY_S, HOUR_S, MONTH_S, seasonal_between

TYPES = ("subscription", "tip", "ppv")
TYPE_SUBSCRIPTION, TYPE_TIP, TYPE_PPV = 0, 1, 2
STATUSES = ("completed", "refunded", "failed")
STATUS_COMPLETED, STATUS_REFUNDED, STATUS_FAILED = 0, 1, 2
PPV_SHARE = 0.6
# Demand for pay-per-view falls with its price: a fan offered an item buys it with probability
# 1 / (1 + (price / $20) ** 2.5), so revenue per recipient peaks in the middle of the price
# list and the pricing model has a real curve to learn. A fan who passes tips instead.
PPV_HALF_DEMAND_CENTS = 2000
PPV_DEMAND_STEEPNESS = 2.5
FUTURE_ITEMS = 2


@dataclass(slots=True)
class PPVCatalog:
    count: int
    creator: np.ndarray
    time: np.ndarray  # sent at (past items) or scheduled at (future items)
    price: np.ndarray
    title: np.ndarray  # object array of str
    caption_index: np.ndarray
    is_future: np.ndarray
    first_of_creator: np.ndarray  # per team: index of its first item
    past_count_of_creator: np.ndarray  # per team: items already sent
    ids: np.ndarray | None = None

    def latest_before(self, creator: np.ndarray, moment: np.ndarray) -> np.ndarray:
        """The global index of the creator's last item sent at or before the moment; -1 if
        none was sent yet."""
        result = np.full(creator.shape[0], -1, dtype=np.int64)
        for team_index in range(self.first_of_creator.shape[0]):
            rows = np.flatnonzero(creator == team_index)
            if rows.size == 0:
                continue
            first = int(self.first_of_creator[team_index])
            times = self.time[first : first + int(self.past_count_of_creator[team_index])]
            position = np.searchsorted(times, moment[rows], side="right") - 1
            result[rows] = np.where(position >= 0, first + position, -1)
        return result


def ppv_catalog_generate(
    rng: np.random.Generator, *, size: DemoSize, teams: list[Team], anchor: int
) -> PPVCatalog:
    past = size.window_days // size.ppv_every_days
    per_creator = past + FUTURE_ITEMS
    start_day = anchor - anchor % DAY_S - size.window_days * DAY_S
    creator, time, future = [], [], []
    for team in teams:
        steps = np.arange(per_creator, dtype=np.int64)
        times = start_day + steps * size.ppv_every_days * DAY_S + 19 * HOUR_S
        times += rng.integers(0, 3 * HOUR_S, per_creator)
        # The past items were sent before the anchor; two more are scheduled after it.
        times[past:] = anchor + (np.arange(1, FUTURE_ITEMS + 1) * DAY_S)
        times[:past] = np.minimum(times[:past], anchor - HOUR_S)
        creator.append(np.full(per_creator, team.index))
        time.append(times)
        future.append(np.arange(per_creator) >= past)
    count = per_creator * len(teams)
    title_index = rng.integers(0, len(PPV_TITLES), count)
    titles = np.array(
        [f"{PPV_TITLES[t]} #{n % per_creator + 1}" for n, t in enumerate(title_index.tolist())],
        dtype=object,
    )
    return PPVCatalog(
        count=count,
        creator=np.concatenate(creator),
        time=np.concatenate(time),
        price=np.array(PPV_PRICES_CENTS)[rng.integers(0, len(PPV_PRICES_CENTS), count)],
        title=titles,
        caption_index=rng.integers(0, len(PPV_CAPTIONS), count),
        is_future=np.concatenate(future),
        first_of_creator=np.arange(len(teams)) * per_creator,
        past_count_of_creator=np.full(len(teams), past),
    )


@dataclass(slots=True)
class TransactionData:
    count: int
    fan: np.ndarray
    creator: np.ndarray
    type: np.ndarray
    amount: np.ndarray
    status: np.ndarray
    occurred: np.ndarray
    ppv_item: np.ndarray  # global item index, -1 when not a pay-per-view
    ids: np.ndarray | None = None


def _statuses(rng: np.random.Generator, count: int, refunded: float, failed: float) -> np.ndarray:
    draw = rng.random(count)
    return np.select(
        [draw < failed, draw < failed + refunded], [STATUS_FAILED, STATUS_REFUNDED], 0
    ).astype(np.int64)


def transactions_generate(
    rng: np.random.Generator,
    *,
    size: DemoSize,
    teams: list[Team],
    fans: FanData,
    catalog: PPVCatalog,
    anchor: int,
) -> TransactionData:
    price = np.array([team.profile.subscription_price_cents for team in teams])

    # Renewals: one charge a month while the fan stays on a paid page.
    periods = fans.subscription_periods
    renewal_fan = np.repeat(np.arange(fans.count), periods)
    renewal_month = np.arange(renewal_fan.shape[0]) - np.repeat(
        np.cumsum(periods) - periods, periods
    )
    renewal_time = fans.joined[renewal_fan] + renewal_month * MONTH_S
    renewal_time += rng.integers(0, 300, renewal_fan.shape[0])
    renewal_time = np.minimum(renewal_time, anchor - 60)
    renewal_amount = price[fans.creator[renewal_fan]]
    renewal_status = _statuses(rng, renewal_fan.shape[0], refunded=0.002, failed=0.015)
    assert np.all(fans.tier[renewal_fan] == TIER_STANDARD)

    # Tips and pay-per-view: as many as the propensity and the months of activity say, scaled
    # so the total lands near the size's target.
    months = np.maximum(fans.active_until - fans.joined, DAY_S) / MONTH_S
    weight = fans.propensity * months
    target = max(size.transactions - renewal_fan.shape[0], 0)
    scale = target / weight.sum() if weight.sum() > 0 else 0.0
    extra_counts = rng.poisson(scale * weight)
    extra_fan = np.repeat(np.arange(fans.count), extra_counts)
    extra_count = extra_fan.shape[0]
    low = fans.joined[extra_fan] + HOUR_S
    high = np.maximum(low, np.minimum(fans.active_until[extra_fan], anchor - 60))
    extra_time = seasonal_between(rng, low, high)
    extra_creator = fans.creator[extra_fan]

    # Pay-per-view: the latest item, or now and then an older one from the vault; a fan buys
    # an item once, so a second purchase of the same item becomes a tip.
    is_ppv = rng.random(extra_count) < PPV_SHARE
    item = catalog.latest_before(extra_creator, extra_time)
    older = rng.geometric(0.6, extra_count) - 1
    first_item = catalog.first_of_creator[extra_creator]
    item = np.where(item >= 0, np.maximum(item - older, first_item), -1)
    is_ppv &= item >= 0
    key = np.where(is_ppv, extra_fan * catalog.count + item, -1 - np.arange(extra_count))
    _unique, first_seen = np.unique(key, return_index=True)
    duplicate = np.ones(extra_count, dtype=bool)
    duplicate[first_seen] = False
    is_ppv &= ~duplicate
    offered_price = catalog.price[np.maximum(item, 0)] / PPV_HALF_DEMAND_CENTS
    is_ppv &= rng.random(extra_count) < 1.0 / (1.0 + offered_price**PPV_DEMAND_STEEPNESS)
    item = np.where(is_ppv, item, -1)

    big = np.log1p(fans.propensity[extra_fan])
    tip_dollars = np.clip(
        np.rint(rng.lognormal(np.log(10.0) + 0.3 * big, 0.75, extra_count)), 5, 1000
    )
    extra_amount = np.where(is_ppv, catalog.price[np.maximum(item, 0)], tip_dollars * 100)
    extra_status = _statuses(rng, extra_count, refunded=0.02, failed=0.015)

    fan = np.concatenate([renewal_fan, extra_fan])
    occurred = np.concatenate([renewal_time, extra_time])
    order = np.lexsort((fan, occurred))
    fan = fan[order]
    return TransactionData(
        count=fan.shape[0],
        fan=fan,
        creator=fans.creator[fan],
        type=np.concatenate(
            [
                np.full(renewal_fan.shape[0], TYPE_SUBSCRIPTION),
                np.where(is_ppv, TYPE_PPV, TYPE_TIP),
            ]
        )[order],
        amount=np.concatenate([renewal_amount, extra_amount]).astype(np.int64)[order],
        status=np.concatenate([renewal_status, extra_status])[order],
        occurred=occurred[order],
        ppv_item=np.concatenate([np.full(renewal_fan.shape[0], -1), item])[order],
    )


@dataclass(slots=True)
class PurchaseData:
    count: int
    transaction: np.ndarray  # index into the transactions
    fan: np.ndarray
    item: np.ndarray
    price: np.ndarray
    purchased: np.ndarray
    message: np.ndarray | None = None  # index into the messages, set by the inbox generator


def purchases_from(transactions: TransactionData) -> PurchaseData:
    """A purchase for every completed pay-per-view transaction."""
    rows = np.flatnonzero(
        (transactions.type == TYPE_PPV) & (transactions.status == STATUS_COMPLETED)
    )
    return PurchaseData(
        count=rows.shape[0],
        transaction=rows,
        fan=transactions.fan[rows],
        item=transactions.ppv_item[rows],
        price=transactions.amount[rows],
        purchased=transactions.occurred[rows],
    )

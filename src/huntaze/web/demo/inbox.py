"""Conversations and messages, generated as columns.

Every fan who ever paid, and most of the others, has a conversation. It opens with the
automated welcome message; then come sessions of a few messages a few minutes apart, the fan
and the team taking turns (the fan writes first more often than not), a pay-per-view offer
now and then, and the pay-per-view message behind every purchase. Big spenders talk more.
Inbound messages after the team's last reply in a conversation active in the last week are
unread.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from huntaze.web.demo.commerce import PPVCatalog, PurchaseData
from huntaze.web.demo.fans import FanData
from huntaze.web.demo.sizes import DemoSize
from huntaze.web.demo.team import Team
from huntaze.web.demo.texts import CREATOR_LINES, FAN_LINES, PPV_CAPTIONS, WELCOME_LINES
from huntaze.web.demo.timeline import DAY_S, HOUR_S, MONTH_S, rank_in_group, seasonal_between

CONVERSATION_SHARE_OF_NON_BUYERS = 0.8
MESSAGES_PER_SESSION = 4.0
FAN_OPENS_SESSION = 0.75
TURN_TAKING = 0.7
PPV_OFFER_SHARE = 0.27  # outbound messages that offer a PPV the fan does not buy
UNREAD_WINDOW_S = 7 * DAY_S
# Who writes the team's messages: chatter 1, chatter 2, the manager.
SENDER_SHARES = (0.42, 0.42, 0.16)
PREVIEW_LENGTH = 140

KIND_REGULAR, KIND_WELCOME, KIND_PURCHASE, KIND_OFFER = 0, 1, 2, 3


@dataclass(slots=True)
class TextTable:
    """Every line of every creator, formatted once; a message points into it."""

    texts: list[str]
    per_creator: int
    fan_offset: int
    creator_offset: int
    welcome_offset: int
    caption_offset: int

    @classmethod
    def build(cls, teams: list[Team]) -> TextTable:
        texts: list[str] = []
        for team in teams:
            pets = team.profile.pets

            def fill(
                line: str, number: int, team: Team = team, pets: tuple[str, ...] = pets
            ) -> str:
                return line.format(creator=team.first_name, pet=pets[number % len(pets)])

            texts += [fill(line, n) for n, line in enumerate(FAN_LINES)]
            texts += [fill(line, n) for n, line in enumerate(CREATOR_LINES)]
            texts += [fill(line, n) for n, line in enumerate(WELCOME_LINES)]
            texts += [fill(line, n) for n, line in enumerate(PPV_CAPTIONS)]
        return cls(
            texts=texts,
            per_creator=len(FAN_LINES)
            + len(CREATOR_LINES)
            + len(WELCOME_LINES)
            + len(PPV_CAPTIONS),
            fan_offset=0,
            creator_offset=len(FAN_LINES),
            welcome_offset=len(FAN_LINES) + len(CREATOR_LINES),
            caption_offset=len(FAN_LINES) + len(CREATOR_LINES) + len(WELCOME_LINES),
        )


@dataclass(slots=True)
class InboxData:
    # Conversations.
    conversation_count: int
    conversation_fan: np.ndarray
    conversation_creator: np.ndarray
    first_message: np.ndarray
    last_message: np.ndarray
    last_inbound: np.ndarray  # -1: NULL
    last_outbound: np.ndarray
    preview_text: np.ndarray  # index into the text table
    unread_count: np.ndarray
    assigned_to: np.ndarray  # user id, -1: nobody
    is_pinned: np.ndarray
    # Messages, sorted by time.
    message_count: int
    conversation: np.ndarray
    is_inbound: np.ndarray
    sender: np.ndarray  # user id, -1: NULL (the fan, or an automation)
    text: np.ndarray  # index into the text table
    ppv_item: np.ndarray  # global item index, -1: none
    price: np.ndarray
    sent: np.ndarray
    read: np.ndarray  # -1: NULL
    text_table: TextTable
    conversation_ids: np.ndarray | None = None
    message_ids: np.ndarray | None = None


def _group_cumsum(values: np.ndarray, first_of_group: np.ndarray) -> np.ndarray:
    """Cumulative sums restarting at each group (rows sorted by group; first_of_group marks
    each group's first row), the first row of a group excluded from its own sum."""
    total = np.cumsum(values)
    base = np.maximum.accumulate(np.where(first_of_group, total, 0))
    return total - base  # type: ignore[no-any-return]


def inbox_generate(
    rng: np.random.Generator,
    *,
    size: DemoSize,
    teams: list[Team],
    fans: FanData,
    catalog: PPVCatalog,
    purchases: PurchaseData,
    anchor: int,
) -> InboxData:
    assert fans.purchases is not None
    assert fans.total_spent is not None
    table = TextTable.build(teams)
    team_users = np.array([[*team.chatter_ids, team.manager_id] for team in teams], dtype=np.int64)

    # Who has a conversation.
    has_conversation = (fans.purchases > 0) | (
        rng.random(fans.count) < CONVERSATION_SHARE_OF_NON_BUYERS
    )
    conversation_fan = np.flatnonzero(has_conversation)
    conversations = conversation_fan.shape[0]
    conversation_of_fan = np.full(fans.count, -1, dtype=np.int64)
    conversation_of_fan[conversation_fan] = np.arange(conversations)
    conversation_creator = fans.creator[conversation_fan]
    joined = fans.joined[conversation_fan]

    # The welcome message.
    welcome_time = np.minimum(joined + rng.integers(60, 900, conversations), anchor - 1)
    welcome_text = (
        conversation_creator * table.per_creator
        + table.welcome_offset
        + rng.integers(0, len(WELCOME_LINES), conversations)
    )

    # The pay-per-view message behind each purchase.
    purchase_conversation = conversation_of_fan[purchases.fan]
    assert np.all(purchase_conversation >= 0)
    purchase_time = np.maximum(
        purchases.purchased - rng.integers(600, 3 * HOUR_S, purchases.count),
        welcome_time[purchase_conversation] + 1,
    )
    purchase_creator = conversation_creator[purchase_conversation]
    purchase_text = (
        purchase_creator * table.per_creator
        + table.caption_offset
        + catalog.caption_index[purchases.item]
    )
    purchase_sender = team_users[purchase_creator, rng.integers(0, 2, purchases.count)]

    # Sessions of chat.
    target = max(size.messages - conversations - purchases.count, 0)
    months = np.maximum(fans.active_until - fans.joined, DAY_S)[conversation_fan] / MONTH_S
    weight = (0.3 + fans.propensity[conversation_fan] ** 0.8) * months**0.6
    regular_counts = rng.poisson(weight * (target / weight.sum()))
    sessions = np.maximum(1, np.rint(regular_counts / MESSAGES_PER_SESSION)).astype(np.int64)
    session_offset = np.cumsum(sessions) - sessions
    low = np.minimum(joined + 2 * HOUR_S, anchor - HOUR_S)
    high = np.maximum(
        low, np.minimum(fans.active_until[conversation_fan] + 14 * DAY_S, anchor - HOUR_S)
    )
    session_conversation = np.repeat(np.arange(conversations), sessions)
    session_start = seasonal_between(rng, low[session_conversation], high[session_conversation])

    regular_conversation = np.repeat(np.arange(conversations), regular_counts)
    regular = regular_conversation.shape[0]
    session = session_offset[regular_conversation] + (
        rng.random(regular) * sessions[regular_conversation]
    ).astype(np.int64)
    order = np.argsort(session, kind="stable")
    session = session[order]
    regular_conversation = regular_conversation[order]
    first_of_session = rank_in_group(session) == 0
    gaps = rng.exponential(240.0, regular).astype(np.int64) + 5
    regular_time = np.minimum(
        session_start[session]
        + _group_cumsum(np.where(first_of_session, 0, gaps), first_of_session),
        anchor - 1,
    )
    opens = rng.random(regular) < FAN_OPENS_SESSION
    flips = (rng.random(regular) < TURN_TAKING) & ~first_of_session
    parity = _group_cumsum(flips.astype(np.int64), first_of_session) % 2
    first_direction = np.maximum.accumulate(np.where(first_of_session, np.arange(regular), 0))
    regular_inbound = opens[first_direction] ^ (parity == 1)
    regular_creator = conversation_creator[regular_conversation]
    regular_text = regular_creator * table.per_creator + np.where(
        regular_inbound,
        table.fan_offset + rng.integers(0, len(FAN_LINES), regular),
        table.creator_offset + rng.integers(0, len(CREATOR_LINES), regular),
    )
    who = rng.choice(3, size=regular, p=SENDER_SHARES)
    regular_sender = np.where(regular_inbound, -1, team_users[regular_creator, who])

    # Pay-per-view offers the fan did not buy.
    offer = ~regular_inbound & (rng.random(regular) < PPV_OFFER_SHARE)
    offer_item = np.full(regular, -1, dtype=np.int64)
    rows = np.flatnonzero(offer)
    offer_item[rows] = catalog.latest_before(regular_creator[rows], regular_time[rows])
    offer &= offer_item >= 0
    regular_text = np.where(
        offer,
        regular_creator * table.per_creator
        + table.caption_offset
        + catalog.caption_index[np.maximum(offer_item, 0)],
        regular_text,
    )

    # All messages, in time order.
    conversation = np.concatenate(
        [np.arange(conversations), purchase_conversation, regular_conversation]
    )
    sent = np.concatenate([welcome_time, purchase_time, regular_time])
    is_inbound = np.concatenate(
        [np.zeros(conversations + purchases.count, dtype=bool), regular_inbound]
    )
    sender = np.concatenate([np.full(conversations, -1), purchase_sender, regular_sender])
    text = np.concatenate([welcome_text, purchase_text, regular_text])
    ppv_item = np.concatenate(
        [np.full(conversations, -1), purchases.item, np.where(offer, offer_item, -1)]
    )
    price = np.where(ppv_item >= 0, catalog.price[np.maximum(ppv_item, 0)], 0)
    order = np.lexsort((conversation, sent))
    position = np.empty_like(order)
    position[order] = np.arange(order.shape[0])
    purchases.message = position[conversations : conversations + purchases.count]
    conversation, sent, is_inbound = conversation[order], sent[order], is_inbound[order]
    sender, text, ppv_item, price = sender[order], text[order], ppv_item[order], price[order]
    count = sent.shape[0]

    # Per conversation: last message, last inbound and outbound, unread.
    last_message = np.full(conversations, -1, dtype=np.int64)
    np.maximum.at(last_message, conversation, sent)
    first_message = np.full(conversations, np.iinfo(np.int64).max, dtype=np.int64)
    np.minimum.at(first_message, conversation, sent)
    last_inbound = np.full(conversations, -1, dtype=np.int64)
    np.maximum.at(last_inbound, conversation[is_inbound], sent[is_inbound])
    last_outbound = np.full(conversations, -1, dtype=np.int64)
    np.maximum.at(last_outbound, conversation[~is_inbound], sent[~is_inbound])
    # Messages are in time order: the last row of each conversation is its last message.
    last_row = np.full(conversations, -1, dtype=np.int64)
    last_row[conversation] = np.arange(count)
    preview_text = text[last_row]

    unread = (
        is_inbound
        & (sent > last_outbound[conversation])
        & (last_message[conversation] >= anchor - UNREAD_WINDOW_S)
    )
    read_delay = np.where(
        is_inbound,
        np.asarray(rng.exponential(1200.0, count)).astype(np.int64) + 30,
        np.asarray(rng.exponential(3.0 * HOUR_S, count)).astype(np.int64) + 60,
    )
    read = sent + read_delay
    never_read = ~is_inbound & (rng.random(count) >= 0.85)
    read = np.where(is_inbound, np.minimum(read, anchor), read)
    read = np.where(unread | never_read | (read > anchor), -1, read)

    assigned_choice = rng.choice(3, size=conversations, p=(0.4, 0.4, 0.2))
    assigned_to = np.where(
        assigned_choice < 2, team_users[conversation_creator, np.minimum(assigned_choice, 1)], -1
    )
    # The three biggest spenders of each creator are pinned.
    spent = fans.total_spent[conversation_fan]
    by_spend = np.lexsort((-spent, conversation_creator))
    is_pinned = np.zeros(conversations, dtype=bool)
    is_pinned[by_spend[rank_in_group(conversation_creator[by_spend]) < 3]] = True

    fans.last_message = np.full(fans.count, -1, dtype=np.int64)
    fans.last_message[conversation_fan] = last_message

    return InboxData(
        conversation_count=conversations,
        conversation_fan=conversation_fan,
        conversation_creator=conversation_creator,
        first_message=first_message,
        last_message=last_message,
        last_inbound=last_inbound,
        last_outbound=last_outbound,
        preview_text=preview_text,
        unread_count=np.bincount(conversation[unread], minlength=conversations),
        assigned_to=assigned_to,
        is_pinned=is_pinned,
        message_count=count,
        conversation=conversation,
        is_inbound=is_inbound,
        sender=sender,
        text=text,
        ppv_item=ppv_item,
        price=price,
        sent=sent,
        read=read,
        text_table=table,
    )

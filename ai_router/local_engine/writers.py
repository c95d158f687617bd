"""Template writers of the local engine: captions, campaigns, automation flows, metric
summaries, and an extractive answer for everything else. Deterministic for a given request."""

from __future__ import annotations

import json
import re
from collections import Counter
from typing import Any

from ai_router.local_engine.retrieval import RetrievalIndex, content_terms
from ai_router.schemas import RequestContext
from ai_router.text import normalize, word_set

PLATFORMS = ("tiktok", "instagram", "reddit", "x")
PLATFORM_ALIASES = {"twitter": "x", "tweet": "x", "insta": "instagram", "ig": "instagram"}
PLATFORM_TAGS = {
    "tiktok": ("#fyp", "#foryou"),
    "instagram": ("#instagood", "#newpost"),
    "x": (),
    "reddit": (),
}
X_MAXIMUM_CHARACTERS = 280
COMMAND_TERMS = word_set(
    "write caption captions post hashtag hashtags tiktok instagram reddit twitter tweet reel "
    "reels story stories give need create make short catchy fun legende ecri ecris publication "
    "campaign campaigns promo promotion message mass draft newsletter launch automation flow "
    "workflow trigger summarize summarise summary please some three five"
)
PERCENT_PATTERN = re.compile(r"(\d{1,2})\s?%")
TOPIC_PATTERN = re.compile(
    r"\b(?:about|for|on|featuring|sur|pour|sobre|para|uber|su)\s+([^.!?\n]{3,80})", re.I
)
METRIC_PATTERN = re.compile(
    r"([A-Za-z][A-Za-z _/-]{2,40}?)\s*[:=]\s*\$?(-?\d[\d,]*(?:\.\d+)?)\s*(%)?"
)

CAPTION_HOOKS = (
    "New drop: {topic}",
    "POV: {topic}",
    "Can't stop thinking about {topic}",
    "Your sign to check out {topic}",
    "Behind the scenes: {topic}",
    "Just for you: {topic}",
)
CAPTION_CALLS = (
    "Link in bio for the full version.",
    "Tell me what you think in the comments!",
    "Save this for later.",
    "Which one is your favourite?",
    "Full set is waiting for you.",
    "Tap the link to see more.",
)
CAMPAIGN_SUBJECTS = (
    "{discount}Something special just for you",
    "{discount}Only for my favourite fans",
    "{discount}Don't miss this one",
    "{discount}A little surprise inside",
)
CAMPAIGN_BODIES = (
    "Hey {name}! {offer_line} {deadline_line} Reply to this message and I'll send it right over.",
    "I made something new and you're the first to know. {offer_line} {deadline_line}",
    "Thank you for being here, {name}. To celebrate, {offer_line_lower} {deadline_line}",
    "Quick one, {name}: {offer_line_lower} {deadline_line} Unlock it before it's gone!",
)
FLOW_TRIGGERS = (
    ("subscription.expiring", ("expire", "expiring", "renew", "renewal", "expiration")),
    ("fan.inactive", ("inactive", "churn", "silent", "ghost", "inactif", "inactivo")),
    ("purchase.completed", ("purchase", "buy", "buys", "bought", "unlock", "achat", "achete")),
    ("fan.birthday", ("birthday", "anniversaire", "cumpleanos")),
    ("message.received", ("message", "dm", "writes", "ecrit")),
    ("fan.subscribed", ("subscribe", "subscribes", "subscriber", "new", "welcome", "abonne")),
)


def detect_platform(text: str, context: RequestContext) -> str:
    if context.platform:
        platform = normalize(context.platform)
        return PLATFORM_ALIASES.get(platform, platform)
    for term in normalize(text).split():
        cleaned = term.strip(".,!?:;")
        if cleaned in PLATFORMS:
            return cleaned
        if cleaned in PLATFORM_ALIASES:
            return PLATFORM_ALIASES[cleaned]
    return "instagram"


def topic_of(text: str) -> str:
    match = TOPIC_PATTERN.search(text)
    if match:
        return match.group(1).strip().rstrip(",;:")
    terms = [term for term in content_terms(text) if term not in COMMAND_TERMS]
    return " ".join(terms[:4]) or "today's post"


def _hashtags(text: str, platform: str) -> list[str]:
    terms = [
        term for term in content_terms(text) if term not in COMMAND_TERMS and not term.isdigit()
    ]
    counted = Counter(terms)
    ordered = sorted(counted, key=lambda term: (-counted[term], terms.index(term)))
    return [f"#{term}" for term in ordered[:3]] + list(PLATFORM_TAGS.get(platform, ()))


def write_captions(*, text: str, context: RequestContext, count: int) -> list[str]:
    platform = detect_platform(text, context)
    topic = topic_of(text)
    hashtags = " ".join(_hashtags(text, platform))
    captions: list[str] = []
    for position in range(count):
        hook = CAPTION_HOOKS[position % len(CAPTION_HOOKS)].format(topic=topic)
        call = CAPTION_CALLS[position % len(CAPTION_CALLS)]
        if platform == "reddit":
            caption = hook if position < len(CAPTION_HOOKS) else f"{hook} (part {position + 1})"
        else:
            caption = f"{hook} ✨\n{call}"
            if hashtags:
                caption = f"{caption}\n{hashtags}"
            if position >= len(CAPTION_HOOKS):
                caption = f"{caption} #{position + 1}"
        if platform == "x":
            caption = caption[:X_MAXIMUM_CHARACTERS]
        captions.append(caption)
    return captions


def _offer_details(text: str, context: RequestContext) -> tuple[str, str, str]:
    offer = context.offer
    percent = offer.get("discount_percent")
    if percent is None:
        match = PERCENT_PATTERN.search(text)
        percent = int(match.group(1)) if match else None
    title = str(offer.get("title") or topic_of(text))
    price = offer.get("price_usd")
    if percent:
        offer_line = f"{title} is {percent}% off"
        discount = f"{percent}% off: "
    elif price is not None:
        offer_line = f"{title} is yours for ${price}"
        discount = ""
    else:
        offer_line = f"{title} is ready for you"
        discount = ""
    ends_at = offer.get("ends_at")
    deadline = f"Ends {ends_at}." if ends_at else "Only for a limited time."
    return f"{offer_line}.", deadline, discount


def write_campaigns(*, text: str, context: RequestContext, count: int) -> list[str]:
    offer_line, deadline_line, discount = _offer_details(text, context)
    name = str(context.fan.get("name") or "babe")
    campaigns: list[str] = []
    for position in range(count):
        subject = CAMPAIGN_SUBJECTS[position % len(CAMPAIGN_SUBJECTS)].format(discount=discount)
        body = CAMPAIGN_BODIES[position % len(CAMPAIGN_BODIES)].format(
            name=name,
            offer_line=offer_line,
            offer_line_lower=offer_line[0].lower() + offer_line[1:],
            deadline_line=deadline_line,
        )
        variant = f" (variant {position + 1})" if position >= len(CAMPAIGN_BODIES) else ""
        campaigns.append(f"Subject: {subject}{variant}\n\n{body}")
    return campaigns


def write_flow(*, text: str, context: RequestContext) -> str:
    terms = set(normalize(text).replace(",", " ").replace(".", " ").split())
    trigger = next(
        (event for event, keywords in FLOW_TRIGGERS if terms & set(keywords)), "fan.subscribed"
    )
    wait_match = re.search(
        r"(\d+)\s*(hour|hours|h|day|days|jour|jours|dia|dias)\b", normalize(text)
    )
    wait_hours = 24
    if wait_match:
        amount = int(wait_match.group(1))
        wait_hours = amount if wait_match.group(2).startswith("h") else amount * 24
    offer = context.offer
    steps: list[dict[str, Any]] = [
        {"type": "send_message", "template": "Hey {fan_name}, thanks for being here!"},
        {"type": "wait", "hours": wait_hours},
        {"type": "condition", "if": "fan.has_purchased", "then": "end", "else": "next"},
        {
            "type": "send_offer",
            "discount_percent": offer.get("discount_percent", 20),
            "template": "A little welcome gift for you, {fan_name}.",
        },
    ]
    flow = {
        "name": f"Draft: {topic_of(text)}"[:80],
        "trigger": {"event": trigger},
        "steps": steps,
        "is_active": False,
    }
    return json.dumps(flow, ensure_ascii=False, indent=2)


def _metric_lines(metrics: dict[str, Any]) -> list[str]:
    lines: list[str] = []
    changes: list[tuple[float, str]] = []
    for name, value in metrics.items():
        label = name.replace("_", " ")
        if isinstance(value, dict) and "current" in value:
            current, previous = value.get("current"), value.get("previous")
            if isinstance(current, int | float) and isinstance(previous, int | float) and previous:
                change = (current - previous) / abs(previous) * 100
                changes.append((change, label))
                lines.append(f"- {label}: {current:,.2f} ({change:+.1f}% vs {previous:,.2f})")
            else:
                lines.append(f"- {label}: {current}")
        elif isinstance(value, int | float) and not isinstance(value, bool):
            lines.append(f"- {label}: {value:,.2f}")
        else:
            lines.append(f"- {label}: {value}")
    if changes:
        best = max(changes)
        worst = min(changes)
        lines.append(f"Biggest rise: {best[1]} ({best[0]:+.1f}%).")
        if worst != best:
            lines.append(f"Biggest fall: {worst[1]} ({worst[0]:+.1f}%).")
    return lines


def write_insight_summary(*, text: str, context: RequestContext) -> str:
    metrics: dict[str, Any] = dict(context.metrics)
    if not metrics:
        for label, number, percent in METRIC_PATTERN.findall(text):
            key = label.strip().lower()
            value = float(number.replace(",", ""))
            metrics[f"{key} (%)" if percent else key] = value
    if not metrics:
        return (
            "Summary: no figures were given. Send metrics in context.metrics "
            '(e.g. {"revenue_usd": {"current": 1200, "previous": 1000}}) for a summary.'
        )
    return "\n".join(["Summary of the figures:", *_metric_lines(metrics)])


def write_extractive_answer(*, text: str, context: RequestContext, task: str) -> str:
    if context.knowledge:
        index = RetrievalIndex.build([f"{item.title} {item.text}" for item in context.knowledge])
        ranked = index.rank(text, limit=2, minimum_score=0.05)
        if ranked:
            passages = [context.knowledge[position].text.strip() for position, _score in ranked]
            return "From your knowledge base:\n" + "\n".join(f"- {passage}" for passage in passages)
    return (
        f"No AI provider is configured for '{task}' requests, so the built-in local engine "
        "answered. It suggests replies, drafts captions, campaigns and automation flows, and "
        "summarises metrics offline; set GEMINI_API_KEY, AZURE_AI_CHAT_ENDPOINT and "
        "AZURE_AI_CHAT_KEY, or OPENAI_API_KEY for open-ended answers."
    )
